"""The demo's training under way: the precinct members of the small demo tree at every stage of
their training for the demo election event, as a commission finds them in the last week before
the vote, so that the readiness dashboards of ``manager-oblast``, ``manager-district`` and
``manager-precinct`` have something to show.

Loaded by ``manage.py seed_demo`` last, once the tree, the courses, the tests and the certificate
template are there. Across the twenty precincts about 35% of the members have completed both
assigned courses (every lesson, the final test passed, sometimes at the second try) and hold both
certificates; about 20% are part-way (some lessons, perhaps the opening course done, perhaps a
failed final test); about 10% did every lesson of the counting course but failed its final test
once and have not tried again; about 35% have not started. Each precinct has its own mix
(``PROFILES``): in the district of ``manager-district`` one precinct is nearly done and another
far behind, and the two districts of ``manager-oblast`` differ too.

Everything goes through the services a learner's clicks call: lessons marked complete, attempts
started and submitted with answers right or wrong, completions and certificates issued by them;
the certificates' PDFs are then rendered here in one batch, since no worker runs while seeding.
Who is at which stage follows from the precinct's code and its members' usernames, the same on
every database.

The demo sign-ins keep the state the README describes: ``member`` has done nothing (the browser
tests complete its course), ``manager-precinct`` and the deputy chair of its precinct keep the
counting course ``certificates.demo`` completed for them, and nobody else is touched outside the
precincts. The national tree is left alone.

Safe to run again: a member who has any progress or attempt in the event's courses is left as
they are, so a second run adds nothing.
"""

import random
from dataclasses import dataclass, field
from math import ceil

from django.db import transaction
from django.db.models import Q

from certificates.demo import COMPLETED_BY
from certificates.models import Certificate
from certificates.services import certificates_render
from commissions.demo import SIGN_INS
from commissions.demo.tree import DEMO_TREE, FIRST_PRECINCT
from commissions.models import Commission, ElectionEvent, Membership
from courses.demo import ASSIGNED_COURSES, COUNTING, EVENT, OPENING
from courses.models import CoursePage, Enrollment, LessonProgress
from courses.selectors import CourseStructure, course_structures
from courses.services import lesson_complete, lesson_visit_record
from quizzes.demo.answers import full_marks_answers
from quizzes.models import Attempt, Question, QuizPage
from quizzes.services import attempt_start, attempt_submit

COMPLETED = "completed"  # both courses completed and certified
STARTED = "started"  # part-way
FAILED = "failed"  # every counting lesson done, the final test failed once, not tried again
NOT_STARTED = "not started"
STAGES = (COMPLETED, STARTED, FAILED, NOT_STARTED)

# How many of a precinct's seven members are at each stage, in the order of ``STAGES``.
PROFILES = {
    # Ili district (TEC-19-07, manager-district's): PEC-0215 nearly done, PEC-0218 far behind.
    "PEC-0214": (2, 2, 1, 2),  # manager-precinct's: its two certified members count as started
    "PEC-0215": (6, 1, 0, 0),
    "PEC-0216": (2, 1, 1, 3),
    "PEC-0217": (3, 2, 0, 2),
    "PEC-0218": (0, 1, 1, 5),
    # Karasay district (TEC-19-09): behind.
    "PEC-0356": (1, 2, 1, 3),
    "PEC-0357": (3, 1, 1, 2),
    "PEC-0358": (0, 2, 0, 5),
    "PEC-0359": (2, 1, 1, 3),
    "PEC-0360": (4, 1, 1, 1),
    # Esil district, Astana (TEC-71-02): ahead.
    "PEC-0123": (5, 1, 1, 0),
    "PEC-0124": (3, 2, 0, 2),
    "PEC-0125": (4, 1, 1, 1),
    "PEC-0126": (1, 2, 1, 3),
    "PEC-0127": (3, 1, 0, 3),
    # Saryarka district, Astana (TEC-71-04).
    "PEC-0231": (2, 1, 1, 3),
    "PEC-0232": (3, 2, 1, 1),
    "PEC-0233": (0, 1, 0, 6),
    "PEC-0234": (3, 1, 1, 2),
    "PEC-0235": (2, 2, 1, 2),
}
DEFAULT_PROFILE = (2, 1, 1, 3)  # a precinct added to the demo tree later

SIGN_IN_NAMES = frozenset(sign_in.username for sign_in in SIGN_INS)


