"""Issuing, rendering and re-issuing certificates.

Certificates never import courses or quizzes: the course's app builds the ``snapshot`` of what to
print (holder name, course title, event name, completion date, hours) and calls
``certificate_issue``. The PDF is rendered by the Celery task ``render_certificate`` after the
issuing transaction commits; ``certificates_render_pending`` (beat) queues whatever a missing
broker left unrendered.
"""

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from commissions.models import ElectionEvent

from ..models import (
    LANGUAGES,
    Certificate,
    CertificateCounter,
    CertificateTemplate,
    certificate_number,
    fill_placeholders,
    issued_on,
)

log = logging.getLogger(__name__)

# The periodic sweep gives up on a certificate after this many failed renders: its error stays
# visible to administrators, who retry it by hand.
MAX_RENDER_ATTEMPTS = 20


def certificate_verify_url(*, code: str) -> str:
    """The absolute address printed on the certificate and in its QR code."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certificates:verify", kwargs={"code": code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _next_number(*, year: int) -> str:
    """The next number of the year. The counter row stays locked until the caller's transaction
    ends, so two issuers never take the same number (the UPDATE locks it on PostgreSQL; SQLite
    writes one transaction at a time)."""
    CertificateCounter.objects.get_or_create(year=year)
    CertificateCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = CertificateCounter.objects.select_for_update().get(year=year).last
    return certificate_number(year=year, sequence=last)


def certificate_appearance(template: CertificateTemplate) -> dict[str, Any]:
    """What a template prints alike on every certificate: colour, orientation, images and
    signatories (one query)."""
    return {
        "accent_colour": template.accent_colour,
        "orientation": template.orientation,
        "logo": template.logo.file.name if template.logo_id else "",
        "background": template.background.file.name if template.background_id else "",
        "signatories": [
            {
                "name": s.name,
                "post": s.post,
                "signature": s.signature.file.name if s.signature_id else "",
            }
            for s in template.signatories.select_related("signature").order_by("sort_order")
        ],
    }


def certificate_printed(
    *,
    template: CertificateTemplate,
    snapshot: Mapping[str, Any],
    language: str,
    number: str,
    appearance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The template's texts filled in for this learner, as they will be printed, with the
    template's ``appearance`` (read from the template when not given)."""
    values = {
        "name": snapshot.get("holder_name", ""),
        "course": snapshot.get("course_title", ""),
        "event": snapshot.get("event_name", ""),
        "date": snapshot.get("completed_on", ""),
        "hours": snapshot.get("hours", ""),
        "number": number,
    }
    title, body = template.text(language)
    return {
        "title": fill_placeholders(title, values),
        "body": fill_placeholders(body, values),
        **(appearance if appearance is not None else certificate_appearance(template)),
    }


def _existing(*, learner_id: int, course_key: UUID, event_id: int | None) -> Certificate | None:
    return (
        Certificate.objects.live()
        .filter(learner_id=learner_id, course_key=course_key, event_id=event_id)
        .order_by("-issued_at")
        .first()
    )


def certificate_issue(
    *,
    learner_id: int,
    course_key: UUID,
    event_id: int | None,
    template_id: int,
    snapshot: Mapping[str, Any],
    language: str,
) -> Certificate:
    """Issue the learner's certificate for a course (and event), once.

    A second call returns the certificate already issued; of two calls at the same moment the
    database's constraint lets one insert and the other returns the winner's row. The PDF is
    queued for rendering when the transaction commits.
    """
    existing = _existing(learner_id=learner_id, course_key=course_key, event_id=event_id)
    if existing is not None:
        return existing
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    template = CertificateTemplate.objects.get(pk=template_id)
    event = ElectionEvent.objects.get(pk=event_id) if event_id is not None else None
    now = timezone.now()
    try:
        with transaction.atomic():
            number = _next_number(year=issued_on(now).year)
            certificate = Certificate.objects.create(
                learner_id=learner_id,
                course_key=course_key,
                event=event,
                template=template,
                number=number,
                language=language,
                issued_at=now,
                expires_on=template.expires_on(
                    issued_on=issued_on(now), vote_date=event.vote_date if event else None
                ),
                snapshot={
                    **snapshot,
                    "template_id": template.pk,
                    "template_version": template.version,
                    "printed": certificate_printed(
                        template=template, snapshot=snapshot, language=language, number=number
                    ),
                },
            )
    except IntegrityError:
        existing = _existing(learner_id=learner_id, course_key=course_key, event_id=event_id)
        if existing is None:
            raise
        return existing
    transaction.on_commit(lambda: certificate_render_enqueue(certificate_ids=[certificate.pk]))
    return certificate


