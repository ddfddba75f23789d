"""Progress through a course: visits, lessons marked complete, the stored course progress and the
course completion. Progress belongs to the course across its translations (``course_key``,
``lesson_key``), so it follows the learner whichever language they read in."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Enrollment, LessonProgress
from ..selectors import CourseStructure, course_structure
from .certificates import certificate_issue_for_completion

BATCH = 1000

# Opening the same lesson again within this time writes nothing: a learner scrolling back and
# forth, or reloading, costs no database write.
VISIT_RESOLUTION = timedelta(minutes=1)


class NotEnrolled(PermissionDenied):
    """The learner holds no enrolment in the course whose progress they tried to record."""


def lesson_visit_record(
    *, enrollments: Sequence[Enrollment], lesson_key: UUID, now: datetime | None = None
) -> None:
    """Note that the learner opened a lesson: when they first and last opened it, and where each
    of their enrolments in the course still in progress left off. Two queries, none when the
    same lesson was opened less than a minute ago; a completed enrolment is left as it is."""
    now = now or timezone.now()
    in_progress = [e for e in enrollments if e.completed_at is None]
    stale = [
        e
        for e in in_progress
        if e.last_lesson_key != lesson_key
        or e.last_activity_at is None
        or now - e.last_activity_at >= VISIT_RESOLUTION
    ]
    if not stale:
        return
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(enrollment=e, lesson_key=lesson_key, started_at=now, last_visited_at=now)
            for e in stale
        ],
        update_conflicts=True,
        unique_fields=["enrollment", "lesson_key"],
        update_fields=["last_visited_at"],
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in stale]).update(
        last_lesson_key=lesson_key, last_activity_at=now
    )
    for enrollment in stale:
        enrollment.last_lesson_key = lesson_key
        enrollment.last_activity_at = now


@dataclass(frozen=True)
class LessonCompletion:
    """What marking a lesson complete did."""

    enrollments: tuple[Enrollment, ...]
    newly_completed: bool  # False: it was already marked complete
    course_completed: bool  # True: this call recorded the course's completion


def _recording_enrollments(enrollments: Sequence[Enrollment]) -> list[Enrollment]:
    """Where progress goes: every enrolment still in progress; if all are completed, the latest
    one (a lesson added after completion can still be ticked; the completion is unchanged)."""
    in_progress = [e for e in enrollments if e.completed_at is None]
    if in_progress:
        return in_progress
    return [max(enrollments, key=lambda e: e.completed_at)]


@transaction.atomic
def lesson_complete(
    *, user, course_key: UUID, lesson_key: UUID, structure: CourseStructure | None = None
) -> LessonCompletion:
    """Mark a lesson complete for the learner, update the stored progress of their course and,
    when it meets its requirements, record the course's completion.

    Idempotent: marking a completed lesson again changes nothing. The learner's enrolments in the
    course are locked first, so two lessons completed at the same moment (two browser tabs) are
    both counted and the completion is recorded once. A fixed number of queries, whatever the size
    of the course. Raises ``NotEnrolled`` when the learner holds no enrolment in the course.
    """
    enrollments = list(
        Enrollment.objects.select_for_update()
        .filter(user=user, course_key=course_key)
        .order_by("pk")
    )
    if not enrollments:
        raise NotEnrolled(
            _(
                "You are not enrolled in this course, so your progress in it cannot be recorded. "
                "Join it first if it is an open course."
            )
        )
    targets = _recording_enrollments(enrollments)
    now = timezone.now()
    rows = {
        row.enrollment_id: row
        for row in LessonProgress.objects.filter(enrollment__in=targets, lesson_key=lesson_key)
    }
    missing = [e for e in targets if e.pk not in rows]
    open_rows = [row.pk for row in rows.values() if row.completed_at is None]
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(
                enrollment=e,
                lesson_key=lesson_key,
                started_at=now,
                last_visited_at=now,
                completed_at=now,
            )
            for e in missing
        ],
        ignore_conflicts=True,
    )
    if open_rows:
        LessonProgress.objects.filter(pk__in=open_rows, completed_at__isnull=True).update(
            completed_at=now, last_visited_at=now
        )
    newly_completed = bool(missing or open_rows)

    structure = structure or course_structure(course_key=course_key)
    course_completed = False
    if structure is not None:
        enrollment_progress_update(enrollments=targets, structure=structure)
        for enrollment in targets:
            # Stored progress below 100 means a required lesson is missing: no need to ask.
            if enrollment.completed_at is not None or enrollment.progress_percent < 100:
                continue
            if course_requirements_met(enrollment=enrollment, structure=structure):
                course_completed |= course_completion_record(enrollment=enrollment)
    return LessonCompletion(tuple(targets), newly_completed, course_completed)


def _completed_required_counts(
    *, enrollment_ids: Sequence[int], structure: CourseStructure
) -> dict[int, int]:
    if not structure.required_keys:
        return {}
    return dict(
        LessonProgress.objects.filter(
            enrollment_id__in=enrollment_ids,
            lesson_key__in=structure.required_keys,
            completed_at__isnull=False,
        )
        .values("enrollment_id")
        .annotate(done=Count("pk"))
        .values_list("enrollment_id", "done")
    )


def _percent(done: int, required: int) -> int:
    return 100 if required == 0 else done * 100 // required


def enrollment_progress_update(
    *, enrollments: Sequence[Enrollment], structure: CourseStructure
) -> None:
    """Store each enrolment's progress: its completed required lessons out of the course's
    required lessons, rounded down (100 only when all are done). Two queries."""
    counts = _completed_required_counts(
        enrollment_ids=[e.pk for e in enrollments], structure=structure
    )
    required = len(structure.required_keys)
    changed = []
    for enrollment in enrollments:
        percent = _percent(counts.get(enrollment.pk, 0), required)
        if percent != enrollment.progress_percent:
            enrollment.progress_percent = percent
            changed.append(enrollment)
    if changed:
        Enrollment.objects.bulk_update(changed, ["progress_percent"])


class CompletionRequirements:
    """Requirements that apps above courses add to a course's completion, without courses
    importing them (STYLE.md): each check is called as ``check(enrollment=…, structure=…)`` and
    says whether the enrolment meets it. Quizzes registers "every required quiz of the course
    passed" in ``QuizzesConfig.ready``."""

    def __init__(self):
        self.checks = []

    def register(self, check):
        if check not in self.checks:
            self.checks.append(check)
        return check

    def met(self, *, enrollment: Enrollment, structure: CourseStructure) -> bool:
        return all(check(enrollment=enrollment, structure=structure) for check in self.checks)


