"""Everything the platform holds about one person, read for their own download, and whether they
may delete their account themselves.

Privacy reads every room (accounts, youth, commissions, courses, quizzes, certificates, and the
reports' export log); nothing imports it. The export is built in a fixed number of queries,
whatever the amount of records: one per kind of record, one for the titles of every course,
lesson and quiz named, two for the questions answered.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from wagtail.models import Page

from accounts.models import ConsentRecord, User
from certificates.models import Certificate
from certificates.services import certificate_verify_url
from commissions.models import Commission, ManagerRole, Membership
from courses.models import Enrollment, LessonProgress
from quizzes.models import Attempt
from quizzes.selectors.languages import preferred_rows
from quizzes.selectors.texts import question_texts
from youth.models import GuardianConsentRequest, LearnerProfile

# Raised whenever a field is added, renamed or removed, so that a reader of an older download
# knows which shape it has.
SCHEMA_VERSION = 1


def _moment(value: datetime | None) -> datetime | None:
    """In the site's time zone, as the person saw it on the pages."""
    return timezone.localtime(value).replace(microsecond=0) if value else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _titles(*, keys: Iterable, language: str) -> dict[str, str]:
    """The title of each page (course, lesson, quiz) by its identity, in ``language`` where it
    is translated: one query, unpublished pages included (a learner's record outlives them)."""
    keys = {key for key in keys if key is not None}
    if not keys:
        return {}
    rows = (
        Page.objects.filter(translation_key__in=keys)
        .order_by("pk")
        .values("translation_key", "title", "locale__language_code")
    )
    return {str(key): row["title"] for key, row in preferred_rows(rows, language=language).items()}


def _readable(value: Any, choices: Mapping[str, dict], *, target: bool = False) -> Any:
    """An answer as stored, with each choice's key replaced by the choice's text (by its match,
    for the right-hand side of a matching pair)."""
    if isinstance(value, str):
        choice = choices.get(value)
        if choice is None:
            return value
        return (target and choice.get("match_text")) or choice["text"]
    if isinstance(value, list):
        return [_readable(item, choices) for item in value]
    if isinstance(value, dict):
        return {
            str(_readable(key, choices)): _readable(item, choices, target=True)
            for key, item in value.items()
        }
    return value


def _answers(attempt: Attempt, texts) -> list[dict]:
    answers = attempt.answers or {}
    shown = [item.get("key") for item in attempt.questions or [] if isinstance(item, dict)]
    order = [key for key in shown if key in answers] + [key for key in answers if key not in shown]
    rows = []
    for key in order:
        question = texts.questions.get(str(key))
        rows.append(
            {
                "question": strip_tags(question["text"]).strip() if question else str(key),
                "answer": _readable(answers[key], texts.choices.get(str(key), {})),
            }
        )
    return rows


def _consent_giver(record: ConsentRecord, user: User) -> str:
    if record.representative_name or record.purpose == ConsentRecord.Purpose.GUARDIAN:
        return "representative"
    if record.given_by_id is None or record.given_by_id == user.pk:
        return "self"
    # Another person recorded it (an administrator); who they are is their data, not this one's.
    return "another person"


def _export_audit(user: User) -> list[dict]:
    """The exports of members' data this person made. The reports' audit log is read by name,
    not imported: nothing imports the reports room."""
    entry = apps.get_model("reports", "ExportAuditEntry")
    return [
        {
            "at": _moment(row["at"]),
            "commission": row["commission_code"],
            "election_event": row["event_name"],
            "format": row["format"],
            "rows": row["rows"],
        }
        for row in entry.objects.filter(user=user)
        .order_by("at")
        .values("at", "commission_code", "event_name", "format", "rows")
    ]


def personal_data(*, user: User, language: str) -> dict[str, Any]:
    """One document with everything the platform holds about ``user``, its titles and names in
    ``language``. No password hash, no session, nothing about another person: 13 queries
    whatever the amount of records."""
    with translation.override(language):
        return _personal_data(user=user, language=language)


