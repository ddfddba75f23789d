"""Scoring answers: pure functions, no database (Django only for translatable messages).

Every question is worth one point. An answer is first *cleaned* against what the learner was shown
(``clean_answer``: the choice keys of that question, its steps or pairs) and then *graded* against
the bank (``grade_question``). Answers are stored cleaned, in these shapes, keyed by the
question's ``translation_key`` (a string):

==========================  ====================================================================
kind                        stored answer
==========================  ====================================================================
single, true_false          a choice key: ``"4b1f…"``
multiple                    a list of choice keys, in the order shown: ``["4b1f…", "90ac…"]``
numeric                     the number as a plain decimal string: ``"12.5"``
short_text                  the text, whitespace collapsed and trimmed: ``"протокол"``
ordering                    the position given to each step: ``{"<choice key>": 1, …}``
matching                    the right-hand item given to each left item, both as choice keys:
                            ``{"<left choice key>": "<choice key whose match_text was picked>"}``
==========================  ====================================================================

Only ``matching`` differs in the browser: there the right-hand items carry opaque ids (their
position in the shuffled list, "1", "2", …), so that the page never pairs a left item with its
match; ``clean_answer`` turns them into keys.
"""

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

# The kinds of ``quizzes.models.Question.Kind``, as plain strings so that this module needs no
# models (tests/quizzes/test_grading.py checks that they match).
SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
NUMERIC = "numeric"
SHORT_TEXT = "short_text"
ORDERING = "ordering"
MATCHING = "matching"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, SHORT_TEXT, ORDERING, MATCHING)
CHOICE_KINDS = (SINGLE, TRUE_FALSE, MULTIPLE)

ALL_OR_NOTHING = "all_or_nothing"
PROPORTIONAL = "proportional"

MAX_TEXT_LENGTH = 500
# Numeric answers are counts and amounts from election practice (ballots, days, members, per
# cent): zero or more, and below ten billion (the bank stores 10 digits before the point).
MAX_NUMBER = Decimal("9999999999")
MAX_NUMBER_INPUT = 40  # characters

SCORE_PLACES = Decimal("0.0001")  # as Attempt.score stores it
PERCENT_PLACES = Decimal("0.01")
ONE = Decimal(1)
ZERO = Decimal(0)


class AnswerError(ValueError):
    """An answer the server refuses, with the reason in words for the learner."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Messages for the learner, translated when shown.
NOT_A_CHOICE = _("This choice is not one of this question's options.")
ONE_CHOICE_ONLY = _("Choose one option.")
NOT_A_NUMBER = _("Enter a number, for example 12 or 12.5.")
NEGATIVE_NUMBER = _("Enter a number of zero or more.")
NUMBER_TOO_LARGE = _("This number is too large.")
TEXT_TOO_LONG = _("The answer may be at most 500 characters long.")
NOT_TEXT = _("Enter the answer as text.")
BAD_POSITION = _("Choose a position for each step from the list.")
BAD_PAIR = _("Choose a match for each item from the list.")
BAD_SHAPE = _("This answer is not in a form the server understands.")


# What the learner was shown -------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One drawn question as the attempt stores it: what the learner may answer with.

    ``choices`` are the choice keys in the order shown (options, steps or left items);
    ``targets`` are, for matching, the choice keys whose ``match_text`` is offered on the right,
    in the order shown.
    """

    key: str
    kind: str
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


def collapse(text: str) -> str:
    """Unicode NFC, whitespace runs made one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_number(raw) -> Decimal:
    """A learner's number: "12", "12.5", "12,5" (the Kazakh and Russian decimal comma), with
    spaces between thousands allowed. Refuses non-numbers, NaN and infinity, negatives and
    absurdly large values."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, Decimal)):
        raise AnswerError(NOT_A_NUMBER)
    if isinstance(raw, float) and not math.isfinite(raw):
        raise AnswerError(NOT_A_NUMBER)
    text = str(raw)
    if len(text) > MAX_NUMBER_INPUT:
        raise AnswerError(NUMBER_TOO_LARGE if re.fullmatch(r"[\d\s.,+-]+", text) else NOT_A_NUMBER)
    text = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise AnswerError(NOT_A_NUMBER)
    try:
        number = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern above admits only numbers
        raise AnswerError(NOT_A_NUMBER) from error
    if number < 0:
        raise AnswerError(NEGATIVE_NUMBER)
    if number > MAX_NUMBER:
        raise AnswerError(NUMBER_TOO_LARGE)
    return number


