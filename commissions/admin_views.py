"""Views of the commissions admin (wired up in wagtail_hooks.py): the tree, browsed one level at
a time; moving a branch; member files from upload to applied."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

import django_filters

from .forms import CommissionMoveForm, MemberImportUploadForm
from .imports import earlier_application
from .models import COMMISSION_LEVELS, Commission, MemberImport
from .services import (
    commission_create,
    commission_move,
    member_import_check,
    member_import_queue,
)

PROBLEMS_PER_PAGE = 100


def add_service_errors(form, error: ValidationError, field_names: dict[str, str]) -> None:
    """Show a service's ValidationError on the form fields it names (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field_names.get(field, field)
        form.add_error(target if target in form.fields else None, errors)


# The tree ------------------------------------------------------------------------------------


class CommissionFilterSet(WagtailFilterSet):
    parent = django_filters.CharFilter(
        label=gettext_lazy("Below commission (code)"), method="filter_parent"
    )
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("Level"), choices=Commission.Level.choices
    )

    class Meta:
        model = Commission
        fields = ["parent", "level"]

    def filter_parent(self, queryset, name, value):
        parent = Commission.objects.filter(code=value.strip()).first()
        if parent is None:
            return queryset.none()
        below = queryset.filter(path__startswith=parent.path, depth__gt=parent.depth)
        if self.request and self.request.GET.get("q", "").strip():
            return below  # a search looks through the whole branch
        return below.filter(depth=parent.depth + 1)


class CommissionIndexView(generic.IndexView):
    """The tree one level at a time: the top, or the commissions right below ``?parent=CODE``;
    a search looks through the whole tree (or the whole branch)."""

    default_ordering = "path"

    @cached_property
    def parent(self) -> Commission | None:
        code = self.request.GET.get("parent", "").strip()
        return Commission.objects.filter(code=code).first() if code else None

    def drill_down_url(self, commission: Commission) -> str:
        return f"{self.index_url}?{urlencode({'parent': commission.code})}"

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if not (self.is_searching or self.is_filtering):
            queryset = queryset.filter(depth=1)
        return queryset

    @cached_property
    def columns(self):
        return [
            self._get_title_column("code"),
            Column("name", label=_("Name"), accessor="name"),
            Column("level", label=_("Level"), accessor="get_level_display", sort_key="level"),
            Column("below", label=_("Below it"), accessor=self._children_link),
        ]

    def _children_link(self, commission: Commission):
        if not commission.numchild:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            self.drill_down_url(commission),
            ngettext("%(count)s commission", "%(count)s commissions", commission.numchild)
            % {"count": commission.numchild},
        )

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "path"]

    def get_add_url(self):
        url = super().get_add_url()
        if url and self.parent:
            url += "?" + urlencode({"parent": self.parent.code})
        return url

    def get_breadcrumbs_items(self):
        if not self.parent:
            return super().get_breadcrumbs_items()
        items = [*self.breadcrumbs_items, {"url": self.index_url, "label": self.get_page_title()}]
        for node in [*self.parent.get_ancestors(), self.parent]:
            items.append({"url": self.drill_down_url(node), "label": node.code})
        items[-1]["url"] = ""
        return items


class CommissionCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if parent := self.request.GET.get("parent"):
            initial["parent"] = parent
            level = Commission.objects.filter(code=parent).values_list("level", flat=True).first()
            below = list(COMMISSION_LEVELS)
            if level in below and below.index(level) + 1 < len(below):
                initial["level"] = below[below.index(level) + 1]
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        commission = commission_create(
            parent=data["parent"],
            code=data["code"],
            level=data["level"],
            name_kk=data["name_kk"],
            name_ru=data["name_ru"],
            name_en=data["name_en"],
        )
        log(instance=commission, action="wagtail.create", user=self.request.user)
        return commission

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error, {"parent": "parent"})
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class CommissionEditView(generic.EditView):
    move_url_name = None

    def get_header_more_buttons(self):
        buttons = super().get_header_more_buttons()
        if self.move_url_name:
            buttons.append(
                Button(
                    _("Move"),
                    url=reverse(self.move_url_name, args=(quote(self.object.pk),)),
                    icon_name="arrows-up-down",
                    priority=5,
                )
            )
        return buttons


class CommissionDeleteView(generic.DeleteView):
    """Deleting is for mistakes: a commission with commissions or seats below it stays."""

    def form_valid(self, form):
        commission = self.object
        if commission.get_children_count() or commission.memberships.exists():
            messages.error(
                self.request,
                _(
                    "%(commission)s still has commissions or members below it: move or close "
                    "them first."
                )
                % {"commission": commission.code},
            )
            return redirect(self.edit_url_name, quote(commission.pk))
        return super().form_valid(form)


