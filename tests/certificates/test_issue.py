"""Issuing: once per learner, course and event, whatever retries and races do; the snapshot
frozen at issue; the PDF rendered after commit, once, even when the task runs twice; nothing lost
when the broker is down."""

import uuid
from unittest import mock

import pytest

from certificates import services
from certificates.models import Certificate
from certificates.services import certificate_render, certificates_render_pending
from certificates.tasks import render_certificate
from courses.services import lesson_complete
from tests.factories import CourseTree, ElectionEventFactory, EnrollmentFactory, UserFactory

from .conftest import KAZAKH_NAME, certificate_template, issue, pdf_text

pytestmark = pytest.mark.django_db


def test_a_second_issue_returns_the_first_certificate():
    learner, event, course_key = UserFactory(), ElectionEventFactory(), uuid.uuid4()
    template = certificate_template()
    first = issue(learner=learner, event=event, course_key=course_key, template=template)
    second = issue(learner=learner, event=event, course_key=course_key, template=template)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_a_race_lost_at_the_constraint_returns_the_winners_certificate():
    learner, event, course_key = UserFactory(), ElectionEventFactory(), uuid.uuid4()
    template = certificate_template()
    winner = issue(learner=learner, event=event, course_key=course_key, template=template)
    real_existing = services.issuing._existing
    calls = []

    def existing_seen_late(**lookup):
        calls.append(lookup)
        # The first look finds nothing, as in a concurrent issue that has not committed yet.
        return None if len(calls) == 1 else real_existing(**lookup)

    with mock.patch.object(services.issuing, "_existing", side_effect=existing_seen_late):
        loser = issue(learner=learner, event=event, course_key=course_key, template=template)
    assert loser.pk == winner.pk
    assert Certificate.objects.count() == 1


def test_snapshot_is_unchanged_after_renaming_the_learner_and_editing_the_template():
    learner = UserFactory(full_name=KAZAKH_NAME)
    template = certificate_template()
    certificate = issue(learner=learner, template=template)
    learner.full_name = "Басқа Адам"
    learner.save()
    template.body_kk = "Жаңа мәтін {name}"
    template.save()
    certificate.refresh_from_db()
    assert certificate.snapshot["holder_name"] == KAZAKH_NAME
    assert certificate.snapshot["template_version"] == 1
    assert KAZAKH_NAME in certificate.snapshot["printed"]["body"]
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    text = pdf_text(certificate.pdf.read())
    assert KAZAKH_NAME in text.replace("\n", " ") and "Басқа Адам" not in text


def test_rendering_twice_stores_one_file_with_its_hash(private_files):
    certificate = issue()
    assert certificate_render(certificate_id=certificate.pk) is True
    assert render_certificate.delay(certificate.pk).get() is False  # a duplicated task
    certificate.refresh_from_db()
    files = list(private_files.rglob("*.pdf"))
    assert [f.name for f in files] == [f"{certificate.number}.pdf"]
    import hashlib

    assert certificate.sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert certificate.rendered_at and certificate.render_attempts == 1
    assert certificate.number in pdf_text(files[0])


def test_issue_renders_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue()
    certificate.refresh_from_db()
    assert certificate.is_rendered and certificate.pdf.name.endswith(f"{certificate.number}.pdf")


