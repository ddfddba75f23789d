"""Young learners sign up on their own, confirm their email by a signed link and land signed in;
bad input, old or altered links and automated sign-ups are refused with a clear answer."""

import re
import time
from unittest import mock
from urllib.parse import urlsplit

from django.core import mail
from django.core.cache import cache
from django.utils import timezone

import pytest

from accounts.models import ConsentRecord, User
from commissions.models import Commission, Membership, Position
from tests.factories import CommissionFactory, UserFactory
from tests.i18n import kazakh_html
from youth.forms.signup import form_issued_token
from youth.models import GuardianConsentRequest, LearnerProfile
from youth.services.ratelimit import (
    LINKS_PER_EMAIL,
    SIGNUP_POSTS_PER_ADDRESS,
    SIGNUPS_PER_ADDRESS,
)
from youth.services.signup import PendingSignup

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
PASSWORD = "Saylau-kitap-2026"
CONFIRM_LINK = re.compile(r"https?://\S+/youth/sign-up/confirm/\S+/")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client whose POSTs run what waits for the commit (the emails), as in a real
    request outside the test's transaction."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


@pytest.fixture
def club(db):
    central = CommissionFactory.root()
    return CommissionFactory.child(
        central,
        Commission.Level.CLUB,
        name_kk="Жас сайлаушылар клубы",
        name_ru="Клуб молодых избирателей",
        name_en="Young voters' club",
    )


def form(**overrides):
    data = {
        "full_name": "Арман  Болатұлы Сейітов",
        "email": "Arman.Seitov@Example.kz",
        "password": PASSWORD,
        "year_of_birth": str(THIS_YEAR - 25),
        "representative_name": "",
        "representative_email": "",
        "region": "KZ-AST",
        "school": "Назарбаев университеті",
        "club": "",
        "preferred_language": "kk",
        "consent": "on",
        "website": "",
        "issued": form_issued_token(at=time.time() - 30),
    }
    data.update(overrides)
    return data


def minor_form(**overrides):
    fields = {
        "full_name": "Дана Серікқызы Әбенова",
        "email": "dana@example.kz",
        "year_of_birth": str(THIS_YEAR - 15),
        "representative_name": "Серік Әбенов",
        "representative_email": "serik.abenov@example.kz",
    }
    fields.update(overrides)
    return form(**fields)


def link_in(message) -> str:
    return urlsplit(CONFIRM_LINK.search(message.body).group(0)).path


def nothing_created():
    return not User.objects.exists() and not LearnerProfile.objects.exists() and not mail.outbox