def _plain_number(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def _as_position(raw, count: int) -> int:
    if isinstance(raw, bool):
        raise AnswerError(BAD_POSITION)
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if not isinstance(raw, int) or not 1 <= raw <= count:
        raise AnswerError(BAD_POSITION)
    return raw


def clean_answer(shown: Shown, raw):
    """The stored form of a learner's answer to a question they were shown, or None for no
    answer (an empty field clears a saved answer). Raises ``AnswerError`` with a message for the
    learner when the answer cannot be accepted."""
    if raw is None:
        return None
    kind = shown.kind
    if kind in (SINGLE, TRUE_FALSE):
        if isinstance(raw, list):
            if len(raw) > 1:
                raise AnswerError(ONE_CHOICE_ONLY)
            raw = raw[0] if raw else ""
        if not isinstance(raw, str):
            raise AnswerError(BAD_SHAPE)
        if raw == "":
            return None
        if raw not in shown.choices:
            raise AnswerError(NOT_A_CHOICE)
        return raw
    if kind == MULTIPLE:
        if isinstance(raw, str):
            raw = [raw] if raw else []
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise AnswerError(BAD_SHAPE)
        picked = set(raw)
        if not picked <= set(shown.choices):
            raise AnswerError(NOT_A_CHOICE)
        return [key for key in shown.choices if key in picked] or None
    if kind == NUMERIC:
        if isinstance(raw, str) and not raw.strip():
            return None
        return _plain_number(parse_number(raw))
    if kind == SHORT_TEXT:
        if not isinstance(raw, str):
            raise AnswerError(NOT_TEXT)
        if len(raw) > MAX_TEXT_LENGTH:
            raise AnswerError(TEXT_TOO_LONG)
        return collapse(raw) or None
    if kind in (ORDERING, MATCHING):
        if not isinstance(raw, Mapping):
            raise AnswerError(BAD_SHAPE)
        if not set(raw) <= set(shown.choices):
            raise AnswerError(NOT_A_CHOICE)
        cleaned = {}
        for key in shown.choices:
            value = raw.get(key)
            if value is None or value == "":
                continue
            if kind == ORDERING:
                cleaned[key] = _as_position(value, len(shown.choices))
            else:
                cleaned[key] = _target_key(shown, value)
        return cleaned or None
    raise AnswerError(BAD_SHAPE)


def _target_key(shown: Shown, opaque) -> str:
    """The choice key behind a right-hand item's opaque id (its 1-based place in the list)."""
    if isinstance(opaque, bool):
        raise AnswerError(BAD_PAIR)
    if isinstance(opaque, str) and opaque.strip().isdigit():
        opaque = int(opaque.strip())
    if not isinstance(opaque, int) or not 1 <= opaque <= len(shown.targets):
        raise AnswerError(BAD_PAIR)
    return shown.targets[opaque - 1]


def opaque_target(shown: Shown, target_key: str) -> str:
    """The opaque id the page uses for a stored right-hand item (the reverse of cleaning)."""
    return str(shown.targets.index(target_key) + 1) if target_key in shown.targets else ""


# The bank, as grading needs it ----------------------------------------------------------------


@dataclass(frozen=True)
class GradingChoice:
    key: str
    is_correct: bool = False
    match_text: str = ""


@dataclass(frozen=True)
class GradingQuestion:
    """What grading needs of one question: its choices in the editors' order (the correct order
    of an ordering question), and the kind's settings. ``accepted_texts`` are a short text
    question's correct choices' texts in every language the question is written in."""

    key: str
    kind: str
    choices: tuple[GradingChoice, ...] = ()
    partial_credit: str = ALL_OR_NOTHING
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal = ZERO
    case_sensitive: bool = False
    accepted_texts: tuple[str, ...] = ()

    def limited_to(self, shown: Shown) -> "GradingQuestion":
        """The question as the learner saw it: choices added to the bank after the draw do not
        count (the learner could not pick them); choices deleted since are gone."""
        if self.kind not in (*CHOICE_KINDS, ORDERING, MATCHING):
            return self
        keys = set(shown.choices)
        return GradingQuestion(
            key=self.key,
            kind=self.kind,
            choices=tuple(choice for choice in self.choices if choice.key in keys),
            partial_credit=self.partial_credit,
            numeric_answer=self.numeric_answer,
            numeric_tolerance=self.numeric_tolerance,
            case_sensitive=self.case_sensitive,
            accepted_texts=self.accepted_texts,
        )

    @property
    def is_gradable(self) -> bool:
        """Whether the question can still be scored: a choice question with no options left, a
        numeric one with no correct number or a short text one with no accepted answer cannot."""
        if self.kind in (*CHOICE_KINDS, ORDERING, MATCHING):
            return bool(self.choices)
        if self.kind == NUMERIC:
            return self.numeric_answer is not None
        if self.kind == SHORT_TEXT:
            return bool(self.accepted_texts)
        return False


def _share(right: int, total: int, partial_credit: str) -> Decimal:
    if total == 0:
        return ZERO
    if partial_credit == PROPORTIONAL:
        return (Decimal(right) / Decimal(total)).quantize(SCORE_PLACES, rounding=ROUND_DOWN)
    return ONE if right == total else ZERO


def _text_key(text: str, case_sensitive: bool) -> str:
    text = collapse(text)
    return text if case_sensitive else text.casefold()


def grade_question(question: GradingQuestion, answer) -> Decimal:
    """The item score from 0 to 1 of a cleaned answer (None: no answer, scores 0)."""
    if answer is None:
        return ZERO
    kind = question.kind
    if kind in (SINGLE, TRUE_FALSE):
        correct = {choice.key for choice in question.choices if choice.is_correct}
        return ONE if answer in correct else ZERO
    if kind == MULTIPLE:
        correct = {choice.key for choice in question.choices if choice.is_correct}
        picked = set(answer)
        if question.partial_credit == PROPORTIONAL and correct:
            # (correct picked − wrong picked) / correct in all, floored at 0.
            net = len(picked & correct) - len(picked - correct)
            return _share(net, len(correct), PROPORTIONAL) if net > 0 else ZERO
        return ONE if picked == correct else ZERO
    if kind == NUMERIC:
        if question.numeric_answer is None:
            return ZERO
        distance = abs(Decimal(answer) - question.numeric_answer)
        return ONE if distance <= question.numeric_tolerance else ZERO
    if kind == SHORT_TEXT:
        accepted = {_text_key(text, question.case_sensitive) for text in question.accepted_texts}
        return ONE if _text_key(answer, question.case_sensitive) in accepted else ZERO
    if kind == ORDERING:
        right = sum(
            1
            for place, choice in enumerate(question.choices, start=1)
            if answer.get(choice.key) == place
        )
        return _share(right, len(question.choices), question.partial_credit)
    if kind == MATCHING:
        match_of = {choice.key: collapse(choice.match_text) for choice in question.choices}
        right = sum(
            1
            for choice in question.choices
            if (picked := answer.get(choice.key)) is not None
            and (picked == choice.key or match_of.get(picked) == match_of[choice.key])
        )
        return _share(right, len(question.choices), question.partial_credit)
    return ZERO


# A whole attempt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptScore:
    """The outcome of grading an attempt. ``items`` holds each question's score from 0 to 1, or
    None for a *void* question (deleted from the bank, or changed so that it cannot be scored,
    since the attempt drew it): a void question is left out of the maximum score."""

    score: Decimal
    max_score: Decimal
    items: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def percent(self) -> Decimal:
        """Rounded down to 0.01, so that the percent shown never exceeds the true one."""
        if not self.max_score:
            return ZERO
        return (self.score * 100 / self.max_score).quantize(PERCENT_PLACES, rounding=ROUND_DOWN)

    def passed(self, pass_mark: int) -> bool:
        """Passed when the score is at least ``pass_mark`` per cent of the maximum, compared
        exactly (not on the rounded percent). An attempt with nothing left to score fails."""
        return bool(self.max_score) and self.score * 100 >= Decimal(pass_mark) * self.max_score


def grade_attempt(
    *,
    shown: Sequence[Shown],
    bank: Mapping[str, GradingQuestion],
    answers: Mapping[str, object],
) -> AttemptScore:
    """Grade every question the attempt drew, with the bank as it is now.

    A question is *void* (left out of the maximum) when it was deleted from the bank since the
    draw (missing from ``bank``), its kind changed, it can no longer be scored, or, for ordering
    and matching, one of the steps or pairs shown was deleted (the correct places moved). For
    choice questions a deleted option is dropped from the learner's picks; options added since
    the draw are ignored, the learner never saw them.
    """
    items: dict[str, Decimal | None] = {}
    for item in shown:
        question = bank.get(item.key)
        if question is None or question.kind != item.kind:
            items[item.key] = None
            continue
        question = question.limited_to(item)
        present = {choice.key for choice in question.choices}
        if not question.is_gradable or (
            item.kind in (ORDERING, MATCHING) and present != set(item.choices)
        ):
            items[item.key] = None
            continue
        answer = answers.get(item.key)
        if item.kind == MULTIPLE and isinstance(answer, list):
            answer = [key for key in answer if key in present] or None
        try:
            items[item.key] = grade_question(question, answer).quantize(SCORE_PLACES)
        except (TypeError, ValueError, AttributeError, ArithmeticError):
            items[item.key] = ZERO  # a stored answer of the wrong shape scores nothing
    scored = [value for value in items.values() if value is not None]
    return AttemptScore(score=sum(scored, ZERO), max_score=Decimal(len(scored)), items=items)
