"""``manage.py seed_demo``: the demo a newcomer signs in to, the same after any number of runs."""

from io import StringIO

from django.core.management import CommandError, call_command

from wagtail.models import Locale, Page, Revision, Site

import pytest

from accounts.models import ConsentRecord, User
from cms.models import HomePage
from commissions.demo import DEMO_PASSWORD, SIGN_INS
from commissions.models import Commission, ManagerRole, Membership, Position
from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from commissions.selectors import branch_members, learner_access

KAZAKH_LETTERS = set("әғқңөұүһі")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    seed()
    return {user.username: user for user in User.objects.all()}


def row_counts() -> dict[str, int]:
    models = (Commission, User, Membership, ManagerRole, ConsentRecord, Page, Revision)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["group seats"] = User.groups.through.objects.count()
    return counts


def test_running_seed_demo_twice_adds_nothing(demo):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "0 people and 0 seats added" in output
    assert "already there" in output


def test_demo_tree_is_the_cec_two_oblasts_four_districts_twenty_precincts_and_a_club(demo):
    levels = Commission.objects.values_list("level", flat=True)
    assert sorted(levels) == sorted(
        ["central"] + ["oblast"] * 2 + ["district"] * 4 + ["precinct"] * 20 + ["club"]
    )
    assert Commission.objects.get(code="CEC").is_root()
    assert Commission.objects.filter(code="PEC-0214", level="precinct").exists()
    assert all(not problems for problems in Commission.find_problems())


@pytest.mark.parametrize("sign_in", SIGN_INS, ids=lambda s: s.username)
def test_every_sign_in_signs_in_with_the_demo_password(client, demo, sign_in):
    response = client.post(
        "/accounts/sign-in/", {"username": sign_in.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(demo[sign_in.username].pk)
    user = demo[sign_in.username]
    assert user.email.endswith("@example.kz")
    assert len(user.full_name.split()) == 3


def test_admin_is_a_superuser_and_a_central_administrator(demo):
    admin = demo["admin"]
    assert admin.is_superuser and admin.is_staff
    assert admin.groups.filter(name=CENTRAL_ADMINISTRATORS).exists()


def test_trainer_opens_the_admin_and_may_edit_the_home_page(client, demo):
    trainer = demo["trainer"]
    assert list(trainer.groups.values_list("name", flat=True)) == [TRAINERS]
    assert not trainer.is_superuser
    client.force_login(trainer)
    assert client.get("/admin/").status_code == 200
    home = Site.objects.get(is_default_site=True).root_page
    assert home.permissions_for_user(trainer).can_edit()
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200


def test_managers_manage_the_first_oblast_a_district_in_it_and_a_precinct_in_that(demo):
    oblast = ManagerRole.objects.get(user=demo["manager-oblast"]).commission
    district = ManagerRole.objects.get(user=demo["manager-district"]).commission
    precinct = ManagerRole.objects.get(user=demo["manager-precinct"]).commission
    assert (oblast.level, district.level, precinct.level) == ("oblast", "district", "precinct")
    assert oblast.contains(district) and district.contains(precinct)
    assert oblast == Commission.objects.get(code="CEC").get_first_child()


def test_manager_precinct_is_its_secretary_and_member_sits_in_the_same_precinct(demo):
    precinct = ManagerRole.objects.get(user=demo["manager-precinct"]).commission
    seats = Membership.objects.filter(commission=precinct)
    assert seats.get(user=demo["manager-precinct"]).position == Position.SECRETARY
    assert seats.get(user=demo["member"]).position == Position.MEMBER
    assert seats.filter(position=Position.SECRETARY).count() == 1


def test_manager_districts_branch_holds_the_member(demo):
    district = ManagerRole.objects.get(user=demo["manager-district"]).commission
    assert demo["member"] in {seat.user for seat in branch_members(commission=district)}


def test_manager_precinct_sees_the_member_but_not_a_member_of_another_precinct(demo):
    manager, member = demo["manager-precinct"], demo["member"]
    assert learner_access(viewer=manager, learner=member)
    elsewhere = Membership.objects.exclude(commission=member.memberships.get().commission)
    stranger = elsewhere.filter(commission__level="precinct", position=Position.MEMBER).first()
    assert not learner_access(viewer=manager, learner=stranger.user)


def test_youth_sits_only_in_the_young_voters_club_and_reads_kazakh(demo):
    youth = demo["youth"]
    assert list(youth.memberships.values_list("commission__level", "position")) == [
        ("club", "club_member")
    ]
    assert not youth.manager_roles.exists()
    assert youth.preferred_language == "kk"


def test_every_precinct_has_every_position(demo):
    for precinct in Commission.objects.filter(level="precinct"):
        positions = sorted(precinct.memberships.values_list("position", flat=True))
        assert positions == sorted(
            ["chair", "deputy_chair", "secretary", "member", "member", "member", "reserve"]
        ), precinct.code
    for territorial in Commission.objects.exclude(level__in=["precinct", "club"]):
        assert territorial.memberships.filter(position="chair").exists(), territorial.code


def test_demo_members_have_kazakh_and_russian_names_contacts_and_languages(demo):
    members = User.objects.filter(memberships__isnull=False)
    assert members.count() == Membership.objects.count()
    assert all(m.email or m.phone for m in members)
    assert (
        sum(bool(KAZAKH_LETTERS & set(m.full_name.lower())) for m in members) > members.count() / 2
    )
    languages = list(members.values_list("preferred_language", flat=True))
    assert languages.count("kk") > languages.count("ru") > 0


def test_every_demo_person_has_given_personal_data_consent(demo):
    consented = ConsentRecord.objects.active().filter(purpose="personal_data")
    assert consented.count() == User.objects.count()


def test_home_page_is_published_in_kazakh_russian_and_english(client, demo):
    home = HomePage.objects.get(locale__language_code="kk")
    for language, words in {"kk": "кімге арналған", "ru": "Для кого", "en": "Who the"}.items():
        page = home.get_translation(Locale.objects.get(language_code=language))
        assert page.live and not page.has_unpublished_changes
        assert page.intro and page.body
        prefix = "" if language == "kk" else f"/{language}"
        response = client.get(f"{prefix}/")
        assert response.status_code == 200
        assert words in response.content.decode()


def test_a_trainers_edit_to_the_home_page_survives_another_run(demo):
    ru = HomePage.objects.get(locale__language_code="ru")
    ru.intro = "Отредактировано тренером."
    ru.save_revision().publish()
    seed()
    assert HomePage.objects.get(pk=ru.pk).intro == "Отредактировано тренером."


def test_scale_without_national_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "0.5")
