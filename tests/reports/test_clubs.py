"""The civic education of young voters' clubs: a coordinator sees their club's members'
progress in the public courses and downloads the club's list, scoped and audited like a
commission manager's readiness report.

The picture, on the ``tree`` fixture: club A and club B under district1, club O under oblast1.
Two public courses: "Алғашқы дауыс" (with a final test) and "Сайлау деген не" (none); one
course for commissions only.

| who | where | first vote | what is it |
|---|---|---|---|
| әсем (minor, consent) | club A | done, final passed, certificate | everything |
| ғалым (adult) | club A | 40% | enrolled, started; "what is" done |
| құралай (minor, no consent) | club A | not enrolled | nothing |
| үміт | club A | done, final failed, certificate revoked | completed |
| бота | club B | done, final passed | passed |

Not counted: a member of district1 itself who completed both, a former member of club A, and
everyone's progress in the commissions' course.
"""

import csv
import io
import logging
import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from accounts.models import ConsentRecord
from certificates.services import certificate_revoke
from commissions.models import Commission, Position
from commissions.roles import CENTRAL_ADMINISTRATORS
from quizzes.models import Attempt, QuizPage
from reports.models import ExportAuditEntry
from reports.selectors import (
    branch_levels,
    branch_readiness,
    civic_member_rows,
    civic_members,
    civic_progress,
)
from reports.services import civic_export_now
from tests.certificates.conftest import issue
from tests.factories import (
    AssignmentFactory,
    CommissionFactory,
    CourseTree,
    ElectionEventFactory,
    EnrollmentFactory,
    ManagerRoleFactory,
    MembershipFactory,
    QuizPageFactory,
    UserFactory,
)
from tests.i18n import kazakh

pytestmark = pytest.mark.django_db

STATUSES = ("members", "enrolled", "started", "completed", "passed", "certified")


class Clubs:
    def __init__(self, tree):
        self.tree = tree
        district, oblast = tree["district1"], tree["oblast1"]
        self.club_a = CommissionFactory.child(
            district,
            Commission.Level.CLUB,
            code="CLUB-A",
            name_kk="Жас сайлаушылар клубы «Әділет»",
            name_en="Club Justice",
        )
        self.club_b = CommissionFactory.child(district, Commission.Level.CLUB, code="CLUB-B")
        self.club_o = CommissionFactory.child(oblast, Commission.Level.CLUB, code="CLUB-O")
        self.first_vote = CourseTree.build(
            modules=1, lessons=1, is_public=True, title="Алғашқы дауыс"
        )
        self.what_is = CourseTree.build(
            modules=1, lessons=1, is_public=True, title="Сайлау деген не"
        )
        self.commission_course = CourseTree.build(modules=1, lessons=1, title="Хаттама")
        self.final = QuizPageFactory.create(parent=self.first_vote, kind=QuizPage.Kind.FINAL)
        self.practice = QuizPageFactory.create(parent=self.what_is, kind=QuizPage.Kind.PRACTICE)
        this_year = timezone.localdate().year
        self.people = {}

        self.seat("әсем", self.club_a, year_of_birth=this_year - 16)
        ConsentRecord.objects.create(
            user=self.people["әсем"],
            purpose=ConsentRecord.Purpose.GUARDIAN,
            text_version="guardian-2026-11",
            representative_name="Гүлнар Сейітқызы",
        )
        self.attempt("әсем", self.enrol("әсем", self.first_vote, done=True), passed=True)
        self.certify("әсем", self.first_vote)

        self.seat("ғалым", self.club_a, year_of_birth=2000)
        self.enrol("ғалым", self.first_vote, progress_percent=40)
        self.enrol("ғалым", self.what_is, done=True)

        self.seat("құралай", self.club_a, year_of_birth=this_year - 15)

        self.seat("үміт", self.club_a, year_of_birth=2001)
        self.attempt("үміт", self.enrol("үміт", self.first_vote, done=True), passed=False)
        certificate_revoke(certificate=self.certify("үміт", self.first_vote), reason="Қате")

        self.seat("бота", self.club_b, year_of_birth=2002)
        self.attempt("бота", self.enrol("бота", self.first_vote, done=True), passed=True)

        # Not counted.
        self.seat("district", district, position=Position.MEMBER)
        self.enrol("district", self.first_vote, done=True)
        self.enrol("district", self.what_is, done=True)
        self.seat(
            "former",
            self.club_a,
            started_on=timezone.localdate() - timedelta(days=30),
            ended_on=timezone.localdate(),
        )
        self.enrol("former", self.first_vote, done=True)
        self.enrol("құралай", self.commission_course, done=True)

        self.coordinator_a = ManagerRoleFactory(commission=self.club_a).user
        self.coordinator_b = ManagerRoleFactory(commission=self.club_b).user
        self.district_manager = ManagerRoleFactory(commission=district).user
        self.oblast_manager = ManagerRoleFactory(commission=oblast).user

    def seat(self, name, club, position=Position.CLUB_MEMBER, year_of_birth=None, **fields):
        membership = MembershipFactory(
            commission=club,
            position=position,
            user__full_name=f"{name.title()} Қасымқызы",
            user__year_of_birth=year_of_birth,
            **fields,
        )
        self.people[name] = membership.user
        return membership

    def enrol(self, name, course, *, done=False, **fields):
        if done:
            fields.update(progress_percent=100, completed_at=timezone.now())
        return EnrollmentFactory(user=self.people[name], course=course, event=None, **fields)

    def attempt(self, name, enrollment, *, passed):
        return Attempt.objects.create(
            user=self.people[name],
            quiz_key=self.final.translation_key,
            enrollment=enrollment,
            number=1,
            seed=1,
            questions=[],
            submitted_at=timezone.now(),
            passed=passed,
        )

    def certify(self, name, course):
        return issue(learner=self.people[name], event=None, course_key=course.translation_key)


