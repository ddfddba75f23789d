"""A precinct member learns the assigned demo course in the browser: starts it from "My training"
in Kazakh, switches to Russian halfway through, keeps the progress, and finishes it in Russian."""

from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import formats, translation

import pytest
from playwright.sync_api import Page, expect

from commissions.demo import DEMO_PASSWORD
from commissions.models import ElectionEvent
from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from courses.demo import EVENT
from courses.demo.opening import OPENING
from courses.models import CoursePage, Enrollment

from .steps import html_lang, sign_in, translated

LESSONS = [lesson for module in OPENING.modules for lesson in module.lessons]


def load_demo() -> None:
    """The demo as ``seed_demo`` loads it, in the live server's database.

    The staff groups come from a migration, and the database is emptied after each live-server
    test, so they are put back first (by name only: no page visited here needs their rights).
    """
    for name in (CENTRAL_ADMINISTRATORS, TRAINERS):
        Group.objects.get_or_create(name=name)
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def demo(home_page):
    load_demo()


def kazakh_date(value) -> str:
    with translation.override("kk"):
        return formats.date_format(value, "DATE_FORMAT")


def mark_complete(page: Page, language: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=translated(language, "Mark as complete")).click()
    expect(page.locator(".lesson-done")).to_be_visible()


def go_to_next_lesson(page: Page) -> None:
    with page.expect_navigation():
        page.locator(".lesson-pager a[rel=next]").click()


def progress_value(page: Page) -> str:
    return page.locator(".course-outline progress").get_attribute("value")


def test_member_learns_in_kazakh_switches_to_russian_and_keeps_the_progress(page, demo):
    event = ElectionEvent.objects.get(name_kk=EVENT["name_kk"])
    sign_in(page, "member", DEMO_PASSWORD)

    # My training: the demo election event with its deadline, both precinct courses under it.
    page.goto("/learning/")
    expect(page.locator("h1")).to_have_text(translated("kk", "My training"))
    group = page.locator(".event-group", has_text=event.name_kk)
    expect(group).to_contain_text(kazakh_date(event.training_deadline))
    expect(group.locator(".course-card")).to_have_count(2)

    with page.expect_navigation():
        group.get_by_role("link", name=OPENING.text["kk"].title, exact=True).click()
    expect(page.locator("h1")).to_have_text(OPENING.text["kk"].title)
    with page.expect_navigation():
        page.locator(".course-status a.button").click()

    # The first half of the course in Kazakh.
    for lesson in LESSONS[:3]:
        expect(page.locator("h1")).to_have_text(lesson.text["kk"].title)
        assert html_lang(page) == "kk"
        mark_complete(page, "kk")
        go_to_next_lesson(page)
    expect(page.locator("h1")).to_have_text(LESSONS[3].text["kk"].title)
    halfway = progress_value(page)
    assert halfway == str(100 * 3 // len(LESSONS))

    # The header's language switch: the same lesson in Russian, with the same progress.
    with page.expect_navigation():
        page.locator(".language-switch a[hreflang=ru]").click()
    assert html_lang(page) == "ru"
    expect(page.locator("h1")).to_have_text(LESSONS[3].text["ru"].title)
    expect(page.locator(".outline__lesson--done a")).to_have_text(
        [lesson.text["ru"].title for lesson in LESSONS[:3]]
    )
    assert progress_value(page) == halfway

    # The second half in Russian.
    for number, lesson in enumerate(LESSONS[3:], start=4):
        expect(page.locator("h1")).to_have_text(lesson.text["ru"].title)
        mark_complete(page, "ru")
        if number < len(LESSONS):
            go_to_next_lesson(page)
    expect(page.locator(".outline__lesson--done")).to_have_count(len(LESSONS))

    # My training, in Russian now, lists the course as completed.
    page.goto("/ru/learning/")
    completed = page.locator("section[aria-labelledby=completed-heading]")
    card = completed.locator(".course-card", has_text=OPENING.text["ru"].title)
    expect(card.locator(".status--ok")).to_be_visible()
    assert html_lang(page) == "ru"

    course = CoursePage.objects.get(slug=OPENING.slug, locale__language_code="kk")
    enrollment = Enrollment.objects.for_course(course).get(user__username="member", event=event)
    assert enrollment.completed_at is not None
    assert enrollment.progress_percent == 100
