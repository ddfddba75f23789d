"""What learners see: My training, the catalogue, the course page and the lesson page."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from commissions.models import ElectionEvent
from courses.services import lesson_complete
from tests.factories import CourseTree, ElectionEventFactory, EnrollmentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return element.get_text(" ", strip=True)


def complete(user, course, lesson):
    lesson_complete(user=user, course_key=course.translation_key, lesson_key=lesson.translation_key)


# My training ---------------------------------------------------------------------------------


def test_my_training_groups_assigned_courses_by_election_event(learner_client, member, course):
    today = timezone.localdate()
    soon = ElectionEventFactory(
        name_kk="Мәжіліс сайлауы",
        vote_date=today + timedelta(days=7),
        training_deadline=today + timedelta(days=5),
    )
    late = ElectionEventFactory(
        name_kk="Әкім сайлауы",
        vote_date=today + timedelta(days=1),
        training_deadline=today - timedelta(days=2),
    )
    counting = CourseTree.build(modules=1, lessons=1, title="Дауыс санау")
    EnrollmentFactory(user=member, course=course, event=soon)
    EnrollmentFactory(user=member, course=counting, event=soon)
    EnrollmentFactory(user=member, course=counting, event=late)

    page = soup(learner_client.get("/learning/"))

    groups = page.select(".event-group")
    assert [text(g.h3) for g in groups] == ["Әкім сайлауы", "Мәжіліс сайлауы"]
    overdue, upcoming = groups
    assert "Overdue by 2 days" in text(overdue)
    assert "5 days left" in text(upcoming)
    assert f"{(today + timedelta(days=5)).day}" in text(upcoming.select_one(".event-group__dates"))
    titles = [text(h) for h in upcoming.select(".course-card__title")]
    assert sorted(titles) == sorted([course.title, counting.title])
    bar = upcoming.select_one("progress")
    assert bar["max"] == "100" and bar["value"] == "0"
    assert bar["aria-label"].startswith("Progress in ")
    assert "0% complete" in text(upcoming)


def test_my_training_shows_where_the_learner_left_off(learner_client, enrollment, lessons):
    learner_client.get(lessons[2].url)

    resume = soup(learner_client.get("/learning/")).select_one(".resume")

    assert text(resume.h2) == "Continue where you left off"
    assert lessons[2].title in text(resume)
    assert resume.select_one("a.button")["href"] == lessons[2].url


def test_my_training_lists_completed_courses_and_open_ones_to_join(
    learner_client, member, enrollment, course, lessons
):
    for lesson in lessons:
        complete(member, course, lesson)
    open_course = CourseTree.build(modules=1, lessons=1, is_public=True, title="Алғашқы дауыс")

    page = soup(learner_client.get("/learning/"))

    completed = page.find(id="completed-heading").parent
    assert course.title in text(completed)
    assert "Completed on" in text(completed)
    assert "You have completed every course assigned for this event." in text(page)
    joinable = page.find(id="joinable-heading").parent
    form = joinable.select_one("form")
    assert open_course.title in text(joinable)
    assert form["method"] == "post"
    assert form["action"] == f"/learning/courses/{open_course.pk}/join/"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert text(form.button).startswith("Join this course")


def test_my_training_for_someone_with_nothing_assigned(client):
    client.force_login(UserFactory())

    page = soup(client.get("/learning/"))

    assert "No courses are assigned to you at the moment." in text(page)


def test_a_closed_event_whose_courses_are_done_leaves_the_list(learner_client, member, course):
    event = ElectionEventFactory(status=ElectionEvent.Status.CLOSED, name_kk="Өткен сайлау")
    EnrollmentFactory(user=member, course=course, event=event, completed_at=timezone.now())

    page = soup(learner_client.get("/learning/"))

    assert not page.select(".event-group")
    assert course.title in text(page.find(id="completed-heading").parent)


def test_signed_in_people_have_a_my_training_link(learner_client, course):
    nav = soup(learner_client.get("/learning/")).select_one(".site-nav")
    link = nav.find("a", string="My training")
    assert link["href"] == "/learning/" and link["aria-current"] == "page"
    assert "My training" not in text(soup(Client().get("/")).select_one(".site-nav"))


# The catalogue --------------------------------------------------------------------------------


def test_the_catalogue_shows_the_learners_progress_and_open_courses(
    learner_client, member, enrollment, course, lessons
):
    complete(member, course, lessons[0])
    open_course = CourseTree.build(modules=1, lessons=1, is_public=True, title="Ашық курс")

    page = soup(learner_client.get(course.get_parent().url))

    cards = {text(card.h2): card for card in page.select(".course-card")}
    assert "25% complete" in text(cards[course.title])
    assert cards[open_course.title].select_one("form.join-form") is not None


def test_visitors_see_open_courses_and_are_asked_to_sign_in(client, course):
    open_course = CourseTree.build(modules=1, lessons=1, is_public=True, title="Ашық курс")

    page = soup(client.get(course.get_parent().url))

    assert [text(h) for h in page.select(".course-card__title")] == [open_course.title]
    assert page.select_one("form.join-form") is None
    assert "Sign in to see the courses assigned to you" in text(page)


# The course page -------------------------------------------------------------------------------


def test_the_course_page_shows_summary_time_outline_and_check_marks(
    learner_client, member, enrollment, course, lessons
):
    complete(member, course, lessons[0])

    page = soup(learner_client.get(course.url))

    assert text(page.h1) == course.title
    assert course.summary in text(page)
    assert f"Estimated time: {course.estimated_minutes} min" in text(page)
    modules = page.select(".outline__module")
    assert [text(m.h3) for m in modules] == ["Module 1 1-модуль", "Module 2 2-модуль"]
    rows = page.select(".outline__lesson")
    assert len(rows) == 4
    assert "Completed" in text(rows[0])
    assert "Completed" not in text(rows[1])
    assert "1 of 4 required lessons completed." in text(page)
    assert page.select_one("progress")["value"] == "25"


def test_the_course_page_button_starts_then_continues(learner_client, enrollment, course, lessons):
    start = soup(learner_client.get(course.url)).select_one(".course-status a.button")
    assert text(start) == "Start the course"
    assert start["href"] == lessons[0].url

    learner_client.get(lessons[2].url)

    resume = soup(learner_client.get(course.url)).select_one(".course-status a.button")
    assert text(resume) == "Continue where you left off"
    assert resume["href"] == lessons[2].url


def test_optional_lessons_are_marked_as_such(learner_client, member):
    course = CourseTree.build(modules=1, lessons=2, optional=[(1, 2)])
    EnrollmentFactory(user=member, course=course)

    rows = soup(learner_client.get(course.url)).select(".outline__lesson")

    assert "Optional" not in text(rows[0])
    assert "Optional" in text(rows[1])


# The lesson page -------------------------------------------------------------------------------


def test_the_lesson_page_has_breadcrumb_outline_body_and_mark_as_complete(
    learner_client, enrollment, course, lessons
):
    lesson = lessons[1]
    page = soup(learner_client.get(lesson.url))

    crumbs = [text(li) for li in page.select(".breadcrumb li")]
    assert crumbs == ["My training", "Courses", course.title, "1-модуль", lesson.title]
    assert page.select_one(".breadcrumb [aria-current=page]").get_text() == lesson.title
    assert text(page.h1) == lesson.title
    assert f"{lesson.title}: сабақтың мәтіні." in text(page.select_one(".lesson__body"))
    assert "Module 1 · Lesson 2 of 4" in text(page.select_one(".lesson__kicker"))
    outline = page.select_one("nav.course-outline")
    assert outline["aria-labelledby"] == "outline-heading"
    assert outline.select_one("[aria-current=page]")["href"] == lesson.url
    form = page.select_one("form.complete-form")
    assert form["method"] == "post"
    assert form["action"] == f"/learning/courses/{course.pk}/lessons/{lesson.pk}/complete/"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert text(form.button) == "Mark as complete"


def test_a_completed_lesson_shows_its_completed_state(
    learner_client, member, enrollment, course, lessons
):
    complete(member, course, lessons[0])

    page = soup(learner_client.get(lessons[0].url))

    assert page.select_one("form.complete-form") is None
    assert text(page.select_one(".lesson-done")).startswith("✓ Completed on")


def test_previous_and_next_lessons_run_across_modules(learner_client, enrollment, lessons):
    first, end_of_module_one, start_of_module_two, last = lessons

    def pager(lesson):
        page = soup(learner_client.get(lesson.url))
        links = {a["rel"][0]: a for a in page.select(".lesson-pager a")}
        return links

    assert set(pager(first)) == {"next"}
    links = pager(end_of_module_one)
    assert links["next"]["href"] == start_of_module_two.url
    assert links["prev"]["href"] == first.url
    assert set(pager(last)) == {"prev"}


def test_lesson_and_course_pages_load_the_lesson_and_print_stylesheets(
    learner_client, enrollment, course, lessons
):
    for url in (lessons[0].url, course.url):
        page = soup(learner_client.get(url))
        sheets = {link["href"]: link.get("media") for link in page.select("link[rel=stylesheet]")}
        assert sheets["/static/css/lesson-blocks.css"] is None
        assert sheets["/static/css/print-lessons.css"] == "print"
        assert "/static/css/courses.css" in sheets


def test_learner_pages_use_headings_in_order(learner_client, member, enrollment, course, lessons):
    CourseTree.build(modules=1, lessons=1, is_public=True)
    learner_client.get(lessons[0].url)
    for url in ("/learning/", course.url, lessons[0].url, lessons[0].get_parent().url):
        levels = [int(h.name[1]) for h in soup(learner_client.get(url)).select("h1,h2,h3,h4")]
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)
