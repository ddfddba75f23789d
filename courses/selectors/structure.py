"""A course's canonical structure: which modules and lessons it has, whatever the language.

Identity across languages: a course is its ``translation_key`` (``Enrollment.course_key``) and a
lesson is its ``translation_key`` (``LessonProgress.lesson_key``). Which lessons a course has, in
which order, and which are required is read from one tree, the *canonical* one: the course's live
page tree in the default language (Kazakh) if it exists, else its oldest live translation. Titles
and links in the learner's language are outline.py's.

Every function here costs a fixed number of queries, whatever the number of lessons or languages
(tests/courses/test_query_budget.py).
"""

import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, reduce
from uuid import UUID

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils import translation

from wagtail.models import Page

from ..models import CoursePage, LessonPage, ModulePage

STEP = Page.steplen  # characters of ``Page.path`` per tree level


# Languages -----------------------------------------------------------------------------------


def default_language() -> str:
    return settings.LANGUAGE_CODE


def current_language() -> str:
    """The language of the request (its URL prefix), one of the content languages."""
    language = translation.get_language() or default_language()
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else language.split("-")[0]


def language_name(code: str) -> str:
    """A language's name in that language, e.g. "Қазақша", "Русский"."""
    return dict(settings.LANGUAGES).get(code, code)


def page_url(url_path: str, request=None) -> str:
    """The URL of the page whose ``url_path`` this is, in its own language (Wagtail's routing;
    the site's root paths are cached on the request, so this costs no query)."""
    return Page(url_path=url_path).get_url(request=request) or ""


def page_language(page: Page, request=None) -> str:
    """The language a page is in, read from the site's root paths (cached by Wagtail, and on the
    request when given), so that serving a page costs no query for its locale."""
    for root in page._get_site_root_paths(request):
        if page.url_path.startswith(root.root_path):
            return root.language_code
    return page.locale.language_code


def parent_url_path(url_path: str) -> str:
    return url_path.rstrip("/").rsplit("/", 1)[0] + "/"


# The canonical structure of a course ----------------------------------------------------------


@dataclass(frozen=True)
class LessonNode:
    """A lesson of the canonical tree."""

    key: UUID
    page_id: int
    title: str
    url_path: str
    is_required: bool
    estimated_minutes: int


@dataclass(frozen=True)
class ModuleNode:
    """A module of the canonical tree, with its live lessons in the editors' order."""

    key: UUID
    page_id: int
    title: str
    url_path: str
    lessons: tuple[LessonNode, ...]


@dataclass(frozen=True)
class CourseStructure:
    """Which modules and lessons a course has, in order, and which lessons are required: read
    from its canonical tree (live pages only). The same whatever language the learner reads."""

    course_key: UUID
    course_id: int
    title: str
    url_path: str
    language: str
    catalogue_key: UUID | None
    modules: tuple[ModuleNode, ...]

    @cached_property
    def lessons(self) -> tuple[LessonNode, ...]:
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @cached_property
    def lesson_keys(self) -> frozenset[UUID]:
        return frozenset(lesson.key for lesson in self.lessons)

    @cached_property
    def required_keys(self) -> frozenset[UUID]:
        return frozenset(lesson.key for lesson in self.lessons if lesson.is_required)

    @property
    def catalogue_url_path(self) -> str:
        return parent_url_path(self.url_path)

    def progress_percent(self, completed_keys: Iterable[UUID]) -> int:
        """Completed required lessons out of the required ones, rounded down: 100 only when all
        are done. A course with no required lesson counts as done."""
        required = self.required_keys
        if not required:
            return 100
        done = len(required.intersection(completed_keys))
        return done * 100 // len(required)

    def matches(self, completed_keys: Iterable[UUID]) -> bool:
        """Whether this structure is still the one a completed learner completed: every lesson
        they completed still exists and every required lesson is among them."""
        completed = set(completed_keys)
        return completed <= self.lesson_keys and self.required_keys <= completed


def pick_canonical(rows: Iterable[dict]) -> dict[UUID, dict]:
    """Per translation key, the default-language row, else the oldest (rows come by id)."""
    canonical: dict[UUID, dict] = {}
    for row in rows:
        key = row["translation_key"]
        kept = canonical.get(key)
        if kept is None or (
            row["locale__language_code"] == default_language()
            and kept["locale__language_code"] != default_language()
        ):
            canonical[key] = row
    return canonical


def course_structures(*, course_keys: Iterable[UUID]) -> dict[UUID, CourseStructure]:
    """The canonical structure of each course that has a live page: three queries in all."""
    keys = set(course_keys)
    if not keys:
        return {}
    catalogue_key = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    ).values("translation_key")[:1]
    course_rows = (
        CoursePage.objects.live()
        .filter(translation_key__in=keys)
        .annotate(catalogue_key=Subquery(catalogue_key))
        .order_by("pk")
        .values(
            "pk",
            "translation_key",
            "title",
            "path",
            "url_path",
            "locale__language_code",
            "catalogue_key",
        )
    )
    courses = pick_canonical(course_rows)
    if not courses:
        return {}
    under = reduce(operator.or_, (Q(path__startswith=row["path"]) for row in courses.values()))
    module_rows = (
        ModulePage.objects.live()
        .filter(under)
        .order_by("path")
        .values("pk", "translation_key", "title", "path", "url_path")
    )
    lesson_rows = (
        LessonPage.objects.live()
        .filter(under)
        .order_by("path")
        .values(
            "pk",
            "translation_key",
            "title",
            "path",
            "url_path",
            "is_required",
            "estimated_minutes",
        )
    )
    lessons_by_module: dict[str, list[LessonNode]] = defaultdict(list)
    for row in lesson_rows:
        lessons_by_module[row["path"][:-STEP]].append(
            LessonNode(
                key=row["translation_key"],
                page_id=row["pk"],
                title=row["title"],
                url_path=row["url_path"],
                is_required=row["is_required"],
                estimated_minutes=row["estimated_minutes"],
            )
        )
    modules_by_course: dict[str, list[ModuleNode]] = defaultdict(list)
    for row in module_rows:
        modules_by_course[row["path"][:-STEP]].append(
            ModuleNode(
                key=row["translation_key"],
                page_id=row["pk"],
                title=row["title"],
                url_path=row["url_path"],
                lessons=tuple(lessons_by_module.get(row["path"], ())),
            )
        )
    return {
        key: CourseStructure(
            course_key=key,
            course_id=row["pk"],
            title=row["title"],
            url_path=row["url_path"],
            language=row["locale__language_code"],
            catalogue_key=row["catalogue_key"],
            modules=tuple(modules_by_course.get(row["path"], ())),
        )
        for key, row in courses.items()
    }


def course_structure(*, course_key: UUID) -> CourseStructure | None:
    """The canonical structure of one course, or None if no translation of it is live."""
    return course_structures(course_keys=[course_key]).get(course_key)


@dataclass(frozen=True)
class LessonPlacement:
    """Which course a lesson page belongs to, and whether its module and course are live."""

    course_key: UUID | None
    is_live: bool


def lesson_placement(*, lesson: LessonPage) -> LessonPlacement:
    """The course above a lesson page (any language), read from its path: one query."""
    module_path, course_path = lesson.path[:-STEP], lesson.path[: -2 * STEP]
    rows = {
        row["path"]: row
        for row in Page.objects.filter(path__in=[module_path, course_path]).values(
            "path", "live", "translation_key"
        )
    }
    course, module = rows.get(course_path), rows.get(module_path)
    if course is None or module is None:
        return LessonPlacement(None, False)
    return LessonPlacement(course["translation_key"], course["live"] and module["live"])
