"""The readiness dashboard of a manager's branch for one election event."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from commissions.models import Commission, ElectionEvent
from commissions.selectors import access_log, commission_access, managed_commissions

from .charts import bar_chart
from .forms import NotTrainedFilterForm
from .selectors import branch_not_trained, branch_readiness

MEMBERS_PER_PAGE = 50


def _refuse(request, *, reason: str, what: str):
    """The same refusal as the branch pages: a 403 page, and a line in the access log."""
    access_log.warning(
        "refused user=%s path=%s what=%s reason=%s", request.user.pk, request.path, what, reason
    )
    return render(request, "commissions/refused.html", {"reason": reason}, status=403)


@login_required
def report_index(request):
    """The election events, and the branches whose readiness the signed-in manager may see."""
    return render(
        request,
        "reports/index.html",
        {
            "commissions": managed_commissions(user=request.user),
            "events": ElectionEvent.objects.order_by("-vote_date"),
        },
    )


@login_required
def readiness(request, code: str, event_id: int):
    """One branch's readiness for one event: totals, child commissions, positions, charts and
    the members not yet trained. An unknown commission or event is 404; a commission outside
    the viewer's branches is refused (403) and logged."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return _refuse(request, reason=decision.reason, what=f"readiness:{code}:{event_id}")
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
