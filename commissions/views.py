from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .models import Commission
from .selectors import (
    access_log,
    commission_access,
    learner_access,
    managed_commissions,
)

MEMBERS_PER_PAGE = 50


def refuse(request, *, reason: str, what: str):
    """A 403 page saying why, and a line in the access log: how every page of a branch (here,
    in certificates and in reports) refuses someone outside it."""
    access_log.warning(
        "refused user=%s path=%s what=%s reason=%s", request.user.pk, request.path, what, reason
    )
    return render(request, "commissions/refused.html", {"reason": reason}, status=403)


@login_required
def branch_index(request):
    """The branches the signed-in manager looks after (a coordinator's: their club)."""
    commissions = list(managed_commissions(user=request.user))
    return render(
        request,
        "commissions/branch_index.html",
        {
            "commissions": commissions,
            "only_clubs": bool(commissions) and all(c.is_club for c in commissions),
        },
    )


@login_required
def commission_detail(request, code: str):
    """One commission of a manager's branch: the commissions below it and its own members."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"commission:{code}")
    members = (
        commission.memberships.active()
        .select_related("user")
        .order_by("position", "user__full_name")
    )
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "commissions/commission_detail.html",
        {
            "commission": commission,
            # Only the levels the viewer may open: a district manager starts at the district.
            "ancestors": [
                ancestor
                for ancestor in commission.get_ancestors()
                if decision.via is None or ancestor.depth >= decision.via.depth
            ],
            "children": commission.get_children(),
            "page": page,
        },
    )


@login_required
def member_detail(request, pk: int):
    """A learner's record, for themselves and the managers of their branch."""
    learner = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    decision = learner_access(viewer=request.user, learner=learner)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"member:{pk}")
    return render(
        request,
        "commissions/member_detail.html",
        {
            "learner": learner,
            "decision": decision,
            "memberships": learner.memberships.select_related("commission").order_by("-started_on"),
            "title": _("Member record"),
        },
    )
