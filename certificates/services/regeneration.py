"""Rendering again every live certificate of an election event: after a fix to the certificate
layout or fonts, after restoring files from a backup, or (``reprint``) to print the templates'
current wording and signatories on certificates already issued.

The number, code, holder, course, event and dates of a certificate never change here. The work is
cut into chunks of ``REGENERATION_CHUNK`` certificates, each one Celery task rendering one
WeasyPrint batch (decision 0008), so two workers share it and progress shows chunk by chunk.
Progress is counted from the certificates themselves (rendered since the request), so a chunk
delivered twice neither renders nor counts twice.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissions.models import ElectionEvent

from ..models import Certificate, CertificateRegeneration, CertificateTemplate
from .issuing import (
    certificate_appearance,
    certificate_printed,
    certificates_render,
    certificates_to_render,
)

log = logging.getLogger(__name__)

REGENERATION_CHUNK = 50


def regeneration_certificates(*, event_id: int) -> QuerySet[Certificate]:
    """The certificates an event's regeneration renders: live (neither replaced nor revoked)."""
    return Certificate.objects.live().filter(event_id=event_id, revoked_at__isnull=True)


@dataclass(frozen=True)
class RegenerationProgress:
    total: int
    done: int
    failing: int  # waiting, and their last render failed
    finished: bool

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


def regeneration_progress(regeneration: CertificateRegeneration) -> RegenerationProgress:
    """How far the regeneration is (two queries)."""
    pending = regeneration_certificates(event_id=regeneration.event_id).filter(
        Q(rendered_at__isnull=True) | Q(rendered_at__lt=regeneration.requested_at)
    )
    waiting = pending.count()
    failing = pending.exclude(render_error="").count() if waiting else 0
    return RegenerationProgress(
        total=regeneration.total,
        done=max(0, regeneration.total - waiting),
        failing=failing,
        finished=regeneration.finished_at is not None,
    )


def certificate_regeneration_start(
    *, event: ElectionEvent, requested_by, reprint: bool = False
) -> tuple[CertificateRegeneration, bool]:
    """Ask for the event's certificates to be rendered again; returns the request and whether
    this call started it. While one is running for the event, that one is returned instead of
    starting a second (a double submit starts one)."""
    with transaction.atomic():
        ElectionEvent.objects.select_for_update().get(pk=event.pk)
        running = CertificateRegeneration.objects.filter(
            event=event, finished_at__isnull=True
        ).first()
        if running is not None:
            return running, False
        regeneration = CertificateRegeneration.objects.create(
            event=event,
            requested_by=requested_by,
            reprint=reprint,
            total=regeneration_certificates(event_id=event.pk).count(),
        )
    transaction.on_commit(lambda: _enqueue_dispatch(regeneration.pk))
    return regeneration, True


def _enqueue_dispatch(regeneration_id: int) -> None:
    from ..tasks import dispatch_certificate_regeneration

    try:
        dispatch_certificate_regeneration.delay(regeneration_id)
    except Exception:
        log.exception("Could not queue the regeneration %s", regeneration_id)


def certificate_regeneration_dispatch(*, regeneration_id: int) -> int:
    """Cut the regeneration into chunks and queue one task per chunk; returns the number of
    chunks. Run again (a redelivered task), it queues the chunks not yet done."""
    from ..tasks import regenerate_certificates

    regeneration = CertificateRegeneration.objects.get(pk=regeneration_id)
    if regeneration.finished_at is not None:
        return 0
    ids = list(
        regeneration_certificates(event_id=regeneration.event_id)
        .filter(issued_at__lte=regeneration.requested_at)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chunks = [ids[i : i + REGENERATION_CHUNK] for i in range(0, len(ids), REGENERATION_CHUNK)]
    CertificateRegeneration.objects.filter(pk=regeneration_id).update(chunks=len(chunks))
    if not chunks:
        _finish(regeneration_id)
        return 0
    done = set(regeneration.chunks_done)
    for index, chunk in enumerate(chunks):
        if index not in done:
            regenerate_certificates.delay(regeneration_id, index, chunk)
    return len(chunks)


def certificate_regeneration_chunk(
    *, regeneration_id: int, index: int, certificate_ids: list[int]
) -> int:
    """Render one chunk again (reprinting the template's current texts first when asked);
    returns how many this call stored. Certificates rendered since the request are skipped."""
    regeneration = CertificateRegeneration.objects.get(pk=regeneration_id)
    if regeneration.reprint:
        _reprint(certificate_ids=certificate_ids, since=regeneration.requested_at)
    stored = certificates_render(
        certificate_ids=certificate_ids, rendered_before=regeneration.requested_at
    )
    regeneration_chunk_done(regeneration_id=regeneration_id, index=index)
    return stored


def regeneration_chunk_done(*, regeneration_id: int, index: int) -> None:
    """Record a chunk as worked through (rendered, or given up after its retries); the last one
    finishes the regeneration."""
    with transaction.atomic():
        regeneration = CertificateRegeneration.objects.select_for_update().get(pk=regeneration_id)
        if index not in regeneration.chunks_done:
            regeneration.chunks_done = sorted([*regeneration.chunks_done, index])
            regeneration.save(update_fields=["chunks_done"])
        if len(regeneration.chunks_done) >= regeneration.chunks:
            _finish(regeneration_id)


def _finish(regeneration_id: int) -> None:
    CertificateRegeneration.objects.filter(pk=regeneration_id, finished_at__isnull=True).update(
        finished_at=timezone.now()
    )


def _reprint(*, certificate_ids: list[int], since) -> None:
    """Print the current wording of each certificate's template on those of ``certificate_ids``
    not yet rendered since ``since``: a query for the certificates, one per template, one
    update."""
    certificates = list(
        certificates_to_render(certificate_ids=certificate_ids, rendered_before=since)
    )
    appearances: dict[int, dict] = {}
    templates = CertificateTemplate.objects.in_bulk({c.template_id for c in certificates})
    for certificate in certificates:
        template = templates[certificate.template_id]
        if template.pk not in appearances:
            appearances[template.pk] = certificate_appearance(template)
        certificate.snapshot = {
            **certificate.snapshot,
            "template_version": template.version,
            "printed": certificate_printed(
                template=template,
                snapshot=certificate.snapshot,
                language=certificate.language,
                number=certificate.number,
                appearance=appearances[template.pk],
            ),
        }
    Certificate.objects.bulk_update(certificates, ["snapshot"])
