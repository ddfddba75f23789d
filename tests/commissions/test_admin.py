"""The commissions admin: the tree, seats, manager roles and member files."""

import csv
import io
import json
import re

from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.users.models import UserProfile

import pytest

from accounts.models import User
from commissions.models import Commission, ManagerRole, MemberImport, Membership
from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from tests.factories import CommissionFactory, MembershipFactory, UserFactory

HEADER = ["full_name", "email", "phone", "commission_code", "position", "language"]


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    field = MemberImport._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


def in_english(user):
    """Wagtail shows its admin in the user's admin language (Kazakh, the site default, unless
    they chose another)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin_client(client, db):
    client.force_login(in_english(UserFactory(is_superuser=True, is_staff=True, username="root")))
    return client


def csv_upload(rows, name="members.csv"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    upload = io.BytesIO(buffer.getvalue().encode())
    upload.name = name
    return upload


def sidebar_labels(response) -> set[str]:
    """The labels of the admin's sidebar menu, which Wagtail sends as JSON to its script."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.text,
        re.DOTALL,
    )
    labels = set()

    def collect(value):
        if isinstance(value, dict):
            if isinstance(value.get("label"), str):
                labels.add(value["label"])
            values = value.values()
        elif isinstance(value, list):
            values = value
        else:
            return
        for item in values:
            collect(item)

    collect(json.loads(props.group(1)))
    return labels


def commission_url(name, *args):
    return reverse(f"commissions_commission:{name}", args=args)


def import_url(name, *args):
    return reverse(f"commissions_memberimport:{name}", args=args)


# The tree ----------------------------------------------------------------------------------


def test_commission_listing_starts_at_the_top_and_drills_down(admin_client, tree):
    top = admin_client.get(commission_url("index"))

    assert top.status_code == 200
    assert tree["central"].code in top.text
    assert tree["oblast1"].code not in top.text
    assert f"?parent={tree['central'].code}" in top.text

    below = admin_client.get(commission_url("index"), {"parent": tree["oblast1"].code})

    assert below.status_code == 200
    assert tree["district1"].code in below.text
    assert tree["precinct11"].code not in below.text
    assert tree["district2"].code not in below.text


def test_commission_search_looks_through_the_whole_tree(admin_client, tree):
    response = admin_client.get(commission_url("index"), {"q": tree["precinct22"].code})

    assert response.status_code == 200
    assert tree["precinct22"].code in response.text
    assert tree["precinct11"].code not in response.text


def test_commission_listing_queries_do_not_grow_with_the_tree(
    admin_client, tree, django_assert_max_num_queries
):
    district = tree["district1"]
    for _ in range(40):
        CommissionFactory.child(district, Commission.Level.PRECINCT)

    with django_assert_max_num_queries(25):
        response = admin_client.get(commission_url("index"), {"parent": district.code})

    assert response.status_code == 200


def test_commission_is_created_under_a_parent_typed_by_code(admin_client, tree):
    response = admin_client.post(
        commission_url("add"),
        {
            "parent": tree["district2"].code,
            "code": "P-0451",
            "level": "precinct",
            "name_kk": "№451 учаскелік сайлау комиссиясы",
            "name_ru": "УИК №451",
            "name_en": "",
        },
    )

    assert response.status_code == 302
    created = Commission.objects.get(code="P-0451")
    assert created.get_parent().pk == tree["district2"].pk
    assert created.name_kk == "№451 учаскелік сайлау комиссиясы"


def test_commission_create_form_has_no_select_of_commissions(admin_client, tree):
    response = admin_client.get(commission_url("add"), {"parent": tree["district1"].code})

    assert response.status_code == 200
    assert 'name="parent"' in response.text
    assert f'value="{tree["district1"].code}"' in response.text
    assert "<select" in response.text  # the level only
    assert tree["precinct11"].code not in response.text


def test_commission_in_the_wrong_level_is_refused_with_a_form_error(admin_client, tree):
    response = admin_client.post(
        commission_url("add"),
        {"parent": tree["precinct11"].code, "code": "X-1", "level": "district", "name_kk": "X"},
    )

    assert response.status_code == 200
    assert "must rank below its parent" in response.text
    assert not Commission.objects.filter(code="X-1").exists()


def test_unknown_parent_code_is_a_form_error(admin_client, tree):
    response = admin_client.post(
        commission_url("add"),
        {"parent": "NOWHERE", "code": "X-1", "level": "precinct", "name_kk": "X"},
    )

    assert response.status_code == 200
    assert "NOWHERE" in response.text
    assert not Commission.objects.filter(code="X-1").exists()


