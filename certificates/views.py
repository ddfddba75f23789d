"""Public verification of a certificate, and its PDF for the holder and their branch's managers;
a manager's page of their branch's certificates and its ZIP archives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commissions.models import Commission
from commissions.selectors import access_log, commission_access, learner_access
from commissions.views import refuse

from .forms import VerifyNumberForm
from .models import Certificate, CertificateArchive
from .selectors import (
    VERIFY_WINDOW,
    certificate_by_number,
    certificate_for_verification,
    verify_allowed,
)
from .services import branch_certificate_counts, certificate_archive_request


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


# A manager's own archives of one branch listed on its certificates page, latest first.
ARCHIVES_SHOWN = 10
BUSY = (CertificateArchive.State.QUEUED, CertificateArchive.State.BUILDING)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def branch(request, code: str):
    """A manager's page of their branch's certificates: how many per election event, the form
    to build a ZIP of them (POST), and the manager's own archives of this branch."""
    commission = get_object_or_404(Commission, code=code)
    decision = commission_access(viewer=request.user, commission=commission)
    if not decision:
        return refuse(request, reason=decision.reason, what=f"certificates:{code}")
    counts = branch_certificate_counts(commission=commission)
    if request.method == "POST":
        return _archive_request(request, commission=commission, counts=counts)
    archives = list(
        CertificateArchive.objects.filter(requested_by=request.user, commission=commission)
        .select_related("event")
        .order_by("-requested_at")[:ARCHIVES_SHOWN]
    )
    return render(
        request,
        "certificates/branch.html",
        {
            "commission": commission,
            "counts": counts,
            "total": sum(item.count for item in counts),
            "archives": archives,
            "busy": any(archive.state in BUSY for archive in archives),
            "State": CertificateArchive.State,
        },
    )


def _archive_request(request, *, commission: Commission, counts):
    """Ask for the ZIP of the event chosen in the form (or of all), then back to the page."""
    events = {str(item.event.pk): item for item in counts if item.event is not None}
    choice = request.POST.get("event", "")
    if choice and choice not in events:
        messages.error(request, _("Choose an election event from the list."))
    elif not (events[choice].count if choice else sum(item.count for item in counts)):
        messages.warning(request, _("There are no certificates to put in a ZIP."))
    else:
        certificate_archive_request(
            user=request.user,
            commission=commission,
            event=events[choice].event if choice else None,
        )
        messages.success(
            request,
            _(
                "Your ZIP is being prepared. This page shows its progress and the download "
                "link once it is ready."
            ),
        )
    return redirect("certificates:branch", code=commission.code)


@never_cache
@login_required
def archive_download(request, pk: int):
    """A ZIP of a branch's certificates, for the person who asked for it only: anyone else gets
    the same 404 as for an archive that does not exist; an expired one says so (410)."""
    archive = CertificateArchive.objects.select_related("commission").filter(pk=pk).first()
    if archive is None or archive.requested_by_id != request.user.pk:
        if archive is not None:
            access_log.warning(
                "refused user=%s path=%s what=certificate-archive:%s reason=%s",
                request.user.pk,
                request.path,
                pk,
                "not the requester",
            )
        raise Http404
    if archive.is_expired:
        return _archive_gone(request, archive)
    if archive.state != CertificateArchive.State.READY or not archive.file:
        raise Http404
    try:
        content = archive.file.open("rb")
    except FileNotFoundError:
        return _archive_gone(request, archive)
    response = FileResponse(
        content,
        as_attachment=True,
        filename=f"certificates-{archive.commission.code}-{archive.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store, private"
    return response


def _archive_gone(request, archive: CertificateArchive):
    return render(request, "certificates/archive_expired.html", {"archive": archive}, status=410)
