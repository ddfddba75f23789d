"""A signed-in person's own data: what is held, its download as JSON or PDF, and deleting the
account."""

import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from quizzes.selectors.languages import current_language

from . import exports
from .forms import AccountDeleteForm
from .selectors import deletion_refusal, personal_data
from .services import AccountDeletionRefused, account_delete

access_log = logging.getLogger("saylau.access")


@never_cache
@login_required
def overview(request):
    """What the platform holds about the person, the downloads and the way to delete."""
    return render(
        request, "privacy/overview.html", {"refusal": deletion_refusal(user=request.user)}
    )


def _download(request, *, content: bytes, extension: str, content_type: str) -> HttpResponse:
    access_log.info("own data downloaded user=%s format=%s", request.user.pk, extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(extension=extension)}"'
    )
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
def download_json(request):
    data = personal_data(user=request.user, language=request.user.preferred_language)
    return _download(
        request,
        content=exports.render_json(data),
        extension="json",
        content_type="application/json; charset=utf-8",
    )


@never_cache
@login_required
def download_pdf(request):
    data = personal_data(user=request.user, language=current_language())
    return _download(
        request, content=exports.render_pdf(data), extension="pdf", content_type="application/pdf"
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    """The confirmation page; a POST with the current password anonymises the account, signs
    the person out and takes them to the home page."""
    refusal = deletion_refusal(user=request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if refusal is None and request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user)
        except AccountDeletionRefused as error:
            messages.error(request, str(error))
            return redirect("privacy:delete")
        logout(request)
        messages.success(
            request,
            _("Your account is deleted. Your name and contact details are no longer held."),
        )
        return redirect(reverse("wagtail_serve", args=[""]))
    return render(
        request,
        "privacy/delete.html",
        {"form": form, "refusal": refusal},
        status=403 if refusal is not None and request.method == "POST" else 200,
    )
