"""Passing a required test completes the course, through the courses completion service: the
quizzes app adds "every required quiz passed" to the course's requirements (registered in
``QuizzesConfig.ready``) and, after a passing submit, asks the courses service to record the
completion."""

import pytest

from courses.models import Enrollment
from courses.selectors import course_structure
from courses.services import course_requirements_met, lesson_complete
from quizzes.models import QuizPage
from quizzes.selectors import required_quizzes_passed
from quizzes.services import attempt_start, attempt_submit
from tests.factories import CourseTree, correct_answers, quiz_in_course, wrong_answers

pytestmark = pytest.mark.django_db


def complete_lessons(setup):
    for lesson in CourseTree.lessons(setup.course):
        lesson_complete(
            user=setup.learner,
            course_key=setup.course.translation_key,
            lesson_key=lesson.translation_key,
        )


def take(setup, *, right: bool, quiz=None):
    quiz = quiz or setup.quiz
    attempt = attempt_start(user=setup.learner, quiz=quiz)
    answers = correct_answers(attempt) if right else wrong_answers(attempt)
    return attempt_submit(attempt=attempt, answers=answers, quiz=quiz).attempt


def completed(setup) -> bool:
    return Enrollment.objects.get(pk=setup.enrollment.pk).completed_at is not None


def test_member_fails_then_passes_the_required_final_test_in_the_browser_and_completes_the_course(
    client,
):
    setup = quiz_in_course(kind="final", is_required=True, pass_mark=80)
    complete_lessons(setup)
    assert not completed(setup), "the final test is still required"
    client.force_login(setup.learner)

    url = client.post(f"/en{setup.quiz.url}")["Location"]
    attempt = setup.enrollment.attempts.get()
    client.post(url, {**form(wrong_answers(attempt)), "action": "submit"})
    failed = client.get(url + "result/").content.decode()
    assert "Not passed" in failed and "What to read again" in failed
    assert not completed(setup)

    url = client.post(f"/en{setup.quiz.url}")["Location"]
    attempt = setup.enrollment.attempts.get(number=2)
    client.post(url, {**form(correct_answers(attempt)), "action": "submit"})
    passed = client.get(url + "result/").content.decode()
    assert "Passed" in passed
    assert "You have completed the course." in passed
    assert completed(setup)


def form(answers: dict) -> dict:
    data = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            data.update({f"q_{key}__{choice}": str(v) for choice, v in value.items()})
        else:
            data[f"q_{key}"] = value
    return data


def test_lessons_done_but_the_required_test_not_passed_is_not_completed():
    setup = quiz_in_course(is_required=True)
    take(setup, right=False)
    complete_lessons(setup)
    assert not completed(setup)
    structure = course_structure(course_key=setup.course.translation_key)
    assert not course_requirements_met(enrollment=setup.enrollment, structure=structure)


def test_the_test_passed_before_the_last_lesson_completes_the_course_at_that_lesson():
    setup = quiz_in_course(is_required=True)
    take(setup, right=True)
    assert not completed(setup), "lessons are still required"
    complete_lessons(setup)
    assert completed(setup)


def test_a_test_not_required_for_the_course_does_not_hold_completion_back():
    setup = quiz_in_course(is_required=False, kind="practice")
    complete_lessons(setup)
    assert completed(setup)


def test_an_unpublished_required_test_does_not_hold_completion_back():
    setup = quiz_in_course(is_required=True)
    setup.quiz.unpublish()
    complete_lessons(setup)
    assert completed(setup)


def test_a_required_module_test_counts_like_a_course_test():
    setup = quiz_in_course(where="module", is_required=True)
    complete_lessons(setup)
    assert not completed(setup)
    take(setup, right=True)
    assert completed(setup)


def test_every_required_test_must_be_passed():
    setup = quiz_in_course(is_required=True)
    entry = QuizPage.objects.get(pk=setup.quiz.pk)
    from tests.factories import QuizPageFactory

    final = QuizPageFactory.create(
        parent=setup.course,
        rules=[{"topic": setup.topic, "count": 7}],
        is_required=True,
        shuffle_questions=False,
    )
    complete_lessons(setup)
    take(setup, right=True, quiz=entry)
    assert not completed(setup)
    take(setup, right=True, quiz=final)
    assert completed(setup)


def test_with_last_attempt_grading_a_later_fail_undoes_the_pass_for_the_requirement():
    setup = quiz_in_course(is_required=True, grading="last")
    take(setup, right=True)
    assert required_quizzes_passed(enrollment=setup.enrollment)
    take(setup, right=False)
    assert not required_quizzes_passed(enrollment=setup.enrollment)
    setup.quiz.grading = "highest"
    setup.quiz.save_revision().publish()
    assert required_quizzes_passed(enrollment=setup.enrollment)


def test_a_completion_stands_once_recorded():
    setup = quiz_in_course(is_required=True, grading="last", attempts_allowed=0)
    complete_lessons(setup)
    take(setup, right=True)
    assert completed(setup)
    take(setup, right=False)
    assert completed(setup)
