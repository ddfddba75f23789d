"""The export audit log in the Wagtail admin: read by central administrators, written only by the
export services, never added, edited or deleted through the user interface."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from commissions.roles import is_central_administrator

from .models import ExportAuditEntry


class AuditLogPolicy(BasePermissionPolicy):
    """Central administrators may read the log; nobody may change it."""

    def user_has_permission(self, user, action):
        return action == "view" and is_central_administrator(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()


register_permission_policy(ExportAuditEntry, AuditLogPolicy(ExportAuditEntry), exact_class=True)


class ExportAuditViewSet(ModelViewSet):
    """Who exported which branch's personal data, when, in which format, how many rows."""

    model = ExportAuditEntry
    icon = "list-ul"
    menu_label = _("Export audit log")
    name = "reports_exportauditentry"
    url_prefix = "reports/export-audit"
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 100
    list_display = [
        "at",
        "user_name",
        "commission_code",
        "event_name",
        "format",
        "rows",
        "background",
    ]
    list_filter = ["format", "background"]
    search_fields = ["user_name", "commission_code", "event_name"]
    search_backend_name = None
    # Required by ModelViewSet; the policy above refuses the add and edit views to everyone.
    form_fields = ["rows"]


@hooks.register("register_admin_viewset")
def register_export_audit_viewset():
    return ExportAuditViewSet()
