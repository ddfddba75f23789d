"""Background work of the reports app, on the ``reports`` queue: each task takes ids, calls one
service and is safe to run twice."""

from celery import shared_task

from .services import readiness_export_build, readiness_exports_expire


@shared_task(name="reports.tasks.build_readiness_export")
def build_readiness_export(export_id: int) -> str:
    """Build a large readiness export; returns its state. Not retried: a failure shows on the
    manager's exports page, and they ask again."""
    return readiness_export_build(export_id=export_id).state


@shared_task(name="reports.tasks.expire_readiness_exports")
def expire_readiness_exports() -> int:
    """Delete expired exports and queue again those a missing broker left waiting; returns how
    many were deleted. Run by Celery beat."""
    return readiness_exports_expire()
