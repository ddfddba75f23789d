"""The certificate template form trainers fill in the Wagtail admin."""

from django.utils import translation

import pytest

from certificates.models import CertificateTemplate

pytestmark = pytest.mark.django_db


def template_form(**overrides):
    form_class = CertificateTemplate.snippet_viewset.get_edit_handler().get_form_class()
    data = {
        "name": "Референдум 2026",
        "title_kk": "Сертификат",
        "body_kk": "{name} «{course}» курсын аяқтады.",
        "accent_colour": "#1f4e79",
        "orientation": "landscape",
        "validity": "event",
        "validity_days": "30",
        "validity_months": "12",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "3",
        **overrides,
    }
    return form_class(data=data, instance=CertificateTemplate(), for_user=None)


def signatories(count: int) -> dict:
    data = {"signatories-TOTAL_FORMS": str(count)}
    for i in range(count):
        data |= {
            f"signatories-{i}-name": f"Қол қоюшы {i}",
            f"signatories-{i}-post": "Төраға",
            f"signatories-{i}-ORDER": str(i + 1),
        }
    return data


def test_a_filled_template_with_three_signatories_saves_as_version_one():
    form = template_form(**signatories(3))
    assert form.is_valid(), form.errors
    template = form.save()
    assert template.version == 1 and template.signatories.count() == 3


def test_the_form_names_the_unknown_placeholder():
    with translation.override("en"):
        form = template_form(body_ru="{name} {imya}")
        assert not form.is_valid()
        assert "Unknown placeholder(s): {imya}" in str(form.errors["body_ru"])


def test_the_form_refuses_a_fourth_signatory_and_a_bad_colour():
    form = template_form(accent_colour="blue", **signatories(4))
    assert not form.is_valid()
    assert "accent_colour" in form.errors
    assert form.formsets["signatories"].non_form_errors()


def test_trainers_open_the_add_form_in_the_admin(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/certificates/templates/add/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="body_kk"' in page and "signatories-TOTAL_FORMS" in page


def test_administrators_see_issued_certificates_with_a_render_error_but_cannot_edit_them(client):
    from certificates.models import Certificate
    from tests.factories import UserFactory

    from .conftest import issue

    certificate = issue()
    Certificate.objects.filter(pk=certificate.pk).update(render_error="OSError: disk full")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get("/admin/certificates/issued/?q=" + certificate.number)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert certificate.number in page and "OSError: disk full" in page
    inspect = client.get(f"/admin/certificates/issued/inspect/{certificate.pk}/")
    assert inspect.status_code == 200 and certificate.sha256 == ""
    for url in (
        "/admin/certificates/issued/new/",
        f"/admin/certificates/issued/edit/{certificate.pk}/",
        f"/admin/certificates/issued/delete/{certificate.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert client.post(f"/admin/certificates/issued/delete/{certificate.pk}/").status_code in (
        302,
        403,
    )
    assert Certificate.objects.filter(pk=certificate.pk).exists()