def test_a_failed_render_is_recorded_and_left_pending(django_capture_on_commit_callbacks):
    with (
        mock.patch("certificates.pdf.render_certificate", side_effect=RuntimeError("no fonts")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        certificate = issue()
    certificate.refresh_from_db()
    assert not certificate.is_rendered
    assert "no fonts" in certificate.render_error
    assert certificate.render_attempts >= 1
    assert certificates_render_pending() == 1
    certificate.refresh_from_db()
    assert certificate.is_rendered and certificate.render_error == ""


def course_with_certificate(**template_fields):
    course = CourseTree.build(modules=1, lessons=2)
    course.certificate_template = certificate_template(**template_fields)
    course.save()
    return course


def complete(enrollment, course):
    for lesson in CourseTree.lessons(course):
        lesson_complete(
            user=enrollment.user,
            course_key=course.translation_key,
            lesson_key=lesson.translation_key,
        )


def test_completing_a_course_issues_and_renders_its_certificate(
    django_capture_on_commit_callbacks,
):
    course = course_with_certificate()
    enrollment = EnrollmentFactory(course=course, user=UserFactory(full_name=KAZAKH_NAME))
    with django_capture_on_commit_callbacks(execute=True):
        complete(enrollment, course)
    certificate = Certificate.objects.get()
    assert certificate.learner == enrollment.user and certificate.event == enrollment.event
    assert certificate.course_key == course.translation_key
    assert certificate.snapshot["course_title"] == course.title
    assert certificate.snapshot["event_name"] == enrollment.event.name_kk
    assert certificate.expires_on > enrollment.event.vote_date
    text = pdf_text(certificate.pdf.read())
    assert KAZAKH_NAME in text.replace("\n", " ") and certificate.number in text


def test_a_russian_speaker_gets_the_russian_text():
    course = course_with_certificate()
    learner = UserFactory(preferred_language="ru")
    enrollment = EnrollmentFactory(course=course, user=learner)
    complete(enrollment, course)
    certificate = Certificate.objects.get()
    assert certificate.language == "ru"
    assert certificate.snapshot["event_name"] == enrollment.event.name_ru
    assert "завершил(а) курс" in certificate.snapshot["printed"]["body"]


def test_a_course_without_template_gives_no_certificate():
    course = CourseTree.build(modules=1, lessons=1)
    enrollment = EnrollmentFactory(course=course)
    complete(enrollment, course)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert not Certificate.objects.exists()


def test_broker_down_the_completion_stands_and_the_certificate_is_rendered_later(
    django_capture_on_commit_callbacks,
):
    course = course_with_certificate()
    enrollment = EnrollmentFactory(course=course)
    with (
        mock.patch.object(render_certificate, "delay", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complete(enrollment, course)
    enrollment.refresh_from_db()
    certificate = Certificate.objects.get()
    assert enrollment.completed_at is not None
    assert not certificate.is_rendered
    # The broker is back: the periodic sweep queues it.
    assert certificates_render_pending() == 1
    certificate.refresh_from_db()
    assert certificate.is_rendered


def test_rendering_runs_on_the_certificates_queue_and_beat_sweeps_pending_ones():
    from cms.celery import app

    app.loader.import_default_modules()
    route = app.amqp.router.route({}, "certificates.tasks.render_certificate")
    assert route["queue"].name == "certificates"
    sweep = app.conf.beat_schedule["render-pending-certificates"]
    assert sweep["task"] == "certificates.tasks.render_pending_certificates"


def test_the_qr_code_of_an_issued_certificate_opens_its_verify_page(
    client, tmp_path, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from urllib.parse import urlsplit

    from .conftest import pdf_qr_codes

    course = course_with_certificate()
    enrollment = EnrollmentFactory(course=course, user=UserFactory(full_name=KAZAKH_NAME))
    with django_capture_on_commit_callbacks(execute=True):
        complete(enrollment, course)
    certificate = Certificate.objects.get()
    [url] = pdf_qr_codes(certificate.pdf.read(), tmp_path)
    assert url == f"http://testserver/certificates/verify/{certificate.code}/"
    with django_assert_max_num_queries(3):
        page = client.get(urlsplit(url).path).content.decode()
    assert 'data-status="valid"' in page and KAZAKH_NAME in page
    assert "Жарамды" in page  # Kazakh at the unprefixed address


def test_the_completion_date_printed_is_the_local_date():
    from datetime import UTC, datetime

    from courses.services.certificates import certificate_issue_for_completion

    course = course_with_certificate()
    enrollment = EnrollmentFactory(course=course)
    # 20:00 UTC is already the next day in Almaty (UTC+5).
    enrollment.completed_at = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    certificate = certificate_issue_for_completion(enrollment=enrollment)
    assert certificate.snapshot["completed_on"] == "02.03.2026"
    assert "02.03.2026" in certificate.snapshot["printed"]["body"]


def test_a_batch_stores_one_file_per_certificate_with_only_its_own_number(private_files):
    from certificates.tasks import render_certificates

    certificates = [issue() for _ in range(3)]
    ids = [c.pk for c in certificates]
    assert render_certificates.delay(ids).get() == 3
    assert render_certificates.delay(ids).get() == 0  # a duplicated task stores nothing
    assert len(list(private_files.rglob("*.pdf"))) == 3
    for certificate in certificates:
        certificate.refresh_from_db()
        text = pdf_text(certificate.pdf.read())
        others = [c.number for c in certificates if c.pk != certificate.pk]
        assert certificate.number in text and not any(number in text for number in others)
        assert certificate.render_attempts == 1 and certificate.sha256
