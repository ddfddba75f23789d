"""The Wagtail admin's user forms, with the fields this platform keeps about a person.

People here have one full name (as written in the commission's documents), not first and last
names; email is optional because many members are reached by phone.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Language

EXTRA_FIELDS = ("full_name", "phone", "preferred_language")


class _PersonFields(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("In international form: +77011234567."),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
    email = forms.EmailField(label=_("Email"), required=False)
    first_name = forms.CharField(required=False, widget=forms.HiddenInput)
    last_name = forms.CharField(required=False, widget=forms.HiddenInput)


class PersonCreationForm(_PersonFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(EXTRA_FIELDS)


class PersonEditForm(_PersonFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(EXTRA_FIELDS)