def certificate_render_enqueue(*, certificate_ids: Iterable[int]) -> int:
    """Queue the rendering of these certificates; returns how many were queued. A broker that
    cannot be reached is logged and left: ``certificates_render_pending`` tries again later."""
    from ..tasks import render_certificate

    queued = 0
    for certificate_id in certificate_ids:
        try:
            render_certificate.delay(certificate_id)
        except Exception:
            # Eager tasks raise their own errors here too; a render failure is already recorded
            # on the certificate, so the completion that issued it still stands.
            log.exception("Could not queue the rendering of certificate %s", certificate_id)
            continue
        queued += 1
    return queued


def certificates_render_pending(*, limit: int = 5000) -> int:
    """Queue every certificate still waiting for its PDF (the broker was down, or a render
    failed for good). Returns how many were queued."""
    ids = list(
        Certificate.objects.unrendered()
        .filter(render_attempts__lt=MAX_RENDER_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return certificate_render_enqueue(certificate_ids=ids)


def _media_url(name: str) -> str:
    if not name:
        return ""
    return (settings.MEDIA_ROOT / name).resolve().as_uri()


def certificate_print(certificate: Certificate):
    """What the renderer needs (a ``pdf.CertificatePrint``), taken from the snapshot only."""
    # WeasyPrint takes ~0.6 s to import: only the processes that render pay for it.
    from .. import pdf

    snapshot = certificate.snapshot
    printed = snapshot["printed"]
    return pdf.CertificatePrint(
        language=certificate.language,
        number=certificate.number,
        title=printed["title"],
        body=printed["body"],
        holder_name=snapshot.get("holder_name", ""),
        course_title=snapshot.get("course_title", ""),
        event_name=snapshot.get("event_name", ""),
        issued_on=issued_on(certificate.issued_at),
        expires_on=certificate.expires_on,
        verify_url=certificate_verify_url(code=certificate.code),
        accent_colour=printed["accent_colour"],
        orientation=printed["orientation"],
        logo_url=_media_url(printed["logo"]),
        background_url=_media_url(printed["background"]),
        signatories=tuple(
            pdf.Signatory(s["name"], s["post"], _media_url(s["signature"]))
            for s in printed["signatories"]
        ),
    )


def _file_name(certificate: Certificate) -> str:
    return f"certificates/{certificate.issued_at:%Y}/{certificate.number}.pdf"


def _store(*, certificate_id: int, content: bytes, rendered_before: datetime | None) -> bool:
    """Lock the row and store its PDF, unless a run before this one did (since
    ``rendered_before``, when given); returns whether this call stored it. The file's name is
    fixed by the number, so a retry after a crash replaces a half-written file instead of adding
    a second one."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    if certificate.is_rendered and (
        rendered_before is None or certificate.rendered_at >= rendered_before
    ):
        return False
    name = _file_name(certificate)
    storage = certificate.pdf.storage
    if storage.exists(name):
        storage.delete(name)
    stored = storage.save(name, ContentFile(content))
    certificate.pdf.name = stored
    certificate.sha256 = hashlib.sha256(content).hexdigest()
    certificate.rendered_at = timezone.now()
    certificate.render_error = ""
    certificate.save(update_fields=["pdf", "sha256", "rendered_at", "render_error"])
    return True


def certificate_render(*, certificate_id: int) -> bool:
    """Render and store one certificate's PDF; returns whether this call stored it.

    Safe to run twice: the PDF is rendered outside the transaction, then the row is locked and a
    certificate that already has its file is left alone.
    """
    return certificates_render(certificate_ids=[certificate_id]) == 1


def certificates_to_render(
    *, certificate_ids: Sequence[int], rendered_before: datetime | None = None
) -> QuerySet[Certificate]:
    """Those of ``certificate_ids`` without a PDF, or, given ``rendered_before``, live ones whose
    PDF is older than that moment."""
    certificates = Certificate.objects.filter(pk__in=certificate_ids)
    if rendered_before is None:
        return certificates.filter(rendered_at__isnull=True)
    return certificates.live().filter(
        Q(rendered_at__isnull=True) | Q(rendered_at__lt=rendered_before), revoked_at__isnull=True
    )


def certificates_render(
    *, certificate_ids: Sequence[int], rendered_before: datetime | None = None
) -> int:
    """Render the certificates among ``certificate_ids`` still without a PDF (or, given
    ``rendered_before``, rendered before that moment) as one batch (one WeasyPrint document,
    each page written to its own file: decision 0008) and store each file; returns how many this
    call stored. Safe to run twice, like ``certificate_render``; a failed render is recorded on
    every certificate of the batch and raised."""
    certificates = list(
        certificates_to_render(
            certificate_ids=certificate_ids, rendered_before=rendered_before
        ).order_by("pk")
    )
    if not certificates:
        return 0
    ids = [certificate.pk for certificate in certificates]
    Certificate.objects.filter(pk__in=ids).update(render_attempts=F("render_attempts") + 1)
    from .. import pdf

    try:
        items = [certificate_print(c) for c in certificates]
        if len(items) == 1:
            contents = [pdf.render_certificate(items[0])]
        else:
            contents = pdf.render_certificates(items)
    except Exception as error:
        Certificate.objects.filter(pk__in=ids).update(
            render_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    with transaction.atomic():
        return sum(
            _store(certificate_id=pk, content=content, rendered_before=rendered_before)
            for pk, content in zip(ids, contents, strict=True)
        )


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, reason: str, holder_name: str | None = None
) -> Certificate:
    """Replace a certificate with a new one (a new number and code, the same snapshot, with the
    holder's name corrected when ``holder_name`` is given) printed from the template as it is
    now: the old one is revoked with ``reason`` and points to the new. A certificate already
    replaced is not replaced twice."""
    if not reason.strip():
        raise ValueError("A re-issue needs a reason.")
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.replaced_by_id is not None:
        raise ValueError("This certificate has already been replaced.")
    snapshot = dict(old.snapshot)
    if holder_name is not None and holder_name.strip():
        snapshot["holder_name"] = holder_name.strip()
    now = timezone.now()
    if old.revoked_at is None:
        old.revoked_at = now
        old.revoked_reason = reason
        old.save(update_fields=["revoked_at", "revoked_reason"])
    number = _next_number(year=issued_on(now).year)
    printed = certificate_printed(
        template=old.template, snapshot=snapshot, language=old.language, number=number
    )
    new = Certificate.objects.create(
        learner_id=old.learner_id,
        course_key=old.course_key,
        event_id=old.event_id,
        template=old.template,
        number=number,
        language=old.language,
        issued_at=now,
        expires_on=old.expires_on,
        snapshot={
            **snapshot,
            "template_version": old.template.version,
            "printed": printed,
        },
    )
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    transaction.on_commit(lambda: certificate_render_enqueue(certificate_ids=[new.pk]))
    return new


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate; the verify page shows the date and the reason."""
    if not reason.strip():
        raise ValueError("A revocation needs a reason.")
    Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    certificate.refresh_from_db()
    return certificate


def certificates_holder_name_remove(*, learner_id: int) -> int:
    """Take the holder's name out of every certificate of a learner who deleted their account:
    the snapshot and the printed texts lose it, the stored PDFs are deleted once the caller's
    transaction commits, and the certificates stay as they were otherwise (numbers, dates,
    status), so the verify page still answers for them, without a name. Returns how many
    certificates held a name or a file."""
    certificates = list(Certificate.objects.select_for_update().filter(learner_id=learner_id))
    files: list[str] = []
    changed = []
    for certificate in certificates:
        snapshot = dict(certificate.snapshot)
        name = snapshot.get("holder_name", "")
        if not name and not certificate.pdf and snapshot.get("holder_removed"):
            continue
        printed = dict(snapshot.get("printed") or {})
        if name:
            for field in ("title", "body"):
                if field in printed:
                    printed[field] = re.sub(r"[ \t]{2,}", " ", printed[field].replace(name, ""))
        snapshot.update(holder_name="", holder_removed=True, printed=printed)
        certificate.snapshot = snapshot
        if certificate.pdf:
            files.append(certificate.pdf.name)
        # The rendering time stays, so the pending sweep does not print the certificate again.
        certificate.pdf = ""
        certificate.sha256 = ""
        changed.append(certificate)
    Certificate.objects.bulk_update(changed, ["snapshot", "pdf", "sha256"])
    if files:
        storage = Certificate._meta.get_field("pdf").storage

        def delete_files():
            for name in files:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return len(changed)
