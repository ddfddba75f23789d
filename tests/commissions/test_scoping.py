"""Who may see whose records: the rule every report and page relies on."""

import logging

from django.contrib.auth.models import Group
from django.utils import translation

import pytest

from commissions.models import Commission, Membership, Position
from commissions.roles import CENTRAL_ADMINISTRATORS
from commissions.selectors import branch_members, commission_access, learner_access
from tests.factories import CommissionFactory, ManagerRoleFactory, MembershipFactory, UserFactory


@pytest.fixture
def people(tree):
    member_a = MembershipFactory(commission=tree["precinct11"]).user
    member_b = MembershipFactory(commission=tree["precinct21"]).user
    return {
        "member_a": member_a,
        "member_b": member_b,
        "district1_manager": ManagerRoleFactory(commission=tree["district1"]).user,
        "precinct12_manager": ManagerRoleFactory(commission=tree["precinct12"]).user,
        "outsider": UserFactory(),
    }


def test_learner_sees_own_records(people):
    assert learner_access(viewer=people["member_a"], learner=people["member_a"])


def test_district_manager_sees_a_member_of_a_precinct_below(people, tree):
    decision = learner_access(viewer=people["district1_manager"], learner=people["member_a"])
    assert decision.allowed
    assert decision.via == tree["district1"]
    assert tree["district1"].code in decision.reason


def test_manager_does_not_see_a_member_of_another_branch(people):
    with translation.override("en"):
        decision = learner_access(viewer=people["district1_manager"], learner=people["member_b"])
    assert not decision.allowed
    assert "outside every branch" in decision.reason


def test_precinct_manager_does_not_see_the_neighbouring_precinct(people):
    assert not learner_access(viewer=people["precinct12_manager"], learner=people["member_a"])


def test_plain_member_does_not_see_a_colleague(people, tree):
    colleague = MembershipFactory(commission=tree["precinct11"]).user
    assert not learner_access(viewer=people["member_a"], learner=colleague)


def test_central_administrator_sees_everyone(people):
    admin = UserFactory()
    admin.groups.add(Group.objects.get(name=CENTRAL_ADMINISTRATORS))
    assert learner_access(viewer=admin, learner=people["member_b"])


def test_former_member_leaves_the_managers_view(people, tree):
    Membership.objects.filter(user=people["member_a"]).update(
        started_on="2020-01-01", ended_on="2020-12-31"
    )
    assert not learner_access(viewer=people["district1_manager"], learner=people["member_a"])


def test_manager_of_a_prefix_sharing_code_does_not_leak(db):
    """Branch scope uses tree paths, never code prefixes: PEC-1 does not contain PEC-10."""
    root = CommissionFactory.root()
    oblast = CommissionFactory.child(root, Commission.Level.OBLAST)
    district = CommissionFactory.child(oblast, Commission.Level.DISTRICT)
    one = CommissionFactory.child(district, Commission.Level.PRECINCT, code="PEC-1")
    ten = CommissionFactory.child(district, Commission.Level.PRECINCT, code="PEC-10")
    manager = ManagerRoleFactory(commission=one).user
    learner = MembershipFactory(commission=ten).user
    assert not learner_access(viewer=manager, learner=learner)


def test_branch_members_are_everyone_below_and_nobody_else(people, tree):
    in_district1 = {m.user for m in branch_members(commission=tree["district1"])}
    assert people["member_a"] in in_district1
    assert people["member_b"] not in in_district1
    everyone = {m.user for m in branch_members(commission=tree["central"])}
    assert {people["member_a"], people["member_b"]} <= everyone


def test_commission_access_follows_the_branch(people, tree):
    manager = people["district1_manager"]
    assert commission_access(viewer=manager, commission=tree["precinct11"])
    assert commission_access(viewer=manager, commission=tree["district1"])
    assert not commission_access(viewer=manager, commission=tree["oblast1"])
    assert not commission_access(viewer=manager, commission=tree["precinct21"])


@pytest.fixture
def wide_tree(tree):
    """A few hundred members across the tree, to show the query count does not grow."""
    for key in ("precinct11", "precinct12", "precinct21", "precinct22"):
        for position in Position.values:
            if position == Position.CLUB_MEMBER:
                continue  # a precinct seats no club members
            for _ in range(10):
                MembershipFactory(commission=tree[key], position=position)
    return tree


def test_branch_members_costs_one_query_whatever_the_size(wide_tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        members = list(branch_members(commission=wide_tree["central"]))
        names = [m.user.get_full_name() + m.commission.code for m in members]
    assert len(names) == 200


def test_learner_access_costs_at_most_three_queries(
    people, wide_tree, django_assert_max_num_queries
):
    learner = Membership.objects.filter(commission=wide_tree["precinct22"]).last().user
    with django_assert_max_num_queries(3):
        assert not learner_access(viewer=people["district1_manager"], learner=learner)
    with django_assert_max_num_queries(3):
        assert learner_access(viewer=people["district1_manager"], learner=people["member_a"])


def test_refused_member_page_is_403_and_logged(client, people, caplog):
    client.force_login(people["district1_manager"])
    with caplog.at_level(logging.WARNING, logger="saylau.access"):
        response = client.get(f"/en/commissions/members/{people['member_b'].pk}/")
    assert response.status_code == 403
    assert "outside every branch" in response.content.decode()
    assert any("refused" in record.message for record in caplog.records)


def test_member_page_for_a_member_of_the_branch(client, people):
    client.force_login(people["district1_manager"])
    response = client.get(f"/commissions/members/{people['member_a'].pk}/")
    assert response.status_code == 200
    assert people["member_a"].full_name in response.content.decode()


def test_unknown_member_id_is_404(client, people):
    client.force_login(people["district1_manager"])
    assert client.get("/commissions/members/999999/").status_code == 404


def test_commission_page_inside_branch_lists_members(client, people, tree):
    client.force_login(people["district1_manager"])
    response = client.get(f"/commissions/{tree['precinct11'].code}/")
    assert response.status_code == 200
    assert people["member_a"].full_name in response.content.decode()


def test_commission_page_outside_branch_is_refused(client, people, tree):
    client.force_login(people["district1_manager"])
    response = client.get(f"/commissions/{tree['oblast2'].code}/")
    assert response.status_code == 403


def test_unknown_commission_code_is_404(client, people):
    client.force_login(people["district1_manager"])
    response = client.get("/commissions/NO-SUCH-CODE/")
    assert response.status_code == 404


def test_commission_page_query_count_does_not_grow_with_members(
    client, people, wide_tree, django_assert_max_num_queries
):
    client.force_login(people["district1_manager"])
    with django_assert_max_num_queries(12):
        response = client.get(f"/commissions/{wide_tree['precinct11'].code}/")
    assert response.status_code == 200


def test_breadcrumb_starts_at_the_managers_own_commission(client, people, tree):
    client.force_login(people["district1_manager"])
    content = client.get(f"/commissions/{tree['precinct11'].code}/").content.decode()
    assert f"/commissions/{tree['district1'].code}/" in content
    assert f"/commissions/{tree['oblast1'].code}/" not in content
    assert f"/commissions/{tree['central'].code}/" not in content


def test_dates_are_written_the_kazakh_way(client, people):
    client.force_login(people["district1_manager"])
    Membership.objects.filter(user=people["member_a"]).update(started_on="2026-03-05")
    content = client.get(f"/commissions/members/{people['member_a'].pk}/").content.decode()
    assert "05.03.2026" in content
