"""The courses a learner sees listed: the catalogue and their "My training" page."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from accounts.minors import needs_guardian_consent
from certificates.models import Certificate
from commissions.models import ElectionEvent

from ..models import CourseIndexPage, CoursePage, Enrollment, LessonPage, LessonProgress
from .access import enrollment_order
from .outline import Localizer, Shown
from .structure import (
    STEP,
    course_structures,
    current_language,
    page_url,
    parent_url_path,
    pick_canonical,
)


@dataclass(frozen=True)
class CourseCard:
    """A course as listed for the learner, in their language where it is translated."""

    key: UUID
    page_id: int
    shown: Shown
    summary: str
    estimated_minutes: int
    is_public: bool
    enrollment: Enrollment | None = None
    changed_since: bool = False
    continue_at: Shown | None = None
    certificate: Certificate | None = None

    @property
    def progress_percent(self) -> int:
        if self.enrollment is None:
            return 0
        return 100 if self.enrollment.is_completed else self.enrollment.progress_percent


class CourseCatalogue:
    """Every live course among ``keys`` (and every public one), each in the learner's language:
    two queries."""

    def __init__(self, *, keys: Iterable[UUID] = (), public: bool = True, request=None):
        self.language = current_language()
        self.request = request
        wanted = Q(translation_key__in=set(keys))
        if public:
            wanted |= Q(is_public=True)
        rows = list(
            CoursePage.objects.live()
            .filter(wanted)
            .order_by("pk")
            .values(
                "pk",
                "translation_key",
                "title",
                "summary",
                "estimated_minutes",
                "is_public",
                "path",
                "url_path",
                "locale__language_code",
            )
        )
        self.canonical = pick_canonical(rows)
        self.translated = {
            row["translation_key"]: row
            for row in rows
            if row["locale__language_code"] == self.language
        }
        catalogues = list(
            CourseIndexPage.objects.live().values(
                "translation_key", "title", "path", "url_path", "locale__language_code"
            )
        )
        self.catalogue_key_by_path = {row["path"]: row["translation_key"] for row in catalogues}
        self.catalogues_here = {
            row["translation_key"]: row
            for row in catalogues
            if row["locale__language_code"] == self.language
        }

    def __contains__(self, key: UUID) -> bool:
        return key in self.canonical

    def public_keys(self) -> list[UUID]:
        return [key for key, row in self.canonical.items() if row["is_public"]]

    def card(self, key: UUID, **extra) -> CourseCard:
        canonical = self.canonical[key]
        row = self.translated.get(key, canonical)
        catalogue_key = self.catalogue_key_by_path.get(canonical["path"][:-STEP])
        localizer = Localizer(
            language=self.language,
            translations={
                **({key: self.translated[key]} if key in self.translated else {}),
                **(
                    {catalogue_key: self.catalogues_here[catalogue_key]}
                    if catalogue_key in self.catalogues_here
                    else {}
                ),
            },
            request=self.request,
        )
        shown = localizer.show(
            key=key,
            title=canonical["title"],
            url_path=canonical["url_path"],
            language=canonical["locale__language_code"],
            ancestors=[(catalogue_key, parent_url_path(canonical["url_path"]))],
        )
        return CourseCard(
            key=key,
            page_id=row["pk"],
            shown=shown,
            summary=row["summary"],
            estimated_minutes=canonical["estimated_minutes"],
            is_public=canonical["is_public"],
            **extra,
        )

    def catalogue_url(self) -> str | None:
        """The catalogue in the learner's language, else any live one."""
        for row in self.catalogues_here.values():
            return page_url(row["url_path"], self.request)
        return None


