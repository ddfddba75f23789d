"""The pages every site-wide browser check visits: the accessibility scan and the check that
nothing loads from another server. A new page joins both checks with one entry in ``PAGES``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

from .steps import PASSWORD, sign_in, translated

if TYPE_CHECKING:
    from .conftest import Branch


def _open(path: str, status: int = 200) -> Callable[[Page, Branch], None]:
    def visit(page: Page, branch: Branch) -> None:
        response = page.goto(path)
        assert response.status == status, f"{path} answered {response.status}"

    return visit


def _sign_in_with_error(page: Page, branch: Branch) -> None:
    sign_in(page, branch.member.username, "not the password")
    expect(page.locator("main [role=alert]")).to_be_visible()


def _profile(page: Page, branch: Branch) -> None:
    sign_in(page, branch.member.username)
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))


def _as_manager(path: Callable[[Branch], str]) -> Callable[[Page, Branch], None]:
    def visit(page: Page, branch: Branch) -> None:
        sign_in(page, branch.manager.username, PASSWORD)
        response = page.goto(path(branch))
        assert response.status == 200, f"{path(branch)} answered {response.status}"

    return visit


def _locked_out(page: Page, branch: Branch) -> None:
    for _ in range(5):
        sign_in(page, branch.member.username, "not the password")
    expect(page.locator("h1")).to_have_text(translated("kk", "Too many attempts"))


VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}

PAGES: dict[str, Callable[[Page, Branch], None]] = {
    "home-kk": _open("/"),
    "home-ru": _open("/ru/"),
    "home-en": _open("/en/"),
    "sign-in": _open("/accounts/sign-in/"),
    "sign-in-with-error": _sign_in_with_error,
    "profile": _profile,
    "password-reset": _open("/accounts/password/reset/"),
    "my-branch": _as_manager(lambda branch: "/commissions/"),
    "commission-detail": _as_manager(lambda branch: f"/commissions/{branch.precinct.code}/"),
    "member-detail": _as_manager(lambda branch: f"/commissions/members/{branch.member.pk}/"),
    "locked-out": _locked_out,
    "not-found": _open("/no-such-page/", status=404),
}
