"""Checking and applying files of commission members."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

import pytest
from openpyxl import Workbook

from accounts.models import User
from commissions.imports import earlier_application, member_file_check, normalise_phone
from commissions.models import MemberImport, Membership
from commissions.services import member_import_apply, member_import_check, member_import_queue
from commissions.tasks import apply_member_import
from tests.factories import MembershipFactory, UserFactory

HEADER = ["full_name", "email", "phone", "commission_code", "position", "language"]


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Uploaded files go to a temporary folder, never the developer's var/private."""
    field = MemberImport._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER, extra_sheet=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if extra_sheet is not None:
        other = workbook.create_sheet("More")
        for row in extra_sheet:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(data: bytes, filename: str = "members.csv"):
    """The check as an administrator working in English reads it (messages follow the active
    language, which is Kazakh by default)."""
    with translation.override("en"):
        return member_file_check(data=data, filename=filename)


def upload(data: bytes, name: str = "members.csv", by=None) -> MemberImport:
    return member_import_check(uploaded_file=ContentFile(data, name=name), uploaded_by=by)


def apply_file(data: bytes, name: str = "members.csv") -> MemberImport:
    member_import = upload(data, name)
    assert member_import.problems == []
    return member_import_apply(member_import=member_import)


def messages_at(result, row):
    return [p.message for p in result.problems if p.row == row]


def only_problem(result):
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


# Reading files ------------------------------------------------------------------------------


def test_csv_in_utf8_creates_accounts_and_seats_with_kazakh_letters_intact(tree):
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["Әлия Ғалымқызы Құрманова", "aliya@example.kz", "", code, "chair", "kk"],
            ["Нұрлан Өмірұлы Үсенов", "", "8 701 123-45-67", code, "secretary", ""],
            ["Һәкім Іңкәрұлы", "Hakim@Example.kz", "+7 (702) 765 43 21", code, "member", "ru"],
        ]
    )

    member_import = apply_file(data)

    assert member_import.status == MemberImport.Status.APPLIED
    assert member_import.summary == {"created": 3, "changed": 0, "unchanged": 0}
    aliya = User.objects.get(email="aliya@example.kz")
    assert aliya.full_name == "Әлия Ғалымқызы Құрманова"
    assert aliya.username == "aliya@example.kz"
    assert not aliya.has_usable_password()
    nurlan = User.objects.get(phone="+77011234567")
    assert nurlan.username == "+77011234567"
    assert nurlan.full_name == "Нұрлан Өмірұлы Үсенов"
    assert nurlan.preferred_language == "kk"
    hakim = User.objects.get(email="hakim@example.kz")
    assert (hakim.full_name, hakim.phone, hakim.preferred_language) == (
        "Һәкім Іңкәрұлы",
        "+77027654321",
        "ru",
    )
    seats = Membership.objects.active().filter(commission=tree["precinct11"])
    assert set(seats.values_list("user__full_name", "position")) == {
        ("Әлия Ғалымқызы Құрманова", "chair"),
        ("Нұрлан Өмірұлы Үсенов", "secretary"),
        ("Һәкім Іңкәрұлы", "member"),
    }


def test_csv_with_bom_and_kazakh_headers_is_read(tree):
    header = ["Аты-жөні", "Электрондық пошта", "Телефон нөмірі", "Комиссия коды", "Лауазымы", "Тіл"]
    data = "\ufeff".encode() + csv_bytes(
        [["Сәуле Қасымова", "saule@example.kz", "", tree["precinct12"].code, "төраға", "қазақша"]],
        header=header,
    )

    result = check(data)

    assert result.problems == []
    assert result.plans[0].row.full_name == "Сәуле Қасымова"
    assert result.plans[0].row.position == "chair"
    assert result.plans[0].row.language == "kk"


