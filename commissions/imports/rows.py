"""From rows of cells to members: the header mapped to columns, each row cleaned and checked on
its own and against the other rows of the file (no database)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Language

from ..models import Position
from .reading import FileProblem, Problem, records
from .vocabulary import (
    COLUMN_LABELS,
    COMMISSION_CODE,
    EMAIL,
    FULL_NAME,
    HEADER_LOOKUP,
    LANGUAGE,
    LANGUAGE_ALIASES,
    PHONE,
    POSITION,
    POSITION_ALIASES,
    REQUIRED_COLUMNS,
    normalise,
    normalise_phone,
    value_lookup,
)

MAX_ROWS = 50_000


@dataclass
class MemberRow:
    """One member as the file gives them, cleaned: email lower-cased, phone as +7XXXXXXXXXX."""

    row: int
    full_name: str
    email: str
    phone: str
    commission_code: str
    position: str
    language: str  # "" when the row leaves it blank


@dataclass
class ParsedFile:
    rows: list[MemberRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column → header as written
    row_count: int = 0

    def header(self, column: str) -> str:
        return self.headers.get(column) or str(COLUMN_LABELS[column])


def _map_header(cells: list[str], parsed: ParsedFile, number: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = HEADER_LOOKUP.get(normalise(cell))
        if column is None:
            continue
        if column in columns:
            parsed.problems.append(
                Problem(
                    number,
                    cell,
                    _(
                        "The columns “%(first)s” and “%(second)s” mean the same "
                        "(%(column)s): keep one of them and delete the other."
                    )
                    % {
                        "column": COLUMN_LABELS[column],
                        "first": cells[columns[column]],
                        "second": cell,
                    },
                )
            )
            continue
        columns[column] = index
        parsed.headers[column] = cell.strip()
    missing = [str(COLUMN_LABELS[column]) for column in REQUIRED_COLUMNS if column not in columns]
    if EMAIL not in columns and PHONE not in columns:
        missing.append(_("email or phone"))
    if missing:
        raise FileProblem(
            _(
                "The file lacks required columns: %(columns)s. The first row must name the "
                "columns, e.g. full_name, email, phone, commission_code, position, language."
            )
            % {"columns": ", ".join(missing)},
            row=number,
        )
    return columns


def _position_names() -> str:
    """Each position as people may write it, in Kazakh, Russian and English: "Хатшы /
    Секретарь / Secretary; …" (the English name is also the code, case and "_" aside)."""
    names: dict[str, list[str]] = {code: [] for code in Position.values}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for code, label in Position.choices:
                if str(label) not in names[code]:
                    names[code].append(str(label))
    return "; ".join(" / ".join(labels) for labels in names.values())


class _RowCleaner:
    def __init__(self, parsed: ParsedFile, columns: dict[str, int]):
        self.parsed = parsed
        self.columns = columns
        self.positions = value_lookup(POSITION_ALIASES, Position.choices)
        self.languages = value_lookup(LANGUAGE_ALIASES, Language.choices)
        self.position_list = _position_names()

    def problem(self, number: int, column: str, message: str) -> None:
        self.parsed.problems.append(Problem(number, self.parsed.header(column), message))

    def clean(self, number: int, cells: list[str]) -> MemberRow | None:
        def value(column: str) -> str:
            index = self.columns.get(column)
            if index is None or index >= len(cells):
                return ""
            return " ".join(cells[index].split())

        before = len(self.parsed.problems)
        full_name, email, raw_phone = value(FULL_NAME), value(EMAIL), value(PHONE)
        code, raw_position, raw_language = (
            value(COMMISSION_CODE),
            value(POSITION),
            value(LANGUAGE),
        )
        if not full_name:
            self.problem(number, FULL_NAME, _("The full name is empty."))
        elif len(full_name) > 200:
            self.problem(number, FULL_NAME, _("The full name is longer than 200 characters."))
        if not email and not raw_phone:
            self.problem(
                number,
                EMAIL if EMAIL in self.columns else PHONE,
                _("Give an email address or a phone number: the row has neither."),
            )
        email = email.lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.problem(
                    number, EMAIL, _("“%(value)s” is not an email address.") % {"value": email}
                )
            else:
                if len(email) > 150:
                    self.problem(
                        number, EMAIL, _("The email address is longer than 150 characters.")
                    )
        phone = ""
        if raw_phone:
            phone = normalise_phone(raw_phone) or ""
            if not phone:
                self.problem(
                    number,
                    PHONE,
                    _(
                        "“%(value)s” is not a Kazakhstan phone number: write it as "
                        "+7 701 123 45 67 or 8 701 123 45 67."
                    )
                    % {"value": raw_phone},
                )
        if not code:
            self.problem(number, COMMISSION_CODE, _("The commission code is empty."))
        position = self.positions.get(normalise(raw_position))
        if not raw_position:
            self.problem(
                number,
                POSITION,
                _("The position is empty: use one of %(positions)s.")
                % {"positions": self.position_list},
            )
        elif position is None:
            self.problem(
                number,
                POSITION,
                _("“%(value)s” is not a position: use one of %(positions)s.")
                % {"value": raw_position, "positions": self.position_list},
            )
        language = ""
        if raw_language:
            language = self.languages.get(normalise(raw_language), "")
            if not language:
                self.problem(
                    number,
                    LANGUAGE,
                    _("“%(value)s” is not a language: use kk, ru or en.") % {"value": raw_language},
                )
        if len(self.parsed.problems) > before:
            return None
        return MemberRow(number, full_name, email, phone, code, position, language)