@pytest.fixture
def clubs(tree):
    return Clubs(tree)


def civic_url(commission, language="en", export=False):
    prefix = f"/{language}" if language != "kk" else ""
    return f"{prefix}/reports/{commission.code}/civic/" + ("export/" if export else "")


def numbers(counts) -> tuple:
    return (counts.members, *(getattr(counts, key) for key in STATUSES[1:]))


def names(html: str) -> set[str]:
    table = re.search(r'<table id="members">(.*?)</table>', html, re.S).group(1)
    return set(re.findall(r'<a href="/en/commissions/members/\d+/">([^<]+)</a>', table))


def screen_counts(html: str) -> dict[str, tuple[int, ...]]:
    """Each course's numbers as the page shows them, by course title."""
    table = re.search(r'<table id="courses">(.*?)</table>', html, re.S).group(1)
    shown = {}
    for row in re.findall(r"<tr data-course[^>]*>(.*?)</tr>", table, re.S):
        title = re.search(r'<th scope="row">([^<]+)</th>', row).group(1)
        shown[title] = tuple(
            int(re.search(rf'data-status="{key}">(\d+)', row).group(1)) for key in STATUSES
        )
    return shown


def refused(client, path, caplog, method="get", **data):
    with caplog.at_level(logging.WARNING, logger="saylau.access"):
        response = getattr(client, method)(path, data)
    assert response.status_code == 403
    assert "Not in your branch" in response.content.decode()
    assert any("refused" in record.message and path in record.message for record in caplog.records)
    return response


# Counting ------------------------------------------------------------------------------------


def test_a_club_counts_its_members_in_each_public_course(clubs):
    progress = civic_progress(commission=clubs.club_a)

    assert [counts.course.title for counts in progress.total] == [
        "Алғашқы дауыс",
        "Сайлау деген не",
    ]
    first_vote, what_is = progress.total
    assert numbers(first_vote) == (4, 3, 3, 2, 1, 1)
    assert first_vote.percent("completed") == 50
    # Without a final test, a completed course counts as passed.
    assert numbers(what_is) == (4, 1, 1, 1, 1, 0)
    assert [club.club for club in progress.clubs] == [clubs.club_a]


def test_the_district_sees_each_of_its_clubs_and_not_its_own_commission_members(clubs):
    progress = civic_progress(commission=clubs.tree["district1"])

    assert progress.members == 5
    assert numbers(progress.total[0]) == (5, 4, 4, 3, 2, 1)
    assert {club.club.code: numbers(club.courses[0]) for club in progress.clubs} == {
        "CLUB-A": (4, 3, 3, 2, 1, 1),
        "CLUB-B": (1, 1, 1, 1, 1, 0),
    }


def test_the_oblast_sees_the_club_it_formed_and_those_of_its_districts(clubs):
    progress = civic_progress(commission=clubs.tree["oblast1"])

    assert [club.club.code for club in progress.clubs] == ["CLUB-A", "CLUB-B", "CLUB-O"]
    assert progress.clubs[-1].members == 0


