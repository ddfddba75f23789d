"""Member files: check an upload (dry run), queue it, apply it whole.

Identity: a row is the existing account with its email address (case aside), else the one with
its phone number, else a new account (sign-in name = email, else phone; no usable password until
the person sets one through password reset).

Seats: **a person sits on one commission at a time.** Applying a row keeps the person's open
seat when it is already in that commission with that position; otherwise it closes every open
seat of theirs (ended today) and opens the one the row names. A commission's list therefore
always mirrors the latest file, and moving a member is a one-line change in the spreadsheet.
"""

import hashlib
import os
import uuid
from collections import defaultdict
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..imports import QUERY_CHUNK, MemberFileCheck, RowPlan, member_file_check
from ..models import MemberImport, Membership
from ..signals import seats_changed

APPLICABLE = {
    MemberImport.Status.VALIDATED,
    MemberImport.Status.QUEUED,
    MemberImport.Status.FAILED,
}


def _chunks(values: list, size: int = QUERY_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


@transaction.atomic
def member_import_check(*, uploaded_file, uploaded_by) -> MemberImport:
    """Keep the uploaded file privately and record its check: problems, or rows ready."""
    data = uploaded_file.read()
    original_name = os.path.basename(getattr(uploaded_file, "name", "") or "members")
    check = member_file_check(data=data, filename=original_name)
    member_import = MemberImport(
        original_name=original_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=uploaded_by,
        row_count=check.row_count,
        problems=[problem.as_dict() for problem in check.problems],
        status=(MemberImport.Status.VALIDATED if check.is_valid else MemberImport.Status.INVALID),
        # Until it is applied, the summary is the forecast: what applying would do.
        summary=check.counts if check.is_valid else {},
    )
    # A random stored name: the original may carry personal data, and is kept in the record.
    extension = os.path.splitext(original_name)[1].lower()[:8]
    member_import.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    member_import.save()
    return member_import


@transaction.atomic
def member_import_queue(*, member_import: MemberImport) -> MemberImport:
    """Hand a checked file to the worker; it is applied after this transaction commits."""
    from ..tasks import apply_member_import

    member_import = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if member_import.status in {MemberImport.Status.QUEUED, MemberImport.Status.APPLIED}:
        return member_import
    if member_import.status not in APPLICABLE:
        raise ValidationError(
            _("This file has problems and cannot be applied: correct them and upload it again."),
            code="invalid",
        )
    member_import.status = MemberImport.Status.QUEUED
    member_import.error = ""
    member_import.save(update_fields=["status", "error"])
    transaction.on_commit(partial(apply_member_import.delay, member_import.pk))
    return member_import


def member_import_apply(*, member_import: MemberImport) -> MemberImport:
    """Apply a checked file whole, or not at all; safe to run twice.

    The row is locked first, so two workers never apply the same import; one already applied is
    returned as it is. The stored file is read and checked again (the accounts may have changed
    since the upload): if it now has problems nothing is written and the import shows them. An
    unexpected error leaves nothing half-applied, marks the import failed and is raised again
    for the task runner to see.
    """
    try:
        with transaction.atomic():
            locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
            if locked.status == MemberImport.Status.APPLIED:
                return locked
            if locked.status not in APPLICABLE:
                raise ValidationError(
                    _("This file has problems and cannot be applied."), code="invalid"
                )
            with locked.file.open("rb") as stored:
                data = stored.read()
            check = member_file_check(data=data, filename=locked.original_name)
            if not check.is_valid:
                locked.status = MemberImport.Status.INVALID
                locked.problems = [problem.as_dict() for problem in check.problems]
                locked.row_count = check.row_count
                locked.summary = {}
                locked.save(update_fields=["status", "problems", "row_count", "summary"])
                return locked
            locked.summary = members_apply(check=check)
            locked.status = MemberImport.Status.APPLIED
            locked.applied_at = timezone.now()
            locked.error = ""
            locked.save(update_fields=["summary", "status", "applied_at", "error"])
            transaction.on_commit(
                partial(
                    seats_changed.send,
                    sender=MemberImport,
                    user_ids=[plan.user_id for plan in check.plans if plan.open_seat],
                )
            )
            return locked
    except ValidationError:
        raise
    except Exception as error:
        MemberImport.objects.filter(pk=member_import.pk).update(
            status=MemberImport.Status.FAILED, error=f"{type(error).__name__}: {error}"[:5000]
        )
        raise


@transaction.atomic
def members_apply(*, check: MemberFileCheck) -> dict[str, int]:
    """Write what a valid check planned, in bulk; returns the counts of created, changed and
    unchanged rows."""
    if not check.is_valid:
        raise ValidationError(_("A file with problems cannot be applied."), code="invalid")
    User = get_user_model()
    today = timezone.localdate()
    plans = check.plans
    counts = check.counts  # before new accounts get their ids

    new_plans = [plan for plan in plans if plan.user_id is None]
    new_users = [
        User(
            username=plan.username,
            email=plan.row.email,
            phone=plan.row.phone,
            full_name=plan.row.full_name,
            preferred_language=plan.row.language or "kk",
            password=make_password(None),
        )
        for plan in new_plans
    ]
    created = User.objects.bulk_create(new_users, batch_size=QUERY_CHUNK)
    if any(user.pk is None for user in created):  # a database that returns no ids
        ids = {}
        for chunk in _chunks([plan.username for plan in new_plans]):
            ids.update(User.objects.filter(username__in=chunk).values_list("username", "pk"))
        for plan in new_plans:
            plan.user_id = ids[plan.username]
    else:
        for plan, user in zip(new_plans, created, strict=True):
            plan.user_id = user.pk

    _update_existing_accounts(plans, User)
    _close_seats([pk for plan in plans for pk in plan.close_seat_ids], today)
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=plan.user_id,
                commission_id=plan.commission_id,
                position=plan.row.position,
                started_on=today,
            )
            for plan in plans
            if plan.open_seat
        ],
        batch_size=QUERY_CHUNK,
    )
    return counts


def _update_existing_accounts(plans: list[RowPlan], User) -> None:
    by_language: dict[str, list[int]] = defaultdict(list)
    for plan in plans:
        if plan.language_update:
            by_language[plan.language_update].append(plan.user_id)
    for language, user_ids in by_language.items():
        for chunk in _chunks(user_ids):
            User.objects.filter(pk__in=chunk).update(preferred_language=language)
    named = [
        User(pk=plan.user_id, full_name=plan.name_update) for plan in plans if plan.name_update
    ]
    if named:
        User.objects.bulk_update(named, ["full_name"], batch_size=QUERY_CHUNK)


def _close_seats(seat_ids: list[int], today) -> None:
    for chunk in _chunks(seat_ids):
        seats = Membership.objects.filter(pk__in=chunk)
        seats.filter(started_on__lte=today).update(ended_on=today)
        # A seat that had not started yet ends the day it was to start.
        seats.filter(started_on__gt=today).update(ended_on=F("started_on"))
