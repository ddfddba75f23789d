"""A member takes the counting course's tests in the browser, in Kazakh: the entry test from the
course outline, the final test failed (remediation, attempts left), then passed, which completes
the course; the quiz pages pass the WCAG 2.1 AA scan; an attempt can be taken with the keyboard
alone.

The correct answers come from the database (the attempt's stored question keys and the demo bank,
through ``tests.factories.correct_answers``): the pages themselves never say which is correct.
"""

import re

from django.utils import translation

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from commissions.demo import DEMO_PASSWORD
from courses.demo.counting import COUNTING
from courses.models import CoursePage, Enrollment, LessonPage
from courses.services import lesson_complete
from quizzes.demo import COURSE_SLUG
from quizzes.models import Attempt, QuizPage
from tests.factories import correct_answers, wrong_answers

from .axe import assert_accessible
from .steps import path_of, sign_in, translated
from .test_courses import load_demo

pytestmark = pytest.mark.browser

ATTEMPT_PATH = re.compile(r"/attempts/(\d+)/$")
RESULT_PATH = re.compile(r"/attempts/\d+/result/$")


@pytest.fixture
def demo(home_page):
    load_demo()


@pytest.fixture
def course(demo) -> CoursePage:
    return CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="kk")


def quiz_of(course: CoursePage, kind: str) -> QuizPage:
    return QuizPage.objects.child_of(course).get(kind=kind)


def complete_lessons(course: CoursePage) -> None:
    member = User.objects.get(username="member")
    for lesson in LessonPage.objects.descendant_of(course).order_by("path"):
        lesson_complete(
            user=member, course_key=course.translation_key, lesson_key=lesson.translation_key
        )


def kazakh_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("kk"):
        return translation.ngettext(singular, plural, count) % {"left": count}


def current_attempt(page: Page) -> Attempt:
    match = ATTEMPT_PATH.search(path_of(page))
    assert match, f"not on an attempt page: {page.url}"
    return Attempt.objects.get(pk=match.group(1))


def start(page: Page, language: str = "kk") -> Attempt:
    """Press the intro's (or the result's) start button and land on the attempt's form."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").filter(
            has_text=re.compile(
                "|".join(
                    re.escape(translated(language, text))
                    for text in ("Start the test", "Start a new attempt")
                )
            )
        ).click()
    expect(page.locator("#quiz-form")).to_be_visible()
    return current_attempt(page)


def question(page: Page, key: str):
    return page.locator(f'fieldset.question[data-key="{key}"]')


def fill_answers(page: Page, attempt: Attempt, answers: dict) -> None:
    """Give ``answers`` (as the form sends them) with the mouse and the keyboard's typing."""
    kinds = {item["key"]: item["kind"] for item in attempt.questions}
    for key, answer in answers.items():
        fieldset = question(page, key)
        kind = kinds[key]
        if kind in ("single", "true_false"):
            fieldset.locator(f'input[value="{answer}"]').check()
        elif kind == "multiple":
            for value in answer:
                fieldset.locator(f'input[value="{value}"]').check()
        elif kind in ("numeric", "short_text"):
            fieldset.locator("input[type=text]").fill(answer)
        else:  # ordering, matching: a select for each step or left item
            for choice, value in answer.items():
                fieldset.locator(f'select[data-choice="{choice}"]').select_option(str(value))


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("#quiz-submit").click()
    assert RESULT_PATH.search(path_of(page)), page.url


def verdict(page: Page):
    return page.locator(".quiz-score__verdict")


def assert_no_answer_key(page: Page, attempt: Attempt) -> None:
    """The form holds the choices, never which of them is correct."""
    html = page.content()
    assert "is_correct" not in html and "data-correct" not in html
    assert page.locator(".review-option--correct, .review-explanation").count() == 0
    assert page.locator("fieldset.question").count() == len(attempt.questions)


