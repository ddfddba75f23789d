"""The demo certificates ``seed_demo`` loads: a template in three languages named by the precinct
courses, two people of the first precinct who completed the counting course with their
certificates rendered in their languages, ``member`` left to earn theirs, and a second run that
adds nothing."""

from io import StringIO

from django.core.management import call_command

from wagtail.models import Revision

import pytest

from accounts.models import User
from certificates.demo import TEMPLATE_NAME
from certificates.models import Certificate, CertificateTemplate
from courses.demo import COUNTING, OPENING
from courses.models import CoursePage

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "templates": CertificateTemplate.objects.count(),
        "certificates": Certificate.objects.count(),
        "revisions": Revision.objects.count(),
        "rendered": Certificate.objects.filter(rendered_at__isnull=False).count(),
    }


def test_demo_certificates_are_issued_rendered_once_and_not_duplicated(private_files):
    out = seed()
    assert "2 certificates issued and 2 rendered" in out
    template = CertificateTemplate.objects.get(name=TEMPLATE_NAME)
    assert all(template.text(language)[0] for language in ("kk", "ru", "en"))
    assert template.title_en == "Certificate of training"
    for slug in (OPENING.slug, COUNTING.slug):
        page = CoursePage.objects.get(slug=slug, locale__language_code="kk")
        assert page.certificate_template == template
        assert page.get_latest_revision().as_object().certificate_template == template

    secretary = User.objects.get(username="manager-precinct")
    certificate = Certificate.objects.get(learner=secretary)
    assert certificate.language == "ru" and certificate.is_rendered
    text = pdf_text(certificate.pdf.read())
    assert secretary.full_name in text and certificate.number in text
    assert "Сертификат об обучении" in text
    kazakh = Certificate.objects.get(learner__username="pec-0214-2")  # the deputy chair
    assert kazakh.language == "kk" and "Оқу туралы сертификат" in pdf_text(kazakh.pdf.read())
    assert not Certificate.objects.filter(learner__username="member").exists()
    # Every certificate of the demo has its own file (reports.demo adds the precincts' own).
    rendered = Certificate.objects.filter(rendered_at__isnull=False).count()
    assert len(list(private_files.rglob("*.pdf"))) == rendered

    before = counts()
    out = seed()
    assert counts() == before
    assert "template already there" in out and "0 certificates issued and 0 rendered" in out
    assert len(list(private_files.rglob("*.pdf"))) == rendered