def test_commission_names_are_edited(admin_client, tree):
    precinct = tree["precinct11"]

    response = admin_client.post(
        commission_url("edit", precinct.pk),
        {"name_kk": "Жаңа атау", "name_ru": "Новое имя", "name_en": "New name"},
    )

    assert response.status_code == 302
    precinct.refresh_from_db()
    assert (precinct.name_kk, precinct.name_ru, precinct.name_en) == (
        "Жаңа атау",
        "Новое имя",
        "New name",
    )


def test_commission_moves_to_another_parent(admin_client, tree):
    precinct = tree["precinct11"]

    response = admin_client.post(
        commission_url("move", precinct.pk), {"new_parent": tree["district2"].code}
    )

    assert response.status_code == 302
    precinct.refresh_from_db()
    assert precinct.get_parent().pk == tree["district2"].pk


def test_move_into_own_branch_is_a_form_error(admin_client, tree):
    oblast = tree["oblast1"]
    before = oblast.path

    response = admin_client.post(
        commission_url("move", oblast.pk), {"new_parent": tree["precinct12"].code}
    )

    assert response.status_code == 200
    assert "cannot be moved under one of the commissions below it" in response.text
    oblast.refresh_from_db()
    assert oblast.path == before


def test_commission_with_members_is_not_deleted(admin_client, tree):
    precinct = tree["precinct11"]
    MembershipFactory(commission=precinct)

    response = admin_client.post(commission_url("delete", precinct.pk))

    assert response.status_code == 302
    assert Commission.objects.filter(pk=precinct.pk).exists()


# Seats and manager roles -------------------------------------------------------------------


def test_membership_is_created_by_typing_an_email_and_a_code(admin_client, tree):
    person = UserFactory(email="seat@example.kz")

    response = admin_client.post(
        reverse("commissions_membership:add"),
        {
            "user": "SEAT@example.kz",
            "commission": tree["precinct21"].code,
            "position": "secretary",
            "started_on": "2026-01-10",
            "ended_on": "",
        },
    )

    assert response.status_code == 302
    seat = Membership.objects.get(user=person)
    assert (seat.commission, seat.position) == (tree["precinct21"], "secretary")


def test_second_open_seat_in_one_commission_is_a_form_error(admin_client, tree):
    seat = MembershipFactory(commission=tree["precinct21"])

    response = admin_client.post(
        reverse("commissions_membership:add"),
        {
            "user": seat.user.username,
            "commission": tree["precinct21"].code,
            "position": "chair",
            "started_on": "2026-01-10",
        },
    )

    assert response.status_code == 200
    assert "already holds an open seat" in response.text
    assert Membership.objects.count() == 1


def test_membership_edit_form_shows_the_username_and_code(admin_client, tree):
    seat = MembershipFactory(commission=tree["precinct21"])

    response = admin_client.get(reverse("commissions_membership:edit", args=[seat.pk]))

    assert response.status_code == 200
    assert f'value="{seat.user.username}"' in response.text
    assert f'value="{tree["precinct21"].code}"' in response.text


def test_membership_listing_searches_by_person(admin_client, tree):
    MembershipFactory(commission=tree["precinct21"], user=UserFactory(full_name="Іздеу Мақсаты"))
    MembershipFactory(commission=tree["precinct21"], user=UserFactory(full_name="Басқа Біреу"))

    response = admin_client.get(reverse("commissions_membership:index"), {"q": "Іздеу"})

    assert response.status_code == 200
    assert "Іздеу Мақсаты" in response.text
    assert "Басқа Біреу" not in response.text


def test_membership_listing_queries_do_not_grow_with_the_seats(
    admin_client, tree, django_assert_max_num_queries
):
    for _ in range(30):
        MembershipFactory(commission=tree["precinct21"])

    with django_assert_max_num_queries(25):
        response = admin_client.get(reverse("commissions_membership:index"))

    assert response.status_code == 200


def test_manager_role_is_granted_by_typing_a_phone_and_a_code(admin_client, tree):
    manager = UserFactory()
    manager.phone = "+77017778899"
    manager.save()

    response = admin_client.post(
        reverse("commissions_managerrole:add"),
        {"user": "8 701 777 88 99", "commission": tree["district1"].code},
    )

    assert response.status_code == 302
    assert ManagerRole.objects.get(user=manager).commission == tree["district1"]


# Member files --------------------------------------------------------------------------------


