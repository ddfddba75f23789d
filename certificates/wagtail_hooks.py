"""Certificates in the Wagtail admin: templates, edited by trainers as structured fields; and the
issued certificates, read-only records on which central administrators revoke, re-issue, render a
failed PDF again or render an event's certificates again (admin_views.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
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
    index_view_class = admin_views.CertificateIndexView
    inspect_view_class = admin_views.CertificateInspectView
    filterset_class = admin_views.CertificateFilterSet
    list_display = ["number", "learner", "issued_at", "expires_on", "rendered_at", "render_error"]
    search_fields = ["number"]
    search_backend_name = None
    # Required by ModelViewSet; the policy above refuses the add and edit views to everyone.
    form_fields = ["revoked_reason"]
    inspect_view_fields = [
        "number",
        "status",
        "holder_name",
        "learner",
        "course_title",
        "event",
        "template",
        "language",
        "issued_at",
        "expires_on",
        "revoked_at",
        "revoked_reason",
        "replaced_by",
        "replaces",
        "rendered_at",
        "sha256",
        "render_attempts",
        "render_error",
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            regeneration_url_name=self.get_url_name("regenerate"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            action_url_names={
                action: self.get_url_name(action) for action in ("revoke", "reissue", "render")
            },
            **kwargs,
        )

    def _action_view(self, view_class, action):
        return view_class.as_view(
            action_url_name=self.get_url_name(action),
            inspect_url_name=self.get_url_name("inspect"),
            index_url_name=self.get_url_name("index"),
        )

    def _regeneration_view(self, view_class):
        return view_class.as_view(
            index_url_name=self.get_url_name("index"),
            regeneration_url_name=self.get_url_name("regenerate"),
            regeneration_detail_url_name=self.get_url_name("regeneration"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "revoke/<int:pk>/",
                self._action_view(admin_views.CertificateRevokeView, "revoke"),
                name="revoke",
            ),
            path(
                "reissue/<int:pk>/",
                self._action_view(admin_views.CertificateReissueView, "reissue"),
                name="reissue",
            ),
            path(
                "render/<int:pk>/",
                self._action_view(admin_views.CertificateRenderView, "render"),
                name="render",
            ),
            path(
                "regenerate/",
                self._regeneration_view(admin_views.RegenerationView),
                name="regenerate",
            ),
            path(
                "regenerate/<int:pk>/",
                self._regeneration_view(admin_views.RegenerationDetailView),
                name="regeneration",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action("certificates.revoke", _("Revoke"), _("Certificate revoked"))
    actions.register_action("certificates.reissue", _("Re-issue"), _("Certificate re-issued"))
    actions.register_action("certificates.render", _("Render"), _("PDF rendering queued"))
