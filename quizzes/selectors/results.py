"""Quiz results by commission, for trainers: per child commission of a branch (or of the whole
tree) and per quiz, how many learners attempted it for an election event, how many passed, and
how well they scored.

What the numbers mean, for one quiz and one election event (attempts whose enrolment is for the
event; attempts in any translation of the quiz count together):

- **learners who attempted**: learners with at least one submitted attempt (an attempt still
  open is not counted);
- **attempts submitted**: every submitted attempt of those learners;
- **passed**: learners with at least one passing attempt;
- **pass rate**: passed ÷ learners who attempted;
- **average best score**: the mean, over those learners, of the score (%) of each one's best
  submitted attempt — what a commission cares about is how far each member got, whatever the
  quiz's own grading method, so quizzes graded by the last attempt compare with the others.

Who counts where: a learner belongs to the commission of the seat they hold today (an active
``Membership``). A person holds one seat at a time (the member import closes the others); if
seats added by hand leave someone with two, they count once, at the seat they took last (the
latest ``started_on``, then the latest recorded), so the rows of a level add up to the level
above. With a position chosen, only learners whose counted seat is in that position are counted.
Learners with no seat today belong to no commission; for the whole tree they are counted on a
row of their own.

Every count is one grouped query, whatever the number of commissions, learners or attempts:
the child commission of a seat is the first ``steplen × (depth + 1)`` characters of its
commission's materialised path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from commissions.models import Commission, ElectionEvent, Membership

from ..models import Attempt


@dataclass(frozen=True)
class ResultCounts:
    """One quiz's results for a group of learners (see the module's docstring)."""

    learners: int = 0
    attempts: int = 0
    passed: int = 0
    scored: int = 0  # learners whose best attempt has a score
    best_total: Decimal = Decimal(0)  # the sum of those best scores, in %

    def __add__(self, other: ResultCounts) -> ResultCounts:
        return ResultCounts(
            learners=self.learners + other.learners,
            attempts=self.attempts + other.attempts,
            passed=self.passed + other.passed,
            scored=self.scored + other.scored,
            best_total=self.best_total + other.best_total,
        )

    @property
    def pass_rate(self) -> float | None:
        """Per cent of the learners who attempted that passed at least once; None for none."""
        return 100 * self.passed / self.learners if self.learners else None

    @property
    def average_best(self) -> float | None:
        """The mean best score in %; None when nobody has a scored attempt."""
        return float(self.best_total) / self.scored if self.scored else None


@dataclass(frozen=True)
class CommissionResults:
    """One row: a child commission's branch, or the members of the chosen commission itself."""

    commission: Commission
    counts: ResultCounts
    is_own: bool = False  # the chosen commission's own members, not a branch below it

    @property
    def has_children(self) -> bool:
        return not self.is_own and self.commission.numchild > 0


@dataclass(frozen=True)
class QuizResults:
    """One quiz's results for a branch, row by row, with the branch's total."""

    quiz_key: UUID
    rows: list[CommissionResults] = field(default_factory=list)
    total: ResultCounts = ResultCounts()
    # Learners with no seat today; counted for the whole tree only (None below a commission or
    # with a position chosen).
    unseated: ResultCounts | None = None


def _counted_seats(*, on=None) -> QuerySet[Membership]:
    """Every active seat that counts for its holder: the one taken last when they hold two."""
    later_seat = (
        Membership.objects.active(on)
        .filter(user=OuterRef("user"))
        .filter(
            Q(started_on__gt=OuterRef("started_on"))
            | Q(started_on=OuterRef("started_on"), pk__gt=OuterRef("pk"))
        )
    )
    return Membership.objects.active(on).exclude(Exists(later_seat))


def _event_attempts(*, quiz_keys: Sequence[UUID], event: ElectionEvent) -> QuerySet[Attempt]:
    """Submitted attempts at these quizzes made under an enrolment for ``event``."""
    return (
        Attempt.objects.submitted()
        .filter(quiz_key__in=quiz_keys, enrollment__event=event)
        .order_by()
    )