def test_good_file_is_checked_applied_and_reported(
    admin_client, tree, django_capture_on_commit_callbacks
):
    code = tree["precinct12"].code
    upload = csv_upload(
        [
            ["Әсел Жұмабаева", "asel@example.kz", "", code, "chair", ""],
            ["Қайрат Нұров", "", "87012345678", code, "member", "ru"],
        ]
    )

    response = admin_client.post(import_url("upload"), {"file": upload})

    member_import = MemberImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == import_url("report", member_import.pk)
    report = admin_client.get(response["Location"])
    assert "members.csv: 2 rows, uploaded" in report.text
    assert "2 rows ready to apply." in report.text
    assert 'data-count="created">2<' in report.text
    assert not User.objects.filter(email="asel@example.kz").exists()

    with django_capture_on_commit_callbacks(execute=True):
        applied = admin_client.post(import_url("apply", member_import.pk))

    assert applied.status_code == 302
    status_page = admin_client.get(applied["Location"])
    assert 'data-import-status="applied"' in status_page.text
    assert 'data-count="created">2<' in status_page.text
    assert "Apply</button>" not in status_page.text
    assert User.objects.get(email="asel@example.kz").memberships.get().position == "chair"


def test_bad_file_shows_the_per_row_report_and_cannot_be_applied(admin_client, tree):
    code = tree["precinct12"].code
    upload = csv_upload(
        [
            ["Әсел Жұмабаева", "not-an-email", "", code, "chair", ""],
            ["", "", "87012345678", "NOPE", "member", "ru"],
        ]
    )

    response = admin_client.post(import_url("upload"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert "data-import-problems" in response.text
    assert "“not-an-email” is not an email address." in response.text
    assert "The full name is empty." in response.text
    assert "Apply</button>" not in response.text
    member_import = MemberImport.objects.get()
    assert member_import.status == MemberImport.Status.INVALID

    refused = admin_client.post(import_url("apply", member_import.pk), follow=True)

    assert "cannot be applied" in refused.text
    assert not Membership.objects.exists()


def test_same_file_again_says_it_was_already_applied(
    admin_client, tree, django_capture_on_commit_callbacks
):
    rows = [["Әсел Жұмабаева", "asel@example.kz", "", tree["precinct12"].code, "chair", ""]]
    admin_client.post(import_url("upload"), {"file": csv_upload(rows)})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(import_url("apply", MemberImport.objects.get().pk))

    response = admin_client.post(import_url("upload"), {"file": csv_upload(rows)}, follow=True)

    assert "already applied" in response.text
    assert "members.csv: 1 row, uploaded" in response.text
    assert 'data-count="unchanged">1<' in response.text


def test_import_listing_shows_uploads(admin_client, tree):
    rows = [["Әсел Жұмабаева", "asel@example.kz", "", tree["precinct12"].code, "chair", ""]]
    admin_client.post(import_url("upload"), {"file": csv_upload(rows, "ақпан.csv")})

    response = admin_client.get(import_url("index"))

    assert response.status_code == 200
    assert "ақпан.csv" in response.text


def test_central_administrator_group_may_import(client, tree):
    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=CENTRAL_ADMINISTRATORS))
    client.force_login(administrator)

    assert client.get(import_url("upload")).status_code == 200
    assert client.get(commission_url("index")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        lambda: import_url("index"),
        lambda: import_url("upload"),
        lambda: commission_url("index"),
        lambda: reverse("commissions_membership:index"),
    ],
)
def test_trainer_is_refused(client, tree, url):
    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(trainer)

    response = client.get(url())

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_member_without_admin_access_cannot_upload(client, tree):
    client.force_login(UserFactory())

    response = client.post(
        import_url("upload"),
        {"file": csv_upload([["А Б", "a@example.kz", "", tree["precinct11"].code, "chair", ""]])},
    )

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not MemberImport.objects.exists()


def test_commissions_menu_is_for_central_administrators_only(client, tree):
    """Checked in Kazakh, the admin's language unless a user chooses another."""
    with translation.override("kk"):
        menu_label = gettext("Member imports")
    administrator = UserFactory()
    administrator.groups.add(Group.objects.get(name=CENTRAL_ADMINISTRATORS))
    client.force_login(administrator)

    assert menu_label in sidebar_labels(client.get(reverse("wagtailadmin_home")))

    trainer = UserFactory()
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    client.force_login(trainer)

    labels = sidebar_labels(client.get(reverse("wagtailadmin_home")))
    assert labels  # the trainer has a menu, only without the member imports
    assert menu_label not in labels
