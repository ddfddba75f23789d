"""The readiness exports: CSV, XLSX and PDF carry the numbers on the screen, in the page's
language; a large branch's file is built in the background for its requester alone; every
export is in the audit log; scope and bad input change nothing."""

import csv
import io
import logging
import re
import subprocess
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from commissions.models import Commission
from reports import services as report_services
from reports.models import ExportAuditEntry, ReportExport
from reports.services import readiness_exports_expire
from tests.factories import CommissionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STATUS_KEYS = ("assigned", "started", "completed", "passed", "certified", "overdue")


@pytest.fixture(autouse=True)
def export_files(monkeypatch, tmp_path):
    """Background exports are stored in a folder of this test's own."""
    from django.core.files.storage import FileSystemStorage

    field = ReportExport._meta.get_field("file")
    monkeypatch.setattr(
        field, "storage", FileSystemStorage(location=tmp_path / "exports", base_url=None)
    )


def export_url(commission, event, language="en"):
    prefix = f"/{language}" if language != "kk" else ""
    return f"{prefix}/reports/{commission.code}/{event.pk}/export/"


def screen_totals(client, commission, event) -> dict[str, int]:
    """The branch's numbers as the dashboard shows them."""
    html = client.get(f"/en/reports/{commission.code}/{event.pk}/").content.decode()
    return {
        key: int(re.search(rf'<dd data-status="{key}">(\d+)', html).group(1)) for key in STATUS_KEYS
    }


def download(client, commission, event, format, language="en"):
    response = client.post(export_url(commission, event, language), {"format": format})
    assert response.status_code == 200, response.content[:500]
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_a_bom_kazakh_letters_and_the_screens_numbers(client, picture, tree):
    client.force_login(picture.district_manager)
    district = tree["district1"]
    on_screen = screen_totals(client, district, picture.event)

    rows = read_csv(download(client, district, picture.event, "csv").content)

    header, members = rows[0], rows[1:]
    assert header[:5] == ["Commission code", "Commission", "Level", "Position", "Full name"]
    assert len(members) == on_screen["assigned"] == 6
    for key, column in zip(
        ("started", "completed", "passed", "certified", "overdue"), range(8, 13), strict=True
    ):
        assert sum(row[column] == "yes" for row in members) == on_screen[key], key
    assert "Finished Сәрсенбайұлы" in [row[4] for row in members]
    assert {row[0] for row in members} == {tree["precinct11"].code, tree["precinct12"].code}


def test_the_csv_speaks_the_managers_language(client, picture, tree):
    client.force_login(picture.district_manager)
    rows = read_csv(download(client, tree["district1"], picture.event, "csv", "kk").content)
    assert rows[0][4] == "Аты-жөні"
    assert {row[12] for row in rows[1:]} <= {"иә", "жоқ"}
    assert tree["precinct11"].name_kk in {row[1] for row in rows[1:]}


def test_the_xlsx_has_typed_cells_frozen_headers_filters_and_the_screens_numbers(
    client, picture, tree
):
    client.force_login(picture.district_manager)
    district = tree["district1"]
    on_screen = screen_totals(client, district, picture.event)

    book = load_workbook(io.BytesIO(download(client, district, picture.event, "xlsx").content))

    assert book.sheetnames == ["Summary", "Precinct commissions", "Members"]
    summary = book["Summary"]
    branch = [cell.value for cell in summary[2]]
    assert branch[0] == "Branch" and branch[2:8] == [on_screen[key] for key in STATUS_KEYS]
    assert all(isinstance(value, int) for value in branch[2:])
    dates = {row[0].value: row[1].value for row in summary.iter_rows(min_row=3) if row[0].value}
    assert dates["Vote date"].date() == picture.event.vote_date
    precincts = book["Precinct commissions"]
    by_code = {row[0].value: [c.value for c in row[2:8]] for row in precincts.iter_rows(min_row=2)}
    assert by_code[tree["precinct11"].code] == [4, 3, 1, 1, 1, 0]
    assert by_code[tree["precinct12"].code] == [2, 2, 2, 1, 1, 0]
    members = book["Members"]
    for sheet in (summary, precincts, members):
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert members.max_row == 1 + on_screen["assigned"]
    assert all(isinstance(row[7].value, int) for row in members.iter_rows(min_row=2))


def test_the_pdf_summary_reads_as_text_with_the_screens_numbers(client, picture, tree, tmp_path):
    client.force_login(picture.district_manager)
    district = tree["district1"]
    content = download(client, district, picture.event, "pdf", "kk").content
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert district.name_kk in text and "Учаскелік сайлау комиссиялары" in text
    assert "Төраға" in text  # the signature line
    assert "Finished" not in text  # a summary: no member's name
    code = tree["precinct11"].code
    line = next(line for line in text.splitlines() if line.strip().startswith(code))
    assert re.findall(r"\b\d+\b(?! ?%)", line.split(code)[-1])[:6] == [
        "4",
        "3",
        "1",
        "1",
        "1",
        "0",
    ]


