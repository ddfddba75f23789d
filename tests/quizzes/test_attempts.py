"""Attempts on the server: who may start one, what it stores, saving as the learner goes,
grading on submit, attempt limits and waits, bad input, and a quiz edited while attempts are
open (quizzes/services/attempts.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone, translation

import pytest

from quizzes.drawing import arrange_attempt, draw_questions
from quizzes.models import Attempt, Choice, QuizPage
from quizzes.selectors import choice_keys, draw_bank, quiz_rules, quiz_status
from quizzes.services import (
    GENERAL,
    AttemptRefused,
    InvalidAnswers,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)
from tests.factories import (
    CourseTree,
    QuizPageFactory,
    UserFactory,
    correct_answers,
    quiz_in_course,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return quiz_in_course(pass_mark=80, attempts_allowed=3)


def key_of(question) -> str:
    return str(question.translation_key)


def choice_key(question, text) -> str:
    return str(Choice.objects.get(question=question, text=text).translation_key)


# Starting ---------------------------------------------------------------------------------------


def test_starting_stores_the_seed_drawn_keys_choice_orders_and_no_deadline_without_a_limit(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    assert attempt.number == 1
    assert attempt.enrollment == setup.enrollment
    assert attempt.quiz_key == setup.quiz.translation_key
    assert attempt.deadline_at is None
    assert {item["key"] for item in attempt.questions} == {
        key_of(q) for q in setup.questions.values()
    }
    single = next(item for item in attempt.questions if item["kind"] == "single")
    assert sorted(single["choices"]) == sorted(
        str(c.translation_key) for c in setup.questions["single"].choices.all()
    )


def test_the_stored_draw_is_reproduced_from_the_attempts_seed(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    rules = quiz_rules(quiz=setup.quiz).rules
    drawn = draw_questions(
        rules=rules,
        bank=draw_bank(rules=rules),
        seed=attempt.seed,
        shuffle_questions=setup.quiz.shuffle_questions,
    )
    again = arrange_attempt(
        drawn=drawn,
        choices=choice_keys(question_keys=[d.key for d in drawn]),
        seed=attempt.seed,
        shuffle_choices=setup.quiz.shuffle_choices,
    )
    assert again == attempt.questions


def test_an_open_attempt_is_resumed_not_started_twice(setup):
    first = attempt_start(user=setup.learner, quiz=setup.quiz)
    assert attempt_start(user=setup.learner, quiz=setup.quiz) == first
    assert Attempt.objects.count() == 1


def test_a_learner_not_enrolled_in_the_course_cannot_start(setup):
    stranger = UserFactory()
    with translation.override("en"), pytest.raises(AttemptRefused) as refused:
        attempt_start(user=stranger, quiz=setup.quiz)
    assert refused.value.code == "not_enrolled"
    assert "not enrolled" in refused.value.message
    assert not Attempt.objects.exists()


def test_a_public_course_enrols_the_learner_who_starts_its_test():
    course = CourseTree.build(modules=1, lessons=1, is_public=True)
    setup = quiz_in_course()
    quiz = QuizPageFactory.create(
        parent=course, rules=[{"topic": setup.topic, "count": 2}], shuffle_questions=False
    )
    young_voter = UserFactory()
    attempt = attempt_start(user=young_voter, quiz=quiz)
    assert attempt.enrollment.user == young_voter
    assert attempt.enrollment.course_key == course.translation_key
    assert attempt.enrollment.source == "self"


def test_a_draft_test_cannot_be_started(setup):
    setup.quiz.unpublish()
    quiz = QuizPage.objects.get(pk=setup.quiz.pk)
    with pytest.raises(AttemptRefused) as refused:
        attempt_start(user=setup.learner, quiz=quiz)
    assert refused.value.code == "draft"


def test_a_test_with_no_questions_cannot_be_started(setup):
    empty = QuizPageFactory.create(parent=setup.course, rules=[{"topic": setup.topic, "count": 0}])
    with translation.override("en"), pytest.raises(AttemptRefused) as refused:
        attempt_start(user=setup.learner, quiz=empty)
    assert "no questions" in refused.value.message


def test_the_attempts_limit_is_enforced_with_a_clear_message(setup):
    for _ in range(3):
        attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
        attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
    with translation.override("en"), pytest.raises(AttemptRefused) as refused:
        attempt_start(user=setup.learner, quiz=setup.quiz)
    assert refused.value.code == "used_up"
    assert "all 3 attempts" in refused.value.message
    assert Attempt.objects.count() == 3


def test_unlimited_attempts_when_the_quiz_allows_zero(setup):
    setup.quiz.attempts_allowed = 0
    for number in range(1, 5):
        attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
        assert attempt.number == number
        attempt_submit(attempt=attempt)
    assert quiz_status(user=setup.learner, quiz=setup.quiz).attempts_left is None


def test_the_wait_between_attempts_says_when_the_next_one_is_allowed(setup):
    setup.quiz.wait_minutes = 60
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    submitted_at = timezone.now()
    attempt_submit(attempt=attempt, now=submitted_at)
    with translation.override("en"), pytest.raises(AttemptRefused) as refused:
        attempt_start(user=setup.learner, quiz=setup.quiz, now=submitted_at + timedelta(minutes=59))
    assert refused.value.code == "wait"
    assert refused.value.next_attempt_at == submitted_at + timedelta(minutes=60)
    assert "next attempt is allowed from" in refused.value.message
    later = attempt_start(
        user=setup.learner, quiz=setup.quiz, now=submitted_at + timedelta(minutes=61)
    )
    assert later.number == 2


# Saving as the learner goes ---------------------------------------------------------------------


def test_answers_are_saved_as_the_learner_goes_and_merged(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    single, numeric = setup.questions["single"], setup.questions["numeric"]
    attempt_save_answers(attempt=attempt, answers={key_of(single): choice_key(single, "07:00")})
    saved = attempt_save_answers(attempt=attempt, answers={key_of(numeric): "1 500"})
    assert saved.errors == {}
    attempt.refresh_from_db()
    assert attempt.answers == {
        key_of(single): choice_key(single, "07:00"),
        key_of(numeric): "1500",
    }
    # An empty answer clears a saved one.
    attempt_save_answers(attempt=attempt, answers={key_of(numeric): ""})
    attempt.refresh_from_db()
    assert key_of(numeric) not in attempt.answers


def test_saving_keeps_the_good_answers_and_reports_the_bad_ones(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    single, numeric, text = (setup.questions[k] for k in ("single", "numeric", "short_text"))
    with translation.override("en"):
        saved = attempt_save_answers(
            attempt=attempt,
            answers={
                key_of(single): choice_key(single, "07:00"),
                key_of(numeric): "-3",
                key_of(text): "ә" * (1024 * 1024),
            },
        )
    assert set(saved.errors) == {key_of(numeric), key_of(text)}
    assert "zero or more" in saved.errors[key_of(numeric)]
    assert "500 characters" in saved.errors[key_of(text)]
    attempt.refresh_from_db()
    assert attempt.answers == {key_of(single): choice_key(single, "07:00")}


# Bad input on submit ----------------------------------------------------------------------------


def test_a_choice_key_from_another_question_is_refused(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    single, multiple = setup.questions["single"], setup.questions["multiple"]
    with translation.override("en"), pytest.raises(InvalidAnswers) as invalid:
        attempt_submit(attempt=attempt, answers={key_of(single): choice_key(multiple, "Төраға")})
    assert "not one of this question's options" in invalid.value.errors[key_of(single)]
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}


def test_a_choice_key_from_another_quiz_is_refused(setup):
    other = quiz_in_course()
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    foreign = other.questions["single"]
    with pytest.raises(InvalidAnswers):
        attempt_submit(
            attempt=attempt,
            answers={key_of(setup.questions["single"]): choice_key(foreign, "07:00")},
        )


def test_answers_to_questions_not_in_this_attempt_are_refused(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    other = quiz_in_course()
    with translation.override("en"), pytest.raises(InvalidAnswers) as invalid:
        attempt_submit(attempt=attempt, answers={key_of(other.questions["single"]): "x"})
    assert "not in this attempt" in invalid.value.errors[GENERAL]


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("numeric", "-1"),
        ("numeric", "1" * 200),
        ("numeric", "1e400"),
        ("numeric", {"$gt": 0}),
        ("short_text", "x" * (1024 * 1024)),
        ("multiple", "not-a-list-key"),
        ("ordering", [1, 2, 3]),
        ("ordering", {"x": 1}),
        ("matching", {"x": "1"}),
        ("single", 12),
    ],
)
def test_malformed_answers_are_refused_without_grading(setup, kind, raw):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    with pytest.raises(InvalidAnswers):
        attempt_submit(attempt=attempt, answers={key_of(setup.questions[kind]): raw})
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


# Grading ------------------------------------------------------------------------------------------


def test_submitting_correct_answers_scores_full_marks_and_passes(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    submission = attempt_submit(attempt=attempt, answers=correct_answers(attempt))
    graded = Attempt.objects.get(pk=attempt.pk)
    assert submission.graded_now
    assert (graded.score, graded.max_score, graded.percent) == (7, 7, 100)
    assert graded.passed is True
    assert graded.submitted_at is not None
    assert all(result["score"] == "1.0000" for result in graded.results.values())


def test_an_attempt_below_the_pass_mark_is_not_passed(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    answers = correct_answers(attempt)
    for kind in ("numeric", "short_text"):  # 5 of 7 = 71.42 % < 80 %
        answers[key_of(setup.questions[kind])] = wrong_answers(attempt)[
            key_of(setup.questions[kind])
        ]
    attempt_submit(attempt=attempt, answers=answers)
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.percent == Decimal("71.42")
    assert graded.passed is False


def test_unanswered_questions_score_zero(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    attempt_submit(attempt=attempt)
    graded = Attempt.objects.get(pk=attempt.pk)
    assert (graded.score, graded.max_score, graded.passed) == (0, 7, False)


def test_grading_highest_takes_the_best_attempt_and_last_takes_the_last(setup):
    first = attempt_start(user=setup.learner, quiz=setup.quiz)
    attempt_submit(attempt=first, answers=correct_answers(first))
    second = attempt_start(user=setup.learner, quiz=setup.quiz)
    attempt_submit(attempt=second, answers=wrong_answers(second))
    status = quiz_status(user=setup.learner, quiz=setup.quiz)
    assert status.result.pk == first.pk and status.passed
    setup.quiz.grading = QuizPage.Grading.LAST
    status = quiz_status(user=setup.learner, quiz=setup.quiz)
    assert status.result.pk == second.pk and not status.passed


def test_someone_elses_attempt_is_not_theirs_to_submit_through_the_page(client, setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    client.force_login(UserFactory())
    url = f"{setup.quiz.url}attempts/{attempt.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "submit"}).status_code == 404
    assert client.post(url + "answers/", "{}", content_type="application/json").status_code == 404
    assert client.get(url + "result/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


# A quiz edited while attempts are open ------------------------------------------------------------


def test_open_attempts_keep_the_questions_they_drew_when_the_quiz_changes(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    drawn = [item["key"] for item in attempt.questions]
    setup.quiz.rules.all().delete()
    QuizPageFactory.create(parent=setup.course)  # unrelated change to the tree
    attempt.refresh_from_db()
    assert [item["key"] for item in attempt.questions] == drawn
    submission = attempt_submit(attempt=attempt, answers=correct_answers(attempt))
    assert submission.attempt.max_score == 7 and submission.attempt.passed


def test_a_question_deleted_while_an_attempt_is_open_is_void_and_left_out(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    answers = correct_answers(attempt)
    deleted = setup.questions["matching"]
    deleted_key = key_of(deleted)
    deleted.delete()
    attempt_submit(attempt=attempt, answers={k: v for k, v in answers.items() if k != deleted_key})
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.results[deleted_key] == {"void": True}
    assert (graded.score, graded.max_score, graded.percent) == (6, 6, 100)


def test_a_choice_added_after_the_draw_does_not_change_the_attempts_score(setup):
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    answers = correct_answers(attempt)
    multiple = setup.questions["multiple"]
    Choice.objects.create(
        question=multiple, text="Мүше", is_correct=True, locale=multiple.locale, sort_order=9
    )
    attempt_submit(attempt=attempt, answers=answers)
    graded = Attempt.objects.get(pk=attempt.pk)
    assert graded.results[key_of(multiple)]["score"] == "1.0000"
