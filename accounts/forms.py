from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .backends import user_for_identifier
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
        "unconfirmed": _(
            "Confirm your email first: open the link we sent you when you signed up. "
            "No email? Have it sent again below."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The email of a self-registered account not yet confirmed, once its password was right.
        self.unconfirmed_email = ""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self._awaits_email_confirmation():
                raise ValidationError(
                    self.error_messages["unconfirmed"], code="unconfirmed"
                ) from error
            raise

    def _awaits_email_confirmation(self) -> bool:
        """A learner who signed up on their own, typed the right password and has not opened
        the emailed link yet. Said only after the right password, so it reveals nothing more."""
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return False
        user = user_for_identifier(username)
        if user is None or user.is_active or not user.check_password(password):
            return False
        # Young learners' sign-up (youth) keeps the confirmation time on the learner profile.
        profile = getattr(user, "learner_profile", None)
        if profile is None or profile.email_confirmed_at is not None:
            return False
        self.unconfirmed_email = user.email
        return True


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "preferred_language"]
        labels = {"email": _("Email")}  # Django's own "Email address" has no Kazakh
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