def test_every_export_is_written_to_the_audit_log(client, picture, tree):
    client.force_login(picture.district_manager)
    for format in ("csv", "xlsx", "pdf"):
        download(client, tree["district1"], picture.event, format)
    entries = list(ExportAuditEntry.objects.order_by("at"))
    assert [(e.format, e.rows, e.commission_code, e.background) for e in entries] == [
        ("csv", 6, tree["district1"].code, False),
        ("xlsx", 6, tree["district1"].code, False),
        ("pdf", 4, tree["district1"].code, False),
    ]
    assert {e.user for e in entries} == {picture.district_manager}
    assert {e.event_name for e in entries} == {picture.event.name_kk}


def test_another_branchs_export_is_refused_and_logged_and_not_audited(
    client, picture, tree, caplog
):
    client.force_login(picture.precinct_manager)
    with caplog.at_level(logging.WARNING, logger="saylau.access"):
        response = client.post(export_url(tree["district1"], picture.event), {"format": "csv"})
    assert response.status_code == 403
    assert any("refused" in r.message and "export" in r.message for r in caplog.records)
    assert not ExportAuditEntry.objects.exists()


@pytest.mark.parametrize("data", [{"format": "docx"}, {}, {"format": ""}])
def test_a_format_that_is_not_offered_is_a_message_not_a_file(client, picture, tree, data):
    client.force_login(picture.district_manager)
    response = client.post(export_url(tree["district1"], picture.event), data, follow=True)
    assert response.status_code == 200
    assert "Choose CSV, XLSX or PDF." in response.content.decode()
    assert not ExportAuditEntry.objects.exists()


def test_unknown_event_and_commission_are_404_and_get_is_not_allowed(client, picture, tree):
    client.force_login(picture.district_manager)
    district = tree["district1"]
    assert (
        client.post(f"/en/reports/{district.code}/999999/export/", {"format": "csv"}).status_code
        == 404
    )
    assert (
        client.post(
            f"/en/reports/NO-SUCH/{picture.event.pk}/export/", {"format": "csv"}
        ).status_code
        == 404
    )
    assert client.get(export_url(district, picture.event)).status_code == 405


def test_a_branch_with_no_members_exports_well_formed_empty_files(client, picture, tree):
    empty = CommissionFactory.child(tree["district2"], Commission.Level.PRECINCT)
    manager = UserFactory()
    from tests.factories import ManagerRoleFactory

    ManagerRoleFactory(user=manager, commission=empty)
    client.force_login(manager)
    rows = read_csv(download(client, empty, picture.event, "csv").content)
    assert len(rows) == 1
    book = load_workbook(io.BytesIO(download(client, empty, picture.event, "xlsx").content))
    assert book["Members"].max_row == 1
    assert download(client, empty, picture.event, "pdf").content.startswith(b"%PDF")


def test_the_export_reads_the_same_queries_for_few_and_many_members(picture, tree):
    from reports.services import readiness_export_now

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            readiness_export_now(
                user=picture.district_manager,
                commission=tree["district1"],
                event=picture.event,
                format="xlsx",
                language="en",
            )
        return len(captured)

    queries()  # the first export also reads what later ones find cached
    few = queries()
    for _ in range(25):
        MembershipFactory(commission=tree["precinct12"])
    assert queries() == few


@pytest.fixture
def large(monkeypatch):
    """Every branch counts as large: its files are built in the background."""
    monkeypatch.setattr("reports.views.AT_ONCE_LIMIT", 0)