def test_csv_in_windows_1251_with_semicolons_and_russian_headers(tree):
    header = ["ФИО", "Электронная почта", "Телефон", "Код комиссии", "Должность", "Язык"]
    code = tree["precinct21"].code
    data = csv_bytes(
        [
            ["Иванов Иван Иванович", "ivanov@example.kz", "", code, "Председатель", "русский"],
            ["Петрова Анна Сергеевна", "", "87051112233", code, "Секретарь", "ru"],
        ],
        header=header,
        delimiter=";",
        encoding="cp1251",
    )

    member_import = apply_file(data)

    assert member_import.summary["created"] == 2
    ivanov = User.objects.get(email="ivanov@example.kz")
    assert ivanov.full_name == "Иванов Иван Иванович"
    assert ivanov.preferred_language == "ru"
    assert ivanov.memberships.get().position == "chair"
    assert User.objects.get(phone="+77051112233").full_name == "Петрова Анна Сергеевна"


def test_xlsx_with_phone_typed_as_a_number(tree):
    data = xlsx_bytes(
        [
            ["Ерлан Жақсылықов", None, 87012223344, tree["precinct22"].code, "Deputy chair", "EN"],
            [
                "Гүлнәр Ұлықбекқызы",
                "gulnar@example.kz",
                None,
                tree["precinct22"].code,
                "Член",
                None,
            ],
        ]
    )

    member_import = apply_file(data, "members.xlsx")

    assert member_import.summary == {"created": 2, "changed": 0, "unchanged": 0}
    erlan = User.objects.get(phone="+77012223344")
    assert erlan.full_name == "Ерлан Жақсылықов"
    assert erlan.preferred_language == "en"
    assert erlan.memberships.get().position == "deputy_chair"
    gulnar = User.objects.get(email="gulnar@example.kz")
    assert gulnar.full_name == "Гүлнәр Ұлықбекқызы"
    assert gulnar.memberships.get().position == "member"


def test_xlsx_with_members_on_two_sheets_is_refused(tree):
    row = ["А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]
    data = xlsx_bytes([row], extra_sheet=[HEADER, row])

    problem = only_problem(check(data, "members.xlsx"))

    assert "keep members on one sheet" in problem.message
    assert problem.row is None


def test_xlsx_with_an_empty_second_sheet_is_read(tree):
    row = ["А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]

    assert check(xlsx_bytes([row], extra_sheet=[]), "members.xlsx").problems == []


def test_xlsx_formula_is_reported_at_its_row_and_column(tree):
    code = tree["precinct11"].code
    data = xlsx_bytes(
        [
            ["А Б", "a@example.kz", "", code, "member", ""],
            ["В Г", "b@example.kz", "", "=D2", "member", ""],
        ]
    )

    problem = only_problem(check(data, "members.xlsx"))

    assert (problem.row, problem.column) == (3, "commission_code")
    assert "paste values, not formulas" in problem.message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("full_name,email\nӘлия,a@b.kz\n".encode("utf-16"), id="utf-16"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", id="binary"),
        pytest.param(b"full_name,email\x00,phone\n", id="nul-byte"),
    ],
)
def test_file_that_is_not_text_gives_one_clear_problem(db, data):
    problem = only_problem(check(data))

    assert problem.row is None
    assert "not text in UTF-8 or Windows-1251" in problem.message


def test_old_xls_file_is_refused(db):
    problem = only_problem(check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "m.xls"))

    assert ".xlsx" in problem.message


def test_missing_required_columns_are_named(db):
    data = csv_bytes([["А Б", "x"]], header=["ФИО", "notes"])

    problem = only_problem(check(data))

    assert "commission code" in problem.message
    assert "position" in problem.message
    assert "email or phone" in problem.message
    assert "full name" not in problem.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (",".join(HEADER).encode() + b"\n", "no members below it"),
    ],
)
def test_empty_file_or_header_only_is_a_problem(db, data, expected):
    assert expected in only_problem(check(data)).message


# Checking rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (["", "a@example.kz", "", "{code}", "member", ""], "full_name", "full name is empty"),
        (["А Б", "", "", "{code}", "member", ""], "email", "neither"),
        (["А Б", "not-an-email", "", "{code}", "member", ""], "email", "not an email"),
        (["А Б", "", "12345", "{code}", "member", ""], "phone", "not a Kazakhstan phone"),
        (["А Б", "", "+1 202 555 0100", "{code}", "member", ""], "phone", "not a Kazakhstan"),
        (["А Б", "a@example.kz", "", "NOPE-1", "member", ""], "commission_code", "NOPE-1"),
        (["А Б", "a@example.kz", "", "", "member", ""], "commission_code", "code is empty"),
        (["А Б", "a@example.kz", "", "{code}", "president", ""], "position", "not a position"),
        (["А Б", "a@example.kz", "", "{code}", "", ""], "position", "position is empty"),
        (["А Б", "a@example.kz", "", "{code}", "member", "fr"], "language", "not a language"),
    ],
)
def test_bad_row_is_reported_with_row_column_and_message(tree, row, column, expected):
    code = tree["precinct11"].code
    good = ["Жақсы Адам", "good@example.kz", "", code, "member", ""]
    data = csv_bytes([good, [cell.replace("{code}", code) for cell in row]])

    problem = only_problem(check(data))

    assert (problem.row, problem.column) == (3, column)
    assert expected in problem.message


