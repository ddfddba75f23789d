"""Background work of the courses app: each task takes ids, calls one service, and is safe to run
twice (enrolments and completions are held unique by the database)."""

from uuid import UUID

from celery import shared_task

from .models import Assignment
from .services import assignment_enrol, course_progress_refresh, enrolments_sync


@shared_task(name="courses.tasks.enrol_assignment")
def enrol_assignment(assignment_id: int) -> int:
    """Enrol the people an assignment names; returns how many were enrolled now."""
    assignment = (
        Assignment.objects.select_related("event", "course").filter(pk=assignment_id).first()
    )
    if assignment is None:
        return 0
    return assignment_enrol(assignment=assignment)


@shared_task(name="courses.tasks.sync_enrolments")
def sync_enrolments(user_ids: list[int]) -> int:
    """Enrol people whose seats changed in the courses assigned to their new seats."""
    return enrolments_sync(user_ids=user_ids)


@shared_task(name="courses.tasks.refresh_course_progress")
def refresh_course_progress(course_key: str) -> int:
    """Bring learners' stored progress up to date after a course's lessons changed."""
    return course_progress_refresh(course_key=UUID(course_key))
