"""The course outline lists the quizzes among the lessons, with the learner's status in each:
quizzes add them through ``courses.selectors.outline.outline_activities`` (courses does not
import quizzes)."""

import pytest

from courses.selectors import course_outline, course_structure
from courses.selectors.outline import ActivityNode, OutlineActivities
from quizzes.models import QuizPage
from quizzes.services import attempt_start, attempt_submit
from tests.factories import CourseTree, correct_answers, quiz_in_course, wrong_answers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def take(setup, *, right: bool):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    answers = correct_answers(attempt) if right else wrong_answers(attempt)
    return attempt_submit(attempt=attempt, answers=answers, quiz=setup.quiz).attempt


def outline_of(setup):
    structure = course_structure(course_key=setup.course.translation_key)
    return course_outline(structure=structure, language="kk", enrollment=setup.enrollment)


def final_test_item(html: str, title: str) -> str:
    start = html.index(title)
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


def test_a_required_final_test_shows_in_the_course_outline_with_its_status(client):
    setup = quiz_in_course(kind="final", is_required=True, title="Қорытынды тест")
    client.force_login(setup.learner)

    html = client.get(setup.course.url).content.decode()
    item = final_test_item(html, "Қорытынды тест")
    assert f'href="{setup.quiz.url}"' in item
    assert "Final test" in item and "Not started" in item and "Required" in item

    take(setup, right=False)
    item = final_test_item(client.get(setup.course.url).content.decode(), "Қорытынды тест")
    assert "Not passed yet" in item

    take(setup, right=True)
    item = final_test_item(client.get(setup.course.url).content.decode(), "Қорытынды тест")
    assert "Passed" in item and "Not passed" not in item


def test_the_final_test_follows_the_last_module_and_is_listed_in_the_lesson_sidebar(client):
    setup = quiz_in_course(kind="final", is_required=True, title="Қорытынды тест")
    outline = outline_of(setup)
    assert [a.shown.title for a in outline.final_activities] == ["Қорытынды тест"]
    assert outline.sections[-1].activities_after == outline.final_activities

    client.force_login(setup.learner)
    lesson = CourseTree.lessons(setup.course)[0]
    html = client.get(lesson.url).content.decode()
    sidebar = html[html.index('class="course-outline"') :]
    assert "Қорытынды тест" in sidebar and "Not started" in sidebar


def test_a_quiz_in_a_module_sits_among_its_lessons_in_tree_order():
    setup = quiz_in_course(where="module", kind="practice", title="Жаттығу")
    outline = outline_of(setup)
    first = outline.sections[0]
    assert [entry.is_activity for entry in first.entries] == [False, False, True]
    assert first.entries[-1].kind_label == "Practice"
    assert first.entries[-1].status == "Not started"
    assert not outline.final_activities and not outline.leading_activities
    assert len(first.module.lessons) == 2, "lessons are still counted on their own"


def test_the_russian_outline_links_the_russian_translation_of_the_quiz():
    setup = quiz_in_course(kind="final", is_required=True)
    course_ru = CourseTree.translate(setup.course, "ru")
    quiz_ru = QuizPage.objects.get(
        translation_key=setup.quiz.translation_key, locale=course_ru.locale
    )
    structure = course_structure(course_key=setup.course.translation_key)
    outline = course_outline(structure=structure, language="ru", enrollment=setup.enrollment)
    (activity,) = outline.activities
    assert activity.shown.url == quiz_ru.url
    assert activity.shown.language == "ru"


def test_a_provider_registered_twice_is_called_once():
    calls = []
    registry = OutlineActivities()

    def provider(*, structure, enrollment):
        calls.append(enrollment)
        return [
            ActivityNode(
                key=structure.course_key,
                title="Тест",
                url_path=structure.url_path,
                kind_label="Practice",
                status="Not started",
                is_required=False,
            )
        ]

    registry.register(provider)
    registry.register(provider)
    setup = quiz_in_course()
    structure = course_structure(course_key=setup.course.translation_key)
    nodes = registry.collect(structure=structure, enrollment=setup.enrollment)
    assert len(nodes) == 1 and calls == [setup.enrollment]
