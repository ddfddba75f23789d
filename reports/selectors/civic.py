"""Civic education of the young voters' clubs in a branch: their members' progress in the public
courses, counted the way the readiness reports count a commission's training.

Who is counted: every seat held today, in position "club member", in a club (a commission of
level "club") of the branch. A coordinator's branch is their club; the territorial commission
above sees its clubs too (decision 0010). Public courses are the live courses marked public,
one per ``translation_key`` (a learner's progress follows them whichever language they read in),
taken with or without an election event. For each member and course:

- **enrolled**: an enrolment in the course;
- **started**: an enrolment with progress or a completion, or an attempt at one of the course's
  quizzes;
- **completed**: a completed enrolment (the course's required tests passed, as
  ``courses.services.progress`` decides);
- **passed the final test**: a submitted passing attempt at one of the course's final tests (in
  any translation); a course without a final test counts as passed once completed;
- **certified**: a live certificate for the course, neither revoked nor replaced;
- **progress**: the highest progress of their enrolments in it, 100 once completed.

People are counted once per club and once in the branch's totals. The counts are two grouped
queries over memberships, plus three for the public courses and their quizzes (all of them, and
the final tests) and one for the clubs: six, whatever the number of members.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from uuid import UUID

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.minors import is_minor
from accounts.models import ConsentRecord
from certificates.models import Certificate
from commissions.models import Commission, Membership, Position
from courses.models import CoursePage, Enrollment
from courses.selectors.structure import current_language, pick_canonical
from quizzes.models import Attempt, QuizPage

from .readiness import StatusCount, course_quizzes

CIVIC_STATUSES = (
    ("enrolled", _("Enrolled")),
    ("started", _("Started")),
    ("completed", _("Completed")),
    ("passed", _("Passed the final test")),
    ("certified", _("Certified")),
)


@dataclass(frozen=True)
class PublicCourse:
    """A public course, titled in the current language where it is translated."""

    key: UUID
    title: str
    quizzes: frozenset[UUID]
    final_tests: frozenset[UUID]


def public_courses() -> list[PublicCourse]:
    """Every live public course, oldest first: three queries (one without any)."""
    rows = list(
        CoursePage.objects.live()
        .filter(is_public=True)
        .order_by("pk")
        .values("pk", "translation_key", "title", "path", "locale__language_code")
    )
    if not rows:
        return []
    canonical = pick_canonical(rows)
    language = current_language()
    here = {row["translation_key"]: row for row in rows if row["locale__language_code"] == language}
    paths = [(row["path"], row["translation_key"]) for row in rows]
    quizzes = course_quizzes(course_paths=paths)
    finals = course_quizzes(course_paths=paths, kind=QuizPage.Kind.FINAL)
    return [
        PublicCourse(
            key=key,
            title=here.get(key, row)["title"],
            quizzes=quizzes.get(key, frozenset()),
            final_tests=finals.get(key, frozenset()),
        )
        for key, row in sorted(canonical.items(), key=lambda item: item[1]["pk"])
    ]


def _flag(name: str, index: int) -> str:
    return f"course{index}_{name}"


def club_seats(*, commission: Commission, courses: list[PublicCourse]) -> QuerySet[Membership]:
    """Every club member's seat held today in ``commission``'s branch, annotated for each
    course (by its index in ``courses``) with ``course<i>_progress`` and the flags
    ``course<i>_<status>`` of ``CIVIC_STATUSES``: one query when evaluated."""
    user = OuterRef("user")
    annotations = {}
    for index, course in enumerate(courses):
        enrolments = Enrollment.objects.filter(user=user, course_key=course.key)
        completed = Exists(enrolments.filter(completed_at__isnull=False))
        shown_progress = Case(
            When(completed_at__isnull=False, then=Value(100)),
            default=F("progress_percent"),
            output_field=IntegerField(),
        )
        annotations[_flag("progress", index)] = Coalesce(
            Subquery(
                enrolments.annotate(shown=shown_progress).order_by("-shown").values("shown")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
            output_field=IntegerField(),
        )
        annotations[_flag("enrolled", index)] = Exists(enrolments)
        started = Exists(
            enrolments.filter(Q(progress_percent__gt=0) | Q(completed_at__isnull=False))
        )
        if course.quizzes:
            started |= Exists(Attempt.objects.filter(user=user, quiz_key__in=course.quizzes))
        annotations[_flag("started", index)] = started
        annotations[_flag("completed", index)] = completed
        annotations[_flag("passed", index)] = (
            Exists(
                Attempt.objects.filter(
                    user=user,
                    quiz_key__in=course.final_tests,
                    submitted_at__isnull=False,
                    passed=True,
                )
            )
            if course.final_tests
            else completed
        )
        annotations[_flag("certified", index)] = Exists(
            Certificate.objects.live().filter(
                learner=user, course_key=course.key, revoked_at__isnull=True
            )
        )
    return (
        Membership.objects.active()
        .in_branch(commission)
        .filter(position=Position.CLUB_MEMBER, commission__level=Commission.Level.CLUB)
        .annotate(**annotations)
    )


def _aggregates(courses: list[PublicCourse]) -> dict:
    aggregates = {"members": Count("user", distinct=True)}
    for index in range(len(courses)):
        for status, _label in CIVIC_STATUSES:
            name = _flag(status, index)
            aggregates[name] = Count("user", distinct=True, filter=Q(**{name: True}))
    return aggregates


@dataclass(frozen=True)
class CourseCounts:
    """How many club members are in each status of one public course."""

    course: PublicCourse
    members: int = 0
    enrolled: int = 0
    started: int = 0
    completed: int = 0
    passed: int = 0
    certified: int = 0

    def percent(self, status: str) -> int:
        """The share of the members in ``status``, rounded to a whole per cent."""
        if not self.members:
            return 0
        return round(100 * getattr(self, status) / self.members)

    @property
    def statuses(self) -> list[StatusCount]:
        return [
            StatusCount(key, label, getattr(self, key), self.percent(key))
            for key, label in CIVIC_STATUSES
        ]

    @property
    def completed_percent(self) -> int:
        return self.percent("completed")


def _course_counts(row: dict, courses: list[PublicCourse]) -> list[CourseCounts]:
    return [
        CourseCounts(
            course,
            row["members"],
            **{status: row[_flag(status, index)] for status, _label in CIVIC_STATUSES},
        )
        for index, course in enumerate(courses)
    ]


@dataclass(frozen=True)
class ClubProgress:
    club: Commission
    members: int
    courses: list[CourseCounts]


@dataclass(frozen=True)
class CivicProgress:
    """The civic education of a branch's clubs: totals per public course, and each club."""

    commission: Commission
    courses: list[PublicCourse]
    members: int
    total: list[CourseCounts]
    clubs: list[ClubProgress]


