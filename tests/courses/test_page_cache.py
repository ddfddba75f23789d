"""The course pages' cache (courses/page_cache.py): what an editor changes is seen by the next
request, and nothing of one learner's is shown to another."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from bs4 import BeautifulSoup

from courses.models import LessonPage
from courses.services import lesson_complete
from tests.factories import CourseTree, EnrollmentFactory, UserFactory, lesson_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def body_text(response) -> str:
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content, "html.parser")
    return page.select_one(".lesson__body").get_text(" ", strip=True)


def republish(lesson: LessonPage, **changes) -> LessonPage:
    """Edit a lesson as an editor does: a new revision, published."""
    lesson = LessonPage.objects.get(pk=lesson.pk)
    for name, value in changes.items():
        setattr(lesson, name, value)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.fixture
def cached_lesson(learner_client, enrollment, lessons):
    """A lesson the learner has opened, so that its route, outline and body are cached."""
    lesson = lessons[1]
    learner_client.get(lesson.url)
    assert "1.2 сабақ" in body_text(learner_client.get(lesson.url))
    return lesson


def test_a_lesson_served_again_is_routed_from_the_cache(learner_client, cached_lesson):
    with CaptureQueriesContext(connection) as queries:
        learner_client.get(cached_lesson.url)

    # the quizzes' outline entries are the quizzes' own query, not routing
    routing = [
        query["sql"]
        for query in queries.captured_queries
        if "wagtailcore_" in query["sql"] and "quizzes_quizpage" not in query["sql"]
    ]
    assert routing == []


def test_a_republished_lesson_is_seen_by_the_next_request(learner_client, cached_lesson):
    republish(cached_lesson, body=lesson_body("Жаңа мәтін"), title="Жаңа тақырып")

    response = learner_client.get(cached_lesson.url)

    assert "Жаңа мәтін" in body_text(response)
    assert "1.2 сабақ" not in body_text(response)
    assert "Жаңа тақырып" in BeautifulSoup(response.content, "html.parser").h1.get_text()


def test_a_draft_is_not_shown_until_published(learner_client, cached_lesson):
    lesson = LessonPage.objects.get(pk=cached_lesson.pk)
    lesson.body = lesson_body("Жоба")
    lesson.save_revision()

    assert "Жоба" not in body_text(learner_client.get(cached_lesson.url))


def test_an_unpublished_lesson_answers_404(learner_client, cached_lesson):
    LessonPage.objects.get(pk=cached_lesson.pk).unpublish()

    assert learner_client.get(cached_lesson.url).status_code == 404


def test_a_lesson_of_an_unpublished_module_answers_404(learner_client, cached_lesson):
    cached_lesson.get_parent().specific.unpublish(set_expired=False)

    assert learner_client.get(cached_lesson.url).status_code == 404


def test_a_deleted_lesson_answers_404(learner_client, cached_lesson):
    url = cached_lesson.url
    LessonPage.objects.get(pk=cached_lesson.pk).delete()

    assert learner_client.get(url).status_code == 404


def test_a_renamed_lesson_moves_to_its_new_address(learner_client, cached_lesson):
    old_url = cached_lesson.url
    renamed = republish(cached_lesson, slug="renamed-lesson")

    assert renamed.url != old_url
    assert learner_client.get(old_url).status_code == 404
    assert "1.2 сабақ" in body_text(learner_client.get(renamed.url))


def test_a_moved_lesson_is_served_under_its_new_module(learner_client, cached_lesson, lessons):
    old_url = cached_lesson.url
    other_module = lessons[2].get_parent()
    LessonPage.objects.get(pk=cached_lesson.pk).move(other_module, pos="last-child")
    moved = LessonPage.objects.get(pk=cached_lesson.pk)

    old = learner_client.get(old_url)  # Wagtail's automatic redirect after a move
    assert (old.status_code, old.headers["Location"]) == (301, moved.url)
    response = learner_client.get(moved.url)
    assert "1.2 сабақ" in body_text(response)
    breadcrumb = BeautifulSoup(response.content, "html.parser").select_one(".breadcrumb")
    assert other_module.title in breadcrumb.get_text()


def test_a_translation_published_later_replaces_the_kazakh_fallback(
    learner_client, cached_lesson, course
):
    russian_course = CourseTree.translate(course, "ru", subtree=False)
    russian_module = CourseTree.translate(cached_lesson.get_parent().specific, "ru", subtree=False)
    fallback_url = russian_module.url + cached_lesson.slug + "/"
    response = learner_client.get(fallback_url)
    assert "This lesson is not yet available in" in response.content.decode()
    assert russian_course.live

    CourseTree.translate(cached_lesson, "ru", title_prefix="RU ")
    response = learner_client.get(fallback_url)

    assert "This lesson is not yet available in" not in response.content.decode()
    assert "RU 1.2 сабақ" in BeautifulSoup(response.content, "html.parser").h1.get_text()


def test_each_learner_sees_only_their_own_progress(
    learner_client, member, course, lessons, cached_lesson
):
    lesson_complete(
        user=member, course_key=course.translation_key, lesson_key=cached_lesson.translation_key
    )
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    other_client = Client()
    other_client.force_login(other)

    mine = BeautifulSoup(learner_client.get(cached_lesson.url).content, "html.parser")
    theirs = BeautifulSoup(other_client.get(cached_lesson.url).content, "html.parser")

    assert mine.select_one(".lesson-done") is not None
    assert theirs.select_one(".lesson-done") is None
    assert theirs.select_one(".complete-form") is not None
    assert len(mine.select(".outline__lesson--done")) == 1
    assert theirs.select(".outline__lesson--done") == []


def test_someone_not_enrolled_is_refused_a_cached_lesson(cached_lesson):
    stranger = Client()
    stranger.force_login(UserFactory())

    assert stranger.get(cached_lesson.url).status_code == 403
    assert Client().get(cached_lesson.url).status_code == 302  # to sign in
