"""A member earns a certificate in the browser, in Kazakh: every lesson of the counting course
marked complete and its final test passed; "My training" then shows the certificate with its
number, its status and the PDF. The downloaded PDF names the holder and the number, and its QR
code leads to the public check page, which says the certificate is valid and shows the holder's
name and the course, nothing else about them. Another learner who guesses the PDF's address gets
the same 404 as for a certificate that does not exist.

The PDF is rendered by the Celery task that completing the course enqueues (eager in the tests),
so it exists by the time "My training" is shown.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from certificates.models import Certificate
from commissions.demo import DEMO_PASSWORD
from commissions.demo.tree import FIRST_PRECINCT
from commissions.models import Commission
from courses.demo.counting import COUNTING
from courses.models import CoursePage, LessonPage
from quizzes.demo import COURSE_SLUG
from tests.factories import correct_answers

from .steps import html_lang, path_of, sign_in, translated
from .test_courses import go_to_next_lesson, load_demo, mark_complete
from .test_quizzes import fill_answers, quiz_of, start, submit, verdict

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/work/shots")
NUMBER = re.compile(r"^KZ-\d{4}-\d{6}$")
TOOLS = ("pdftotext", "pdftoppm", "zbarimg")
# The details the public check page shows, in this order: nothing else about the holder.
VERIFY_DETAILS = ["Holder", "Course", "Election event", "Issued on", "Valid until"]


@pytest.fixture
def course(home_page) -> CoursePage:
    load_demo()
    return CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="kk")


@pytest.fixture
def verify_base_url(settings, live_server) -> str:
    """The address printed on certificates (and in their QR codes) is the live server's: it runs
    in this process, so it reads the overridden setting too."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def new_visitor(browser: Browser, browser_context_args):
    """A browser of someone else's, with no cookies of the member's."""
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def run(*command: str) -> str:
    """A command-line tool's output."""
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=30).stdout


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def complete_every_lesson(page: Page, course: CoursePage) -> None:
    """From the course page: start the course and mark each lesson complete, in order."""
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    with page.expect_navigation():
        page.locator(".course-status a.button").click()
    for number, lesson in enumerate(lessons, start=1):
        expect(page.locator("h1")).to_have_text(lesson.title)
        mark_complete(page, "kk")
        if number < len(lessons):
            go_to_next_lesson(page)
    expect(page.locator(".outline__lesson--done")).to_have_count(len(lessons))


def pass_the_final_test(page: Page, course: CoursePage) -> None:
    final = quiz_of(course, "final")
    with page.expect_navigation():
        page.locator(".course-outline").get_by_role("link", name=final.title, exact=True).click()
    expect(page.locator("h1")).to_have_text(final.title)
    attempt = start(page)
    fill_answers(page, attempt, correct_answers(attempt))
    submit(page)
    expect(verdict(page)).to_have_text(translated("kk", "Passed"))
    expect(page.locator(".quiz-score .message--success")).to_have_text(
        translated("kk", "You have completed the course.")
    )


def test_member_completes_the_course_and_downloads_a_certificate_anyone_can_check(
    page, course, verify_base_url, new_visitor, tmp_path
):
    assert course.certificate_template_id is not None
    # A missing tool fails the test instead of skipping it, as a missing browser does.
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"No {', '.join(missing)}: install poppler-utils and zbar-tools.")
    member = User.objects.get(username="member")
    title = COUNTING.text["kk"].title

    # The course from "My training": every lesson, then the final test with the right answers.
    sign_in(page, "member", DEMO_PASSWORD)
    page.goto("/learning/")
    with page.expect_navigation():
        page.get_by_role("link", name=title, exact=True).first.click()
    expect(page.locator("h1")).to_have_text(title)
    complete_every_lesson(page, course)
    pass_the_final_test(page, course)

    # "My training": the completed course with its certificate, valid, and the PDF's link.
    certificate = Certificate.objects.get(learner=member, course_key=course.translation_key)
    assert NUMBER.match(certificate.number), certificate.number
    page.goto("/learning/")
    assert html_lang(page) == "kk"
    card = page.locator("section[aria-labelledby=completed-heading] .course-card", has_text=title)
    shown = card.locator(".certificate")
    expect(shown).to_contain_text(f"{translated('kk', 'Certificate')} {certificate.number}")
    expect(shown.locator(".certificate__status")).to_have_text(translated("kk", "Valid"))
    link = shown.locator("a.certificate__download")
    expect(link).to_contain_text(translated("kk", "Download the certificate (PDF)"))
    download_path = f"/certificates/{certificate.pk}/pdf/"
    assert link.get_attribute("href") == download_path
    shown.scroll_into_view_if_needed()
    screenshot(page, "my-training-certificate")

    # The PDF, through the browser: the holder's name and the number, and a QR code that leads
    # to the check page on this server.
    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = " ".join(run("pdftotext", str(pdf), "-").split())
    assert member.full_name in text, text
    assert certificate.number in text, text
    run("pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(tmp_path / "certificate"))
    decoded = run("zbarimg", "--raw", "-q", str(tmp_path / "certificate.png")).strip()
    assert decoded == f"{verify_base_url}/certificates/verify/{certificate.code}/", decoded

    # The QR code's address, opened by someone who is not signed in: valid, the holder's name
    # and the course, and nothing else about the holder.
    visitor = new_visitor()
    response = visitor.goto(decoded)
    assert response.status == 200, f"{decoded} answered {response.status}"
    assert html_lang(visitor) == "kk"
    expect(visitor.locator("h1")).to_have_text(translated("kk", "Check a certificate"))
    status = visitor.locator(".certificate-status")
    expect(status).to_have_attribute("data-status", "valid")
    expect(status.locator("strong")).to_have_text(translated("kk", "Valid"))
    details = visitor.locator("section[aria-labelledby=result-heading] dl.details")
    expect(details.locator("dt")).to_have_text(
        [translated("kk", label) for label in VERIFY_DETAILS]
    )
    expect(details.locator("dd").nth(0)).to_have_text(member.full_name)
    expect(details.locator("dd").nth(1)).to_have_text(title)
    precinct = Commission.objects.get(code=FIRST_PRECINCT)
    shown_text = visitor.locator("body").inner_text()
    html = visitor.content()
    for personal in (
        member.email,
        member.phone,
        member.phone.lstrip("+"),
        precinct.code,
        precinct.name_kk,
    ):
        assert personal and personal not in shown_text and personal not in html, personal
    screenshot(visitor, "verify-valid")

    # Another learner, signed in, who guesses the PDF's address: the 404 of a missing one.
    other = new_visitor()
    sign_in(other, "youth", DEMO_PASSWORD)
    assert path_of(other) != "/accounts/sign-in/"
    response = other.goto(download_path)
    assert response.status == 404, f"{download_path} answered {response.status}"
    assert "%PDF" not in other.content()
