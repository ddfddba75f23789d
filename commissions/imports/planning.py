"""Checking members against the database in a handful of bulk queries, and planning what
applying the file does to each person: a new account, a changed seat or language, or nothing."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..models import Commission, MemberImport, Membership
from .reading import Problem
from .rows import MemberRow, ParsedFile, parse_member_file
from .vocabulary import COMMISSION_CODE, EMAIL, FULL_NAME, PHONE, norm_name

QUERY_CHUNK = 500


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
                and norm_name(account.full_name) != norm_name(row.full_name)
            ):
                row_problem = True
                message = (
                    _(
                        "This email address belongs to the account “%(username)s” of "
                        "%(account_name)s, whose name differs from “%(row_name)s”. Correct the "
                        "name if it is the same person, or the email address if it is not."
                    )
                    if column == EMAIL
                    else _(
                        "This phone number belongs to the account “%(username)s” of "
                        "%(account_name)s, whose name differs from “%(row_name)s”. Correct the "
                        "name if it is the same person, or the phone number if it is not."
                    )
                )
                problems.append(
                    Problem(
                        row.row,
                        parsed.header(column),
                        message
                        % {
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
