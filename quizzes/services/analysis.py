"""Item analysis kept up to date on every submit: running sums per question and quiz.

For each question of a graded attempt (void ones left out), with x its item score (0..1) and y
the attempt's score (percent / 100): attempts += 1, fully correct += [x = 1], Σx += x,
Σx² += x², Σy += y, Σy² += y², Σxy += x·y, and each picked choice's count += 1. The rows are
locked (in key order, so that two submits never wait on each other in a circle), created first
if missing, and updated in one ``UPDATE … FROM (VALUES …)`` statement: two queries, whatever the
number of questions (four the first time a question is graded in the quiz). The numbers trainers
see are computed from these sums (``quizzes.selectors.item_analysis``).

The update is written in SQL rather than with ``bulk_update``: for 20 questions and 8 columns,
Django builds and resolves 160 ``CASE WHEN`` branches in Python, which cost more than the rest
of a submit together (docs/benchmarks.md, "Quiz attempt burst").
"""

import json
from collections.abc import Mapping
from decimal import Decimal
from uuid import UUID

from django.db import connection, transaction

from ..grading import CHOICE_KINDS
from ..models import QuestionStat


def _picked(kind: str, answer) -> list[str]:
    if kind not in CHOICE_KINDS or answer is None:
        return []
    return list(answer) if isinstance(answer, list) else [answer]


def _update_sql(rows: int) -> str:
    """One statement that adds each row's increments (VALUES: id, Δattempts, Δcorrect, x, x², y,
    y², xy, the new choice counts); valid on PostgreSQL and on SQLite 3.33+."""
    table = connection.ops.quote_name(QuestionStat._meta.db_table)
    counts = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    row = f"(%s, %s, %s, %s, %s, %s, %s, %s, {counts})"
    return (
        f"UPDATE {table} SET "
        "attempts = attempts + v.column2, correct = correct + v.column3, "
        "sum_x = sum_x + v.column4, sum_x2 = sum_x2 + v.column5, "
        "sum_y = sum_y + v.column6, sum_y2 = sum_y2 + v.column7, "
        "sum_xy = sum_xy + v.column8, choice_counts = v.column9 "
        f"FROM (VALUES {', '.join([row] * rows)}) AS v "
        f"WHERE {table}.id = v.column1"
    )


def _locked_rows(quiz_key: UUID, keys: list[str]) -> list[tuple]:
    """The questions' rows, locked (in key order), so that the choice counts read here are
    still the current ones when written back."""
    return list(
        QuestionStat.objects.select_for_update()
        .filter(quiz_key=quiz_key, question_key__in=keys)
        .order_by("question_key")
        .values_list("pk", "question_key", "choice_counts")
    )


@transaction.atomic(savepoint=False)
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
    rows = _locked_rows(quiz_key, scored)
    if len(rows) < len(scored):  # a question's first graded answer in this quiz
        QuestionStat.objects.bulk_create(
            [QuestionStat(quiz_key=quiz_key, question_key=key) for key in scored],
            ignore_conflicts=True,
        )
        rows = _locked_rows(quiz_key, scored)
    params = []
    changed = 0
    for pk, question_key, choice_counts in rows:
        key = str(question_key)
        x = float(items[key])
        counts = dict(choice_counts or {})
        for choice_key in _picked(kinds.get(key, ""), answers.get(key)):
            counts[choice_key] = int(counts.get(choice_key, 0)) + 1
        params += [pk, 1, 1 if items[key] == 1 else 0, x, x * x, y, y * y, x * y]
        params.append(json.dumps(counts, sort_keys=True))
        changed += 1
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(changed), params)
    return changed