def test_problem_column_is_the_header_as_written(tree):
    header = ["ФИО", "Электронная почта", "Телефон", "Код комиссии", "Должность", "Язык"]
    data = csv_bytes([["А Б", "bad", "", tree["precinct11"].code, "член", ""]], header=header)

    assert only_problem(check(data)).column == "Электронная почта"


def test_same_email_twice_is_reported_on_both_rows(tree):
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["А Б", "same@example.kz", "", code, "member", ""],
            ["В Г", "other@example.kz", "", code, "member", ""],
            ["Д Е", "SAME@example.kz", "", code, "member", ""],
        ]
    )

    result = check(data)

    assert [(p.row, p.column) for p in result.problems] == [(2, "email"), (4, "email")]
    assert "“same@example.kz” is also on row 4." in result.problems[0].message
    assert "“same@example.kz” is also on row 2." in result.problems[1].message


def test_same_phone_on_three_rows_names_the_other_two(tree):
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["А Б", "", "87011234567", code, "member", ""],
            ["В Г", "", "+7 701 123 45 67", code, "member", ""],
            ["Д Е", "", "8 (701) 123-45-67", code, "member", ""],
        ]
    )

    messages = [p.message for p in check(data).problems]

    assert messages == [
        "The same phone number “+77011234567” is also on rows 3, 4.",
        "The same phone number “+77011234567” is also on rows 2, 4.",
        "The same phone number “+77011234567” is also on rows 2, 3.",
    ]


def test_two_columns_with_the_same_meaning_ask_to_keep_one(tree):
    header = ["full_name", "ФИО", "email", "phone", "commission_code", "position", "language"]
    row = ["А Б", "А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]

    problem = only_problem(check(csv_bytes([row], header=header)))

    assert (problem.row, problem.column) == (1, "ФИО")
    assert "“full_name” and “ФИО”" in problem.message
    assert "keep one of them and delete the other" in problem.message


def test_unknown_position_lists_the_names_accepted_in_three_languages(tree):
    row = ["А Б", "a@example.kz", "", tree["precinct11"].code, "president", ""]

    message = only_problem(check(csv_bytes([row]))).message

    assert "“president” is not a position" in message
    assert "Төраға / Председатель / Chair" in message
    assert "Хатшы / Секретарь / Secretary" in message
    assert "deputy_chair" not in message


def test_same_phone_twice_is_reported_on_both_rows(tree):
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["А Б", "", "87011234567", code, "member", ""],
            ["В Г", "", "+7 701 123 45 67", code, "member", ""],
        ]
    )

    result = check(data)

    assert [(p.row, p.column) for p in result.problems] == [(2, "phone"), (3, "phone")]


@pytest.mark.parametrize("column", ["email", "phone"])
def test_existing_account_with_another_name_is_not_merged(tree, column):
    account = UserFactory(
        username="aliya.s", full_name="Әлия Сәрсенбаева", email="aliya@example.kz"
    )
    account.phone = "+77011234567"
    account.save()
    row = ["Әлия Сәрсенбаеваа", "", "", tree["precinct11"].code, "member", ""]
    row[1 if column == "email" else 2] = "aliya@example.kz" if column == "email" else "87011234567"

    problem = only_problem(check(csv_bytes([row])))

    assert (problem.row, problem.column) == (2, column)
    assert "aliya.s" in problem.message
    assert "Әлия Сәрсенбаева" in problem.message
    assert not Membership.objects.exists()


