"""From bytes to rows of cell texts: CSV in UTF-8 (with or without BOM) or Windows-1251 with
``,`` or ``;``, or the one sheet of an XLSX workbook."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the spreadsheet row (None for the whole file) and column."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class FileProblem(Exception):
    """The file as a whole cannot be read as a member list."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.problem = Problem(row, column, message)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    if (
        data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE))
        or b"\x00" in data
    ):
        raise FileProblem(
            _(
                "This file is not text in UTF-8 or Windows-1251 (it may be UTF-16 or a binary "
                "file). Save it as “CSV UTF-8” or as an XLSX workbook."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            text = None
    if text is None or _CONTROL_CHARACTERS.search(text):
        raise FileProblem(
            _(
                "This file is not text in UTF-8 or Windows-1251. Save it as “CSV UTF-8” or as "
                "an XLSX workbook."
            )
        )
    return text


Record = tuple[int, list[str], list[int]]  # row number, cell texts, columns holding formulas


def _read_csv(data: bytes) -> Iterator[Record]:
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, record, []
    except csv.Error as error:
        raise FileProblem(
            _("The CSV file is malformed near row %(row)s: %(error)s")
            % {"row": reader.line_num, "error": error}
        ) from error


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone typed as a number
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Iterator[Record]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        raise FileProblem(
            _("This file could not be read as an XLSX workbook. Save it again as .xlsx or CSV.")
        ) from error
    try:
        sheets_with_data = [
            sheet
            for sheet in workbook.worksheets
            if any(cell is not None for row in sheet.iter_rows(values_only=True) for cell in row)
        ]
        if len(sheets_with_data) > 1:
            raise FileProblem(
                _(
                    "The workbook has members on several sheets (%(sheets)s): keep members on "
                    "one sheet."
                )
                % {"sheets": ", ".join(sheet.title for sheet in sheets_with_data)}
            )
        if not sheets_with_data:
            return
        for number, cells in enumerate(sheets_with_data[0].iter_rows(min_row=1), start=1):
            values, formulas = [], []
            for index, cell in enumerate(cells):
                if getattr(cell, "data_type", None) == "f":
                    formulas.append(index)
                    values.append("=")
                else:
                    values.append(_cell_text(cell.value))
            yield number, values, formulas
    finally:
        workbook.close()


def records(data: bytes, filename: str) -> Iterator[Record]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            _("This is an old Excel (.xls) file: save it as an .xlsx workbook or as CSV.")
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)
