"""Certificates in the Wagtail admin: templates, edited by trainers as structured fields; and the
issued certificates, read-only for administrators (a failed render shows its error here)."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Certificate, CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    """Title and body per language, images, signatories, colour and validity."""

    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    url_prefix = "certificates/templates"
    add_to_admin_menu = True
    copy_view_enabled = True
    inspect_view_enabled = False
    list_display = ["name", "orientation", "version", "updated_at"]
    search_fields = ["name"]
    search_backend_name = None


register_snippet(CertificateTemplateViewSet)


class IssuedCertificatesPolicy(ModelPermissionPolicy):
    """Certificates are issued, revoked and re-issued by the services, never added, edited or
    deleted by hand: their snapshot and file are the record of what was printed."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Certificate, IssuedCertificatesPolicy(Certificate), exact_class=True)


class CertificateViewSet(ModelViewSet):
    """Issued certificates, for administrators: number, holder, dates, rendering and its error."""

    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Issued certificates")
    name = "certificates_certificate"
    url_prefix = "certificates/issued"
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    list_display = ["number", "learner", "issued_at", "expires_on", "rendered_at", "render_error"]
    search_fields = ["number"]
    search_backend_name = None
    # Required by ModelViewSet; the policy above refuses the add and edit views to everyone.
    form_fields = ["revoked_reason"]
    inspect_view_fields = [
        "number",
        "learner",
        "course_key",
        "event",
        "template",
        "language",
        "issued_at",
        "expires_on",
        "revoked_at",
        "revoked_reason",
        "replaced_by",
        "rendered_at",
        "sha256",
        "render_attempts",
        "render_error",
    ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet()
