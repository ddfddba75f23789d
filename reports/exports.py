"""Writing a branch's readiness as CSV, XLSX and PDF, in the current language.

The writers take what the selectors read (``Readiness``, the levels below the branch, the
member rows as an iterator) and write to a file object, so the same code serves a download
built at once and a background export streamed to storage. Memory stays bounded whatever the
number of rows: the CSV is written row by row, and the XLSX with openpyxl's write-only
workbook, which keeps rows in a temporary file rather than in memory.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from commissions.models import Commission, Position

from .charts import bar_chart
from .selectors import (
    CIVIC_STATUSES,
    STATUSES,
    CivicMemberRow,
    CivicProgress,
    GroupReadiness,
    MemberRow,
    Readiness,
)

# Rows between two progress reports of a background export.
PROGRESS_EVERY = 5000

Progress = Callable[[int], None]


def member_headers() -> list[str]:
    return [
        _("Commission code"),
        _("Commission"),
        _("Level"),
        _("Position"),
        _("Full name"),
        _("Phone"),
        _("Email"),
        _("Progress, %"),
        *(str(label) for key, label in STATUSES if key != "assigned"),
    ]


def _member_values(row: MemberRow, *, deadline_passed: bool, labels: dict) -> list:
    """One member's cells: text, whole numbers, and the statuses as yes/no in the language."""
    return [
        row.commission_code,
        row.commission_name,
        labels["level"].get(row.level, row.level),
        labels["position"].get(row.position, row.position),
        row.full_name,
        row.phone,
        row.email,
        row.progress,
        labels["yes_no"][row.started],
        labels["yes_no"][row.completed],
        labels["yes_no"][row.passed],
        labels["yes_no"][row.certified],
        labels["yes_no"][deadline_passed and not row.completed],
    ]


def _labels() -> dict:
    """The words the member rows repeat, translated once per export rather than once a cell."""
    return {
        "yes_no": {True: _("yes"), False: _("no")},
        "level": {value: str(label) for value, label in Commission.Level.choices},
        "position": {value: str(label) for value, label in Position.choices},
    }


def _counting(rows: Iterable, progress: Progress | None) -> Iterator:
    written = 0
    for row in rows:
        yield row
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress:
        progress(written)


def write_csv(
    out: BinaryIO,
    *,
    readiness: Readiness,
    rows: Iterable[MemberRow],
    progress: Progress | None = None,
) -> int:
    """Every assigned member of the branch, one row each, as UTF-8 with a byte order mark (so
    spreadsheet programs read Cyrillic and Kazakh letters right); returns the rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(member_headers())
    labels = _labels()
    written = 0
    for row in _counting(rows, progress):
        writer.writerow(
            _member_values(row, deadline_passed=readiness.deadline_passed, labels=labels)
        )
        written += 1
    text.flush()
    text.detach()
    return written


def _count_headers() -> list[str]:
    return [str(label) for _key, label in STATUSES] + [
        f"{label}, %" for key, label in STATUSES if key != "assigned"
    ]


def _count_values(counts) -> list:
    values = [getattr(counts, key) for key, _label in STATUSES]
    # Shares as numbers (a whole per cent, as on the screen), so that they sort and sum.
    return values + [counts.percent(key) for key, _label in STATUSES if key != "assigned"]


def _sheet(workbook, title: str, header: list[str]):
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(header)
    return sheet


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_xlsx(
    out: BinaryIO,
    *,
    readiness: Readiness,
    levels: list[tuple[str, list[GroupReadiness]]],
    rows: Iterable[MemberRow],
    progress: Progress | None = None,
) -> int:
    """A workbook: the summary (the branch, its positions), one sheet per level below the
    branch, and every assigned member. Numbers are number cells and dates date cells, each
    sheet has a frozen header and filters. Returns the member rows written."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    group_header = [_("Code"), _("Name"), *_count_headers()]

    summary = _sheet(workbook, _("Summary"), [_("Group"), _("Name"), *_count_headers()])
    summary.append([_("Branch"), str(readiness.commission.name), *_count_values(readiness.total)])
    for position in readiness.positions:
        summary.append([_("Position"), str(position.label), *_count_values(position.counts)])
    summary.append([])
    summary.append([_("Election event"), readiness.event.name])
    summary.append([_("Vote date"), readiness.event.vote_date])
    summary.append([_("Training deadline"), readiness.event.training_deadline])
    summary.append([_("As of"), timezone.localtime().replace(tzinfo=None)])
    summary.auto_filter.ref = f"A1:{_column(len(group_header))}{2 + len(readiness.positions)}"

    for title, groups in levels:
        sheet = _sheet(workbook, title, group_header)
        for group in groups:
            sheet.append([group.key, str(group.label), *_count_values(group.counts)])
        sheet.auto_filter.ref = f"A1:{_column(len(group_header))}{len(groups) + 1}"

    headers = member_headers()
    members = _sheet(workbook, _("Members"), headers)
    labels = _labels()
    written = 0
    for row in _counting(rows, progress):
        members.append(
            _member_values(row, deadline_passed=readiness.deadline_passed, labels=labels)
        )
        written += 1
    members.auto_filter.ref = f"A1:{_column(len(headers))}{written + 1}"
    workbook.save(out)
    return written