@dataclass
class ProgressSummary:
    """What one run of ``demo_seed`` added, by stage."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES[:3], 0))
    already: int = 0
    attempts: int = 0
    rendered: int = 0

    def __str__(self) -> str:
        return (
            f"Training progress: {sum(self.added.values())} added ({self.added[COMPLETED]} "
            f"completed and certified, {self.added[STARTED]} part-way, {self.added[FAILED]} "
            f"failed the final test), {self.already} already there; {self.attempts} test "
            f"attempts, {self.rendered} certificates rendered."
        )


@dataclass(frozen=True)
class DemoCourse:
    """An assigned course as the demo learners take it: its lessons, and its final test (if it
    has one) by language."""

    structure: CourseStructure
    final: dict[str, QuizPage]

    @property
    def key(self):
        return self.structure.course_key

    @property
    def lessons(self):
        return self.structure.lessons


def _tests(course: CoursePage, kind: str) -> dict[str, QuizPage]:
    """The course's live test of ``kind`` in each language it is translated into."""
    quiz = QuizPage.objects.live().child_of(course).filter(kind=kind).first()
    if quiz is None:
        return {}
    return {
        page.locale.language_code: page
        for page in QuizPage.objects.live()
        .filter(translation_key=quiz.translation_key)
        .select_related("locale")
    }


def _courses() -> dict[str, DemoCourse]:
    """The assigned demo courses by slug, from their canonical Kazakh pages."""
    pages = {
        page.slug: page
        for page in CoursePage.objects.filter(
            slug__in=[course.slug for course in ASSIGNED_COURSES], locale__language_code="kk"
        )
    }
    structures = course_structures(course_keys=[page.translation_key for page in pages.values()])
    return {
        slug: DemoCourse(
            structure=structures[page.translation_key],
            final=_tests(page, QuizPage.Kind.FINAL),
        )
        for slug, page in pages.items()
        if page.translation_key in structures
    }


# Who is at which stage ---------------------------------------------------------------------------


def _kept_stage(seat: Membership) -> str | None:
    """The stage of a member whose training is not this module's to set, else None: the demo
    sign-ins, and the people ``certificates.demo`` completed the counting course for (they have
    not done the opening course, so they count as part-way)."""
    completed_counting = seat.commission.code == FIRST_PRECINCT and seat.position in COMPLETED_BY
    if completed_counting:
        return STARTED
    if seat.user.username in SIGN_IN_NAMES:
        return NOT_STARTED
    return None


def _plan(seats: list[Membership]) -> list[tuple[Membership, str]]:
    """Each precinct member's stage, from the precinct's profile; the members are dealt the
    stages in an order fixed by the precinct's code."""
    by_precinct: dict[str, list[Membership]] = {}
    for seat in seats:
        by_precinct.setdefault(seat.commission.code, []).append(seat)
    plan = []
    for code, members in sorted(by_precinct.items()):
        profile = PROFILES.get(code, DEFAULT_PROFILE)
        stages = [stage for stage, n in zip(STAGES, profile, strict=True) for _ in range(n)]
        free = []
        for seat in members:
            kept = _kept_stage(seat)
            if kept is None:
                free.append(seat)
            elif kept in stages:
                stages.remove(kept)
        free.sort(key=lambda seat: seat.user.username)
        random.Random(f"demo-progress:{code}").shuffle(free)
        plan += zip(free, stages + [NOT_STARTED] * (len(free) - len(stages)), strict=False)
    return plan


def _with_progress(*, event: ElectionEvent, user_ids: list[int]) -> set[int]:
    """Those of ``user_ids`` who have any lesson progress, completion or attempt in the event's
    courses."""
    enrollments = Enrollment.objects.filter(event=event, user_id__in=user_ids)
    done = enrollments.filter(
        Q(completed_at__isnull=False) | Q(progress_percent__gt=0)
    ).values_list("user_id", flat=True)
    lessons = LessonProgress.objects.filter(enrollment__in=enrollments).values_list(
        "enrollment__user_id", flat=True
    )
    attempts = Attempt.objects.filter(enrollment__in=enrollments).values_list("user_id", flat=True)
    return set(done) | set(lessons) | set(attempts)


# What a member does -----------------------------------------------------------------------------


