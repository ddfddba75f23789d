"""Background work of the certificates app: each task takes ids, calls one service and is safe
to run twice (acks_late: a worker killed mid-render hands the task to the next one)."""

from celery import shared_task

from .services import (
    certificate_archive_build,
    certificate_archives_expire,
    certificate_regeneration_chunk,
    certificate_regeneration_dispatch,
    certificate_render,
    certificates_render,
    certificates_render_pending,
    regeneration_chunk_done,
)

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


@shared_task(name="certificates.tasks.dispatch_certificate_regeneration")
def dispatch_certificate_regeneration(regeneration_id: int) -> int:
    """Cut an event's regeneration into chunks and queue them; returns how many chunks."""
    return certificate_regeneration_dispatch(regeneration_id=regeneration_id)


@shared_task(
    name="certificates.tasks.regenerate_certificates",
    bind=True,
    max_retries=RENDER_RETRIES,
    default_retry_delay=30,
)
def regenerate_certificates(self, regeneration_id: int, index: int, certificate_ids: list[int]):
    """Render one chunk of an event's regeneration again; returns how many this run stored. A
    chunk that still fails after its retries is recorded as worked through, its certificates
    keeping their error for an administrator to see and retry."""
    try:
        return certificate_regeneration_chunk(
            regeneration_id=regeneration_id, index=index, certificate_ids=certificate_ids
        )
    except Exception as error:
        if self.request.retries >= self.max_retries:
            regeneration_chunk_done(regeneration_id=regeneration_id, index=index)
            raise
        raise self.retry(exc=error) from error


@shared_task(name="certificates.tasks.build_certificate_archive")
def build_certificate_archive(archive_id: int) -> str:
    """Build a manager's ZIP of their branch's certificates; returns the archive's state. Not
    retried: a failure is shown on the archive, and the manager asks for a new one."""
    return certificate_archive_build(archive_id=archive_id).state


@shared_task(name="certificates.tasks.expire_certificate_archives")
def expire_certificate_archives() -> int:
    """Delete the certificate archives past their expiry and queue again those a missing broker
    left waiting; returns how many were deleted. Run by Celery beat."""
    return certificate_archives_expire()
