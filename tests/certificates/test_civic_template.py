"""The civic education template of the public courses: its own look (portrait, its own colour),
its text in Kazakh, Russian and English, named by the demo course "Your first vote" (also on a
database seeded before it existed), and its certificates rendered and verified like any other."""

import re
import subprocess
from io import StringIO

from django.core.management import call_command

import pytest

from certificates.demo import CIVIC_TEMPLATE_NAME, TEMPLATE_NAME, civic_template
from certificates.demo import demo_seed as certificates_seed
from certificates.models import CertificateTemplate
from certificates.services import certificate_render
from courses.demo import FIRST_VOTE
from courses.models import CoursePage, LessonPage
from courses.services import course_join, lesson_complete
from courses.services.certificates import certificate_issue_for_completion
from quizzes.models import QuizPage
from quizzes.services import attempt_start, attempt_submit
from tests.factories import UserFactory, correct_answers

from .conftest import KAZAKH_NAME, issue, pdf_text

pytestmark = pytest.mark.django_db

TITLES = {
    "kk": "Азаматтық білім сертификаты",
    "ru": "Сертификат гражданского образования",
    "en": "Civic education certificate",
}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def first_vote(language: str = "kk") -> CoursePage:
    return CoursePage.objects.get(slug=FIRST_VOTE.slug, locale__language_code=language)


def test_the_civic_template_looks_unlike_the_commission_one(db):
    civic, created = civic_template()
    again, created_again = civic_template()

    assert created and not created_again and again.pk == civic.pk
    civic.full_clean()
    assert civic.orientation == CertificateTemplate.Orientation.PORTRAIT
    assert civic.accent_colour.lower() != "#1f4e79"  # the commission template's blue
    assert civic.validity == CertificateTemplate.Validity.MONTHS
    for language, title in TITLES.items():
        assert civic.text(language)[0] == title
        assert "{name}" in civic.text(language)[1] and "{course}" in civic.text(language)[1]
    assert civic.signatories.count() == 1


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_civic_certificate_is_one_portrait_page_in_its_language(tmp_path, language):
    civic, _created = civic_template()
    certificate = issue(template=civic, event=None, language=language)

    assert certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    data = certificate.pdf.read()
    text = pdf_text(data).replace("\n", " ")
    assert TITLES[language].split()[0] in text
    assert KAZAKH_NAME in text  # every Kazakh letter, in any language's certificate
    assert certificate.number in text
    path = tmp_path / "civic.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages: +1$", info, re.M), info
    assert "595.276 x 841.89" in info or "595 x 842" in info  # A4 portrait


def test_the_public_demo_course_issues_civic_certificates_verified_on_the_same_page(client):
    seed()
    course = first_vote()
    assert course.certificate_template.name == CIVIC_TEMPLATE_NAME
    learner = UserFactory(full_name=KAZAKH_NAME, preferred_language="kk")
    enrollment, _created = course_join(user=learner, course=course)
    for lesson in LessonPage.objects.live().descendant_of(course).order_by("path"):
        lesson_complete(
            user=learner, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    final = QuizPage.objects.child_of(course).get(kind=QuizPage.Kind.FINAL)
    attempt = attempt_start(user=learner, quiz=final)
    attempt_submit(attempt=attempt, answers=correct_answers(attempt), quiz=final)
    enrollment.refresh_from_db()
    assert enrollment.is_completed

    certificate = certificate_issue_for_completion(enrollment=enrollment)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()

    assert certificate.template.name == CIVIC_TEMPLATE_NAME
    assert TITLES["kk"].split()[0] in pdf_text(certificate.pdf.read())
    page = client.get(f"/en/certificates/verify/{certificate.code}/")
    assert page.status_code == 200
    assert certificate.number in page.content.decode()


def test_a_database_seeded_before_gets_the_civic_template_on_the_next_run(db):
    seed()
    commission = CertificateTemplate.objects.get(name=TEMPLATE_NAME)
    course = first_vote()
    course.certificate_template = commission  # as an earlier demo left it
    course.save_revision().publish()

    certificates_seed()
    assert first_vote().certificate_template.name == CIVIC_TEMPLATE_NAME

    chosen = CertificateTemplate.objects.create(
        name="Chosen by a trainer", title_kk="С", body_kk="{name}"
    )
    course = first_vote()
    course.certificate_template = chosen
    course.save_revision().publish()
    certificates_seed()
    assert first_vote().certificate_template_id == chosen.pk
    assert CertificateTemplate.objects.filter(name=CIVIC_TEMPLATE_NAME).count() == 1
