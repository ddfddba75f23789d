"""The "Commissions" menu of the Wagtail admin, for central administrators: the tree, seats,
manager roles and member files; and the "Elections" menu, for central administrators and
trainers: election events (other apps add their items to it). Each item shows only to those with
the model's permissions."""

from functools import cached_property

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

import django_filters

from . import admin_views
from .forms import CommissionCreateForm, CommissionEditForm, ManagerRoleForm, MembershipForm
from .models import Commission, ElectionEvent, ManagerRole, Membership

#: Hook for items of the "Elections" menu that other apps own (``ViewSet.menu_hook``).
ELECTIONS_MENU_HOOK = "register_elections_menu_item"
#: Hook for buttons on each row of the election event listing: ``fn(event, user) -> [Button]``.
ELECTION_EVENT_LISTING_BUTTONS_HOOK = "register_election_event_listing_buttons"


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


# Elections ---------------------------------------------------------------------------------


class ElectionEventForm(WagtailAdminModelForm):
    """The database refuses a deadline after the vote; this says so next to the deadline."""

    def clean(self):
        cleaned_data = super().clean()
        vote_date = cleaned_data.get("vote_date")
        deadline = cleaned_data.get("training_deadline")
        if vote_date and deadline and deadline > vote_date:
            self.add_error(
                "training_deadline",
                ValidationError(
                    _("The training deadline must not be after the vote date (%(vote_date)s)."),
                    code="deadline_after_vote",
                    params={"vote_date": vote_date.strftime("%d.%m.%Y")},
                ),
            )
        return cleaned_data


class ElectionEventFilterSet(WagtailFilterSet):
    vote_date = django_filters.DateFromToRangeFilter(
        label=_("Vote date"), widget=DateRangePickerWidget
    )
    training_deadline = django_filters.DateFromToRangeFilter(
        label=_("Training deadline"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ElectionEvent
        fields = ["status", "kind"]


class ElectionEventIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        columns[0].label = _("Name")  # a property of the model: no verbose name to take
        return columns

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        for hook in hooks.get_hooks(ELECTION_EVENT_LISTING_BUTTONS_HOOK):
            buttons.extend(hook(instance, self.request.user))
        return buttons


class ElectionEventDeleteView(generic.DeleteView):
    """An event that learners' records belong to (enrolments, certificates) is closed, never
    deleted: the database protects those records, and this says so instead of failing."""

    def protected_by(self) -> list[str]:
        """The kinds of records that still point at this event through a protected key."""
        return [
            str(relation.related_model._meta.verbose_name_plural)
            for relation in self.object._meta.related_objects
            if relation.on_delete is models.PROTECT
            and relation.related_model._base_manager.filter(
                **{relation.field.name: self.object}
            ).exists()
        ]

    def refuse_if_protected(self):
        if kinds := self.protected_by():
            messages.error(
                self.request,
                _(
                    "“%(event)s” cannot be deleted: %(records)s belong to it. Set its status "
                    "to “Closed” instead."
                )
                % {"event": self.object, "records": ", ".join(kinds)},
            )
            return redirect(self.edit_url_name, quote(self.object.pk))
        return None

    # After the permission check (``dispatch``), before the confirmation or the deletion.
    def get(self, request, *args, **kwargs):
        return self.refuse_if_protected() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_if_protected() or super().post(request, *args, **kwargs)


class ElectionEventViewSet(ModelViewSet):
    """Election events: kind, name in three languages, vote date, training deadline, status."""

    model = ElectionEvent
    icon = "date"
    menu_label = _("Election events")
    name = "commissions_electionevent"
    url_prefix = "election-events"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    index_view_class = ElectionEventIndexView
    delete_view_class = ElectionEventDeleteView
    search_fields = ["name_kk", "name_ru", "name_en"]
    search_backend_name = None
    list_display = ["name", "kind", "vote_date", "training_deadline", "status"]
    filterset_class = ElectionEventFilterSet
    edit_handler = ObjectList(
        [
            FieldPanel("kind"),
            MultiFieldPanel(
                [FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_en")],
                heading=_("Name"),
            ),
            FieldRowPanel(
                [FieldPanel("vote_date"), FieldPanel("training_deadline")], heading=_("Dates")
            ),
            FieldPanel("status"),
        ],
        base_form_class=ElectionEventForm,
    )


class ElectionsGroup(ViewSetGroup):
    menu_label = _("Elections")
    menu_icon = "date"
    menu_order = 240
    submenu_hook = ELECTIONS_MENU_HOOK
    items = (ElectionEventViewSet,)


@hooks.register("register_admin_viewset")
def register_elections_admin():
    return ElectionsGroup()
