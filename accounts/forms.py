from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username, email or phone"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "The sign-in name or password is not right. Passwords are case-sensitive: check the "
            "keyboard language and Caps Lock."
        ),
        "inactive": _("This account is switched off. Ask your commission's secretary."),
    }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "preferred_language"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_phone(self):
        phone = "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit() or ch == "+")
        if phone and not (phone.startswith("+") and 8 <= len(phone) <= 16):
            raise forms.ValidationError(
                _("Enter the phone in international form, e.g. +77011234567.")
            )
        return phone


class ConsentForm(forms.Form):
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
