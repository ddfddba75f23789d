"""A minor's legal representative consents through an emailed link: the representative's pages
in every state of a link, the learner's panel on their profile, and what consent opens."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import mail
from django.core.cache import cache
from django.utils import timezone

import pytest

from accounts.minors import has_guardian_consent
from accounts.models import ConsentRecord
from certificates.models import Certificate
from courses.services import lesson_complete
from quizzes.services import AttemptRefused, attempt_start
from tests.certificates.conftest import certificate_template, private_files  # noqa: F401
from tests.factories import CourseTree, EnrollmentFactory, UserFactory, quiz_in_course
from tests.i18n import kazakh_html
from youth.models import GuardianConsentRequest
from youth.services.consent import guardian_consent_request

pytestmark = pytest.mark.django_db

LEARNER_NAME = "Дана Серікқызы Әбенова"
REPRESENTATIVE = "Серік Әбенов"
REPRESENTATIVE_EMAIL = "serik.abenov@example.kz"
LINK = re.compile(r"https?://\S+/youth/consent/\S+/")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def minor(**fields):
    fields.setdefault("full_name", LEARNER_NAME)
    fields.setdefault("email", "dana@example.kz")
    return UserFactory(year_of_birth=timezone.localdate().year - 15, **fields)


def link_in(message) -> str:
    return urlsplit(LINK.search(message.body).group(0)).path


def send_link(client, learner, capture, *, name=REPRESENTATIVE, email=REPRESENTATIVE_EMAIL):
    """The learner sends the link from their profile; returns the path the email holds."""
    client.force_login(learner)
    sent = len(mail.outbox)
    with capture(execute=True):
        response = client.post(
            "/en/youth/consent/send/",
            {"representative_name": name, "representative_email": email},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == sent + 1
    client.logout()
    return link_in(mail.outbox[-1])


def confirm(client, path, capture):
    with capture(execute=True):
        return client.post(path, {"is_representative": "on"})


def test_the_whole_path_from_request_to_withdrawal(client, django_capture_on_commit_callbacks):
    course = quiz_in_course()
    learner = course.learner
    learner.full_name, learner.year_of_birth = LEARNER_NAME, timezone.localdate().year - 16
    learner.save()
    with pytest.raises(AttemptRefused) as refused:
        attempt_start(user=learner, quiz=course.quiz)
    assert refused.value.code == "consent"

    path = send_link(client, learner, django_capture_on_commit_callbacks)
    request_email = mail.outbox[-1]
    assert request_email.to == [REPRESENTATIVE_EMAIL]
    assert LEARNER_NAME in request_email.subject
    assert path.startswith("/youth/consent/")  # the learner's language, Kazakh: unprefixed

    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert LEARNER_NAME in html and REPRESENTATIVE in html
    assert "2026-11" in html and 'name="is_representative"' in html

    response = confirm(client, path, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    record = ConsentRecord.objects.get(user=learner, purpose=ConsentRecord.Purpose.GUARDIAN)
    assert record.representative_name == REPRESENTATIVE
    assert record.representative_email == REPRESENTATIVE_EMAIL
    assert record.text_version == "2026-11" and record.is_active
    receipt = mail.outbox[-1]
    assert receipt.to == [REPRESENTATIVE_EMAIL] and "2026-11" in receipt.body
    withdraw_path = link_in(receipt)
    assert withdraw_path.startswith("/youth/consent/withdraw/")

    attempt = attempt_start(user=learner, quiz=course.quiz)
    assert attempt.pk

    explained = client.get(withdraw_path)
    assert explained.status_code == 200 and LEARNER_NAME in explained.content.decode()
    assert has_guardian_consent(learner)  # opening the link changes nothing
    withdrawn = client.post(withdraw_path)
    assert withdrawn.status_code == 200
    assert not has_guardian_consent(learner)
    again = client.post(withdraw_path)
    assert again.status_code == 200
    assert kazakh_html("The consent is already withdrawn") in again.content.decode()

    # The open attempt can still be finished; a new one cannot be started.
    assert attempt_start(user=learner, quiz=course.quiz).pk == attempt.pk
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["submitted_at"])
    with pytest.raises(AttemptRefused) as refused:
        attempt_start(user=learner, quiz=course.quiz)
    assert refused.value.code == "consent"


def test_the_page_speaks_the_learners_language(client, django_capture_on_commit_callbacks):
    learner = minor(preferred_language="ru")
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    assert path.startswith("/ru/youth/consent/")
    page = client.get(path)
    assert page.status_code == 200
    assert 'lang="ru"' in page.content.decode()


def test_confirming_needs_the_box_ticked(client, django_capture_on_commit_callbacks):
    learner = minor()
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    response = client.post("/en" + path, {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not ConsentRecord.objects.filter(user=learner).exists()


def test_a_used_link_opened_again_shows_no_personal_data(
    client, django_capture_on_commit_callbacks
):
    from django.test import Client

    learner = minor()
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    confirm(client, path, django_capture_on_commit_callbacks)
    other = Client()
    response = other.get("/en" + path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already used" in html
    assert "Дана" in html
    for private in ("Серікқызы", "Әбенова", REPRESENTATIVE, REPRESENTATIVE_EMAIL, "dana@"):
        assert private not in html
    assert 'name="is_representative"' not in html


def test_a_double_confirmation_records_one_consent(client, django_capture_on_commit_callbacks):
    learner = minor()
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    first = confirm(client, path, django_capture_on_commit_callbacks)
    second = confirm(client, path, django_capture_on_commit_callbacks)
    assert first.status_code == 200 and second.status_code == 200
    assert kazakh_html("This link was already used") in second.content.decode()
    assert ConsentRecord.objects.filter(user=learner).count() == 1
    receipts = [m for m in mail.outbox if "withdraw" in m.body]
    assert len(receipts) == 1


def test_an_expired_link_is_gone_and_says_what_to_do(client, django_capture_on_commit_callbacks):
    learner = minor()
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    GuardianConsentRequest.objects.filter(learner=learner).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get("/en" + path)
    assert page.status_code == 410
    html = page.content.decode()
    assert "expired" in html and "new link from their profile" in html
    assert LEARNER_NAME not in html
    posted = confirm(client, "/en" + path, django_capture_on_commit_callbacks)
    assert posted.status_code == 410
    assert not ConsentRecord.objects.filter(user=learner).exists()


def test_a_second_request_replaces_the_first(client, django_capture_on_commit_callbacks):
    learner = minor()
    first = send_link(client, learner, django_capture_on_commit_callbacks)
    second = send_link(
        client, learner, django_capture_on_commit_callbacks, email="mother@example.kz"
    )
    assert first != second
    old = client.get("/en" + first)
    assert old.status_code == 410 and "replaced" in old.content.decode()
    assert confirm(client, "/en" + first, django_capture_on_commit_callbacks).status_code == 410
    assert not ConsentRecord.objects.filter(user=learner).exists()
    assert confirm(client, second, django_capture_on_commit_callbacks).status_code == 200
    record = ConsentRecord.objects.get(user=learner)
    assert record.representative_email == "mother@example.kz"


def test_the_learner_cannot_confirm_their_own_consent(client, django_capture_on_commit_callbacks):
    learner = minor()
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    page = client.get("/en" + path)
    assert page.status_code == 403
    assert "This link is for your legal representative" in page.content.decode()
    assert confirm(client, "/en" + path, django_capture_on_commit_callbacks).status_code == 403
    assert not ConsentRecord.objects.filter(user=learner).exists()
    client.logout()
    assert client.get(path).status_code == 200  # the link still works for the representative


def test_an_unknown_link_is_not_found(client):
    assert client.get("/en/youth/consent/not-a-token/").status_code == 404
    assert (
        client.post("/en/youth/consent/not-a-token/", {"is_representative": "on"}).status_code
        == 404
    )
    assert client.get("/en/youth/consent/withdraw/not-a-token/").status_code == 404
    assert client.post("/en/youth/consent/withdraw/not-a-token/").status_code == 404


def test_the_consent_page_costs_a_fixed_number_of_queries(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    learner = minor()
    path = send_link(client, learner, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(1):
        assert client.get(path).status_code == 200
    # The lookup, the confirmation (lock, consent, request) and the certificate sweep after it.
    with django_assert_max_num_queries(12):
        assert confirm(client, path, django_capture_on_commit_callbacks).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(path).status_code == 200


def test_token_pages_are_not_cached_and_tell_other_sites_no_referrer(
    client, django_capture_on_commit_callbacks
):
    path = send_link(client, minor(), django_capture_on_commit_callbacks)
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


# The learner's side ------------------------------------------------------------------------------


def test_the_profile_panel_follows_the_consent(client, django_capture_on_commit_callbacks):
    learner = minor()
    client.force_login(learner)
    html = client.get("/en/accounts/profile/").content.decode()
    assert "No legal representative has consented yet." in html

    path = send_link(client, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    html = client.get("/en/accounts/profile/").content.decode()
    assert "Waiting since" in html and "s•••@example.kz" in html
    assert REPRESENTATIVE_EMAIL not in html.split('id="guardian-heading"')[1].split("value=")[0]

    client.logout()
    confirm(client, path, django_capture_on_commit_callbacks)
    client.force_login(learner)
    html = client.get("/en/accounts/profile/").content.decode()
    assert f"by {REPRESENTATIVE}" in html and "Withdraw this consent" in html

    response = client.post("/en/youth/consent/end/")
    assert response.status_code == 302
    assert not has_guardian_consent(learner)
    html = client.get("/en/accounts/profile/").content.decode()
    assert "The consent was withdrawn on" in html
    assert client.post("/en/youth/consent/end/").status_code == 302  # twice: nothing changes
    assert ConsentRecord.objects.filter(user=learner).count() == 1


def test_the_panel_shows_an_expired_link(client, django_capture_on_commit_callbacks):
    learner = minor()
    send_link(client, learner, django_capture_on_commit_callbacks)
    GuardianConsentRequest.objects.update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(learner)
    html = client.get("/en/accounts/profile/").content.decode()
    assert "expired on" in html and "Send the link again" in html


@pytest.mark.parametrize("year_of_birth", [None, 1990])
def test_adults_and_accounts_without_a_year_of_birth_see_no_panel(client, year_of_birth):
    user = UserFactory(year_of_birth=year_of_birth)
    client.force_login(user)
    html = client.get("/en/accounts/profile/").content.decode()
    assert 'id="guardian-heading"' not in html
    response = client.post(
        "/en/youth/consent/send/",
        {"representative_name": REPRESENTATIVE, "representative_email": REPRESENTATIVE_EMAIL},
    )
    assert response.status_code == 302
    assert not GuardianConsentRequest.objects.exists() and not mail.outbox


def test_the_profile_page_of_a_minor_costs_two_more_queries(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    adult, young = UserFactory(year_of_birth=1990), minor()
    counts = []
    for user in (adult, young):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/accounts/profile/").status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] + 2


def test_sending_refuses_bad_input_and_changes_nothing(client):
    learner = minor()
    client.force_login(learner)
    for data, error in [
        (
            {"representative_name": REPRESENTATIVE, "representative_email": "not-an-email"},
            "valid email",
        ),
        ({"representative_name": "   ", "representative_email": REPRESENTATIVE_EMAIL}, "required"),
        (
            {"representative_name": REPRESENTATIVE, "representative_email": "DANA@example.kz"},
            "your own email",
        ),
    ]:
        response = client.post("/en/youth/consent/send/", data)
        assert response.status_code == 400
        assert error in response.content.decode()
    assert not GuardianConsentRequest.objects.exists() and not mail.outbox


def test_sending_is_limited_to_three_links_an_hour(client, django_capture_on_commit_callbacks):
    learner = minor()
    for _ in range(3):
        send_link(client, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/youth/consent/send/",
            {"representative_name": REPRESENTATIVE, "representative_email": REPRESENTATIVE_EMAIL},
        )
    assert response.status_code == 429
    assert "3 links in the last hour" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert len(mail.outbox) == 3
    assert GuardianConsentRequest.objects.filter(learner=learner).count() == 3


def test_the_learner_must_sign_in_to_send_or_withdraw(client):
    assert client.get("/en/youth/consent/send/").status_code == 302
    assert client.post("/en/youth/consent/end/").status_code == 302
    assert not GuardianConsentRequest.objects.exists()


# Certificates wait for consent -----------------------------------------------------------------


def test_a_minor_completes_a_course_and_receives_its_certificate_after_consent(
    client,
    django_capture_on_commit_callbacks,
    private_files,  # noqa: F811
):
    course = CourseTree.build(modules=1, lessons=1)
    course.certificate_template = certificate_template()
    course.save()
    learner = minor()
    EnrollmentFactory(course=course, user=learner)
    for lesson in CourseTree.lessons(course):
        lesson_complete(
            user=learner, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    assert learner.enrollments.get().completed_at is not None
    assert not Certificate.objects.exists()

    client.force_login(learner)
    training = client.get("/en/learning/").content.decode()
    assert "wait for your legal representative" in training

    path = send_link(client, learner, django_capture_on_commit_callbacks)
    confirm(client, path, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.course_key == course.translation_key
    client.force_login(learner)
    training = client.get("/en/learning/").content.decode()
    assert "wait for your legal representative" not in training


def test_an_adult_receives_the_certificate_at_completion(private_files):  # noqa: F811
    course = CourseTree.build(modules=1, lessons=1)
    course.certificate_template = certificate_template()
    course.save()
    for year_of_birth in (None, timezone.localdate().year - 19):
        learner = UserFactory(year_of_birth=year_of_birth)
        EnrollmentFactory(course=course, user=learner)
        for lesson in CourseTree.lessons(course):
            lesson_complete(
                user=learner, course_key=course.translation_key, lesson_key=lesson.translation_key
            )
        assert Certificate.objects.filter(learner=learner).count() == 1


def test_a_request_from_the_service_sends_one_email(django_capture_on_commit_callbacks):
    learner = minor()
    with django_capture_on_commit_callbacks(execute=True):
        guardian_consent_request(
            learner=learner, representative_name=REPRESENTATIVE, representative_email="x@example.kz"
        )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["x@example.kz"]


# The admin list ----------------------------------------------------------------------------------


def test_central_administrators_read_consent_requests_and_nobody_changes_them(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import staff_user

    learner = minor()
    send_link(client, learner, django_capture_on_commit_callbacks)
    consent_request = GuardianConsentRequest.objects.get()

    client.force_login(staff_user("Central administrators", admin_language="en"))
    listing = client.get("/admin/youth/consent-requests/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert LEARNER_NAME in html and REPRESENTATIVE_EMAIL in html
    found = client.get("/admin/youth/consent-requests/", {"q": "Серік"})
    assert REPRESENTATIVE in found.content.decode()
    inspect = client.get(f"/admin/youth/consent-requests/inspect/{consent_request.pk}/")
    assert inspect.status_code == 200
    assert consent_request.token_hash not in inspect.content.decode()
    for url in (
        "/admin/youth/consent-requests/new/",
        f"/admin/youth/consent-requests/edit/{consent_request.pk}/",
        f"/admin/youth/consent-requests/delete/{consent_request.pk}/",
    ):
        assert client.get(url).status_code in (302, 403, 404), url
        assert client.post(url, {"representative_name": "X"}).status_code in (302, 403, 404), url
    consent_request.refresh_from_db()
    assert consent_request.representative_name == REPRESENTATIVE

    client.force_login(staff_user("Trainers", admin_language="en"))
    assert client.get("/admin/youth/consent-requests/").status_code in (302, 403)
