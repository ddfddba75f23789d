"""Background work of the commissions app: each task takes ids and calls one service."""

from celery import shared_task

from .models import MemberImport
from .services import member_import_apply


@shared_task(name="commissions.tasks.apply_member_import")
def apply_member_import(import_id: int) -> str:
    """Apply a queued member file. Safe to run twice: an applied import is left as it is."""
    member_import = MemberImport.objects.filter(pk=import_id).first()
    if member_import is None:
        return "missing"
    return member_import_apply(member_import=member_import).status
