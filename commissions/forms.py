"""Admin forms for the commission tree, seats, manager roles and member files.

People and commissions are picked by typing (a username, email or phone; a commission code),
never from a select of ~100,000 accounts or ~10,500 commissions.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .imports import normalise_phone
from .models import Commission, ManagerRole, Membership

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PersonField(forms.CharField):
    """An account, typed as its username, email address or phone number."""

    default_error_messages = {
        "unknown": _("No account has this username, email address or phone number."),
        "ambiguous": _("Several accounts match; type the username instead."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Person"))
        kwargs.setdefault("help_text", _("Username, email address or phone number."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        User = get_user_model()
        if isinstance(value, User):
            return value.username
        if isinstance(value, int):
            return User.objects.filter(pk=value).values_list("username", flat=True).first()
        return value

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        match = Q(username__iexact=value) | Q(email__iexact=value)
        if phone := normalise_phone(value):
            match |= Q(phone=phone)
        accounts = list(get_user_model().objects.filter(match)[:2])
        if not accounts:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if len(accounts) > 1:
            exact = [account for account in accounts if account.username == value]
            if len(exact) != 1:
                raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
            return exact[0]
        return accounts[0]


class CommissionCodeField(forms.CharField):
    """A commission, typed as its code."""

    default_error_messages = {"unknown": _("No commission has the code “%(code)s”.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commission code"))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Commission):
            return value.code
        if isinstance(value, int):
            return Commission.objects.filter(pk=value).values_list("code", flat=True).first()
        return value

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        commission = (
            Commission.objects.filter(code=value).first()
            or Commission.objects.filter(code__iexact=value).first()
        )
        if commission is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": value}
            )
        return commission


class CommissionCreateForm(forms.ModelForm):
    parent = CommissionCodeField(
        label=_("Parent commission code"),
        required=False,
        help_text=_("The code of the commission above this one; blank only for the central one."),
    )

    class Meta:
        model = Commission
        fields = ["parent", "code", "level", "name_kk", "name_ru", "name_en"]


class CommissionEditForm(forms.ModelForm):
    class Meta:
        model = Commission
        fields = ["name_kk", "name_ru", "name_en"]


class CommissionMoveForm(forms.Form):
    new_parent = CommissionCodeField(
        label=_("New parent commission code"),
        help_text=_("The commission and its whole branch move under this commission."),
    )


class SeatFormMixin:
    """Gives a friendly message where the database constraint would give a technical one."""

    def clean(self):
        cleaned_data = super().clean()
        user, commission = cleaned_data.get("user"), cleaned_data.get("commission")
        if user is None or commission is None:
            return cleaned_data
        duplicates = self._meta.model.objects.filter(user=user, commission=commission)
        if self._meta.model is Membership:
            if cleaned_data.get("ended_on"):
                return cleaned_data
            duplicates = duplicates.filter(ended_on__isnull=True)
            message = _("This person already holds an open seat in this commission.")
        else:
            message = _("This person already manages this commission.")
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            self.add_error("user", message)
        return cleaned_data


class MembershipForm(SeatFormMixin, forms.ModelForm):
    user = PersonField()
    commission = CommissionCodeField()

    class Meta:
        model = Membership
        fields = ["user", "commission", "position", "started_on", "ended_on"]


class ManagerRoleForm(SeatFormMixin, forms.ModelForm):
    user = PersonField()
    commission = CommissionCodeField(
        help_text=_("The manager sees this commission and its whole branch.")
    )

    class Meta:
        model = ManagerRole
        fields = ["user", "commission"]


class MemberImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of members"),
        help_text=_(
            "CSV (UTF-8 or Windows-1251) or XLSX with the columns full name, email, phone, "
            "commission code, position and language. Nothing is written until you apply it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it into smaller files.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return uploaded
