"""Time limits kept by the server: the deadline stored at the start, answers after it ignored,
an expired attempt closed and graded with what was saved — when the learner comes back, when a
page touches it, or by the sweep (task and management command)."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone, translation

import pytest

from quizzes.models import Attempt
from quizzes.selectors import DEADLINE_GRACE
from quizzes.services import (
    AttemptClosed,
    attempt_close_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
)
from quizzes.tasks import close_expired_attempts
from tests.factories import EnrollmentFactory, correct_answers, quiz_in_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def timed():
    return quiz_in_course(time_limit_minutes=20, pass_mark=50)


@pytest.fixture
def started(timed):
    start = timezone.now() - timedelta(minutes=5)
    attempt = attempt_start(user=timed.learner, quiz=timed.quiz, now=start)
    return timed, attempt, start


def half_right(attempt, setup) -> dict:
    """Answers that score 4 of 7: single, multiple, true/false and numeric right."""
    answers = correct_answers(attempt)
    keep = {str(setup.questions[k].translation_key) for k in ("single", "multiple", "true_false")}
    keep.add(str(setup.questions["numeric"].translation_key))
    return {key: value for key, value in answers.items() if key in keep}


def test_the_deadline_is_the_start_plus_the_time_limit(started):
    _setup, attempt, start = started
    assert attempt.deadline_at == start + timedelta(minutes=20)


def test_answers_saved_in_time_count_and_a_submit_in_time_grades_them(started):
    setup, attempt, _start = started
    attempt_save_answers(attempt=attempt, answers=half_right(attempt, setup))
    submission = attempt_submit(attempt=attempt)
    assert not submission.too_late
    assert submission.attempt.score == 4
    assert not submission.attempt.closed_by_time_limit


def test_a_submit_after_the_deadline_is_graded_with_what_was_saved_before_it(started):
    setup, attempt, start = started
    attempt_save_answers(attempt=attempt, answers=half_right(attempt, setup))
    late = start + timedelta(minutes=21)
    submission = attempt_submit(attempt=attempt, answers=correct_answers(attempt), now=late)
    graded = Attempt.objects.get(pk=attempt.pk)
    assert submission.too_late
    assert graded.closed_by_time_limit
    assert graded.score == 4, "answers sent after the deadline are not counted"
    assert graded.submitted_at == attempt.deadline_at
    assert graded.passed is True  # 4/7 = 57 % ≥ 50 %


def test_a_save_after_the_deadline_is_refused_and_closes_the_attempt(started):
    setup, attempt, start = started
    attempt_save_answers(attempt=attempt, answers=half_right(attempt, setup))
    with translation.override("en"), pytest.raises(AttemptClosed) as closed:
        attempt_save_answers(
            attempt=attempt, answers=correct_answers(attempt), now=start + timedelta(hours=2)
        )
    assert "ran out" in closed.value.message
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.closed_by_time_limit and graded.score == 4


def test_an_answer_arriving_within_the_grace_seconds_still_counts(started):
    setup, attempt, _start = started
    just_after = attempt.deadline_at + DEADLINE_GRACE - timedelta(seconds=1)
    submission = attempt_submit(attempt=attempt, answers=correct_answers(attempt), now=just_after)
    assert not submission.too_late
    assert submission.attempt.score == 7


def test_closing_an_attempt_still_in_time_changes_nothing(started):
    _setup, attempt, _start = started
    assert attempt_close_expired(attempt=attempt).submitted_at is None


def test_coming_back_to_the_quiz_after_the_deadline_closes_the_attempt(client, started):
    setup, attempt, _start = started
    attempt_save_answers(attempt=attempt, answers=half_right(attempt, setup))
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=1),
        deadline_at=timezone.now() - timedelta(minutes=40),
    )
    client.force_login(setup.learner)
    response = client.get(setup.quiz.url)
    assert response.status_code == 200
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.closed_by_time_limit and graded.score == 4
    assert "Continue the attempt" not in response.content.decode()


def test_opening_the_expired_attempt_page_shows_the_result_with_a_clear_message(client, started):
    setup, attempt, _start = started
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    client.force_login(setup.learner)
    response = client.get(f"/en{setup.quiz.url}attempts/{attempt.pk}/", follow=True)
    assert response.redirect_chain[-1][0].endswith(f"attempts/{attempt.pk}/result/")
    assert "The time for this attempt ran out" in response.content.decode()


def test_the_json_save_after_the_deadline_says_the_attempt_is_closed(client, started):
    setup, attempt, _start = started
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    client.force_login(setup.learner)
    response = client.post(
        f"{setup.quiz.url}attempts/{attempt.pk}/answers/",
        {"answers": correct_answers(attempt)},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["closed"] is True
    assert response.json()["result_url"].endswith(f"attempts/{attempt.pk}/result/")
    assert Attempt.objects.get(pk=attempt.pk).score == 0


def test_starting_again_after_an_expired_attempt_closes_it_first(started):
    setup, attempt, start = started
    later = start + timedelta(hours=1)
    fresh = attempt_start(user=setup.learner, quiz=setup.quiz, now=later)
    assert fresh.pk != attempt.pk and fresh.number == 2
    assert Attempt.objects.get(pk=attempt.pk).closed_by_time_limit


def test_the_sweep_closes_every_expired_attempt_once(timed):
    other = quiz_in_course(time_limit_minutes=5)
    long_ago = timezone.now() - timedelta(hours=1)
    expired = [
        attempt_start(user=timed.learner, quiz=timed.quiz, now=long_ago),
        attempt_start(user=other.learner, quiz=other.quiz, now=long_ago),
    ]
    someone = EnrollmentFactory(course=timed.course).user
    in_time = attempt_start(user=someone, quiz=timed.quiz)
    assert attempts_close_expired() == 2
    assert attempts_close_expired() == 0
    for attempt in expired:
        graded = Attempt.objects.get(pk=attempt.pk)
        assert graded.closed_by_time_limit and graded.score == 0
    assert Attempt.objects.get(pk=in_time.pk).submitted_at is None


def test_the_task_and_the_command_run_the_sweep(timed):
    long_ago = timezone.now() - timedelta(hours=1)
    attempt_start(user=timed.learner, quiz=timed.quiz, now=long_ago)
    assert close_expired_attempts.delay().get() == 1
    attempt_start(user=timed.learner, quiz=timed.quiz, now=long_ago)
    out = StringIO()
    call_command("close_expired_attempts", stdout=out)
    assert "1 expired attempt(s) closed" in out.getvalue()
    assert Attempt.objects.open().count() == 0
