"""Views of the issued certificates' admin (wired up in wagtail_hooks.py): revoking, re-issuing
and rendering again one certificate; rendering again all certificates of an event, with its
progress. Only central administrators act on issued certificates."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

import django_filters

from commissions.models import ElectionEvent
from commissions.roles import is_central_administrator

from .forms import CertificateReasonForm, CertificateReissueForm, ConfirmForm, RegenerationForm
from .models import Certificate, CertificateRegeneration
from .services import (
    certificate_regeneration_start,
    certificate_reissue,
    certificate_render_enqueue,
    certificate_revoke,
    regeneration_progress,
)

RECENT_REGENERATIONS = 20


class CertificateFilterSet(WagtailFilterSet):
    STATES = [
        ("valid", gettext_lazy("Live (neither revoked nor replaced)")),
        ("unrendered", gettext_lazy("Waiting for its PDF")),
        ("error", gettext_lazy("Render failed")),
        ("revoked", gettext_lazy("Revoked")),
        ("replaced", gettext_lazy("Replaced")),
    ]

    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=STATES, method="filter_state"
    )
    event = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Election event"), queryset=ElectionEvent.objects.all()
    )

    class Meta:
        model = Certificate
        fields = ["state", "event", "language"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            {
                "valid": Q(replaced_by__isnull=True, revoked_at__isnull=True),
                "unrendered": Q(rendered_at__isnull=True, revoked_at__isnull=True),
                "error": Q(rendered_at__isnull=True) & ~Q(render_error=""),
                "revoked": Q(revoked_at__isnull=False, replaced_by__isnull=True),
                "replaced": Q(replaced_by__isnull=False),
            }[value]
        )


class CertificateIndexView(generic.IndexView):
    regeneration_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner")

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.regeneration_url_name and is_central_administrator(self.request.user):
            buttons.append(
                Button(
                    _("Render an event's certificates again"),
                    url=reverse(self.regeneration_url_name),
                    icon_name="rotate",
                    priority=10,
                )
            )
        return buttons


class CertificateInspectView(generic.InspectView):
    """A certificate's record, with what an administrator may do to it."""

    action_url_names: dict[str, str] = {}
    extra_labels = {
        "status": gettext_lazy("Status"),
        "holder_name": gettext_lazy("Holder's name as printed"),
        "course_title": gettext_lazy("Course as printed"),
        "replaces": gettext_lazy("Replaces"),
    }

    def get_field_label(self, field_name, field):
        if field_name in self.extra_labels:
            return self.extra_labels[field_name]
        return super().get_field_label(field_name, field)

    def get_status_display_value(self):
        return Certificate.Status(self.object.status()).label

    def get_holder_name_display_value(self):
        return self.object.snapshot.get("holder_name", "")

    def get_course_title_display_value(self):
        return self.object.snapshot.get("course_title", "")

    def get_replaces_display_value(self):
        return ", ".join(c.number for c in self.object.replaces.all()) or "—"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        certificate = self.object
        if certificate.pdf:
            buttons.append(
                Button(
                    _("Download PDF"),
                    url=reverse("certificates:download", args=(certificate.pk,)),
                    icon_name="download",
                    priority=1,
                )
            )
        if not is_central_administrator(self.request.user):
            return buttons
        actions = []
        if certificate.replaced_by_id is None:
            actions.append(("reissue", _("Re-issue"), "rotate"))
        if certificate.revoked_at is None:
            actions.append(("revoke", _("Revoke"), "cross"))
        if not certificate.is_rendered and certificate.revoked_at is None:
            actions.append(("render", _("Render the PDF again"), "repeat"))
        for priority, (action, label, icon) in enumerate(actions, start=2):
            buttons.append(
                Button(
                    label,
                    url=reverse(self.action_url_names[action], args=(quote(certificate.pk),)),
                    icon_name=icon,
                    priority=priority,
                )
            )
        return buttons


