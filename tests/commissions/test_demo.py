"""The national-scale tree built for benchmarks: consistent, fully seated, built in batches."""

from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.models import User
from commissions.demo import DEMO_PASSWORD, national_seed
from commissions.demo.national import ROOT_CODE, USERNAME_PREFIX, _step
from commissions.models import Commission, ManagerRole, Membership, Position
from commissions.selectors import branch_members

SCALE = "0.01"


def seed_national(*extra: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--national", "--scale", SCALE, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def national(db):
    seed_national()
    return Commission.objects.get(code=ROOT_CODE)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Commission, User, Membership)}


def test_treebeard_finds_no_problem_in_the_national_tree(national):
    assert Commission.find_problems() == ([], [], [], [], [])


def test_every_node_counts_its_children_and_sits_at_its_level(national):
    nodes = list(Commission.objects.branch_of(national))
    children = Counter(node.path[: -Commission.steplen] for node in nodes)
    expected_level = {1: "central", 2: "oblast", 3: "district", 4: "precinct"}
    for node in nodes:
        assert node.numchild == children[node.path], node.code
        assert node.depth == len(node.path) // 4
        assert node.level == expected_level[node.depth], node.code
    assert national.get_children().count() == 20


def test_national_tree_keeps_its_shape_when_scaled_down(national):
    levels = Counter(Commission.objects.branch_of(national).values_list("level", flat=True))
    assert levels["oblast"] == 20
    assert 20 <= levels["district"] <= 30
    assert 100 <= levels["precinct"] <= 130


def test_every_national_commission_has_a_chair_secretary_and_members(national):
    seats = Counter(
        Membership.objects.in_branch(national).values_list("commission__level", "position")
    )
    for level in ("central", "oblast", "district", "precinct"):
        for position in (Position.CHAIR, Position.DEPUTY_CHAIR, Position.SECRETARY):
            assert (
                seats[level, position]
                == Commission.objects.branch_of(national).filter(level=level).count()
            )
        assert seats[level, Position.MEMBER] >= 2
    assert seats["precinct", Position.RESERVE] > 0
    precincts = Commission.objects.branch_of(national).filter(level="precinct").count()
    per_precinct = sum(n for (level, _p), n in seats.items() if level == "precinct") / precincts
    assert 6.5 < per_precinct < 8


def test_every_national_commission_is_managed_by_its_chair(national):
    commissions = Commission.objects.branch_of(national)
    roles = ManagerRole.objects.filter(commission__in=commissions).select_related("commission")
    assert roles.count() == commissions.count()
    chairs = set(
        Membership.objects.in_branch(national)
        .filter(position=Position.CHAIR)
        .values_list("user_id", "commission_id")
    )
    assert {(role.user_id, role.commission_id) for role in roles} == chairs


def test_national_people_share_one_demo_password_hash(national):
    people = User.objects.filter(username__startswith=USERNAME_PREFIX)
    assert people.count() == Membership.objects.in_branch(national).count()
    assert people.values("password").distinct().count() == 1
    assert people.first().check_password(DEMO_PASSWORD)


def test_national_tree_stays_out_of_the_demo_managers_branches(national):
    demo_root = Commission.objects.get(code="CEC")
    assert not demo_root.contains(national)
    for username in ("manager-oblast", "manager-district", "manager-precinct"):
        role = ManagerRole.objects.get(user__username=username)
        seated = branch_members(commission=role.commission)
        assert not seated.filter(user__username__startswith=USERNAME_PREFIX).exists()


def test_seeding_the_national_tree_again_changes_nothing(national):
    before = row_counts()
    assert "Already there" in seed_national()
    assert row_counts() == before


def test_reset_rebuilds_the_national_tree_without_leftovers(national):
    before = row_counts()
    assert "Built" in seed_national("--reset")
    assert row_counts() == before
    assert Commission.find_problems() == ([], [], [], [], [])
    assert not Commission.objects.filter(pk=national.pk).exists()


def test_national_tree_goes_in_batches_not_a_query_per_row(db):
    with CaptureQueriesContext(connection) as queries:
        summary = national_seed(scale=0.02)
    rows = summary.commissions + 2 * summary.members + summary.managers
    assert rows > 3000
    # SQLite takes ~75 users per INSERT (999 parameters), PostgreSQL 2,000.
    assert len(queries) < rows / 50


def test_path_steps_match_treebeards():
    for number in (1, 9, 10, 35, 36, 37, 1295, 1296, 10_250):
        assert _step(number) == Commission._get_path("", 1, number)
