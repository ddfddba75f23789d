"""Readiness of a branch of the commission tree for one election event.

The dashboard and, later, every export read the same two functions: ``branch_readiness`` (the
numbers) and ``branch_not_trained`` (the people behind them). Both start from
``branch_seats``: every seat held today in the branch whose position and level the event's
assignments cover, each annotated with its statuses. What the statuses mean:

- **assigned**: the seat's position at its commission's level is named by at least one of the
  event's assignments; the member's assigned courses are every such assignment's course.
- **started**: an enrolment in an assigned course has progress or a completion, or the member
  has an attempt at one of its quizzes.
- **completed**: every assigned course is completed for the event (a commission needs every
  module its members are assigned, not one of them). A course's completion already needs its
  tests marked "required for the course" to be passed (``courses.services.progress``).
- **passed the final test**: for every assigned course, a submitted passing attempt at one of
  the course's final tests (a quiz of kind "final", in any translation of the course); a
  course without a final test counts as passed once it is completed.
- **certified**: for every assigned course, a live certificate for the event that is neither
  revoked nor replaced.
- **overdue**: not completed, and the event's training deadline (the last day on which
  training counts; assignments carry no date of their own) has passed.

Young voters' clubs take no part: no seat in a club counts and no club is a row of the tables
(decision 0010); their members' civic education is counted in ``civic.py``.

People are counted once per group (a person holds one seat at a time; the member import
closes the others). Every count is one grouped query over memberships, whatever the size of
the tree: the child commission of a seat is the first characters of its commission's path.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import reduce
from uuid import UUID

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from commissions.models import Commission, ElectionEvent, Membership, Position
from courses.models import Assignment, CoursePage, Enrollment
from quizzes.models import Attempt, QuizPage

STATUSES = (
    ("assigned", _("Assigned")),
    ("started", _("Started")),
    ("completed", _("Completed")),
    ("passed", _("Passed the final test")),
    ("certified", _("Certified")),
    ("overdue", _("Overdue")),
)


@dataclass(frozen=True)
class Counts:
    """How many members of a group are in each status (people, not seats)."""

    assigned: int = 0
    started: int = 0
    completed: int = 0
    passed: int = 0
    certified: int = 0
    overdue: int = 0

    @classmethod
    def of(cls, row: dict, *, deadline_passed: bool) -> Counts:
        """The counts of a row aggregated with ``COUNT_AGGREGATES``; everyone not completed is
        overdue once the deadline has passed."""
        return cls(
            assigned=row["assigned"],
            started=row["started"],
            completed=row["completed"],
            passed=row["passed"],
            certified=row["certified"],
            overdue=row["assigned"] - row["completed"] if deadline_passed else 0,
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, key) + getattr(other, key) for key, _label in STATUSES))

    def percent(self, status: str) -> int:
        """The share of assigned members in ``status``, rounded to a whole per cent."""
        if not self.assigned:
            return 0
        return round(100 * getattr(self, status) / self.assigned)

    @property
    def statuses(self) -> list[StatusCount]:
        return [
            StatusCount(key, label, getattr(self, key), self.percent(key))
            for key, label in STATUSES
        ]


# People in each status among a group of seats annotated by ``branch_seats``.
COUNT_AGGREGATES = {
    "assigned": Count("user", distinct=True),
    "started": Count("user", distinct=True, filter=Q(is_started=True)),
    "completed": Count("user", distinct=True, filter=Q(is_completed=True)),
    "passed": Count("user", distinct=True, filter=Q(is_passed=True)),
    "certified": Count("user", distinct=True, filter=Q(is_certified=True)),
}


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class GroupReadiness:
    """One row of a breakdown: a child commission or a position, with its counts."""

    key: str
    label: str
    counts: Counts
    commission: Commission | None = None


@dataclass(frozen=True)
class Readiness:
    commission: Commission
    event: ElectionEvent
    requirements: EventRequirements
    deadline_passed: bool
    total: Counts
    children: list[GroupReadiness] = field(default_factory=list)
    # Members seated on the commission itself rather than below it.
    own: Counts = field(default_factory=Counts)
    positions: list[GroupReadiness] = field(default_factory=list)


@dataclass(frozen=True)
class EventRequirements:
    """What the event asks of whom: the assigned course keys of each (position, level), and
    each assigned course's final tests."""

    courses_by_seat: dict[tuple[str, str], frozenset[UUID]]
    final_tests: dict[UUID, frozenset[UUID]]

    @property
    def groups(self) -> dict[frozenset[UUID], list[tuple[str, str]]]:
        """The (position, level) pairs that share the same set of assigned courses."""
        groups = defaultdict(list)
        for seat, keys in sorted(self.courses_by_seat.items()):
            groups[keys].append(seat)
        return dict(groups)


