"""What attempts read of the bank comes from the cache, and every change to the bank or a quiz
is seen by the next attempt (quizzes/selectors/pool.py, decision 0007)."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from quizzes.models import Choice, QuizRule
from quizzes.selectors import (
    bank_generation,
    pool_grading_bank,
    pool_question_texts,
    quiz_pool,
    required_quizzes_passed,
)
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    EnrollmentFactory,
    bank_question,
    correct_answers,
    quiz_in_course,
)

pytestmark = pytest.mark.django_db


def queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def test_a_warm_pool_costs_no_query():
    setup = quiz_in_course()
    quiz_pool(quiz=setup.quiz)
    keys = list(quiz_pool(quiz=setup.quiz).bank)
    pool_grading_bank(quiz=setup.quiz, question_keys=keys)
    pool_question_texts(quiz=setup.quiz, keys=keys, language="kk")

    assert queries(lambda: quiz_pool(quiz=setup.quiz)) == 0
    assert queries(lambda: pool_grading_bank(quiz=setup.quiz, question_keys=keys)) == 0
    assert queries(lambda: pool_question_texts(quiz=setup.quiz, keys=keys, language="kk")) == 0


def test_a_question_added_to_the_topic_can_be_drawn_by_the_next_attempt():
    setup = quiz_in_course()
    before = set(quiz_pool(quiz=setup.quiz).bank)

    added = bank_question("single", topic=setup.topic, choices=[("Иә", True), ("Жоқ", False)])

    after = set(quiz_pool(quiz=setup.quiz).bank)
    assert after == before | {str(added.translation_key)}


def test_an_edited_choice_is_graded_as_edited_by_the_next_submit():
    setup = quiz_in_course()
    first = attempt_start(user=setup.learner, quiz=setup.quiz)
    answers = correct_answers(first)
    assert attempt_submit(attempt=first, answers=answers, quiz=setup.quiz).attempt.percent == 100

    # The trainer finds the key wrong: the single-choice question's right answer is another one.
    single = setup.questions["single"]
    right, other = Choice.objects.filter(question=single).order_by("sort_order")[:2]
    right.is_correct, other.is_correct = False, True
    right.save()
    other.save()

    learner = EnrollmentFactory(course=setup.course).user
    second = attempt_start(user=learner, quiz=setup.quiz)
    graded = attempt_submit(attempt=second, answers=answers, quiz=setup.quiz).attempt
    assert graded.percent < 100
    assert Decimal(graded.results[str(single.translation_key)]["score"]) == 0


def test_an_edited_text_is_shown_by_the_next_page():
    setup = quiz_in_course()
    key = str(setup.questions["true_false"].translation_key)
    assert (
        "Бюллетеньді"
        in pool_question_texts(quiz=setup.quiz, keys=[key], language="kk").questions[key]["text"]
    )

    question = setup.questions["true_false"]
    question.text = "<p>Бюллетеньді учаскеден шығаруға болмайды.</p>"
    question.save()

    texts = pool_question_texts(quiz=setup.quiz, keys=[key], language="kk")
    assert texts.questions[key]["text"] == "<p>Бюллетеньді учаскеден шығаруға болмайды.</p>"


def test_an_open_attempt_keeps_and_grades_a_question_the_rules_no_longer_draw():
    setup = quiz_in_course(count=1)
    single = setup.questions["single"]
    QuizRule.objects.filter(quiz=setup.quiz).update(topic=None, question=single, count=1)
    setup.quiz.save()  # a published edit: the rules now name the single-choice question
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    assert [item["key"] for item in attempt.questions] == [str(single.translation_key)]
    answers = correct_answers(attempt)

    other = setup.questions["true_false"]
    rule = QuizRule.objects.get(quiz=setup.quiz)
    rule.question = other
    rule.save()
    assert str(single.translation_key) not in quiz_pool(quiz=setup.quiz).bank

    graded = attempt_submit(attempt=attempt, answers=answers, quiz=setup.quiz).attempt
    assert graded.percent == 100


def test_a_quiz_made_optional_no_longer_holds_the_course_back():
    setup = quiz_in_course(is_required=True)
    assert not required_quizzes_passed(enrollment=setup.enrollment)

    setup.quiz.is_required = False
    setup.quiz.save_revision().publish()

    assert required_quizzes_passed(enrollment=setup.enrollment)


def test_the_generation_moves_on_again_when_the_change_commits(
    django_capture_on_commit_callbacks,
):
    setup = quiz_in_course()
    before = bank_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        setup.topic.name = "Хаттама"
        setup.topic.save()
        during = bank_generation()
    assert during != before
    for callback in callbacks:
        callback()
    assert bank_generation() not in (before, during)
