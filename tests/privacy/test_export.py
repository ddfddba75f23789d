"""A learner downloads everything the platform holds about them: JSON and a readable PDF."""

import json

from django.utils import timezone

import pytest

from tests.certificates.conftest import KAZAKH_NAME, pdf_text
from tests.factories import UserFactory

from .conftest import (
    OTHER_EMAIL,
    OTHER_NAME,
    REPRESENTATIVE,
    REPRESENTATIVE_EMAIL,
    add_records,
    build_learner,
)

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = "әғқңөұүһі"


def download(client, user, kind="json", prefix="/en"):
    client.force_login(user)
    return client.get(f"{prefix}/accounts/my-data/download/{kind}/")


def test_the_page_explains_what_is_held_and_offers_both_downloads_and_deletion(client):
    client.force_login(UserFactory())
    page = client.get("/en/accounts/my-data/").content.decode()
    assert "What the platform holds about you" in page
    assert 'href="/en/accounts/my-data/download/json/"' in page
    assert 'href="/en/accounts/my-data/download/pdf/"' in page
    assert 'href="/en/accounts/my-data/delete/"' in page


def test_the_profile_page_links_to_the_personal_data_page(client):
    client.force_login(UserFactory())
    page = client.get("/en/accounts/profile/").content.decode()
    assert 'href="/en/accounts/my-data/"' in page


@pytest.mark.parametrize(
    "path", ["", "download/json/", "download/pdf/", "delete/"], ids=lambda p: p or "page"
)
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(f"/en/accounts/my-data/{path}")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/sign-in/")


def test_the_json_is_an_attachment_named_by_the_day(client, learner_with_everything):
    response = download(client, learner_with_everything.learner)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="saylau-my-data-{day}.json"'
    assert "no-store" in response["Cache-Control"]


def test_the_json_holds_the_learners_records_from_every_room(client, learner_with_everything):
    setup = learner_with_everything
    data = json.loads(download(client, setup.learner).content)
    assert data["schema_version"] == 1

    account = data["account"]
    assert account["username"] == setup.learner.username
    assert account["full_name"] == KAZAKH_NAME
    assert account["email"] == "asemgul@example.kz"
    assert account["phone"] == "+77015550101"
    assert account["preferred_language"] == "kk"
    assert account["year_of_birth"] == setup.learner.year_of_birth
    assert account["date_joined"] and account["last_sign_in"]

    profile = data["learner_profile"]
    assert profile["region"] == "KZ-ALA" and profile["school"] == "№ 56 мектеп-гимназия"
    assert profile["signed_up_at"] and profile["email_confirmed_at"]

    (consent,) = data["consents"]
    assert consent["purpose"] == "guardian" and consent["text_version"] == "guardian-2026-11"
    assert consent["given_by"] == "representative" and consent["withdrawn_at"] is None
    assert consent["representative_name"] == REPRESENTATIVE
    assert consent["representative_email"] == REPRESENTATIVE_EMAIL
    (sent,) = data["consent_requests"]
    assert sent["representative_email"] == REPRESENTATIVE_EMAIL and sent["confirmed_at"]

    (seat,) = data["seats"]
    assert seat["commission_code"] == setup.club.code and seat["position"] == "club_member"
    assert seat["ended_on"] is None
    assert data["manager_roles"] == []

    (enrolment,) = data["enrolments"]
    assert enrolment["course"] == setup.course.title
    assert enrolment["election_event"] == setup.enrollment.event.name_kk
    assert enrolment["progress_percent"] == 100 and enrolment["completed_at"]
    lessons = sorted(row["lesson"] for row in data["lessons_completed"])
    assert lessons == ["1.1 сабақ", "1.2 сабақ", "2.1 сабақ", "2.2 сабақ"]

    (attempt,) = data["quiz_attempts"]
    assert attempt["quiz"] == setup.quiz.title and attempt["number"] == 1
    assert attempt["passed"] is True and attempt["percent"] == 100.0 and attempt["submitted_at"]
    questions = {row["question"]: row["answer"] for row in attempt["answers"]}
    assert questions["Дауыс беру қай сағатта басталады?"] == "07:00"
    assert sorted(questions["Хаттамаға кім қол қояды?"]) == ["Төраға", "Хатшы"]

    (certificate,) = data["certificates"]
    assert certificate["number"] == setup.certificate.number
    assert certificate["course"] == "Учаскені ашу" and certificate["status"] == "valid"
    assert certificate["verify_url"].endswith(f"/certificates/verify/{setup.certificate.code}/")
    assert data["exports_made"] == []


