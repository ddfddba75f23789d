"""A learner deletes their own account: it is anonymised, not removed, so the commissions'
counts stay; accounts whose records a commission needs are refused."""

import logging

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

import pytest

from accounts.models import ConsentRecord, User
from certificates.models import Certificate
from commissions.models import Position
from commissions.roles import TRAINERS
from courses.models import Enrollment, LessonProgress
from privacy.services import account_delete
from quizzes.models import Attempt, QuestionStat
from tests.certificates.conftest import KAZAKH_NAME
from tests.factories import (
    CommissionFactory,
    ManagerRoleFactory,
    MembershipFactory,
    UserFactory,
)
from youth.models import GuardianConsentRequest, LearnerProfile

from .conftest import OTHER_EMAIL, OTHER_NAME, PASSWORD, REPRESENTATIVE

pytestmark = pytest.mark.django_db

DELETE = "/en/accounts/my-data/delete/"


def delete(client, password=PASSWORD):
    return client.post(DELETE, {"password": password})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def counts():
    return {
        "completed": Enrollment.objects.completed().count(),
        "enrolments": Enrollment.objects.count(),
        "lessons": LessonProgress.objects.filter(completed_at__isnull=False).count(),
        "attempts": Attempt.objects.submitted().count(),
        "passed": Attempt.objects.filter(passed=True).count(),
        "item_attempts": sum(QuestionStat.objects.values_list("attempts", flat=True)),
        "certificates": Certificate.objects.filter(revoked_at__isnull=True).count(),
        "users": User.objects.count(),
        "consents": ConsentRecord.objects.count(),
    }


def unchanged(user: User) -> bool:
    fresh = User.objects.get(pk=user.pk)
    return (
        fresh.is_active
        and fresh.username == user.username
        and fresh.full_name == user.full_name
        and fresh.email == user.email
        and fresh.check_password(PASSWORD)
    )


def test_the_confirmation_page_says_what_goes_and_asks_for_the_password(client):
    client.force_login(UserFactory())
    page = client.get(DELETE).content.decode()
    assert "cannot be undone" in page
    assert 'name="password"' in page and 'type="password"' in page


def test_a_wrong_password_is_refused_with_a_clear_error_and_changes_nothing(
    learner_with_everything,
):
    learner = learner_with_everything.learner
    client = signed_in(learner)
    response = delete(client, password="not my password")
    assert response.status_code == 200
    assert "This is not your current password. Nothing was changed." in response.content.decode()
    assert unchanged(learner)
    assert LearnerProfile.objects.filter(user=learner).exists()
    assert client.get("/en/accounts/my-data/").status_code == 200  # still signed in


def test_an_empty_password_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = delete(client, password="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert unchanged(user)


def _commission_member():
    tree = CommissionFactory.tree()
    return MembershipFactory(commission=tree["precinct11"], position=Position.MEMBER).user


def _manager():
    return ManagerRoleFactory(commission=CommissionFactory.root()).user


def _trainer():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=TRAINERS))
    return user


@pytest.mark.parametrize(
    "make_user, message",
    [
        (_commission_member, "You hold a seat in an election commission"),
        (_manager, "You manage a commission or a club"),
        (lambda: UserFactory(is_staff=True), "Staff and administrator accounts"),
        (lambda: UserFactory(is_superuser=True), "Staff and administrator accounts"),
        (_trainer, "Staff and administrator accounts"),
    ],
    ids=["commission-member", "manager", "staff", "superuser", "trainer"],
)
def test_accounts_a_commission_needs_are_refused_with_whom_to_ask(make_user, message):
    user = make_user()
    client = signed_in(user)
    page = client.get(DELETE).content.decode()
    assert message in page and 'name="password"' not in page
    assert message in client.get("/en/accounts/my-data/").content.decode()
    response = delete(client)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert unchanged(user)


def test_a_seat_that_ended_does_not_stop_a_deletion():
    tree = CommissionFactory.tree()
    seat = MembershipFactory(
        commission=tree["precinct11"],
        started_on=timezone.localdate().replace(year=2020),
        ended_on=timezone.localdate().replace(year=2021),
    )
    response = delete(signed_in(seat.user))
    assert response.status_code == 302
    assert not User.objects.get(pk=seat.user.pk).is_active


