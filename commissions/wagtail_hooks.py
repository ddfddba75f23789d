"""The "Commissions" menu of the Wagtail admin, for central administrators: the tree, seats,
manager roles and member files. Each item shows only to those with the model's permissions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .forms import CommissionCreateForm, CommissionEditForm, ManagerRoleForm, MembershipForm
from .models import Commission, ManagerRole, Membership


class CommissionViewSet(ModelViewSet):
    """The tree, browsed one level at a time (it has ~10,500 commissions nationally)."""

    model = Commission
    icon = "site"
    menu_label = _("Commissions")
    name = "commissions_commission"
    url_prefix = "commissions"
    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 50
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    search_backend_name = None  # plain database search: codes and names, no index to keep
    filterset_class = admin_views.CommissionFilterSet
    index_view_class = admin_views.CommissionIndexView
    add_view_class = admin_views.CommissionCreateView
    edit_view_class = admin_views.CommissionEditView
    delete_view_class = admin_views.CommissionDeleteView

    def get_form_class(self, for_update=False):
        return CommissionEditForm if for_update else CommissionCreateForm

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(move_url_name=self.get_url_name("move"), **kwargs)

    @property
    def move_view(self):
        return self.construct_view(
            admin_views.CommissionMoveView,
            move_url_name=self.get_url_name("move"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("move/<int:pk>/", self.move_view, name="move"),
        ]


class MembershipViewSet(ModelViewSet):
    """Seats: a person, a commission, a position, from a day until a day."""

    model = Membership
    icon = "group"
    menu_label = _("Memberships")
    name = "commissions_membership"
    url_prefix = "memberships"
    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 50
    index_view_class = admin_views.MembershipIndexView
    search_fields = ["user__full_name"]  # searching is done by MembershipIndexView
    search_backend_name = None
    list_display = ["user", "commission", "position", "started_on", "ended_on"]
    list_filter = ["position"]

    def get_form_class(self, for_update=False):
        return MembershipForm


class ManagerRoleViewSet(ModelViewSet):
    """Who manages which branch of the tree."""

    model = ManagerRole
    icon = "key"
    menu_label = _("Manager roles")
    name = "commissions_managerrole"
    url_prefix = "manager-roles"
    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 50
    index_view_class = admin_views.ManagerRoleIndexView
    search_fields = ["user__full_name"]  # searching is done by ManagerRoleIndexView
    search_backend_name = None
    list_display = ["user", "commission", "granted_at"]

    def get_form_class(self, for_update=False):
        return ManagerRoleForm


class MemberImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("commissions.add_memberimport")


class MemberImportViewSet(ViewSet):
    """Files of members: upload → check report → apply → status."""

    name = "commissions_memberimport"
    url_prefix = "member-imports"
    icon = "upload"
    menu_label = _("Member imports")
    menu_item_class = MemberImportMenuItem

    def get_urlpatterns(self):
        return [
            path(
                "",
                admin_views.MemberImportIndexView.as_view(
                    index_url_name=self.get_url_name("index"),
                    header_icon=self.icon,
                ),
                name="index",
            ),
            path("upload/", admin_views.MemberImportUploadView.as_view(), name="upload"),
            path("<int:pk>/", admin_views.MemberImportReportView.as_view(), name="report"),
            path("<int:pk>/apply/", admin_views.MemberImportApplyView.as_view(), name="apply"),
        ]


class CommissionsGroup(ViewSetGroup):
    menu_label = _("Commissions")
    menu_icon = "site"
    menu_order = 250
    items = (CommissionViewSet, MembershipViewSet, ManagerRoleViewSet, MemberImportViewSet)


@hooks.register("register_admin_viewset")
def register_commissions_admin():
    return CommissionsGroup()
