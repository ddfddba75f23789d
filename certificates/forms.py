from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyNumberForm(forms.Form):
    """A certificate's number as printed on it, e.g. KZ-2026-000123."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=32,
        help_text=_("As printed on the certificate, e.g. KZ-2026-000123."),
    )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()