def civic_progress(*, commission: Commission) -> CivicProgress:
    """The public courses' counts for the club members of ``commission``'s branch, in total and
    per club (a club without members shows zeros): six queries whatever the size."""
    courses = public_courses()
    clubs = list(
        Commission.objects.filter(path__startswith=commission.path, level=Commission.Level.CLUB)
        .order_by("path")
        .only("pk", "path", "depth", "numchild", "code", "level", "name_kk", "name_ru", "name_en")
    )
    seats = club_seats(commission=commission, courses=courses)
    aggregates = _aggregates(courses)
    # Grouped by a constant rather than ``aggregate()``, which would drop the flags that the
    # counts filter on from its inner query.
    empty = dict.fromkeys(aggregates, 0)
    total = next(
        iter(seats.annotate(branch=Value(1)).values("branch").annotate(**aggregates).order_by()),
        empty,
    )
    by_club = {
        row["commission_id"]: row
        for row in seats.values("commission_id").annotate(**aggregates).order_by()
    }
    return CivicProgress(
        commission=commission,
        courses=courses,
        members=total["members"],
        total=_course_counts(total, courses),
        clubs=[
            ClubProgress(
                club,
                by_club.get(club.pk, empty)["members"],
                _course_counts(by_club.get(club.pk, empty), courses),
            )
            for club in clubs
        ],
    )


def civic_members(*, commission: Commission, courses: list[PublicCourse]) -> QuerySet[Membership]:
    """The club members' seats of the branch for the member list and the exports, by club and
    name, with ``user`` and ``commission`` joined and ``has_guardian_consent`` (an active legal
    representative's consent) annotated: one query a page."""
    consent = ConsentRecord.objects.active().filter(
        user=OuterRef("user"), purpose=ConsentRecord.Purpose.GUARDIAN
    )
    return (
        club_seats(commission=commission, courses=courses)
        .annotate(has_guardian_consent=Exists(consent, output_field=BooleanField()))
        .select_related("user", "commission")
        .order_by("commission__path", "user__full_name", "pk")
    )


@dataclass(frozen=True)
class CourseStanding:
    """Where one member stands in one public course."""

    progress: int
    enrolled: bool
    started: bool
    completed: bool
    passed: bool
    certified: bool


@dataclass(frozen=True)
class CivicMemberRow:
    """One club member as the page and the exports show them."""

    user_id: int
    club_code: str
    club_name: str
    full_name: str
    email: str
    year_of_birth: int | None
    minor: bool
    # For a minor, whether their legal representative's consent is active; None for an adult.
    guardian_consent: bool | None
    courses: list[CourseStanding]


def civic_member_rows(
    seats: Iterable[Membership], courses: list[PublicCourse]
) -> Iterator[CivicMemberRow]:
    """``civic_members`` seats as rows; reads no more from the database."""
    for seat in seats:
        user = seat.user
        minor = is_minor(user)
        yield CivicMemberRow(
            user_id=user.pk,
            club_code=seat.commission.code,
            club_name=seat.commission.name,
            full_name=user.get_full_name(),
            email=user.email,
            year_of_birth=user.year_of_birth,
            minor=minor,
            guardian_consent=seat.has_guardian_consent if minor else None,
            courses=[
                CourseStanding(
                    progress=getattr(seat, _flag("progress", index)),
                    **{
                        status: getattr(seat, _flag(status, index))
                        for status, _label in CIVIC_STATUSES
                    },
                )
                for index in range(len(courses))
            ],
        )