def test_member_rows_carry_progress_minors_and_consent(clubs):
    progress = civic_progress(commission=clubs.club_a)
    rows = {
        row.full_name: row
        for row in civic_member_rows(
            civic_members(commission=clubs.club_a, courses=progress.courses), progress.courses
        )
    }

    assert set(rows) == {
        f"{name.title()} Қасымқызы" for name in ("әсем", "ғалым", "құралай", "үміт")
    }
    asem, galym, quralai = (
        rows["Әсем Қасымқызы"],
        rows["Ғалым Қасымқызы"],
        rows["Құралай Қасымқызы"],
    )
    assert (asem.minor, asem.guardian_consent) == (True, True)
    assert (quralai.minor, quralai.guardian_consent) == (True, False)
    assert (galym.minor, galym.guardian_consent) == (False, None)
    assert [(c.progress, c.completed, c.certified) for c in asem.courses] == [
        (100, True, True),
        (0, False, False),
    ]
    assert [(c.progress, c.completed) for c in galym.courses] == [(40, False), (100, True)]


def test_a_withdrawn_consent_is_not_active(clubs):
    ConsentRecord.objects.filter(user=clubs.people["әсем"]).update(withdrawn_at=timezone.now())
    progress = civic_progress(commission=clubs.club_a)
    rows = civic_member_rows(
        civic_members(commission=clubs.club_a, courses=progress.courses), progress.courses
    )

    assert {row.full_name: row.guardian_consent for row in rows}["Әсем Қасымқызы"] is False


# Scope ---------------------------------------------------------------------------------------


def test_the_coordinator_sees_exactly_their_clubs_members(client, clubs):
    client.force_login(clubs.coordinator_a)

    response = client.get(civic_url(clubs.club_a))

    assert response.status_code == 200
    assert names(response.content.decode()) == {
        "Әсем Қасымқызы",
        "Ғалым Қасымқызы",
        "Құралай Қасымқызы",
        "Үміт Қасымқызы",
    }


def test_the_district_and_oblast_managers_above_the_club_see_it(client, clubs):
    for manager in (clubs.district_manager, clubs.oblast_manager):
        client.force_login(manager)
        response = client.get(civic_url(clubs.club_a))
        assert response.status_code == 200
        assert "Бота Қасымқызы" not in names(response.content.decode())

    client.force_login(clubs.district_manager)
    html = client.get(civic_url(clubs.tree["district1"])).content.decode()
    assert "Бота Қасымқызы" in names(html) and "District Қасымқызы" not in names(html)


def test_a_coordinator_is_refused_another_club_and_the_district(client, clubs, caplog):
    client.force_login(clubs.coordinator_a)

    for commission in (clubs.club_b, clubs.club_o, clubs.tree["district1"]):
        refused(client, civic_url(commission), caplog)


@pytest.mark.parametrize("who", ["бота", "district"])
def test_a_club_member_or_a_plain_learner_is_refused(client, clubs, caplog, who):
    client.force_login(clubs.people[who])

    refused(client, civic_url(clubs.club_a), caplog)


def test_an_unknown_code_is_404(client, clubs):
    client.force_login(clubs.coordinator_a)

    assert client.get("/en/reports/NO-SUCH/civic/").status_code == 404


def test_the_report_index_lists_a_coordinators_club_and_a_managers_branch(client, clubs):
    client.force_login(clubs.coordinator_a)
    html = client.get("/en/reports/").content.decode()
    assert civic_url(clubs.club_a) in html
    assert "/en/reports/CLUB-A/" in html and not re.search(r"/en/reports/CLUB-A/\d+/", html)

    ElectionEventFactory()
    client.force_login(clubs.district_manager)
    html = client.get("/en/reports/").content.decode()
    assert civic_url(clubs.tree["district1"]) in html
    assert re.search(rf"/en/reports/{clubs.tree['district1'].code}/\d+/", html)


def test_a_central_administrator_sees_every_club(client, clubs):
    admin = UserFactory()
    admin.groups.add(Group.objects.get_or_create(name=CENTRAL_ADMINISTRATORS)[0])
    client.force_login(admin)

    html = client.get(civic_url(clubs.tree["central"])).content.decode()

    assert re.search(r"5 club members", html)


# Page and files ------------------------------------------------------------------------------


def test_the_page_shows_the_selectors_numbers(client, clubs):
    client.force_login(clubs.district_manager)

    html = client.get(civic_url(clubs.tree["district1"])).content.decode()

    assert screen_counts(html) == {
        counts.course.title: numbers(counts)
        for counts in civic_progress(commission=clubs.tree["district1"]).total
    }


