"""Exporting a branch's readiness (at once for a small branch, in the background for a large
one) and its clubs' civic education; every export of members' personal data written to the
audit log.

Scope is checked here as well as in the views: ``commission_access`` refuses (and logs) anyone
who may not see the branch, whatever a form or URL says.
"""

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commissions.models import Commission, ElectionEvent
from commissions.selectors import access_log, commission_access

from . import exports
from .models import EXPORT_LIFETIME, ExportAuditEntry, ExportFormat, ReportExport
from .selectors import (
    branch_levels,
    branch_member_rows,
    branch_readiness,
    civic_member_rows,
    civic_members,
    civic_progress,
)

log = logging.getLogger(__name__)

# Branches with at most this many assigned members download at once (a district has a few
# thousand); larger ones (an oblast, the country) are built by a worker.
AT_ONCE_LIMIT = 5000
# A queued export whose message was lost (the broker was down) is queued again after this.
QUEUED_GRACE_MINUTES = 10

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
BUSY = (ReportExport.State.QUEUED, ReportExport.State.BUILDING)


def _check_scope(*, user, commission: Commission, what: str) -> None:
    decision = commission_access(viewer=user, commission=commission)
    if not decision:
        access_log.warning(
            "refused user=%s what=%s:%s reason=%s",
            getattr(user, "pk", None),
            what,
            commission.code,
            decision.reason,
        )
        raise PermissionDenied(decision.reason)


def civic_report_name() -> str:
    """What the audit log names an export of the clubs' civic education, which belongs to no
    election event: in Kazakh, as the log keeps the events' names."""
    with translation.override("kk"):
        return str(_("Civic education of young voters' clubs"))


def export_audit_record(
    *,
    user,
    commission: Commission,
    event: ElectionEvent | None,
    format: str,
    rows: int,
    background: bool = False,
) -> ExportAuditEntry:
    """Write down one export: who, which branch and event (none for the clubs' civic
    education, named instead), which format, how many rows."""
    return ExportAuditEntry.objects.create(
        user=user,
        user_name=user.get_full_name() or user.get_username(),
        commission=commission,
        commission_code=commission.code,
        event=event,
        event_name=event.name_kk if event is not None else civic_report_name(),
        format=format,
        rows=rows,
        background=background,
    )


@dataclass(frozen=True)
class ExportFile:
    name: str
    content_type: str
    content: bytes
    rows: int


def _write(out, *, commission, event, format: str, language: str, progress=None) -> int:
    """Write the export to ``out`` in ``language``; returns its rows (members, or the PDF's
    commissions and positions)."""
    with translation.override(language):
        readiness = branch_readiness(commission=commission, event=event)
        rows = branch_member_rows(commission=commission, event=event, language=language)
        if format == ExportFormat.CSV:
            return exports.write_csv(out, readiness=readiness, rows=rows, progress=progress)
        levels = branch_levels(commission=commission, event=event)
        if format == ExportFormat.XLSX:
            return exports.write_xlsx(
                out, readiness=readiness, levels=levels, rows=rows, progress=progress
            )
        out.write(exports.render_pdf(readiness=readiness, levels=levels))
        return len(readiness.children) + len(readiness.positions)


def readiness_export_now(
    *, user, commission: Commission, event: ElectionEvent, format: str, language: str
) -> ExportFile:
    """Build the export while the manager waits (a branch of at most ``AT_ONCE_LIMIT``
    members, or the PDF summary), and write it to the audit log."""
    _check_scope(user=user, commission=commission, what=f"export-{format}")
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        rows = _write(out, commission=commission, event=event, format=format, language=language)
        out.seek(0)
        content = out.read()
    export_audit_record(user=user, commission=commission, event=event, format=format, rows=rows)
    return ExportFile(
        name=exports.export_file_name(
            commission=commission, event_vote_date=event.vote_date, extension=format
        ),
        content_type=CONTENT_TYPES[format],
        content=content,
        rows=rows,
    )


CIVIC_FORMATS = (ExportFormat.CSV, ExportFormat.XLSX)


def civic_export_now(*, user, commission: Commission, format: str, language: str) -> ExportFile:
    """The club members' civic education in the branch as CSV or XLSX, in ``language``, built
    while the coordinator or manager waits (clubs are small), and written to the audit log."""
    if format not in CIVIC_FORMATS:
        raise ValueError(f"Not a format of the civic education list: {format!r}")
    _check_scope(user=user, commission=commission, what=f"civic-export-{format}")
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        with translation.override(language):
            progress = civic_progress(commission=commission)
            seats = civic_members(commission=commission, courses=progress.courses)
            rows = civic_member_rows(seats.iterator(chunk_size=2000), progress.courses)
            if format == ExportFormat.CSV:
                written = exports.write_civic_csv(out, progress=progress, rows=rows)
            else:
                written = exports.write_civic_xlsx(out, progress=progress, rows=rows)
        out.seek(0)
        content = out.read()
    export_audit_record(user=user, commission=commission, event=None, format=format, rows=written)
    return ExportFile(
        name=exports.civic_file_name(
            commission=commission, on=timezone.localdate(), extension=format
        ),
        content_type=CONTENT_TYPES[format],
        content=content,
        rows=written,
    )


