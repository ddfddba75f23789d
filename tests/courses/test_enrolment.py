"""Enrolment: by assignment for an election event (position, level, event), for members imported
after the assignment, on "My training", and by joining an open course."""

import csv
import io

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone

import pytest

from commissions.models import Commission, ElectionEvent, MemberImport, Position
from commissions.services import member_import_apply, member_import_check
from courses.models import Enrollment
from courses.services import assignment_enrol, assignment_enrol_after_commit, course_join
from courses.tasks import sync_enrolments
from tests.factories import (
    AssignmentFactory,
    CourseTree,
    ElectionEventFactory,
    EnrollmentFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def seat(tree, where: str, position: str = Position.MEMBER, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, commission=tree[where], position=position)
    return user


def enrolled_ids(course, event=None) -> set[int]:
    enrolments = Enrollment.objects.for_course(course)
    if event is not None:
        enrolments = enrolments.filter(event=event)
    return set(enrolments.values_list("user_id", flat=True))


# By assignment -------------------------------------------------------------------------------


def test_assignment_enrols_people_seated_in_its_positions_at_its_levels(tree, course):
    member = seat(tree, "precinct11")
    secretary = seat(tree, "precinct22", Position.SECRETARY)
    chair = seat(tree, "precinct12", Position.CHAIR)
    district_member = seat(tree, "district1")
    assignment = AssignmentFactory(
        course=course,
        positions=[Position.MEMBER, Position.SECRETARY],
        levels=[Commission.Level.PRECINCT],
    )

    assert assignment_enrol(assignment=assignment) == 2

    assert enrolled_ids(course) == {member.pk, secretary.pk}
    assert chair.pk not in enrolled_ids(course)
    assert district_member.pk not in enrolled_ids(course)
    enrolment = Enrollment.objects.get(user=member)
    assert enrolment.event == assignment.event
    assert enrolment.source == Enrollment.Source.ASSIGNMENT
    assert enrolment.course_key == course.translation_key
    assert enrolment.progress_percent == 0 and enrolment.completed_at is None


def test_assignment_skips_ended_seats_and_deactivated_accounts(tree, course):
    former = UserFactory()
    MembershipFactory(
        user=former,
        commission=tree["precinct11"],
        started_on=timezone.localdate().replace(year=2020),
        ended_on=timezone.localdate(),
    )
    inactive = seat(tree, "precinct11", is_active=False)
    current = seat(tree, "precinct11")

    assignment_enrol(assignment=AssignmentFactory(course=course))

    assert enrolled_ids(course) == {current.pk}
    assert former.pk not in enrolled_ids(course) and inactive.pk not in enrolled_ids(course)


def test_enrolling_an_assignment_twice_enrols_nobody_twice(tree, course):
    seat(tree, "precinct11")
    seat(tree, "precinct21")
    assignment = AssignmentFactory(course=course)

    assert assignment_enrol(assignment=assignment) == 2
    assert assignment_enrol(assignment=assignment) == 0
    assert Enrollment.objects.count() == 2


def test_each_election_event_has_its_own_enrolment_in_the_same_course(tree, course):
    member = seat(tree, "precinct11")
    spring, autumn = ElectionEventFactory(), ElectionEventFactory()

    assignment_enrol(assignment=AssignmentFactory(course=course, event=spring))
    assignment_enrol(assignment=AssignmentFactory(course=course, event=autumn))

    events = set(Enrollment.objects.filter(user=member).values_list("event_id", flat=True))
    assert events == {spring.pk, autumn.pk}


def test_assignment_enrolment_is_bulk_not_per_person(tree, course, django_assert_max_num_queries):
    for where in ("precinct11", "precinct12", "precinct21", "precinct22"):
        for _ in range(5):
            seat(tree, where)
    assignment = AssignmentFactory(course=course)

    with django_assert_max_num_queries(6):  # savepoint, seats, enrolled, one insert, release
        assert assignment_enrol(assignment=assignment) == 20


def test_a_closed_event_enrols_nobody_new(tree, course):
    seat(tree, "precinct11")
    event = ElectionEventFactory(status=ElectionEvent.Status.CLOSED)

    assert assignment_enrol(assignment=AssignmentFactory(course=course, event=event)) == 0
    assert not Enrollment.objects.exists()


def test_a_planned_event_enrols_so_learners_see_their_course_coming(tree, course):
    member = seat(tree, "precinct11")
    event = ElectionEventFactory(status=ElectionEvent.Status.PLANNED)

    assignment_enrol(assignment=AssignmentFactory(course=course, event=event))

    assert enrolled_ids(course) == {member.pk}


def test_saving_an_assignment_enrols_its_people_after_the_commit(
    tree, course, django_capture_on_commit_callbacks
):
    member = seat(tree, "precinct11")
    assignment = AssignmentFactory(course=course, event=ElectionEventFactory())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment_enrol_after_commit(assignment=assignment)
    assert not Enrollment.objects.exists(), "nothing is enrolled before the commit"

    for callback in callbacks:
        callback()
    assert enrolled_ids(course, assignment.event) == {member.pk}


# Members who take seats after the assignment ---------------------------------------------------


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    field = MemberImport._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


def member_file(rows) -> ContentFile:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["full_name", "email", "phone", "commission_code", "position", "language"])
    writer.writerows(rows)
    return ContentFile(buffer.getvalue().encode(), name="members.csv")


