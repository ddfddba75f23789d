"""A commission manager's ZIP of their branch's certificates: exactly the branch's live rendered
certificates, byte for byte, under names that keep Kazakh letters; one archive per double click;
only its requester downloads it, until it expires; failures and missing files are shown; the
build's queries do not grow with the certificates; a real worker builds one."""

import hashlib
import io
import logging
import re
import time
import zipfile
from datetime import timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

import pytest

from certificates.models import Certificate, CertificateArchive
from certificates.services import archives as archives_module
from certificates.services import (
    branch_certificates,
    certificate_archive_build,
    certificate_archive_request,
    certificate_archives_expire,
    certificate_reissue,
    certificate_revoke,
)
from certificates.services.archives import archive_member_name, archive_path_part
from certificates.tasks import build_certificate_archive
from tests.factories import (
    ElectionEventFactory,
    ManagerRoleFactory,
    MembershipFactory,
    UserFactory,
)

from .conftest import KAZAKH_NAME, certificate_template, issue

State = CertificateArchive.State


@pytest.fixture(autouse=True)
def archive_files(monkeypatch, private_files):
    """The archives of this test, next to its certificates' PDFs."""
    field = CertificateArchive._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=private_files, base_url=None))
    return private_files


def store_pdf(certificate: Certificate) -> bytes:
    """Give ``certificate`` a stored PDF, as rendering would (without WeasyPrint's time): bytes
    of its own, so that a file swapped for another's would show."""
    content = b"%PDF-1.7\n% " + certificate.number.encode() + b"\n" + bytes(range(256)) * 8
    storage = Certificate._meta.get_field("pdf").storage
    name = storage.save(f"certificates/2026/{certificate.number}.pdf", ContentFile(content))
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=name, sha256=hashlib.sha256(content).hexdigest(), rendered_at=timezone.now()
    )
    certificate.refresh_from_db()
    return content


def seated(commission, name: str | None = None, **fields):
    membership = MembershipFactory(
        commission=commission, **({"user__full_name": name} if name else {}), **fields
    )
    return membership.user


class Branch:
    """district1's branch with its manager, and certificates in and out of its archive."""

    def __init__(self, tree):
        self.tree = tree
        self.template = certificate_template()
        self.event, self.other_event = ElectionEventFactory(), ElectionEventFactory()
        self.manager = ManagerRoleFactory(commission=tree["district1"]).user
        self.other_manager = ManagerRoleFactory(commission=tree["district2"]).user
        self.expected = {}  # name in the ZIP → PDF bytes

        kazakh = seated(tree["precinct11"], KAZAKH_NAME)
        self.kazakh_certificate = self.add(kazakh, tree["precinct11"])
        self.add(kazakh, tree["precinct11"], event=self.other_event)
        self.add(seated(tree["precinct12"], "Иван Петрович Сидоров"), tree["precinct12"])
        self.add(seated(tree["district1"], "Дәулет Нұрланұлы"), tree["district1"])
        # Left out: revoked, replaced (its new certificate goes in), not rendered yet, a seat
        # that ended, and a member of the other branch.
        self.revoked = self.add(seated(tree["precinct12"]), tree["precinct12"], expected=False)
        certificate_revoke(certificate=self.revoked, reason="Қате")
        replaced_holder = seated(tree["precinct11"], "Айгүл Серікқызы")
        self.replaced = self.add(replaced_holder, tree["precinct11"], expected=False)
        new = certificate_reissue(certificate=self.replaced, reason="Аты түзетілді")
        self.expected[name_in_zip(tree["precinct11"], new)] = store_pdf(new)
        issue(learner=seated(tree["precinct12"]), event=self.event, template=self.template)
        former = seated(
            tree["precinct11"],
            started_on=timezone.localdate() - timedelta(days=30),
            ended_on=timezone.localdate(),
        )
        self.add(former, tree["precinct11"], expected=False)
        self.outsider = self.add(seated(tree["precinct21"]), tree["precinct21"], expected=False)

    def add(self, learner, commission, *, event=None, expected=True) -> Certificate:
        certificate = issue(learner=learner, event=event or self.event, template=self.template)
        content = store_pdf(certificate)
        if expected:
            self.expected[name_in_zip(commission, certificate)] = content
        return certificate


