"""The learner's course pages pass axe-core's WCAG 2.1 A and AA rules in Kazakh and Russian, on
a desktop and a phone, and fit a phone's screen: the catalogue, a course, lessons with every
kind of block the demo courses use, and "My training".

Screenshots go to $SCREENSHOTS_DIR when it is set (for a person to look at), else to a temporary
folder.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page

from accounts.models import User
from commissions.demo import DEMO_PASSWORD
from courses.demo import COURSES
from courses.demo.opening import BALLOTS, LAST_HALF_HOUR, OPENING, SEALING
from courses.models import CoursePage, LessonPage
from courses.services import lesson_complete

from .axe import axe_violations, describe
from .pages import VIEWPORTS
from .steps import PREFIX, sign_in
from .test_courses import load_demo

LANGUAGES = ("kk", "ru")
SCANNED_LESSONS = (SEALING, LAST_HALF_HOUR, BALLOTS)


def lesson_path(lesson) -> str:
    module = next(m for m in OPENING.modules if lesson in m.lessons)
    return f"/courses/{OPENING.slug}/{module.slug}/{lesson.slug}/"


COURSE_PAGES = {
    "catalogue": "/courses/",
    "course": f"/courses/{OPENING.slug}/",
    **{f"lesson-{lesson.slug}": lesson_path(lesson) for lesson in SCANNED_LESSONS},
    "my-training": "/learning/",
}
REVEAL_DISCUSSIONS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


def block_kinds(lessons) -> set[tuple[str, str]]:
    """(block type, callout kind or checklist phase) of every block in these lessons' Kazakh and
    Russian text: a callout's colours and a checklist's layout differ by kind."""
    kinds = set()
    for lesson in lessons:
        for language in LANGUAGES:
            for block in lesson.text[language].body:
                value = block["value"]
                detail = value.get("kind", "") if isinstance(value, dict) else ""
                kinds.add((block["type"], detail))
    return kinds


@pytest.fixture
def screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def member_midway(home_page):
    """The demo, with ``member`` through the first lesson of the opening course, so that pages
    show check marks, a progress bar and "continue where you left off"."""
    load_demo()
    course = CoursePage.objects.get(slug=OPENING.slug, locale__language_code="kk")
    first = LessonPage.objects.descendant_of(course).order_by("path").first()
    lesson_complete(
        user=User.objects.get(username="member"),
        course_key=course.translation_key,
        lesson_key=first.translation_key,
    )


def visit(page: Page, language: str, path: str) -> None:
    response = page.goto(PREFIX[language] + path)
    assert response.status == 200, f"{PREFIX[language]}{path} answered {response.status}"


def test_scanned_lessons_hold_every_kind_of_block_the_demo_courses_use():
    every_lesson = [
        lesson for course in COURSES for module in course.modules for lesson in module.lessons
    ]
    assert block_kinds(every_lesson) <= block_kinds(SCANNED_LESSONS)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_course_pages_have_no_wcag_violations(new_context, member_midway, screenshots, viewport):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    sign_in(page, "member", DEMO_PASSWORD)
    found = {}
    for language in LANGUAGES:
        for name, path in COURSE_PAGES.items():
            visit(page, language, path)
            states = [("", axe_violations(page))]
            if page.locator("details").count():
                page.evaluate(REVEAL_DISCUSSIONS)
                states.append((", discussion shown", axe_violations(page)))
            page.screenshot(path=screenshots / f"{name}-{language}-{viewport}.png", full_page=True)
            for state, violations in states:
                if violations:
                    found[f"{name} ({language}{state})"] = describe(violations)
    assert not found, "\n\n".join(f"{name}:\n{text}" for name, text in found.items())


def test_course_pages_fit_a_phone_screen_without_sideways_scrolling(new_context, member_midway):
    page = new_context(viewport=VIEWPORTS["phone"]).new_page()
    sign_in(page, "member", DEMO_PASSWORD)
    too_wide = {}
    for language in LANGUAGES:
        for name, path in COURSE_PAGES.items():
            visit(page, language, path)
            page.evaluate(REVEAL_DISCUSSIONS)
            scroll_width, inner_width = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > inner_width:
                too_wide[f"{name} ({language})"] = f"{scroll_width}px in {inner_width}px"
    assert not too_wide, f"Pages wider than the phone's screen: {too_wide}"