def test_deleting_anonymises_exactly_the_persons_data_and_keeps_the_counts(
    learner_with_everything, caplog, django_capture_on_commit_callbacks
):
    setup = learner_with_everything
    learner = setup.learner
    before = counts()
    pdf_name = setup.certificate.pdf.name
    storage = Certificate._meta.get_field("pdf").storage
    assert storage.exists(pdf_name)
    consent = ConsentRecord.objects.get(user=learner)
    other_session = signed_in(learner)
    client = signed_in(learner)

    with (
        caplog.at_level(logging.INFO, logger="saylau.access"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = delete(client)

    assert response.status_code == 302 and response["Location"] == "/en/"
    home = client.get("/en/", follow=True).content.decode()
    assert "Your account is deleted." in home

    account = User.objects.get(pk=learner.pk)
    assert account.username.startswith("deleted-") and account.username != learner.username
    assert (account.full_name, account.first_name, account.last_name) == ("", "", "")
    assert (account.email, account.phone, account.year_of_birth) == ("", "", None)
    assert not account.is_active and not account.has_usable_password()
    assert account.date_joined == learner.date_joined
    assert account.preferred_language == learner.preferred_language
    assert not LearnerProfile.objects.filter(user=account).exists()

    seat = account.memberships.get()
    assert seat.ended_on == timezone.localdate()
    record = ConsentRecord.objects.get(pk=consent.pk)
    assert (record.representative_name, record.representative_email) == ("", "")
    assert record.given_at == consent.given_at and record.text_version == consent.text_version
    assert record.withdrawn_at is not None
    sent = GuardianConsentRequest.objects.get(learner=account)
    assert (sent.representative_name, sent.representative_email) == ("", "")
    assert sent.confirmed_at is not None and sent.text_version == "guardian-2026-11"

    certificate = Certificate.objects.get(pk=setup.certificate.pk)
    assert certificate.snapshot["holder_name"] == ""
    assert KAZAKH_NAME not in str(certificate.snapshot)
    assert certificate.snapshot["course_title"] == "Учаскені ашу"
    assert certificate.revoked_at is None and certificate.status() == "valid"
    assert not certificate.pdf and not storage.exists(pdf_name)

    # The records stay on the anonymised row: nothing a commission counts has changed.
    assert counts() == before
    assert Enrollment.objects.get(pk=setup.enrollment.pk).user_id == account.pk
    assert Attempt.objects.get(pk=setup.attempt.pk).user_id == account.pk

    # Someone else's records are untouched.
    other = User.objects.get(pk=setup.other.pk)
    assert (other.full_name, other.email, other.is_active) == (OTHER_NAME, OTHER_EMAIL, True)
    assert ConsentRecord.objects.get(user=other).representative_name == "Басқа Өкіл"
    assert Certificate.objects.get(learner=other).snapshot["holder_name"] == OTHER_NAME

    lines = [r.getMessage() for r in caplog.records if r.name == "saylau.access"]
    assert f"account deleted at its holder's request user={account.pk}" in lines
    logged = " ".join(lines)
    for personal in (KAZAKH_NAME, learner.email, learner.username, REPRESENTATIVE):
        assert personal not in logged

    # Every session has ended, and nobody can sign in again.
    assert client.get("/en/accounts/my-data/").status_code == 302
    assert other_session.get("/en/accounts/my-data/").status_code == 302
    for username in (learner.username, learner.email, account.username):
        visitor = Client()
        sign_in = visitor.post(
            "/en/accounts/sign-in/", {"username": username, "password": PASSWORD}
        )
        assert sign_in.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in visitor.session


def test_the_verify_page_shows_the_certificate_valid_without_a_name(
    client, learner_with_everything
):
    setup = learner_with_everything
    delete(signed_in(setup.learner))
    page = client.get(f"/en/certificates/verify/{setup.certificate.code}/").content.decode()
    assert 'data-status="valid"' in page
    assert 'data-holder="removed"' in page
    assert "The name was removed at the holder's request." in page
    assert KAZAKH_NAME not in page
    assert "Учаскені ашу" in page and setup.certificate.number in page
    assert "Республикалық референдум" in page


def test_a_double_submit_is_harmless(learner_with_everything):
    learner = learner_with_everything.learner
    client = signed_in(learner)
    assert delete(client).status_code == 302
    account = User.objects.get(pk=learner.pk)
    second = delete(client)
    assert second.status_code == 302 and "/accounts/sign-in/" in second["Location"]
    assert User.objects.get(pk=learner.pk).username == account.username
    assert account_delete(user=account) is False
    assert User.objects.get(pk=learner.pk).username == account.username


def test_a_club_member_may_delete_and_their_club_seat_ends(client):
    club = CommissionFactory.child(CommissionFactory.root(), "club")
    seat = MembershipFactory(commission=club, position=Position.CLUB_MEMBER)
    client.force_login(seat.user)
    assert delete(client).status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == timezone.localdate()


def test_a_pending_link_to_the_legal_representative_stops_working(client):
    from youth.models import new_token, token_hash
    from youth.services.consent import guardian_consent_confirm

    learner = UserFactory(year_of_birth=timezone.localdate().year - 15)
    token = new_token()
    GuardianConsentRequest.objects.create(
        learner=learner,
        representative_name=REPRESENTATIVE,
        representative_email="parent@example.kz",
        token_hash=token_hash(token),
        text_version="guardian-2026-11",
    )
    client.force_login(learner)
    assert delete(client).status_code == 302
    assert guardian_consent_confirm(token=token).state == "replaced"
    assert not ConsentRecord.objects.filter(user=learner).exists()
    sent = GuardianConsentRequest.objects.get(learner=learner)
    assert (sent.representative_name, sent.representative_email) == ("", "")
