"""The Celery application: tasks are discovered in each app's ``tasks.py`` and routed by queue
(``CELERY_TASK_ROUTES`` in settings)."""

import os
from pathlib import Path

from celery import Celery, signals
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

QUEUES = ("default", "certificates", "reports")

app = Celery("saylau")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in QUEUES]
app.autodiscover_tasks()


@signals.import_modules.connect
@signals.before_task_publish.connect
def make_filesystem_broker_folders(**kwargs) -> None:
    """The file-system broker (a laptop's default) needs its folders before the first message."""
    folders = {
        app.conf.broker_transport_options.get(key)
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    }
    for folder in filter(None, folders):
        Path(folder).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def certificates_schedule(sender, **kwargs) -> None:
    """Every ten minutes, queue the certificates whose rendering was never queued (the broker was
    down when they were issued) or failed: nothing issued is lost once the broker is back."""
    sender.add_periodic_task(
        600.0,
        sender.signature("certificates.tasks.render_pending_certificates"),
        name="render-pending-certificates",
    )
    # Every hour, delete the branch archives (ZIPs of certificates) past their expiry and queue
    # again the ones a missing broker left waiting.
    sender.add_periodic_task(
        3600.0,
        sender.signature("certificates.tasks.expire_certificate_archives"),
        name="expire-certificate-archives",
    )


@app.on_after_configure.connect
def reports_schedule(sender, **kwargs) -> None:
    """Every hour, delete the readiness exports past their expiry and queue again the ones a
    missing broker left waiting."""
    sender.add_periodic_task(
        3600.0,
        sender.signature("reports.tasks.expire_readiness_exports"),
        name="expire-readiness-exports",
    )
