"""Scoring every kind of question, on the server only: quizzes/grading.py (pure, no database)."""

from decimal import Decimal

from django.utils import translation

import pytest

from quizzes import grading
from quizzes.grading import (
    AnswerError,
    AttemptScore,
    GradingChoice,
    GradingQuestion,
    Shown,
    clean_answer,
    grade_attempt,
    grade_question,
)
from quizzes.models import Question

A, B, C, D = "a" * 8, "b" * 8, "c" * 8, "d" * 8


def choice_question(kind="single", correct=(A,), keys=(A, B, C, D), partial="all_or_nothing"):
    return GradingQuestion(
        key="q",
        kind=kind,
        choices=tuple(GradingChoice(key=k, is_correct=k in correct) for k in keys),
        partial_credit=partial,
    )


def english(refused) -> str:
    """The refusal as a learner reading the English interface sees it."""
    with translation.override("en"):
        return str(refused.value.message)


def score(question, raw, shown=None):
    shown = shown or Shown(
        question.key,
        question.kind,
        tuple(c.key for c in question.choices),
        tuple(c.key for c in question.choices) if question.kind == "matching" else (),
    )
    return grade_question(question, clean_answer(shown, raw))


def test_kinds_match_the_model():
    assert set(grading.KINDS) == set(Question.Kind.values)
    assert {grading.ALL_OR_NOTHING, grading.PROPORTIONAL} == set(Question.PartialCredit.values)


# Single choice and true/false -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["single", "true_false"])
def test_single_choice_scores_one_for_the_correct_option_and_zero_otherwise(kind):
    question = choice_question(kind=kind, keys=(A, B))
    assert score(question, A) == 1
    assert score(question, B) == 0
    assert score(question, "") == 0  # no answer


def test_single_choice_refuses_two_options_and_an_option_of_another_question():
    question = choice_question()
    shown = Shown("q", "single", (A, B, C, D))
    with pytest.raises(AnswerError):
        clean_answer(shown, [A, B])
    with pytest.raises(AnswerError) as refused:
        clean_answer(shown, "e" * 8)
    assert "not one of this question's options" in english(refused)
    with pytest.raises(AnswerError):
        clean_answer(shown, {"x": 1})
    assert score(question, [A]) == 1  # a list of one is one choice


# Multiple choice --------------------------------------------------------------------------------


def test_multiple_choice_all_or_nothing_needs_exactly_the_correct_set():
    question = choice_question(kind="multiple", correct=(A, B))
    assert score(question, [A, B]) == 1
    assert score(question, [B, A]) == 1
    assert score(question, [A]) == 0
    assert score(question, [A, B, C]) == 0
    assert score(question, []) == 0


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        ([A, B, C], Decimal("1")),  # 3 right of 3
        ([A, B], Decimal("0.6666")),  # 2/3, rounded down to 4 places
        ([A, B, D], Decimal("0.3333")),  # (2 − 1) / 3
        ([A, D], Decimal("0")),  # (1 − 1) / 3
        ([D], Decimal("0")),  # (0 − 1) / 3 floored at 0
        ([A, B, C, D], Decimal("0.6666")),  # (3 − 1) / 3
    ],
)
def test_multiple_choice_proportional_is_right_minus_wrong_over_correct_floored_at_zero(
    picked, expected
):
    question = choice_question(kind="multiple", correct=(A, B, C), partial="proportional")
    assert score(question, picked) == expected


def test_multiple_choice_refuses_a_foreign_option_and_ignores_repeats():
    question = choice_question(kind="multiple", correct=(A, B))
    shown = Shown("q", "multiple", (A, B, C, D))
    with pytest.raises(AnswerError):
        clean_answer(shown, [A, "z" * 8])
    assert clean_answer(shown, [B, A, A]) == [A, B]  # stored in the order shown
    assert score(question, [B, A, A]) == 1


# Numeric ------------------------------------------------------------------------------------------


def numeric(answer="150", tolerance="0"):
    return GradingQuestion(
        key="q",
        kind="numeric",
        numeric_answer=Decimal(answer),
        numeric_tolerance=Decimal(tolerance),
    )


def test_numeric_answer_within_tolerance_is_correct():
    question = numeric("150", "2")
    assert score(question, "150") == 1
    assert score(question, "152") == 1
    assert score(question, "148") == 1
    assert score(question, "152.01") == 0
    assert score(question, "147,99") == 0


