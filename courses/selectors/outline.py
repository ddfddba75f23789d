"""Canonical pages shown in the learner's language, and a course's outline with the learner's
own check marks. A page not translated into the learner's language keeps its canonical title and
is linked under the nearest translated ancestor (see ``CourseTreeRouting`` in models.py).

The apps above courses add their own pages to the outline (a quiz among the lessons) through
``outline_activities``, without courses importing them (STYLE.md)."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from uuid import UUID

from wagtail.models import Page

from ..models import Enrollment
from .access import enrollment_order
from .structure import CourseStructure, current_language, language_name, page_url

# Showing canonical pages in the learner's language --------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A page as the learner sees it: its title and link, and the language they are in."""

    title: str
    url: str
    language: str
    is_fallback: bool = False  # shown in another language than the learner's

    @property
    def language_name(self) -> str:
        return language_name(self.language)


class Localizer:
    """Titles and links of canonical pages in one language.

    A page translated into the language is shown as its translation. One that is not keeps its
    canonical title and is linked under the nearest translated ancestor, so that the interface
    stays in the learner's language; with no translated ancestor at all, its own link is used.
    """

    def __init__(self, *, language: str, translations: Mapping[UUID, dict], request=None):
        self.language = language
        self.translations = translations
        self.request = request

    def show(
        self,
        *,
        key: UUID,
        title: str,
        url_path: str,
        language: str,
        ancestors: Sequence[tuple[UUID | None, str]] = (),
    ) -> Shown:
        if language == self.language:
            return Shown(title, page_url(url_path, self.request), language)
        translated = self.translations.get(key)
        if translated is not None:
            return Shown(
                translated["title"], page_url(translated["url_path"], self.request), self.language
            )
        for ancestor_key, ancestor_url_path in ancestors:
            ancestor = self.translations.get(ancestor_key)
            if ancestor is not None and url_path.startswith(ancestor_url_path):
                url = page_url(ancestor["url_path"], self.request)
                return Shown(title, url + url_path[len(ancestor_url_path) :], language, True)
        return Shown(title, page_url(url_path, self.request), language, True)


def translations_in(*, language: str, keys: Iterable[UUID]) -> dict[UUID, dict]:
    """The live pages in ``language`` with these translation keys: one query."""
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    rows = (
        Page.objects.live()
        .filter(locale__language_code=language, translation_key__in=keys)
        .values("pk", "translation_key", "title", "url_path")
    )
    return {row["translation_key"]: row for row in rows}


# Activities that the apps above courses add to an outline ------------------------------------


@dataclass(frozen=True)
class ActivityNode:
    """A page of another app in a course's canonical tree (a quiz), as its provider reports it:
    canonical title and ``url_path`` (the outline shows them in the learner's language), where it
    sits, and the learner's status in it."""

    key: UUID  # the page's translation_key
    title: str
    url_path: str
    kind_label: str  # "Final test"
    status: str  # "Passed", "Not passed yet", "Not started"
    is_required: bool
    is_done: bool = False
    module_key: UUID | None = None  # None: directly in the course, between modules
    after_key: UUID | None = None  # the lesson, module or activity it follows; None: first


@dataclass(frozen=True)
class OutlineActivity:
    """An activity as the outline shows it, in the learner's language."""

    key: UUID
    shown: Shown
    kind_label: str
    status: str
    is_required: bool
    is_done: bool
    is_current: bool
    module_key: UUID | None  # the module it sits in; None: directly in the course
    after_key: UUID | None  # the lesson or activity it follows in its module

    is_activity = True


