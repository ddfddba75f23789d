"""A minor's legal representative's consent: the representative's pages at the emailed links
(confirm, withdraw) and the learner's own steps from their profile (send the link again or to
another representative, withdraw the consent).

The representative's pages answer every state of a link with a page that says what happened:
open and just confirmed 200; used 200 (the link did its job: the page says when, and names the
learner by first name only, since anyone holding an old link may open it); expired and replaced
410 (the learner can send a new link from their profile); unknown 404; opened by the learner
themselves, signed in, 403 (only the representative confirms). A link's token is in its
address, so these pages are never cached and tell no other site where they were (a referrer
policy of "same-origin": "no-referrer" would make the browser send ``Origin: null`` with the form,
which Django's CSRF check refuses).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.consent import CURRENT
from accounts.minors import is_minor
from accounts.models import ConsentRecord
from accounts.services import consent_withdraw

from ..forms.consent import GuardianConfirmForm, GuardianRequestForm
from ..models import CONSENT_LINK_LIFETIME
from ..services.consent import (
    ConsentLinkOutcome,
    guardian_consent_confirm,
    guardian_consent_lookup,
    guardian_consent_request,
    guardian_consent_withdraw,
    guardian_withdraw_lookup,
)
from ..services.ratelimit import GUARDIAN_LINKS_PER_LEARNER

PURPOSE = ConsentRecord.Purpose.GUARDIAN

LINK_STATUS = {
    "open": 200,
    "confirmed": 200,
    "used": 200,
    "expired": 410,
    "replaced": 410,
    "unknown": 404,
}
WITHDRAW_STATUS = {"open": 200, "withdrawn": 200, "already_withdrawn": 200, "unknown": 404}


def mask_email(email: str) -> str:
    """An address as a shared screen may show it: its first letter and its domain."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def token_page(view):
    """A page whose address holds a one-time token: never cached, no referrer to other sites,
    not indexed."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)


# The representative's pages -----------------------------------------------------------------------


def _link_page(request, outcome: ConsentLinkOutcome, *, form=None, status: int | None = None):
    consent_request = outcome.request
    learner = outcome.learner
    context = {"state": outcome.state, "consent_request": consent_request}
    if outcome.state in ("open", "confirmed"):
        text = CURRENT[PURPOSE]
        context.update(
            learner_name=learner.get_full_name(),
            consent_text=text,
            form=form,
        )
    elif outcome.state == "used":
        context["learner_first_name"] = learner.get_short_name()
    return render(
        request,
        "youth/guardian_consent.html",
        context,
        status=status or LINK_STATUS[outcome.state],
    )


@token_page
@require_http_methods(["GET", "HEAD", "POST"])
def guardian_consent(request, token: str):
    """The link in the request email: the consent text and a confirmation; POST records it."""
    outcome = guardian_consent_lookup(token=token)
    if outcome.state != "open":
        return _link_page(request, outcome)
    if request.user.is_authenticated and request.user.pk == outcome.request.learner_id:
        # The learner opened the link meant for their representative: they cannot consent for
        # themselves.
        return render(request, "youth/guardian_consent.html", {"state": "own"}, status=403)
    learner_name = outcome.learner.get_full_name()
    if request.method != "POST":
        return _link_page(request, outcome, form=GuardianConfirmForm(learner_name=learner_name))
    form = GuardianConfirmForm(request.POST, learner_name=learner_name)
    if not form.is_valid():
        return _link_page(request, outcome, form=form, status=400)
    return _link_page(request, guardian_consent_confirm(token=token, request=request))


@token_page
@require_http_methods(["GET", "HEAD", "POST"])
def guardian_withdraw(request, token: str):
    """The link in the receipt email: explains, and POST withdraws the consent at once."""
    if request.method == "POST":
        outcome = guardian_consent_withdraw(token=token)
    else:
        outcome = guardian_withdraw_lookup(token=token)
    context = {"state": outcome.state, "consent_request": outcome.request}
    if outcome.state in ("open", "withdrawn"):
        context["learner_name"] = outcome.learner.get_full_name()
    return render(
        request, "youth/guardian_withdraw.html", context, status=WITHDRAW_STATUS[outcome.state]
    )


# The learner's steps ------------------------------------------------------------------------------


def _profile_url() -> str:
    return reverse("accounts:profile") + "#guardian-heading"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def guardian_consent_send(request):
    """The learner sends the consent link again, or to another legal representative."""
    learner = request.user
    if not is_minor(learner):
        messages.info(request, _("You do not need a legal representative's consent."))
        return redirect(_profile_url())
    if request.method != "POST":
        latest = learner.guardian_consent_requests.order_by("-sent_at").first()
        initial = (
            {
                "representative_name": latest.representative_name,
                "representative_email": latest.representative_email,
            }
            if latest
            else {}
        )
        form = GuardianRequestForm(initial=initial, learner=learner)
        return render(request, "youth/guardian_request.html", {"form": form})
    limit = GUARDIAN_LINKS_PER_LEARNER
    if limit.exceeded(str(learner.pk)):
        response = render(
            request,
            "youth/guardian_request.html",
            {"limited": True, "limit": limit.limit, "minutes": limit.minutes},
            status=429,
        )
        response["Retry-After"] = str(limit.window)
        return response
    form = GuardianRequestForm(request.POST, learner=learner)
    if not form.is_valid():
        return render(request, "youth/guardian_request.html", {"form": form}, status=400)
    consent_request = guardian_consent_request(
        learner=learner,
        representative_name=form.cleaned_data["representative_name"],
        representative_email=form.cleaned_data["representative_email"],
        request=request,
    )
    limit.hit(str(learner.pk))
    messages.success(
        request,
        _(
            "A link was sent to %(email)s. It works for %(days)d days; an earlier link no longer "
            "works."
        )
        % {
            "email": mask_email(consent_request.representative_email),
            "days": CONSENT_LINK_LIFETIME.days,
        },
    )
    return redirect(_profile_url())


@login_required
@require_POST
def guardian_consent_end(request):
    """The learner withdraws their legal representative's consent themselves, at once."""
    if consent_withdraw(user=request.user, purpose=PURPOSE) is None:
        messages.info(request, _("There is no consent to withdraw; nothing was changed."))
    else:
        messages.success(
            request,
            _(
                "Your legal representative's consent is withdrawn: you can no longer start tests "
                "or receive certificates until they consent again."
            ),
        )
    return redirect(_profile_url())


urlpatterns = [
    path("consent/send/", guardian_consent_send, name="guardian_consent_send"),
    path("consent/end/", guardian_consent_end, name="guardian_consent_end"),
    path("consent/withdraw/<str:token>/", guardian_withdraw, name="guardian_withdraw"),
    path("consent/<str:token>/", guardian_consent, name="guardian_consent"),
]