def _personal_data(*, user: User, language: str) -> dict[str, Any]:
    profile = LearnerProfile.objects.filter(user=user).first()
    consents = list(ConsentRecord.objects.filter(user=user).order_by("given_at", "pk"))
    consent_requests = list(
        GuardianConsentRequest.objects.filter(learner=user).order_by("sent_at", "pk")
    )
    seats = list(
        Membership.objects.filter(user=user)
        .select_related("commission")
        .order_by("started_on", "pk")
    )
    roles = list(
        ManagerRole.objects.filter(user=user).select_related("commission").order_by("granted_at")
    )
    enrollments = list(
        Enrollment.objects.filter(user=user).select_related("event").order_by("enrolled_at", "pk")
    )
    lessons = list(
        LessonProgress.objects.filter(enrollment__user=user, completed_at__isnull=False).order_by(
            "completed_at", "pk"
        )
    )
    attempts = list(Attempt.objects.filter(user=user).order_by("started_at", "pk"))
    certificates = list(Certificate.objects.filter(learner=user).order_by("issued_at", "pk"))
    titles = _titles(
        keys=[e.course_key for e in enrollments]
        + [p.lesson_key for p in lessons]
        + [a.quiz_key for a in attempts],
        language=language,
    )
    texts = question_texts(
        keys={str(key) for attempt in attempts for key in (attempt.answers or {})},
        language=language,
    )
    today = timezone.localdate()
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": _moment(timezone.now()),
        "language": language,
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "preferred_language_name": str(user.get_preferred_language_display()),
            "year_of_birth": user.year_of_birth,
            "date_joined": _moment(user.date_joined),
            "last_sign_in": _moment(user.last_login),
        },
        "learner_profile": profile
        and {
            "region": profile.region,
            "region_name": str(profile.get_region_display()),
            "school": profile.school,
            "signed_up_at": _moment(profile.signed_up_at),
            "email_confirmed_at": _moment(profile.email_confirmed_at),
        },
        "consents": [
            {
                "purpose": record.purpose,
                "purpose_name": str(record.get_purpose_display()),
                "text_version": record.text_version,
                "given_at": _moment(record.given_at),
                "given_by": _consent_giver(record, user),
                "representative_name": record.representative_name,
                "representative_email": record.representative_email,
                "withdrawn_at": _moment(record.withdrawn_at),
            }
            for record in consents
        ],
        "consent_requests": [
            {
                "representative_name": sent.representative_name,
                "representative_email": sent.representative_email,
                "text_version": sent.text_version,
                "sent_at": _moment(sent.sent_at),
                "expires_at": _moment(sent.expires_at),
                "confirmed_at": _moment(sent.confirmed_at),
                "cancelled_at": _moment(sent.cancelled_at),
            }
            for sent in consent_requests
        ],
        "seats": [
            {
                "commission_code": seat.commission.code,
                "commission": seat.commission.name,
                "level": seat.commission.level,
                "level_name": str(seat.commission.get_level_display()),
                "position": seat.position,
                "position_name": str(seat.get_position_display()),
                "started_on": seat.started_on,
                "ended_on": seat.ended_on,
            }
            for seat in seats
        ],
        "manager_roles": [
            {
                "commission_code": role.commission.code,
                "commission": role.commission.name,
                "granted_at": _moment(role.granted_at),
            }
            for role in roles
        ],
        "enrolments": [
            {
                "course": titles.get(str(enrollment.course_key), ""),
                "election_event": enrollment.event.name if enrollment.event else None,
                "source": enrollment.source,
                "source_name": str(enrollment.get_source_display()),
                "enrolled_at": _moment(enrollment.enrolled_at),
                "progress_percent": enrollment.progress_percent,
                "last_activity_at": _moment(enrollment.last_activity_at),
                "completed_at": _moment(enrollment.completed_at),
            }
            for enrollment in enrollments
        ],
        "lessons_completed": [
            {
                "lesson": titles.get(str(progress.lesson_key), ""),
                "started_at": _moment(progress.started_at),
                "completed_at": _moment(progress.completed_at),
            }
            for progress in lessons
        ],
        "quiz_attempts": [
            {
                "quiz": titles.get(str(attempt.quiz_key), ""),
                "number": attempt.number,
                "started_at": _moment(attempt.started_at),
                "submitted_at": _moment(attempt.submitted_at),
                "score": _number(attempt.score),
                "max_score": _number(attempt.max_score),
                "percent": _number(attempt.percent),
                "passed": attempt.passed,
                "answers": _answers(attempt, texts),
            }
            for attempt in attempts
        ],
        "certificates": [
            {
                "number": certificate.number,
                "course": certificate.snapshot.get("course_title", ""),
                "election_event": certificate.snapshot.get("event_name") or None,
                "holder_name": certificate.snapshot.get("holder_name", ""),
                "issued_at": _moment(certificate.issued_at),
                "valid_until": certificate.expires_on,
                "status": (status := certificate.status(today=today)),
                "status_name": str(Certificate.Status(status).label),
                "verify_url": certificate_verify_url(code=certificate.code),
            }
            for certificate in certificates
        ],
        "exports_made": _export_audit(user),
    }


@dataclass(frozen=True)
class DeletionRefusal:
    """Why a person cannot delete their account themselves, and whom to ask."""

    reason: str


def deletion_refusal(*, user: User) -> DeletionRefusal | None:
    """None when the person may delete their account; else why not. A seat (held now or to
    come) in an election commission, a manager's role or a staff account keeps training records
    that are the commission's evidence: the commission's secretary or an administrator handles
    them. Three queries at most."""
    if user.is_superuser or user.is_staff or user.groups.exists():
        return DeletionRefusal(
            _(
                "Staff and administrator accounts cannot be deleted here. Ask a central "
                "administrator to close your account."
            )
        )
    seats = Membership.objects.filter(user=user).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate())
    )
    if seats.exclude(commission__level=Commission.Level.CLUB).exists():
        return DeletionRefusal(
            _(
                "You hold a seat in an election commission, whose training records are evidence "
                "the commission needs. Ask your commission's secretary or an administrator to "
                "close your account."
            )
        )
    if ManagerRole.objects.filter(user=user).exists():
        return DeletionRefusal(
            _(
                "You manage a commission or a club, whose records depend on your account. Ask "
                "an administrator to pass the role on and close your account."
            )
        )
    return None
