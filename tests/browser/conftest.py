"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Nothing is downloaded: the browser is the system one, and a missing browser fails the run
instead of skipping it, so that a broken CI image cannot pass silently.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from accounts.models import User
from cms.models import HomePage
from commissions.models import Commission
from tests.conftest import site_content_restore
from tests.factories import ManagerRoleFactory, MembershipFactory, UserFactory

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser, so it carries the ``browser`` marker."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"No chromium at {CHROMIUM}: install Debian's chromium package.")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


# pytest-playwright's fixtures from ``playwright`` up to ``browser`` are session-wide; here they
# live only while this folder's tests run. Playwright's sync API keeps an asyncio loop running in
# the test thread, which Django's async-safety check takes for async code using the ORM. The check
# is relaxed for exactly that long, so that neither the tests that run afterwards nor the
# processes they start (``manage.py check --deploy``, a Celery worker) inherit the setting.


@pytest.fixture(scope="package")
def playwright():
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        yield playwright
        playwright.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type, browser_type_launch_args):
    return lambda **options: browser_type.launch(**{**browser_type_launch_args, **options})


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(base_url):
    return {"base_url": base_url}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative addresses in ``page.goto`` go to the live server."""
    return live_server.url


@pytest.fixture(autouse=True)
def home_page(transactional_db) -> HomePage:
    """The content locales, home page and site as a fresh install has them (cms migration 0002).

    The live server needs real transactions, and the database is emptied after each such test,
    taking the migrated content with it. (Django's serialized rollback cannot put it back here:
    once Playwright's event loop runs, the ORM in the test thread uses a new connection object,
    not the one the serialized copy was stored on.)
    """
    return site_content_restore()


@dataclass
class Branch:
    """A district manager, a member inside their branch and one outside it."""

    district: Commission
    precinct: Commission
    manager: User
    member: User
    outsider: User


@pytest.fixture
def member(db):
    """A precinct commission member who reads Kazakh."""
    return UserFactory(username="aliya", email="aliya@example.kz", full_name="Әлия Сәрсенбаева")


@pytest.fixture
def branch(tree):
    district, precinct = tree["district1"], tree["precinct11"]
    manager = UserFactory(username="manager", full_name="Бауыржан Оспанов")
    ManagerRoleFactory(user=manager, commission=district)
    member = MembershipFactory(
        commission=precinct, user__username="aliya", user__full_name="Әлия Сәрсенбаева"
    ).user
    outsider = MembershipFactory(
        commission=tree["precinct21"], user__username="dana", user__full_name="Дана Жұмабаева"
    ).user
    return Branch(district, precinct, manager, member, outsider)
