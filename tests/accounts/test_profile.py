import pytest

from accounts.models import ConsentRecord
from accounts.services import consent_give, consent_withdraw
from tests.factories import UserFactory


@pytest.fixture
def member(db):
    return UserFactory(full_name="Әлия Сәрсенбаева", email="aliya@example.kz")


def test_profile_needs_sign_in(client, db):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=")


def test_member_changes_language_and_sees_profile_in_it(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Әлия  Сәрсенбаева ",
            "email": member.email,
            "phone": "",
            "preferred_language": "ru",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.preferred_language == "ru"
    assert member.full_name == "Әлия Сәрсенбаева"


def test_profile_refuses_an_email_another_account_uses(client, member):
    UserFactory(email="taken@example.kz")
    client.force_login(member)
    response = client.post(
        "/en/accounts/profile/",
        {"full_name": "Әлия", "email": "TAKEN@example.kz", "phone": "", "preferred_language": "kk"},
    )
    assert response.status_code == 200
    assert "already uses this email" in response.content.decode()
    member.refresh_from_db()
    assert member.email == "aliya@example.kz"


def test_profile_refuses_a_malformed_phone(client, member):
    client.force_login(member)
    response = client.post(
        "/en/accounts/profile/",
        {"full_name": "Әлия", "email": member.email, "phone": "12", "preferred_language": "kk"},
    )
    assert response.status_code == 200
    assert "international form" in response.content.decode()
    member.refresh_from_db()
    assert member.phone == ""


def test_tampered_language_choice_is_refused(client, member):
    client.force_login(member)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "Әлия", "email": member.email, "phone": "", "preferred_language": "xx"},
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.preferred_language == "kk"


def test_consent_records_text_version_and_time_and_can_be_withdrawn(client, member):
    client.force_login(member)
    client.post("/accounts/profile/consent/", {"action": "give"})
    record = ConsentRecord.objects.get(user=member)
    assert record.text_version == "2026-11"
    assert record.given_by == member
    assert record.is_active
    client.post("/accounts/profile/consent/", {"action": "withdraw"})
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert ConsentRecord.objects.active().filter(user=member).count() == 0


def test_consent_given_twice_is_recorded_once(member):
    first = consent_give(user=member, purpose=ConsentRecord.Purpose.PERSONAL_DATA)
    second = consent_give(user=member, purpose=ConsentRecord.Purpose.PERSONAL_DATA)
    assert first == second
    assert ConsentRecord.objects.filter(user=member).count() == 1


def test_withdrawing_without_consent_changes_nothing(member):
    assert consent_withdraw(user=member, purpose=ConsentRecord.Purpose.PERSONAL_DATA) is None


def test_consent_form_refuses_get_and_unknown_actions(client, member):
    client.force_login(member)
    assert client.get("/en/accounts/profile/consent/").status_code == 405
    response = client.post(
        "/en/accounts/profile/consent/", {"action": "delete-everything"}, follow=True
    )
    assert "nothing was changed" in response.content.decode()
    assert not ConsentRecord.objects.exists()
