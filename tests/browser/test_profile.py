"""A member keeps their own details: the language the site speaks to them and their consent."""

from playwright.sync_api import expect

from accounts.models import ConsentRecord

from .steps import html_lang, path_of, sign_in, translated


def test_choosing_another_language_brings_the_profile_back_in_it(page, member):
    sign_in(page, "aliya")

    page.locator("#id_preferred_language").select_option("en")
    with page.expect_navigation():
        page.locator("form:has(#id_preferred_language) button[type=submit]").click()

    assert path_of(page) == "/en/accounts/profile/"
    assert html_lang(page) == "en"
    expect(page.locator(".messages")).to_have_text(translated("en", "Your profile is saved."))
    member.refresh_from_db()
    assert member.preferred_language == "en"


def test_member_gives_and_withdraws_consent(page, member):
    sign_in(page, "aliya")
    consent_button = page.locator("form[action$='/profile/consent/'] button")

    with page.expect_navigation():
        consent_button.click()
    expect(page.locator(".messages")).to_have_text(translated("kk", "Your consent is recorded."))
    expect(page.locator(".status--ok")).to_be_visible()
    assert member.consents.active().count() == 1

    with page.expect_navigation():
        consent_button.click()
    expect(page.locator(".messages")).to_have_text(
        translated("kk", "Your consent is withdrawn from now on.")
    )
    expect(page.locator(".status--warn")).to_be_visible()
    record = ConsentRecord.objects.get(user=member)
    assert record.withdrawn_at is not None
