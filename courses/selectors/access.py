"""Who may read a course, and with which of their enrolments."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.utils.translation import gettext as _

from .. import page_cache
from ..models import CoursePage, Enrollment, LessonPage, LessonProgress, ModulePage
from .structure import course_structure


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


def first_lesson_keys(*, course: CoursePage, request=None) -> tuple[UUID, UUID] | None:
    """The module and lesson keys of a course's first lesson (the first of its canonical
    structure), or None when it has no live lesson. The same for everyone, so kept in the
    course pages' cache."""

    def build() -> tuple[UUID, UUID] | None:
        structure = course_structure(course_key=course.translation_key)
        if structure is None:
            return None
        for module in structure.modules:
            if module.lessons:
                return module.key, module.lessons[0].key
        return None

    found = page_cache.cached(request, "first-lesson", course.translation_key, build=build)
    return found or None


def anonymous_reading_allowed(
    *,
    course: CoursePage,
    lesson: LessonPage | None = None,
    module: ModulePage | None = None,
    request=None,
) -> bool:
    """May someone who is not signed in read this course page, module page or lesson?

    Only in a public course, and only its start: the course page (with its outline), its first
    lesson (the first of the canonical structure, in whichever language it is read) and the
    module page that holds it. Every other lesson, every quiz and every course that is not
    public asks them to sign in. Pass ``module`` only when the module page itself is read.
    """
    if not course.is_public:
        return False
    if lesson is None and module is None:
        return True
    first = first_lesson_keys(course=course, request=request)
    if first is None:
        return False
    module_key, lesson_key = first
    if lesson is not None:
        return lesson.translation_key == lesson_key
    return module.translation_key == module_key


def course_access(
    *,
    user,
    course: CoursePage,
    lesson: LessonPage | None = None,
    module: ModulePage | None = None,
    request=None,
) -> CourseAccess:
    """May ``user`` read ``course`` (or one of its modules or lessons)? One query for a
    signed-in person; none for a visitor once the course's structure is cached.

    Yes if the course is public or they hold an enrolment in it (completed or not); a visitor who
    is not signed in reads only the start of a public course (``anonymous_reading_allowed``).
    Trainers and managers read courses through the admin's preview, which does not come through
    here. ``module`` is the module page being read, never a lesson's module.
    """
    if not user.is_authenticated:
        if anonymous_reading_allowed(course=course, lesson=lesson, module=module, request=request):
            return CourseAccess(True, _("The start of a public course is open to everyone."))
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