def test_numeric_accepts_a_decimal_comma_spaces_and_json_numbers():
    question = numeric("1500.5")
    assert score(question, "1 500,5") == 1
    assert score(question, 1500.5) == 1
    assert score(question, "1500.50") == 1
    assert clean_answer(Shown("q", "numeric"), " 12,50 ") == "12.5"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("twelve", "Enter a number"),
        ("12abc", "Enter a number"),
        ("1e5", "Enter a number"),
        ("NaN", "Enter a number"),
        ("Infinity", "Enter a number"),
        (float("nan"), "Enter a number"),
        (float("inf"), "Enter a number"),
        (True, "Enter a number"),
        ([1], "Enter a number"),
        ("-5", "zero or more"),
        (-5, "zero or more"),
        ("99999999999", "too large"),
        ("9" * 39, "too large"),
        ("9" * 1000, "too large"),
        (10**30, "too large"),
    ],
)
def test_numeric_refuses_non_numbers_negatives_and_absurd_values_with_a_clear_message(raw, message):
    with pytest.raises(AnswerError) as refused:
        clean_answer(Shown("q", "numeric"), raw)
    assert message in english(refused)


def test_an_empty_numeric_field_is_no_answer():
    assert clean_answer(Shown("q", "numeric"), "  ") is None
    assert score(numeric("0"), "") == 0


# Short text ---------------------------------------------------------------------------------------


def short_text(*accepted, case_sensitive=False):
    return GradingQuestion(
        key="q", kind="short_text", accepted_texts=accepted, case_sensitive=case_sensitive
    )


def test_short_text_collapses_whitespace_and_ignores_case_by_default():
    question = short_text("Хаттама", "протокол")
    assert score(question, "  хаттама ") == 1
    assert score(question, "ХАТТАМА") == 1
    assert score(question, "Протокол") == 1  # an accepted answer of another language
    assert score(question, "хат тама") == 0


def test_short_text_multi_word_answers_match_with_any_spacing():
    question = short_text("дауыс беру бюллетені")
    assert score(question, "Дауыс   беру\tбюллетені") == 1


def test_short_text_case_sensitive_question_respects_case():
    question = short_text("СК", case_sensitive=True)
    assert score(question, "СК") == 1
    assert score(question, "ск") == 0
    assert score(question, " СК  ") == 1


def test_short_text_refuses_answers_over_500_characters_and_a_megabyte():
    shown = Shown("q", "short_text")
    assert clean_answer(shown, "ә" * 500) == "ә" * 500
    for raw in ("ә" * 501, "x" * 1024 * 1024):
        with pytest.raises(AnswerError) as refused:
            clean_answer(shown, raw)
        assert "500 characters" in english(refused)
    with pytest.raises(AnswerError):
        clean_answer(shown, 12)


# Ordering -----------------------------------------------------------------------------------------


def ordering(partial="all_or_nothing"):
    return GradingQuestion(
        key="q",
        kind="ordering",
        choices=tuple(GradingChoice(key=k) for k in (A, B, C, D)),  # the correct order
        partial_credit=partial,
    )


def test_ordering_all_or_nothing_needs_every_step_in_place():
    question = ordering()
    assert score(question, {A: 1, B: 2, C: 3, D: 4}) == 1
    assert score(question, {A: "1", B: "2", C: "3", D: "4"}) == 1  # form values are strings
    assert score(question, {A: 2, B: 1, C: 3, D: 4}) == 0
    assert score(question, {A: 1, B: 2, C: 3}) == 0


def test_ordering_proportional_is_the_share_of_steps_in_the_right_place():
    question = ordering("proportional")
    assert score(question, {A: 2, B: 1, C: 3, D: 4}) == Decimal("0.5")
    assert score(question, {A: 1, B: 3, C: 4, D: 2}) == Decimal("0.25")
    assert score(question, {A: 1, B: 1, C: 1, D: 1}) == Decimal("0.25")


def test_ordering_refuses_positions_outside_the_list_and_foreign_steps():
    shown = Shown("q", "ordering", (A, B, C, D))
    for raw in ({A: 5}, {A: 0}, {A: -1}, {A: "x"}, {A: True}, {"z" * 8: 1}, [A, B]):
        with pytest.raises(AnswerError):
            clean_answer(shown, raw)


# Matching -----------------------------------------------------------------------------------------


def matching(partial="all_or_nothing"):
    pairs = {A: "Төраға", B: "Хатшы", C: "Мүше"}
    return GradingQuestion(
        key="q",
        kind="matching",
        choices=tuple(GradingChoice(key=k, match_text=text) for k, text in pairs.items()),
        partial_credit=partial,
    )


def match_shown():
    # The right-hand items shown in the order C, A, B: their opaque ids are "1", "2", "3".
    return Shown("q", "matching", (A, B, C), (C, A, B))


