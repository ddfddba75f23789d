"""Readiness exports: the files built in the background for large branches, and the audit log of
every export of personal data, small or large.

An audit entry records who exported which branch and event, in which format and how many rows,
with the names as they were at that moment: it outlives the user, commission or event it names
(those links become empty) and is never changed through the user interface.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a background export can be downloaded; the beat sweep deletes it after.
EXPORT_LIFETIME = timedelta(hours=24)


def private_storage():
    return storages["private"]


def export_expiry() -> datetime:
    return timezone.now() + EXPORT_LIFETIME


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ReportExport(models.Model):
    """A readiness export too large to build while the manager waits: a Celery task writes it to
    private storage in batches; only its requester may download it, until it expires."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("requested by"),
    )
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("commission"),
    )
    event = models.ForeignKey(
        "commissions.ElectionEvent",
        on_delete=models.CASCADE,
        related_name="report_exports",
        verbose_name=_("election event"),
    )
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="report-exports/", blank=True
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=export_expiry)

    class Meta:
        verbose_name = _("readiness export")
        verbose_name_plural = _("readiness exports")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.commission} · {self.event} · {self.format}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)


class ExportAuditEntry(models.Model):
    """One export of members' personal data: who, when, which branch and event, which format,
    how many rows. Written by the services, read by central administrators, never edited. An
    export of the clubs' civic education has no event: ``event_name`` names that report."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    user_name = models.CharField(_("user's name"), max_length=300)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("commission"),
    )
    commission_code = models.CharField(_("commission code"), max_length=64)
    event = models.ForeignKey(
        "commissions.ElectionEvent",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("election event"),
    )
    event_name = models.CharField(_("election event's name"), max_length=300)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    rows = models.PositiveIntegerField(_("rows"))
    background = models.BooleanField(_("built in the background"), default=False)

    class Meta:
        verbose_name = _("export audit entry")
        verbose_name_plural = _("export audit log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name} {self.commission_code} {self.format}"
