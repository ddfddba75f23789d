from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.models import ElectionEvent


class VerifyNumberForm(forms.Form):
    """A certificate's number as printed on it, e.g. KZ-2026-000123, with its holder's surname:
    numbers run in sequence, so the number alone would let anyone read names off them."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=32,
        help_text=_("As printed on the certificate, e.g. KZ-2026-000123."),
    )

    surname = forms.CharField(
        label=_("Holder's surname"),
        max_length=100,
        help_text=_("As printed on the certificate."),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_surname(self) -> str:
        return self.cleaned_data["surname"].strip()


class CertificateReasonForm(forms.Form):
    """Why a certificate is withdrawn: shown on its public verify page."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the certificate's public verify page."),
        error_messages={"required": _("Give the reason.")},
    )


class CertificateReissueForm(CertificateReasonForm):
    """A new certificate (new number and code) in place of this one, e.g. with the name
    corrected."""

    holder_name = forms.CharField(
        label=_("Holder's name as printed"),
        max_length=200,
        help_text=_("Correct a misspelt name here; everything else is printed as before."),
    )


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button confirms."""


class RegenerationForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Election event"), queryset=ElectionEvent.objects.order_by("-vote_date")
    )
    reprint = forms.BooleanField(
        label=_("Print with the templates as they are now"),
        required=False,
        help_text=_(
            "The holder's name, course, event, dates, number and code stay as issued; the "
            "title, body, images and signatories are taken from each template's current "
            "version. Leave unticked to render exactly what was issued."
        ),
    )