def test_matching_pairs_each_item_with_its_match_by_opaque_ids():
    question = matching()
    shown = match_shown()
    assert clean_answer(shown, {A: "2", B: "3", C: "1"}) == {A: A, B: B, C: C}
    assert score(question, {A: "2", B: "3", C: "1"}, shown) == 1
    assert score(question, {A: "3", B: "2", C: "1"}, shown) == 0


def test_matching_proportional_is_the_share_of_right_pairs():
    question = matching("proportional")
    assert score(question, {A: "2", B: "1", C: "3"}, match_shown()) == Decimal("0.3333")
    assert score(question, {A: "2"}, match_shown()) == Decimal("0.3333")


def test_matching_two_items_with_the_same_match_accept_either_right_hand_item():
    question = GradingQuestion(
        key="q",
        kind="matching",
        choices=(
            GradingChoice(A, match_text="Төраға"),
            GradingChoice(B, match_text="Төраға"),
            GradingChoice(C, match_text="Хатшы"),
        ),
    )
    shown = Shown("q", "matching", (A, B, C), (A, B, C))
    assert score(question, {A: "2", B: "2", C: "3"}, shown) == 1


def test_matching_refuses_an_unknown_right_hand_id():
    for raw in ({A: "4"}, {A: "0"}, {A: A}, {A: True}, {"z" * 8: "1"}):
        with pytest.raises(AnswerError):
            clean_answer(match_shown(), raw)


# Whole attempts -----------------------------------------------------------------------------------


def test_attempt_score_sums_items_and_leaves_void_questions_out_of_the_maximum():
    bank = {
        "q1": choice_question(keys=(A, B)),
        "q2": numeric("10"),
        # "q3" was deleted from the bank since the draw
    }
    bank["q1"] = GradingQuestion("q1", "single", bank["q1"].choices)
    bank["q2"] = GradingQuestion("q2", "numeric", numeric_answer=Decimal(10))
    shown = [Shown("q1", "single", (A, B)), Shown("q2", "numeric"), Shown("q3", "single", (C,))]
    outcome = grade_attempt(shown=shown, bank=bank, answers={"q1": A, "q2": "11", "q3": C})
    assert outcome.items == {"q1": 1, "q2": 0, "q3": None}
    assert (outcome.score, outcome.max_score, outcome.percent) == (1, 2, Decimal("50.00"))


def test_a_question_whose_kind_changed_or_whose_steps_changed_is_void():
    shown = [Shown("q1", "single", (A, B)), Shown("q2", "ordering", (A, B, C))]
    bank = {
        "q1": GradingQuestion("q1", "multiple", (GradingChoice(A, True),)),
        "q2": GradingQuestion("q2", "ordering", (GradingChoice(A), GradingChoice(B))),
    }
    outcome = grade_attempt(shown=shown, bank=bank, answers={"q1": A, "q2": {A: 1, B: 2}})
    assert outcome.items == {"q1": None, "q2": None}
    assert outcome.max_score == 0 and not outcome.passed(1)


def test_options_added_after_the_draw_do_not_count_and_deleted_ones_are_dropped():
    shown = [Shown("q", "multiple", (A, B, C))]
    # After the draw: C was deleted, D (correct) was added.
    bank = {
        "q": GradingQuestion(
            "q",
            "multiple",
            (GradingChoice(A, True), GradingChoice(B, False), GradingChoice(D, True)),
        )
    }
    outcome = grade_attempt(shown=shown, bank=bank, answers={"q": [A, C]})
    assert outcome.items == {"q": 1}


def test_attempt_below_pass_mark_is_not_passed_and_at_pass_mark_is():
    assert not AttemptScore(Decimal("7.9999"), Decimal(10)).passed(80)
    assert AttemptScore(Decimal(8), Decimal(10)).passed(80)
    assert AttemptScore(Decimal(10), Decimal(10)).passed(100)
    assert not AttemptScore(Decimal("9.9999"), Decimal(10)).passed(100)


def test_percent_is_rounded_down_so_it_never_shows_a_pass_that_is_not():
    outcome = AttemptScore(Decimal(2), Decimal(3))
    assert outcome.percent == Decimal("66.66")
    assert AttemptScore(Decimal("7.9999"), Decimal(10)).percent == Decimal("79.99")


def test_a_stored_answer_of_the_wrong_shape_scores_nothing_instead_of_failing():
    shown = [Shown("q", "single", (A, B))]
    bank = {"q": GradingQuestion("q", "single", (GradingChoice(A, True), GradingChoice(B)))}
    assert grade_attempt(shown=shown, bank=bank, answers={"q": {"x": [1]}}).items == {"q": 0}
