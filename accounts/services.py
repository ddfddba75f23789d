from django.db import transaction
from django.utils import timezone

from .consent import current_text, is_self_registered
from .models import ConsentRecord, User


@transaction.atomic
def consent_give(*, user: User, purpose: str, given_by: User | None = None) -> ConsentRecord:
    """Record consent to the current text for ``purpose``; giving it again changes nothing."""
    text = current_text(purpose, self_registered=is_self_registered(user))
    existing = (
        ConsentRecord.objects.select_for_update()
        .active()
        .filter(user=user, purpose=purpose)
        .first()
    )
    if existing and existing.text_version == text.version:
        return existing
    if existing:
        existing.withdrawn_at = timezone.now()
        existing.save(update_fields=["withdrawn_at"])
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, text_version=text.version, given_by=given_by or user
    )


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str) -> ConsentRecord | None:
    """Withdraw consent at once; the record stays as proof of what was agreed and when."""
    record = (
        ConsentRecord.objects.select_for_update()
        .active()
        .filter(user=user, purpose=purpose)
        .first()
    )
    if record is None:
        return None
    record.withdrawn_at = timezone.now()
    record.save(update_fields=["withdrawn_at"])
    return record
