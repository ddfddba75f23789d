"""Young voters' clubs in the commission pages: an administrator forms a club and appoints its
coordinator in the admin; the coordinator finds their club from the page header and sees its
members, and nobody else's."""

import logging

from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from commissions.models import Commission, ManagerRole, Position
from tests.factories import CommissionFactory, ManagerRoleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)
    return client


@pytest.fixture
def club(tree):
    return CommissionFactory.child(
        tree["district1"], Commission.Level.CLUB, code="CLUB-1", name_en="Young voters of Saryarka"
    )


def test_an_administrator_forms_a_club_and_appoints_its_coordinator(admin_client, tree):
    coordinator = UserFactory(email="coordinator@example.kz")

    created = admin_client.post(
        reverse("commissions_commission:add"),
        {
            "parent": tree["district1"].code,
            "code": "CLUB-7",
            "level": "club",
            "name_kk": "«Жас сайлаушы» клубы",
            "name_ru": "",
            "name_en": "",
        },
    )
    appointed = admin_client.post(
        reverse("commissions_managerrole:add"),
        {"user": "coordinator@example.kz", "commission": "CLUB-7"},
    )

    assert created.status_code == appointed.status_code == 302
    club = Commission.objects.get(code="CLUB-7")
    assert (club.level, club.get_parent()) == (Commission.Level.CLUB, tree["district1"])
    assert ManagerRole.objects.get(user=coordinator).commission == club


def test_a_club_under_a_precinct_is_a_form_error_and_nothing_is_created(admin_client, tree):
    response = admin_client.post(
        reverse("commissions_commission:add"),
        {"parent": tree["precinct11"].code, "code": "CLUB-8", "level": "club", "name_kk": "Клуб"},
    )

    assert response.status_code == 200
    assert "formed by a territorial commission" in response.content.decode()
    assert not Commission.objects.filter(code="CLUB-8").exists()


def test_the_header_and_my_branch_lead_a_coordinator_to_their_club(client, club):
    coordinator = ManagerRoleFactory(commission=club).user
    client.force_login(coordinator)

    home = client.get("/en/commissions/").content.decode()

    assert 'href="/en/commissions/"' in home
    assert f'href="/en/commissions/{club.code}/"' in home
    assert f'href="/en/reports/{club.code}/civic/"' in home
    assert "The club's civic education progress" in home


def test_the_club_page_lists_its_members_and_links_their_progress(client, club, tree):
    coordinator = ManagerRoleFactory(commission=club).user
    member = MembershipFactory(
        commission=club, position=Position.CLUB_MEMBER, user__full_name="Аружан Серікқызы"
    ).user
    MembershipFactory(commission=tree["district1"], user__full_name="Комиссия Мүшесі")
    client.force_login(coordinator)

    response = client.get(f"/en/commissions/{club.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Аружан Серікқызы" in html and "Club member" in html
    assert "Комиссия Мүшесі" not in html
    assert f'href="/en/reports/{club.code}/civic/"' in html
    assert client.get(f"/en/commissions/members/{member.pk}/").status_code == 200


def test_a_coordinator_is_refused_the_district_and_another_clubs_member(client, club, tree, caplog):
    coordinator = ManagerRoleFactory(commission=club).user
    other = CommissionFactory.child(tree["district1"], Commission.Level.CLUB, code="CLUB-2")
    stranger = MembershipFactory(commission=other, position=Position.CLUB_MEMBER).user
    client.force_login(coordinator)

    with caplog.at_level(logging.WARNING, logger="saylau.access"):
        district = client.get(f"/en/commissions/{tree['district1'].code}/")
        member = client.get(f"/en/commissions/members/{stranger.pk}/")

    assert district.status_code == member.status_code == 403
    assert sum("refused" in record.message for record in caplog.records) == 2


def test_the_district_manager_sees_the_club_it_formed(client, club, tree):
    manager = ManagerRoleFactory(commission=tree["district1"]).user
    member = MembershipFactory(commission=club, position=Position.CLUB_MEMBER).user
    client.force_login(manager)

    district = client.get(f"/en/commissions/{tree['district1'].code}/").content.decode()

    assert f'href="/en/commissions/{club.code}/"' in district
    assert client.get(f"/en/commissions/{club.code}/").status_code == 200
    assert client.get(f"/en/commissions/members/{member.pk}/").status_code == 200
