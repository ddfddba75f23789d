"""A district manager walks their own branch and is refused outside it."""

from playwright.sync_api import expect

from .steps import sign_in, translated


def test_district_manager_drills_from_branch_to_member(page, branch):
    sign_in(page, "manager")

    with page.expect_navigation():
        page.locator(".site-nav a[href='/commissions/']").click()
    expect(page.locator("h1")).to_have_text(translated("kk", "My branch"))

    with page.expect_navigation():
        page.locator(f"main a[href='/commissions/{branch.district.code}/']").click()
    expect(page.locator("h1")).to_have_text(branch.district.name_kk)

    with page.expect_navigation():
        page.locator(f"main a[href='/commissions/{branch.precinct.code}/']").click()
    expect(page.locator("h1")).to_have_text(branch.precinct.name_kk)

    with page.expect_navigation():
        page.locator("main table a", has_text=branch.member.full_name).click()
    expect(page.locator("h1")).to_have_text(branch.member.full_name)
    expect(page.locator("main")).to_contain_text(branch.member.email)


def test_member_of_another_branch_is_refused(page, branch):
    sign_in(page, "manager")

    response = page.goto(f"/commissions/members/{branch.outsider.pk}/")

    assert response.status == 403
    expect(page.locator("h1")).to_have_text(translated("kk", "Not in your branch"))
    expect(page.locator("main")).not_to_contain_text(branch.outsider.full_name)
    expect(page.locator("main")).not_to_contain_text(branch.outsider.email)
