"""What a course's certificate prints, built when the course is completed: courses knows the
learner, the course and the event; certificates only receives the snapshot (STYLE.md).

A minor without an active legal representative's consent completes courses but receives no
certificate; once the consent is recorded, ``certificates_issue_for_completed`` issues the ones
they earned meanwhile (decision 0010)."""

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation

from accounts.minors import needs_guardian_consent
from certificates.models import Certificate
from certificates.services import certificate_issue

from .. import page_cache
from ..models import CoursePage, Enrollment


def _hours(minutes: int, language: str) -> str:
    """Hours to one decimal, written as the learner's language writes numbers (1,5 in Kazakh and
    Russian, 1.5 in English)."""
    hours = round(minutes / 60, 1)
    if hours == int(hours):
        return str(int(hours))
    with translation.override(language):
        return formats.number_format(hours, decimal_pos=1, use_l10n=True)


def _course_pages(course_key) -> dict[str, dict]:
    """The course's live pages by language (the oldest first): title, certificate template and
    estimated minutes. The same for every learner, so from the course pages' cache."""

    def build() -> dict[str, dict]:
        rows = (
            CoursePage.objects.live()
            .filter(translation_key=course_key)
            .order_by("pk")
            .values(
                "title", "certificate_template_id", "estimated_minutes", "locale__language_code"
            )
        )
        return {row["locale__language_code"]: row for row in rows}

    return page_cache.cached(None, "course-certificate", course_key, build=build)


def certificate_issue_for_completion(*, enrollment: Enrollment) -> Certificate | None:
    """Issue the certificate of a completed enrolment, when its course has a certificate template;
    None when it has none, or when the learner is a minor whose legal representative has not
    consented (one query for a minor, none for anyone else). The template and hours come from the
    course's canonical page (Kazakh, else its oldest translation), the title from the page in the
    learner's language. The pages from the course pages' cache (else one query), plus the
    issuing."""
    by_language = _course_pages(enrollment.course_key)
    if not by_language:
        return None
    canonical = by_language.get(settings.LANGUAGE_CODE) or next(iter(by_language.values()))
    if canonical["certificate_template_id"] is None:
        return None
    learner = enrollment.user
    if needs_guardian_consent(learner):
        return None
    language = learner.preferred_language or settings.LANGUAGE_CODE
    course = by_language.get(language, canonical)
    event = enrollment.event
    event_name = ""
    if event is not None:
        event_name = getattr(event, f"name_{language}", "") or event.name_kk
    completed_at = enrollment.completed_at
    snapshot = {
        "holder_name": learner.full_name or learner.get_username(),
        "course_title": course["title"],
        "course_key": str(enrollment.course_key),
        "event_name": event_name,
        "event_vote_date": event.vote_date.isoformat() if event else None,
        "completed_on": f"{timezone.localtime(completed_at):%d.%m.%Y}" if completed_at else "",
        "hours": _hours(canonical["estimated_minutes"], language),
    }
    return certificate_issue(
        learner_id=learner.pk,
        course_key=enrollment.course_key,
        event_id=enrollment.event_id,
        template_id=canonical["certificate_template_id"],
        snapshot=snapshot,
        language=language,
    )


@transaction.atomic
def certificates_issue_for_completed(*, user) -> list[Certificate]:
    """Issue the certificates of ``user``'s completed enrolments that have none (a revoked one
    counts as one: it is not issued again here), as after a legal representative's consent;
    nothing while a minor still needs it. Returns the certificates issued. Safe to run twice."""
    if needs_guardian_consent(user):
        return []
    held = set(Certificate.objects.filter(learner=user).values_list("course_key", "event_id"))
    issued = []
    completed = (
        Enrollment.objects.filter(user=user, completed_at__isnull=False)
        .select_related("event")
        .order_by("completed_at", "pk")
    )
    for enrollment in completed:
        if (enrollment.course_key, enrollment.event_id) in held:
            continue
        enrollment.user = user
        certificate = certificate_issue_for_completion(enrollment=enrollment)
        if certificate is not None:
            issued.append(certificate)
    return issued
