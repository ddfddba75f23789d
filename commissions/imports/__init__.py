"""Reading and checking a file of commission members before anything is written.

A file (CSV in UTF-8 or Windows-1251, or an XLSX workbook) holds one member a row: full name,
email and/or phone, commission code, position and language. Headers may be written in English,
Russian or Kazakh; positions and languages as codes or as their labels in any of the three
languages. ``member_file_check`` returns every problem with the row number the spreadsheet shows
(the header is row 1) and, when there is none, a plan of what applying the file would do. The
plan is computed with a handful of bulk queries whatever the number of rows.
"""

from .planning import (
    QUERY_CHUNK,
    MemberFileCheck,
    RowPlan,
    earlier_application,
    member_file_check,
)
from .reading import Problem
from .rows import MAX_ROWS, MemberRow, ParsedFile, parse_member_file
from .vocabulary import normalise_phone

__all__ = [
    "MAX_ROWS",
    "QUERY_CHUNK",
    "MemberFileCheck",
    "MemberRow",
    "ParsedFile",
    "Problem",
    "RowPlan",
    "earlier_application",
    "member_file_check",
    "normalise_phone",
    "parse_member_file",
]
