"""Background work of the quizzes app: each task takes ids (or nothing), calls one service and is
safe to run twice."""

from celery import shared_task

from .services import attempts_close_expired


@shared_task(name="quizzes.tasks.close_expired_attempts")
def close_expired_attempts(limit: int | None = 5000) -> int:
    """Close and grade the open attempts whose time ran out (with what was saved); returns how
    many were closed. Learners who come back see theirs closed anyway (lazily, on any quiz page);
    this sweep makes the results and item statistics complete without them. Run it every few
    minutes (Celery beat or cron: ``manage.py close_expired_attempts``)."""
    return attempts_close_expired(limit=limit)
