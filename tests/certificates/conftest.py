"""Certificates are stored in a private folder of the test's own; helpers to issue one and read
its PDF with Debian's poppler-utils and zbar-tools, as a person checking it would."""

import subprocess
import uuid
from pathlib import Path

import pytest

from certificates.models import CertificateTemplate
from tests.factories import ElectionEventFactory, UserFactory

KAZAKH_NAME = "Әсемгүл Ғалымқызы Тәңірбергенқұлова Сағынөұүһі"  # every Kazakh letter, both cases


@pytest.fixture(autouse=True)
def private_files(monkeypatch, tmp_path):
    """The PDFs of this test, in a folder of its own (the field's storage is bound at import)."""
    from django.core.files.storage import FileSystemStorage

    from certificates.models import Certificate

    location = tmp_path / "private"
    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location, base_url=None))
    return location


def certificate_template(**fields) -> CertificateTemplate:
    fields.setdefault("name", "Referendum 2026")
    fields.setdefault("title_kk", "Сертификат")
    fields.setdefault("body_kk", "{name} «{course}» курсын ({hours} сағат) {date} аяқтады. {event}")
    fields.setdefault("title_ru", "Сертификат")
    fields.setdefault("body_ru", "{name} завершил(а) курс «{course}» ({hours} ч.) {date}. {event}")
    fields.setdefault("title_en", "Certificate")
    fields.setdefault("body_en", "{name} completed the course “{course}” ({hours} h) on {date}.")
    template = CertificateTemplate(**fields)
    template.save()
    return template


def snapshot(name: str = KAZAKH_NAME, **fields) -> dict:
    return {
        "holder_name": name,
        "course_title": "Учаскені ашу",
        "event_name": "Республикалық референдум",
        "completed_on": "01.03.2026",
        "hours": "2",
        **fields,
    }


def issue(*, learner=None, event="new", template=None, language="kk", course_key=None, **kwargs):
    """Issue a certificate, outside any on-commit: its PDF is not rendered."""
    from certificates.services import certificate_issue

    learner = learner or UserFactory(full_name=KAZAKH_NAME)
    event = ElectionEventFactory() if event == "new" else event
    template = template or certificate_template()
    return certificate_issue(
        learner_id=learner.pk,
        course_key=course_key or uuid.uuid4(),
        event_id=event.pk if event else None,
        template_id=template.pk,
        snapshot=snapshot(learner.full_name, **kwargs),
        language=language,
    )


def pdf_text(path_or_bytes) -> str:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_qr_codes(data: bytes, tmp_path: Path) -> list[str]:
    """The QR codes zbarimg reads on the PDF's page drawn at 150 dpi."""
    pdf = tmp_path / f"{uuid.uuid4()}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(pdf), str(pdf.with_suffix(""))], check=True
    )
    found = []
    for png in sorted(tmp_path.glob(f"{pdf.stem}*.png")):
        result = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True)
        found += result.stdout.decode().split()
    return found
