"""The readiness dashboard of a manager's branch for one election event, and the civic education
of the young voters' clubs in a branch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissions.models import Commission, ElectionEvent
from commissions.selectors import access_log, commission_access, managed_commissions
from commissions.views import refuse

from . import exports
from .charts import bar_chart
from .forms import CivicExportForm, ExportForm, NotTrainedFilterForm
from .models import ExportFormat, ReportExport
from .selectors import (
    branch_member_rows_query,
    branch_not_trained,
    branch_readiness,
    civic_member_rows,
    civic_members,
    civic_progress,
)
from .services import (
    AT_ONCE_LIMIT,
    CONTENT_TYPES,
    civic_export_now,
    readiness_export_now,
    readiness_export_request,
)

MEMBERS_PER_PAGE = 50


@login_required
def report_index(request):
    """The election events with the branches whose readiness the signed-in manager may see,
    and the civic education of the clubs in each of their branches (a coordinator's club)."""
    managed = list(managed_commissions(user=request.user))
    return render(
        request,
        "reports/index.html",
        {
            "managed": managed,
            # A club takes no part in an election's readiness (decision 0010).
            "commissions": [commission for commission in managed if not commission.is_club],
            "events": ElectionEvent.objects.order_by("-vote_date"),
        },
    )


@login_required
def civic(request, code: str):
    """The civic education of the young voters' clubs in a branch (a coordinator's club): each
    public course's numbers, each club's, and the members with their progress. An unknown
    commission is 404; one outside the viewer's branches is refused (403) and logged."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"civic:{code}")
    progress = civic_progress(commission=commission)
    seats = civic_members(commission=commission, courses=progress.courses)
    page = Paginator(seats, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/civic.html",
        {
            "commission": commission,
            "progress": progress,
            "page": page,
            "rows": list(civic_member_rows(page.object_list, progress.courses)),
            "ancestors": [
                ancestor
                for ancestor in commission.get_ancestors()
                if decision.via is None or ancestor.depth >= decision.via.depth
            ],
        },
    )


@require_POST
@login_required
def civic_export(request, code: str):
    """The clubs' civic education list as CSV or XLSX, in the page's language, written to the
    export audit log. Another branch's code is refused (403) and logged, and nothing is
    exported."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"civic-export:{code}")
    form = CivicExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose CSV or XLSX."))
        return redirect("reports:civic", code=code)
    file = civic_export_now(
        user=request.user,
        commission=commission,
        format=form.cleaned_data["format"],
        language=translation.get_language(),
    )
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def readiness(request, code: str, event_id: int):
    """One branch's readiness for one event: totals, child commissions, positions, charts and
    the members not yet trained. An unknown commission or event is 404; a commission outside
    the viewer's branches is refused (403) and logged."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"readiness:{code}:{event_id}")
    try:
        event = ElectionEvent.objects.get(pk=event_id)
    except ElectionEvent.DoesNotExist:
        raise Http404(_("No election event has this number.")) from None
    report = branch_readiness(commission=commission, event=event)

    children = [child.commission for child in report.children]
    form = NotTrainedFilterForm(request.GET or None, children=children)
    page = None
    sort = "name"
    if form.is_bound and not form.is_valid():
        members = None
    else:
        cleaned = form.cleaned_data if form.is_bound else {}
        sort = cleaned.get("sort") or "name"
        members = branch_not_trained(
            commission=commission,
            event=event,
            ordering=sort,
            filters=cleaned,
            requirements=report.requirements,
        )
        page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))

    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "reports/readiness.html",
        {
            "commission": commission,
            "event": event,
            "report": report,
            # Only the levels the viewer may open: a district manager starts at the district.
            "ancestors": [
                ancestor
                for ancestor in commission.get_ancestors()
                if decision.via is None or ancestor.depth >= decision.via.depth
            ],
            "status_chart": bar_chart(
                id="chart-statuses",
                title=_("Readiness of the branch"),
                rows=[
                    (status.label, status.count, report.total.assigned)
                    for status in report.total.statuses[1:]
                ],
            ),
            "children_chart": bar_chart(
                id="chart-children",
                title=_("Completed, by commission below"),
                rows=[
                    (child.label, child.counts.completed, child.counts.assigned)
                    for child in report.children
                ],
            )
            if report.children
            else None,
            "form": form,
            "page": page,
            "sort": sort,
            "filter_query": query.urlencode(),
            "sortable": [
                ("name", _("Name")),
                ("commission", _("Commission")),
                ("position", _("Position")),
                ("progress", _("Progress")),
            ],
        },
    )


@require_POST
@login_required
def readiness_export(request, code: str, event_id: int):
    """The branch's readiness as CSV, XLSX or PDF, in the page's language: a small branch (and
    the PDF summary) downloads at once; a large one is built in the background and listed on
    the person's exports page."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"export:{code}:{event_id}")
    event = get_object_or_404(ElectionEvent, pk=event_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose CSV, XLSX or PDF."))
        return redirect("reports:readiness", code=code, event_id=event_id)
    format = form.cleaned_data["format"]
    language = translation.get_language()
    total = (
        branch_member_rows_query(commission=commission, event=event, language=language).count()
        if format != ExportFormat.PDF
        else 0
    )
    if total <= AT_ONCE_LIMIT:
        file = readiness_export_now(
            user=request.user, commission=commission, event=event, format=format, language=language
        )
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.name}"'
        response["Cache-Control"] = "no-store, private"
        return response
    export, created = readiness_export_request(
        user=request.user,
        commission=commission,
        event=event,
        format=format,
        language=language,
        total=total,
    )
    if created:
        messages.success(
            request,
            _(
                "The branch has %(count)s members: the file is being prepared. This page shows "
                "its progress and the download link once it is ready."
            )
            % {"count": total},
        )
    else:
        messages.info(request, _("This file is already being prepared."))
    return redirect("reports:exports")


@login_required
def export_list(request):
    """The person's own background exports, with their progress; the page reloads itself while
    one is being prepared."""
    exports = list(
        ReportExport.objects.filter(requested_by=request.user).select_related(
            "commission", "event"
        )[:50]
    )
    return render(
        request,
        "reports/exports.html",
        {
            "exports": exports,
            "State": ReportExport.State,
            "refresh": any(export.is_pending for export in exports),
        },
    )


@login_required
def export_download(request, pk: int):
    """A background export's file, for the person who asked for it alone (anyone else gets the
    404 of a file that does not exist, and is logged); an expired one says so (410)."""
    export = ReportExport.objects.filter(pk=pk).first()
    if export is None or export.requested_by_id != request.user.pk:
        if export is not None:
            access_log.warning(
                "refused user=%s path=%s what=report-export:%s reason=not the requester",
                request.user.pk,
                request.path,
                pk,
            )
        raise Http404
    if export.is_expired:
        return render(request, "reports/export_expired.html", {"export": export}, status=410)
    if export.state != ReportExport.State.READY or not export.file:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=exports.export_file_name(
            commission=export.commission,
            event_vote_date=export.event.vote_date,
            extension=export.format,
        ),
        content_type=CONTENT_TYPES[export.format],
    )
    response["Cache-Control"] = "no-store, private"
    return response