def test_email_and_phone_of_two_different_accounts_is_a_problem(tree):
    UserFactory(username="first", full_name="Бір Адам", email="one@example.kz")
    second = UserFactory(username="second", full_name="Бір Адам", email="two@example.kz")
    second.phone = "+77019998877"
    second.save()
    row = ["Бір Адам", "one@example.kz", "87019998877", tree["precinct11"].code, "member", ""]

    problem = only_problem(check(csv_bytes([row])))

    assert "first" in problem.message and "second" in problem.message


def test_two_rows_for_one_existing_account_are_a_problem(tree):
    account = UserFactory(username="bir", full_name="Бір Адам", email="one@example.kz")
    account.phone = "+77019998877"
    account.save()
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["Бір Адам", "one@example.kz", "", code, "member", ""],
            ["Бір Адам", "", "87019998877", code, "chair", ""],
        ]
    )

    assert [p.row for p in check(data).problems] == [2, 3]


def test_name_match_ignores_case_and_spacing(tree):
    UserFactory(username="bir", full_name="Бір  Адам", email="one@example.kz")
    row = ["бір адам", "ONE@example.kz", "", tree["precinct11"].code, "member", ""]

    assert check(csv_bytes([row])).problems == []


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("chair", "chair"),
        ("Председатель", "chair"),
        ("төраға", "chair"),
        ("Deputy chair", "deputy_chair"),
        ("заместитель председателя", "deputy_chair"),
        ("төраға орынбасары", "deputy_chair"),
        ("SECRETARY", "secretary"),
        ("секретарь", "secretary"),
        ("хатшы", "secretary"),
        ("member", "member"),
        ("член комиссии", "member"),
        ("мүше", "member"),
        ("reserve", "reserve"),
        ("резерв", "reserve"),
    ],
)
def test_position_as_code_or_label_in_three_languages(tree, label, code):
    row = ["А Б", "a@example.kz", "", tree["precinct11"].code, label, ""]

    assert check(csv_bytes([row])).plans[0].row.position == code


@pytest.mark.parametrize(
    ("label", "code"),
    [("KK", "kk"), ("Қазақша", "kk"), ("казахский", "kk"), ("Русский", "ru"), ("орысша", "ru")]
    + [("english", "en"), ("Английский", "en"), ("ағылшынша", "en")],
)
def test_language_as_code_or_label(tree, label, code):
    row = ["А Б", "a@example.kz", "", tree["precinct11"].code, "member", label]

    assert check(csv_bytes([row])).plans[0].row.language == code


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+77011234567", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("+7 701 123 45 67", "+77011234567"),
        ("7011234567", "+77011234567"),
        ("+87011234567", None),
        ("8701123456", None),
        ("phone", None),
    ],
)
def test_phone_normalisation(raw, normal):
    assert normalise_phone(raw) == normal


def test_check_takes_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    code = tree["precinct11"].code
    rows = [
        [f"Адам {n}", f"p{n}@example.kz", f"8700{n:07d}", code, "member", ""] for n in range(600)
    ]
    data = csv_bytes(rows)

    with django_assert_max_num_queries(12):
        result = check(data)

    assert result.counts == {"created": 600, "changed": 0, "unchanged": 0}


# Applying -----------------------------------------------------------------------------------


def test_file_with_one_bad_row_creates_nothing(tree):
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["А Б", "a@example.kz", "", code, "member", ""],
            ["В Г", "b@example.kz", "", code, "astronaut", ""],
        ]
    )
    users_before = User.objects.count()

    member_import = upload(data)

    assert member_import.status == MemberImport.Status.INVALID
    assert member_import.problems == [
        {"row": 3, "column": "position", "message": member_import.problems[0]["message"]}
    ]
    with pytest.raises(ValidationError):
        member_import_apply(member_import=member_import)
    with pytest.raises(ValidationError):
        member_import_queue(member_import=member_import)
    assert User.objects.count() == users_before
    assert not Membership.objects.exists()


