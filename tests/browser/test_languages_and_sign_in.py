"""A member finds their language, signs in and out; wrong passwords are refused and throttled."""

import re

from playwright.sync_api import expect

from .steps import PASSWORD, html_lang, path_of, sign_in, sign_out, translated


def test_language_switch_moves_between_kazakh_russian_and_english(page):
    page.goto("/")
    assert html_lang(page) == "kk"
    switch = page.locator(".language-switch")

    for language, prefix in [("ru", "/ru/"), ("en", "/en/"), ("kk", "/")]:
        with page.expect_navigation():
            switch.locator(f"a[hreflang={language}]").click()
        assert html_lang(page) == language
        assert path_of(page) == prefix
        expect(switch.locator("[aria-current]")).to_have_attribute("lang", language)
        sign_in_link = page.locator(f'.site-nav a[href="{prefix}accounts/sign-in/"]')
        expect(sign_in_link).to_have_text(translated(language, "Sign in"))
        sign_up_link = page.locator(f'.site-nav a[href="{prefix}youth/sign-up/"]')
        expect(sign_up_link).to_have_text(translated(language, "Sign up"))


def test_member_signs_in_with_username_and_signs_out(page, member):
    sign_in(page, "aliya")
    assert path_of(page) == "/accounts/profile/"
    assert html_lang(page) == "kk"
    expect(page.locator("#id_full_name")).to_have_value(member.full_name)

    sign_out(page)
    assert path_of(page) == "/"
    expect(page.locator(".site-nav")).to_contain_text(translated("kk", "Sign in"))
    page.goto("/accounts/profile/")
    assert path_of(page).startswith("/accounts/sign-in/")


def test_member_signs_in_with_email_address(page, member):
    sign_in(page, "Aliya@Example.kz")
    assert path_of(page) == "/accounts/profile/"
    expect(page.locator("#id_email")).to_have_value("aliya@example.kz")


def test_sign_in_lands_in_the_members_preferred_language(page, member):
    member.preferred_language = "ru"
    member.save(update_fields=["preferred_language"])

    sign_in(page, "aliya", language="kk")

    assert path_of(page) == "/ru/accounts/profile/"
    assert html_lang(page) == "ru"
    expect(page.locator("h1")).to_have_text(translated("ru", "Profile"))


def test_wrong_password_shows_the_error_and_keeps_the_name(page, member):
    sign_in(page, "aliya", "not the password", language="en")

    assert path_of(page) == "/en/accounts/sign-in/"
    alert = page.locator("main [role=alert]")
    expect(alert).to_contain_text("The sign-in name or password is not right.")
    expect(page.locator("#id_username")).to_have_value("aliya")
    expect(page.locator(".site-nav")).not_to_contain_text("Sign out")


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(page, member):
    for _ in range(4):
        sign_in(page, "aliya", "not the password", language="en")
        expect(page.locator("main [role=alert]")).to_be_visible()

    sign_in(page, "aliya", "not the password", language="en")
    expect(page.locator("h1")).to_have_text("Too many attempts")
    expect(page.locator("main")).to_contain_text("paused for 15 minutes")

    sign_in(page, "aliya", PASSWORD, language="en")
    expect(page.locator("h1")).to_have_text("Too many attempts")
    page.goto("/en/accounts/profile/")
    expect(page).to_have_url(re.compile(r"/en/accounts/sign-in/"))