def test_sign_up_page_shows_the_form_with_consent_text_and_language_of_the_page(client, club):
    response = client.get("/ru/youth/sign-up/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="consent"' in page
    assert "Клуб молодых избирателей" in page
    assert '<option value="ru" selected>' in page
    assert "national" not in page.lower()
    assert f"{THIS_YEAR - 18}" in page  # who must name a representative


def test_adult_signs_up_confirms_and_lands_signed_in_with_consent_and_club_seat(client, club):
    response = client.post("/youth/sign-up/", form(club=str(club.pk), preferred_language="ru"))
    assert response.status_code == 302
    assert response["Location"] == "/youth/sign-up/sent/"

    user = User.objects.get()
    assert user.username == "arman.seitov@example.kz"
    assert user.email == "arman.seitov@example.kz"
    assert user.full_name == "Арман Болатұлы Сейітов"
    assert user.year_of_birth == THIS_YEAR - 25
    assert user.preferred_language == "ru"
    assert not user.is_active
    assert user.learner_profile.region == "KZ-AST"
    assert user.learner_profile.school == "Назарбаев университеті"
    assert user.learner_profile.email_confirmed_at is None
    assert not user.consents.exists()
    assert not Membership.objects.exists()

    sent_page = client.get("/youth/sign-up/sent/").content.decode()
    assert "arman.seitov@example.kz" in sent_page

    (message,) = mail.outbox
    assert message.to == ["arman.seitov@example.kz"]
    link = link_in(message)
    assert link.startswith("/ru/youth/sign-up/confirm/")  # the chosen language

    # Opening the link confirms nothing by itself (mail scanners open links too).
    assert client.get(link).status_code == 200
    assert not User.objects.get().is_active

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/ru/learning/"
    assert int(client.session["_auth_user_id"]) == user.pk

    user.refresh_from_db()
    assert user.is_active
    assert user.learner_profile.email_confirmed_at is not None
    consent = user.consents.get()
    assert consent.purpose == ConsentRecord.Purpose.PERSONAL_DATA
    assert consent.given_by == user
    assert consent.text_version == "2026-11-y"  # the self-registered learners' text
    seat = Membership.objects.get(user=user)
    assert seat.commission == club
    assert seat.position == Position.CLUB_MEMBER
    assert not GuardianConsentRequest.objects.exists()

    landing = client.get(response["Location"]).content.decode()
    assert "Клуб молодых избирателей" in landing  # "you are a member of …"


def test_minor_must_name_a_representative(client, club):
    response = client.post(
        "/youth/sign-up/", minor_form(representative_name="", representative_email="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "representative_name" in errors
    assert "representative_email" in errors
    assert nothing_created()


def test_representatives_email_must_differ_from_the_learners(client, club):
    response = client.post("/en/youth/sign-up/", minor_form(representative_email="DANA@example.kz"))
    assert "not yours" in str(response.context["form"].errors["representative_email"])
    assert nothing_created()


def test_adult_needs_no_representative_and_any_given_is_not_kept(client, club):
    client.post("/youth/sign-up/", form(representative_name="X", representative_email="x@y.kz"))
    client.post(link_in(mail.outbox[0]))
    assert not GuardianConsentRequest.objects.exists()


def test_minor_after_confirmation_can_read_and_the_representative_is_asked(client, club):
    client.post("/en/youth/sign-up/", minor_form(preferred_language="en", club=str(club.pk)))
    learner = User.objects.get()
    assert len(mail.outbox) == 1  # nobody but the learner is emailed before confirmation
    assert not GuardianConsentRequest.objects.exists()

    response = client.post(link_in(mail.outbox[0]), follow=True)

    assert response.redirect_chain[-1][0] == "/en/learning/"
    page = response.content.decode()
    assert "tests and certificates wait" in page
    assert "serik.abenov@example.kz" in page
    request = GuardianConsentRequest.objects.pending().get()
    assert request.learner == learner
    assert request.representative_name == "Серік Әбенов"
    assert request.representative_email == "serik.abenov@example.kz"
    assert mail.outbox[-1].to == ["serik.abenov@example.kz"]
    assert Membership.objects.get(user=learner).commission == club
    assert learner.consents.get().purpose == ConsentRecord.Purpose.PERSONAL_DATA


def test_email_of_a_confirmed_account_is_refused_with_sign_in_and_reset_links(client, club):
    UserFactory(email="arman.seitov@example.kz")
    response = client.post("/en/youth/sign-up/", form())
    page = response.content.decode()
    assert "already exists" in str(response.context["form"].errors["email"])
    assert "/en/accounts/sign-in/" in page
    assert "/en/accounts/password/reset/" in page
    assert User.objects.count() == 1
    assert not LearnerProfile.objects.exists()
    assert not mail.outbox


def test_email_awaiting_confirmation_gets_its_link_again_and_no_second_account(client, club):
    client.post("/youth/sign-up/", form())
    assert len(mail.outbox) == 1

    response = client.post("/en/youth/sign-up/", form(full_name="Someone Else", password="x"))

    assert response.status_code == 200
    assert "sent the confirmation link" in str(response.context["form"].errors["email"])
    assert User.objects.count() == 1
    assert User.objects.get().full_name == "Арман Болатұлы Сейітов"
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["arman.seitov@example.kz"]
    # The new link works.
    assert client.post(link_in(mail.outbox[1])).status_code == 302
    assert User.objects.get().is_active


@pytest.mark.parametrize(
    ("year", "message"),
    [(THIS_YEAR + 1, "in the future"), (1899, "from 1900"), ("abc", "whole number")],
)
def test_year_of_birth_out_of_range_is_refused(client, club, year, message):
    response = client.post("/en/youth/sign-up/", form(year_of_birth=str(year)))
    assert message in str(response.context["form"].errors["year_of_birth"])
    assert nothing_created()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("region", "KZ-XXX"),
        ("club", "999999"),
        ("club", "not-a-number"),
        ("preferred_language", "de"),
    ],
)
def test_tampered_choices_are_refused(client, club, field, value):
    response = client.post("/en/youth/sign-up/", form(**{field: value}))
    assert field in response.context["form"].errors
    assert nothing_created()


def test_a_commission_that_is_not_a_club_cannot_be_chosen(client, club):
    response = client.post("/en/youth/sign-up/", form(club=str(club.get_parent().pk)))
    assert "club" in response.context["form"].errors
    assert nothing_created()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": ""}, "consent"),
        ({"password": "12345678"}, "password"),
        ({"password": "Arman.Seitov@Example"}, "password"),
        ({"full_name": "   "}, "full_name"),
        ({"email": "not-an-email"}, "email"),
        ({"region": ""}, "region"),
    ],
)
def test_missing_or_weak_answers_are_refused(client, club, overrides, field):
    response = client.post("/en/youth/sign-up/", form(**overrides))
    assert field in response.context["form"].errors
    assert nothing_created()


