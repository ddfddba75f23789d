"""A quiz's pages are routed from the course pages' cache once the quiz has been served: its own
sub-paths (the attempt's form, its answers, its result) resolve against the cached page, and a
change to the quiz is seen at once (courses/page_cache.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from quizzes.models import Attempt
from tests.factories import quiz_in_course

pytestmark = pytest.mark.django_db


def page_queries(work) -> tuple[object, list[str]]:
    """The response, and the queries that read pages (routing reads the page tree)."""
    with CaptureQueriesContext(connection) as captured:
        response = work()
    return response, [q["sql"] for q in captured if "wagtailcore_page" in q["sql"]]


@pytest.fixture
def setup(client):
    found = quiz_in_course(where="module")
    client.force_login(found.learner)
    return found


def test_the_attempt_pages_are_routed_from_the_cache_after_the_first(client, setup):
    start = client.post(setup.quiz.url)
    assert start.status_code == 302
    attempt_url = start["Location"]

    first, _queries = page_queries(lambda: client.get(attempt_url))
    assert first.status_code == 200
    again, queries = page_queries(lambda: client.get(attempt_url))
    assert again.status_code == 200
    assert again.content == first.content or b'name="shown"' in again.content
    assert queries == [], queries

    # The attempt's form, posted: routed from the cache, and graded by the quiz's own view.
    submitted, queries = page_queries(lambda: client.post(attempt_url, {"action": "submit"}))
    assert submitted.status_code == 302 and submitted["Location"].endswith("/result/")
    assert Attempt.objects.get(user=setup.learner).submitted_at is not None


def test_a_sub_path_the_quiz_does_not_answer_is_not_found(client, setup):
    assert client.get(setup.quiz.url).status_code == 200
    assert client.get(setup.quiz.url + "nonsense/").status_code == 404
    assert client.get(setup.quiz.url + "attempts/999999/").status_code == 404


def test_an_unpublished_quiz_is_not_found_at_once(client, setup):
    assert client.get(setup.quiz.url).status_code == 200
    setup.quiz.unpublish()
    assert client.get(setup.quiz.url).status_code == 404


def test_someone_elses_attempt_stays_not_found_when_routed_from_the_cache(client, setup):
    from tests.factories import EnrollmentFactory

    attempt_url = client.post(setup.quiz.url)["Location"]
    assert client.get(attempt_url).status_code == 200
    other = EnrollmentFactory(course=setup.course).user
    client.force_login(other)
    assert client.get(attempt_url).status_code == 404


def test_the_course_outline_lists_a_quiz_published_or_withdrawn_at_once(client, setup):
    from tests.factories import CourseTree, QuizPageFactory

    lesson = CourseTree.lessons(setup.course)[0]
    assert setup.quiz.title in client.get(lesson.url).content.decode()

    added = QuizPageFactory.create(
        parent=setup.course, title="Қосымша жаттығу", rules=[{"topic": setup.topic, "count": 1}]
    )
    assert added.title in client.get(lesson.url).content.decode()

    added.unpublish()
    assert added.title not in client.get(lesson.url).content.decode()