def event_requirements(*, event: ElectionEvent) -> EventRequirements:
    """The event's assignments and its courses' final tests: three queries at most."""
    courses_by_seat: dict[tuple[str, str], set[UUID]] = defaultdict(set)
    assigned = set()
    for course_key, positions, levels in Assignment.objects.filter(event=event).values_list(
        "course__translation_key", "positions", "levels"
    ):
        assigned.add(course_key)
        for position in positions or ():
            for level in levels or ():
                # Young voters' clubs take no part in an election's readiness (decision 0010).
                if position != Position.CLUB_MEMBER and level != Commission.Level.CLUB:
                    courses_by_seat[(position, level)].add(course_key)
    final_tests: dict[UUID, frozenset[UUID]] = {key: frozenset() for key in assigned}
    if assigned:
        course_paths = list(
            CoursePage.objects.filter(translation_key__in=assigned).values_list(
                "path", "translation_key"
            )
        )
        final_tests.update(course_quizzes(course_paths=course_paths, kind=QuizPage.Kind.FINAL))
    return EventRequirements(
        courses_by_seat={seat: frozenset(keys) for seat, keys in courses_by_seat.items()},
        final_tests=final_tests,
    )


def course_quizzes(
    *, course_paths: list[tuple[str, UUID]], kind: str | None = None
) -> dict[UUID, frozenset[UUID]]:
    """The keys of the live quizzes (of ``kind``, when given) in each course, in any of its
    translations, from the courses' ``(path, translation_key)`` pairs: one query."""
    found: dict[UUID, set[UUID]] = {key: set() for _path, key in course_paths}
    if not course_paths:
        return {}
    quizzes = QuizPage.objects.live().filter(
        _any_of(Q(path__startswith=path) for path, _key in course_paths)
    )
    if kind is not None:
        quizzes = quizzes.filter(kind=kind)
    for path, quiz_key in quizzes.values_list("path", "translation_key"):
        for course_path, course_key in course_paths:
            if path.startswith(course_path):
                found[course_key].add(quiz_key)
    return {key: frozenset(keys) for key, keys in found.items()}


def _any_of(conditions) -> Q:
    """Any of ``conditions``; none at all matches nothing."""
    conditions = list(conditions)
    if not conditions:
        return Q(pk__in=[])
    return reduce(operator.or_, conditions)


def _seats_of(pairs) -> Q:
    return _any_of(Q(position=position, commission__level=level) for position, level in pairs)


def _all_of(conditions) -> Q:
    return reduce(operator.and_, (Q(condition) for condition in conditions), Q())


def branch_seats(
    *,
    commission: Commission,
    event: ElectionEvent,
    requirements: EventRequirements,
    selected: tuple[str, ...] | None = None,
) -> QuerySet[Membership]:
    """Every seat held today in ``commission``'s branch that the event assigns courses to,
    annotated ``is_started``, ``is_completed``, ``is_passed`` and ``is_certified`` (only those
    named in ``selected``, when given; the others can still be filtered on): one query
    when evaluated, however many members, with one set of subqueries per group of positions
    that share the same courses."""
    user = OuterRef("user")
    enrolments = Enrollment.objects.filter(user=user, event=event)
    flags: dict[str, list[When]] = {name: [] for name in ("started", "done", "passed", "cert")}
    for keys, pairs in requirements.groups.items():
        seats = _seats_of(pairs)
        started = Exists(
            enrolments.filter(course_key__in=keys).filter(
                Q(progress_percent__gt=0) | Q(completed_at__isnull=False)
            )
        ) | Exists(
            Attempt.objects.filter(
                enrollment__user=user, enrollment__event=event, enrollment__course_key__in=keys
            )
        )
        done, passed, certified = [], [], []
        for key in sorted(keys):
            completed = Exists(enrolments.filter(course_key=key, completed_at__isnull=False))
            done.append(completed)
            finals = requirements.final_tests.get(key)
            passed.append(
                Exists(
                    Attempt.objects.filter(
                        enrollment__user=user,
                        enrollment__event=event,
                        enrollment__course_key=key,
                        quiz_key__in=finals,
                        submitted_at__isnull=False,
                        passed=True,
                    )
                )
                if finals
                else completed
            )
            certified.append(
                Exists(
                    Certificate.objects.live().filter(
                        learner=user, event=event, course_key=key, revoked_at__isnull=True
                    )
                )
            )
        flags["started"].append(When(seats & Q(started), then=Value(True)))
        flags["done"].append(When(seats & _all_of(done), then=Value(True)))
        flags["passed"].append(When(seats & _all_of(passed), then=Value(True)))
        flags["cert"].append(When(seats & _all_of(certified), then=Value(True)))

    def flag(whens: list[When]):
        if not whens:
            return Value(False, output_field=BooleanField())
        return Case(*whens, default=Value(False), output_field=BooleanField())

    statuses = {
        "is_started": flag(flags["started"]),
        "is_completed": flag(flags["done"]),
        "is_passed": flag(flags["passed"]),
        "is_certified": flag(flags["cert"]),
    }
    selected = statuses.keys() if selected is None else selected
    # A status only filtered on is an alias: PostgreSQL then evaluates its subqueries for the
    # rows it keeps, not for every seat of the branch.
    return (
        Membership.objects.active()
        .in_branch(commission)
        .filter(_seats_of(requirements.courses_by_seat))
        .alias(**{name: value for name, value in statuses.items() if name not in selected})
        .annotate(**{name: value for name, value in statuses.items() if name in selected})
    )


