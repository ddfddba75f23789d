"""Young voters in the browser: a visitor finds the public course from the home page, reads its
first lesson, signs up on a phone, confirms the emailed link and earns the civic education
certificate, in Kazakh and in Russian; a minor's legal representative consents at the emailed link
before the minor may start the test; a club's coordinator sees their club and nothing outside it;
a learner downloads their data and deletes their account.

The emails are read from ``django.core.mail.outbox``: the live server runs in the test process.
The demo's public course "Your first vote" ends with a required final test drawn from the
demo's civic-education questions.
"""

import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from wagtail.models import Locale

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import Language, User
from certificates.models import Certificate
from commissions.demo import DEMO_PASSWORD
from commissions.models import Commission
from courses.demo import FIRST_VOTE
from courses.models import CoursePage, LessonPage
from quizzes.models import QuizPage
from tests.factories import UserFactory, correct_answers
from youth.demo import CLUB, COORDINATOR, DISTRICT
from youth.forms.signup import FORM_MIN_SECONDS
from youth.models import LearnerProfile
from youth.regions import Region

from .steps import PASSWORD, PREFIX, html_lang, path_of, sign_in, translated
from .test_courses import go_to_next_lesson, load_demo, mark_complete
from .test_quizzes import fill_answers, start, submit, verdict

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/work/shots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TOOLS = ("pdftotext", "pdftoppm", "zbarimg")
THIS_YEAR = timezone.localdate().year
LEARNER_PASSWORD = "Saylau-kitap-2026"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/\S*?youth/sign-up/confirm/\S+/)")
CONSENT_LINK = re.compile(r"https?://[^/\s]+(/\S*?youth/consent/\S+/)")
LEARNERS = {
    "kk": ("Әлия Қасымқызы Нұрланова", "aliya.kasymkyzy@example.kz"),
    "ru": ("Ольга Сергеевна Петрова", "olga.petrova@example.kz"),
}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with fresh sign-up limits: they count per address, and every request
    here comes from 127.0.0.1."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(home_page) -> CoursePage:
    """The demo's public course, with its final test in Kazakh and Russian."""
    load_demo()
    course = CoursePage.objects.get(slug=FIRST_VOTE.slug, locale__language_code="kk")
    assert QuizPage.objects.child_of(course).filter(kind=QuizPage.Kind.FINAL).exists()
    assert course.certificate_template_id is not None
    return course


@pytest.fixture
def verify_base_url(settings, live_server) -> str:
    """The address printed on certificates is the live server's (it runs in this process)."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def new_visitor(browser: Browser, browser_context_args):
    """A browser of someone else's, with no cookies of the learner's."""
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=30).stdout


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def go(page: Page, locator) -> None:
    """Follow a link or press a button, and wait for the next page."""
    with page.expect_navigation():
        locator.click()


def translation_of(page, language: str):
    return page.get_translation(Locale.objects.get(language_code=language)).specific


def final_test(course: CoursePage, language: str) -> QuizPage:
    return translation_of(QuizPage.objects.child_of(course).get(kind=QuizPage.Kind.FINAL), language)


def link_in(message: mail.EmailMessage, pattern: re.Pattern) -> str:
    """The path of the link ``pattern`` finds in an email's text."""
    match = pattern.search(message.body)
    assert match, message.body
    return match.group(1)


