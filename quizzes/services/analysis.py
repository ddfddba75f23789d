"""Item analysis kept up to date on every submit: running sums per question and quiz.

For each question of a graded attempt (void ones left out), with x its item score (0..1) and y
the attempt's score (percent / 100): attempts += 1, fully correct += [x = 1], Σx += x,
Σx² += x², Σy += y, Σy² += y², Σxy += x·y, and each picked choice's count += 1. The rows are
created if missing, then locked (in key order, so that two submits never wait on each other in
a circle) and updated in one statement: four queries, whatever the number of questions. The
numbers trainers see are computed from these sums (``quizzes.selectors.item_analysis``).
"""

from collections.abc import Mapping
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.db.models import F

from ..grading import CHOICE_KINDS
from ..models import QuestionStat

SUMMED = ["attempts", "correct", "sum_x", "sum_x2", "sum_y", "sum_y2", "sum_xy", "choice_counts"]


def _picked(kind: str, answer) -> list[str]:
    if kind not in CHOICE_KINDS or answer is None:
        return []
    return list(answer) if isinstance(answer, list) else [answer]


@transaction.atomic
def question_stats_record(
    *,
    quiz_key: UUID,
    items: Mapping[str, Decimal | None],
    kinds: Mapping[str, str],
    answers: Mapping[str, object],
    percent: Decimal,
) -> int:
    """Add one graded attempt to its questions' running sums; returns how many rows changed.
    Call it once per attempt, in the transaction that grades it."""
    scored = sorted(key for key, score in items.items() if score is not None)
    if not scored:
        return 0
    y = float(percent) / 100
    QuestionStat.objects.bulk_create(
        [QuestionStat(quiz_key=quiz_key, question_key=key) for key in scored],
        ignore_conflicts=True,
    )
    rows = list(
        QuestionStat.objects.select_for_update()
        .filter(quiz_key=quiz_key, question_key__in=scored)
        .order_by("question_key")
    )
    for row in rows:
        key = str(row.question_key)
        x = float(items[key])
        row.attempts = F("attempts") + 1
        row.correct = F("correct") + (1 if items[key] == 1 else 0)
        row.sum_x = F("sum_x") + x
        row.sum_x2 = F("sum_x2") + x * x
        row.sum_y = F("sum_y") + y
        row.sum_y2 = F("sum_y2") + y * y
        row.sum_xy = F("sum_xy") + x * y
        counts = dict(row.choice_counts or {})
        for choice_key in _picked(kinds.get(key, ""), answers.get(key)):
            counts[choice_key] = int(counts.get(choice_key, 0)) + 1
        row.choice_counts = counts
    QuestionStat.objects.bulk_update(rows, SUMMED)
    return len(rows)
