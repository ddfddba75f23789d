"""Sign-up of young learners and the confirmation of their email (``services/signup.py``)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path, reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.consent import current_text
from accounts.models import ConsentRecord

from ..forms.signup import ResendConfirmationForm, SignUpForm
from ..services.ratelimit import (
    LINKS_PER_EMAIL,
    RESENDS_PER_ADDRESS,
    SIGNUP_POSTS_PER_ADDRESS,
    SIGNUPS_PER_ADDRESS,
    RateLimit,
    client_address,
)
from ..services.signup import (
    CONFIRM_LINK_MAX_AGE,
    confirmation_lookup,
    confirmation_renew,
    confirmation_resend,
    learner_sign_up,
    signup_confirm,
)

log = logging.getLogger(__name__)
SENT_KEY = "youth_signup_sent"
SIGN_IN_BACKEND = "accounts.backends.UsernameOrEmailBackend"


def _too_many(request, limit: RateLimit):
    response = render(request, "youth/sign_up_limited.html", {"minutes": limit.minutes}, status=429)
    response["Retry-After"] = str(limit.window)
    return response


def _sent(request, *, email: str, kind: str):
    request.session[SENT_KEY] = {"email": email, "kind": kind}
    return redirect("youth:sign_up_sent")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("courses:my_training")
    if request.method != "POST":
        return _form_page(request, SignUpForm(), next_path=_next_path(request.GET))
    client = client_address(request)
    if not SIGNUP_POSTS_PER_ADDRESS.hit(client):
        return _too_many(request, SIGNUP_POSTS_PER_ADDRESS)
    form = SignUpForm(request.POST)
    if form.is_filled_by_a_program:
        # Answered like a success, so that the program learns nothing; nothing is created.
        log.info("Sign-up with the hidden field filled in refused from %s", client)
        return _sent(request, email="", kind="new")
    if form.is_valid():
        data = form.cleaned_data
        if not SIGNUPS_PER_ADDRESS.hit(client):
            return _too_many(request, SIGNUPS_PER_ADDRESS)
        if not LINKS_PER_EMAIL.hit(data["email"]):
            return _too_many(request, LINKS_PER_EMAIL)
        try:
            user = learner_sign_up(
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                year_of_birth=data["year_of_birth"],
                region=data["region"],
                preferred_language=data["preferred_language"],
                school=data["school"],
                club_id=data["club"],
                representative_name=data["representative_name"],
                representative_email=data["representative_email"],
                next_path=_next_path(request.POST),
                request=request,
            )
        except IntegrityError:
            # Another sign-up with this email was saved a moment earlier.
            form.add_error(
                "email", _("An account with this email already exists. Sign in to continue.")
            )
        else:
            return _sent(request, email=user.email, kind="new")
    elif (
        form.has_error("email", "awaiting_confirmation")
        and not form.has_error("__all__", "too_fast")
        and not form.has_error("__all__", "stale")
    ):
        email = form.existing_account.email.lower()
        if not LINKS_PER_EMAIL.hit(email):
            return _too_many(request, LINKS_PER_EMAIL)
        confirmation_resend(email=email, request=request)
    return _form_page(request, form, next_path=_next_path(request.POST))


def _next_path(data) -> str:
    """The page a visitor came from (a public course, say), if it is a path on this site; the
    confirmation link brings them back to it."""
    candidate = (data.get("next") or "").strip()
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return candidate[:500]
    return ""


def _form_page(request, form, *, next_path: str = ""):
    return render(
        request,
        "youth/sign_up.html",
        {
            "form": form,
            "next_path": next_path,
            "consent_text": current_text(ConsentRecord.Purpose.PERSONAL_DATA, self_registered=True),
            "days": CONFIRM_LINK_MAX_AGE.days,
        },
    )


@never_cache
def sign_up_sent(request):
    """ "Check your email": the address the link went to, and a way to have it sent again."""
    sent = request.session.get(SENT_KEY) or {"email": "", "kind": "new"}
    return render(
        request,
        "youth/sign_up_sent.html",
        {
            "email": sent["email"],
            "kind": sent["kind"],
            "days": CONFIRM_LINK_MAX_AGE.days,
            "form": ResendConfirmationForm(initial={"email": sent["email"]}),
        },
    )


_STATUS = {"invalid": 400, "unknown": 404, "expired": 410, "used": 200, "open": 200}


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email(request, token: str):
    """GET shows the confirmation button (mail scanners that open links confirm nothing);
    POST confirms and signs the learner in."""
    if request.method == "POST":
        outcome = signup_confirm(token=token, request=request)
        if outcome.state == "confirmed":
            return _welcome(request, outcome)
    else:
        outcome = confirmation_lookup(token=token)
    return render(
        request,
        "youth/sign_up_confirm.html",
        {"outcome": outcome, "token": token, "days": CONFIRM_LINK_MAX_AGE.days},
        status=_STATUS[outcome.state],
    )


def _welcome(request, outcome):
    user = outcome.user
    login(request, user, backend=SIGN_IN_BACKEND)
    with translation.override(user.preferred_language):
        if outcome.is_minor and outcome.representative_email:
            text = _(
                "Your email is confirmed. You can read the courses now; tests and certificates "
                "wait until your legal representative consents: we have emailed %(email)s."
            ) % {"email": outcome.representative_email}
        elif outcome.is_minor:
            text = _(
                "Your email is confirmed. You can read the courses now; tests and certificates "
                "wait until your legal representative consents. Name them in your profile."
            )
        else:
            text = _("Your email is confirmed. Welcome to Saylau Academy!")
        messages.success(request, text)
        if outcome.club is not None:
            messages.success(
                request,
                _("You are a member of %(club)s.") % {"club": outcome.club.name},
            )
        elif outcome.club_missing:
            messages.warning(
                request,
                _("The club you chose is no longer open; ask its coordinator how to join."),
            )
        if outcome.pending is not None and outcome.pending.next_path:
            return redirect(_in_language(outcome.pending.next_path, user.preferred_language))
        return redirect(reverse("courses:my_training"))


def _in_language(path: str, language: str) -> str:
    """``path`` (in whatever language it was read) in ``language``."""
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(path, language)


@never_cache
@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    """A new confirmation link, by email or in place of an expired link. The answer is the same
    whether or not the address has an account."""
    if request.method != "POST":
        form = ResendConfirmationForm(initial={"email": request.GET.get("email", "")})
        return render(request, "youth/sign_up_resend.html", {"form": form})
    if not RESENDS_PER_ADDRESS.hit(client_address(request)):
        return _too_many(request, RESENDS_PER_ADDRESS)
    token = request.POST.get("token", "")
    if token:
        outcome = confirmation_lookup(token=token)
        if outcome.state != "expired":
            return redirect("youth:confirm_email", token=token)
        if not LINKS_PER_EMAIL.hit(outcome.user.email.lower()):
            return _too_many(request, LINKS_PER_EMAIL)
        confirmation_renew(token=token, request=request)
        return _sent(request, email=outcome.user.email, kind="again")
    form = ResendConfirmationForm(request.POST)
    if not form.is_valid():
        return render(request, "youth/sign_up_resend.html", {"form": form}, status=400)
    email = form.cleaned_data["email"].strip().lower()
    if not LINKS_PER_EMAIL.hit(email):
        return _too_many(request, LINKS_PER_EMAIL)
    confirmation_resend(email=email, request=request)
    return _sent(request, email=email, kind="again")


urlpatterns = [
    path("sign-up/", sign_up, name="sign_up"),
    path("sign-up/sent/", sign_up_sent, name="sign_up_sent"),
    path("sign-up/confirm/<str:token>/", confirm_email, name="confirm_email"),
    path("sign-up/confirm-again/", resend_confirmation, name="resend_confirmation"),
]
