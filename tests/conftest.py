import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

import pytest

from tests.factories import CommissionFactory

WORKER_READY_TIMEOUT = 60


def site_content_restore():
    """Put back the locales, home page and site that cms migration 0002 creates: tests with real
    transactions empty the database afterwards, taking migrated content with it."""
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    kazakh, _ = Locale.objects.get_or_create(language_code="kk")
    for code in ("ru", "en"):
        Locale.objects.get_or_create(language_code=code)
    home = HomePage.objects.filter(locale=kazakh).first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=kazakh)
        )
        home = root.add_child(
            instance=HomePage(
                title="Saylau Academy",
                slug="home",
                locale=kazakh,
                intro="Сайлау комиссияларының мүшелерін оқыту платформасы.",
            )
        )
    Site.objects.get_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "Saylau Academy"},
    )
    return home


@pytest.fixture
def site_content(transactional_db):
    """For tests with real transactions that need the migrated site content."""
    return site_content_restore()


@pytest.fixture
def tree(db):
    """A small commission tree: central → 2 oblasts → a district each → 2 precincts each."""
    return CommissionFactory.tree()


def _database_url_for_worker() -> str:
    """The URL of the database this test process uses, for a worker in another process."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real ``celery worker`` process on the configured broker and this test's database.

    Locally the broker is the file-system one (no server); CI runs these tests again with
    CELERY_BROKER_URL pointing at Redis and DATABASE_URL at PostgreSQL.
    """
    from cms.celery import app, make_filesystem_broker_folders

    make_filesystem_broker_folders()
    assert connection.settings_dict["NAME"] != ":memory:", "a worker cannot share an in-memory DB"
    app.control.purge()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cms",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                settings.CELERY_WORKER_QUEUES,
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            env=env,
            cwd=Path(settings.BASE_DIR),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + WORKER_READY_TIMEOUT
    while b" ready." not in log_path.read_bytes():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail("The Celery worker did not start:\n" + log_path.read_text())
        time.sleep(0.2)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        print(log_path.read_text()[-4000:])
