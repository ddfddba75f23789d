"""The young learner's part of the profile page: their legal representative's consent. The
profile page (accounts) includes ``youth/profile_panel.html``, which asks this tag for its data,
so accounts never imports youth."""

from dataclasses import dataclass

from django import template

from accounts.minors import is_minor
from accounts.models import ConsentRecord

from ..forms.consent import GuardianRequestForm
from ..models import GuardianConsentRequest
from ..views.consent import mask_email

register = template.Library()


@dataclass(frozen=True)
class GuardianPanel:
    """Where a minor's legal representative's consent stands.

    ``state``: "consented", "waiting" (a link is out), "expired" (the last link ran out),
    "withdrawn" (the last consent was withdrawn), "none" (never asked)."""

    state: str
    consent: ConsentRecord | None
    request: GuardianConsentRequest | None
    masked_email: str
    form: GuardianRequestForm | None


def guardian_panel(user) -> GuardianPanel | None:
    """The panel of a minor (two queries); None for anyone else (no query)."""
    if not getattr(user, "is_authenticated", False) or not is_minor(user):
        return None
    consent = (
        ConsentRecord.objects.filter(user=user, purpose=ConsentRecord.Purpose.GUARDIAN)
        .order_by("-given_at", "-pk")
        .first()
    )
    latest = GuardianConsentRequest.objects.filter(learner=user).order_by("-sent_at", "-pk").first()
    pending = latest is not None and latest.confirmed_at is None and latest.cancelled_at is None
    if consent is not None and consent.is_active:
        state = "consented"
    elif pending and not latest.is_expired:
        state = "waiting"
    elif pending:
        state = "expired"
    elif consent is not None:
        state = "withdrawn"
    else:
        state = "none"
    form = None
    if state != "consented":
        initial = (
            {
                "representative_name": latest.representative_name,
                "representative_email": latest.representative_email,
            }
            if latest is not None
            else {}
        )
        form = GuardianRequestForm(initial=initial, learner=user, auto_id="guardian_%s")
    return GuardianPanel(
        state=state,
        consent=consent,
        request=latest,
        masked_email=mask_email(latest.representative_email) if latest else "",
        form=form,
    )


@register.inclusion_tag("youth/guardian_panel.html", takes_context=True)
def guardian_consent_panel(context):
    request = context.get("request")
    return {
        "panel": guardian_panel(getattr(request, "user", None)),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
