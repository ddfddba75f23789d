"""Item analysis for trainers, read from the running sums kept on every submit."""

import math
from dataclasses import dataclass

from ..grading import CHOICE_KINDS
from ..models import QuestionStat, QuizPage, Topic
from .languages import current_language, preferred_rows
from .texts import question_texts

# Item analysis: a question is flagged for the trainers when fewer than 30 % of at least ten
# attempts got it right (a common rule of thumb for "too hard or badly worded").
FLAG_FACILITY_BELOW = 0.3
FLAG_MIN_ATTEMPTS = 10


# Item analysis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceShare:
    key: str
    text: str
    is_correct: bool
    count: int
    share: float | None  # of the attempts that were shown this question


@dataclass(frozen=True)
class ItemAnalysis:
    """One question's statistics in one quiz.

    ``facility`` is the mean item score Σx/n (the share who got it right, with partial credit
    counted as a fraction). ``discrimination`` is the correlation between the item score x and
    the attempt's score y (0..1) over the n attempts: the point-biserial correlation when x is 0
    or 1, from the running sums

        r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)),

    None when undefined (fewer than two attempts, or everyone scored the same on the question or
    on the quiz). It is not corrected for the item's own share of y. ``flagged`` marks a question
    most learners get wrong: facility below 0.3 over at least 10 attempts.
    """

    question_key: str
    text: str
    kind: str
    topic: str
    attempts: int
    correct: int
    facility: float | None
    discrimination: float | None
    choices: tuple[ChoiceShare, ...]
    flagged: bool


def facility_index(*, n: int, sum_x: float) -> float | None:
    return sum_x / n if n else None


def discrimination_index(
    *, n: int, sum_x: float, sum_x2: float, sum_y: float, sum_y2: float, sum_xy: float
) -> float | None:
    """The correlation of x and y from their running sums (see ``ItemAnalysis``)."""
    if n < 2:
        return None
    var_x = n * sum_x2 - sum_x * sum_x
    var_y = n * sum_y2 - sum_y * sum_y
    # Sums of floats leave tiny negative or positive residues where the true variance is 0.
    scale_x = max(1.0, n * sum_x2)
    scale_y = max(1.0, n * sum_y2)
    if var_x <= 1e-9 * scale_x or var_y <= 1e-9 * scale_y:
        return None
    r = (n * sum_xy - sum_x * sum_y) / math.sqrt(var_x * var_y)
    return max(-1.0, min(1.0, r))


def item_analysis(*, quiz: QuizPage, language: str | None = None) -> list[ItemAnalysis]:
    """Per question of the quiz that has been attempted: attempts, facility, discrimination,
    how often each choice was picked, and the flag. Read from the running sums kept on every
    submit (``QuestionStat``), never from the attempts: four queries, whatever their number.
    Hardest first (lowest facility)."""
    language = language or current_language()
    stats = list(QuestionStat.objects.filter(quiz_key=quiz.translation_key))
    if not stats:
        return []
    keys = [str(stat.question_key) for stat in stats]
    texts = question_texts(keys=keys, language=language, extra=("kind", "topic__translation_key"))
    topic_keys = {row["topic__translation_key"] for row in texts.questions.values()}
    topic_rows = (
        Topic.objects.filter(translation_key__in=topic_keys)
        .order_by("pk")
        .values("translation_key", "name", "locale__language_code")
    )
    topic_names = {
        key: row["name"] for key, row in preferred_rows(topic_rows, language=language).items()
    }
    analysis = []
    for stat in stats:
        key = str(stat.question_key)
        row = texts.questions.get(key, {})
        n = stat.attempts
        facility = facility_index(n=n, sum_x=stat.sum_x)
        counts = stat.choice_counts or {}
        choices = (
            tuple(
                ChoiceShare(
                    key=choice_key,
                    text=choice["text"],
                    is_correct=choice["is_correct"],
                    count=int(counts.get(choice_key, 0)),
                    share=(int(counts.get(choice_key, 0)) / n) if n else None,
                )
                for choice_key, choice in texts.choices.get(key, {}).items()
            )
            if row.get("kind") in CHOICE_KINDS
            else ()
        )
        analysis.append(
            ItemAnalysis(
                question_key=key,
                text=row.get("text", ""),
                kind=row.get("kind", ""),
                topic=topic_names.get(row.get("topic__translation_key"), ""),
                attempts=n,
                correct=stat.correct,
                facility=facility,
                discrimination=discrimination_index(
                    n=n,
                    sum_x=stat.sum_x,
                    sum_x2=stat.sum_x2,
                    sum_y=stat.sum_y,
                    sum_y2=stat.sum_y2,
                    sum_xy=stat.sum_xy,
                ),
                choices=choices,
                flagged=facility is not None
                and n >= FLAG_MIN_ATTEMPTS
                and facility < FLAG_FACILITY_BELOW,
            )
        )
    analysis.sort(key=lambda item: (item.facility is None, item.facility or 0.0, item.text))
    return analysis
