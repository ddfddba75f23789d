"""Who is a minor, and whether a minor's legal representative has consented.

Only the year of birth is known, so a person counts as a minor until the end of the calendar year
in which they turn 18: nobody under 18 is ever treated as an adult (decision 0010). A minor may
read courses; taking tests and receiving certificates wait for an active ``GUARDIAN`` consent.
Accounts without a year of birth (commission members, staff) are never minors here.
"""

from datetime import date

from django.utils import timezone

from .models import ConsentRecord

ADULT_AGE = 18
EARLIEST_YEAR_OF_BIRTH = 1900


def is_minor(user, *, today: date | None = None) -> bool:
    year_of_birth = getattr(user, "year_of_birth", None)
    if year_of_birth is None:
        return False
    today = today or timezone.localdate()
    return today.year - year_of_birth <= ADULT_AGE


def has_guardian_consent(user) -> bool:
    """Whether an active legal representative's consent is on record: one query."""
    return (
        ConsentRecord.objects.active()
        .filter(user=user, purpose=ConsentRecord.Purpose.GUARDIAN)
        .exists()
    )


def needs_guardian_consent(user, *, today: date | None = None) -> bool:
    """Whether ``user`` is a minor without an active legal representative's consent, so may read
    but not take tests or receive certificates. No query for an adult or an account without a
    year of birth; one for a minor."""
    if not getattr(user, "is_authenticated", False) or not is_minor(user, today=today):
        return False
    return not has_guardian_consent(user)