def readiness_export_request(
    *,
    user,
    commission: Commission,
    event: ElectionEvent,
    format: str,
    language: str,
    total: int,
) -> tuple[ReportExport, bool]:
    """Ask for the export to be built in the background; returns it and whether this call asked
    for it. While the same person's export of the same branch, event and format is queued or
    being built, that one is returned: asking twice builds one file."""
    _check_scope(user=user, commission=commission, what=f"export-{format}")
    with transaction.atomic():
        # The requester's row is locked so that two requests at the same moment see each other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        busy = ReportExport.objects.filter(
            requested_by=user, commission=commission, event=event, format=format, state__in=BUSY
        ).first()
        if busy is not None:
            return busy, False
        export = ReportExport.objects.create(
            requested_by=user,
            commission=commission,
            event=event,
            format=format,
            language=language,
            total=total,
        )
        transaction.on_commit(lambda: readiness_export_enqueue(export_id=export.pk))
    return export, True


def readiness_export_enqueue(*, export_id: int) -> bool:
    """Queue the building of an export; a broker that cannot be reached is logged and the export
    stays queued for ``readiness_exports_expire`` to queue again."""
    from .tasks import build_readiness_export

    try:
        build_readiness_export.delay(export_id)
    except Exception:
        log.exception("Could not queue the building of readiness export %s", export_id)
        return False
    return True


def readiness_export_build(*, export_id: int) -> ReportExport:
    """Build a background export into a temporary file, then store it privately and write the
    audit entry; returns the export. Safe to run twice: a ready or failed export is left alone,
    one left "being built" by a worker that died is built again from the start."""
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(of=("self",))
            .select_related("commission", "event", "requested_by")
            .get(pk=export_id)
        )
        if export.state not in BUSY:
            return export
        export.state = ReportExport.State.BUILDING
        export.done = 0
        export.save(update_fields=["state", "done"])

    def progress(done: int) -> None:
        ReportExport.objects.filter(pk=export_id).update(done=done)

    try:
        with tempfile.TemporaryFile(prefix="readiness-") as scratch:
            rows = _write(
                scratch,
                commission=export.commission,
                event=export.event,
                format=export.format,
                language=export.language,
                progress=progress,
            )
            size = scratch.seek(0, os.SEEK_END)
            scratch.seek(0)
            return _store(export=export, scratch=scratch, rows=rows, size=size)
    except Exception as error:
        ReportExport.objects.filter(pk=export_id).update(
            state=ReportExport.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise


def _store(*, export: ReportExport, scratch, rows: int, size: int) -> ReportExport:
    storage = export.file.storage
    name = exports.export_file_name(
        commission=export.commission, event_vote_date=export.event.vote_date, extension=""
    )
    name = f"report-exports/{export.pk}-{name}{export.format}"
    if storage.exists(name):  # left by a run that died before recording it
        storage.delete(name)
    stored = storage.save(name, File(scratch, name=name))
    with transaction.atomic():
        current = ReportExport.objects.select_for_update().filter(pk=export.pk).first()
        if current is None or current.state != ReportExport.State.BUILDING:
            storage.delete(stored)
            return current or export
        now = timezone.now()
        current.file.name = stored
        current.state = ReportExport.State.READY
        current.total = current.done = rows
        current.size = size
        current.finished_at = now
        current.expires_at = now + EXPORT_LIFETIME
        current.save(
            update_fields=["file", "state", "total", "done", "size", "finished_at", "expires_at"]
        )
        export_audit_record(
            user=export.requested_by,
            commission=export.commission,
            event=export.event,
            format=export.format,
            rows=rows,
            background=True,
        )
    return current


def readiness_exports_expire(*, now=None) -> int:
    """Delete the background exports (file and row) past their expiry, and queue again those
    still queued ``QUEUED_GRACE_MINUTES`` after their request; returns how many were deleted.
    Run by Celery beat."""
    now = now or timezone.now()
    storage = ReportExport._meta.get_field("file").storage
    expired = list(ReportExport.objects.filter(expires_at__lte=now).values_list("pk", "file"))
    for _pk, name in expired:
        if name:
            storage.delete(name)
    ReportExport.objects.filter(pk__in=[pk for pk, _name in expired]).delete()
    stale = ReportExport.objects.filter(
        state=ReportExport.State.QUEUED,
        requested_at__lte=now - timedelta(minutes=QUEUED_GRACE_MINUTES),
    ).values_list("pk", flat=True)
    for export_id in stale:
        readiness_export_enqueue(export_id=export_id)
    return len(expired)
