"""The filters of the list of members not yet trained, and the choice of an export's format."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissions.models import Commission, Position

from .models import ExportFormat
from .selectors import NOT_TRAINED_ORDERINGS

SORT_CHOICES = [(key, key) for key in NOT_TRAINED_ORDERINGS] + [
    (f"-{key}", f"-{key}") for key in NOT_TRAINED_ORDERINGS
]


class NotTrainedFilterForm(forms.Form):
    """Read from the query string; a value that is not a choice is a form error shown on the
    page, never a server error. Child commissions are offered by code, among the commissions
    one level below the branch's top only."""

    position = forms.ChoiceField(
        label=_("Position"), required=False, choices=[("", _("All positions")), *Position.choices]
    )
    commission = forms.ChoiceField(label=_("Commission"), required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def __init__(self, *args, children: list[Commission], **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.code: child for child in children}
        if children:
            self.fields["commission"].choices = [
                ("", _("All commissions")),
                *((child.code, f"{child.name} ({child.code})") for child in children),
            ]
        else:
            del self.fields["commission"]

    def clean_commission(self):
        """The child commission itself, or None."""
        return self.children.get(self.cleaned_data["commission"])


class ExportForm(forms.Form):
    """Which file of the readiness report to download."""

    format = forms.ChoiceField(choices=ExportFormat.choices)


class CivicExportForm(forms.Form):
    """Which file of the clubs' civic education to download: CSV or XLSX."""

    format = forms.ChoiceField(choices=[(ExportFormat.CSV, "CSV"), (ExportFormat.XLSX, "XLSX")])
