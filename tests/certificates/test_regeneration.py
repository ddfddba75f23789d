"""Rendering again every live certificate of an event: chunked, counted from the certificates
themselves, once per certificate however often a chunk is delivered; reprinting the template's
current wording only when asked, never changing the holder, number or code."""

from unittest import mock

from django.utils import timezone

import pytest

from certificates.models import Certificate, CertificateRegeneration
from certificates.services import (
    certificate_regeneration_chunk,
    certificate_regeneration_start,
    certificate_render,
    certificate_revoke,
    regeneration_progress,
)
from certificates.services import regeneration as regeneration_module
from certificates.tasks import regenerate_certificates
from tests.factories import ElectionEventFactory, UserFactory

from .conftest import certificate_template, issue, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_certificates():
    """Three rendered certificates of one event, one of them revoked, and one of another
    event."""
    event, template = ElectionEventFactory(), certificate_template()
    live = [issue(event=event, template=template) for _ in range(2)]
    revoked = issue(event=event, template=template)
    other = issue(template=template)
    for certificate in [*live, revoked, other]:
        certificate_render(certificate_id=certificate.pk)
    certificate_revoke(certificate=revoked, reason="Дубликат")
    return event, template, live, revoked, other


def rendered_at(certificate):
    return Certificate.objects.get(pk=certificate.pk).rendered_at


def test_an_events_live_certificates_are_rendered_again_and_the_request_finishes(
    event_certificates, django_capture_on_commit_callbacks
):
    event, template, live, revoked, other = event_certificates
    before = {c.pk: rendered_at(c) for c in [*live, revoked, other]}
    with django_capture_on_commit_callbacks(execute=True):
        regeneration, started = certificate_regeneration_start(
            event=event, requested_by=UserFactory()
        )
    assert started and regeneration.total == 2
    regeneration.refresh_from_db()
    assert regeneration.finished_at is not None and regeneration.chunks_done == [0]
    for certificate in live:
        fresh = Certificate.objects.get(pk=certificate.pk)
        assert fresh.rendered_at > before[certificate.pk] >= fresh.issued_at
        assert fresh.number == certificate.number and fresh.code == certificate.code
        assert fresh.sha256 and fresh.pdf.name.endswith(f"{certificate.number}.pdf")
    assert rendered_at(revoked) == before[revoked.pk]
    assert rendered_at(other) == before[other.pk]
    progress = regeneration_progress(regeneration)
    assert (progress.done, progress.total, progress.failing, progress.percent) == (2, 2, 0, 100)
    assert progress.finished


def test_without_reprint_the_pdf_prints_what_was_issued(event_certificates, private_files):
    event, template, live, *_ = event_certificates
    template.body_kk = "Мүлдем жаңа мәтін {name}"
    template.save()
    regeneration, _ = certificate_regeneration_start(event=event, requested_by=None)
    certificate_regeneration_chunk(
        regeneration_id=regeneration.pk, index=0, certificate_ids=[c.pk for c in live]
    )
    text = pdf_text(private_files / Certificate.objects.get(pk=live[0].pk).pdf.name)
    assert "Мүлдем жаңа мәтін" not in text and "курсын" in text


def test_reprint_takes_the_templates_current_wording_but_keeps_holder_and_number(
    event_certificates, private_files
):
    event, template, live, *_ = event_certificates
    template.body_kk = "Мүлдем жаңа мәтін {name}, {number}"
    template.save()
    regeneration, _ = certificate_regeneration_start(event=event, requested_by=None, reprint=True)
    certificate_regeneration_chunk(
        regeneration_id=regeneration.pk, index=0, certificate_ids=[c.pk for c in live]
    )
    fresh = Certificate.objects.get(pk=live[0].pk)
    assert fresh.snapshot["template_version"] == template.version
    assert fresh.snapshot["holder_name"] == live[0].snapshot["holder_name"]
    text = pdf_text(private_files / fresh.pdf.name)
    assert "Мүлдем жаңа мәтін" in text and fresh.number in text


def test_a_chunk_delivered_twice_renders_and_counts_once(event_certificates):
    event, _, live, *_ = event_certificates
    regeneration, _ = certificate_regeneration_start(event=event, requested_by=None)
    CertificateRegeneration.objects.filter(pk=regeneration.pk).update(chunks=1)
    ids = [c.pk for c in live]
    assert (
        certificate_regeneration_chunk(
            regeneration_id=regeneration.pk, index=0, certificate_ids=ids
        )
        == 2
    )
    stamps = [rendered_at(c) for c in live]
    assert (
        certificate_regeneration_chunk(
            regeneration_id=regeneration.pk, index=0, certificate_ids=ids
        )
        == 0
    )
    assert [rendered_at(c) for c in live] == stamps
    regeneration.refresh_from_db()
    assert regeneration.chunks_done == [0] and regeneration.finished_at is not None


def test_a_second_request_while_one_runs_returns_the_running_one(event_certificates):
    event, *_ = event_certificates
    first, started = certificate_regeneration_start(event=event, requested_by=None)
    second, started_again = certificate_regeneration_start(
        event=event, requested_by=None, reprint=True
    )
    assert started and not started_again and second.pk == first.pk
    assert CertificateRegeneration.objects.count() == 1


def test_the_work_is_cut_into_chunks_of_fifty(event_certificates, monkeypatch):
    event, *_ = event_certificates
    monkeypatch.setattr(regeneration_module, "REGENERATION_CHUNK", 1)
    queued = []
    with mock.patch.object(
        regenerate_certificates, "delay", side_effect=lambda *a: queued.append(a)
    ):
        regeneration, _ = certificate_regeneration_start(event=event, requested_by=None)
        assert (
            regeneration_module.certificate_regeneration_dispatch(regeneration_id=regeneration.pk)
            == 2
        )
    assert [(index, len(ids)) for _, index, ids in queued] == [(0, 1), (1, 1)]
    regeneration.refresh_from_db()
    assert regeneration.chunks == 2 and regeneration.finished_at is None
    assert regeneration_progress(regeneration).done == 0


def test_a_chunk_that_keeps_failing_is_recorded_with_its_error_and_the_request_ends(
    event_certificates,
):
    event, _, live, *_ = event_certificates
    regeneration, _ = certificate_regeneration_start(event=event, requested_by=None)
    CertificateRegeneration.objects.filter(pk=regeneration.pk).update(chunks=1)
    with (
        mock.patch("certificates.pdf.render_certificates", side_effect=OSError("disk full")),
        pytest.raises(OSError),
    ):
        # The last of its retries.
        regenerate_certificates.apply(
            args=(regeneration.pk, 0, [c.pk for c in live]),
            retries=regenerate_certificates.max_retries,
            throw=True,
        )
    regeneration.refresh_from_db()
    assert regeneration.finished_at is not None
    progress = regeneration_progress(regeneration)
    assert progress.done == 0 and progress.failing == 2
    # The old PDFs are still there: a failed regeneration loses nothing.
    assert all(Certificate.objects.get(pk=c.pk).pdf for c in live)


def test_an_event_without_certificates_finishes_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        regeneration, _ = certificate_regeneration_start(
            event=ElectionEventFactory(), requested_by=None
        )
    regeneration.refresh_from_db()
    assert regeneration.total == 0 and regeneration.finished_at is not None
    assert regeneration.finished_at <= timezone.now()
