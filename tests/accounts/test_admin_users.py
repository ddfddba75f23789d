"""Administrators keep people's records in the Wagtail admin with the platform's fields."""

import pytest

from accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_administrator_creates_a_person_with_full_name_and_phone(admin_client):
    response = admin_client.post(
        "/admin/users/new/",
        {
            "username": "gulnar",
            "full_name": "Гүлнәр Қасымқызы Әбдіқадырова",
            "email": "",
            "phone": "+77017654321",
            "preferred_language": "ru",
            "password1": "a long enough passphrase 2026",
            "password2": "a long enough passphrase 2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(username="gulnar")
    assert person.full_name == "Гүлнәр Қасымқызы Әбдіқадырова"
    assert person.phone == "+77017654321"
    assert person.preferred_language == "ru"


def test_user_edit_form_shows_the_person_fields(admin_client):
    person = UserFactory(full_name="Ерлан Үсенов")
    response = admin_client.get(f"/admin/users/edit/{person.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="full_name"' in content
    assert "Ерлан Үсенов" in content
    assert 'name="preferred_language"' in content
