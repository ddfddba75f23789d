"""The "Elections" admin: election events and course assignments, for trainers and central
administrators."""

import datetime

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from wagtail.models import Locale, Page

import pytest

from cms.models import HomePage
from commissions.models import Commission, ElectionEvent, Position
from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from courses.models import Assignment, CourseIndexPage, CoursePage, Enrollment, ModulePage
from tests.factories import MembershipFactory, UserFactory

VOTE = datetime.date(2026, 3, 15)


def staff(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def trainer_client(client, db):
    client.force_login(staff(TRAINERS))
    return client


@pytest.fixture
def event(db):
    return ElectionEvent.objects.create(
        kind=ElectionEvent.Kind.REFERENDUM,
        name_kk="Республикалық референдум",
        name_ru="Республиканский референдум",
        vote_date=VOTE,
        training_deadline=VOTE - datetime.timedelta(days=2),
        status=ElectionEvent.Status.TRAINING,
    )


@pytest.fixture
def courses(db):
    home = HomePage.objects.get(locale__language_code="kk")
    catalogue = home.add_child(instance=CourseIndexPage(title="Курстар", slug="courses"))
    opening = catalogue.add_child(
        instance=CoursePage(title="Учаскені ашу", slug="opening", summary="Сайлау күні таңертең.")
    )
    counting = catalogue.add_child(
        instance=CoursePage(title="Дауыс санау", slug="counting", summary="Хаттама.")
    )
    return {"opening": opening, "counting": counting}


def event_url(name, *args):
    return reverse(f"commissions_electionevent:{name}", args=args)


def assignment_url(name, *args):
    return reverse(f"courses_assignment:{name}", args=args)


def event_data(**overrides):
    data = {
        "kind": "maslikhat",
        "name_kk": "Мәслихат депутаттарын сайлау",
        "name_ru": "Выборы депутатов маслихатов",
        "name_en": "",
        "vote_date": "2027-03-21",
        "training_deadline": "2027-03-19",
        "status": "planned",
    }
    return {**data, **overrides}


def assignment_data(event, course, **overrides):
    data = {
        "event": event.pk,
        "course": course.pk,
        "positions": ["chair", "secretary"],
        "levels": ["precinct"],
    }
    return {**data, **overrides}


# Who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("group_name", [TRAINERS, CENTRAL_ADMINISTRATORS])
def test_trainers_and_central_administrators_have_the_elections_menu(client, db, group_name):
    client.force_login(staff(group_name))

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert f'"{event_url("index")}"' in response.text  # the menu, in whichever language
    assert f'"{assignment_url("index")}"' in response.text
    assert client.get(event_url("index")).status_code == 200
    assert client.get(assignment_url("index")).status_code == 200


def test_an_editor_without_the_permissions_has_no_elections_admin(client, db):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert event_url("index") not in response.text
    assert client.get(event_url("index")).status_code in (302, 403)
    assert client.post(assignment_url("add"), {}).status_code in (302, 403)
    assert not Assignment.objects.exists()


# Election events ---------------------------------------------------------------------------


def test_trainer_creates_an_election_event(trainer_client):
    response = trainer_client.post(event_url("add"), event_data())

    assert response.status_code == 302
    event = ElectionEvent.objects.get()
    assert event.name_kk == "Мәслихат депутаттарын сайлау"
    assert event.training_deadline == datetime.date(2027, 3, 19)
    listing = trainer_client.get(event_url("index"))
    assert "Мәслихат депутаттарын сайлау" in listing.text


def test_a_deadline_after_the_vote_is_refused_next_to_the_deadline(trainer_client):
    response = trainer_client.post(
        event_url("add"), event_data(vote_date="2027-03-21", training_deadline="2027-03-22")
    )

    assert response.status_code == 200
    form = response.context["form"]
    [error] = form.errors.as_data()["training_deadline"]
    assert error.code == "deadline_after_vote"
    assert list(form.errors) == ["training_deadline"]
    assert escape(error.message % error.params) in response.text
    assert "21.03.2027" in response.text
    assert not ElectionEvent.objects.exists()


def test_editing_an_event_keeps_the_deadline_rule(trainer_client, event):
    response = trainer_client.post(
        event_url("edit", event.pk),
        event_data(vote_date="2026-03-15", training_deadline="2026-03-16", status="training"),
    )

    assert response.status_code == 200
    assert "training_deadline" in response.context["form"].errors
    event.refresh_from_db()
    assert event.training_deadline == datetime.date(2026, 3, 13)

    response = trainer_client.post(
        event_url("edit", event.pk),
        event_data(vote_date="2026-03-15", training_deadline="2026-03-15", status="closed"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.training_deadline) == ("closed", datetime.date(2026, 3, 15))


def test_event_listing_filters_by_status_and_vote_date(trainer_client, event):
    ElectionEvent.objects.create(
        kind="akim",
        name_kk="Аудан әкімін сайлау",
        vote_date=datetime.date(2027, 9, 5),
        training_deadline=datetime.date(2027, 9, 3),
        status="planned",
    )

    planned = trainer_client.get(event_url("index"), {"status": "planned"})
    in_2026 = trainer_client.get(
        event_url("index"), {"vote_date_from": "2026-01-01", "vote_date_to": "2026-12-31"}
    )
    deadline_2027 = trainer_client.get(event_url("index"), {"training_deadline_from": "2027-01-01"})

    assert "Аудан әкімін сайлау" in planned.text
    assert "Республикалық референдум" not in planned.text
    assert "Республикалық референдум" in in_2026.text
    assert "Аудан әкімін сайлау" not in in_2026.text
    assert "Аудан әкімін сайлау" in deadline_2027.text
    assert "Республикалық референдум" not in deadline_2027.text


def test_each_event_links_to_its_course_assignments(trainer_client, event):
    response = trainer_client.get(event_url("index"))

    assert f'href="{assignment_url("index")}?event={event.pk}"' in response.text


# Course assignments ------------------------------------------------------------------------


def test_assignment_form_picks_the_course_with_a_page_chooser_for_courses_only(
    trainer_client, event, courses
):
    response = trainer_client.get(assignment_url("add"), {"event": event.pk})

    assert response.status_code == 200
    form = response.context["form"]
    assert type(form.fields["course"].widget).__name__ == "AdminPageChooser"
    assert [m._meta.label_lower for m in form.fields["course"].widget.target_models] == [
        "courses.coursepage"
    ]
    assert form.initial["event"] == event.pk
    assert 'type="checkbox" name="positions" value="secretary"' in response.text
    assert 'type="checkbox" name="levels" value="precinct"' in response.text


def test_trainer_assigns_a_course_and_members_are_enrolled_once_it_is_saved(
    trainer_client, event, courses, tree, django_capture_on_commit_callbacks
):
    chair = MembershipFactory(commission=tree["precinct11"], position=Position.CHAIR).user
    member = MembershipFactory(commission=tree["precinct12"], position=Position.MEMBER).user
    course_key = courses["opening"].translation_key

    def enrolled():
        return set(
            Enrollment.objects.filter(course_key=course_key, event=event).values_list(
                "user_id", flat=True
            )
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = trainer_client.post(
            assignment_url("add"), assignment_data(event, courses["opening"])
        )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.course.specific == courses["opening"]
    assert assignment.positions == ["chair", "secretary"]
    assert assignment.levels == ["precinct"]
    assert len(callbacks) == 1
    assert enrolled() == {chair.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            assignment_url("edit", assignment.pk),
            assignment_data(event, courses["opening"], positions=["member"]),
        )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.positions == ["member"]
    # Widening enrols the new people; narrowing unenrols nobody (their records stay).
    assert enrolled() == {chair.pk, member.pk}


def test_nothing_is_enqueued_when_the_assignment_is_refused(
    trainer_client, event, courses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = trainer_client.post(
            assignment_url("add"), assignment_data(event, courses["opening"], positions=[])
        )

    assert response.status_code == 200
    assert "positions" in response.context["form"].errors
    assert callbacks == []


def test_members_in_the_assigned_positions_and_levels_are_enrolled_after_the_save(
    trainer_client, event, courses, tree, django_capture_on_commit_callbacks
):
    chair = MembershipFactory(commission=tree["precinct11"], position="chair").user
    member = MembershipFactory(commission=tree["precinct12"], position="member").user
    district_chair = MembershipFactory(commission=tree["district1"], position="chair").user

    with django_capture_on_commit_callbacks(execute=True):  # Celery runs eagerly in tests
        response = trainer_client.post(
            assignment_url("add"),
            assignment_data(event, courses["counting"], positions=["chair"], levels=["precinct"]),
        )

    assert response.status_code == 302
    enrolled = Enrollment.objects.filter(
        event=event, course_key=courses["counting"].translation_key
    )
    assert set(enrolled.values_list("user", flat=True)) == {chair.pk}

    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(
            assignment_url("edit", Assignment.objects.get().pk),
            assignment_data(
                event, courses["counting"], positions=["chair", "member"], levels=["precinct"]
            ),
        )

    assert set(enrolled.values_list("user", flat=True)) == {chair.pk, member.pk}
    assert district_chair.pk not in set(enrolled.values_list("user", flat=True))


def test_a_second_assignment_of_the_same_course_for_the_event_is_refused_clearly(
    trainer_client, event, courses
):
    Assignment.objects.create(
        event=event, course=courses["opening"], positions=["member"], levels=["precinct"]
    )

    response = trainer_client.post(
        assignment_url("add"), assignment_data(event, courses["opening"])
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["course"]
    [error] = form.errors.as_data()["course"]
    assert error.code == "duplicate_assignment"
    assert escape(error.message % error.params) in response.text
    assert Assignment.objects.count() == 1


def test_the_same_course_in_another_language_is_a_duplicate_too(trainer_client, event, courses):
    Assignment.objects.create(
        event=event, course=courses["opening"], positions=["member"], levels=["precinct"]
    )
    russian = courses["opening"].copy_for_translation(
        Locale.objects.get(language_code="ru"), copy_parents=True
    )

    response = trainer_client.post(assignment_url("add"), assignment_data(event, russian))

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["course"][0].code == "duplicate_assignment"
    assert Assignment.objects.count() == 1


def test_a_page_that_is_not_a_course_cannot_be_assigned(trainer_client, event, courses):
    module = courses["opening"].add_child(instance=ModulePage(title="Дайындық", slug="prep"))

    response = trainer_client.post(assignment_url("add"), assignment_data(event, module))

    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert not Assignment.objects.exists()
    assert Page.objects.filter(pk=module.pk).exists()


def test_assignments_are_listed_per_event(trainer_client, event, courses):
    other = ElectionEvent.objects.create(
        kind="akim",
        name_kk="Аудан әкімін сайлау",
        vote_date=datetime.date(2027, 9, 5),
        training_deadline=datetime.date(2027, 9, 3),
    )
    Assignment.objects.create(
        event=event, course=courses["opening"], positions=["chair"], levels=["precinct"]
    )
    Assignment.objects.create(
        event=other, course=courses["counting"], positions=["member"], levels=["district"]
    )

    response = trainer_client.get(assignment_url("index"), {"event": event.pk})

    assert response.status_code == 200
    assert "Учаскені ашу" in response.text
    assert "Дауыс санау" not in response.text
    with translation.override("kk"):  # the admin speaks the default language
        assert str(Position.CHAIR.label) in response.text
        assert str(Commission.Level.PRECINCT.label) in response.text
    assert f'href="{assignment_url("add")}?event={event.pk}"' in response.text


def test_assignment_listing_queries_do_not_grow_with_assignments(
    trainer_client, event, courses, django_assert_max_num_queries
):
    catalogue = courses["opening"].get_parent()
    for number in range(30):
        course = catalogue.add_child(
            instance=CoursePage(title=f"Курс {number}", slug=f"course-{number}", summary="-")
        )
        Assignment.objects.create(
            event=event, course=course, positions=["member"], levels=["precinct"]
        )

    with django_assert_max_num_queries(30):
        response = trainer_client.get(assignment_url("index"))

    assert response.status_code == 200
    assert "Курс 29" in response.text


def test_an_event_without_training_records_can_be_deleted(trainer_client, event, courses):
    Assignment.objects.create(
        event=event, course=courses["opening"], positions=["member"], levels=["precinct"]
    )

    response = trainer_client.post(event_url("delete", event.pk))

    assert response.status_code == 302
    assert not ElectionEvent.objects.exists()
    assert not Assignment.objects.exists()


def test_an_event_with_enrolments_is_not_deleted_but_explained(trainer_client, event, courses):
    Enrollment.objects.create(
        user=UserFactory(),
        course_key=courses["opening"].translation_key,
        event=event,
        source=Enrollment.Source.ASSIGNMENT,
    )

    confirm = trainer_client.get(event_url("delete", event.pk))
    response = trainer_client.post(event_url("delete", event.pk), follow=True)

    assert confirm.status_code == 302
    assert response.redirect_chain[0] == (event_url("edit", event.pk), 302)
    with translation.override("kk"):
        assert str(Enrollment._meta.verbose_name_plural) in response.text
    assert ElectionEvent.objects.filter(pk=event.pk).exists()
    assert Enrollment.objects.filter(event=event).count() == 1
