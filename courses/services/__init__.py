"""The courses workflows: enrolment (enrolment.py) and progress and completion (progress.py)."""

from .enrolment import (
    assignment_enrol,
    assignment_enrol_after_commit,
    course_join,
    enrolment_sync_for_user,
    enrolments_sync,
)
from .progress import (
    CompletionRequirements,
    LessonCompletion,
    NotEnrolled,
    completion_requirements,
    course_completion_record,
    course_progress_refresh,
    course_requirements_met,
    enrollment_progress_update,
    lesson_complete,
    lesson_visit_record,
)

__all__ = [
    "CompletionRequirements",
    "LessonCompletion",
    "NotEnrolled",
    "assignment_enrol",
    "assignment_enrol_after_commit",
    "completion_requirements",
    "course_completion_record",
    "course_join",
    "course_progress_refresh",
    "course_requirements_met",
    "enrollment_progress_update",
    "enrolment_sync_for_user",
    "enrolments_sync",
    "lesson_complete",
    "lesson_visit_record",
]