# PDF ------------------------------------------------------------------------------------------

FONTS = Path(settings.BASE_DIR) / "certificates" / "fonts"


def _local_fonts_only(url: str, timeout=10, ssl_context=None):
    """WeasyPrint's fetcher for the summary: the shipped fonts, nothing else (no network)."""
    from weasyprint.urls import default_url_fetcher

    path = Path(url.removeprefix("file://")).resolve() if url.startswith("file://") else None
    if path is None or FONTS.resolve() not in path.parents:
        raise ValueError(f"Not fetched: {url}")
    return default_url_fetcher(url)


def render_pdf(*, readiness: Readiness, levels: list[tuple[str, list[GroupReadiness]]]) -> bytes:
    """The summary a commission's chair signs and files: the branch's numbers and chart, the
    commissions one level below, the positions, and lines for signatures. No member's name."""
    from weasyprint import HTML

    html = render_to_string(
        "reports/readiness.pdf.html",
        {
            "report": readiness,
            "levels": levels[:1],
            "fonts": FONTS.resolve().as_uri(),
            "generated_at": timezone.localtime(),
            "status_chart": bar_chart(
                id="chart-statuses",
                title=_("Readiness of the branch"),
                rows=[
                    (status.label, status.count, readiness.total.assigned)
                    for status in readiness.total.statuses[1:]
                ],
            ),
        },
    )
    return HTML(string=html, url_fetcher=_local_fonts_only).write_pdf()


def export_file_name(*, commission: Commission, event_vote_date: date, extension: str) -> str:
    return f"readiness-{commission.code}-{event_vote_date:%Y-%m-%d}.{extension}"


# Civic education of the young voters' clubs ---------------------------------------------------


def civic_member_headers(progress: CivicProgress) -> list[str]:
    headers = [
        _("Club code"),
        _("Club"),
        _("Full name"),
        _("Email"),
        _("Year of birth"),
        _("Minor"),
        _("Legal representative's consent"),
    ]
    for course in progress.courses:
        headers += [
            f"{course.title}: {_('Progress, %')}",
            f"{course.title}: {_('Completed')}",
            f"{course.title}: {_('Certified')}",
        ]
    return headers


def _civic_member_values(row: CivicMemberRow, *, yes_no: dict) -> list:
    """One member's cells; the consent is empty for an adult, who needs none."""
    values = [
        row.club_code,
        row.club_name,
        row.full_name,
        row.email,
        row.year_of_birth,
        yes_no[row.minor],
        "" if row.guardian_consent is None else yes_no[row.guardian_consent],
    ]
    for standing in row.courses:
        values += [standing.progress, yes_no[standing.completed], yes_no[standing.certified]]
    return values


def write_civic_csv(
    out: BinaryIO, *, progress: CivicProgress, rows: Iterable[CivicMemberRow]
) -> int:
    """Every club member of the branch, one row each, as UTF-8 with a byte order mark; returns
    the rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(civic_member_headers(progress))
    yes_no = {True: _("yes"), False: _("no")}
    written = 0
    for row in rows:
        writer.writerow(_civic_member_values(row, yes_no=yes_no))
        written += 1
    text.flush()
    text.detach()
    return written


def _civic_count_headers() -> list[str]:
    return [_("Club members")] + [str(label) for _key, label in CIVIC_STATUSES]


def write_civic_xlsx(
    out: BinaryIO, *, progress: CivicProgress, rows: Iterable[CivicMemberRow]
) -> int:
    """A workbook: each public course's counts for the branch, each club's, and every club
    member; frozen headers and filters. Returns the member rows written."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    header = [_("Course"), *_civic_count_headers()]
    summary = _sheet(workbook, _("Summary"), header)
    for counts in progress.total:
        summary.append([counts.course.title, counts.members, *(s.count for s in counts.statuses)])
    summary.auto_filter.ref = f"A1:{_column(len(header))}{len(progress.total) + 1}"
    summary.append([])
    summary.append([_("Branch"), str(progress.commission.name)])
    summary.append([_("As of"), timezone.localtime().replace(tzinfo=None)])

    club_header = [_("Club code"), _("Club"), *header]
    clubs = _sheet(workbook, _("Clubs"), club_header)
    club_rows = 0
    for club in progress.clubs:
        for counts in club.courses:
            clubs.append(
                [
                    club.club.code,
                    str(club.club.name),
                    counts.course.title,
                    counts.members,
                    *(s.count for s in counts.statuses),
                ]
            )
            club_rows += 1
    clubs.auto_filter.ref = f"A1:{_column(len(club_header))}{club_rows + 1}"

    headers = civic_member_headers(progress)
    members = _sheet(workbook, _("Members"), headers)
    yes_no = {True: _("yes"), False: _("no")}
    written = 0
    for row in rows:
        members.append(_civic_member_values(row, yes_no=yes_no))
        written += 1
    members.auto_filter.ref = f"A1:{_column(len(headers))}{written + 1}"
    workbook.save(out)
    return written


def civic_file_name(*, commission: Commission, on: date, extension: str) -> str:
    return f"civic-{commission.code}-{on:%Y-%m-%d}.{extension}"
