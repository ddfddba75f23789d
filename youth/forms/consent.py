"""The legal representative's confirmation, and the learner's request for it."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class GuardianConfirmForm(forms.Form):
    """The representative confirms who they are before the consent is recorded."""

    is_representative = forms.BooleanField(
        required=True,
        error_messages={
            "required": gettext_lazy(
                "Tick the box to confirm that you are their legal representative."
            )
        },
    )

    def __init__(self, *args, learner_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_representative"].label = _(
            "I am the legal representative of %(learner)s and I consent to the text above."
        ) % {"learner": learner_name}


class GuardianRequestForm(forms.Form):
    """A minor names the legal representative who should receive the consent link."""

    representative_name = forms.CharField(
        label=gettext_lazy("Your legal representative's full name"),
        max_length=200,
        help_text=gettext_lazy("A parent, guardian or trustee."),
    )
    representative_email = forms.EmailField(
        label=gettext_lazy("Their email address"),
        max_length=254,
    )

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner

    def clean_representative_name(self) -> str:
        name = " ".join(self.cleaned_data["representative_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your legal representative's name."))
        return name

    def clean_representative_email(self) -> str:
        email = self.cleaned_data["representative_email"].strip()
        if self.learner.email and email.casefold() == self.learner.email.casefold():
            raise forms.ValidationError(
                _(
                    "This is your own email address. Enter the address of your parent, guardian "
                    "or trustee: they confirm the consent themselves."
                )
            )
        return email
