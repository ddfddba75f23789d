"""A commission manager's ZIP of the certificates of their branch.

The manager asks (``certificate_archive_request``), a Celery task on the ``certificates`` queue
builds the ZIP (``certificate_archive_build``) into a temporary file, streaming each PDF from the
private storage, and stores it in the private storage for its requester alone; the hourly sweep
(``certificate_archives_expire``) deletes archives past their expiry and queues again those a
missing broker left waiting.

What goes in: the live certificates (neither replaced nor revoked) with a rendered PDF of the
people who hold a current seat in the branch, for one election event or all, each under the
code of the commission of that seat: ``<commission code>/<number> <holder name>.pdf``.
"""

import logging
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.utils import timezone

from commissions.models import Commission, ElectionEvent, Membership
from commissions.selectors import access_log, commission_access

from ..models import ARCHIVE_LIFETIME, Certificate, CertificateArchive

log = logging.getLogger(__name__)

# Rows fetched from the database at a time while the ZIP is written: the snapshots are never
# read, only the holder's name out of them.
ARCHIVE_FETCH = 500
# The archive's progress (``done``) is written after every this many certificates.
ARCHIVE_PROGRESS_EVERY = 100
# A request still queued after this long lost its message (the broker was down): the sweep
# queues it again.
ARCHIVE_QUEUED_GRACE = timedelta(minutes=10)
# Bytes copied at a time from a PDF into the ZIP.
COPY_BUFFER = 256 * 1024
# Characters of the holder's name kept in a file name: 100 Cyrillic letters are 200 bytes in
# UTF-8, within the 255 bytes most file systems allow with the number and ".pdf".
NAME_LIMIT = 100

_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_FORBIDDEN = set('<>:"/\\|?*')

BUSY = (CertificateArchive.State.QUEUED, CertificateArchive.State.BUILDING)


def _path_char(char: str) -> str:
    kind = unicodedata.category(char)[0]
    if kind == "Z":  # any space, e.g. a no-break space
        return " "
    if kind == "C" or char in _FORBIDDEN:  # control, invisible formatting, separators
        return "_"
    return char


def archive_path_part(text: str, *, limit: int = NAME_LIMIT) -> str:
    """``text`` as one part of a path that Windows, macOS and Linux all accept: letters of any
    script (Kazakh and Russian included) kept, separators, reserved and invisible characters
    replaced by ``_``, runs of spaces made one, no leading or trailing dots or spaces."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(_path_char(char) for char in text)
    text = " ".join(text.split()).strip(" .")[:limit].rstrip(" .")
    if not text:
        return "_"
    if _WINDOWS_DEVICES.match(text):
        return f"_{text}"
    return text


def archive_member_name(*, commission_code: str, number: str, holder_name: str) -> str:
    """Where a certificate goes in the ZIP: ``<commission code>/<number> <holder name>.pdf``."""
    folder = archive_path_part(commission_code, limit=64)
    name = archive_path_part(f"{number} {holder_name}".strip())
    return f"{folder}/{name}.pdf"


def branch_certificates(
    *, commission: Commission, event_id: int | None = None
) -> QuerySet[Certificate]:
    """The certificates a branch's archive holds, one query: live, not revoked, with a rendered
    PDF, of people holding a current seat in ``commission`` or below it (for ``event_id`` only
    when given). Each row carries ``seat_code``, the code of the commission of that seat (the
    first by path, should the person hold two)."""
    seat = (
        Membership.objects.active()
        .in_branch(commission)
        .filter(user_id=OuterRef("learner_id"))
        .order_by("commission__path")
        .values("commission__code")[:1]
    )
    certificates = (
        Certificate.objects.live()
        .filter(revoked_at__isnull=True, rendered_at__isnull=False)
        .exclude(pdf="")
        .annotate(seat_code=Subquery(seat))
        .filter(seat_code__isnull=False)
    )
    if event_id is not None:
        certificates = certificates.filter(event_id=event_id)
    return certificates


@dataclass(frozen=True)
class BranchEventCount:
    """How many certificates a branch holds for one election event (``event`` None: issued
    without an event)."""

    event: ElectionEvent | None
    count: int


def branch_certificate_counts(*, commission: Commission) -> list[BranchEventCount]:
    """The branch's certificates per election event, latest vote first (two queries)."""
    counts = dict(
        branch_certificates(commission=commission)
        .order_by()
        .values_list("event_id")
        .annotate(count=Count("pk"))
    )
    events = ElectionEvent.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    result = [BranchEventCount(event, counts[event.pk]) for event in events.order_by("-vote_date")]
    if None in counts:
        result.append(BranchEventCount(None, counts[None]))
    return result


def certificate_archive_enqueue(*, archive_id: int) -> bool:
    """Queue the building of an archive; a broker that cannot be reached is logged and the
    archive stays queued for ``certificate_archives_expire`` to queue again."""
    from ..tasks import build_certificate_archive

    try:
        build_certificate_archive.delay(archive_id)
    except Exception:
        # Eager tasks raise their own errors here too: a failed build is recorded on the archive.
        log.exception("Could not queue the building of certificate archive %s", archive_id)
        return False
    return True


