"""The public verify page, its rate limit, and who may download a certificate's PDF."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

import pytest

from certificates.models import Certificate
from certificates.selectors import VERIFY_LIMIT
from certificates.services import certificate_reissue, certificate_render, certificate_revoke
from tests.factories import ManagerRoleFactory, MembershipFactory, UserFactory

from .conftest import KAZAKH_NAME, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def verify(client, certificate, prefix="/en"):
    response = client.get(f"{prefix}/certificates/verify/{certificate.code}/")
    return response, response.content.decode()


def test_verify_shows_a_valid_certificate_with_the_minimum_about_its_holder(client):
    certificate = issue()
    response, page = verify(client, certificate)
    assert response.status_code == 200
    assert 'data-status="valid"' in page
    assert KAZAKH_NAME in page and "Учаскені ашу" in page and "Республикалық референдум" in page
    assert certificate.number in page
    assert certificate.learner.email not in page and certificate.learner.username not in page
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_verify_shows_an_expired_certificate(client):
    certificate = issue()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    response, page = verify(client, certificate)
    assert response.status_code == 200 and 'data-status="expired"' in page


def test_verify_shows_a_revoked_certificate_with_date_and_reason_not_a_404(client):
    certificate = certificate_revoke(certificate=issue(), reason="Training record was false")
    response, page = verify(client, certificate)
    assert response.status_code == 200
    assert 'data-status="revoked"' in page and "Training record was false" in page
    assert f"{certificate.revoked_at:%d.%m.%Y}" in page or str(certificate.revoked_at.year) in page


def test_verify_shows_a_replaced_certificate_with_the_new_number(client):
    old = issue()
    new = certificate_reissue(certificate=old, reason="Name corrected")
    old.refresh_from_db()
    response, page = verify(client, old)
    assert 'data-status="replaced"' in page and new.number in page
    assert f"/certificates/verify/{new.code}/" in page


def test_verify_by_typed_number_and_surname(client):
    certificate = issue()
    surname = KAZAKH_NAME.split()[-1]
    page = client.get(
        "/en/certificates/verify/",
        {"number": f" {certificate.number.lower()} ", "surname": surname.upper()},
    ).content.decode()
    assert 'data-status="valid"' in page and KAZAKH_NAME in page


@pytest.mark.parametrize("surname", ["Someone", "", "Сәрсен"])
def test_a_number_without_its_holders_surname_shows_no_name(client, surname):
    """Numbers run in sequence: the number alone must not read a name off the register."""
    certificate = issue()
    response = client.get(
        "/en/certificates/verify/", {"number": certificate.number, "surname": surname}
    )
    page = response.content.decode()
    assert KAZAKH_NAME not in page and "data-status" not in page


def test_unknown_code_says_so_on_a_page_in_kazakh_by_default(client):
    response = client.get("/certificates/verify/not-a-code/")
    assert response.status_code == 404
    assert "data-status" not in response.content.decode()
    assert '<html lang="kk">' in response.content.decode()


def test_lookups_are_rate_limited_per_client_address(client):
    certificate = issue()
    for _ in range(VERIFY_LIMIT):
        assert verify(client, certificate)[0].status_code == 200
    response, page = verify(client, certificate)
    assert response.status_code == 429 and response["Retry-After"]
    assert KAZAKH_NAME not in page
    other = client.get(f"/en/certificates/verify/{certificate.code}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def rendered(**kwargs) -> Certificate:
    certificate = issue(**kwargs)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


def test_the_learner_downloads_their_own_certificate_as_an_uncached_attachment(client):
    certificate = rendered()
    client.force_login(certificate.learner)
    response = client.get(f"/en/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_learner_gets_a_404(client):
    certificate = rendered()
    client.force_login(UserFactory())
    assert client.get(f"/en/certificates/{certificate.pk}/pdf/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    certificate = rendered()
    response = client.get(f"/en/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_manager_of_the_learners_branch_downloads_it_and_another_branch_does_not(client, tree):
    learner = UserFactory(full_name=KAZAKH_NAME)
    MembershipFactory(user=learner, commission=tree["precinct11"])
    certificate = rendered(learner=learner)
    own_branch = ManagerRoleFactory(commission=tree["district1"]).user
    other_branch = ManagerRoleFactory(commission=tree["district2"]).user
    client.force_login(own_branch)
    assert client.get(f"/en/certificates/{certificate.pk}/pdf/").status_code == 200
    client.force_login(other_branch)
    assert client.get(f"/en/certificates/{certificate.pk}/pdf/").status_code == 404


def test_a_certificate_not_yet_rendered_is_not_found(client):
    certificate = issue()
    client.force_login(certificate.learner)
    assert client.get(f"/en/certificates/{certificate.pk}/pdf/").status_code == 404