def download(client, commission, format, language="en"):
    response = client.post(civic_url(commission, language, export=True), {"format": format})
    assert response.status_code == 200, response.content[:500]
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="civic-{commission.code}'
    )
    return response


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_rows_equal_the_pages_numbers_with_kazakh_letters(client, clubs):
    client.force_login(clubs.coordinator_a)
    shown = screen_counts(client.get(civic_url(clubs.club_a)).content.decode())

    rows = read_csv(download(client, clubs.club_a, "csv").content)

    header, members = rows[0], rows[1:]
    assert header[:7] == [
        "Club code",
        "Club",
        "Full name",
        "Email",
        "Year of birth",
        "Minor",
        "Legal representative's consent",
    ]
    assert header[7:10] == [
        "Алғашқы дауыс: Progress, %",
        "Алғашқы дауыс: Completed",
        "Алғашқы дауыс: Certified",
    ]
    assert len(members) == shown["Алғашқы дауыс"][0] == 4
    assert sum(row[8] == "yes" for row in members) == shown["Алғашқы дауыс"][3]
    assert sum(row[9] == "yes" for row in members) == shown["Алғашқы дауыс"][5]
    assert sum(row[11] == "yes" for row in members) == shown["Сайлау деген не"][3]
    assert {row[2] for row in members} >= {"Әсем Қасымқызы", "Құралай Қасымқызы", "Үміт Қасымқызы"}
    assert {row[1] for row in members} == {"Club Justice"}
    by_name = {row[2]: row for row in members}
    assert by_name["Құралай Қасымқызы"][4:7] == [str(timezone.localdate().year - 15), "yes", "no"]
    assert by_name["Ғалым Қасымқызы"][4:7] == ["2000", "no", ""]


def test_the_xlsx_holds_the_pages_numbers_and_every_member(client, clubs):
    client.force_login(clubs.district_manager)
    district = clubs.tree["district1"]
    shown = screen_counts(client.get(civic_url(district)).content.decode())

    workbook = load_workbook(io.BytesIO(download(client, district, "xlsx").content))

    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[0][:3] == ("Course", "Club members", "Enrolled")
    assert {row[0]: tuple(row[1:7]) for row in summary[1:3]} == shown
    club_rows = list(workbook["Clubs"].iter_rows(values_only=True))[1:]
    assert {(row[0], row[2]): row[3] for row in club_rows} == {
        ("CLUB-A", "Алғашқы дауыс"): 4,
        ("CLUB-A", "Сайлау деген не"): 4,
        ("CLUB-B", "Алғашқы дауыс"): 1,
        ("CLUB-B", "Сайлау деген не"): 1,
    }
    members = list(workbook["Members"].iter_rows(values_only=True))[1:]
    assert len(members) == 5
    assert isinstance(members[0][7], int)
    assert "Бота Қасымқызы" in {row[2] for row in members}


def test_the_files_are_in_the_pages_language(client, clubs):
    client.force_login(clubs.coordinator_a)

    rows = read_csv(download(client, clubs.club_a, "csv", language="ru").content)

    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["Әсем Қасымқызы"][1] == "Комиссия CLUB-A"
    assert by_name["Әсем Қасымқызы"][5:7] == ["да", "да"]

    rows = read_csv(download(client, clubs.club_a, "csv", language="kk").content)
    assert {row[1] for row in rows[1:]} == {"Жас сайлаушылар клубы «Әділет»"}
    assert "Алғашқы дауыс" in rows[0][7]


def test_every_download_is_written_to_the_export_audit_log(client, clubs):
    client.force_login(clubs.coordinator_a)

    for format in ("csv", "xlsx"):
        download(client, clubs.club_a, format)

    entries = list(ExportAuditEntry.objects.order_by("at"))
    assert [(e.format, e.rows, e.commission_code, e.event) for e in entries] == [
        ("csv", 4, "CLUB-A", None),
        ("xlsx", 4, "CLUB-A", None),
    ]
    assert {e.user for e in entries} == {clubs.coordinator_a}
    assert {e.event_name for e in entries} == {kazakh("Civic education of young voters' clubs")}


def test_the_audit_log_in_the_admin_lists_the_clubs_export(client, clubs):
    client.force_login(clubs.coordinator_a)
    download(client, clubs.club_a, "csv")
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.get("/admin/reports/export-audit/")

    assert response.status_code == 200
    assert "CLUB-A" in response.content.decode()


def test_another_clubs_list_is_refused_logged_and_not_audited(client, clubs, caplog):
    client.force_login(clubs.coordinator_a)

    response = refused(
        client, civic_url(clubs.club_b, export=True), caplog, method="post", format="csv"
    )

    assert "Бота" not in response.content.decode()
    assert not ExportAuditEntry.objects.exists()


