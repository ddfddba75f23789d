"""What a person does in the browser, in the words of the tests.

Assertions on interface text go through ``translated`` so that they hold before and after the
translation catalogues are compiled: today a Russian page still says "Sign in", later "Войти".
"""

from django.utils import translation

from playwright.sync_api import Page

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's password
PREFIX = {"kk": "", "ru": "/ru", "en": "/en"}  # Kazakh lives at unprefixed addresses


def translated(language: str, message: str) -> str:
    """``message`` as the site shows it in ``language``."""
    with translation.override(language):
        return translation.gettext(message)


def sign_in(page: Page, identifier: str, password: str = PASSWORD, language: str = "kk") -> None:
    """Fill the sign-in form in ``language`` and send it."""
    page.goto(f"{PREFIX[language]}/accounts/sign-in/")
    page.locator("#id_username").fill(identifier)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator(".site-nav form button[type=submit]").click()


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang")


def path_of(page: Page) -> str:
    """The address of the page without scheme and host."""
    return "/" + page.url.split("/", 3)[3]
