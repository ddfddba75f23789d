"""What central administrators do to issued certificates in the Wagtail admin: revoke (reason
required), re-issue (a new number, the old one shown as replaced), render a failed PDF again,
and render an event's certificates again with visible progress. Double submits and other staff
change nothing."""

from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from certificates.models import Certificate, CertificateRegeneration
from certificates.services import MAX_RENDER_ATTEMPTS, certificate_render
from tests.factories import ElectionEventFactory, staff_user

from .conftest import certificate_template, issue

pytestmark = pytest.mark.django_db

ISSUED = "/admin/certificates/issued"


@pytest.fixture
def administrator(client):
    user = staff_user("Central administrators", admin_language="en")
    client.force_login(user)
    return user


@pytest.fixture
def rendered():
    certificate = issue()
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


def test_the_record_offers_revoke_re_issue_and_download(client, administrator, rendered):
    page = client.get(f"{ISSUED}/inspect/{rendered.pk}/").content.decode()
    assert f"{ISSUED}/revoke/{rendered.pk}/" in page
    assert f"{ISSUED}/reissue/{rendered.pk}/" in page
    assert f"/certificates/{rendered.pk}/pdf/" in page
    assert f"{ISSUED}/render/{rendered.pk}/" not in page  # it has its PDF


def test_revoking_needs_a_reason_and_is_logged(client, administrator, rendered):
    response = client.post(f"{ISSUED}/revoke/{rendered.pk}/", {"reason": "   "})
    assert response.status_code == 200 and "Give the reason." in response.content.decode()
    assert Certificate.objects.get(pk=rendered.pk).revoked_at is None

    response = client.post(f"{ISSUED}/revoke/{rendered.pk}/", {"reason": "Сынақ жалған өтті"})
    assert response.status_code == 302
    revoked = Certificate.objects.get(pk=rendered.pk)
    assert revoked.revoked_reason == "Сынақ жалған өтті" and revoked.status() == "revoked"
    entry = ModelLogEntry.objects.get(action="certificates.revoke")
    assert entry.user == administrator and entry.data["reason"] == "Сынақ жалған өтті"
    verify = client.get(f"/en/certificates/verify/{rendered.code}/").content.decode()
    assert 'data-status="revoked"' in verify and "Сынақ жалған өтті" in verify


def test_a_second_revoke_keeps_the_first_reason(client, administrator, rendered):
    client.post(f"{ISSUED}/revoke/{rendered.pk}/", {"reason": "Бірінші"})
    response = client.post(f"{ISSUED}/revoke/{rendered.pk}/", {"reason": "Екінші"}, follow=True)
    assert "already revoked" in response.content.decode()
    assert Certificate.objects.get(pk=rendered.pk).revoked_reason == "Бірінші"


def test_re_issue_corrects_the_name_under_a_new_number_once(
    client, administrator, rendered, django_capture_on_commit_callbacks
):
    form = client.get(f"{ISSUED}/reissue/{rendered.pk}/").content.decode()
    assert rendered.snapshot["holder_name"] in form  # the name as printed, to correct
    data = {"reason": "Аты қате жазылған", "holder_name": "Әлия Сәрсенбаева"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ISSUED}/reissue/{rendered.pk}/", data)
    new = Certificate.objects.get(replaces=rendered)
    assert response.status_code == 302 and response["Location"].endswith(f"/inspect/{new.pk}/")
    assert new.number != rendered.number and new.code != rendered.code
    assert new.snapshot["holder_name"] == "Әлия Сәрсенбаева" and new.is_rendered
    old = Certificate.objects.get(pk=rendered.pk)
    assert old.replaced_by == new and old.status() == "replaced"

    again = client.post(f"{ISSUED}/reissue/{rendered.pk}/", data, follow=True)
    assert f"already replaced by {new.number}" in again.content.decode()
    assert Certificate.objects.filter(learner=rendered.learner).count() == 2


def test_a_failed_render_is_shown_filtered_and_rendered_again(client, administrator):
    certificate = issue()
    Certificate.objects.filter(pk=certificate.pk).update(
        render_error="OSError: disk full", render_attempts=MAX_RENDER_ATTEMPTS
    )
    fine = issue()
    listing = client.get(f"{ISSUED}/?state=error").content.decode()
    assert certificate.number in listing and fine.number not in listing
    inspect = client.get(f"{ISSUED}/inspect/{certificate.pk}/").content.decode()
    assert f"{ISSUED}/render/{certificate.pk}/" in inspect

    response = client.post(f"{ISSUED}/render/{certificate.pk}/", follow=True)
    assert "The PDF is ready." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_rendered and certificate.render_error == ""
    assert ModelLogEntry.objects.filter(action="certificates.render").count() == 1


@pytest.mark.parametrize("action", ["revoke", "reissue", "render"])
def test_trainers_may_not_act_on_issued_certificates(client, rendered, action):
    client.force_login(staff_user("Trainers", admin_language="en"))
    response = client.post(f"{ISSUED}/{action}/{rendered.pk}/", {"reason": "x", "holder_name": "x"})
    assert response.status_code in (302, 403)
    fresh = Certificate.objects.get(pk=rendered.pk)
    assert fresh.revoked_at is None and fresh.replaced_by is None
    assert client.get(f"{ISSUED}/regenerate/").status_code in (302, 403)


def test_an_unknown_certificate_is_a_404(client, administrator):
    assert client.get(f"{ISSUED}/revoke/999999/").status_code == 404


def test_regenerating_an_event_shows_its_progress(
    client, administrator, django_capture_on_commit_callbacks
):
    event, template = ElectionEventFactory(), certificate_template()
    certificates = [issue(event=event, template=template) for _ in range(3)]
    for certificate in certificates:
        certificate_render(certificate_id=certificate.pk)
    form = client.get(f"{ISSUED}/regenerate/").content.decode()
    assert str(event.pk) in form

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ISSUED}/regenerate/", {"event": event.pk})
    regeneration = CertificateRegeneration.objects.get()
    assert response["Location"].endswith(f"/regenerate/{regeneration.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert '<progress max="3" value="3"' in page and "Finished" in page
    assert "data-refresh" not in page
    assert all(
        Certificate.objects.get(pk=c.pk).rendered_at >= regeneration.requested_at
        for c in certificates
    )


def test_a_running_regeneration_refreshes_and_a_double_submit_starts_no_second(
    client, administrator
):
    event = ElectionEventFactory()
    issue(event=event)
    client.post(f"{ISSUED}/regenerate/", {"event": event.pk})  # not committed: stays running
    response = client.post(f"{ISSUED}/regenerate/", {"event": event.pk}, follow=True)
    page = response.content.decode()
    assert "already being rendered again" in page and 'data-refresh="5"' in page
    assert '<progress max="1" value="0"' in page
    assert CertificateRegeneration.objects.filter(finished_at__isnull=True).count() == 1
    assert CertificateRegeneration.objects.get().requested_at <= timezone.now()
