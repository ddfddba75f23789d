"""A learner's standing in a quiz: enrolment, attempts, whether and when they may start another,
their result by the quiz's grading method, the course requirement, and when the review opens."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.utils import timezone

from accounts.minors import needs_guardian_consent
from courses.models import CoursePage, Enrollment
from courses.selectors import CourseAccess, CourseStructure, course_access, course_structure

from ..models import Attempt, QuizPage
from .pool import required_quiz_gradings

# An open attempt is still accepted this long after its deadline: the seconds a submit spends on
# the network when the countdown reaches zero.
DEADLINE_GRACE = timedelta(seconds=10)


# A learner's standing in a quiz -----------------------------------------------------------------


def course_of(quiz: QuizPage) -> CoursePage | None:
    """The course the quiz sits in (directly or in one of its modules): the parent that routing
    gave the page when it has one (no query), else one query."""
    parent = getattr(quiz, "_cached_parent_obj", None)
    while parent is not None:
        if isinstance(parent, CoursePage):
            return parent
        parent = getattr(parent, "_cached_parent_obj", None)
    return CoursePage.objects.ancestor_of(quiz).order_by("-depth").first()


def is_expired(attempt: Attempt, now: datetime | None = None) -> bool:
    """An open attempt whose time limit ran out (with a few seconds' grace for the network)."""
    now = now or timezone.now()
    return (
        attempt.submitted_at is None
        and attempt.deadline_at is not None
        and now > attempt.deadline_at + DEADLINE_GRACE
    )


def graded_result(attempts: Iterable[Attempt], grading: str) -> Attempt | None:
    """The attempt that decides the quiz's result: the best one (the earliest of equals), or the
    last one submitted, as the quiz grades."""
    submitted = [a for a in attempts if a.submitted_at is not None and a.percent is not None]
    if not submitted:
        return None
    if grading == QuizPage.Grading.LAST:
        return max(submitted, key=lambda a: (a.submitted_at, a.number))
    return max(submitted, key=lambda a: (a.percent, -a.submitted_at.timestamp()))


@dataclass(frozen=True)
class QuizStatus:
    """Where a learner stands in a quiz: their enrolment, attempts, and whether and when they may
    start another."""

    quiz: QuizPage
    course: CoursePage | None
    access: CourseAccess | None
    enrollment: Enrollment | None
    attempts: tuple[Attempt, ...]  # of this enrolment, newest first
    open_attempt: Attempt | None  # the learner's open attempt at this quiz, if any
    now: datetime
    needs_consent: bool = False  # a minor without their legal representative's consent

    @property
    def submitted(self) -> tuple[Attempt, ...]:
        return tuple(a for a in self.attempts if a.submitted_at is not None)

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        """None when the quiz allows any number of attempts."""
        if not self.quiz.attempts_allowed:
            return None
        return max(0, self.quiz.attempts_allowed - self.attempts_used)

    @property
    def next_attempt_at(self) -> datetime | None:
        """When the wait after the last attempt ends, if it has not yet."""
        if not self.quiz.wait_minutes or not self.submitted:
            return None
        last = max(a.submitted_at for a in self.submitted)
        allowed = last + timedelta(minutes=self.quiz.wait_minutes)
        return allowed if allowed > self.now else None

    @property
    def result(self) -> Attempt | None:
        return graded_result(self.attempts, self.quiz.grading)

    @property
    def passed(self) -> bool:
        result = self.result
        return bool(result and result.passed)

    @property
    def is_enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def may_join(self) -> bool:
        return self.enrollment is None and self.course is not None and self.course.is_public

    @property
    def refusal(self) -> str | None:
        """Why the learner may not start an attempt now, in a reason code (None: they may, or
        may resume their open attempt). Codes: ``draft``, ``no_course``, ``not_enrolled``,
        ``consent``, ``used_up``, ``wait``."""
        if self.open_attempt is not None and not is_expired(self.open_attempt, self.now):
            return None
        if not self.quiz.live:
            return "draft"
        if self.course is None:
            return "no_course"
        if self.enrollment is None and not self.course.is_public:
            return "not_enrolled"
        if self.needs_consent:
            return "consent"
        if self.attempts_left == 0:
            return "used_up"
        if self.next_attempt_at is not None:
            return "wait"
        return None


def quiz_status(*, user, quiz: QuizPage, now: datetime | None = None) -> QuizStatus:
    """A learner's standing in a quiz: three queries (course, enrolments, attempts), and one more
    for a minor (their legal representative's consent)."""
    now = now or timezone.now()
    course = course_of(quiz)
    access = course_access(user=user, course=course) if course is not None else None
    enrollment = access.enrollment if access is not None else None
    attempts = list(
        Attempt.objects.filter(user=user, quiz_key=quiz.translation_key).order_by("-number", "-pk")
    )
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    mine = tuple(a for a in attempts if enrollment is not None and a.enrollment_id == enrollment.pk)
    return QuizStatus(
        quiz=quiz,
        course=course,
        access=access,
        enrollment=enrollment,
        attempts=mine,
        open_attempt=open_attempt,
        now=now,
        needs_consent=needs_guardian_consent(user),
    )


def quiz_passed(*, enrollment: Enrollment, quiz_key: UUID, grading: str) -> bool:
    """Whether this enrolment's result in the quiz (by its grading method) is a pass."""
    attempts = Attempt.objects.filter(enrollment=enrollment, quiz_key=quiz_key).submitted()
    result = graded_result(attempts, grading)
    return bool(result and result.passed)


def required_quizzes_passed(
    *, enrollment: Enrollment, structure: CourseStructure | None = None
) -> bool:
    """The quizzes' part of a course's completion (registered with the courses service in
    ``QuizzesConfig.ready``): every live quiz marked "required for the course" in the course's
    canonical tree (the tree its required lessons are read from) is passed by this enrolment, by
    the quiz's grading method (its best attempt, or its last). The required quizzes come from
    the cache (``pool.py``); one query for the attempts when the course requires a quiz."""
    structure = structure or course_structure(course_key=enrollment.course_key)
    if structure is None:
        return True
    required = required_quiz_gradings(course_url_path=structure.url_path)
    if not required:
        return True
    attempts = defaultdict(list)
    for attempt in Attempt.objects.filter(enrollment=enrollment, quiz_key__in=required).submitted():
        attempts[attempt.quiz_key].append(attempt)
    for quiz_key, grading in required.items():
        result = graded_result(attempts.get(quiz_key, ()), grading)
        if not (result and result.passed):
            return False
    return True


def review_is_open(*, quiz: QuizPage, enrollment: Enrollment | None, now=None) -> bool:
    """Whether the learner may now see more than their score: the quiz shows a review, and either
    immediately or, "after the training deadline", once the deadline of the enrolment's election
    event has passed. An enrolment without an event has no deadline: its review is open at once.
    """
    if quiz.review == QuizPage.Review.SCORE:
        return False
    if quiz.review_timing == QuizPage.ReviewTiming.IMMEDIATELY:
        return True
    if enrollment is None or enrollment.event_id is None:
        return True
    today = timezone.localdate(now or timezone.now())
    return today > enrollment.event.training_deadline


def review_opens_on(*, quiz: QuizPage, enrollment: Enrollment | None):
    """The day after the training deadline, when a deferred review opens (None otherwise)."""
    if (
        quiz.review == QuizPage.Review.SCORE
        or quiz.review_timing != QuizPage.ReviewTiming.AFTER_DEADLINE
        or enrollment is None
        or enrollment.event_id is None
    ):
        return None
    return enrollment.event.training_deadline + timedelta(days=1)
