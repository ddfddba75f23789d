"""Who may see whose records, and who is in a branch."""

import logging
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from .models import Commission, ManagerRole, Membership
from .roles import is_central_administrator

access_log = logging.getLogger("saylau.access")


@dataclass(frozen=True)
class AccessDecision:
    """The answer to "may this viewer see that learner's records?", with the reason why."""

    allowed: bool
    reason: str
    via: Commission | None = None

    def __bool__(self) -> bool:
        return self.allowed


def learner_access(*, viewer, learner) -> AccessDecision:
    """May ``viewer`` see ``learner``'s records? At most two queries, whatever the tree's size.

    Yes for the learner themselves, for central administrators, and for a manager of a commission
    whose branch holds one of the learner's current seats. No for everyone else.
    """
    if not (viewer.is_authenticated and viewer.is_active):
        return AccessDecision(False, _("You are not signed in."))
    if viewer.pk == learner.pk:
        return AccessDecision(True, _("These are your own records."))
    if is_central_administrator(viewer):
        return AccessDecision(True, _("Central administrators see every branch."))
    seat_in_branch = Membership.objects.active().filter(
        user=learner, commission__path__startswith=OuterRef("commission__path")
    )
    role = (
        ManagerRole.objects.filter(user=viewer)
        .filter(Exists(seat_in_branch))
        .select_related("commission")
        .order_by("commission__depth")
        .first()
    )
    if role is not None:
        return AccessDecision(
            True,
            _("You manage %(commission)s, whose branch includes this learner's commission.")
            % {"commission": role.commission},
            via=role.commission,
        )
    return AccessDecision(False, _("This learner is outside every branch you manage."))


def branch_members(*, commission: Commission) -> QuerySet[Membership]:
    """Everyone seated in ``commission`` or below it today: one query."""
    return (
        Membership.objects.active()
        .in_branch(commission)
        .select_related("user", "commission")
        .order_by("commission__path", "position", "user__full_name")
    )


def managed_commissions(*, user) -> QuerySet[Commission]:
    """The commissions at the top of each branch ``user`` manages (all roots for admins)."""
    if is_central_administrator(user):
        return Commission.get_root_nodes()
    return Commission.objects.filter(manager_roles__user=user).order_by("path")


def commission_access(*, viewer, commission: Commission) -> AccessDecision:
    """May ``viewer`` see the branch under ``commission``?"""
    if not (viewer.is_authenticated and viewer.is_active):
        return AccessDecision(False, _("You are not signed in."))
    if is_central_administrator(viewer):
        return AccessDecision(True, _("Central administrators see every branch."))
    for role in ManagerRole.objects.filter(user=viewer).select_related("commission"):
        if role.commission.contains(commission):
            return AccessDecision(
                True,
                _("You manage %(commission)s.") % {"commission": role.commission},
                via=role.commission,
            )
    return AccessDecision(False, _("This commission is outside every branch you manage."))
