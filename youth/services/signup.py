"""Young learners sign up on their own and confirm their email by a signed link.

- ``learner_sign_up``: an inactive account (username = the email in lower case) and its
  ``LearnerProfile``; a link valid for three days goes to the email once the transaction commits.
- The link is signed (``django.core.signing``, its own salt) and carries what is finished only at
  confirmation: the chosen club, a minor's legal representative and the version of the personal
  data text the learner agreed to. No table holds pending sign-ups.
- ``signup_confirm``: activates the account, records the consent, seats the learner in their club
  and, for a minor, emails the representative a consent link. The user row is locked, so of two
  clicks one confirms and the other reads "used".
- ``confirmation_resend`` / ``confirmation_renew``: a new link, by email alone (without the club and
  representative, which only the learner's own link carries) or from an expired link (with them).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.consent import current_text
from accounts.minors import is_minor
from accounts.models import ConsentRecord, User
from accounts.services import consent_give
from commissions.models import Commission, Membership, Position
from commissions.signals import seats_changed

from ..models import LearnerProfile
from .consent import guardian_consent_request
from .links import absolute_url

log = logging.getLogger(__name__)

CONFIRM_SALT = "youth.signup.confirm-email"
CONFIRM_LINK_MAX_AGE = timedelta(days=3)
PERSONAL_DATA = ConsentRecord.Purpose.PERSONAL_DATA


@dataclass(frozen=True)
class PendingSignup:
    """What a confirmation link carries besides the account it confirms."""

    user_id: int
    email: str
    club_id: int | None = None
    representative_name: str = ""
    representative_email: str = ""
    consent_version: str = ""
    next_path: str = ""  # the page the learner came from, on this site

    def dumps(self) -> str:
        payload = {
            "u": self.user_id,
            "e": self.email,
            "c": self.club_id,
            "rn": self.representative_name,
            "re": self.representative_email,
            "v": self.consent_version,
            "n": self.next_path,
        }
        return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)

    @classmethod
    def loads(cls, token: str, *, max_age: timedelta | None) -> "PendingSignup":
        """Raises ``signing.SignatureExpired`` for an old link, ``signing.BadSignature`` for one
        this server did not sign."""
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        try:
            return cls(
                user_id=int(payload["u"]),
                email=str(payload["e"]),
                club_id=int(payload["c"]) if payload.get("c") is not None else None,
                representative_name=str(payload.get("rn") or ""),
                representative_email=str(payload.get("re") or ""),
                consent_version=str(payload.get("v") or ""),
                next_path=str(payload.get("n") or ""),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise signing.BadSignature("Malformed confirmation link") from error


@dataclass(frozen=True)
class ConfirmationOutcome:
    """What opening or confirming an email link came to.

    ``state``: "open" (may be confirmed), "confirmed" (just now), "used" (confirmed before),
    "expired" (older than three days; ``pending`` still holds what it carried), "unknown" (signed
    by this server but for no account awaiting it), "invalid" (not a link this server made).
    """

    state: str
    user: User | None = None
    pending: PendingSignup | None = None
    club: Commission | None = None
    club_missing: bool = False
    representative_email: str = ""

    @property
    def is_minor(self) -> bool:
        return self.user is not None and is_minor(self.user)


def _send_confirmation(*, user: User, pending: PendingSignup, request=None) -> None:
    language = user.preferred_language or settings.LANGUAGE_CODE
    context = {
        "full_name": user.get_full_name(),
        "link": absolute_url(
            "youth:confirm_email", args=[pending.dumps()], language=language, request=request
        ),
        "days": CONFIRM_LINK_MAX_AGE.days,
    }
    with translation.override(language):
        subject = render_to_string("youth/email/confirm_email_subject.txt", context).strip()
        body = render_to_string("youth/email/confirm_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def confirmation_send(*, user: User, pending: PendingSignup, request=None) -> None:
    """Email ``user`` a confirmation link carrying ``pending``, once the transaction commits."""
    transaction.on_commit(partial(_send_confirmation, user=user, pending=pending, request=request))


@transaction.atomic
def learner_sign_up(
    *,
    full_name: str,
    email: str,
    password: str,
    year_of_birth: int,
    region: str,
    preferred_language: str,
    school: str = "",
    club_id: int | None = None,
    representative_name: str = "",
    representative_email: str = "",
    next_path: str = "",
    request=None,
) -> User:
    """Create an account that stays inactive until its email is confirmed, and send the link
    (which brings the learner back to ``next_path``, a path on this site, once confirmed)."""
    email = email.strip().lower()
    user = User(
        username=email,
        email=email,
        full_name=full_name,
        year_of_birth=year_of_birth,
        preferred_language=preferred_language,
        is_active=False,
    )
    user.set_password(password)
    user.save()
    LearnerProfile.objects.create(user=user, region=region, school=school.strip())
    pending = PendingSignup(
        user_id=user.pk,
        email=email,
        club_id=club_id,
        representative_name=representative_name if is_minor(user) else "",
        representative_email=representative_email if is_minor(user) else "",
        consent_version=current_text(PERSONAL_DATA, self_registered=True).version,
        next_path=next_path,
    )
    confirmation_send(user=user, pending=pending, request=request)
    return user


def account_for_email(email: str) -> User | None:
    """The account that already uses ``email`` as its email or username: one query."""
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .select_related("learner_profile")
        .order_by("pk")
        .first()
    )


def is_awaiting_confirmation(user: User) -> bool:
    """A self-registered account whose email link has not been opened yet."""
    profile = getattr(user, "learner_profile", None)
    return not user.is_active and profile is not None and profile.email_confirmed_at is None


def _pending_account(user_id: int, email: str, *, lock: bool = False) -> User | None:
    users = User.objects.select_related("learner_profile")
    if lock:
        # Only the user row: PostgreSQL cannot lock the nullable side of the profile's join.
        users = users.select_for_update(of=("self",))
    user = users.filter(pk=user_id, email__iexact=email).first()
    if user is None or not hasattr(user, "learner_profile"):
        return None
    return user


def _state(token: str, *, lock: bool = False) -> ConfirmationOutcome:
    try:
        pending = PendingSignup.loads(token, max_age=CONFIRM_LINK_MAX_AGE)
    except signing.SignatureExpired:
        try:
            pending = PendingSignup.loads(token, max_age=None)
        except signing.BadSignature:
            return ConfirmationOutcome("invalid")
        user = _pending_account(pending.user_id, pending.email)
        if user is not None and user.learner_profile.email_confirmed_at is not None:
            return ConfirmationOutcome("used", user, pending)
        return ConfirmationOutcome("expired" if user else "unknown", user, pending)
    except signing.BadSignature:
        return ConfirmationOutcome("invalid")
    user = _pending_account(pending.user_id, pending.email, lock=lock)
    if user is None:
        return ConfirmationOutcome("unknown", None, pending)
    if user.learner_profile.email_confirmed_at is not None:
        return ConfirmationOutcome("used", user, pending)
    return ConfirmationOutcome("open", user, pending)


def confirmation_lookup(*, token: str) -> ConfirmationOutcome:
    """What an email link leads to, without changing anything: at most one query."""
    return _state(token)


def signup_confirm(*, token: str, request=None) -> ConfirmationOutcome:
    """Confirm the email a link was sent to, once: activate the account, record the personal
    data consent, take the club seat and ask a minor's representative to consent."""
    with transaction.atomic():
        outcome = _state(token, lock=True)
        if outcome.state != "open":
            return outcome
        user, pending = outcome.user, outcome.pending
        now = timezone.now()
        user.is_active = True
        user.save(update_fields=["is_active"])
        profile = user.learner_profile
        profile.email_confirmed_at = now
        profile.save(update_fields=["email_confirmed_at"])
        if pending.consent_version == current_text(PERSONAL_DATA, self_registered=True).version:
            consent_give(user=user, purpose=PERSONAL_DATA, given_by=user)
        club = None
        if pending.club_id is not None:
            club = Commission.objects.filter(
                pk=pending.club_id, level=Commission.Level.CLUB
            ).first()
            if club is not None:
                Membership.objects.get_or_create(
                    user=user,
                    commission=club,
                    ended_on=None,
                    defaults={"position": Position.CLUB_MEMBER},
                )
                transaction.on_commit(
                    partial(seats_changed.send, sender=LearnerProfile, user_ids=[user.pk])
                )
        representative_email = ""
        if is_minor(user) and pending.representative_email:
            guardian_consent_request(
                learner=user,
                representative_name=pending.representative_name,
                representative_email=pending.representative_email,
                request=request,
            )
            representative_email = pending.representative_email
    return ConfirmationOutcome(
        "confirmed",
        user,
        pending,
        club=club,
        club_missing=pending.club_id is not None and club is None,
        representative_email=representative_email,
    )


def confirmation_resend(*, email: str, request=None) -> bool:
    """Send a new link to an account awaiting confirmation under ``email``; False (and nothing
    sent) for any other address. The link carries no club or representative: only the learner's
    own earlier link knows them (``confirmation_renew``)."""
    user = account_for_email(email.strip())
    if user is None or not is_awaiting_confirmation(user):
        return False
    pending = PendingSignup(
        user_id=user.pk,
        email=user.email,
        consent_version=current_text(PERSONAL_DATA, self_registered=True).version,
    )
    confirmation_send(user=user, pending=pending, request=request)
    return True


def confirmation_renew(*, token: str, request=None) -> ConfirmationOutcome:
    """A new link in place of an expired one, carrying what the old one carried."""
    outcome = _state(token)
    if outcome.state == "expired":
        confirmation_send(user=outcome.user, pending=outcome.pending, request=request)
    return outcome
