"""Young voters who sign up on their own: what they told us at sign-up, and the links that ask a
minor's legal representative to consent.

Membership of a young voters' club is an ordinary seat (``commissions.Membership`` in the position
"club member") in the club's node of the commission tree, so its coordinator sees it by the same
rules as a commission manager (decision 0010).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .regions import Region

# How long a legal representative's link stays valid.
CONSENT_LINK_LIFETIME = timedelta(days=7)


def token_hash(token: str) -> str:
    """Only a token's SHA-256 is stored: a copy of the database opens no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def consent_link_expiry():
    return timezone.now() + CONSENT_LINK_LIFETIME


class LearnerProfile(models.Model):
    """What a self-registered learner gave at sign-up besides their name, email, year of birth
    and language (those live on the user): the region and, optionally, a school or university."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learner_profile",
        verbose_name=_("user"),
    )
    region = models.CharField(_("region"), max_length=8, choices=Region.choices)
    school = models.CharField(_("school or university"), max_length=200, blank=True)
    signed_up_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_region_display()}"


class GuardianConsentRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(confirmed_at__isnull=True, cancelled_at__isnull=True)


class GuardianConsentRequest(models.Model):
    """A link emailed to the legal representative a minor named. Opening it shows the consent
    text; confirming records a ``ConsentRecord`` (purpose "guardian") with the text version, the
    representative's name and email and the moment. The confirmation email carries a second link
    that withdraws the consent. A new request from the learner cancels the pending one."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian_consent_requests",
        verbose_name=_("learner"),
    )
    representative_name = models.CharField(_("legal representative"), max_length=200)
    representative_email = models.EmailField(_("legal representative's email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    withdraw_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    text_version = models.CharField(_("text version"), max_length=32)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=consent_link_expiry)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    consent = models.OneToOneField(
        "accounts.ConsentRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian_request",
        verbose_name=_("consent record"),
    )

    objects = GuardianConsentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal representative's consent request")
        verbose_name_plural = _("legal representatives' consent requests")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=models.Q(confirmed_at__isnull=True, cancelled_at__isnull=True),
                name="youth_one_pending_consent_request_per_learner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} ← {self.representative_name}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