def _child_path_length(commission: Commission) -> int:
    return len(commission.path) + Commission.steplen


def branch_readiness(*, commission: Commission, event: ElectionEvent) -> Readiness:
    """The readiness of ``commission``'s branch for ``event``: totals, the child commissions one
    level below and the positions. Five queries, whatever the size of the tree."""
    requirements = event_requirements(event=event)
    deadline_passed = timezone.localdate() > event.training_deadline
    rows = (
        branch_seats(commission=commission, event=event, requirements=requirements)
        .annotate(child_path=Substr("commission__path", 1, _child_path_length(commission)))
        .values("child_path", "position")
        .annotate(**COUNT_AGGREGATES)
        .order_by()
    )
    by_child: dict[str, Counts] = defaultdict(Counts)
    by_position: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        counts = Counts.of(row, deadline_passed=deadline_passed)
        by_child[row["child_path"]] += counts
        by_position[row["position"]] += counts
    children = [
        GroupReadiness(child.code, child.name, by_child.get(child.path, Counts()), child)
        for child in (
            commission.get_children().exclude(level=Commission.Level.CLUB)
            if not commission.is_leaf()
            else []
        )
    ]
    return Readiness(
        commission=commission,
        event=event,
        requirements=requirements,
        deadline_passed=deadline_passed,
        total=sum(by_child.values(), Counts()),
        children=children,
        own=by_child.get(commission.path, Counts()),
        positions=[
            GroupReadiness(value, label, by_position[value])
            for value, label in Position.choices
            if value in by_position
        ],
    )


NOT_TRAINED_ORDERINGS = {
    "name": ("user__full_name", "pk"),
    "commission": ("commission__path", "user__full_name", "pk"),
    "position": ("position", "user__full_name", "pk"),
    "progress": ("progress", "user__full_name", "pk"),
}


def branch_not_trained(
    *,
    commission: Commission,
    event: ElectionEvent,
    ordering: str = "name",
    filters: dict | None = None,
    requirements: EventRequirements | None = None,
) -> QuerySet[Membership]:
    """The seats of ``commission``'s branch whose holder has not completed every course the
    event assigns them, with ``user`` and ``commission`` joined and ``progress`` (the mean
    progress of their enrolments for the event, 0 without one) and ``is_started`` annotated.

    ``ordering`` is a key of ``NOT_TRAINED_ORDERINGS``, "-" first for descending;
    ``filters`` may hold ``position`` (a ``Position`` value) and ``commission`` (a commission
    of the branch, whose branch the list narrows to). ``requirements`` saves reading the
    event's assignments again when ``branch_readiness`` has (``Readiness.requirements``). One
    query per page of results, plus the count.
    """
    filters = filters or {}
    requirements = requirements or event_requirements(event=event)
    seats = (
        branch_seats(
            commission=commission,
            event=event,
            requirements=requirements,
            selected=("is_started",),
        )
        .filter(is_completed=False)
        .annotate(progress=_mean_progress(event))
        .select_related("user", "commission")
    )
    if filters.get("position"):
        seats = seats.filter(position=filters["position"])
    if filters.get("commission"):
        seats = seats.filter(commission__path__startswith=filters["commission"].path)
    descending = ordering.startswith("-")
    fields = NOT_TRAINED_ORDERINGS.get(ordering.lstrip("-"), NOT_TRAINED_ORDERINGS["name"])
    return seats.order_by(*(f"-{name}" if descending else name for name in fields))