def _repeat_message(attribute: str, count: int) -> str:
    if attribute == EMAIL:
        return ngettext(
            "The same email address “%(value)s” is also on row %(rows)s.",
            "The same email address “%(value)s” is also on rows %(rows)s.",
            count,
        )
    return ngettext(
        "The same phone number “%(value)s” is also on row %(rows)s.",
        "The same phone number “%(value)s” is also on rows %(rows)s.",
        count,
    )


def _flag_repeats(parsed: ParsedFile, rows: list[MemberRow], attribute: str) -> None:
    seen: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if getattr(row, attribute):
            seen[getattr(row, attribute)].append(row.row)
    for value, numbers in seen.items():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = [str(other) for other in numbers if other != number]
            parsed.problems.append(
                Problem(
                    number,
                    parsed.header(attribute),
                    _repeat_message(attribute, len(others))
                    % {"value": value, "rows": ", ".join(others)},
                )
            )


def _formula_message() -> str:
    return _("This cell holds a formula: paste values, not formulas (Paste Special → Values).")


def _header_at(parsed: ParsedFile, columns: dict[str, int], index: int) -> str:
    from openpyxl.utils import get_column_letter

    for column, position in columns.items():
        if position == index:
            return parsed.header(column)
    return get_column_letter(index + 1)


def parse_member_file(data: bytes, filename: str = "") -> ParsedFile:
    """Read the file and check each row on its own and against the others (no database)."""
    parsed = ParsedFile()
    columns: dict[str, int] | None = None
    cleaner = None
    row_count = 0
    try:
        for number, cells, formulas in records(data, filename):
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                if formulas:
                    raise FileProblem(_formula_message(), row=number)
                columns = _map_header(cells, parsed, number)
                cleaner = _RowCleaner(parsed, columns)
                continue
            row_count += 1
            if row_count > MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(limit)s rows: split it into smaller files.")
                    % {"limit": MAX_ROWS}
                )
            if formulas:
                for index in formulas:
                    parsed.problems.append(
                        Problem(number, _header_at(parsed, columns, index), _formula_message())
                    )
                continue
            row = cleaner.clean(number, cells)
            if row is not None:
                parsed.rows.append(row)
    except FileProblem as problem:
        parsed.rows = []
        parsed.problems = [problem.problem]
        parsed.row_count = row_count
        return parsed
    parsed.row_count = row_count
    if columns is None:
        parsed.problems.append(Problem(None, "", _("The file is empty.")))
    elif row_count == 0:
        parsed.problems.append(
            Problem(None, "", _("The file has a header row but no members below it."))
        )
    _flag_repeats(parsed, parsed.rows, EMAIL)
    _flag_repeats(parsed, parsed.rows, PHONE)
    parsed.problems.sort(key=lambda problem: problem.row or 0)
    return parsed
