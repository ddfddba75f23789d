"""Item analysis of a quiz as a file: CSV (UTF-8 with a byte order mark, so spreadsheet programs
read Kazakh letters) and XLSX (numbers as numbers, a frozen header row, filters on every column).

Headers are in the active language (the trainer's admin language). The files hold aggregates per
question only: no learner, no attempt, no personal data.
"""

import csv
import io
from collections.abc import Sequence

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Question

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _question_headers() -> list[str]:
    return [
        _("No."),
        _("Question"),
        _("Topic"),
        _("Kind"),
        _("Attempts"),
        _("Fully correct"),
        _("Facility index"),
        _("Discrimination index"),
        _("Most learners get it wrong"),
    ]


def _choice_headers() -> list[str]:
    return [
        _("No."),
        _("Question"),
        _("Choice"),
        _("Correct"),
        _("Times picked"),
        _("Share of attempts"),
    ]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


def question_text(row) -> str:
    """The question's rich text as one line of plain text."""
    return " ".join(strip_tags(row.text).split())


def _question_values(number: int, row) -> list:
    kinds = dict(Question.Kind.choices)
    return [
        number,
        question_text(row),
        row.topic,
        str(kinds.get(row.kind, row.kind)),
        row.attempts,
        row.correct,
        _round(row.facility),
        _round(row.discrimination),
        _yes_no(row.flagged),
    ]


def _choices_text(row) -> str:
    return "; ".join(
        "{mark}{text}: {count} ({share})".format(
            mark="✓ " if choice.is_correct else "",
            text=choice.text,
            count=choice.count,
            share="—" if choice.share is None else f"{choice.share:.0%}",
        )
        for choice in row.choices
    )


def item_analysis_csv(rows: Sequence, *, quiz_title: str = "") -> bytes:
    """One line per question, hardest first; the choices picked in the last column as text
    (✓ marks a correct choice)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*_question_headers(), _("Choices picked")])
    for number, row in enumerate(rows, start=1):
        values = ["" if value is None else value for value in _question_values(number, row)]
        writer.writerow([*values, _choices_text(row)])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet(workbook_sheet, headers: list[str], lines: list[list], widths: dict[int, int]):
    workbook_sheet.append(headers)
    for cell in workbook_sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in lines:
        workbook_sheet.append(line)
    workbook_sheet.freeze_panes = "A2"
    last = f"{get_column_letter(len(headers))}{max(len(lines) + 1, 1)}"
    workbook_sheet.auto_filter.ref = f"A1:{last}"
    for index in range(1, len(headers) + 1):
        workbook_sheet.column_dimensions[get_column_letter(index)].width = widths.get(index, 14)


def item_analysis_xlsx(rows: Sequence, *, quiz_title: str = "") -> bytes:
    """Sheet "Questions": one row per question; sheet "Choices": one row per choice."""
    workbook = Workbook()
    questions = workbook.active
    questions.title = _("Questions")[:31]
    _sheet(
        questions,
        _question_headers(),
        [_question_values(number, row) for number, row in enumerate(rows, start=1)],
        widths={1: 6, 2: 60, 3: 24, 4: 18},
    )
    for line in questions.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in line:
            cell.number_format = "0.000"
    for line in questions.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    choices = workbook.create_sheet(_("Choices")[:31])
    _sheet(
        choices,
        _choice_headers(),
        [
            [
                number,
                question_text(row),
                choice.text,
                _yes_no(choice.is_correct),
                choice.count,
                _round(choice.share, 4),
            ]
            for number, row in enumerate(rows, start=1)
            for choice in row.choices
        ],
        widths={1: 6, 2: 50, 3: 40},
    )
    for line in choices.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in line:
            cell.number_format = "0.0%"
    if quiz_title:
        workbook.properties.title = quiz_title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


#: file extension → (content type, writer)
FORMATS = {
    "csv": (CSV_CONTENT_TYPE, item_analysis_csv),
    "xlsx": (XLSX_CONTENT_TYPE, item_analysis_xlsx),
}
