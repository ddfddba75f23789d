"""A person deleting their own account: the account is anonymised rather than removed, so the
commissions' counts and the items' statistics stay as they were."""

import logging
import secrets

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import ConsentRecord, User
from certificates.services.issuing import certificates_holder_name_remove
from commissions.models import Commission, Membership
from youth.models import GuardianConsentRequest, LearnerProfile

from .selectors import deletion_refusal

access_log = logging.getLogger("saylau.access")

DELETED_USERNAME_PREFIX = "deleted-"


class AccountDeletionRefused(Exception):
    """The account keeps records a commission needs; ``str(error)`` says whom to ask."""


def is_deleted(user: User) -> bool:
    return not user.is_active and user.username.startswith(DELETED_USERNAME_PREFIX)


@transaction.atomic
def account_delete(*, user: User) -> bool:
    """Anonymise ``user``'s account at their request; returns False if it already was.

    The user row stays, without name, email, phone, year of birth or a usable password, under
    a random username and inactive, so every session it had stops working and nobody can sign
    in to it. Its enrolments, lesson progress, quiz attempts and certificates stay attached to
    it, so completion counts and item statistics do not change. The learner profile is deleted,
    club seats end, the legal representative's name and email leave the consent records and
    requests (their dates and versions stay; consents still active are withdrawn, pending
    requests cancelled), and the certificates lose the holder's name and their stored PDFs but
    stay valid.

    Raises ``AccountDeletionRefused`` for a seat in an election commission, a manager's role
    or a staff account.
    """
    account = User.objects.select_for_update().get(pk=user.pk)
    if is_deleted(account):
        return False
    refusal = deletion_refusal(user=account)
    if refusal is not None:
        raise AccountDeletionRefused(refusal.reason)
    now = timezone.now()
    today = timezone.localdate()

    club_seats = Membership.objects.filter(
        user=account, commission__level=Commission.Level.CLUB
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    # A seat's end is its first day off, never before its start.
    club_seats.filter(started_on__lte=today).update(ended_on=today)
    club_seats.filter(started_on__gt=today).update(ended_on=F("started_on"))

    LearnerProfile.objects.filter(user=account).delete()
    ConsentRecord.objects.filter(user=account).active().update(withdrawn_at=now)
    ConsentRecord.objects.filter(user=account).update(
        representative_name="", representative_email=""
    )
    GuardianConsentRequest.objects.filter(learner=account).pending().update(cancelled_at=now)
    GuardianConsentRequest.objects.filter(learner=account).update(
        representative_name="", representative_email=""
    )
    certificates_holder_name_remove(learner_id=account.pk)

    account.username = f"{DELETED_USERNAME_PREFIX}{secrets.token_hex(8)}"
    account.full_name = account.first_name = account.last_name = ""
    account.email = account.phone = ""
    account.year_of_birth = None
    account.is_active = False
    account.set_unusable_password()
    account.save(
        update_fields=[
            "username",
            "full_name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "year_of_birth",
            "is_active",
            "password",
        ]
    )
    access_log.info("account deleted at its holder's request user=%s", account.pk)
    return True
