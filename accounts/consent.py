"""The texts people consent to. A text is never edited once published: a change is a new version,
and each consent record names the version that was shown."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    template_name: str
    title: str


PERSONAL_DATA_2026_11 = ConsentText(
    purpose=ConsentRecord.Purpose.PERSONAL_DATA,
    version="2026-11",
    template_name="accounts/consent/personal_data_2026-11.html",
    title=_("Consent to the processing of personal data"),
)

GUARDIAN_2026_11 = ConsentText(
    purpose=ConsentRecord.Purpose.GUARDIAN,
    version="2026-11",
    template_name="accounts/consent/guardian_2026-11.html",
    title=_("A legal representative's consent to a minor's training"),
)

PERSONAL_DATA_SELF_REGISTERED_2026_11 = ConsentText(
    purpose=ConsentRecord.Purpose.PERSONAL_DATA,
    version="2026-11-y",
    template_name="accounts/consent/personal_data_self_registered_2026-11.html",
    title=_("Consent to the processing of personal data"),
)

CURRENT = {
    PERSONAL_DATA_2026_11.purpose: PERSONAL_DATA_2026_11,
    GUARDIAN_2026_11.purpose: GUARDIAN_2026_11,
}


def current_text(purpose: str, *, self_registered: bool = False) -> ConsentText:
    """The text a person is asked to agree to now. People who signed up on their own (young
    learners: they gave a year of birth) read a personal-data text about courses and clubs;
    commission members read the one about their commission."""
    if purpose == ConsentRecord.Purpose.PERSONAL_DATA and self_registered:
        return PERSONAL_DATA_SELF_REGISTERED_2026_11
    return CURRENT[purpose]


def is_self_registered(user) -> bool:
    return getattr(user, "year_of_birth", None) is not None