class CentralAdministratorMixin:
    """Issued certificates are the record of what was printed: only central administrators
    revoke, re-issue or render them again."""

    def dispatch(self, request, *args, **kwargs):
        if not is_central_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CertificateActionView(CentralAdministratorMixin, WagtailAdminTemplateMixin, FormView):
    """One action on one certificate: a form (at least a confirmation), then the service."""

    template_name = "certificates/admin/certificate_action.html"
    header_icon = "doc-full-inverse"
    action_url_name = None
    inspect_url_name = None
    index_url_name = None
    submit_label = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Certificate.objects.select_related("learner", "replaced_by"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.object.number

    @property
    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Issued certificates")},
            {"url": self.inspect_url, "label": self.object.number},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["certificate"] = self.object
        context["action_url"] = reverse(self.action_url_name, args=(quote(self.object.pk),))
        context["submit_button_label"] = self.submit_label
        context["media"] = context["form"].media
        return context

    def refuse(self, message: str):
        messages.error(self.request, message)
        return HttpResponseRedirect(self.inspect_url)


class CertificateRevokeView(CertificateActionView):
    page_title = gettext_lazy("Revoke")
    form_class = CertificateReasonForm
    submit_label = gettext_lazy("Revoke the certificate")

    def form_valid(self, form):
        if self.object.revoked_at is not None:
            return self.refuse(_("This certificate was already revoked."))
        certificate = certificate_revoke(
            certificate=self.object, reason=form.cleaned_data["reason"]
        )
        log(
            instance=certificate,
            action="certificates.revoke",
            user=self.request.user,
            data={"reason": certificate.revoked_reason},
        )
        messages.success(
            self.request,
            _("Certificate %(number)s is revoked; its verify page says so.")
            % {"number": certificate.number},
        )
        return HttpResponseRedirect(self.inspect_url)


class CertificateReissueView(CertificateActionView):
    page_title = gettext_lazy("Re-issue")
    form_class = CertificateReissueForm
    submit_label = gettext_lazy("Re-issue with a new number")

    def get_initial(self):
        return {"holder_name": self.object.snapshot.get("holder_name", "")}

    def form_valid(self, form):
        if self.object.replaced_by_id is not None:
            return self.refuse(
                _("This certificate was already replaced by %(number)s.")
                % {"number": self.object.replaced_by.number}
            )
        new = certificate_reissue(
            certificate=self.object,
            reason=form.cleaned_data["reason"],
            holder_name=form.cleaned_data["holder_name"],
        )
        log(
            instance=self.object,
            action="certificates.reissue",
            user=self.request.user,
            data={"reason": form.cleaned_data["reason"], "new_number": new.number},
        )
        messages.success(
            self.request,
            _("Certificate %(old)s is replaced by %(new)s; its PDF is being prepared.")
            % {"old": self.object.number, "new": new.number},
        )
        return HttpResponseRedirect(reverse(self.inspect_url_name, args=(quote(new.pk),)))


class CertificateRenderView(CertificateActionView):
    page_title = gettext_lazy("Render the PDF again")
    form_class = ConfirmForm
    submit_label = gettext_lazy("Render the PDF again")

    def form_valid(self, form):
        certificate = self.object
        if certificate.is_rendered or certificate.revoked_at is not None:
            return self.refuse(_("This certificate needs no rendering."))
        queued = certificate_render_enqueue(certificate_ids=[certificate.pk])
        log(instance=certificate, action="certificates.render", user=self.request.user)
        certificate.refresh_from_db()
        if certificate.is_rendered:
            messages.success(self.request, _("The PDF is ready."))
        elif queued:
            messages.success(
                self.request, _("The PDF is queued for rendering; this page shows it when ready.")
            )
        else:
            messages.error(
                self.request,
                _(
                    "The rendering could not be queued: the task queue is unreachable. It is "
                    "tried again automatically every ten minutes."
                ),
            )
        return HttpResponseRedirect(self.inspect_url)


class RegenerationMixin(CentralAdministratorMixin, WagtailAdminTemplateMixin):
    header_icon = "rotate"
    index_url_name = None
    regeneration_url_name = None
    regeneration_detail_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Issued certificates")},
            {"url": reverse(self.regeneration_url_name), "label": _("Rendering again")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["regeneration_detail_url_name"] = self.regeneration_detail_url_name
        return context


class RegenerationView(RegenerationMixin, FormView):
    """Ask for every live certificate of an event to be rendered again; the recent requests."""

    template_name = "certificates/admin/regeneration.html"
    page_title = gettext_lazy("Render an event's certificates again")
    form_class = RegenerationForm

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items()[:-2], {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["regenerations"] = [
            (regeneration, regeneration_progress(regeneration))
            for regeneration in CertificateRegeneration.objects.select_related(
                "event", "requested_by"
            )[:RECENT_REGENERATIONS]
        ]
        context["action_url"] = reverse(self.regeneration_url_name)
        context["submit_button_label"] = _("Render again")
        context["media"] = context["form"].media
        return context

    def form_valid(self, form):
        event = form.cleaned_data["event"]
        regeneration, started = certificate_regeneration_start(
            event=event, requested_by=self.request.user, reprint=form.cleaned_data["reprint"]
        )
        if started:
            messages.success(
                self.request,
                _("%(count)s certificates of %(event)s are being rendered again.")
                % {"count": regeneration.total, "event": event},
            )
        else:
            messages.warning(
                self.request,
                _(
                    "The certificates of %(event)s are already being rendered again: this is "
                    "that request's progress."
                )
                % {"event": event},
            )
        return HttpResponseRedirect(
            reverse(self.regeneration_detail_url_name, args=(regeneration.pk,))
        )


class RegenerationDetailView(RegenerationMixin, TemplateView):
    """One request's progress; the page reloads itself every few seconds until it is done."""

    template_name = "certificates/admin/regeneration_detail.html"
    page_title = gettext_lazy("Progress")
    refresh_seconds = 5

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regeneration = get_object_or_404(
            CertificateRegeneration.objects.select_related("event", "requested_by"),
            pk=kwargs["pk"],
        )
        context["progress"] = regeneration_progress(regeneration)
        context["current"] = [(regeneration, context["progress"])]
        context["refresh_seconds"] = self.refresh_seconds
        context["errors_url"] = (
            reverse(self.index_url_name) + f"?state=error&event={regeneration.event_id}"
        )
        return context
