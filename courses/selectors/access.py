"""Who may read a course, and with which of their enrolments."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.utils.translation import gettext as _

from ..models import CoursePage, Enrollment, LessonPage, LessonProgress


def enrollment_order(enrollment: Enrollment):
    """The enrolment whose progress a course shows: one still in progress first (the nearest
    deadline first, then the oldest), else the most recently completed."""
    if enrollment.completed_at is None:
        deadline = enrollment.event.training_deadline if enrollment.event_id else date.max
        return (0, deadline, enrollment.enrolled_at.timestamp())
    return (1, date.min, -enrollment.completed_at.timestamp())


@dataclass(frozen=True)
class CourseAccess:
    """The answer to "may this person read this course?", with their enrolments in it."""

    allowed: bool
    reason: str = ""
    enrollments: tuple[Enrollment, ...] = ()
    sign_in_required: bool = False
    is_preview: bool = False

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def enrollment(self) -> Enrollment | None:
        """The enrolment whose progress is shown."""
        return self.enrollments[0] if self.enrollments else None

    @property
    def is_enrolled(self) -> bool:
        return bool(self.enrollments)

    @property
    def in_progress(self) -> tuple[Enrollment, ...]:
        """The enrolments that record visits: those not completed yet."""
        return tuple(e for e in self.enrollments if e.completed_at is None)


def anonymous_reading_allowed(*, course: CoursePage, lesson: LessonPage | None = None) -> bool:
    """May someone who is not signed in read this course page or lesson?

    Nobody may today: a visitor is sent to sign in. This is the one place that changes when
    young visitors are allowed to read a public course's first lesson before registering.
    """
    return False


def course_access(*, user, course: CoursePage, lesson: LessonPage | None = None) -> CourseAccess:
    """May ``user`` read ``course`` (or one of its lessons)? One query for a signed-in person.

    Yes if the course is public or they hold an enrolment in it (completed or not). Trainers and
    managers read courses through the admin's preview, which does not come through here.
    """
    if not user.is_authenticated:
        if anonymous_reading_allowed(course=course, lesson=lesson):
            return CourseAccess(True, _("This part of a public course is open to everyone."))
        return CourseAccess(False, _("Sign in to read this course."), sign_in_required=True)
    enrollments = sorted(
        Enrollment.objects.filter(user=user, course_key=course.translation_key).select_related(
            "event"
        ),
        key=enrollment_order,
    )
    if enrollments:
        return CourseAccess(True, _("You are enrolled in this course."), tuple(enrollments))
    if course.is_public:
        return CourseAccess(True, _("This course is open to everyone who signs in."))
    return CourseAccess(
        False,
        _(
            "This course is not assigned to you. Your commission's courses are assigned for each "
            "election; open courses are listed in the catalogue."
        ),
    )


def completed_lessons(*, enrollment: Enrollment | None) -> dict[UUID, datetime]:
    """When the learner completed each lesson, for one enrolment: one query."""
    if enrollment is None or enrollment.pk is None:
        return {}
    return dict(
        LessonProgress.objects.filter(
            enrollment=enrollment, completed_at__isnull=False
        ).values_list("lesson_key", "completed_at")
    )