@pytest.mark.parametrize("data", [{"format": "pdf"}, {"format": "docx"}, {}])
def test_a_format_that_is_not_offered_is_a_message_not_a_file(client, clubs, data):
    client.force_login(clubs.coordinator_a)

    response = client.post(civic_url(clubs.club_a, export=True), data, follow=True)

    assert response.status_code == 200
    assert "Choose CSV or XLSX." in response.content.decode()
    assert not ExportAuditEntry.objects.exists()


def test_the_export_is_post_only(client, clubs):
    client.force_login(clubs.coordinator_a)

    assert client.get(civic_url(clubs.club_a, export=True)).status_code == 405


# Cost ----------------------------------------------------------------------------------------


def grow(clubs, club, count):
    for n in range(count):
        seat = MembershipFactory(
            commission=club, position=Position.CLUB_MEMBER, user__year_of_birth=2010
        )
        EnrollmentFactory(
            user=seat.user, course=clubs.first_vote, event=None, progress_percent=n % 100
        )


def queries(client, path, method="get", **data) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data)
    assert response.status_code == 200
    return len(captured)


def test_the_page_and_the_files_cost_the_same_for_a_bigger_club(
    client, clubs, django_assert_max_num_queries
):
    client.force_login(clubs.district_manager)
    district = clubs.tree["district1"]
    small = [
        queries(client, civic_url(district)),
        queries(client, civic_url(district, export=True), "post", format="csv"),
        queries(client, civic_url(district, export=True), "post", format="xlsx"),
    ]

    grow(clubs, clubs.club_a, 80)

    large = [
        queries(client, civic_url(district)),
        queries(client, civic_url(district, export=True), "post", format="csv"),
        queries(client, civic_url(district, export=True), "post", format="xlsx"),
    ]
    assert large == small
    with django_assert_max_num_queries(16):
        client.get(civic_url(district))


# Election readiness is not touched by clubs ---------------------------------------------------


def test_readiness_has_no_club_rows_and_counts_no_club_seat(clubs):
    tree = clubs.tree
    event = ElectionEventFactory()
    AssignmentFactory(
        event=event,
        course=clubs.commission_course,
        positions=[Position.MEMBER, Position.CLUB_MEMBER],
        levels=[Commission.Level.PRECINCT, Commission.Level.CLUB],
    )
    MembershipFactory(commission=tree["precinct11"], position=Position.MEMBER)
    MembershipFactory(commission=clubs.club_o, position=Position.MEMBER)

    oblast = branch_readiness(commission=tree["oblast1"], event=event)
    central = branch_readiness(commission=tree["central"], event=event)

    assert [child.commission for child in oblast.children] == [tree["district1"]]
    assert [child.commission for child in central.children] == [tree["oblast1"], tree["oblast2"]]
    assert central.total.assigned == oblast.total.assigned == 1
    assert central.own.assigned == 0
    for title, groups in branch_levels(commission=tree["oblast1"], event=event):
        assert not any(group.commission.is_club for group in groups), title


def test_the_readiness_page_of_an_oblast_shows_no_club_row(client, clubs):
    event = ElectionEventFactory()
    client.force_login(clubs.oblast_manager)

    html = client.get(f"/en/reports/{clubs.tree['oblast1'].code}/{event.pk}/").content.decode()

    assert "CLUB-O" not in html and clubs.tree["district1"].code in html


def test_the_export_service_itself_refuses_another_club(clubs, caplog):
    with (
        caplog.at_level(logging.WARNING, logger="saylau.access"),
        pytest.raises(PermissionDenied),
    ):
        civic_export_now(
            user=clubs.coordinator_a, commission=clubs.club_b, format="csv", language="kk"
        )

    assert any("civic-export-csv:CLUB-B" in record.message for record in caplog.records)
    assert not ExportAuditEntry.objects.exists()


def test_the_page_in_kazakh_shows_the_clubs_kazakh_name_and_course_titles(client, clubs):
    client.force_login(clubs.coordinator_a)

    response = client.get(civic_url(clubs.club_a, language="kk"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Жас сайлаушылар клубы «Әділет»" in html
    assert set(screen_counts(html)) == {"Алғашқы дауыс", "Сайлау деген не"}


def test_the_counts_cost_six_queries(clubs, django_assert_num_queries):
    grow(clubs, clubs.club_b, 30)

    with django_assert_num_queries(6):
        progress = civic_progress(commission=clubs.tree["oblast1"])

    assert progress.members == 35
