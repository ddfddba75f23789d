"""A minor's legal representative consents through an emailed link (decision 0010).

- ``guardian_consent_request``: the learner names their representative; a one-time link valid for
  seven days goes to the representative's email (a new request cancels the pending one).
- ``guardian_consent_confirm``: the representative opens the link and confirms: a
  ``ConsentRecord`` (purpose "guardian") keeps the text version, their name and email and the
  moment; a receipt with a withdrawal link follows; certificates of courses the learner already
  completed are issued.
- ``guardian_consent_withdraw``: the representative's withdrawal link (or the learner, from their
  profile) ends the consent at once; the record stays as proof of what was agreed and when.

Links are stored as SHA-256 hashes only. Every outcome of opening a link (used, expired,
replaced, unknown) is a value the page explains, never an exception.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.consent import CURRENT
from accounts.models import ConsentRecord, User

from ..models import GuardianConsentRequest, new_token, token_hash
from .links import absolute_url

log = logging.getLogger(__name__)
PURPOSE = ConsentRecord.Purpose.GUARDIAN


@dataclass(frozen=True)
class ConsentLinkOutcome:
    """What opening or confirming a representative's link came to.

    ``state``: "open" (may be confirmed), "confirmed" (just now), "used" (confirmed before),
    "withdrawn" (just now), "already_withdrawn", "expired", "replaced" (a newer link was sent),
    "unknown" (no such link).
    """

    state: str
    request: GuardianConsentRequest | None = None

    @property
    def learner(self) -> User | None:
        return self.request.learner if self.request else None


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _send(*, template: str, to: str, language: str, context: dict) -> None:
    with translation.override(language):
        subject = render_to_string(f"youth/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"youth/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@transaction.atomic
def guardian_consent_request(
    *, learner: User, representative_name: str, representative_email: str, request=None
) -> GuardianConsentRequest:
    """Send the representative a consent link for ``learner``; a pending earlier link stops
    working. The email leaves when the transaction commits."""
    now = timezone.now()
    GuardianConsentRequest.objects.select_for_update().filter(learner=learner).pending().update(
        cancelled_at=now
    )
    token = new_token()
    consent_request = GuardianConsentRequest.objects.create(
        learner=learner,
        representative_name=representative_name.strip(),
        representative_email=representative_email.strip(),
        token_hash=token_hash(token),
        text_version=CURRENT[PURPOSE].version,
        sent_at=now,
    )
    language = _language(learner)
    context = {
        "learner_name": learner.get_full_name(),
        "representative_name": consent_request.representative_name,
        "link": absolute_url(
            "youth:guardian_consent", args=[token], language=language, request=request
        ),
        "expires_at": consent_request.expires_at,
    }
    transaction.on_commit(
        lambda: _send(
            template="guardian_request",
            to=consent_request.representative_email,
            language=language,
            context=context,
        )
    )
    return consent_request


def guardian_consent_lookup(*, token: str) -> ConsentLinkOutcome:
    """What a representative's link leads to, without changing anything: one query."""
    consent_request = (
        GuardianConsentRequest.objects.select_related("learner", "consent")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return _state_of(consent_request)


def _state_of(consent_request: GuardianConsentRequest | None) -> ConsentLinkOutcome:
    if consent_request is None:
        return ConsentLinkOutcome("unknown")
    if consent_request.confirmed_at is not None:
        return ConsentLinkOutcome("used", consent_request)
    if consent_request.cancelled_at is not None:
        return ConsentLinkOutcome("replaced", consent_request)
    if consent_request.is_expired:
        return ConsentLinkOutcome("expired", consent_request)
    return ConsentLinkOutcome("open", consent_request)


def guardian_consent_confirm(*, token: str, request=None) -> ConsentLinkOutcome:
    """Confirm the consent a link asks for, once. A link already used, replaced, expired or
    unknown changes nothing and says so. Of two confirmations at the same moment one records the
    consent and the other reads "used"."""
    withdraw_token = new_token()
    with transaction.atomic():
        consent_request = (
            GuardianConsentRequest.objects.select_for_update(of=("self",))
            .select_related("learner")
            .filter(token_hash=token_hash(token))
            .first()
        )
        outcome = _state_of(consent_request)
        if outcome.state != "open":
            return outcome
        learner = consent_request.learner
        now = timezone.now()
        ConsentRecord.objects.select_for_update().active().filter(
            user=learner, purpose=PURPOSE
        ).update(withdrawn_at=now)
        # The record names the text the confirmation page showed: the current one.
        consent_request.text_version = CURRENT[PURPOSE].version
        consent = ConsentRecord.objects.create(
            user=learner,
            purpose=PURPOSE,
            text_version=consent_request.text_version,
            given_at=now,
            given_by=None,
            representative_name=consent_request.representative_name,
            representative_email=consent_request.representative_email,
        )
        consent_request.confirmed_at = now
        consent_request.consent = consent
        consent_request.withdraw_token_hash = token_hash(withdraw_token)
        consent_request.save(
            update_fields=["confirmed_at", "consent", "withdraw_token_hash", "text_version"]
        )
        language = _language(learner)
        context = {
            "learner_name": learner.get_full_name(),
            "representative_name": consent_request.representative_name,
            "confirmed_at": now,
            "text_version": consent_request.text_version,
            "withdraw_link": absolute_url(
                "youth:guardian_withdraw", args=[withdraw_token], language=language, request=request
            ),
        }
        email = consent_request.representative_email
        transaction.on_commit(
            lambda: _send(template="guardian_receipt", to=email, language=language, context=context)
        )
        transaction.on_commit(lambda: _after_consent(learner))
    return ConsentLinkOutcome("confirmed", consent_request)


def _after_consent(learner: User) -> None:
    """Certificates of courses completed while consent was missing are issued now."""
    from courses.services.certificates import certificates_issue_for_completed

    try:
        certificates_issue_for_completed(user=learner)
    except Exception:
        # The consent stands. Issuing is safe to repeat: an administrator runs
        # certificates_issue_for_completed for the learner once the error is fixed.
        log.exception("Could not issue the certificates of learner %s after consent", learner.pk)


def guardian_withdraw_lookup(*, token: str) -> ConsentLinkOutcome:
    consent_request = (
        GuardianConsentRequest.objects.select_related("learner", "consent")
        .filter(withdraw_token_hash=token_hash(token))
        .exclude(withdraw_token_hash="")
        .first()
    )
    if consent_request is None:
        return ConsentLinkOutcome("unknown")
    if consent_request.consent is None or consent_request.consent.withdrawn_at is not None:
        return ConsentLinkOutcome("already_withdrawn", consent_request)
    return ConsentLinkOutcome("open", consent_request)


@transaction.atomic
def guardian_consent_withdraw(*, token: str) -> ConsentLinkOutcome:
    """Withdraw, from the receipt's link, the consent it confirmed: at once; a second withdrawal
    changes nothing."""
    consent_request = (
        # Only the request's row: PostgreSQL locks no nullable side of an outer join (the consent).
        GuardianConsentRequest.objects.select_for_update(of=("self",))
        .select_related("learner", "consent")
        .filter(withdraw_token_hash=token_hash(token))
        .exclude(withdraw_token_hash="")
        .first()
    )
    if consent_request is None:
        return ConsentLinkOutcome("unknown")
    consent = consent_request.consent
    if consent is None or consent.withdrawn_at is not None:
        return ConsentLinkOutcome("already_withdrawn", consent_request)
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    return ConsentLinkOutcome("withdrawn", consent_request)
