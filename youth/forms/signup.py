"""The sign-up form of young learners: what they give about themselves, and the two checks that
keep automated sign-ups out (an empty honeypot field and a signed time the form was issued)."""

import time

from django import forms
from django.contrib.auth import password_validation
from django.core import signing
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.minors import ADULT_AGE, EARLIEST_YEAR_OF_BIRTH, is_minor
from accounts.models import Language, User
from commissions.models import Commission

from ..regions import Region
from ..services.signup import account_for_email, is_awaiting_confirmation

FORM_SALT = "youth.signup.form"
# A person needs more than a few seconds for this form; a form left open longer than a few hours
# is sent again with a fresh time, so a harvested copy cannot be replayed forever.
FORM_MIN_SECONDS = 3
FORM_MAX_SECONDS = 4 * 3600
# The username is the email, so both fit the username's length.
EMAIL_MAX_LENGTH = 150


def form_issued_token(at: float | None = None) -> str:
    """The signed moment the form was shown."""
    return signing.dumps(time.time() if at is None else at, salt=FORM_SALT)


def form_issued_age(token: str) -> float | None:
    """Seconds since the form was shown; None for a token this server did not sign."""
    try:
        issued = float(signing.loads(token, salt=FORM_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - issued


def _club_choices() -> list[tuple[str, str]]:
    clubs = Commission.objects.filter(level=Commission.Level.CLUB).only(
        "pk", "name_kk", "name_ru", "name_en"
    )
    named = sorted(((str(club.pk), club.name) for club in clubs), key=lambda c: c[1].casefold())
    return [("", _("No club")), *named]


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We send a link to this address; open it to finish signing up."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_(
            "At least 8 characters, not only digits, not a common password and not like your "
            "name or email."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"),
        widget=forms.NumberInput(
            attrs={"autocomplete": "bday-year", "inputmode": "numeric", "class": "input--short"}
        ),
    )
    representative_name = forms.CharField(
        label=_("Legal representative's full name"), max_length=200, required=False
    )
    representative_email = forms.EmailField(
        label=_("Legal representative's email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"inputmode": "email"}),
    )
    region = forms.ChoiceField(label=_("Region"))
    school = forms.CharField(
        label=_("School or university"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    club = forms.TypedChoiceField(
        label=_("Young voters' club"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("If you are a member of a club, choose it: its coordinator will see you."),
    )
    preferred_language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    consent = forms.BooleanField(
        label=_("I have read the text above and consent to the processing of my personal data."),
        error_messages={"required": _("You can sign up only with this consent.")},
    )
    # Left empty by people (it is hidden from them); filled in by programs that fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_account: User | None = None
        self.fields["region"].choices = [("", _("Choose your region"))] + list(Region.choices)
        self.fields["club"].choices = _club_choices()
        language = (translation.get_language() or "kk")[:2]
        if language in Language.values:
            self.fields["preferred_language"].initial = language
        self.fields["representative_name"].help_text = _(
            "Required if you were born in %(year)s or later: a parent or guardian must consent "
            "before you take tests. We email them a link."
        ) % {"year": self.youngest_adult_year + 1}
        self.fields["representative_name"].widget.attrs["aria-describedby"] = (
            "id_representative_name_helptext"
        )
        self.fields["year_of_birth"].widget.attrs.update(
            {"min": EARLIEST_YEAR_OF_BIRTH, "max": timezone.localdate().year}
        )
        # Each display gets a fresh time: a corrected form is timed from its last display.
        self.submitted_issued = self.data.get(self.add_prefix("issued"), "")
        self.initial["issued"] = form_issued_token()
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("issued")] = self.initial["issued"]

    @property
    def youngest_adult_year(self) -> int:
        """The last year of birth of people no longer minors this year."""
        return timezone.localdate().year - ADULT_AGE - 1

    @property
    def is_filled_by_a_program(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    @property
    def email_taken(self) -> bool:
        """The email belongs to a confirmed account: the page links to sign-in and reset."""
        return self.has_error("email", "taken")

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        account = account_for_email(email)
        if account is None:
            return email
        self.existing_account = account
        if is_awaiting_confirmation(account):
            raise forms.ValidationError(
                _(
                    "An account with this email is waiting for its confirmation. We have sent "
                    "the confirmation link to this address again: open it to finish signing up."
                ),
                code="awaiting_confirmation",
            )
        raise forms.ValidationError(
            _(
                "An account with this email already exists. Sign in, or reset your password if "
                "you have forgotten it."
            ),
            code="taken",
        )

    def clean_year_of_birth(self):
        year = self.cleaned_data["year_of_birth"]
        this_year = timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        if year < EARLIEST_YEAR_OF_BIRTH:
            raise forms.ValidationError(
                _("Enter a year of birth from %(year)s on.") % {"year": EARLIEST_YEAR_OF_BIRTH}
            )
        return year

    def clean_representative_name(self):
        return " ".join(self.cleaned_data["representative_name"].split())

    def clean_representative_email(self):
        return self.cleaned_data["representative_email"].strip()

    def clean(self):
        cleaned = super().clean()
        age = form_issued_age(self.submitted_issued)
        if age is None or age > FORM_MAX_SECONDS:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "This form was open too long or could not be checked. Your answers are "
                        "kept: enter the password again and send the form once more."
                    ),
                    code="stale",
                ),
            )
        elif age < FORM_MIN_SECONDS:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "The form was sent faster than a person can fill it in. Check your "
                        "answers, enter the password again and send it once more."
                    ),
                    code="too_fast",
                ),
            )
        year = cleaned.get("year_of_birth")
        if year is not None and is_minor(User(year_of_birth=year)):
            if not cleaned.get("representative_name") and "representative_name" not in self.errors:
                self.add_error(
                    "representative_name",
                    _("You are under 18: enter the full name of a parent or guardian."),
                )
            rep_email = cleaned.get("representative_email")
            if not rep_email and "representative_email" not in self.errors:
                self.add_error(
                    "representative_email",
                    _("You are under 18: enter the email of a parent or guardian."),
                )
            email = cleaned.get("email") or self.data.get(self.add_prefix("email"), "")
            if rep_email and rep_email.strip().lower() == email.strip().lower():
                self.add_error(
                    "representative_email",
                    _("Enter your parent's or guardian's own email, not yours."),
                )
        else:
            cleaned["representative_name"] = ""
            cleaned["representative_email"] = ""
        password = cleaned.get("password")
        if password:
            candidate = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