def name_in_zip(commission, certificate) -> str:
    return f"{commission.code}/{certificate.number} {certificate.snapshot['holder_name']}.pdf"


@pytest.fixture
def branch(tree):
    return Branch(tree)


def build(branch, *, event=None, user=None, commission=None) -> CertificateArchive:
    archive = certificate_archive_request(
        user=user or branch.manager,
        commission=commission or branch.tree["district1"],
        event=event,
    )
    certificate_archive_build(archive_id=archive.pk)
    archive.refresh_from_db()
    return archive


def zip_contents(archive: CertificateArchive) -> dict[str, bytes]:
    with archive.file.open("rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as bundle:
        assert bundle.testzip() is None
        return {info.filename: bundle.read(info) for info in bundle.infolist()}


# What goes in ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_zip_holds_exactly_the_branchs_live_rendered_certificates_byte_for_byte(branch):
    archive = build(branch)
    assert archive.state == State.READY, archive.error
    assert archive.total == archive.done == len(branch.expected) == 5
    assert zip_contents(archive) == branch.expected
    assert archive.size == archive.file.size and archive.error == ""
    assert archive.finished_at is not None and archive.is_expired is False
    names = "\n".join(zip_contents(archive))
    for left_out in (branch.revoked, branch.replaced, branch.outsider):
        assert left_out.number not in names


@pytest.mark.django_db
def test_an_archive_of_one_event_leaves_the_other_events_out(branch):
    archive = build(branch, event=branch.other_event)
    number = Certificate.objects.get(event=branch.other_event).number
    code = branch.tree["precinct11"].code
    assert list(zip_contents(archive)) == [f"{code}/{number} {KAZAKH_NAME}.pdf"]


@pytest.mark.django_db
def test_the_other_branchs_manager_gets_only_their_own_branch(branch):
    archive = build(branch, user=branch.other_manager, commission=branch.tree["district2"])
    assert [name.split("/")[0] for name in zip_contents(archive)] == [
        branch.tree["precinct21"].code
    ]


@pytest.mark.django_db
def test_kazakh_names_survive_in_the_zip_with_its_utf8_flag(branch):
    archive = build(branch)
    with archive.file.open("rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as bundle:
        info = bundle.getinfo(name_in_zip(branch.tree["precinct11"], branch.kazakh_certificate))
    assert KAZAKH_NAME in info.filename
    assert info.flag_bits & 0x800  # the names are UTF-8, as every unzip tool reads them
    assert info.compress_type == zipfile.ZIP_STORED


def test_file_names_are_safe_for_every_file_system_and_keep_letters():
    assert (
        archive_member_name(
            commission_code="PRE/01",
            number="KZ-2026-000001",
            holder_name=' Әсет\u00a0"Ұлы"/..\\Қ:\u202eіңғ*?\t ',
        )
        == "PRE_01/KZ-2026-000001 Әсет _Ұлы__.._Қ__іңғ__.pdf"
    )
    assert archive_path_part("...") == "_" and archive_path_part("CON") == "_CON"
    assert len(archive_path_part("Ә" * 500).encode()) <= 200


# Requests and the manager's page -------------------------------------------------------------


@pytest.mark.django_db
def test_a_double_post_builds_one_archive(branch, client, django_capture_on_commit_callbacks):
    client.force_login(branch.manager)
    url = f"/en/certificates/branch/{branch.tree['district1'].code}/"
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(url, {"event": ""})
        second = client.post(url, {"event": ""})
    assert first.status_code == second.status_code == 302 and first["Location"] == url
    assert CertificateArchive.objects.count() == 1 and len(queued) == 1
    archive = CertificateArchive.objects.get()
    assert archive.state == State.QUEUED and archive.total == 5 and archive.event is None
    page = client.get(url).content.decode()
    assert "Your ZIP is being prepared" in page
    assert 'data-refresh="5"' in page and "js/live-region.js" in page
    assert '<progress max="5" value="0"' in page and "0 of 5" in page

    queued[0]()  # the worker picks it up
    page = client.get(url).content.decode()
    assert "data-refresh" not in page and "Ready" in page
    assert f"/certificates/archives/{archive.pk}/zip/" in page
    # Another request, now that the first is ready, builds a new one.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"event": str(branch.other_event.pk)})
    assert CertificateArchive.objects.filter(event=branch.other_event, state=State.READY).exists()


@pytest.mark.django_db
def test_the_page_counts_the_branchs_certificates_per_event(branch, client):
    client.force_login(branch.manager)
    response = client.get(f"/en/certificates/branch/{branch.tree['district1'].code}/")
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert re.search(rf"{re.escape(branch.event.name_en)}</td>\s*<td>4</td>", page)
    assert re.search(rf"{re.escape(branch.other_event.name_en)}</td>\s*<td>1</td>", page)
    assert "All events (5 certificates)" in page
    assert f'<option value="{branch.other_event.pk}">' in page
    assert "You have not prepared a ZIP of this branch yet." in page


@pytest.mark.django_db
def test_the_commission_page_links_to_its_certificates(branch, client):
    client.force_login(branch.manager)
    code = branch.tree["precinct11"].code
    page = client.get(f"/en/commissions/{code}/").content.decode()
    assert f'href="/en/certificates/branch/{code}/"' in page


@pytest.mark.django_db
def test_an_event_outside_the_list_is_not_requested(branch, client):
    client.force_login(branch.manager)
    url = f"/en/certificates/branch/{branch.tree['district1'].code}/"
    response = client.post(url, {"event": "999999"}, follow=True)
    assert "Choose an election event from the list." in response.content.decode()
    assert not CertificateArchive.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_branchs_code_in_the_url_is_refused_and_logged(branch, client, caplog, method):
    client.force_login(branch.manager)
    url = f"/en/certificates/branch/{branch.tree['district2'].code}/"
    with caplog.at_level(logging.WARNING, logger="saylau.access"):
        response = getattr(client, method)(url, {"event": ""} if method == "post" else None)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not in your branch" in page and "outside every branch you manage" in page
    assert any(
        "refused" in r.message and f"certificates:{branch.tree['district2'].code}" in r.message
        for r in caplog.records
    )
    assert not CertificateArchive.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_and_logs_a_manager_outside_the_branch(branch, caplog):
    with caplog.at_level(logging.WARNING, logger="saylau.access"), pytest.raises(PermissionDenied):
        certificate_archive_request(user=branch.manager, commission=branch.tree["precinct21"])
    assert any("refused" in record.message for record in caplog.records)
    assert not CertificateArchive.objects.exists()


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(branch, client):
    response = client.get(f"/en/certificates/branch/{branch.tree['district1'].code}/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


# Downloads ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_requester_downloads_the_zip_as_an_uncached_attachment(branch, client):
    archive = build(branch)
    client.force_login(branch.manager)
    response = client.get(f"/en/certificates/archives/{archive.pk}/zip/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert response["Content-Disposition"].startswith("attachment;")
    assert branch.tree["district1"].code in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as bundle:
        assert {info.filename: bundle.read(info) for info in bundle.infolist()} == branch.expected


@pytest.mark.django_db
def test_anyone_but_the_requester_gets_a_404(branch, client, caplog):
    archive = build(branch)
    colleague = ManagerRoleFactory(commission=branch.tree["district1"]).user
    admin = UserFactory(is_superuser=True, is_staff=True)
    for user in (colleague, branch.other_manager, admin, branch.kazakh_certificate.learner):
        client.force_login(user)
        with caplog.at_level(logging.WARNING, logger="saylau.access"):
            response = client.get(f"/en/certificates/archives/{archive.pk}/zip/")
        assert response.status_code == 404, user
    assert sum(f"certificate-archive:{archive.pk}" in r.message for r in caplog.records) == 4
    client.force_login(branch.manager)
    assert client.get(f"/en/certificates/archives/{archive.pk + 1}/zip/").status_code == 404


@pytest.mark.django_db
def test_an_expired_archive_says_so_with_a_410(branch, client):
    archive = build(branch)
    CertificateArchive.objects.filter(pk=archive.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(branch.manager)
    response = client.get(f"/en/certificates/archives/{archive.pk}/zip/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "This ZIP has expired" in page and "Prepare a new one" in page
    assert f"/en/certificates/branch/{branch.tree['district1'].code}/" in page


@pytest.mark.django_db
def test_an_archive_still_being_built_is_not_downloadable(branch, client):
    archive = certificate_archive_request(user=branch.manager, commission=branch.tree["district1"])
    client.force_login(branch.manager)
    assert client.get(f"/en/certificates/archives/{archive.pk}/zip/").status_code == 404


# Building: idempotence, failures, missing files, queries ------------------------------------


@pytest.mark.django_db
def test_a_ready_archive_is_left_alone_and_a_dead_workers_one_is_rebuilt(branch):
    archive = build(branch)
    name, finished_at = archive.file.name, archive.finished_at
    assert certificate_archive_build(archive_id=archive.pk).finished_at == finished_at

    # A worker killed half-way left it "being built", with part of its progress.
    CertificateArchive.objects.filter(pk=archive.pk).update(state=State.BUILDING, done=3)
    archive = certificate_archive_build(archive_id=archive.pk)
    assert archive.state == State.READY and archive.done == 5
    assert archive.file.name == name and zip_contents(archive) == branch.expected
    assert archive.file.storage.listdir("certificate-archives")[1] == [name.split("/")[-1]]


@pytest.mark.django_db
def test_a_failed_build_is_shown_failed_with_its_error(branch, client, monkeypatch):
    archive = certificate_archive_request(user=branch.manager, commission=branch.tree["district1"])

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archives_module.shutil, "copyfileobj", disk_full)
    with pytest.raises(OSError):
        build_certificate_archive.delay(archive.pk)
    archive.refresh_from_db()
    assert archive.state == State.FAILED and "No space left on device" in archive.error
    assert not archive.file
    client.force_login(branch.manager)
    page = client.get(f"/en/certificates/branch/{branch.tree['district1'].code}/").content.decode()
    assert 'data-state="failed"' in page and "Failed" in page
    # The manager reads what to do; the error's text is for administrators.
    assert "Ask for it again" in page and "Errno 28" not in page
    assert "data-refresh" not in page


@pytest.mark.django_db
def test_a_pdf_missing_on_disk_is_left_out_and_counted(branch, client):
    storage = Certificate._meta.get_field("pdf").storage
    storage.delete(branch.kazakh_certificate.pdf.name)
    archive = build(branch)
    assert archive.state == State.READY and archive.total == 5 and archive.done == 4
    assert len(zip_contents(archive)) == 4
    assert "1 certificate PDF file(s) missing" in archive.error
    assert branch.kazakh_certificate.number in archive.error
    client.force_login(branch.manager)
    page = client.get(f"/en/certificates/branch/{branch.tree['district1'].code}/").content.decode()
    assert "PDFs were missing and are not in the ZIP" in page and "Download ZIP" in page


@pytest.mark.django_db
def test_building_costs_the_same_queries_for_5_and_30_certificates(
    tree, django_assert_max_num_queries
):
    template, event = certificate_template(), ElectionEventFactory()
    manager = ManagerRoleFactory(commission=tree["district1"]).user
    counted = []
    for wanted in (5, 30):
        while branch_certificates(commission=tree["district1"]).count() < wanted:
            learner = seated(tree["precinct11" if len(counted) else "precinct12"])
            store_pdf(issue(learner=learner, event=event, template=template))
        archive = CertificateArchive.objects.create(
            requested_by=manager, commission=tree["district1"], total=wanted
        )
        with django_assert_max_num_queries(10) as captured:
            certificate_archive_build(archive_id=archive.pk)
        archive.refresh_from_db()
        assert archive.state == State.READY and archive.done == wanted
        counted.append(len(captured))
    assert counted[0] == counted[1], counted


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_5_and_30_certificates(
    tree, client, django_assert_max_num_queries
):
    template = certificate_template()
    manager = ManagerRoleFactory(commission=tree["district1"]).user
    client.force_login(manager)
    url = f"/en/certificates/branch/{tree['district1'].code}/"
    counted = []
    for wanted in (5, 30):
        while branch_certificates(commission=tree["district1"]).count() < wanted:
            learner = seated(tree["precinct11"])
            store_pdf(issue(learner=learner, event=ElectionEventFactory(), template=template))
        certificate_archive_build(
            archive_id=certificate_archive_request(user=manager, commission=tree["district1"]).pk
        )
        with django_assert_max_num_queries(9) as captured:
            assert client.get(url).status_code == 200
        counted.append(len(captured))
    assert counted[0] == counted[1], counted


# Queueing and the hourly sweep -------------------------------------------------------------


@pytest.mark.django_db
def test_a_broker_that_is_down_leaves_the_archive_queued_for_the_sweep(
    branch, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch.object(build_certificate_archive, "delay", side_effect=OSError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        archive = certificate_archive_request(
            user=branch.manager, commission=branch.tree["district1"]
        )
    archive.refresh_from_db()
    assert archive.state == State.QUEUED
    assert "Could not queue" in caplog.text

    assert certificate_archives_expire() == 0  # too recent to be called lost
    archive.refresh_from_db()
    assert archive.state == State.QUEUED
    CertificateArchive.objects.filter(pk=archive.pk).update(
        requested_at=timezone.now() - timedelta(minutes=11)
    )
    assert certificate_archives_expire() == 0
    archive.refresh_from_db()
    assert archive.state == State.READY and zip_contents(archive) == branch.expected


@pytest.mark.django_db
def test_the_sweep_deletes_expired_archives_and_their_files(branch):
    old, fresh = build(branch), build(branch, event=branch.event)
    storage = old.file.storage
    assert storage.exists(old.file.name) and storage.exists(fresh.file.name)
    CertificateArchive.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert certificate_archives_expire() == 1
    assert not storage.exists(old.file.name) and storage.exists(fresh.file.name)
    assert list(CertificateArchive.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_the_sweep_runs_every_hour_on_the_certificates_queue():
    from django.conf import settings

    from cms.celery import app

    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["expire-certificate-archives"]
    assert entry["task"] == "certificates.tasks.expire_certificate_archives"
    assert entry["schedule"] == 3600.0
    routes = settings.CELERY_TASK_ROUTES
    assert routes["certificates.tasks.*"]["queue"] == "certificates"
    assert build_certificate_archive.name.startswith("certificates.tasks.")


# A real worker -----------------------------------------------------------------------------


@pytest.fixture
def worker_private_root(monkeypatch, private_files):
    """The worker, started after this, reads the PDFs and stores the ZIP where this test
    reads them."""
    monkeypatch.setenv("PRIVATE_ROOT", str(private_files))
    return private_files


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_archive(worker_private_root, celery_worker_process, tree):
    # The certificates' PDFs are stored by the test, not rendered by the worker.
    with mock.patch("certificates.services.issuing.certificate_render_enqueue"):
        branch = Branch(tree)
    with transaction.atomic():
        archive = certificate_archive_request(user=branch.manager, commission=tree["district1"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        archive.refresh_from_db()
        if archive.state not in (State.QUEUED, State.BUILDING):
            break
        time.sleep(0.3)
    assert archive.state == State.READY, archive.error
    assert zip_contents(archive) == branch.expected