def test_the_json_holds_no_secret_and_nothing_of_anyone_else(client, learner_with_everything):
    setup = learner_with_everything
    text = download(client, setup.learner).content.decode()
    assert setup.learner.password not in text and "pbkdf2" not in text
    assert "token" not in text and "session" not in text.lower()
    for foreign in (OTHER_NAME, OTHER_EMAIL, setup.other.username, "Басқа Өкіл"):
        assert foreign not in text
    assert KAZAKH_NAME in text  # letters as they are, not \u escapes


def test_titles_follow_the_learners_language(client, learner_with_everything):
    from tests.factories import CourseTree

    setup = learner_with_everything
    CourseTree.translate(setup.course, "ru")
    setup.learner.preferred_language = "ru"
    setup.learner.save()
    data = json.loads(download(client, setup.learner).content)
    assert data["enrolments"][0]["course"] == f"RU {setup.course.title}"
    assert "RU 1.1 сабақ" in [row["lesson"] for row in data["lessons_completed"]]


@pytest.mark.parametrize("more", [0, 8], ids=["one-of-each", "many"])
def test_the_download_costs_the_same_queries_whatever_the_records(
    client, django_assert_max_num_queries, more
):
    setup = build_learner()
    add_records(setup.learner, count=more)
    client.force_login(setup.learner)
    with django_assert_max_num_queries(15):
        response = client.get("/en/accounts/my-data/download/json/")
    data = json.loads(response.content)
    assert len(data["enrolments"]) == 1 + more
    assert len(data["certificates"]) == 1 + more
    assert len(data["quiz_attempts"]) == 1 + more


def test_the_pdf_is_readable_with_every_kazakh_letter(client, learner_with_everything):
    setup = learner_with_everything
    response = download(client, setup.learner, kind="pdf", prefix="")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="saylau-my-data-{day}.pdf"'
    text = pdf_text(response.content)
    assert KAZAKH_NAME in text
    for letter in KAZAKH_LETTERS:
        assert letter in text
    assert setup.certificate.number in text and "№ 56 мектеп-гимназия" in text
    assert "Дауыс беру қай сағатта басталады?" in text
    assert OTHER_NAME not in text


def test_the_pdf_is_in_the_pages_language(client, learner_with_everything):
    text = pdf_text(download(client, learner_with_everything.learner, kind="pdf").content)
    assert "Your data on Saylau Academy" in text and "Quiz attempts" in text


def test_a_managers_download_lists_their_seats_roles_and_the_exports_they_made(client, tree):
    from reports.models import ExportAuditEntry
    from tests.factories import ElectionEventFactory, ManagerRoleFactory, MembershipFactory

    manager = MembershipFactory(commission=tree["district1"], position="chair").user
    ManagerRoleFactory(user=manager, commission=tree["district1"])
    event = ElectionEventFactory()
    ExportAuditEntry.objects.create(
        user=manager,
        user_name=manager.full_name,
        commission=tree["district1"],
        commission_code=tree["district1"].code,
        event=event,
        event_name=event.name_kk,
        format="csv",
        rows=42,
    )
    someone_else = UserFactory()
    ExportAuditEntry.objects.create(
        user=someone_else,
        user_name=someone_else.full_name,
        commission_code=tree["district2"].code,
        event_name=event.name_kk,
        format="xlsx",
        rows=7,
    )
    data = json.loads(download(client, manager).content)
    assert [seat["position"] for seat in data["seats"]] == ["chair"]
    assert [role["commission_code"] for role in data["manager_roles"]] == [tree["district1"].code]
    (entry,) = data["exports_made"]
    assert entry["commission"] == tree["district1"].code and entry["rows"] == 42
    assert entry["format"] == "csv" and entry["at"]
    assert data["learner_profile"] is None