def emails_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def fill_sign_up(
    page: Page,
    *,
    full_name: str,
    email: str,
    year_of_birth: int,
    representative: tuple[str, str] | None = None,
) -> None:
    """Fill the sign-up form as a person does, and send it once a person could have."""
    shown_at = time.monotonic()
    page.locator("#id_full_name").fill(full_name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(LEARNER_PASSWORD)
    page.locator("#id_year_of_birth").fill(str(year_of_birth))
    if representative:
        page.locator("#id_representative_name").fill(representative[0])
        page.locator("#id_representative_email").fill(representative[1])
    page.locator("#id_region").select_option(Region.ALMATY)
    page.locator("#id_school").fill("№ 12 мектеп-гимназия")
    page.locator("#id_consent").check()
    time.sleep(max(0.0, FORM_MIN_SECONDS + 0.5 - (time.monotonic() - shown_at)))
    go(page, page.locator("main form button[type=submit]").last)


def confirm_email(page: Page, email: str, language: str, *, lands_on: str = "/learning/") -> None:
    """Open the emailed link and confirm: the learner is signed in, in their language, on the
    page they signed up from (else "My training")."""
    (message,) = emails_to(email)
    page.goto(link_in(message, CONFIRM_LINK))
    go(page, page.get_by_role("button", name=translated(language, "Confirm and sign in")))
    assert path_of(page) == f"{PREFIX[language]}{lands_on}", page.url
    assert html_lang(page) == language


def complete_every_lesson(page: Page, course: CoursePage, language: str) -> None:
    """From the course page, joined: mark each lesson complete, in order."""
    shown = translation_of(course, language)
    lessons = list(LessonPage.objects.live().descendant_of(shown).order_by("path"))
    go(page, page.locator(".course-status a.button"))
    for number, lesson in enumerate(lessons, start=1):
        expect(page.locator("h1")).to_have_text(lesson.title)
        mark_complete(page, language)
        if number < len(lessons):
            go_to_next_lesson(page)
    expect(page.locator(".outline__lesson--done")).to_have_count(len(lessons))


def open_final_test(page: Page, course: CoursePage, language: str) -> QuizPage:
    final = final_test(course, language)
    go(page, page.locator(".course-outline").get_by_role("link", name=final.title, exact=True))
    expect(page.locator("h1")).to_have_text(final.title)
    return final


# 1. The journey of a young voter on a phone -------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_visitor_finds_the_public_course_signs_up_on_a_phone_and_earns_the_certificate(
    new_context, course, verify_base_url, tmp_path, language
):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"No {', '.join(missing)}: install poppler-utils and zbar-tools.")
    full_name, email = LEARNERS[language]
    shown = translation_of(course, language)
    lessons = list(LessonPage.objects.live().descendant_of(shown).order_by("path"))
    page = new_context(**PHONE).new_page()

    # The home page leads to the catalogue, the catalogue to the public course.
    page.goto(f"{PREFIX[language]}/")
    go(page, page.locator("main a.home-catalogue"))
    assert html_lang(page) == language
    go(page, page.locator(".course-cards").get_by_role("link", name=shown.title, exact=True))
    expect(page.locator("h1")).to_have_text(shown.title)
    screenshot(page, f"youth-{language}-course-visitor")

    # The first lesson is open; the next one asks for a sign-in, with the way to sign up.
    go(page, page.locator(".course-status a.button"))
    expect(page.locator("h1")).to_have_text(lessons[0].title)
    expect(page.locator(".complete-form")).to_have_count(0)
    sign_up_path = f"{PREFIX[language]}/youth/sign-up/"
    call = page.locator(".lesson-progress .sign-up-call .sign-up-call__sign-up")
    href = call.get_attribute("href")
    assert href.startswith(f"{sign_up_path}?next="), href
    page.goto(final_test(course, language).url)
    assert path_of(page).startswith(f"{PREFIX[language]}/accounts/sign-in/"), page.url
    page.goto(lessons[0].url)
    go_to_next_lesson(page)
    assert path_of(page).startswith(f"{PREFIX[language]}/accounts/sign-in/"), page.url
    expect(page.locator("h1")).to_have_text(translated(language, "Sign in"))
    expect(page.locator(f'main a[href="{sign_up_path}"]')).to_have_count(1)

    # Back on the first lesson, the call to sign up, which brings them back to it.
    page.goto(lessons[0].url)
    go(page, call)

    # The sign-up form, sent after a person's pause: "check your email".
    expect(page.locator("h1")).to_have_text(translated(language, "Sign up"))
    expect(page.locator("#id_preferred_language")).to_have_value(language)
    fill_sign_up(page, full_name=full_name, email=email, year_of_birth=THIS_YEAR - 22)
    assert path_of(page) == f"{PREFIX[language]}/youth/sign-up/sent/", page.url
    expect(page.locator("h1")).to_have_text(translated(language, "Check your email"))
    expect(page.locator("main")).to_contain_text(email)
    learner = User.objects.get(email=email)
    assert not learner.is_active and learner.preferred_language == language

    # The emailed link, confirmed: signed in, in their language, back on the first lesson.
    first_lesson_path = urlsplit(lessons[0].url).path.removeprefix(PREFIX[language])
    confirm_email(page, email, language, lands_on=first_lesson_path)
    expect(page.locator(".messages")).to_contain_text(
        translated(language, "Your email is confirmed. Welcome to Saylau Academy!")
    )

    # The course joined, every lesson read, the final test passed with the right answers.
    page.goto(shown.url)
    go(page, page.locator("form.join-form button"))
    complete_every_lesson(page, course, language)
    open_final_test(page, course, language)
    attempt = start(page, language)
    fill_answers(page, attempt, correct_answers(attempt))
    submit(page)
    expect(verdict(page)).to_have_text(translated(language, "Passed"))

    # "My training": the certificate and its PDF, with the name, the number and the QR code.
    certificate = Certificate.objects.get(learner=learner, course_key=course.translation_key)
    page.goto(f"{PREFIX[language]}/learning/")
    card = page.locator(".course-card", has_text=shown.title).filter(
        has=page.locator(".certificate")
    )
    shown_certificate = card.locator(".certificate")
    expect(shown_certificate).to_contain_text(certificate.number)
    link = shown_certificate.locator("a.certificate__download")
    screenshot(page, f"youth-{language}-my-training")
    with page.expect_download() as waiting:
        link.click()
    pdf = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(pdf)
    text = " ".join(run("pdftotext", str(pdf), "-").split())
    assert full_name in text, text
    assert certificate.number in text, text
    run("pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(tmp_path / "certificate"))
    decoded = run("zbarimg", "--raw", "-q", str(tmp_path / "certificate.png")).strip()
    assert decoded == f"{verify_base_url}/certificates/verify/{certificate.code}/", decoded


# 2. A minor and their legal representative --------------------------------------------------------


def test_a_minor_starts_the_test_only_once_the_representative_consents_at_the_link(
    page, course, new_visitor
):
    full_name, email = "Айгерім Болатқызы Серікова", "aigerim.serikova@example.kz"
    representative = ("Болат Серікұлы Серіков", "bolat.serikov@example.kz")
    page.goto("/youth/sign-up/")
    fill_sign_up(
        page,
        full_name=full_name,
        email=email,
        year_of_birth=THIS_YEAR - 15,
        representative=representative,
    )
    expect(page.locator("h1")).to_have_text(translated("kk", "Check your email"))
    assert emails_to(representative[1]) == [], "the representative is asked once email is confirmed"
    confirm_email(page, email, "kk")
    expect(page.locator(".messages")).to_contain_text(representative[1])

    # The quiz page refuses, with the reason and no start button.
    final = final_test(course, "kk")
    page.goto(final.url)
    expect(page.locator("h1")).to_have_text(final.title)
    expect(page.locator("main .message--warning")).to_contain_text(
        translated(
            "kk",
            "You can read the lessons, but tests and certificates wait for your legal "
            "representative's consent. You can send them the link again from your profile.",
        )
    )
    expect(page.locator("form.quiz-start")).to_have_count(0)
    screenshot(page, "youth-minor-quiz-refused")

    # The representative, on their own device, not signed in: the link from their email.
    (request_email,) = emails_to(representative[1])
    consent_path = link_in(request_email, CONSENT_LINK)
    parent = new_visitor()
    parent.goto(consent_path)
    expect(parent.locator("h1")).to_have_text(translated("kk", "Consent for a minor's training"))
    expect(parent.locator(".guardian-page dl.details dd").first).to_have_text(full_name)
    parent.locator(".guardian-confirm input[type=checkbox]").check()
    go(parent, parent.get_by_role("button", name=translated("kk", "Confirm the consent")))
    expect(parent.locator("h1")).to_have_text(translated("kk", "Consent recorded"))
    screenshot(parent, "youth-guardian-confirmed")

    # The learner reloads the quiz page and starts the test.
    page.reload()
    expect(page.locator("main .message--warning")).to_have_count(0)
    start(page)

    # The used link, opened by anyone: already confirmed, and the learner's full name not shown.
    stranger = new_visitor()
    response = stranger.goto(consent_path)
    assert response.status == 200
    expect(stranger.locator("h1")).to_have_text(translated("kk", "This link was already used"))
    assert full_name not in stranger.content()
    assert full_name.split()[0] in stranger.locator("main").inner_text()


# 3. A club's coordinator --------------------------------------------------------------------------


def test_a_coordinator_sees_their_club_and_is_refused_another_branch(page, course):
    club = Commission.objects.get(code=CLUB["code"])
    sign_in(page, COORDINATOR["username"], DEMO_PASSWORD)

    page.goto("/reports/")
    go(page, page.locator("#civic").get_by_role("link", name=club.name_kk, exact=True))
    assert path_of(page) == f"/reports/{club.code}/civic/"
    members = page.locator("#members")
    for username in ("youth", "youth-aruzhan", "youth-minor"):
        expect(members).to_contain_text(User.objects.get(username=username).full_name)
    outside = User.objects.get(username="youth-daniyar")  # lives in Astana, not in the club
    expect(members).not_to_contain_text(outside.full_name)

    for code in (DISTRICT, Commission.objects.get(depth=1).code):
        response = page.goto(f"/reports/{code}/civic/")
        assert response.status == 403, f"{code} answered {response.status}"
        expect(page.locator("h1")).to_have_text(translated("kk", "Not in your branch"))
        expect(page.locator("main")).not_to_contain_text(outside.full_name)


# 4. A learner's own data --------------------------------------------------------------------------


def test_a_learner_downloads_their_data_and_deletes_the_account(page, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.fail("No pdftotext: install poppler-utils.")
    learner = UserFactory(
        username="dana.young",
        email="dana.young@example.kz",
        full_name="Дана Ерланқызы Жақсылықова",
        year_of_birth=THIS_YEAR - 20,
        preferred_language=Language.KAZAKH,
    )
    LearnerProfile.objects.create(
        user=learner, region=Region.ASTANA, school="Назарбаев университеті"
    )
    sign_in(page, learner.email, PASSWORD)
    page.goto("/accounts/my-data/")
    expect(page.locator("h1")).to_have_text(translated("kk", "Your data and account"))

    with page.expect_download() as waiting:
        page.get_by_role("link", name=translated("kk", "Download as JSON")).click()
    data = json.loads(Path(waiting.value.path()).read_text(encoding="utf-8"))
    assert learner.email in json.dumps(data, ensure_ascii=False)
    assert "Назарбаев университеті" in json.dumps(data, ensure_ascii=False)

    with page.expect_download() as waiting:
        page.get_by_role("link", name=translated("kk", "Download as PDF")).click()
    pdf = tmp_path / "my-data.pdf"
    waiting.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert learner.full_name in " ".join(run("pdftotext", str(pdf), "-").split())

    # A wrong password deletes nothing; the right one deletes and signs out.
    go(page, page.locator("main a.button", has_text=translated("kk", "Delete my account")))
    page.locator("#id_password").fill("not the password")
    go(page, page.locator("main form button[type=submit]"))
    expect(page.locator("main")).to_contain_text(
        translated("kk", "This is not your current password. Nothing was changed.")
    )
    learner.refresh_from_db()
    assert learner.email == "dana.young@example.kz"
    page.locator("#id_password").fill(PASSWORD)
    go(page, page.locator("main form button[type=submit]"))
    assert path_of(page) == "/", page.url
    expect(page.locator(".messages")).to_contain_text(
        translated(
            "kk", "Your account is deleted. Your name and contact details are no longer held."
        )
    )
    expect(page.locator(".site-nav")).to_contain_text(translated("kk", "Sign in"))

    for identifier in ("dana.young@example.kz", "dana.young"):
        sign_in(page, identifier, PASSWORD)
        assert path_of(page).startswith("/accounts/sign-in/"), page.url
        expect(page.locator("main [role=alert]")).to_be_visible()
