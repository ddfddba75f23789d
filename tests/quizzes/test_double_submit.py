"""A double submit (two tabs, a double click, two concurrent requests) grades once: the attempt
row is locked and graded with a conditional update; the item statistics count it once.

The concurrent tests run two threads against PostgreSQL (``DATABASE_URL=postgres://…``); on
SQLite, which serialises writers anyway, the same cases run one after the other.
"""

import threading

from django.db import connection

import pytest

from quizzes.models import Attempt, QuestionStat
from quizzes.services import attempt_start, attempt_submit
from tests.factories import correct_answers, quiz_in_course, wrong_answers

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; see the sequential cases"
)


def stats_attempts(quiz) -> set[int]:
    return set(
        QuestionStat.objects.filter(quiz_key=quiz.translation_key).values_list(
            "attempts", flat=True
        )
    )


@pytest.mark.django_db
def test_a_second_submit_changes_nothing_and_says_it_was_already_graded():
    setup = quiz_in_course()
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    first = attempt_submit(attempt=attempt, answers=correct_answers(attempt))
    second = attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
    assert first.graded_now and not second.graded_now
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.score == 7 and graded.submitted_at == first.attempt.submitted_at
    assert stats_attempts(setup.quiz) == {1}


@pytest.mark.django_db
def test_submitting_from_a_second_tab_shows_the_result_and_a_message(client):
    setup = quiz_in_course()
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    client.force_login(setup.learner)
    url = f"{setup.quiz.url}attempts/{attempt.pk}/"
    answers = {f"q_{key}": value for key, value in correct_answers(attempt).items()}
    simple = {k: v for k, v in answers.items() if isinstance(v, str | list)}
    first = client.post(url, {**simple, "action": "submit"})
    assert first.status_code == 302 and first["Location"].endswith("/result/")
    again = client.post(url, {**simple, "action": "submit"}, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0].endswith(f"attempts/{attempt.pk}/result/")
    assert stats_attempts(setup.quiz) == {1}


def _run_together(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released at the same moment; each closes its own
    database connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("site_content")
def test_two_concurrent_submits_grade_once():
    setup = quiz_in_course()
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    right, wrong = correct_answers(attempt), wrong_answers(attempt)
    submissions = _run_together(
        2,
        lambda i: attempt_submit(
            attempt=Attempt.objects.get(pk=attempt.pk), answers=right if i == 0 else wrong
        ),
    )
    assert sorted(s.graded_now for s in submissions) == [False, True]
    winner = next(s for s in submissions if s.graded_now)
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.score == winner.attempt.score
    assert {s.attempt.score for s in submissions} == {graded.score}
    assert stats_attempts(setup.quiz) == {1}


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("site_content")
def test_four_concurrent_submits_of_two_learners_each_grade_once():
    setup = quiz_in_course()
    from tests.factories import EnrollmentFactory

    other = EnrollmentFactory(course=setup.course).user
    attempts = [
        attempt_start(user=setup.learner, quiz=setup.quiz),
        attempt_start(user=other, quiz=setup.quiz),
    ]
    answers = [correct_answers(a) for a in attempts]
    submissions = _run_together(
        4,
        lambda i: attempt_submit(
            attempt=Attempt.objects.get(pk=attempts[i % 2].pk), answers=answers[i % 2]
        ),
    )
    assert sum(s.graded_now for s in submissions) == 2
    assert stats_attempts(setup.quiz) == {2}


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("site_content")
def test_two_concurrent_starts_open_one_attempt():
    setup = quiz_in_course()
    started = _run_together(2, lambda i: attempt_start(user=setup.learner, quiz=setup.quiz))
    assert started[0].pk == started[1].pk
    assert Attempt.objects.count() == 1
