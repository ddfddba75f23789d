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

CURRENT = {
    PERSONAL_DATA_2026_11.purpose: PERSONAL_DATA_2026_11,
    GUARDIAN_2026_11.purpose: GUARDIAN_2026_11,
}
