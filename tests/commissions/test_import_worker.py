"""A member file queued from the admin is applied by a real Celery worker process."""

import csv
import io
import time

from django.core.files.base import ContentFile

import pytest

from accounts.models import User
from commissions.models import MemberImport
from commissions.services import member_import_check, member_import_queue

WAIT_SECONDS = 60


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_applies_a_queued_import(celery_worker_process, tree):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["full_name", "email", "phone", "commission_code", "position", "language"])
    writer.writerow(
        ["Жұмысшы Тексеру", "worker@example.kz", "", tree["precinct11"].code, "chair", ""]
    )
    member_import = member_import_check(
        uploaded_file=ContentFile(buffer.getvalue().encode(), name="members.csv"),
        uploaded_by=None,
    )
    try:
        member_import_queue(member_import=member_import)

        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            member_import.refresh_from_db()
            if member_import.status not in {
                MemberImport.Status.QUEUED,
                MemberImport.Status.VALIDATED,
            }:
                break
            time.sleep(0.5)

        assert member_import.status == MemberImport.Status.APPLIED, member_import.error
        assert member_import.summary == {"created": 1, "changed": 0, "unchanged": 0}
        member = User.objects.get(email="worker@example.kz")
        assert member.memberships.get().commission == tree["precinct11"]
    finally:
        member_import.file.delete(save=False)