class CommissionMoveView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Move a commission with its whole branch under another parent."""

    model = Commission
    permission_required = "change"
    form_class = CommissionMoveForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Move")
    header_icon = "arrows-up-down"
    index_url_name = None
    edit_url_name = None
    move_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Commission, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Commissions")},
            {
                "url": reverse(self.edit_url_name, args=(quote(self.object.pk),)),
                "label": self.object.code,
            },
            {"url": "", "label": _("Move")},
        ]

    def get_initial(self):
        parent = self.object.get_parent()
        return {"new_parent": parent.code if parent else ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse(self.move_url_name, args=(quote(self.object.pk),))
        context["submit_button_label"] = _("Move")
        context["submit_button_active_label"] = _("Moving…")
        context["media"] = context["form"].media
        return context

    def form_valid(self, form):
        try:
            commission = commission_move(
                commission=self.object, new_parent=form.cleaned_data["new_parent"]
            )
        except ValidationError as error:
            add_service_errors(form, error, {"parent": "new_parent"})
            return self.form_invalid(form)
        log(instance=commission, action="wagtail.edit", user=self.request.user)
        messages.success(
            self.request,
            _("%(commission)s now sits under %(parent)s.")
            % {"commission": commission.code, "parent": form.cleaned_data["new_parent"].code},
        )
        return HttpResponseRedirect(reverse(self.edit_url_name, args=(quote(commission.pk),)))


# Seats and manager roles ---------------------------------------------------------------------


class SeatIndexView(generic.IndexView):
    """Seats or manager roles with their people and commissions in the same query."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "commission")


class PersonSearchMixin:
    """Search by the person's name, username, email or phone, or by the commission code."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        return queryset.filter(
            Q(user__full_name__icontains=query)
            | Q(user__username__icontains=query)
            | Q(user__email__icontains=query)
            | Q(user__phone__icontains=query)
            | Q(commission__code__iexact=query)
        )


class MembershipIndexView(PersonSearchMixin, SeatIndexView):
    default_ordering = "-started_on"


class ManagerRoleIndexView(PersonSearchMixin, SeatIndexView):
    default_ordering = "-granted_at"


# Member files ------------------------------------------------------------------------------


class MemberImportPermissionMixin:
    """Only those who may add member imports (central administrators) reach these views."""

    permission = "commissions.add_memberimport"
    url_namespace = "commissions_memberimport"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.url_namespace}:{name}", args=args)

    def get_breadcrumbs_items(self):
        return [
            *WagtailAdminTemplateMixin.breadcrumbs_items,
            {"url": self.url("index"), "label": _("Member imports")},
            {"url": "", "label": self.get_page_title()},
        ]


class MemberImportIndexView(MemberImportPermissionMixin, generic.IndexView):
    model = MemberImport
    any_permission_required = ["add"]
    default_ordering = "-created_at"
    page_title = gettext_lazy("Member imports")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("uploaded_by")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_add_url(self):
        return self.url("upload")

    @cached_property
    def add_item_label(self):
        return _("Upload a file")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "original_name",
                label=_("File"),
                get_url=lambda member_import: self.url("report", member_import.pk),
            ),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("row_count", label=_("Rows")),
            Column("uploaded_by", label=_("Uploaded by")),
            Column("created_at", label=_("Uploaded at"), sort_key="created_at"),
        ]


class MemberImportUploadView(MemberImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    """Step 1: upload a file; it is checked at once and nothing is written."""

    form_class = MemberImportUploadForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Upload a file of members")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.url("upload")
        context["submit_button_label"] = _("Check the file")
        context["submit_button_active_label"] = _("Checking…")
        context["form_is_multipart"] = True
        context["media"] = context["form"].media
        return context

    def form_valid(self, form):
        member_import = member_import_check(
            uploaded_file=form.cleaned_data["file"], uploaded_by=self.request.user
        )
        return redirect(self.url("report", member_import.pk))


class MemberImportReportView(MemberImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Step 2 and 3: the check report with its Apply button, then the status of the apply."""

    template_name = "commissions/admin/member_import_report.html"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            MemberImport.objects.select_related("uploaded_by"), **kwargs
        )

    def get_page_title(self):
        return self.object.original_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member_import = self.object
        problems = Paginator(member_import.problems, PROBLEMS_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context.update(
            member_import=member_import,
            problems=problems,
            elided_page_range=problems.paginator.get_elided_page_range(problems.number),
            problem_count=len(member_import.problems),
            earlier=earlier_application(member_import),
            apply_url=self.url("apply", member_import.pk),
            index_url=self.url("index"),
            upload_url=self.url("upload"),
            can_apply=member_import.status
            in {MemberImport.Status.VALIDATED, MemberImport.Status.FAILED},
            is_waiting=member_import.status == MemberImport.Status.QUEUED,
            Status=MemberImport.Status,
        )
        return context


class MemberImportApplyView(MemberImportPermissionMixin, View):
    """Queue a checked file; the worker applies it all at once."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        member_import = get_object_or_404(MemberImport, pk=pk)
        try:
            member_import = member_import_queue(member_import=member_import)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if member_import.status == MemberImport.Status.QUEUED:
                messages.success(request, _("The file is queued; it is applied in a moment."))
        return redirect(self.url("report", pk))