def _is_best(event: ElectionEvent) -> Exists:
    """True for a learner's best submitted attempt at a quiz for the event (the earliest of
    equal scores), so each learner's best score is summed once."""
    better = (
        Attempt.objects.submitted()
        .filter(
            user=OuterRef("user"),
            quiz_key=OuterRef("quiz_key"),
            enrollment__event=event,
        )
        .filter(
            Q(percent__gt=OuterRef("percent"))
            | Q(percent=OuterRef("percent"), pk__lt=OuterRef("pk"))
        )
    )
    return ~Exists(better)


def _aggregates() -> dict:
    return {
        "learners": Count("user", distinct=True),
        "attempts": Count("id"),
        "passed": Count("user", distinct=True, filter=Q(passed=True)),
        "scored": Count("id", filter=Q(is_best=True, percent__isnull=False)),
        "best_total": Sum("percent", filter=Q(is_best=True)),
    }


def _counts(row: dict) -> ResultCounts:
    return ResultCounts(
        learners=row["learners"],
        attempts=row["attempts"],
        passed=row["passed"],
        scored=row["scored"],
        best_total=Decimal(row["best_total"] or 0),
    )


def results_by_commission(
    *,
    quiz_keys: Sequence[UUID],
    event: ElectionEvent,
    commission: Commission | None = None,
    position: str = "",
) -> dict[UUID, QuizResults]:
    """Each quiz's results for ``event`` per child commission of ``commission`` (the root
    commissions when None), with a first row for the commission's own members when it has any.

    Three queries at most (the child commissions, the grouped counts, and for the whole tree the
    learners with no seat), whatever the number of quizzes, commissions and attempts. Every child
    commission has a row, with zeros when nobody in it attempted the quiz.
    """
    quiz_keys = list(dict.fromkeys(quiz_keys))
    if commission is None:
        children = list(Commission.get_root_nodes())
        depth = 0
    else:
        children = list(commission.get_children())
        depth = commission.depth
    prefix_length = Commission.steplen * (depth + 1)

    seats = _counted_seats()
    if commission is not None:
        seats = seats.in_branch(commission)
    if position:
        seats = seats.filter(position=position)

    attempts = _event_attempts(quiz_keys=quiz_keys, event=event).annotate(is_best=_is_best(event))
    grouped: dict[tuple[UUID, str], ResultCounts] = {
        (row["quiz_key"], row["child_path"]): _counts(row)
        for row in attempts.filter(user__memberships__in=seats)
        # The filter's join to the learner's counted seat is the one the prefix reads.
        .annotate(child_path=Substr("user__memberships__commission__path", 1, prefix_length))
        .values("quiz_key", "child_path")
        .annotate(**_aggregates())
    }

    counts_unseated = commission is None and not position
    unseated: dict[UUID, ResultCounts] = {}
    if counts_unseated:
        unseated = {
            row["quiz_key"]: _counts(row)
            for row in attempts.exclude(
                Exists(Membership.objects.active().filter(user=OuterRef("user")))
            )
            .values("quiz_key")
            .annotate(**_aggregates())
        }

    results = {}
    for key in quiz_keys:
        rows = []
        if commission is not None and (key, commission.path) in grouped:
            rows.append(
                CommissionResults(
                    commission=commission, counts=grouped[(key, commission.path)], is_own=True
                )
            )
        rows += [
            CommissionResults(
                commission=child, counts=grouped.get((key, child.path), ResultCounts())
            )
            for child in children
        ]
        total = sum((row.counts for row in rows), ResultCounts())
        results[key] = QuizResults(
            quiz_key=key,
            rows=rows,
            total=total,
            unseated=unseated.get(key, ResultCounts()) if counts_unseated else None,
        )
    return results