def test_confirmation_link_used_twice_says_already_confirmed_and_changes_nothing(client, club):
    client.post("/youth/sign-up/", minor_form(club=str(club.pk)))
    link = link_in(mail.outbox[0])
    assert client.post(link).status_code == 302
    client.logout()
    sent = len(mail.outbox)

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 200
        assert response.context["outcome"].state == "used"
        assert "/accounts/sign-in/" in response.content.decode()

    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == sent
    assert GuardianConsentRequest.objects.count() == 1
    assert ConsentRecord.objects.count() == 1
    assert Membership.objects.count() == 1


def test_expired_link_offers_a_new_one_that_keeps_the_club_and_representative(client, club):
    client.post("/youth/sign-up/", minor_form(club=str(club.pk)))
    learner = User.objects.get()
    pending = PendingSignup.loads(
        link_in(mail.outbox[0]).split("/confirm/")[1].rstrip("/"), max_age=None
    )
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("time.time", return_value=four_days_ago):
        old_token = pending.dumps()
    old_link = f"/youth/sign-up/confirm/{old_token}/"

    response = client.get(old_link)
    assert response.status_code == 410
    assert 'name="token"' in response.content.decode()
    response = client.post(old_link)
    assert response.status_code == 410
    learner.refresh_from_db()
    assert not learner.is_active

    response = client.post("/youth/sign-up/confirm-again/", {"token": old_token})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    client.post(link_in(mail.outbox[1]))
    learner.refresh_from_db()
    assert learner.is_active
    assert Membership.objects.get(user=learner).commission == club
    assert GuardianConsentRequest.objects.pending().get().learner == learner


def test_altered_link_is_refused_and_a_link_for_a_deleted_account_is_not_found(client, club):
    client.post("/youth/sign-up/", form())
    link = link_in(mail.outbox[0])
    altered = link[:-6] + ("A" if link[-6] != "A" else "B") + link[-5:]
    assert client.get(altered).status_code == 400
    assert client.post(altered).status_code == 400
    assert client.get("/youth/sign-up/confirm/nonsense/").status_code == 400

    User.objects.all().delete()
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404


def test_double_click_on_confirm_records_one_consent(client, club):
    client.post("/youth/sign-up/", form(club=str(club.pk)))
    link = link_in(mail.outbox[0])
    first, second = client.post(link), client.post(link)
    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["outcome"].state == "used"
    assert ConsentRecord.objects.count() == 1
    assert Membership.objects.count() == 1


def test_club_closed_before_confirmation_gives_no_seat_and_says_so(client, club):
    client.post("/en/youth/sign-up/", form(club=str(club.pk)))
    club.delete()
    response = client.post(link_in(mail.outbox[0]), follow=True)
    assert (
        kazakh_html("The club you chose is no longer open; ask its coordinator how to join.")
        in response.content.decode()
    )
    assert not Membership.objects.exists()
    assert User.objects.get().is_active


def test_honeypot_filled_in_creates_nothing_and_looks_like_success(client, club):
    response = client.post("/youth/sign-up/", form(website="http://spam.example"))
    assert response.status_code == 302
    assert nothing_created()