def test_a_large_branch_is_built_in_the_background_for_its_requester_alone(
    client, picture, tree, large, django_capture_on_commit_callbacks
):
    client.force_login(picture.district_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(export_url(tree["district1"], picture.event), {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].endswith("/reports/exports/")
    export = ReportExport.objects.get()
    assert export.state == ReportExport.State.READY and export.done == export.total == 6
    assert export.language == "en"
    page = client.get("/en/reports/exports/").content.decode()
    assert f"/reports/exports/{export.pk}/file/" in page and "data-refresh" not in page

    file = client.get(f"/en/reports/exports/{export.pk}/file/")
    assert file.status_code == 200 and file["Cache-Control"] == "no-store, private"
    book = load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    assert book["Members"].max_row == 7
    entry = ExportAuditEntry.objects.get()
    assert (entry.format, entry.rows, entry.background) == ("xlsx", 6, True)

    client.force_login(picture.precinct_manager)
    assert client.get(f"/en/reports/exports/{export.pk}/file/").status_code == 404
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/en/reports/exports/{export.pk}/file/").status_code == 404


def test_asking_twice_while_it_is_prepared_builds_one_file(client, picture, tree, large):
    client.force_login(picture.district_manager)
    for _ in range(2):  # not committed: the first stays queued
        client.post(export_url(tree["district1"], picture.event), {"format": "csv"})
    assert ReportExport.objects.count() == 1
    page = client.get("/en/reports/exports/").content.decode()
    assert 'data-refresh="5"' in page and 'data-state="queued"' in page


def test_an_expired_file_says_so_and_the_sweep_deletes_it(
    client, picture, tree, large, django_capture_on_commit_callbacks
):
    client.force_login(picture.district_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(export_url(tree["district1"], picture.event), {"format": "csv"})
    export = ReportExport.objects.get()
    storage = export.file.storage
    assert storage.exists(export.file.name)
    ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(f"/en/reports/exports/{export.pk}/file/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert readiness_exports_expire() == 1
    assert not storage.exists(export.file.name) and not ReportExport.objects.exists()
    assert ExportAuditEntry.objects.count() == 1  # the log outlives the file


def test_a_failed_build_shows_failed_and_writes_no_audit_entry(
    client, picture, tree, large, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_services.exports, "write_csv", broken)
    client.force_login(picture.district_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(export_url(tree["district1"], picture.event), {"format": "csv"})
    export = ReportExport.objects.get()
    assert export.state == ReportExport.State.FAILED and "No space" in export.error
    assert not ExportAuditEntry.objects.exists()
    page = client.get("/en/reports/exports/").content.decode()
    assert "Ask for it again" in page and "Errno" not in page


def test_a_build_run_twice_stores_one_file(picture, tree):
    from reports.services import readiness_export_build, readiness_export_request

    export, created = readiness_export_request(
        user=picture.district_manager,
        commission=tree["district1"],
        event=picture.event,
        format="csv",
        language="kk",
        total=6,
    )
    assert created
    first = readiness_export_build(export_id=export.pk)
    second = readiness_export_build(export_id=export.pk)
    assert first.state == second.state == ReportExport.State.READY
    assert second.file.name == first.file.name
    assert ExportAuditEntry.objects.count() == 1
    assert date.today()  # the file name carries the vote date
    assert str(picture.event.vote_date.year) in first.file.name


def test_central_administrators_read_the_audit_log_and_nobody_can_change_it(client, picture, tree):
    from tests.factories import staff_user

    client.force_login(picture.district_manager)
    download(client, tree["district1"], picture.event, "csv")
    entry = ExportAuditEntry.objects.get()

    client.force_login(staff_user("Central administrators", admin_language="en"))
    listing = client.get("/admin/reports/export-audit/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert tree["district1"].code in page and picture.district_manager.full_name in page
    assert client.get(f"/admin/reports/export-audit/inspect/{entry.pk}/").status_code == 200
    for url in (
        "/admin/reports/export-audit/new/",
        f"/admin/reports/export-audit/edit/{entry.pk}/",
        f"/admin/reports/export-audit/delete/{entry.pk}/",
    ):
        assert client.get(url).status_code in (302, 403, 404), url
        assert client.post(url, {"rows": "0"}).status_code in (302, 403, 404), url
    assert ExportAuditEntry.objects.get().rows == entry.rows

    client.force_login(staff_user("Trainers", admin_language="en"))
    assert client.get("/admin/reports/export-audit/").status_code in (302, 403)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_background_export(tree, monkeypatch, tmp_path, request):
    """The reports queue's worker builds the file where the web process serves it from."""
    import time

    from django.db import transaction

    from reports.services import readiness_export_request
    from tests.conftest import site_content_restore

    from .conftest import Picture

    monkeypatch.setenv("PRIVATE_ROOT", str(tmp_path / "exports"))
    site_content_restore()  # the pages a course needs: emptied by earlier transactional tests
    picture = Picture(tree)
    request.getfixturevalue("celery_worker_process")
    with transaction.atomic():
        export, _ = readiness_export_request(
            user=picture.district_manager,
            commission=tree["district1"],
            event=picture.event,
            format="csv",
            language="kk",
            total=6,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if not export.is_pending:
            break
        time.sleep(0.3)
    assert export.state == ReportExport.State.READY, export.error
    rows = read_csv((tmp_path / "exports" / export.file.name).read_bytes())
    assert len(rows) == 7 and rows[0][4] == "Аты-жөні"
    assert ExportAuditEntry.objects.get().background