def test_check_stores_the_file_privately_with_its_hash(tree):
    data = csv_bytes([["А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]])
    uploader = UserFactory()

    member_import = upload(data, "Мүшелер.csv", by=uploader)

    assert member_import.status == MemberImport.Status.VALIDATED
    assert member_import.original_name == "Мүшелер.csv"
    assert member_import.row_count == 1
    assert member_import.uploaded_by == uploader
    assert member_import.summary == {"created": 1, "changed": 0, "unchanged": 0}
    assert len(member_import.sha256) == 64
    with member_import.file.open("rb") as stored:
        assert stored.read() == data
    assert not member_import.file.name.endswith("Мүшелер.csv")
    assert not User.objects.filter(email="a@example.kz").exists()


def test_reimporting_the_same_file_changes_nothing(tree):
    code = tree["precinct11"].code
    data = csv_bytes(
        [
            ["А Б", "a@example.kz", "", code, "chair", "ru"],
            ["В Г", "", "87011112233", code, "member", ""],
        ]
    )
    first = apply_file(data)
    users = list(User.objects.order_by("pk").values())
    seats = list(Membership.objects.order_by("pk").values())

    second = upload(data)

    assert earlier_application(second) == first
    assert second.summary == {"created": 0, "changed": 0, "unchanged": 2}
    second = member_import_apply(member_import=second)
    assert second.summary == {"created": 0, "changed": 0, "unchanged": 2}
    assert list(User.objects.order_by("pk").values()) == users
    assert list(Membership.objects.order_by("pk").values()) == seats


def test_member_moved_to_another_commission_has_the_old_seat_closed(tree):
    member = UserFactory(full_name="Көшкен Мүше", email="moved@example.kz")
    old_seat = MembershipFactory(
        user=member,
        commission=tree["precinct11"],
        position="member",
        started_on=timezone.localdate().replace(year=2024),
    )
    row = ["Көшкен Мүше", "moved@example.kz", "", tree["precinct22"].code, "member", ""]

    member_import = apply_file(csv_bytes([row]))

    assert member_import.summary == {"created": 0, "changed": 1, "unchanged": 0}
    old_seat.refresh_from_db()
    assert old_seat.ended_on == timezone.localdate()
    open_seat = member.memberships.get(ended_on__isnull=True)
    assert open_seat.commission == tree["precinct22"]
    assert open_seat.started_on == timezone.localdate()


def test_new_position_in_the_same_commission_closes_the_old_seat(tree):
    member = UserFactory(full_name="Жаңа Хатшы", email="sec@example.kz")
    old_seat = MembershipFactory(
        user=member,
        commission=tree["precinct11"],
        position="member",
        started_on=timezone.localdate().replace(year=2024),
    )
    row = ["Жаңа Хатшы", "sec@example.kz", "", tree["precinct11"].code, "secretary", ""]

    apply_file(csv_bytes([row]))

    old_seat.refresh_from_db()
    assert old_seat.ended_on == timezone.localdate()
    assert member.memberships.get(ended_on__isnull=True).position == "secretary"


def test_language_is_updated_only_when_the_row_gives_one(tree):
    code = tree["precinct11"].code
    keeps = UserFactory(full_name="Тіл Жоқ", email="keeps@example.kz", preferred_language="ru")
    switches = UserFactory(full_name="Тіл Бар", email="switch@example.kz", preferred_language="kk")
    MembershipFactory(user=keeps, commission=tree["precinct11"])
    MembershipFactory(user=switches, commission=tree["precinct11"])
    data = csv_bytes(
        [
            ["Тіл Жоқ", "keeps@example.kz", "", code, "member", ""],
            ["Тіл Бар", "switch@example.kz", "", code, "member", "en"],
        ]
    )

    member_import = apply_file(data)

    assert member_import.summary == {"created": 0, "changed": 1, "unchanged": 1}
    keeps.refresh_from_db()
    switches.refresh_from_db()
    assert (keeps.preferred_language, switches.preferred_language) == ("ru", "en")


def test_existing_account_is_found_by_phone_when_email_is_new(tree):
    account = UserFactory(full_name="Телефон Иесі", email="")
    account.phone = "+77015556677"
    account.save()
    row = ["Телефон Иесі", "", "8 701 555 66 77", tree["precinct12"].code, "reserve", ""]

    member_import = apply_file(csv_bytes([row]))

    assert member_import.summary == {"created": 0, "changed": 1, "unchanged": 0}
    assert account.memberships.get().position == "reserve"


def test_applying_twice_creates_nothing_twice(tree):
    data = csv_bytes([["А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]])
    member_import = upload(data)

    apply_member_import(member_import.pk)
    apply_member_import(member_import.pk)

    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.APPLIED
    assert member_import.summary == {"created": 1, "changed": 0, "unchanged": 0}
    assert User.objects.filter(email="a@example.kz").count() == 1
    assert Membership.objects.count() == 1


def test_queue_applies_after_commit(tree, django_capture_on_commit_callbacks):
    data = csv_bytes([["А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]])
    member_import = upload(data)

    with django_capture_on_commit_callbacks() as callbacks:
        queued = member_import_queue(member_import=member_import)

    # Until the queueing transaction commits, the file waits and nothing is written.
    assert queued.status == MemberImport.Status.QUEUED
    assert len(callbacks) == 1
    assert not User.objects.filter(email="a@example.kz").exists()

    # The commit runs the task; what the applied file queues in turn (other apps reacting to
    # the new seats) runs after the apply's own commit.
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()

    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.APPLIED
    assert member_import.applied_at is not None
    seat = User.objects.get(email="a@example.kz").memberships.get()
    assert (seat.commission, seat.position) == (tree["precinct11"], "member")


def test_accounts_changed_since_the_check_stop_the_apply(tree):
    data = csv_bytes([["Жаңа Адам", "new@example.kz", "", tree["precinct11"].code, "member", ""]])
    member_import = upload(data)
    UserFactory(username="taken", full_name="Басқа Адам", email="new@example.kz")

    member_import = member_import_apply(member_import=member_import)

    assert member_import.status == MemberImport.Status.INVALID
    assert "taken" in member_import.problems[0]["message"]
    assert not Membership.objects.exists()


def test_unexpected_error_marks_the_import_failed_and_writes_nothing(tree, monkeypatch):
    data = csv_bytes([["А Б", "a@example.kz", "", tree["precinct11"].code, "member", ""]])
    member_import = upload(data)

    def broken(**kwargs):
        User.objects.create(username="half-written")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("commissions.services.member_imports.members_apply", broken)
    with pytest.raises(RuntimeError):
        apply_member_import(member_import.pk)

    member_import.refresh_from_db()
    assert member_import.status == MemberImport.Status.FAILED
    assert "disk on fire" in member_import.error
    assert not User.objects.filter(username="half-written").exists()


def test_too_many_rows_is_a_file_problem(tree, monkeypatch):
    monkeypatch.setattr("commissions.imports.rows.MAX_ROWS", 2)
    code = tree["precinct11"].code
    rows = [[f"А {n}", f"a{n}@example.kz", "", code, "member", ""] for n in range(3)]

    assert "split it" in only_problem(check(csv_bytes(rows))).message


# The management command ---------------------------------------------------------------------


def test_command_dry_run_writes_nothing(tree, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([["А Б", "a@example.kz", "", tree["precinct11"].code, "chair", ""]]))
    out = io.StringIO()

    call_command("import_members", str(path), stdout=out)

    assert "1 row(s) ready" in out.getvalue()
    assert not User.objects.filter(email="a@example.kz").exists()
    assert not MemberImport.objects.exists()


def test_command_with_problems_prints_them_and_exits_non_zero(tree, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([["А Б", "bad-email", "", tree["precinct11"].code, "chair", ""]]))
    out = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as excinfo:
        call_command("import_members", str(path), "--apply", stdout=out)

    assert excinfo.value.returncode == 1
    assert "row 2, email: “bad-email” is not an email address." in out.getvalue()
    assert not User.objects.filter(full_name="А Б").exists()


def test_command_apply_writes_and_prints_the_summary(tree, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([["А Б", "a@example.kz", "", tree["precinct11"].code, "chair", ""]]))
    out = io.StringIO()

    call_command("import_members", str(path), "--apply", stdout=out)
    call_command("import_members", str(path), "--apply", stdout=out)

    assert "created 1, changed 0, unchanged 0" in out.getvalue()
    assert "This very file was applied before" in out.getvalue()
    assert "created 0, changed 0, unchanged 1" in out.getvalue()
    assert User.objects.get(email="a@example.kz").memberships.get().position == "chair"


def test_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        call_command("import_members", str(tmp_path / "nope.csv"))

    assert excinfo.value.returncode == 2
