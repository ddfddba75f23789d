"""Demonstration courses, loaded by ``manage.py seed_demo`` after the commission tree.

Under the Kazakh home page: the course catalogue, two courses for precinct commissions (opening
the polling station; counting and the results protocol) in Kazakh and Russian, and the public
course "Your first vote" in Kazakh, Russian and English. The translations are copies of the
Kazakh pages (``copy_for_translation``), so each course keeps one ``translation_key`` and a
learner's progress follows them from one language to another. Then an election event in its
training window, an assignment of both precinct courses to every precinct seat, and the
enrolments that follow from it.

Safe to run again: a page found by its slug, or a translation that already exists, is left as a
trainer may have edited it; only what is missing is added.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale, Page, Site

from commissions.models import Commission, ElectionEvent, Position

from ..models import Assignment, CourseIndexPage, CoursePage, LessonPage, ModulePage
from ..services import assignment_enrol
from .content import Course
from .counting import COUNTING
from .first_vote import FIRST_VOTE
from .opening import OPENING

CATALOGUE_SLUG = "courses"
CATALOGUE = {
    "kk": (
        "Курстар",
        "Сайлау комиссияларының мүшелеріне арналған курстар және жас сайлаушыларға арналған "
        "ашық курстар. Комиссияңыз тағайындаған курстар «Менің оқуым» бетінде тұрады.",
    ),
    "ru": (
        "Курсы",
        "Курсы для членов избирательных комиссий и открытые курсы для молодых избирателей. "
        "Курсы, назначенные вашей комиссией, собраны на странице «Моё обучение».",
    ),
    "en": (
        "Courses",
        "Courses for members of election commissions and open courses for young voters. The "
        "courses your commission assigned you are on the “My training” page.",
    ),
}
COURSES = (OPENING, COUNTING, FIRST_VOTE)
ASSIGNED_COURSES = (OPENING, COUNTING)

EVENT = {
    "kind": ElectionEvent.Kind.MASLIKHAT,
    "name_kk": "Мәслихат депутаттарының кезектен тыс сайлауы",
    "name_ru": "Внеочередные выборы депутатов маслихатов",
    "name_en": "Early elections of maslikhat deputies",
}
VOTE_IN_DAYS = 21  # the demo vote is three weeks after the first seeding
DEADLINE_DAYS_BEFORE_VOTE = 2  # training closes two days before the vote, as in 2026


@dataclass(frozen=True)
class CoursesSummary:
    """What one run of ``demo_seed`` added to the courses."""

    pages: dict[str, int]  # pages added, by language
    event: ElectionEvent
    event_created: bool
    assignments_created: int
    enrolled: int

    def __str__(self) -> str:
        if any(self.pages.values()):
            added = ", ".join(f"{n} {language}" for language, n in self.pages.items() if n)
            pages = f"Courses: catalogue and {len(COURSES)} courses; pages added: {added}."
        else:
            pages = "Courses: catalogue and courses already there."
        event = "added" if self.event_created else "already there"
        return (
            f"{pages} Election event {event}: {self.event}, training until "
            f"{self.event.training_deadline:%d.%m.%Y}; {self.assignments_created} assignments "
            f"and {self.enrolled} enrolments added."
        )


def _publish(page: Page, **fields) -> None:
    for name, value in fields.items():
        setattr(page, name, value)
    page.draft_title = page.title
    page.save_revision().publish()


def _child(parent: Page, page: Page, added: Counter) -> Page:
    """``parent``'s child with ``page``'s slug, or ``page`` added and published there."""
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    _publish(page)
    added[parent.locale.language_code] += 1
    return page


def _translate(source: Page, locales: dict[str, Locale], texts: dict, added: Counter) -> None:
    """Publish ``source``'s missing translations, each with its own text (a dict of fields)."""
    for language, fields in texts.items():
        if language == source.locale.language_code:
            continue
        if source.get_translation_or_none(locales[language]) is not None:
            continue
        page = source.copy_for_translation(locales[language], copy_parents=True)
        _publish(page, **fields)
        added[language] += 1


def _catalogue(home: Page, locales: dict[str, Locale], added: Counter) -> CourseIndexPage:
    title, intro = CATALOGUE[home.locale.language_code]
    catalogue = _child(home, CourseIndexPage(title=title, slug=CATALOGUE_SLUG, intro=intro), added)
    texts = {language: {"title": t, "intro": i} for language, (t, i) in CATALOGUE.items()}
    _translate(catalogue, locales, texts, added)
    return catalogue


def _course(
    catalogue: Page, course: Course, locales: dict[str, Locale], added: Counter
) -> CoursePage:
    """The course, its modules and lessons in the source language, then their translations."""
    source = catalogue.locale.language_code
    page = _child(
        catalogue,
        CoursePage(
            title=course.text[source].title,
            slug=course.slug,
            summary=course.text[source].summary,
            estimated_minutes=course.minutes,
            is_public=course.is_public,
            audience_positions=course.positions,
            audience_levels=course.levels,
        ),
        added,
    )
    texts = {lang: {"title": t.title, "summary": t.summary} for lang, t in course.text.items()}
    _translate(page, locales, texts, added)
    for module in course.modules:
        module_page = _child(
            page,
            ModulePage(
                title=module.text[source].title,
                slug=module.slug,
                summary=module.text[source].summary,
            ),
            added,
        )
        texts = {lang: {"title": t.title, "summary": t.summary} for lang, t in module.text.items()}
        _translate(module_page, locales, texts, added)
        for lesson in module.lessons:
            lesson_page = _child(
                module_page,
                LessonPage(
                    title=lesson.text[source].title,
                    slug=lesson.slug,
                    body=lesson.text[source].body,
                    estimated_minutes=lesson.minutes,
                ),
                added,
            )
            texts = {lang: {"title": t.title, "body": t.body} for lang, t in lesson.text.items()}
            _translate(lesson_page, locales, texts, added)
    return page


def _event() -> tuple[ElectionEvent, bool]:
    vote_date = timezone.localdate() + timedelta(days=VOTE_IN_DAYS)
    return ElectionEvent.objects.get_or_create(
        kind=EVENT["kind"],
        name_kk=EVENT["name_kk"],
        defaults={
            **EVENT,
            "vote_date": vote_date,
            "training_deadline": vote_date - timedelta(days=DEADLINE_DAYS_BEFORE_VOTE),
            "status": ElectionEvent.Status.TRAINING,
        },
    )


@transaction.atomic
def demo_seed() -> CoursesSummary:
    """The catalogue, the demo courses and their translations, the event, its assignments and
    the enrolments of every precinct member they reach."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    added: Counter = Counter()

    catalogue = _catalogue(home, locales, added)
    pages = {course.slug: _course(catalogue, course, locales, added) for course in COURSES}

    event, event_created = _event()
    assignments_created = enrolled = 0
    for course in ASSIGNED_COURSES:
        assignment, created = Assignment.objects.get_or_create(
            event=event,
            course=pages[course.slug],
            defaults={
                # Every seat of a precinct commission (a club member sits in a club, not here).
                "positions": [p for p in Position.values if p != Position.CLUB_MEMBER],
                "levels": [Commission.Level.PRECINCT],
            },
        )
        assignments_created += created
        enrolled += assignment_enrol(assignment=assignment)

    return CoursesSummary(
        pages={language: added[language] for language in locales},
        event=event,
        event_created=event_created,
        assignments_created=assignments_created,
        enrolled=enrolled,
    )