def catalogue_cards(*, user, request=None) -> list[CourseCard]:
    """The courses a person may see in the catalogue: the public ones and those they are
    enrolled in, with their own progress. Three queries."""
    enrollments: dict[UUID, Enrollment] = {}
    if user.is_authenticated:
        for enrollment in sorted(
            Enrollment.objects.filter(user=user).select_related("event"), key=enrollment_order
        ):
            enrollments.setdefault(enrollment.course_key, enrollment)
    catalogue = CourseCatalogue(keys=enrollments, request=request)
    cards = [catalogue.card(key, enrollment=enrollments.get(key)) for key in catalogue.canonical]
    return sorted(cards, key=lambda card: card.shown.title.lower())


@dataclass(frozen=True)
class Deadline:
    """How an election event's training deadline stands today."""

    on: date
    days_left: int
    is_closed: bool

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


@dataclass(frozen=True)
class EventGroup:
    event: ElectionEvent
    deadline: Deadline
    cards: list[CourseCard] = field(default_factory=list)
    completed_count: int = 0

    @property
    def total(self) -> int:
        return len(self.cards) + self.completed_count


@dataclass(frozen=True)
class MyTraining:
    """Everything on a learner's "My training" page, theirs only."""

    resume: CourseCard | None
    events: list[EventGroup]
    own: list[CourseCard]
    completed: list[CourseCard]
    joinable: list[CourseCard]
    catalogue_url: str | None
    # A minor without their legal representative's consent: completed courses' certificates wait.
    certificates_wait_for_consent: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.events or self.own or self.completed or self.joinable)


def _resume_links(
    *, enrollments: Sequence[Enrollment], catalogue: CourseCatalogue, request
) -> dict[UUID, Shown]:
    """Where each enrolment left off (its last lesson visited), in the learner's language: one
    query for the lessons in every language, none if nobody has started."""
    lesson_keys = {e.last_lesson_key for e in enrollments if e.last_lesson_key}
    if not lesson_keys:
        return {}
    rows = (
        LessonPage.objects.live()
        .filter(translation_key__in=lesson_keys)
        .order_by("pk")
        .values("pk", "translation_key", "title", "path", "url_path", "locale__language_code")
    )
    by_key: dict[UUID, list[dict]] = defaultdict(list)
    for row in rows:
        by_key[row["translation_key"]].append(row)
    language = catalogue.language
    links = {}
    for enrollment in enrollments:
        candidates = by_key.get(enrollment.last_lesson_key)
        course = catalogue.canonical.get(enrollment.course_key)
        if not candidates or course is None:
            continue
        here = next((r for r in candidates if r["locale__language_code"] == language), None)
        if here is not None:
            links[enrollment.course_key] = Shown(
                here["title"], page_url(here["url_path"], request), language
            )
            continue
        # Not translated: the canonical course's lesson, linked under the course as the
        # learner sees it (translated, or shown under their language, or as it is).
        lesson = next((r for r in candidates if r["path"].startswith(course["path"])), None)
        if lesson is None:
            continue
        course_url = catalogue.card(enrollment.course_key).shown.url
        links[enrollment.course_key] = Shown(
            lesson["title"],
            course_url + lesson["url_path"][len(course["url_path"]) :],
            lesson["locale__language_code"],
            True,
        )
    return links


def _changed_since_completion(*, enrollments: Sequence[Enrollment]) -> set[int]:
    """The completed enrolments whose course no longer matches what they completed (a lesson
    deleted or a required one added since): five queries for any number of them."""
    if not enrollments:
        return set()
    structures = course_structures(course_keys={e.course_key for e in enrollments})
    done: dict[int, set[UUID]] = defaultdict(set)
    for enrollment_id, lesson_key in LessonProgress.objects.filter(
        enrollment__in=enrollments, completed_at__isnull=False
    ).values_list("enrollment_id", "lesson_key"):
        done[enrollment_id].add(lesson_key)
    return {
        e.pk
        for e in enrollments
        if e.course_key in structures and not structures[e.course_key].matches(done[e.pk])
    }


