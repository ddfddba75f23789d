"""Certificate templates as trainers edit them, and what the database guarantees."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from certificates.models import Certificate, CertificateTemplate, validate_placeholders
from certificates.services import certificate_reissue, certificate_revoke

from .conftest import certificate_template, issue

pytestmark = pytest.mark.django_db


def test_an_unknown_placeholder_is_a_clear_form_error():
    template = CertificateTemplate(
        name="T", title_kk="Сертификат", body_kk="{name} {курс} {event} {dates}"
    )
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    message = " ".join(error.value.message_dict["body_kk"])
    assert "{dates}" in message and "{курс}" in message
    assert "{name} {course} {event} {date} {hours} {number}" in message


def test_known_placeholders_pass():
    validate_placeholders("{name} {course} {event} {date} {hours} {number}")


def test_accent_colour_must_be_a_hex_colour():
    template = CertificateTemplate(name="T", title_kk="С", body_kk="{name}", accent_colour="red")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "accent_colour" in error.value.message_dict


def test_version_increases_on_each_save():
    template = certificate_template()
    assert template.version == 1
    template.body_kk = "{name}"
    template.save()
    template.save()
    template.refresh_from_db()
    assert template.version == 3


def test_validity_follows_the_vote_date_or_months_from_issue():
    template = CertificateTemplate(validity="event", validity_days=45, validity_months=6)
    assert template.expires_on(issued_on=date(2026, 2, 1), vote_date=date(2026, 3, 15)) == date(
        2026, 4, 29
    )
    # Without an event, months from issue.
    assert template.expires_on(issued_on=date(2026, 8, 31), vote_date=None) == date(2027, 2, 28)
    template.validity = "months"
    assert template.expires_on(issued_on=date(2026, 2, 1), vote_date=date(2026, 3, 15)) == date(
        2026, 8, 1
    )


def _duplicate(certificate: Certificate) -> Certificate:
    return Certificate(
        learner_id=certificate.learner_id,
        course_key=certificate.course_key,
        event_id=certificate.event_id,
        template_id=certificate.template_id,
        number=certificate.number + "-X",
        expires_on=certificate.expires_on,
    )


def test_database_refuses_a_second_certificate_for_the_same_course_and_event():
    certificate = issue()
    with pytest.raises(IntegrityError), transaction.atomic():
        _duplicate(certificate).save()


def test_database_refuses_a_second_certificate_for_the_same_course_without_event():
    certificate = issue(event=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        _duplicate(certificate).save()


def test_numbers_are_sequential_and_human_readable():
    first, second = issue(), issue()
    year = first.issued_at.year
    assert first.number == f"KZ-{year}-000001"
    assert second.number == f"KZ-{year}-000002"
    assert len(first.code) >= 22 and first.code != second.code


def test_reissue_gives_a_new_number_and_the_old_one_shows_replaced():
    old = issue()
    new = certificate_reissue(certificate=old, reason="Аты-жөні қате жазылған")
    old.refresh_from_db()
    assert new.number != old.number and new.code != old.code
    assert old.replaced_by == new
    assert old.status() == Certificate.Status.REPLACED
    assert new.status() == Certificate.Status.VALID
    assert new.snapshot["holder_name"] == old.snapshot["holder_name"]


def test_revoked_certificate_keeps_its_date_and_reason():
    certificate = certificate_revoke(certificate=issue(), reason="Оқу жалған")
    assert certificate.status() == Certificate.Status.REVOKED
    assert certificate.revoked_reason == "Оқу жалған" and certificate.revoked_at
