"""Canonical pages shown in the learner's language, and a course's outline with the learner's
own check marks. A page not translated into the learner's language keeps its canonical title and
is linked under the nearest translated ancestor (see ``CourseTreeRouting`` in models.py)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from uuid import UUID

from wagtail.models import Page

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
class CourseOutline:
    """A course's modules and lessons in the learner's language, with their own progress."""

    structure: CourseStructure
    course: Shown
    catalogue: Shown | None
    modules: tuple[OutlineModule, ...]

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


def course_outline(
    *,
    structure: CourseStructure,
    request=None,
    language: str | None = None,
    completed: Mapping[UUID, datetime] | None = None,
    current_key: UUID | None = None,
) -> CourseOutline:
    """The outline of a course in ``language`` (the request's by default): one query for the
    translations, none when the learner reads the canonical language."""
    language = language or current_language()
    completed = completed or {}
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
                    shown=localizer.show(
                        key=lesson.key,
                        title=lesson.title,
                        url_path=lesson.url_path,
                        language=structure.language,
                        ancestors=[(module.key, module.url_path), course_anchor, catalogue_anchor],
                    ),
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
                shown=localizer.show(
                    key=module.key,
                    title=module.title,
                    url_path=module.url_path,
                    language=structure.language,
                    ancestors=[course_anchor, catalogue_anchor],
                ),
                lessons=tuple(lessons),
                is_current=module.key == current_key
                or any(lesson.is_current for lesson in lessons),
            )
        )
    course = localizer.show(
        key=structure.course_key,
        title=structure.title,
        url_path=structure.url_path,
        language=structure.language,
        ancestors=[catalogue_anchor],
    )
    catalogue = None
    if structure.catalogue_key is not None:
        catalogue = localizer.show(
            key=structure.catalogue_key,
            title="",
            url_path=structure.catalogue_url_path,
            language=structure.language,
        )
    return CourseOutline(
        structure=structure, course=course, catalogue=catalogue, modules=tuple(modules)
    )