def test_member_takes_the_entry_test_fails_then_passes_the_final_and_completes_the_course(
    page, course
):
    entry, final = quiz_of(course, "entry"), quiz_of(course, "final")
    complete_lessons(course)
    sign_in(page, "member", DEMO_PASSWORD)

    # The counting course from My training, and its entry test from the course outline.
    page.goto("/learning/")
    with page.expect_navigation():
        page.get_by_role("link", name=COUNTING.text["kk"].title, exact=True).first.click()
    expect(page.locator("h1")).to_have_text(COUNTING.text["kk"].title)
    outline = page.locator(".course-outline-section")
    with page.expect_navigation():
        outline.get_by_role("link", name=entry.title, exact=True).click()
    expect(page.locator("h1")).to_have_text(entry.title)
    assert page.locator("html").get_attribute("lang") == "kk"

    attempt = start(page)
    assert_no_answer_key(page, attempt)
    fill_answers(page, attempt, correct_answers(attempt))
    submit(page)
    expect(verdict(page)).to_have_text(translated("kk", "Passed"))

    # The final test, answered wrongly: not passed, what to read again, two attempts left.
    page.goto("/learning/")
    with page.expect_navigation():
        page.get_by_role("link", name=COUNTING.text["kk"].title, exact=True).first.click()
    with page.expect_navigation():
        page.locator(".course-outline-section").get_by_role(
            "link", name=final.title, exact=True
        ).click()
    expect(page.locator("h1")).to_have_text(final.title)
    attempt = start(page)
    assert_no_answer_key(page, attempt)
    fill_answers(page, attempt, wrong_answers(attempt))
    submit(page)
    expect(verdict(page)).to_have_text(translated("kk", "Not passed"))
    lessons = page.locator(".quiz-remediation a")
    expect(lessons.first).to_be_visible()
    lesson_paths = {
        lesson.url_path for lesson in LessonPage.objects.descendant_of(course).only("url_path")
    }
    for href in lessons.evaluate_all("links => links.map(link => link.pathname)"):
        assert any(path.endswith(href.lstrip("/")) for path in lesson_paths), href
    expect(page.locator(".quiz-next")).to_contain_text(
        kazakh_plural("You have %(left)s attempt left.", "You have %(left)s attempts left.", 2)
    )

    # A second attempt, answered correctly: passed, and the course is completed.
    attempt = start(page)
    assert attempt.number == 2
    assert_no_answer_key(page, attempt)
    fill_answers(page, attempt, correct_answers(attempt))
    submit(page)
    expect(verdict(page)).to_have_text(translated("kk", "Passed"))
    expect(page.locator(".quiz-score .message--success")).to_have_text(
        translated("kk", "You have completed the course.")
    )

    page.goto("/learning/")
    completed = page.locator("section[aria-labelledby=completed-heading]")
    card = completed.locator(".course-card", has_text=COUNTING.text["kk"].title)
    expect(card.locator(".status--ok")).to_be_visible()
    enrollment = Enrollment.objects.for_course(course).get(user__username="member")
    assert enrollment.completed_at is not None


def test_quiz_intro_attempt_and_result_pages_have_no_wcag_violations(page, course):
    final = quiz_of(course, "final")
    complete_lessons(course)
    sign_in(page, "member", DEMO_PASSWORD)
    page.goto(final.url)
    expect(page.locator("h1")).to_have_text(final.title)
    assert_accessible(page)

    attempt = start(page)
    assert_accessible(page)

    fill_answers(page, attempt, wrong_answers(attempt))
    submit(page)
    expect(page.locator(".quiz-remediation")).to_be_visible()
    assert_accessible(page)


def tab_to(page: Page, selector: str, most: int = 60) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def answer_by_keyboard(page: Page, attempt: Attempt, answers: dict) -> None:
    """Give ``answers`` with Tab, Space, the arrow keys and typing, question by question in the
    order the page shows them."""
    kinds = {item["key"]: item["kind"] for item in attempt.questions}
    shown = page.locator("fieldset.question").evaluate_all("sets => sets.map(s => s.dataset.key)")
    for key in shown:
        inside = f'fieldset.question[data-key="{key}"]'
        kind, answer = kinds[key], answers[key]
        if kind in ("single", "true_false"):
            values = (
                question(page, key)
                .locator("input[type=radio]")
                .evaluate_all("inputs => inputs.map(i => i.value)")
            )
            tab_to(page, f"{inside} input[type=radio]")
            steps = values.index(answer)
            if steps == 0:
                page.keyboard.press("Space")
            for _ in range(steps):
                page.keyboard.press("ArrowDown")
            expect(question(page, key).locator(f'input[value="{answer}"]')).to_be_checked()
        elif kind == "multiple":
            for value in answer:
                tab_to(page, f'{inside} input[value="{value}"]')
                page.keyboard.press("Space")
                expect(question(page, key).locator(f'input[value="{value}"]')).to_be_checked()
        elif kind in ("numeric", "short_text"):
            tab_to(page, f"{inside} input[type=text]")
            page.keyboard.type(answer)
        else:
            for choice, value in answer.items():
                select = f'{inside} select[data-choice="{choice}"]'
                tab_to(page, select)
                values = (
                    page.locator(select)
                    .locator("option")
                    .evaluate_all("options => options.map(o => o.value)")
                )
                for _ in range(values.index(str(value))):
                    page.keyboard.press("ArrowDown")
                expect(page.locator(select)).to_have_value(str(value))


def test_an_attempt_can_be_taken_with_the_keyboard_alone(page, course):
    entry = quiz_of(course, "entry")
    sign_in(page, "member", DEMO_PASSWORD)
    page.goto(entry.url)

    tab_to(page, ".quiz-start button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    attempt = current_attempt(page)

    answer_by_keyboard(page, attempt, correct_answers(attempt))
    tab_to(page, "#quiz-submit")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert RESULT_PATH.search(path_of(page)), page.url
    expect(verdict(page)).to_have_text(translated("kk", "Passed"))
    attempt.refresh_from_db()
    assert attempt.percent == 100
