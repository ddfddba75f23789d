"""Starting and submitting an attempt, and the quiz pages, cost the same number of queries for a
5-question quiz as for a 50-question one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from quizzes.services import attempt_save_answers, attempt_start, attempt_submit
from tests.factories import (
    CourseTree,
    EnrollmentFactory,
    QuizPageFactory,
    TopicFactory,
    correct_answers,
    every_kind_of_question,
)

pytestmark = pytest.mark.django_db

# Measured on SQLite inside a test transaction (each atomic block adds SAVEPOINT and RELEASE),
# with the quiz's pool in the cache, as every attempt but the first after a change finds it:
# start 5, save 4, submit 6, or 8 when a drawn question is graded in the quiz for the first time
# (its statistics row is created); the first attempt after a change also reads the pool (3 more
# queries at the start, 2 at the submit).
START_BUDGET = 5
SAVE_BUDGET = 4
SUBMIT_BUDGET = 8
COLD_START_BUDGET = 8
COLD_SUBMIT_BUDGET = 10
# The pages, each quiz's first requests (its route and pool not yet cached; sessions in the
# database, as the tests keep them): the introduction routes through the tree, then the start,
# the attempt's form, saving, submitting and the result are routed from the cache.
PAGE_BUDGETS = {"intro": 21, "start": 11, "attempt": 6, "save": 6, "submit": 13, "result": 14}


@pytest.fixture
def quizzes():
    """One course with three quizzes drawing from a bank of 56 questions (every kind, eight
    times): a warm-up quiz, one of 5 questions and one of 1 fixed + 49 drawn = 50."""
    course = CourseTree.build(modules=1, lessons=2)
    topic = TopicFactory(name="Санау")
    bank = [every_kind_of_question(topic) for _ in range(8)]
    fixed = bank[0]["single"]
    warm_up = QuizPageFactory.create(parent=course, rules=[{"topic": topic, "count": 3}])
    small = QuizPageFactory.create(parent=course, rules=[{"topic": topic, "count": 5}])
    large = QuizPageFactory.create(
        parent=course, rules=[{"question": fixed}, {"topic": topic, "count": 49}]
    )
    learners = [EnrollmentFactory(course=course).user for _ in range(5)]
    return course, (warm_up, small, large), learners


def counted(work):
    with CaptureQueriesContext(connection) as queries:
        result = work()
    return result, len(queries)


def run_attempt(quiz, learner):
    attempt, start = counted(lambda: attempt_start(user=learner, quiz=quiz))
    answers = correct_answers(attempt)
    _saved, save = counted(lambda: attempt_save_answers(attempt=attempt, answers=answers))
    submission, submit = counted(
        lambda: attempt_submit(attempt=attempt, answers=answers, quiz=quiz)
    )
    return attempt, submission, {"start": start, "save": save, "submit": submit}


def test_start_save_and_submit_cost_the_same_for_5_and_50_questions(quizzes):
    _course, (warm_up, small, large), learners = quizzes
    run_attempt(warm_up, learners[0])
    _attempt, _submission, small_cold = run_attempt(small, learners[3])
    _attempt, _submission, large_cold = run_attempt(large, learners[4])
    assert small_cold == large_cold, (small_cold, large_cold)
    assert small_cold["start"] <= COLD_START_BUDGET, small_cold
    assert small_cold["submit"] <= COLD_SUBMIT_BUDGET, small_cold

    small_attempt, small_submission, small_counts = run_attempt(small, learners[1])
    large_attempt, large_submission, large_counts = run_attempt(large, learners[2])
    assert len(small_attempt.questions) == 5 and len(large_attempt.questions) == 50
    assert small_submission.attempt.percent == large_submission.attempt.percent == 100
    assert small_counts == large_counts, (small_counts, large_counts)
    assert small_counts["start"] <= START_BUDGET, small_counts
    assert small_counts["save"] <= SAVE_BUDGET, small_counts
    assert small_counts["submit"] <= SUBMIT_BUDGET, small_counts


def test_the_quiz_pages_cost_the_same_for_5_and_50_questions(client, quizzes):
    _course, (warm_up, small, large), learners = quizzes
    counts = []
    for quiz, learner in zip((warm_up, small, large), learners[:3], strict=True):
        client.force_login(learner)
        page_counts = {}
        response, page_counts["intro"] = counted(lambda: client.get(quiz.url))  # noqa: B023
        assert response.status_code == 200
        response, page_counts["start"] = counted(lambda: client.post(quiz.url))  # noqa: B023
        attempt_url = response["Location"]
        response, page_counts["attempt"] = counted(lambda: client.get(attempt_url))  # noqa: B023
        assert response.status_code == 200
        save_url = attempt_url + "answers/"
        response, page_counts["save"] = counted(
            lambda: client.post(save_url, {"answers": {}}, content_type="application/json")  # noqa: B023
        )
        assert response.status_code == 200
        response, page_counts["submit"] = counted(
            lambda: client.post(attempt_url, {"action": "submit"})  # noqa: B023
        )
        result_url = response["Location"]
        response, page_counts["result"] = counted(lambda: client.get(result_url))  # noqa: B023
        assert response.status_code == 200
        counts.append(page_counts)
    assert counts[1] == counts[2], counts
    for name, budget in PAGE_BUDGETS.items():
        assert counts[2][name] <= budget, (name, counts[2])