class OutlineActivities:
    """Providers of outline entries for page types that courses does not know (quizzes registers
    one in ``QuizzesConfig.ready``). A provider is called as
    ``provider(structure=…, enrollment=…)`` with the course's canonical structure and the
    learner's enrolment (None for someone not enrolled, or the admin's preview), and returns
    ``ActivityNode`` entries for its pages, in tree order. It must cost a fixed number of queries
    whatever the size of the course (tests/courses/test_query_budget.py)."""

    def __init__(self):
        self.providers = []

    def register(self, provider):
        if provider not in self.providers:
            self.providers.append(provider)
        return provider

    def collect(self, *, structure: CourseStructure, enrollment) -> list[ActivityNode]:
        nodes: list[ActivityNode] = []
        for provider in self.providers:
            nodes.extend(provider(structure=structure, enrollment=enrollment))
        return nodes


outline_activities = OutlineActivities()


def learner_enrollment(*, user, course_key: UUID) -> Enrollment | None:
    """The enrolment whose progress a course shows (as ``course_access`` picks it): one query."""
    if user is None or not user.is_authenticated:
        return None
    enrollments = Enrollment.objects.filter(user=user, course_key=course_key).select_related(
        "event"
    )
    return min(enrollments, key=enrollment_order, default=None)


def place(entries: list, node_key: UUID | None, entry) -> None:
    """Insert ``entry`` after the entry whose key is ``node_key`` (first when None; last when
    that entry is not in the list, e.g. a draft page)."""
    if node_key is None:
        entries.insert(0, entry)
        return
    for index, existing in enumerate(entries):
        if existing.key == node_key:
            entries.insert(index + 1, entry)
            return
    entries.append(entry)


# Outlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineLesson:
    key: UUID
    number: int
    shown: Shown
    is_required: bool
    estimated_minutes: int
    completed_at: datetime | None
    is_current: bool

    is_activity = False

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


@dataclass(frozen=True)
class OutlineModule:
    key: UUID
    number: int
    shown: Shown
    lessons: tuple[OutlineLesson, ...]
    is_current: bool

    @property
    def completed_count(self) -> int:
        return sum(lesson.is_completed for lesson in self.lessons)


@dataclass(frozen=True)
class OutlineSection:
    """A module as the outline lists it: its lessons and activities in tree order, then the
    course-level activities that follow it (a final test after the last module)."""

    module: OutlineModule
    entries: tuple[OutlineLesson | OutlineActivity, ...]
    activities_after: tuple[OutlineActivity, ...]

    @property
    def is_current(self) -> bool:
        return self.module.is_current or any(entry.is_current for entry in self.entries)


