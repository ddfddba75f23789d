"""Background work of the certificates app: each task takes ids, calls one service and is safe
to run twice (acks_late: a worker killed mid-render hands the task to the next one)."""

from celery import shared_task

from .services import certificate_render, certificates_render, certificates_render_pending

RENDER_RETRIES = 5


@shared_task(
    name="certificates.tasks.render_certificate",
    bind=True,
    max_retries=RENDER_RETRIES,
    default_retry_delay=30,
)
def render_certificate(self, certificate_id: int) -> bool:
    """Render and store one certificate's PDF; returns whether this run stored it. A failure is
    recorded on the certificate (``render_error``) and retried."""
    try:
        return certificate_render(certificate_id=certificate_id)
    except Exception as error:
        raise self.retry(exc=error) from error


@shared_task(
    name="certificates.tasks.render_certificates",
    bind=True,
    max_retries=RENDER_RETRIES,
    default_retry_delay=30,
)
def render_certificates(self, certificate_ids: list[int]) -> int:
    """Render and store a batch of certificates (~50: one WeasyPrint document); returns how many
    this run stored. For bulk work such as an event's regeneration."""
    try:
        return certificates_render(certificate_ids=certificate_ids)
    except Exception as error:
        raise self.retry(exc=error) from error


@shared_task(name="certificates.tasks.render_pending_certificates")
def render_pending_certificates() -> int:
    """Queue the certificates still waiting for their PDF (the broker was down when they were
    issued, or their renders failed); returns how many. Run by Celery beat."""
    return certificates_render_pending()