class Learner:
    """One demo member going through the courses, each choice from their own seeded random."""

    def __init__(self, user, courses: dict[str, DemoCourse], summary: ProgressSummary):
        self.user = user
        self.courses = courses
        self.summary = summary
        self.rng = random.Random(f"demo-progress:{user.username}")

    def lessons(self, course: DemoCourse, count: int) -> None:
        """Complete the first ``count`` lessons, then open the next one and leave it there."""
        for lesson in course.lessons[:count]:
            lesson_complete(
                user=self.user,
                course_key=course.key,
                lesson_key=lesson.key,
                structure=course.structure,
            )
        if 0 < count < len(course.lessons):
            enrollments = list(
                Enrollment.objects.incomplete().filter(user=self.user, course_key=course.key)
            )
            lesson_visit_record(enrollments=enrollments, lesson_key=course.lessons[count].key)

    def attempt(
        self, tests: dict[str, QuizPage], *, share_right: float, fail: bool = False
    ) -> Attempt | None:
        """Take the test in the member's language, answering about ``share_right`` of its
        questions right, and with ``fail`` fewer than its pass mark asks."""
        quiz = tests.get(self.user.preferred_language) or tests.get("kk")
        if quiz is None:
            return None
        attempt = attempt_start(user=self.user, quiz=quiz)
        right = full_marks_answers(attempt)
        keys = [item["key"] for item in attempt.questions]
        count = round(share_right * len(keys))
        if fail:
            count = min(count, ceil(quiz.pass_mark * len(keys) / 100) - 1)
        answered_right = set(self.rng.sample(keys, count))
        answers = {}
        for item in attempt.questions:
            key = item["key"]
            if key in answered_right:
                answers[key] = right[key]
            elif item["kind"] in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
                # A wrong choice, as a hurried learner picks; other kinds are left unanswered.
                wrong = next((c for c in item["choices"] if c != right.get(key)), None)
                if wrong is not None:
                    answers[key] = wrong
        self.summary.attempts += 1
        return attempt_submit(attempt=attempt, answers=answers, quiz=quiz).attempt

    def fail_final(self, course: DemoCourse) -> None:
        self.attempt(course.final, share_right=self.rng.uniform(0.4, 0.75), fail=True)

    def complete(self) -> None:
        """Both courses, every lesson; the counting course's final test passed, sometimes only
        at the second try."""
        opening, counting = self.courses[OPENING.slug], self.courses[COUNTING.slug]
        self.lessons(opening, len(opening.lessons))
        self.lessons(counting, len(counting.lessons))
        if self.rng.random() < 0.25:
            self.fail_final(counting)
        self.attempt(counting.final, share_right=1)

    def start(self) -> None:
        """Part-way: the opening course done or begun, some counting lessons, perhaps a failed
        final test."""
        opening, counting = self.courses[OPENING.slug], self.courses[COUNTING.slug]
        total = len(opening.lessons)
        opening_done = self.rng.random() < 0.5
        self.lessons(opening, total if opening_done else self.rng.randint(1, max(1, total - 1)))
        if not opening_done and self.rng.random() < 0.5:
            return
        done = self.rng.randint(1, len(counting.lessons) - 1)
        self.lessons(counting, done)
        if done * 2 >= len(counting.lessons) and self.rng.random() < 0.4:
            self.fail_final(counting)

    def fail(self) -> None:
        """Every counting lesson, the final test failed once; the opening course mostly done."""
        opening, counting = self.courses[OPENING.slug], self.courses[COUNTING.slug]
        total = len(opening.lessons)
        self.lessons(opening, total if self.rng.random() < 0.7 else total // 2)
        self.lessons(counting, len(counting.lessons))
        self.fail_final(counting)


@transaction.atomic
def demo_seed() -> ProgressSummary:
    """Every demo precinct member at their stage of training for the demo event, and the
    certificates of those who completed a course rendered in one batch."""
    summary = ProgressSummary()
    event = ElectionEvent.objects.filter(kind=EVENT["kind"], name_kk=EVENT["name_kk"]).first()
    courses = _courses()
    if event is None or set(courses) != {course.slug for course in ASSIGNED_COURSES}:
        return summary
    precincts = [row[1] for row in DEMO_TREE if row[2] == Commission.Level.PRECINCT]
    seats = list(
        Membership.objects.active()
        .filter(commission__code__in=precincts)
        .select_related("user", "commission")
        .order_by("pk")
    )
    plan = [(seat, stage) for seat, stage in _plan(seats) if stage != NOT_STARTED]
    busy = _with_progress(event=event, user_ids=[seat.user_id for seat, _stage in plan])
    added = []
    for seat, stage in plan:
        if seat.user_id in busy:
            summary.already += 1
            continue
        learner = Learner(seat.user, courses, summary)
        {COMPLETED: learner.complete, STARTED: learner.start, FAILED: learner.fail}[stage]()
        summary.added[stage] += 1
        added.append(seat.user_id)

    pending = Certificate.objects.unrendered().filter(
        learner_id__in=added, course_key__in=[course.key for course in courses.values()]
    )
    summary.rendered = certificates_render(
        certificate_ids=list(pending.order_by("pk").values_list("pk", flat=True))
    )
    return summary
