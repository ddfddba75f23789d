"""A real Celery worker renders an issued certificate from the certificates queue; the task sent
twice still leaves one PDF."""

import time

from django.db import transaction

import pytest

from certificates.models import Certificate
from certificates.tasks import render_certificate

from .conftest import KAZAKH_NAME, issue, pdf_text

WAIT_SECONDS = 60


@pytest.fixture
def worker_private_root(monkeypatch, private_files):
    """The worker, started after this, stores its PDFs where this test reads them."""
    monkeypatch.setenv("PRIVATE_ROOT", str(private_files))
    return private_files


def wait_rendered(certificate: Certificate) -> Certificate:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        certificate.refresh_from_db()
        if certificate.is_rendered:
            break
        time.sleep(0.3)
    return certificate


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_an_issued_certificate_once(
    worker_private_root, celery_worker_process, tmp_path
):
    with transaction.atomic():
        certificate = issue()
    certificate = wait_rendered(certificate)
    assert certificate.is_rendered, certificate.render_error
    render_certificate.delay(certificate.pk)  # a duplicated message
    render_certificate.delay(certificate.pk)
    # The worker's log (the fixture writes it under this test's tmp_path): all three ran.
    log = tmp_path / "worker.log"
    deadline = time.monotonic() + WAIT_SECONDS
    while log.read_text().count("render_certificate[") < 6 and time.monotonic() < deadline:
        time.sleep(0.3)
    assert log.read_text().count("succeeded in") == 3, log.read_text()[-3000:]
    files = list(worker_private_root.rglob("*.pdf"))
    assert [f.name for f in files] == [f"{certificate.number}.pdf"]
    certificate.refresh_from_db()
    assert certificate.render_attempts == 1
    text = pdf_text(files[0])
    assert KAZAKH_NAME in text.replace("\n", " ") and certificate.number in text


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_an_events_certificates_again_and_finishes_the_request(
    worker_private_root, celery_worker_process
):
    from certificates.models import CertificateRegeneration
    from certificates.services import (
        certificate_regeneration_start,
        certificate_render,
        regeneration_progress,
    )
    from tests.factories import ElectionEventFactory

    from .conftest import certificate_template

    event, template = ElectionEventFactory(), certificate_template()
    certificates = [issue(event=event, template=template) for _ in range(3)]
    for certificate in certificates:
        certificate_render(certificate_id=certificate.pk)
    with transaction.atomic():
        regeneration, started = certificate_regeneration_start(event=event, requested_by=None)
    assert started
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        regeneration.refresh_from_db()
        if regeneration.finished_at is not None:
            break
        time.sleep(0.3)
    assert regeneration.finished_at is not None
    assert regeneration.chunks == 1 and regeneration.chunks_done == [0]
    progress = regeneration_progress(regeneration)
    assert (progress.done, progress.total, progress.failing) == (3, 3, 0)
    assert sorted(f.name for f in worker_private_root.rglob("*.pdf")) == sorted(
        f"{c.number}.pdf" for c in certificates
    )
    assert CertificateRegeneration.objects.count() == 1