@dataclass(frozen=True)
class CourseOutline:
    """A course's modules and lessons in the learner's language, with their own progress, and
    the activities other apps add (read only when a page shows them)."""

    structure: CourseStructure
    course: Shown
    catalogue: Shown | None
    modules: tuple[OutlineModule, ...]
    load_activities: Callable[[], list[tuple[UUID | None, OutlineActivity]]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def placed_activities(self) -> tuple[tuple[UUID | None, OutlineActivity], ...]:
        """``(where, activity)`` in tree order: ``where`` is the module an activity sits in,
        else the module it follows at course level (None: before the first module)."""
        return tuple(self.load_activities()) if self.load_activities else ()

    @property
    def activities(self) -> tuple[OutlineActivity, ...]:
        """Every activity of the course, in its modules and at course level."""
        return tuple(activity for _where, activity in self.placed_activities)

    @cached_property
    def sections(self) -> tuple[OutlineSection, ...]:
        inside: dict[UUID, list] = {}
        after: dict[UUID, list] = {}
        for where, activity in self.placed_activities:
            (inside if activity.module_key is not None else after).setdefault(where, []).append(
                activity
            )
        sections = []
        for module in self.modules:
            entries: list = list(module.lessons)
            for activity in inside.get(module.key, ()):
                place(entries, activity.after_key, activity)
            sections.append(
                OutlineSection(module, tuple(entries), tuple(after.get(module.key, ())))
            )
        return tuple(sections)

    @property
    def leading_activities(self) -> tuple[OutlineActivity, ...]:
        """Course-level activities before the first module (or in a course without modules)."""
        return tuple(a for where, a in self.placed_activities if where is None)

    @property
    def final_activities(self) -> tuple[OutlineActivity, ...]:
        """Course-level activities after the last module."""
        if not self.modules:
            return ()
        last = self.modules[-1].key
        return tuple(
            a for where, a in self.placed_activities if where == last and a.module_key is None
        )

    @cached_property
    def lessons(self) -> tuple[OutlineLesson, ...]:
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    def lesson(self, key: UUID | None) -> OutlineLesson | None:
        return next((lesson for lesson in self.lessons if lesson.key == key), None)

    def module_of(self, key: UUID) -> OutlineModule | None:
        return next(
            (module for module in self.modules if any(ls.key == key for ls in module.lessons)),
            None,
        )

    def neighbours(self, key: UUID) -> tuple[OutlineLesson | None, OutlineLesson | None]:
        """The lessons before and after this one, across modules."""
        lessons = self.lessons
        for index, lesson in enumerate(lessons):
            if lesson.key == key:
                before = lessons[index - 1] if index > 0 else None
                after = lessons[index + 1] if index + 1 < len(lessons) else None
                return before, after
        return None, None

    @property
    def first_lesson(self) -> OutlineLesson | None:
        return self.lessons[0] if self.lessons else None

    @property
    def first_incomplete(self) -> OutlineLesson | None:
        required = [ls for ls in self.lessons if ls.is_required and not ls.is_completed]
        return required[0] if required else None

    @property
    def required_count(self) -> int:
        return sum(lesson.is_required for lesson in self.lessons)

    @property
    def completed_required_count(self) -> int:
        return sum(lesson.is_required and lesson.is_completed for lesson in self.lessons)


def outline_labels(
    *, structure: CourseStructure, language: str, request=None
) -> dict[UUID | None, Shown]:
    """The titles and links of a course's catalogue, course, modules and lessons in ``language``,
    by translation key (the catalogue's under None too): one query for the translations, none
    when the learner reads the canonical language. The same for every learner, so the pages
    cache it (courses/page_cache.py)."""
    keys = [structure.course_key, structure.catalogue_key]
    for module in structure.modules:
        keys.append(module.key)
        keys.extend(lesson.key for lesson in module.lessons)
    translations = (
        translations_in(language=language, keys=keys) if (language != structure.language) else {}
    )
    localizer = Localizer(language=language, translations=translations, request=request)
    catalogue_anchor = (structure.catalogue_key, structure.catalogue_url_path)
    course_anchor = (structure.course_key, structure.url_path)
    labels: dict[UUID | None, Shown] = {}
    for module in structure.modules:
        for lesson in module.lessons:
            labels[lesson.key] = localizer.show(
                key=lesson.key,
                title=lesson.title,
                url_path=lesson.url_path,
                language=structure.language,
                ancestors=[(module.key, module.url_path), course_anchor, catalogue_anchor],
            )
        labels[module.key] = localizer.show(
            key=module.key,
            title=module.title,
            url_path=module.url_path,
            language=structure.language,
            ancestors=[course_anchor, catalogue_anchor],
        )
    labels[structure.course_key] = localizer.show(
        key=structure.course_key,
        title=structure.title,
        url_path=structure.url_path,
        language=structure.language,
        ancestors=[catalogue_anchor],
    )
    labels[None] = None
    if structure.catalogue_key is not None:
        labels[None] = localizer.show(
            key=structure.catalogue_key,
            title="",
            url_path=structure.catalogue_url_path,
            language=structure.language,
        )
    return labels


def course_outline(
    *,
    structure: CourseStructure,
    request=None,
    language: str | None = None,
    completed: Mapping[UUID, datetime] | None = None,
    current_key: UUID | None = None,
    enrollment: Enrollment | None = None,
    labels: Mapping[UUID | None, Shown] | None = None,
) -> CourseOutline:
    """The outline of a course in ``language`` (the request's by default), with the learner's
    check marks: the ``outline_labels`` (read here when not given), then no query.

    The activities other apps add (``outline_activities``) are read only when a page shows them
    (``sections``, ``activities``): the providers' own queries (two for quizzes), one for their
    translations outside the canonical language, and, when ``enrollment`` is not given, one for
    the request's user's enrolment, which decides the activities' statuses."""
    language = language or current_language()
    completed = completed or {}
    if labels is None:
        labels = outline_labels(structure=structure, language=language, request=request)
    modules = []
    number = 0
    for module_number, module in enumerate(structure.modules, start=1):
        lessons = []
        for lesson in module.lessons:
            number += 1
            lessons.append(
                OutlineLesson(
                    key=lesson.key,
                    number=number,
                    shown=labels[lesson.key],
                    is_required=lesson.is_required,
                    estimated_minutes=lesson.estimated_minutes,
                    completed_at=completed.get(lesson.key),
                    is_current=lesson.key == current_key,
                )
            )
        modules.append(
            OutlineModule(
                key=module.key,
                number=module_number,
                shown=labels[module.key],
                lessons=tuple(lessons),
                is_current=module.key == current_key
                or any(lesson.is_current for lesson in lessons),
            )
        )
    course = labels[structure.course_key]
    catalogue = labels[None]

    def load_activities() -> list[tuple[UUID | None, OutlineActivity]]:
        learner = enrollment
        if learner is None and request is not None:
            learner = learner_enrollment(
                user=getattr(request, "user", None), course_key=structure.course_key
            )
        nodes = outline_activities.collect(structure=structure, enrollment=learner)
        return place_activities(
            nodes=nodes,
            structure=structure,
            language=language,
            request=request,
            current_key=current_key,
        )

    return CourseOutline(
        structure=structure,
        course=course,
        catalogue=catalogue,
        modules=tuple(modules),
        load_activities=load_activities if outline_activities.providers else None,
    )


def place_activities(
    *,
    nodes: list[ActivityNode],
    structure: CourseStructure,
    language: str,
    request=None,
    current_key: UUID | None = None,
) -> list[tuple[UUID | None, OutlineActivity]]:
    """The providers' activities in the learner's language, each with where it sits: its module,
    or at course level the module it follows (None: before the first). One query for their
    translations outside the canonical language."""
    if not nodes:
        return []
    # with the course's and modules' own, so that an untranslated quiz is linked under its
    # nearest translated ancestor
    keys = [node.key for node in nodes] + [structure.course_key, structure.catalogue_key]
    keys.extend(module.key for module in structure.modules)
    translations = (
        translations_in(language=language, keys=keys) if language != structure.language else {}
    )
    localizer = Localizer(language=language, translations=translations, request=request)
    catalogue_anchor = (structure.catalogue_key, structure.catalogue_url_path)
    course_anchor = (structure.course_key, structure.url_path)
    module_anchors = {module.key: (module.key, module.url_path) for module in structure.modules}
    placed: list[tuple[UUID | None, OutlineActivity]] = []
    course_level: dict[UUID, UUID | None] = {}
    for node in nodes:
        in_module = node.module_key in module_anchors
        ancestors = [course_anchor, catalogue_anchor]
        if in_module:
            ancestors.insert(0, module_anchors[node.module_key])
        activity = OutlineActivity(
            key=node.key,
            shown=localizer.show(
                key=node.key,
                title=node.title,
                url_path=node.url_path,
                language=structure.language,
                ancestors=ancestors,
            ),
            kind_label=node.kind_label,
            status=node.status,
            is_required=node.is_required,
            is_done=node.is_done,
            is_current=node.key == current_key,
            module_key=node.module_key if in_module else None,
            after_key=node.after_key if in_module else None,
        )
        if in_module:
            placed.append((node.module_key, activity))
            continue
        # at course level: after a module, or where the course-level activity it follows sits
        where = course_level.get(node.after_key, node.after_key)
        if where is not None and where not in module_anchors:  # after a page not shown
            where = structure.modules[-1].key if structure.modules else None
        course_level[node.key] = where
        placed.append((where, activity))
    return placed
