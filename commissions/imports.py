"""Reading and checking a file of commission members before anything is written.

A file (CSV in UTF-8 or Windows-1251, or an XLSX workbook) holds one member a row: full name,
email and/or phone, commission code, position and language. Headers may be written in English,
Russian or Kazakh; positions and languages as codes or as their labels in any of the three
languages. ``member_file_check`` returns every problem with the row number the spreadsheet shows
(the header is row 1) and, when there is none, a plan of what applying the file would do. The
plan is computed with a handful of bulk queries whatever the number of rows.
"""

import codecs
import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Language

from .models import Commission, MemberImport, Membership, Position

MAX_ROWS = 50_000
QUERY_CHUNK = 500

FULL_NAME = "full_name"
EMAIL = "email"
PHONE = "phone"
COMMISSION_CODE = "commission_code"
POSITION = "position"
LANGUAGE = "language"

COLUMN_LABELS = {
    FULL_NAME: gettext_lazy("full name"),
    EMAIL: gettext_lazy("email"),
    PHONE: gettext_lazy("phone"),
    COMMISSION_CODE: gettext_lazy("commission code"),
    POSITION: gettext_lazy("position"),
    LANGUAGE: gettext_lazy("language"),
}
REQUIRED_COLUMNS = (FULL_NAME, COMMISSION_CODE, POSITION)


def _normalise(value: str) -> str:
    """Compare headers and labels the way a person reads them: case, dashes and spaces aside."""
    return " ".join(re.sub(r"[_\-.:/]+", " ", value).split()).casefold()


# Headers as people write them, in English, Russian and Kazakh.
HEADER_ALIASES = {
    FULL_NAME: (
        "full_name",
        "full name",
        "name",
        "фио",
        "ф.и.о.",
        "полное имя",
        "имя",
        "аты-жөні",
        "аты жөні",
        "толық аты-жөні",
        "тегі, аты, әкесінің аты",
    ),
    EMAIL: (
        "email",
        "e-mail",
        "email address",
        "электронная почта",
        "эл. почта",
        "почта",
        "электрондық пошта",
        "эл. пошта",
        "пошта",
    ),
    PHONE: (
        "phone",
        "phone number",
        "telephone",
        "mobile",
        "телефон",
        "номер телефона",
        "мобильный телефон",
        "телефон нөмірі",
        "ұялы телефон",
    ),
    COMMISSION_CODE: (
        "commission_code",
        "commission code",
        "commission",
        "код комиссии",
        "комиссия",
        "номер комиссии",
        "комиссия коды",
        "комиссияның коды",
        "комиссия нөмірі",
    ),
    POSITION: ("position", "role", "должность", "роль", "лауазымы", "лауазым", "қызметі"),
    LANGUAGE: (
        "language",
        "preferred language",
        "язык",
        "язык обучения",
        "тіл",
        "тілі",
        "оқыту тілі",
    ),
}
_HEADER_LOOKUP = {
    _normalise(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}

POSITION_ALIASES = {
    Position.CHAIR: (
        "chair",
        "chairman",
        "chairperson",
        "председатель",
        "председатель комиссии",
        "төраға",
        "комиссия төрағасы",
    ),
    Position.DEPUTY_CHAIR: (
        "deputy_chair",
        "deputy chair",
        "deputy chairman",
        "vice chair",
        "заместитель председателя",
        "зам. председателя",
        "төрағаның орынбасары",
        "төраға орынбасары",
    ),
    Position.SECRETARY: ("secretary", "секретарь", "секретарь комиссии", "хатшы"),
    Position.MEMBER: (
        "member",
        "commission member",
        "член",
        "член комиссии",
        "мүше",
        "комиссия мүшесі",
    ),
    Position.RESERVE: ("reserve", "reserve member", "резерв", "член резерва", "резервтегі мүше"),
}
LANGUAGE_ALIASES = {
    Language.KAZAKH: ("kk", "kaz", "kazakh", "қазақша", "қазақ", "қазақ тілі", "казахский"),
    Language.RUSSIAN: ("ru", "rus", "russian", "русский", "орысша", "орыс тілі"),
    Language.ENGLISH: ("en", "eng", "english", "английский", "ағылшынша", "ағылшын тілі"),
}


def _value_lookup(aliases: dict, choices) -> dict[str, str]:
    """Codes, the aliases above, and the choice labels in every site language."""
    lookup = {}
    for code, names in aliases.items():
        for name in (code, *names):
            lookup[_normalise(name)] = code
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            for code, label in choices:
                lookup.setdefault(_normalise(str(label)), code)
    return lookup


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: the spreadsheet row (None for the whole file) and column."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


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


@dataclass
class RowPlan:
    """What applying one row does."""

    row: MemberRow
    commission_id: int
    user_id: int | None = None  # None: a new account is created
    username: str = ""
    language_update: str | None = None
    name_update: str | None = None
    close_seat_ids: list[int] = field(default_factory=list)
    open_seat: bool = False

    @property
    def outcome(self) -> str:
        if self.user_id is None:
            return "created"
        if self.language_update or self.name_update or self.close_seat_ids or self.open_seat:
            return "changed"
        return "unchanged"


@dataclass
class MemberFileCheck:
    """The outcome of checking a file: its problems, or what applying it would do."""

    row_count: int
    problems: list[Problem]
    plans: list[RowPlan]

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "changed": 0, "unchanged": 0}
        for plan in self.plans:
            counts[plan.outcome] += 1
        return counts