def certificate_archive_request(
    *, user, commission: Commission, event: ElectionEvent | None = None
) -> CertificateArchive:
    """Ask for a ZIP of the branch's certificates (for ``event``, or all), built after the
    transaction commits. While the same person's archive of the same branch and event is queued
    or being built, that one is returned: a double click builds one ZIP. Raises
    ``PermissionDenied`` (and logs the refusal) for anyone who may not see the branch."""
    decision = commission_access(viewer=user, commission=commission)
    if not decision:
        access_log.warning(
            "refused user=%s what=certificate-archive:%s reason=%s",
            getattr(user, "pk", None),
            commission.code,
            decision.reason,
        )
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        # The requester's row is locked so that two requests at the same moment see each other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        busy = CertificateArchive.objects.filter(
            requested_by=user, commission=commission, event=event, state__in=BUSY
        ).first()
        if busy is not None:
            return busy
        archive = CertificateArchive.objects.create(
            requested_by=user,
            commission=commission,
            event=event,
            total=branch_certificates(
                commission=commission, event_id=event.pk if event else None
            ).count(),
        )
        transaction.on_commit(lambda: certificate_archive_enqueue(archive_id=archive.pk))
    return archive


def _write_zip(scratch, *, archive: CertificateArchive, certificates: QuerySet) -> tuple[int, list]:
    """Write the certificates' PDFs into the ZIP ``scratch``, one file at a time; returns how
    many went in and the numbers of those whose file was missing."""
    storage = Certificate._meta.get_field("pdf").storage
    rows = (
        certificates.annotate(holder_name=KT("snapshot__holder_name"))
        .order_by("seat_code", "number")
        .values_list("number", "pdf", "issued_at", "holder_name", "seat_code")
    )
    added, missing = 0, []
    # Stored, not deflated: a PDF is compressed already.
    with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_STORED) as bundle:
        for seen, (number, pdf, issued_at, holder_name, seat_code) in enumerate(
            rows.iterator(chunk_size=ARCHIVE_FETCH), start=1
        ):
            try:
                source = storage.open(pdf, "rb")
            except FileNotFoundError:
                missing.append(number)
            else:
                member = zipfile.ZipInfo(
                    archive_member_name(
                        commission_code=seat_code, number=number, holder_name=holder_name or ""
                    ),
                    date_time=timezone.localtime(issued_at).timetuple()[:6],
                )
                member.external_attr = 0o644 << 16
                with source, bundle.open(member, "w") as target:
                    shutil.copyfileobj(source, target, COPY_BUFFER)
                added += 1
            if seen % ARCHIVE_PROGRESS_EVERY == 0:
                CertificateArchive.objects.filter(pk=archive.pk).update(done=seen)
    return added, missing


def _missing_note(missing: list[str]) -> str:
    shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
    return f"{len(missing)} certificate PDF file(s) missing from storage, left out: {shown}"


def certificate_archive_build(*, archive_id: int) -> CertificateArchive:
    """Build the archive's ZIP and store it; returns the archive.

    Safe to run twice: a ready (or failed) archive is left alone, and one left "being built" by
    a worker that died is built again from the start. A PDF missing from storage is left out and
    named in ``error``; any other error marks the archive failed with its text and is raised.
    """
    with transaction.atomic():
        archive = (
            CertificateArchive.objects.select_for_update(of=("self",))
            .select_related("commission")
            .get(pk=archive_id)
        )
        if archive.state not in BUSY:
            return archive
        certificates = branch_certificates(commission=archive.commission, event_id=archive.event_id)
        archive.state = CertificateArchive.State.BUILDING
        archive.total = certificates.count()
        archive.done = 0
        archive.error = ""
        archive.save(update_fields=["state", "total", "done", "error"])
    try:
        with tempfile.TemporaryFile(prefix="certificate-archive-", suffix=".zip") as scratch:
            added, missing = _write_zip(scratch, archive=archive, certificates=certificates)
            size = scratch.seek(0, os.SEEK_END)
            return _store(archive=archive, scratch=scratch, added=added, missing=missing, size=size)
    except Exception as error:
        CertificateArchive.objects.filter(pk=archive_id).update(
            state=CertificateArchive.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise


def _store(*, archive: CertificateArchive, scratch, added: int, missing: list, size: int):
    """Save the finished ZIP and mark the archive ready, unless a duplicate run got there
    first (then this run's file is dropped)."""
    storage = archive.file.storage
    name = f"certificate-archives/{archive.pk}-{archive_path_part(archive.commission.code)}.zip"
    if storage.exists(name):  # left by a run that died before recording it
        storage.delete(name)
    stored = storage.save(name, File(scratch, name=name))
    with transaction.atomic():
        current = CertificateArchive.objects.select_for_update().filter(pk=archive.pk).first()
        if current is None or current.state != CertificateArchive.State.BUILDING:
            if current is None or current.file.name != stored:
                storage.delete(stored)
            return current or archive
        now = timezone.now()
        current.file.name = stored
        current.state = CertificateArchive.State.READY
        current.done = added
        current.size = size
        current.error = _missing_note(missing) if missing else ""
        current.finished_at = now
        # The download stays for the archive's whole lifetime, however long it was queued.
        current.expires_at = now + ARCHIVE_LIFETIME
        current.save(
            update_fields=["file", "state", "done", "size", "error", "finished_at", "expires_at"]
        )
    return current


def certificate_archives_expire(*, now=None) -> int:
    """Delete the archives (file and row) past their expiry; returns how many. Also queues
    again the archives still queued ``ARCHIVE_QUEUED_GRACE`` after their request (their message
    was lost to a broker that was down). Run by Celery beat."""
    now = now or timezone.now()
    storage = CertificateArchive._meta.get_field("file").storage
    expired = list(CertificateArchive.objects.filter(expires_at__lte=now).values_list("pk", "file"))
    for _, name in expired:
        if name:
            storage.delete(name)
    CertificateArchive.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
    waiting = CertificateArchive.objects.filter(
        state=CertificateArchive.State.QUEUED,
        requested_at__lt=now - ARCHIVE_QUEUED_GRACE,
        expires_at__gt=now,
    ).values_list("pk", flat=True)
    for archive_id in list(waiting):
        certificate_archive_enqueue(archive_id=archive_id)
    return len(expired)