completion_requirements = CompletionRequirements()


def course_requirements_met(*, enrollment: Enrollment, structure: CourseStructure) -> bool:
    """Whether the learner has done everything the course requires of them.

    Every required lesson of the course's canonical tree completed, and every requirement added
    by the apps above courses (``completion_requirements``: every required quiz passed). This is
    the one place that decides it.
    """
    required = structure.required_keys
    if required:
        counts = _completed_required_counts(enrollment_ids=[enrollment.pk], structure=structure)
        if counts.get(enrollment.pk, 0) != len(required):
            return False
    return completion_requirements.met(enrollment=enrollment, structure=structure)


@transaction.atomic
def course_completion_record(*, enrollment: Enrollment) -> bool:
    """Record that the learner completed the course, exactly once; returns whether this call
    recorded it.

    A conditional ``UPDATE ... WHERE completed_at IS NULL``: of two calls at the same moment only
    one changes the row, so a completion is never recorded twice and never moves later. Callers
    check ``course_requirements_met`` first. When this call records it, the course's certificate
    (if it has a template) is issued in the same transaction and rendered after it commits.
    """
    now = timezone.now()
    recorded = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=now, progress_percent=100
    )
    if recorded:
        enrollment.completed_at = now
        enrollment.progress_percent = 100
        certificate_issue_for_completion(enrollment=enrollment)
    else:
        enrollment.refresh_from_db(fields=["completed_at", "progress_percent"])
    return bool(recorded)


def course_progress_refresh(*, course_key: UUID) -> int:
    """Bring the stored progress of every enrolment in a course still in progress up to date
    after its lessons changed (a lesson published, unpublished or deleted, or made optional), and
    record the completion of those who now meet its requirements. Returns how many enrolments
    changed. Completed enrolments are left as they are: a completion stands.

    Three queries per thousand enrolments, plus one update per thousand changed ones.
    """
    structure = course_structure(course_key=course_key)
    if structure is None:
        return 0
    ids = list(
        Enrollment.objects.incomplete()
        .filter(course_key=course_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed: set[int] = set()
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            enrollments = list(
                Enrollment.objects.select_for_update().filter(
                    pk__in=ids[start : start + BATCH], completed_at__isnull=True
                )
            )
            before = {e.pk: e.progress_percent for e in enrollments}
            enrollment_progress_update(enrollments=enrollments, structure=structure)
            changed.update(e.pk for e in enrollments if e.progress_percent != before[e.pk])
            # A course left with no required lesson completes when a lesson is marked, not here:
            # nobody completes a course they never opened.
            if not structure.required_keys:
                continue
            for enrollment in enrollments:
                if enrollment.progress_percent < 100:
                    continue
                met = course_requirements_met(enrollment=enrollment, structure=structure)
                if met and course_completion_record(enrollment=enrollment):
                    changed.add(enrollment.pk)
    return len(changed)