def test_members_imported_after_the_assignment_are_enrolled(
    tree, course, private_files, django_capture_on_commit_callbacks
):
    """Through the real member import, its seats_changed signal and the sync task (eager)."""
    event = ElectionEventFactory()
    AssignmentFactory(course=course, event=event, positions=[Position.MEMBER])
    other_event_course = CourseTree.build(modules=1, lessons=1)
    AssignmentFactory(
        course=other_event_course,
        event=ElectionEventFactory(status=ElectionEvent.Status.CLOSED),
        positions=[Position.MEMBER],
    )
    precinct = tree["precinct12"]
    upload = member_import_check(
        uploaded_file=member_file(
            [
                ["Айгүл Серікқызы", "aigul@example.kz", "", precinct.code, "member", "kk"],
                ["Бауыржан Ерланұлы", "baurzhan@example.kz", "", precinct.code, "chair", "ru"],
            ]
        ),
        uploaded_by=None,
    )
    assert upload.problems == []

    with django_capture_on_commit_callbacks(execute=True):
        member_import_apply(member_import=upload)

    enrolments = Enrollment.objects.select_related("user", "event")
    assert [(e.user.email, e.event, e.course_key) for e in enrolments] == [
        ("aigul@example.kz", event, course.translation_key)
    ], "the chair is not assigned this course; a closed event enrols nobody"


def test_sync_enrolments_task_is_safe_to_run_twice(tree, course):
    member = seat(tree, "precinct11")
    AssignmentFactory(course=course)

    assert sync_enrolments.delay([member.pk]).get() == 1
    assert sync_enrolments.delay([member.pk]).get() == 0
    assert Enrollment.objects.filter(user=member).count() == 1


def test_opening_my_training_enrols_a_member_the_import_missed(tree, course, client):
    assignment = AssignmentFactory(course=course)
    member = seat(tree, "precinct21")  # seated directly, no signal sent
    client.force_login(member)

    response = client.get("/learning/")

    assert response.status_code == 200
    assert enrolled_ids(course, assignment.event) == {member.pk}
    assert course.title in response.content.decode()


# Joining an open course -------------------------------------------------------------------------


@pytest.fixture
def open_course(db):
    return CourseTree.build(modules=1, lessons=2, is_public=True, title="Алғашқы дауыс")


def test_joining_an_open_course_enrols_on_ones_own(client, open_course):
    learner = UserFactory()
    client.force_login(learner)

    response = client.post(f"/learning/courses/{open_course.pk}/join/", follow=True)

    enrolment = Enrollment.objects.get(user=learner)
    assert enrolment.source == Enrollment.Source.SELF
    assert enrolment.event is None
    assert enrolment.course_key == open_course.translation_key
    assert "You have joined the course" in response.content.decode()
    assert response.redirect_chain[-1][0] == open_course.url


def test_joining_twice_changes_nothing_and_says_so(client, open_course):
    learner = UserFactory()
    client.force_login(learner)
    client.post(f"/learning/courses/{open_course.pk}/join/")

    response = client.post(f"/learning/courses/{open_course.pk}/join/", follow=True)

    assert Enrollment.objects.filter(user=learner).count() == 1
    assert "You are already enrolled in the course" in response.content.decode()


def test_joining_a_course_one_is_assigned_adds_no_second_enrolment(open_course):
    enrolment = EnrollmentFactory(course=open_course)

    assert course_join(user=enrolment.user, course=open_course) == (enrolment, False)
    assert Enrollment.objects.count() == 1


def test_joining_by_a_link_is_refused_with_405(client, open_course):
    client.force_login(UserFactory())

    response = client.get(f"/learning/courses/{open_course.pk}/join/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Use the button on the course page" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_joining_needs_the_forms_csrf_token(open_course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(f"/learning/courses/{open_course.pk}/join/")

    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_an_assigned_course_cannot_be_joined(client, course):
    client.force_login(UserFactory())

    response = client.post(f"/learning/courses/{course.pk}/join/")

    assert response.status_code == 403
    assert "Only open courses can be joined" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_joining_without_signing_in_leads_to_sign_in(client, open_course):
    response = client.post(f"/learning/courses/{open_course.pk}/join/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=")
    assert not Enrollment.objects.exists()
