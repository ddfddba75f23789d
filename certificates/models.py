"""Certificate templates, edited by trainers, and the certificates issued from them.

A certificate freezes what was printed (``snapshot``) when it is issued, so renaming the learner,
the course or editing the template never changes it. The database holds one live certificate per
learner, course and event (decision 0008).
"""

import re
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from commissions.models import ElectionEvent

PLACEHOLDERS = ("name", "course", "event", "date", "hours", "number")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
LANGUAGES = ("kk", "ru", "en")
NUMBER_PREFIX = "KZ"
MAX_SIGNATORIES = 3


def validate_placeholders(text: str) -> None:
    """Only the known placeholders may appear in braces: a typo would be printed as it is."""
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder(s): %(unknown)s. Use only: %(known)s."),
            code="unknown_placeholder",
            params={
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": " ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
        )


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Put the values in place of the known placeholders; anything else is left as it is."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


validate_accent_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give the colour as # and six hexadecimal digits, e.g. #1f4e79.")
)


def private_storage():
    return storages["private"]


class CertificateTemplate(ClusterableModel):
    """How a course's certificates look and read, in Kazakh, Russian and English."""

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    class Validity(models.TextChoices):
        EVENT = "event", _("Until the event's vote date plus a number of days")
        MONTHS = "months", _("A number of months from issue")

    name = models.CharField(_("name"), max_length=200)
    title_kk = models.CharField(
        _("title (Kazakh)"), max_length=200, validators=[validate_placeholders]
    )
    body_kk = models.TextField(
        _("body (Kazakh)"),
        validators=[validate_placeholders],
        help_text=_("Placeholders: {name} {course} {event} {date} {hours} {number}"),
    )
    title_ru = models.CharField(
        _("title (Russian)"), max_length=200, blank=True, validators=[validate_placeholders]
    )
    body_ru = models.TextField(_("body (Russian)"), blank=True, validators=[validate_placeholders])
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_placeholders]
    )
    body_en = models.TextField(_("body (English)"), blank=True, validators=[validate_placeholders])
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("background image"),
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#1f4e79", validators=[validate_accent_colour]
    )
    orientation = models.CharField(
        _("orientation"),
        max_length=16,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    validity = models.CharField(
        _("validity"), max_length=16, choices=Validity.choices, default=Validity.EVENT
    )
    validity_days = models.PositiveIntegerField(
        _("days after the vote"),
        default=30,
        validators=[MaxValueValidator(3650)],
        help_text=_("For certificates valid until the event's vote date plus a number of days."),
    )
    validity_months = models.PositiveIntegerField(
        _("months from issue"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("For certificates valid a number of months, and for courses without event."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("title_kk"), FieldPanel("body_kk")], heading=_("Kazakh"), classname=""
        ),
        MultiFieldPanel([FieldPanel("title_ru"), FieldPanel("body_ru")], heading=_("Russian")),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("logo"), FieldPanel("background")]),
                FieldRowPanel([FieldPanel("accent_colour"), FieldPanel("orientation")]),
            ],
            heading=_("Appearance"),
        ),
        InlinePanel("signatories", label=_("Signatories"), max_num=MAX_SIGNATORIES, min_num=0),
        MultiFieldPanel(
            [FieldPanel("validity"), FieldPanel("validity_days"), FieldPanel("validity_months")],
            heading=_("Validity"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Each saved state of the template has its own number, recorded in every certificate
        # issued from it.
        self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def text(self, language: str) -> tuple[str, str]:
        """The title and body in ``language``, else in Kazakh."""
        title = getattr(self, f"title_{language}", "") or self.title_kk
        body = getattr(self, f"body_{language}", "") or self.body_kk
        return title, body

    def expires_on(self, *, issued_on: date, vote_date: date | None) -> date:
        """The last day a certificate issued on ``issued_on`` is valid."""
        if self.validity == self.Validity.EVENT and vote_date is not None:
            return vote_date + timedelta(days=self.validity_days)
        month = issued_on.month - 1 + self.validity_months
        year, month = issued_on.year + month // 12, month % 12 + 1
        for day in (issued_on.day, 30, 29, 28):
            try:
                return date(year, month, day)
            except ValueError:
                continue
        raise AssertionError("unreachable")


class CertificateSignatory(Orderable):
    """Who signs the template's certificates: up to three people."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("full name"), max_length=200)
    post = models.CharField(_("post"), max_length=200)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [FieldPanel("name"), FieldPanel("post"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return self.name


class CertificateCounter(models.Model):
    """The last certificate number given in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def certificate_code() -> str:
    return secrets.token_urlsafe(16)


class CertificateQuerySet(models.QuerySet):
    def live(self):
        """Not replaced by a re-issue."""
        return self.filter(replaced_by__isnull=True)

    def unrendered(self):
        return self.filter(rendered_at__isnull=True, revoked_at__isnull=True)


class Certificate(models.Model):
    """Proof that a learner completed a course, for an election event or on their own."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("learner"),
    )
    course_key = models.UUIDField(_("course"), help_text=_("The course's identity."))
    event = models.ForeignKey(
        ElectionEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("election event"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("template"),
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=certificate_code
    )
    language = models.CharField(_("language"), max_length=2, default="kk")
    snapshot = models.JSONField(_("what was printed"), default=dict)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_on = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="certificates/", blank=True, max_length=200
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_error = models.TextField(_("render error"), blank=True)
    render_attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # Two conditional constraints rather than nulls_distinct, so that SQLite and
            # PostgreSQL agree; revoked or replaced certificates step aside for a re-issue.
            models.UniqueConstraint(
                fields=["learner", "course_key", "event"],
                condition=models.Q(
                    event__isnull=False, replaced_by__isnull=True, revoked_at__isnull=True
                ),
                name="certificates_one_per_event",
            ),
            models.UniqueConstraint(
                fields=["learner", "course_key"],
                condition=models.Q(
                    event__isnull=True, replaced_by__isnull=True, revoked_at__isnull=True
                ),
                name="certificates_one_without_event",
            ),
        ]
        indexes = [models.Index(fields=["rendered_at"], name="certificates_rendered_idx")]

    def __str__(self) -> str:
        return self.number

    def status(self, *, today: date | None = None) -> str:
        if self.replaced_by_id is not None:
            return self.Status.REPLACED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        today = today or timezone.localdate()
        if today > self.expires_on:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None


def certificate_number(*, year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


def issued_on(moment: datetime) -> date:
    return timezone.localtime(moment).date()


class CertificateRegeneration(models.Model):
    """An administrator's request to render again every live certificate of an election event,
    worked through by Celery in chunks. Its progress is read from the certificates themselves
    (rendered since the request), so a retried chunk can never count twice."""

    event = models.ForeignKey(
        ElectionEvent,
        on_delete=models.CASCADE,
        related_name="certificate_regenerations",
        verbose_name=_("election event"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reprint = models.BooleanField(
        _("print with the templates as they are now"),
        default=False,
        help_text=_(
            "The holder's name, course, event, dates, number and code stay as issued; the title, "
            "body, images and signatories are taken from the template's current version."
        ),
    )
    total = models.PositiveIntegerField(_("certificates"), default=0)
    chunks = models.PositiveIntegerField(_("chunks"), default=0)
    # The indexes of the chunks worked through (rendered, or given up after their retries): a
    # chunk delivered twice is recorded once.
    chunks_done = models.JSONField(_("chunks done"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate regeneration")
        verbose_name_plural = _("certificate regenerations")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.event} ({self.requested_at:%Y-%m-%d %H:%M})"


# How long a branch's ZIP of certificates can be downloaded; the beat sweep deletes it after.
ARCHIVE_LIFETIME = timedelta(hours=24)


def archive_expiry() -> datetime:
    return timezone.now() + ARCHIVE_LIFETIME


class CertificateArchive(models.Model):
    """A commission manager's ZIP of the certificates of their branch (for one event, or all),
    built by a Celery task; only the person who asked may download it, until it expires."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificate_archives",
        verbose_name=_("requested by"),
    )
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.CASCADE,
        related_name="certificate_archives",
        verbose_name=_("commission"),
    )
    event = models.ForeignKey(
        ElectionEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_archives",
        verbose_name=_("election event"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("added"), default=0)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="certificate-archives/", blank=True
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=archive_expiry)

    class Meta:
        verbose_name = _("certificate archive")
        verbose_name_plural = _("certificate archives")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.commission} ({self.requested_at:%Y-%m-%d %H:%M})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
