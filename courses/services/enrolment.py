"""Who is enrolled in which course: by assignment for an election event, or by joining a public
course. Every path is bulk and idempotent: running one twice enrols nobody twice (the unique
constraints on ``Enrollment`` hold that even against a race)."""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from commissions.models import ElectionEvent, Membership

from ..models import Assignment, CoursePage, Enrollment

BATCH = 1000

# An assignment enrols people while its event is planned or in training: a course assigned before
# training opens is already on the learners' lists, and people who take a seat in the meantime
# are enrolled too. A closed event enrols nobody new.
ENROLLING_EVENT_STATUSES = (ElectionEvent.Status.PLANNED, ElectionEvent.Status.TRAINING)


def _chunks(values: list, size: int = BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _assigned(*, event_id: int, course_key, user_ids: Iterable[int]) -> list[Enrollment]:
    return [
        Enrollment(
            user_id=user_id,
            course_key=course_key,
            event_id=event_id,
            source=Enrollment.Source.ASSIGNMENT,
        )
        for user_id in user_ids
    ]


@transaction.atomic
def assignment_enrol(*, assignment: Assignment) -> int:
    """Enrol everyone who holds a seat today in one of the assignment's positions at one of its
    levels, for its event; returns how many were enrolled now. Three queries, plus one insert per
    thousand new enrolments; people already enrolled are left as they are."""
    if assignment.event.status not in ENROLLING_EVENT_STATUSES:
        return 0
    course_key = assignment.course.translation_key
    seated = set(
        Membership.objects.active()
        .filter(
            position__in=assignment.positions,
            commission__level__in=assignment.levels,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
    )
    enrolled = set(
        Enrollment.objects.filter(event_id=assignment.event_id, course_key=course_key).values_list(
            "user_id", flat=True
        )
    )
    new = sorted(seated - enrolled)
    Enrollment.objects.bulk_create(
        _assigned(event_id=assignment.event_id, course_key=course_key, user_ids=new),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(new)


def assignment_enrol_after_commit(*, assignment: Assignment) -> None:
    """Enrol the people a saved assignment names, in the worker, once the save is committed
    (``courses.tasks.enrol_assignment``); the admin calls it after each create and edit.

    Narrowing an assignment later enrols nobody new and unenrols nobody: enrolments are learners'
    records and stay.
    """
    from ..tasks import enrol_assignment

    transaction.on_commit(partial(enrol_assignment.delay, assignment.pk))


def enrolments_sync(*, user_ids: Iterable[int]) -> int:
    """Enrol these people in every course assigned, for an election event that is planned or in
    training, to a position and level in which they hold a seat today; returns how many were
    enrolled now. Used after member files are applied and when a learner opens "My training".

    Four queries per thousand people at most (one when none of them holds a seat).
    """
    ids = sorted(set(user_ids))
    if not ids:
        return 0
    assignments = None
    created = 0
    for chunk in _chunks(ids):
        seats = list(
            Membership.objects.active()
            .filter(user_id__in=chunk, user__is_active=True)
            .values_list("user_id", "position", "commission__level")
        )
        if not seats:
            continue
        if assignments is None:
            assignments = list(
                Assignment.objects.filter(event__status__in=ENROLLING_EVENT_STATUSES).values_list(
                    "event_id", "course__translation_key", "positions", "levels"
                )
            )
        if not assignments:
            return 0
        wanted = {
            (user_id, course_key, event_id)
            for user_id, position, level in seats
            for event_id, course_key, positions, levels in assignments
            if position in positions and level in levels
        }
        if not wanted:
            continue
        existing = set(
            Enrollment.objects.filter(
                user_id__in={user_id for user_id, _key, _event in wanted},
                event_id__in={event_id for _user, _key, event_id in wanted},
            ).values_list("user_id", "course_key", "event_id")
        )
        new = sorted(wanted - existing, key=str)
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    user_id=user_id,
                    course_key=course_key,
                    event_id=event_id,
                    source=Enrollment.Source.ASSIGNMENT,
                )
                for user_id, course_key, event_id in new
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        created += len(new)
    return created


def enrolment_sync_for_user(*, user) -> int:
    """The safety net on "My training": enrol the learner in whatever their seats call for and
    they are not enrolled in yet. One query for someone without a seat, four at most."""
    if not user.is_authenticated:
        return 0
    return enrolments_sync(user_ids=[user.pk])


def course_join(*, user, course: CoursePage) -> tuple[Enrollment, bool]:
    """Enrol a signed-in learner in a public course on their own; returns the enrolment and
    whether this call created it. Joining a course one is already enrolled in (joined or
    assigned) changes nothing."""
    if not course.is_public:
        raise PermissionDenied(
            _("Only open courses can be joined; this one is assigned by election commissions.")
        )
    existing = (
        Enrollment.objects.filter(user=user, course_key=course.translation_key)
        .order_by("completed_at", "pk")
        .first()
    )
    if existing is not None:
        return existing, False
    return Enrollment.objects.get_or_create(
        user=user,
        course_key=course.translation_key,
        event=None,
        defaults={"source": Enrollment.Source.SELF},
    )
