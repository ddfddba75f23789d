"""A visitor who is not signed in reads the start of a public course: its page with the outline,
its first lesson and the module that holds it. Everything else asks them to sign in; nothing is
recorded for them, and the pages shared through the cache never carry one reader's state to
another."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from courses.models import Enrollment, LessonProgress
from courses.services import course_join
from tests.factories import CourseTree, UserFactory, quiz_in_course

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]

# Measured on SQLite. A visitor has no session to read and no enrolment, and once an address was
# served since the content last changed, its route, the course's structure and outline and the
# lesson's body all come from the course pages' cache: no query at all. The first request after a
# change is routed by Wagtail and fills the cache. Each budget is the measured figure plus room.
VISITOR_PAGE_BUDGET = 2  # measured 0, the course page and the first lesson alike
VISITOR_UNCACHED_BUDGET = 24  # measured 21, the first request for the first lesson

SIGN_UP_CALL = "Sign up to keep your progress, take the test and get a certificate"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def sign_in_url(page) -> str:
    return f"/accounts/sign-in/?next={page.url}"


@pytest.fixture
def open_course(db):
    """A public course: 2 modules of 2 lessons."""
    return CourseTree.build(modules=2, lessons=2, is_public=True)


@pytest.fixture
def open_lessons(open_course):
    return CourseTree.lessons(open_course)


def test_a_visitor_reads_a_public_course_page_with_its_outline(client, open_course, open_lessons):
    response = client.get(open_course.url)

    assert response.status_code == 200
    page = soup(response)
    outline = [a.get_text(strip=True) for a in page.select(".outline__lesson a")]
    assert outline == [lesson.title for lesson in open_lessons]
    after_sign_in = [
        item.select_one("a").get_text(strip=True)
        for item in page.select(".outline__lesson")
        if item.select_one(".lesson-state--signed-in")
    ]
    assert after_sign_in == [lesson.title for lesson in open_lessons[1:]]
    assert page.select_one(".course-status a.button")["href"] == open_lessons[0].url
    assert SIGN_UP_CALL in page.get_text()
    assert page.select_one("form.join-form") is None


def test_a_visitor_reads_the_first_lesson_and_its_module(client, open_course, open_lessons):
    first = open_lessons[0]

    lesson = client.get(first.url)
    module = client.get(first.get_parent().url)

    assert lesson.status_code == 200 and module.status_code == 200
    page = soup(lesson)
    assert page.select_one("h1").get_text(strip=True) == first.title
    assert page.select_one(".complete-form") is None
    call = page.select_one(".lesson-progress .sign-up-call")
    assert SIGN_UP_CALL in call.get_text()
    assert call.select_one(".sign-up-call__sign-in")["href"] == sign_in_url(first)
    assert SIGN_UP_CALL in soup(module).get_text()


def test_the_sign_up_call_leads_to_sign_up_when_sign_up_is_open(client, open_lessons):
    link = soup(client.get(open_lessons[0].url)).select_one(".sign-up-call__sign-up")

    # Signed up and confirmed, the visitor comes back to the lesson they were reading.
    assert link["href"] == f"{reverse('youth:sign_up')}?next={open_lessons[0].url}"


def test_every_other_lesson_and_module_of_a_public_course_asks_a_visitor_to_sign_in(
    client, open_lessons
):
    second_module = open_lessons[2].get_parent()
    for page in (open_lessons[1], open_lessons[2], open_lessons[3], second_module):
        response = client.get(page.url)
        assert response.status_code == 302, page.url
        assert response["Location"] == sign_in_url(page)


def test_a_quiz_of_a_public_course_asks_a_visitor_to_sign_in(client):
    built = quiz_in_course()
    course = built.course
    course.is_public = True
    course.save_revision().publish()

    page = soup(client.get(course.url))
    response = client.get(built.quiz.url)

    activity = page.select_one(".outline__activity")
    assert activity.select_one("a")["href"] == built.quiz.url
    assert activity.select_one(".lesson-state--signed-in") is not None
    assert response.status_code == 302
    assert response["Location"] == sign_in_url(built.quiz)


def test_the_first_lesson_is_the_canonical_one_in_a_translation_too(client, open_course):
    russian = CourseTree.translate(open_course, "ru")
    first, second = CourseTree.lessons(russian)[:2]

    assert client.get(first.url).status_code == 200
    assert client.get(second.url).status_code == 302


def test_a_course_that_is_not_public_still_asks_a_visitor_to_sign_in(client):
    course = CourseTree.build(modules=1, lessons=2)
    first = CourseTree.lessons(course)[0]

    for page in (course, first.get_parent(), first):
        response = client.get(page.url)
        assert response.status_code == 302
        assert response["Location"] == sign_in_url(page)


def test_a_visitor_sees_public_courses_in_the_catalogue(client, open_course):
    CourseTree.build(modules=1, lessons=1, title="Жабық курс")

    page = soup(client.get(open_course.get_parent().url))

    titles = [a.get_text(strip=True) for a in page.select(".course-card__title a")]
    assert titles == [open_course.title]
    assert page.select_one(".course-card__open a")["href"] == open_course.url
    assert page.select_one("form.join-form") is None


def test_reading_records_nothing_and_sets_no_cookie(client, open_course, open_lessons):
    client.get(open_lessons[0].url)  # the caches
    with CaptureQueriesContext(connection) as queries:
        responses = [client.get(open_course.url), client.get(open_lessons[0].url)]

    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    for response in responses:
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert "Cookie" in response["Vary"]
    assert not Enrollment.objects.exists() and not LessonProgress.objects.exists()
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_a_visitor_reads_the_start_of_a_public_course_within_a_query_budget(
    client, open_course, open_lessons, django_assert_max_num_queries
):
    first = open_lessons[0]
    with CaptureQueriesContext(connection) as uncached:
        assert client.get(first.url).status_code == 200
    print(f"visitor's first lesson, uncached: {len(uncached)} queries")
    assert len(uncached) <= VISITOR_UNCACHED_BUDGET
    client.get(open_course.url)

    with django_assert_max_num_queries(VISITOR_PAGE_BUDGET):
        assert client.get(open_course.url).status_code == 200
    with django_assert_max_num_queries(VISITOR_PAGE_BUDGET):
        assert client.get(first.url).status_code == 200


def test_the_cached_pages_never_mix_a_visitor_with_a_learner(client, open_course, open_lessons):
    first = open_lessons[0]
    learner = UserFactory()
    course_join(user=learner, course=open_course)

    visitor_first = soup(client.get(first.url))
    client.force_login(learner)
    learner_page = soup(client.get(first.url))
    client.logout()
    visitor_again = soup(client.get(first.url))

    assert visitor_first.select_one(".complete-form") is None
    assert learner_page.select_one(".complete-form") is not None
    assert learner_page.select_one(".sign-up-call") is None
    assert learner_page.select_one(".lesson-state--signed-in") is None
    assert visitor_again.select_one(".complete-form") is None
    assert visitor_again.select_one(".sign-up-call") is not None
    assert LessonProgress.objects.filter(enrollment__user=learner).count() == 1  # the visit


def test_a_signed_in_person_still_reads_every_lesson_of_a_public_course(client, open_lessons):
    client.force_login(UserFactory())

    for lesson in open_lessons:
        assert client.get(lesson.url).status_code == 200
