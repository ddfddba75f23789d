"""What a course's certificate prints, built when the course is completed: courses knows the
learner, the course and the event; certificates only receives the snapshot (STYLE.md)."""

from django.conf import settings
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue

from ..models import CoursePage, Enrollment


def _hours(minutes: int) -> str:
    hours = round(minutes / 60, 1)
    return str(int(hours)) if hours == int(hours) else str(hours)


def certificate_issue_for_completion(*, enrollment: Enrollment) -> Certificate | None:
    """Issue the certificate of a completed enrolment, when its course has a certificate template;
    None when it has none. The template and hours come from the course's canonical page (Kazakh,
    else its oldest translation), the title from the page in the learner's language. One query
    for the pages, plus the issuing."""
    pages = list(
        CoursePage.objects.live()
        .filter(translation_key=enrollment.course_key)
        .select_related("locale")
        .order_by("pk")
    )
    if not pages:
        return None
    by_language = {page.locale.language_code: page for page in pages}
    canonical = by_language.get(settings.LANGUAGE_CODE, pages[0])
    if canonical.certificate_template_id is None:
        return None
    learner = enrollment.user
    language = learner.preferred_language or settings.LANGUAGE_CODE
    course = by_language.get(language, canonical)
    event = enrollment.event
    event_name = ""
    if event is not None:
        event_name = getattr(event, f"name_{language}", "") or event.name_kk
    completed_at = enrollment.completed_at
    snapshot = {
        "holder_name": learner.full_name or learner.get_username(),
        "course_title": course.title,
        "course_key": str(enrollment.course_key),
        "event_name": event_name,
        "event_vote_date": event.vote_date.isoformat() if event else None,
        "completed_on": f"{timezone.localtime(completed_at):%d.%m.%Y}" if completed_at else "",
        "hours": _hours(canonical.estimated_minutes),
    }
    return certificate_issue(
        learner_id=learner.pk,
        course_key=enrollment.course_key,
        event_id=enrollment.event_id,
        template_id=canonical.certificate_template_id,
        snapshot=snapshot,
        language=language,
    )