class FileProblem(Exception):
    """The file as a whole cannot be read as a member list."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.problem = Problem(row, column, message)


# Reading ------------------------------------------------------------------------------------


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


def _records(data: bytes, filename: str) -> Iterator[Record]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            _("This is an old Excel (.xls) file: save it as an .xlsx workbook or as CSV.")
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _map_header(cells: list[str], parsed: ParsedFile, number: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _HEADER_LOOKUP.get(_normalise(cell))
        if column is None:
            continue
        if column in columns:
            parsed.problems.append(
                Problem(
                    number,
                    cell,
                    _("Two columns mean %(column)s: “%(first)s” and “%(second)s”.")
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


# Cleaning one row -----------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s\-()./]")


def normalise_phone(value: str) -> str | None:
    """+7XXXXXXXXXX from +7…, 8… or 7… (or the ten digits alone), with spaces, dashes or
    brackets; None for anything else."""
    digits = _PHONE_SEPARATORS.sub("", value)
    international = digits.startswith("+")
    if international:
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if len(digits) == 11 and (digits[0] == "7" or (digits[0] == "8" and not international)):
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "7" and not international:
        return "+7" + digits
    return None


def _norm_name(name: str) -> str:
    return " ".join(name.split()).casefold().replace("ё", "е")


class _RowCleaner:
    def __init__(self, parsed: ParsedFile, columns: dict[str, int]):
        self.parsed = parsed
        self.columns = columns
        self.positions = _value_lookup(POSITION_ALIASES, Position.choices)
        self.languages = _value_lookup(LANGUAGE_ALIASES, Language.choices)
        self.position_list = ", ".join(Position.values)

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
        position = self.positions.get(_normalise(raw_position))
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
            language = self.languages.get(_normalise(raw_language), "")
            if not language:
                self.problem(
                    number,
                    LANGUAGE,
                    _("“%(value)s” is not a language: use kk, ru or en.") % {"value": raw_language},
                )
        if len(self.parsed.problems) > before:
            return None
        return MemberRow(number, full_name, email, phone, code, position, language)


def _flag_repeats(parsed: ParsedFile, rows: list[MemberRow], attribute: str, label: str) -> None:
    seen: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if getattr(row, attribute):
            seen[getattr(row, attribute)].append(row.row)
    for value, numbers in seen.items():
        if len(numbers) < 2:
            continue
        for number in numbers:
            others = ", ".join(str(other) for other in numbers if other != number)
            parsed.problems.append(
                Problem(
                    number,
                    parsed.header(attribute),
                    _("The same %(what)s “%(value)s” is also on row %(rows)s.")
                    % {"what": label, "value": value, "rows": others},
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
        for number, cells, formulas in _records(data, filename):
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
    _flag_repeats(parsed, parsed.rows, "email", _("email address"))
    _flag_repeats(parsed, parsed.rows, "phone", _("phone number"))
    parsed.problems.sort(key=lambda problem: problem.row or 0)
    return parsed


# Checking against the database ----------------------------------------------------------------


def _chunks(values: Iterable, size: int = QUERY_CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Account:
    pk: int
    username: str
    email: str
    phone: str
    full_name: str
    preferred_language: str

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def _load_accounts(rows: list[MemberRow]) -> tuple[dict[str, _Account], dict[str, _Account]]:
    User = get_user_model()
    fields = ("pk", "username", "email", "phone", "full_name", "first_name", "last_name")
    fields += ("preferred_language",)

    def account(values: dict) -> _Account:
        full_name = values["full_name"] or " ".join(
            part for part in (values["first_name"], values["last_name"]) if part
        )
        return _Account(
            values["pk"],
            values["username"],
            values["email"],
            values["phone"],
            full_name,
            values["preferred_language"],
        )

    by_email: dict[str, _Account] = {}
    for chunk in _chunks({row.email for row in rows if row.email}):
        for values in (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values(*fields, "email_lower")
        ):
            by_email[values["email_lower"]] = account(values)
    by_phone: dict[str, _Account] = {}
    for chunk in _chunks({row.phone for row in rows if row.phone}):
        for values in User.objects.filter(phone__in=chunk).values(*fields):
            by_phone[values["phone"]] = account(values)
    return by_email, by_phone


def _plan_rows(parsed: ParsedFile) -> tuple[list[RowPlan], list[Problem]]:
    rows = parsed.rows
    problems: list[Problem] = []
    commission_ids: dict[str, int] = {}
    for chunk in _chunks({row.commission_code for row in rows}):
        commission_ids.update(
            Commission.objects.filter(code__in=chunk).values_list("code", "pk").order_by()
        )
    by_email, by_phone = _load_accounts(rows)

    plans: list[RowPlan] = []
    rows_of_account: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        commission_id = commission_ids.get(row.commission_code)
        if commission_id is None:
            problems.append(
                Problem(
                    row.row,
                    parsed.header(COMMISSION_CODE),
                    _("No commission has the code “%(code)s”.") % {"code": row.commission_code},
                )
            )
        email_account = by_email.get(row.email) if row.email else None
        phone_account = by_phone.get(row.phone) if row.phone else None
        row_problem = False
        if email_account and phone_account and email_account.pk != phone_account.pk:
            row_problem = True
            problems.append(
                Problem(
                    row.row,
                    parsed.header(PHONE),
                    _(
                        "The email address belongs to the account “%(email_user)s” and the "
                        "phone number to another account, “%(phone_user)s”: one row must "
                        "describe one person."
                    )
                    % {"email_user": email_account.username, "phone_user": phone_account.username},
                )
            )
        for column, account in ((EMAIL, email_account), (PHONE, phone_account)):
            if (
                account
                and account.full_name
                and _norm_name(account.full_name) != _norm_name(row.full_name)
            ):
                row_problem = True
                problems.append(
                    Problem(
                        row.row,
                        parsed.header(column),
                        _(
                            "This %(what)s belongs to the account “%(username)s” of "
                            "%(account_name)s, whose name differs from “%(row_name)s”. Correct "
                            "the name if it is the same person, or the %(what)s if it is not."
                        )
                        % {
                            "what": _("email address") if column == EMAIL else _("phone number"),
                            "username": account.username,
                            "account_name": account.full_name,
                            "row_name": row.full_name,
                        },
                    )
                )
        if row_problem or commission_id is None:
            continue
        account = email_account or phone_account
        plan = RowPlan(row=row, commission_id=commission_id)
        if account is None:
            plan.username = row.email or row.phone
            plan.open_seat = True
        else:
            plan.user_id = account.pk
            plan.username = account.username
            rows_of_account[account.pk].append(row.row)
            if row.language and row.language != account.preferred_language:
                plan.language_update = row.language
            if not account.full_name:
                plan.name_update = row.full_name
        plans.append(plan)

    for pk, numbers in rows_of_account.items():
        if len(numbers) < 2:
            continue
        username = next(plan.username for plan in plans if plan.user_id == pk)
        for number in numbers:
            problems.append(
                Problem(
                    number,
                    parsed.header(FULL_NAME),
                    _("Rows %(rows)s are all the account “%(username)s”: keep one row a person.")
                    % {"rows": ", ".join(map(str, numbers)), "username": username},
                )
            )

    new_usernames = {plan.username: plan for plan in plans if plan.user_id is None}
    User = get_user_model()
    for chunk in _chunks(new_usernames):
        for username in User.objects.filter(username__in=chunk).values_list("username", flat=True):
            plan = new_usernames[username]
            problems.append(
                Problem(
                    plan.row.row,
                    parsed.header(EMAIL if plan.row.email else PHONE),
                    _(
                        "The sign-in name “%(username)s” already belongs to another account "
                        "with a different email address and phone."
                    )
                    % {"username": username},
                )
            )

    _plan_seats(plans)
    return plans, problems


def _plan_seats(plans: list[RowPlan]) -> None:
    """A person sits on one commission at a time: the file's seat is kept or opened and every
    other open seat of theirs is closed."""
    existing = [plan for plan in plans if plan.user_id is not None]
    seats: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for chunk in _chunks({plan.user_id for plan in existing}):
        for pk, user_id, commission_id, position in (
            Membership.objects.filter(user_id__in=chunk, ended_on__isnull=True)
            .values_list("pk", "user_id", "commission_id", "position")
            .order_by()
        ):
            seats[user_id].append((pk, commission_id, position))
    for plan in existing:
        kept = False
        for pk, commission_id, position in seats.get(plan.user_id, ()):
            if commission_id == plan.commission_id and position == plan.row.position:
                kept = True
            else:
                plan.close_seat_ids.append(pk)
        plan.open_seat = not kept


def member_file_check(*, data: bytes, filename: str = "") -> MemberFileCheck:
    """Every problem of the file, or (when there is none) what applying it would do."""
    parsed = parse_member_file(data, filename)
    file_level = any(problem.row is None for problem in parsed.problems)
    if file_level or not parsed.rows:
        return MemberFileCheck(parsed.row_count, parsed.problems, [])
    plans, problems = _plan_rows(parsed)
    problems = sorted(parsed.problems + problems, key=lambda problem: problem.row or 0)
    return MemberFileCheck(parsed.row_count, problems, [] if problems else plans)


def earlier_application(member_import: MemberImport) -> MemberImport | None:
    """The last time the very same file (by SHA-256) was applied, if ever."""
    return (
        MemberImport.objects.filter(sha256=member_import.sha256, status=MemberImport.Status.APPLIED)
        .exclude(pk=member_import.pk)
        .order_by("-applied_at")
        .first()
    )
