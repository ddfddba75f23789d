"""Public verification of a certificate, and its PDF for the holder and their branch's managers."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from commissions.selectors import access_log, learner_access

from .forms import VerifyNumberForm
from .models import Certificate
from .selectors import (
    VERIFY_WINDOW,
    certificate_by_number,
    certificate_for_verification,
    verify_allowed,
)


def _client(request) -> str:
    # Behind the deployment's reverse proxy REMOTE_ADDR is set to the client's address.
    return request.META.get("REMOTE_ADDR", "")


def _too_many(request):
    response = render(
        request,
        "certificates/verify_limited.html",
        {"minutes": VERIFY_WINDOW // 60},
        status=429,
    )
    response["Retry-After"] = str(VERIFY_WINDOW)
    return response


def _result(request, certificate: Certificate | None, *, form=None):
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "status": certificate.status() if certificate else None,
            "Status": Certificate.Status,
            "form": form or VerifyNumberForm(),
        },
        status=200 if certificate else 404,
    )


@never_cache
def verify(request, code: str):
    """A certificate's status by the code in its QR link; the minimum about its holder."""
    if not verify_allowed(client=_client(request)):
        return _too_many(request)
    return _result(request, certificate_for_verification(code=code))


@never_cache
def verify_lookup(request):
    """The form to type a certificate's number, and its result."""
    if "number" not in request.GET:
        return render(request, "certificates/verify.html", {"form": VerifyNumberForm()})
    form = VerifyNumberForm(request.GET)
    if not form.is_valid():
        return render(request, "certificates/verify.html", {"form": form})
    if not verify_allowed(client=_client(request)):
        return _too_many(request)
    return _result(
        request,
        certificate_by_number(
            number=form.cleaned_data["number"], surname=form.cleaned_data["surname"]
        ),
        form=form,
    )


@never_cache
@login_required
def download(request, pk: int):
    """The certificate's PDF, for its holder and whoever may see the holder's records. Anyone
    else gets the same 404 as for a certificate that does not exist."""
    certificate = get_object_or_404(Certificate.objects.select_related("learner"), pk=pk)
    decision = learner_access(viewer=request.user, learner=certificate.learner)
    if not decision:
        access_log.warning(
            "refused user=%s path=%s what=certificate:%s reason=%s",
            request.user.pk,
            request.path,
            pk,
            decision.reason,
        )
        raise Http404
    if not certificate.pdf:
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store, private"
    return response