LEVEL_PLURALS = {
    Commission.Level.OBLAST: _("Oblast and city commissions"),
    Commission.Level.DISTRICT: _("District commissions"),
    Commission.Level.PRECINCT: _("Precinct commissions"),
}


@dataclass(frozen=True)
class MemberRow:
    """One assigned member of a branch as the exports write them."""

    commission_code: str
    commission_name: str
    level: str
    position: str
    full_name: str
    phone: str
    email: str
    progress: int
    started: bool
    completed: bool
    passed: bool
    certified: bool


def _mean_progress(event: ElectionEvent):
    """The mean progress of a seat holder's enrolments for ``event`` (0 without one)."""
    mean = (
        Enrollment.objects.filter(user=OuterRef("user"), event=event)
        .order_by()
        .values("user")
        .annotate(mean=Cast(Avg("progress_percent"), IntegerField()))
        .values("mean")
    )
    return Coalesce(
        Subquery(mean, output_field=IntegerField()), Value(0), output_field=IntegerField()
    )


MEMBER_ROW_FIELDS = (
    "commission__code",
    "commission_name",
    "commission__level",
    "position",
    "user__full_name",
    "user__phone",
    "user__email",
    "progress",
    "is_started",
    "is_completed",
    "is_passed",
    "is_certified",
)


def branch_member_rows_query(
    *, commission: Commission, event: ElectionEvent, language: str
) -> QuerySet:
    """Every assigned seat of the branch as ``MEMBER_ROW_FIELDS`` tuples, by commission and name:
    the one query behind the exports (and the one the benchmark hands PostgreSQL's COPY)."""
    requirements = event_requirements(event=event)
    name = F("commission__name_kk")
    if language in ("ru", "en"):
        name = Coalesce(NullIf(F(f"commission__name_{language}"), Value("")), name)
    return (
        branch_seats(commission=commission, event=event, requirements=requirements)
        .annotate(
            progress=_mean_progress(event),
            commission_name=name,
        )
        .order_by("commission__path", "user__full_name", "pk")
        .values_list(*MEMBER_ROW_FIELDS)
    )


def branch_member_rows(
    *, commission: Commission, event: ElectionEvent, language: str, chunk_size: int = 2000
) -> Iterator[MemberRow]:
    """``branch_member_rows_query`` read in chunks (a server-side cursor on PostgreSQL), so
    memory stays flat whatever the number of members."""
    query = branch_member_rows_query(commission=commission, event=event, language=language)
    for values in query.iterator(chunk_size=chunk_size):
        yield MemberRow(*values)


def branch_levels(
    *, commission: Commission, event: ElectionEvent
) -> list[tuple[str, list[GroupReadiness]]]:
    """Every level of commissions below the branch (e.g. districts, then precincts) with each
    commission's counts: one query per level for the counts and one for the commissions."""
    requirements = event_requirements(event=event)
    deadline_passed = timezone.localdate() > event.training_deadline
    below = list(
        Commission.objects.filter(path__startswith=commission.path, depth__gt=commission.depth)
        .exclude(level=Commission.Level.CLUB)
        .order_by("path")
        .only("pk", "path", "depth", "code", "level", "name_kk", "name_ru", "name_en")
    )
    depths = sorted({node.depth for node in below})
    levels = []
    for depth in depths:
        length = Commission.steplen * depth
        counts: dict[str, Counts] = {}
        for row in (
            branch_seats(commission=commission, event=event, requirements=requirements)
            .filter(commission__depth__gte=depth)
            .annotate(level_path=Substr("commission__path", 1, length))
            .values("level_path")
            .annotate(**COUNT_AGGREGATES)
            .order_by()
        ):
            counts[row["level_path"]] = Counts.of(row, deadline_passed=deadline_passed)
        nodes = [node for node in below if node.depth == depth]
        title = str(LEVEL_PLURALS.get(nodes[0].level, nodes[0].level)) if nodes else str(depth)
        levels.append(
            (
                title,
                [
                    GroupReadiness(node.code, node.name, counts.get(node.path, Counts()), node)
                    for node in nodes
                ],
            )
        )
    return levels
