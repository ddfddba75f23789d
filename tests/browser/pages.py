"""The pages every site-wide browser check visits: the accessibility scan and the check that
nothing loads from another server. A new page joins both checks with one entry in ``PAGES``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import timezone

from playwright.sync_api import Page, expect

from commissions.models import Commission
from reports.models import EXPORT_LIFETIME, ExportFormat, ReportExport
from tests.reports.conftest import Picture

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


def _readiness_picture(branch: Branch) -> Picture:
    """The hand-built readiness picture of ``tests/reports`` on the branch's tree, built once per
    test: the check for requests to other hosts visits every page in one test."""
    picture = getattr(branch, "readiness_picture", None)
    if picture is None:
        central = branch.district.get_root()
        tree: dict[str, Commission] = {"central": central}
        for o, oblast in enumerate(central.get_children(), start=1):
            tree[f"oblast{o}"] = oblast
            for district in oblast.get_children():
                tree[f"district{o}"] = district
                for p, precinct in enumerate(district.get_children(), start=1):
                    tree[f"precinct{o}{p}"] = precinct
        picture = branch.readiness_picture = Picture(tree)
    return picture


def _readiness(commission: Callable[[Branch], Commission]) -> Callable[[Page, Branch], None]:
    """The manager's dashboard of ``commission`` for the picture's event, with its numbers."""

    def visit(page: Page, branch: Branch) -> None:
        event = _readiness_picture(branch).event
        _as_manager(lambda branch: f"/reports/{commission(branch).code}/{event.pk}/")(page, branch)
        expect(page.locator("#totals dd").first).to_be_visible()

    return visit


def _prepared_files(page: Page, branch: Branch) -> None:
    """The page "My prepared files" with a file ready to download and one that failed."""
    event = _readiness_picture(branch).event
    if not ReportExport.objects.filter(requested_by=branch.manager).exists():
        now = timezone.now()
        common = {"requested_by": branch.manager, "event": event, "language": "kk"}
        ReportExport.objects.create(
            **common,
            commission=branch.district,
            format=ExportFormat.XLSX,
            state=ReportExport.State.READY,
            file=f"report-exports/1-readiness-{branch.district.code}.xlsx",
            total=6,
            done=6,
            size=8_000,
            finished_at=now,
            expires_at=now + EXPORT_LIFETIME,
        )
        ReportExport.objects.create(
            **common,
            commission=branch.precinct,
            format=ExportFormat.CSV,
            state=ReportExport.State.FAILED,
            total=4,
            done=2,
            error="OSError: disk full",
            finished_at=now,
        )
    _as_manager(lambda branch: "/reports/exports/")(page, branch)
    expect(page.locator("#exports tbody tr")).to_have_count(2)


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
    "readiness-district": _readiness(lambda branch: branch.district),
    "readiness-precinct": _readiness(lambda branch: branch.precinct),
    "prepared-files": _prepared_files,
    "locked-out": _locked_out,
    "not-found": _open("/no-such-page/", status=404),
}