def test_form_sent_too_fast_is_refused_and_keeps_the_answers(client, club):
    response = client.post("/en/youth/sign-up/", form(issued=form_issued_token()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "faster than a person" in page
    assert 'value="Arman.Seitov@Example.kz"' in page
    assert nothing_created()


@pytest.mark.parametrize("issued", [form_issued_token(at=time.time() - 5 * 3600), "forged", ""])
def test_form_open_too_long_or_forged_is_refused_and_keeps_the_answers(client, club, issued):
    response = client.post("/en/youth/sign-up/", form(issued=issued))
    page = response.content.decode()
    assert "open too long" in page
    assert 'value="Arman.Seitov@Example.kz"' in page
    assert nothing_created()


def test_sign_ups_from_one_address_are_limited_with_429(client, club):
    for n in range(SIGNUPS_PER_ADDRESS.limit):
        response = client.post("/youth/sign-up/", form(email=f"learner{n}@example.kz"))
        assert response.status_code == 302
    response = client.post("/en/youth/sign-up/", form(email="one.more@example.kz"))
    assert response.status_code == 429
    assert "Too many" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert not User.objects.filter(email="one.more@example.kz").exists()
    # Another address is not affected.
    other = client.post("/youth/sign-up/", form(email="x@example.kz"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_sign_up_forms_sent_from_one_address_are_limited_with_429(client, club):
    for _ in range(SIGNUP_POSTS_PER_ADDRESS.limit):
        response = client.post("/youth/sign-up/", form(email="not-an-email"))
        assert response.status_code == 200
    response = client.post("/youth/sign-up/", form())
    assert response.status_code == 429
    assert nothing_created()


def test_resend_is_limited_per_email_and_answers_alike_for_unknown_addresses(client, club):
    client.post("/youth/sign-up/", form())
    sent = len(mail.outbox)
    known = client.post("/en/youth/sign-up/confirm-again/", {"email": "arman.seitov@example.kz"})
    unknown = client.post("/en/youth/sign-up/confirm-again/", {"email": "nobody@example.kz"})
    assert known.status_code == unknown.status_code == 302
    assert len(mail.outbox) == sent + 1
    known_page = client.get(known["Location"]).content.decode()
    assert "If an account under" in known_page

    for _ in range(LINKS_PER_EMAIL.limit):
        client.post("/en/youth/sign-up/confirm-again/", {"email": "nobody@example.kz"})
    limited = client.post("/en/youth/sign-up/confirm-again/", {"email": "nobody@example.kz"})
    assert limited.status_code == 429


def test_resend_form_refuses_a_malformed_email(client, db):
    response = client.post("/en/youth/sign-up/confirm-again/", {"email": "nope"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not mail.outbox


def test_unconfirmed_account_signing_in_is_told_to_confirm_and_can_get_the_link(client, club):
    client.post("/youth/sign-up/", form())
    response = client.post(
        "/en/accounts/sign-in/", {"username": "arman.seitov@example.kz", "password": PASSWORD}
    )
    page = response.content.decode()
    assert "Confirm your email first" in page
    assert 'action="/en/youth/sign-up/confirm-again/"' in page
    assert "_auth_user_id" not in client.session

    # With a wrong password nothing about the account is said.
    response = client.post(
        "/en/accounts/sign-in/", {"username": "arman.seitov@example.kz", "password": "wrong"}
    )
    assert "Confirm your email" not in response.content.decode()
    assert "password is not right" in response.content.decode()


def test_sign_in_page_links_to_sign_up(client, db):
    assert "/ru/youth/sign-up/" in client.get("/ru/accounts/sign-in/").content.decode()


def test_signed_in_person_is_sent_to_my_training(client, db):
    client.force_login(UserFactory())
    assert client.get("/youth/sign-up/")["Location"] == "/learning/"


def test_sign_up_post_keeps_a_small_query_budget(client, club, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.post("/youth/sign-up/", minor_form(club=str(club.pk)))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("next_path", "lands_on"),
    [
        ("/courses/your-first-vote/", "/ru/courses/your-first-vote/"),  # in the chosen language
        ("https://elsewhere.example/", "/ru/learning/"),
        ("//elsewhere.example/", "/ru/learning/"),
    ],
)
def test_the_confirmed_learner_returns_to_the_page_they_came_from_on_this_site(
    client, next_path, lands_on
):
    page = client.get(f"/youth/sign-up/?next={next_path}").content.decode()
    if lands_on != "/ru/learning/":
        assert f'name="next" value="{next_path}"' in page
    client.post("/youth/sign-up/", form(preferred_language="ru", next=next_path))

    response = client.post(link_in(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"] == lands_on
