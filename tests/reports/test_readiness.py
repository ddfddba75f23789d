"""The readiness numbers of a branch, counted against the hand-built picture in conftest.py."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from commissions.models import Position
from reports.selectors import Counts, branch_not_trained, branch_readiness
from tests.factories import (
    CommissionFactory,
    ElectionEventFactory,
    EnrollmentFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def counts(assigned, started, completed, passed, certified, overdue=0):
    return Counts(assigned, started, completed, passed, certified, overdue)


def test_the_whole_tree_counts_every_assigned_member_once_in_each_status(picture, tree):
    report = branch_readiness(commission=tree["central"], event=picture.event)

    assert report.total == counts(8, 6, 3, 2, 2)
    assert report.total.percent("completed") == 38
    assert report.own == Counts()


def test_the_central_commission_is_broken_down_by_oblast(picture, tree):
    report = branch_readiness(commission=tree["central"], event=picture.event)

    assert [child.commission for child in report.children] == [tree["oblast1"], tree["oblast2"]]
    assert [child.counts for child in report.children] == [
        counts(6, 5, 3, 2, 2),
        counts(2, 1, 0, 0, 0),
    ]


def test_a_district_is_broken_down_by_precinct_and_by_position(picture, tree):
    report = branch_readiness(commission=tree["district1"], event=picture.event)

    assert {child.key: child.counts for child in report.children} == {
        tree["precinct11"].code: counts(4, 3, 1, 1, 1),
        tree["precinct12"].code: counts(2, 2, 2, 1, 1),
    }
    assert {row.key: row.counts for row in report.positions} == {
        Position.CHAIR: counts(2, 2, 1, 1, 1),
        Position.MEMBER: counts(4, 3, 2, 1, 1),
    }
    assert report.total == counts(6, 5, 3, 2, 2)


def test_a_precinct_has_no_children_and_counts_its_own_members(picture, tree):
    report = branch_readiness(commission=tree["precinct12"], event=picture.event)

    assert report.children == []
    assert report.total == report.own == counts(2, 2, 2, 1, 1)


def test_completed_needs_every_assigned_course_not_one(picture, tree):
    """chair11 completed course A but not B: started, not completed."""
    report = branch_readiness(commission=tree["precinct11"], event=picture.event)
    chairs = {row.key: row.counts for row in report.positions}[Position.CHAIR]

    assert chairs == counts(1, 1, 0, 0, 0)


def test_after_the_training_deadline_everyone_not_completed_is_overdue(build_picture, tree):
    past = timezone.localdate() - timedelta(days=1)
    event = ElectionEventFactory(training_deadline=past, vote_date=past, status="closed")
    picture = build_picture(event=event)

    report = branch_readiness(commission=tree["central"], event=picture.event)

    assert report.deadline_passed
    assert report.total.overdue == 5
    assert report.total.percent("overdue") == 62


def test_another_event_has_nothing_assigned(picture, tree):
    report = branch_readiness(commission=tree["central"], event=picture.other_event)

    assert report.total == Counts()
    assert [child.counts for child in report.children] == [Counts(), Counts()]
    assert report.positions == []


def test_a_branch_with_no_members_is_an_empty_report(picture):
    lonely = CommissionFactory.root()

    report = branch_readiness(commission=lonely, event=picture.event)

    assert report.total == Counts()
    assert report.total.percent("completed") == 0
    assert report.children == [] and report.positions == []


def test_the_not_trained_list_holds_everyone_assigned_who_has_not_completed(picture, tree):
    seats = branch_not_trained(commission=tree["central"], event=picture.event)

    names = {seat.user for seat in seats}
    assert names == {picture.people[name] for name in ("fresh", "halfway", "chair11", "trying")} | {
        picture.people["elsewhere"]
    }


def test_the_not_trained_list_filters_and_sorts(picture, tree):
    by_progress = branch_not_trained(
        commission=tree["central"], event=picture.event, ordering="-progress"
    )
    assert [seat.progress for seat in by_progress] == [65, 50, 0, 0, 0]

    chairs = branch_not_trained(
        commission=tree["central"], event=picture.event, filters={"position": Position.CHAIR}
    )
    assert [seat.user for seat in chairs] == [picture.people["chair11"]]

    in_oblast2 = branch_not_trained(
        commission=tree["central"], event=picture.event, filters={"commission": tree["oblast2"]}
    )
    assert {seat.user for seat in in_oblast2} == {
        picture.people["trying"],
        picture.people["elsewhere"],
    }


def test_the_number_of_queries_does_not_grow_with_the_tree(picture, tree):
    """A second, bigger branch under oblast2: more districts, precincts and members."""

    def measure():
        with CaptureQueriesContext(connection) as context:
            report = branch_readiness(commission=tree["central"], event=picture.event)
            seats = branch_not_trained(
                commission=tree["central"], event=picture.event, requirements=report.requirements
            )
            list(seats[:50])
        return report, len(context.captured_queries)

    small, small_queries = measure()
    for _ in range(3):
        district = CommissionFactory.child(tree["oblast2"], "district")
        for _ in range(3):
            precinct = CommissionFactory.child(district, "precinct")
            for position in (Position.CHAIR, Position.MEMBER, Position.MEMBER):
                seat = MembershipFactory(commission=precinct, position=position)
                EnrollmentFactory(
                    user=seat.user,
                    course=picture.course_a,
                    event=picture.event,
                    progress_percent=10,
                )
    big, big_queries = measure()

    assert big.total.assigned == small.total.assigned + 27
    assert big.total.started == small.total.started + 27
    # The event's assignments and final tests (3), the grouped counts, the child commissions,
    # and a page of the members not yet trained.
    assert big_queries == small_queries == 6
