"""A learner's certificates on "My training": number, dates, status, and the download once the
PDF exists."""

from datetime import timedelta

from django.utils import timezone

import pytest

from certificates.models import Certificate
from certificates.services import certificate_reissue, certificate_render, certificate_revoke
from tests.factories import EnrollmentFactory, UserFactory

from .conftest import KAZAKH_NAME, pdf_text
from .test_issue import complete, course_with_certificate

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def english(settings):
    settings.LOCALE_PATHS = []  # read the English source strings


def completed_with_certificate(*, render: bool):
    course = course_with_certificate()
    enrollment = EnrollmentFactory(course=course, user=UserFactory(full_name=KAZAKH_NAME))
    complete(enrollment, course)  # on-commit callbacks do not run: the PDF is not rendered
    certificate = Certificate.objects.get(learner=enrollment.user)
    if render:
        certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    return enrollment.user, certificate


def my_training(client, learner) -> str:
    client.force_login(learner)
    response = client.get("/en/learning/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_rendered_certificate_shows_its_number_dates_status_and_downloads(client, english):
    learner, certificate = completed_with_certificate(render=True)
    page = my_training(client, learner)
    assert f"Certificate {certificate.number}" in page
    assert certificate.expires_on.strftime("%Y") in page
    assert "<strong>Valid</strong>" in page
    download = f"/en/certificates/{certificate.pk}/pdf/"
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert certificate.number in pdf_text(b"".join(response.streaming_content))


def test_a_certificate_not_rendered_yet_is_being_prepared_without_a_link(client, english):
    learner, certificate = completed_with_certificate(render=False)
    page = my_training(client, learner)
    assert f"Certificate {certificate.number}" in page
    assert "Being prepared" in page
    assert f"/certificates/{certificate.pk}/pdf/" not in page


def test_an_expired_certificate_says_so(client, english):
    learner, certificate = completed_with_certificate(render=True)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    page = my_training(client, learner)
    assert "Expired" in page and "<strong>Valid</strong>" not in page


def test_a_revoked_certificate_says_so_and_offers_no_download(client, english):
    learner, certificate = completed_with_certificate(render=True)
    certificate_revoke(certificate=certificate, reason="Issued by mistake")
    page = my_training(client, learner)
    assert "Revoked on" in page
    assert f"/certificates/{certificate.pk}/pdf/" not in page


def test_a_reissued_certificate_shows_only_the_new_number(client, english):
    learner, certificate = completed_with_certificate(render=True)
    new = certificate_reissue(certificate=certificate, reason="Name corrected")
    page = my_training(client, learner)
    assert new.number in page and certificate.number not in page
    assert "Being prepared" in page


def test_another_learners_certificate_is_not_listed(client, english):
    _learner, certificate = completed_with_certificate(render=True)
    page = my_training(client, UserFactory())
    assert certificate.number not in page