def _certificates(
    *, user, enrollments: Sequence[Enrollment]
) -> dict[tuple[UUID, int | None], Certificate]:
    """The learner's certificates of these completed enrolments, by course and event (a
    revoked one included, a replaced one not): one query for any number, none without any."""
    if not enrollments:
        return {}
    certificates = (
        Certificate.objects.live()
        .filter(learner=user, course_key__in={e.course_key for e in enrollments})
        .defer("snapshot")
        .order_by("issued_at", "pk")
    )
    return {(c.course_key, c.event_id): c for c in certificates}


def deadline_for(event: ElectionEvent, *, today: date | None = None) -> Deadline:
    today = today or timezone.localdate()
    return Deadline(
        on=event.training_deadline,
        days_left=(event.training_deadline - today).days,
        is_closed=event.status == ElectionEvent.Status.CLOSED,
    )


def my_training_overview(*, user, request=None) -> MyTraining:
    """A learner's own courses: assigned ones grouped by election event (nearest deadline
    first), where they left off, the ones they joined, the ones completed, and the public courses
    they may still join. A fixed number of queries, whatever the number of enrolments (one more
    for a minor with a completed course: whether their certificates wait for consent)."""
    enrollments = list(
        Enrollment.objects.filter(user=user).select_related("event").order_by("enrolled_at", "pk")
    )
    catalogue = CourseCatalogue(keys={e.course_key for e in enrollments}, request=request)
    enrollments = [e for e in enrollments if e.course_key in catalogue]
    in_progress = [e for e in enrollments if not e.is_completed]
    completed = [e for e in enrollments if e.is_completed]
    resume_links = _resume_links(enrollments=in_progress, catalogue=catalogue, request=request)
    changed = _changed_since_completion(enrollments=completed)
    certificates = _certificates(user=user, enrollments=completed)

    cards_by_event: dict[int, list[CourseCard]] = defaultdict(list)
    completed_by_event: dict[int, int] = defaultdict(int)
    events_by_id: dict[int, ElectionEvent] = {}
    own = []
    for enrollment in enrollments:
        if enrollment.event_id is not None:
            events_by_id[enrollment.event_id] = enrollment.event
        if enrollment.is_completed:
            if enrollment.event_id is not None:
                completed_by_event[enrollment.event_id] += 1
            continue
        card = catalogue.card(
            enrollment.course_key,
            enrollment=enrollment,
            continue_at=resume_links.get(enrollment.course_key),
        )
        if enrollment.event_id is None:
            own.append(card)
        else:
            cards_by_event[enrollment.event_id].append(card)
    events = [
        EventGroup(event, deadline_for(event), cards_by_event[pk], completed_by_event[pk])
        for pk, event in events_by_id.items()
        # An event whose training is closed and done leaves the list; its courses stay below.
        if cards_by_event[pk] or event.status != ElectionEvent.Status.CLOSED
    ]
    events.sort(key=lambda g: (g.deadline.is_closed, g.deadline.on, g.event.pk))

    resumable = [e for e in in_progress if e.last_activity_at and e.course_key in resume_links]
    resume = None
    if resumable:
        latest = max(resumable, key=lambda e: e.last_activity_at)
        resume = catalogue.card(
            latest.course_key, enrollment=latest, continue_at=resume_links[latest.course_key]
        )
    enrolled_keys = {e.course_key for e in enrollments}
    return MyTraining(
        resume=resume,
        events=events,
        own=own,
        completed=[
            catalogue.card(
                e.course_key,
                enrollment=e,
                changed_since=e.pk in changed,
                certificate=certificates.get((e.course_key, e.event_id)),
            )
            for e in sorted(completed, key=lambda e: e.completed_at, reverse=True)
        ],
        joinable=sorted(
            (catalogue.card(key) for key in catalogue.public_keys() if key not in enrolled_keys),
            key=lambda card: card.shown.title.lower(),
        ),
        catalogue_url=catalogue.catalogue_url(),
        certificates_wait_for_consent=bool(completed) and needs_guardian_consent(user),
    )
