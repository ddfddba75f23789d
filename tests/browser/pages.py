"""The pages every site-wide browser check visits: the accessibility scan and the check that
nothing loads from another server. A new page joins both checks with one entry in ``PAGES``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from playwright.sync_api import Page, expect

from accounts.models import Language, User
from commissions.models import Commission, Position
from courses.models import CoursePage
from reports.models import EXPORT_LIFETIME, ExportFormat, ReportExport
from tests.factories import (
    CommissionFactory,
    CourseTree,
    ManagerRoleFactory,
    MembershipFactory,
    UserFactory,
)
from tests.reports.conftest import Picture
from youth.forms.signup import FORM_MIN_SECONDS
from youth.regions import Region
from youth.services.consent import guardian_consent_request
from youth.services.signup import learner_sign_up

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


# Young voters' pages ---------------------------------------------------------------------------

EMAILED_LINK = re.compile(r"https?://[^/\s]+(/\S+/)")


def _public_course(branch: Branch) -> CoursePage:
    """A public course of two modules in the Kazakh catalogue, built once per test."""
    course = getattr(branch, "public_course", None)
    if course is None:
        course = branch.public_course = CourseTree.build(
            modules=2, lessons=2, is_public=True, title="Сенің алғашқы дауысың"
        )
    return course


def _as_visitor(path: Callable[[Branch], str]) -> Callable[[Page, Branch], None]:
    def visit(page: Page, branch: Branch) -> None:
        _open(path(branch))(page, branch)

    return visit


def _emailed_path(to: str) -> str:
    """The path of the link in the latest email to ``to``."""
    message = [message for message in mail.outbox if to in message.to][-1]
    return EMAILED_LINK.search(message.body).group(1)


def _sign_up_form(page: Page, branch: Branch) -> None:
    """The sign-up form in front of a visitor; its limits count per address and every request
    here comes from 127.0.0.1, so each visit starts with fresh ones."""
    cache.clear()
    _open("/youth/sign-up/")(page, branch)


def _sign_up_with_errors(page: Page, branch: Branch) -> None:
    _sign_up_form(page, branch)
    page.locator("#id_email").fill("not an email")
    page.locator("#id_year_of_birth").fill(str(timezone.localdate().year - 15))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()


def _sign_up_sent(page: Page, branch: Branch) -> None:
    """ "Check your email", after a sign-up sent at a person's pace."""
    _sign_up_form(page, branch)
    page.locator("#id_full_name").fill("Арман Болатұлы Сейітов")
    page.locator("#id_email").fill(f"arman.{User.objects.count()}@example.kz")
    page.locator("#id_password").fill("Saylau-kitap-2026")
    page.locator("#id_year_of_birth").fill(str(timezone.localdate().year - 20))
    page.locator("#id_region").select_option(Region.ASTANA)
    page.locator("#id_consent").check()
    page.wait_for_timeout((FORM_MIN_SECONDS + 0.5) * 1000)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/youth/sign-up/sent/$"))


def _sign_up_confirm(page: Page, branch: Branch) -> None:
    """The page the confirmation link opens, with its button."""
    email = f"zhanna.{User.objects.count()}@example.kz"
    learner_sign_up(
        full_name="Жанна Серікқызы Әбенова",
        email=email,
        password="Saylau-kitap-2026",
        year_of_birth=timezone.localdate().year - 19,
        region=Region.ALMATY,
        preferred_language=Language.KAZAKH,
    )
    _open(_emailed_path(email))(page, branch)
    expect(page.locator("main form button[type=submit]")).to_be_visible()


def _guardian_consent(page: Page, branch: Branch) -> None:
    """The legal representative's page at the emailed link, waiting for their confirmation."""
    minor = UserFactory(
        full_name="Айгерім Болатқызы Серікова",
        year_of_birth=timezone.localdate().year - 15,
    )
    email = f"parent.{minor.pk}@example.kz"
    guardian_consent_request(
        learner=minor, representative_name="Болат Серікұлы Серіков", representative_email=email
    )
    _open(_emailed_path(email))(page, branch)
    expect(page.locator(".guardian-confirm")).to_be_visible()


def _my_data(page: Page, branch: Branch) -> None:
    sign_in(page, branch.member.username)
    _open("/accounts/my-data/")(page, branch)


def _club_for_coordinator(page: Page, branch: Branch) -> None:
    """A young voters' club under the district, its coordinator and two members, on the
    coordinator's club page."""
    club = CommissionFactory.child(
        branch.district,
        Commission.Level.CLUB,
        name_kk="Жас сайлаушылар клубы «Іле жастары»",
        name_ru="Клуб молодых избирателей «Молодёжь Или»",
        name_en="Young Voters' Club “Ili Youth”",
    )
    coordinator = UserFactory(full_name="Салтанат Маратқызы Иманбаева")
    ManagerRoleFactory(user=coordinator, commission=club)
    for name in ("Аружан Серікқызы Оспанова", "Данияр Асқарұлы Жұмабаев"):
        MembershipFactory(commission=club, position=Position.CLUB_MEMBER, user__full_name=name)
    _public_course(branch)
    sign_in(page, coordinator.username)
    _open(f"/reports/{club.code}/civic/")(page, branch)
    expect(page.locator("#members tbody tr")).to_have_count(2)


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
    "youth-catalogue": _as_visitor(lambda branch: _public_course(branch).get_parent().url),
    "youth-public-course": _as_visitor(lambda branch: _public_course(branch).url),
    "youth-first-lesson": _as_visitor(
        lambda branch: CourseTree.lessons(_public_course(branch))[0].url
    ),
    "youth-sign-up": _sign_up_form,
    "youth-sign-up-with-errors": _sign_up_with_errors,
    "youth-sign-up-sent": _sign_up_sent,
    "youth-sign-up-confirm": _sign_up_confirm,
    "youth-guardian-consent": _guardian_consent,
    "my-data": _my_data,
    "youth-club-coordinator": _club_for_coordinator,
}
