"""The demo certificates, loaded by ``manage.py seed_demo`` after the demo courses and tests.

A commission certificate template in Kazakh, Russian and English, named by both precinct courses
(their canonical Kazakh pages, published as a new revision); two people of the first demo
precinct who completed the counting course — its lessons and its final test, through the same
services a learner's clicks call: the precinct's secretary (``manager-precinct``, who reads in
Russian) and its deputy chair (in Kazakh). Every demo course completion then has its certificate,
rendered here and now, since no worker runs while seeding.

The ``member`` sign-in is left with its courses to do: the browser tests and a newcomer's first
visit complete them by hand, and "My training" shows the certificate once they have.

This module is the demo's glue, run by ``seed_demo`` once every app has built its part: it reads
the courses and tests to complete them; nothing in the certificates app imports it.

Safe to run again: the template is found by its name, a course that already names a template
keeps it, a completed course is not taken again and a certificate already issued or rendered is
left as it is.
"""

from dataclasses import dataclass

from django.db import transaction

from commissions.demo.tree import FIRST_PRECINCT
from commissions.models import Membership, Position
from courses.demo import ASSIGNED_COURSES, COUNTING
from courses.models import CoursePage, Enrollment, LessonPage
from courses.services import lesson_complete
from courses.services.certificates import certificate_issue_for_completion
from quizzes.demo.answers import full_marks_answers
from quizzes.models import QuizPage
from quizzes.services import attempt_start, attempt_submit

from .models import Certificate, CertificateSignatory, CertificateTemplate
from .services import certificate_render

TEMPLATE_NAME = "Сайлау комиссиясы мүшесінің сертификаты"
TEMPLATE = {
    "title_kk": "Оқу туралы сертификат",
    "body_kk": (
        "Осымен {name} «{course}» курсын ({hours} сағат) {date} сәтті аяқтағаны расталады. "
        "Курс «{event}» аясында өткізілді."
    ),
    "title_ru": "Сертификат об обучении",
    "body_ru": (
        "Настоящим подтверждается, что {name} успешно завершил(а) курс «{course}» "
        "({hours} ч.) {date}. Курс проведён в рамках события «{event}»."
    ),
    "title_en": "Certificate of training",
    "body_en": (
        "This certifies that {name} successfully completed the course “{course}” "
        "({hours} h) on {date}, as part of the {event}."
    ),
    "accent_colour": "#1f4e79",
    "validity": CertificateTemplate.Validity.EVENT,
    "validity_days": 30,
}
SIGNATORIES = (
    ("Нұржан Асқарұлы Бекмұратов", "ОСК төрағасы / Председатель ЦИК"),
    ("Динара Маратқызы Сейітова", "ОСК хатшысы / Секретарь ЦИК"),
)
# Who completed the counting course in the demo: seats of the first demo precinct.
COMPLETED_BY = (Position.SECRETARY, Position.DEPUTY_CHAIR)


@dataclass(frozen=True)
class CertificatesSummary:
    """What one run of ``demo_seed`` added."""

    template_created: bool
    courses_named: int
    completed: int
    issued: int
    rendered: int

    def __str__(self) -> str:
        template = "added" if self.template_created else "already there"
        return (
            f"Certificates: template {template}, named by {self.courses_named} more courses; "
            f"{self.completed} course completions, {self.issued} certificates issued and "
            f"{self.rendered} rendered."
        )


def _template() -> tuple[CertificateTemplate, bool]:
    template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME).first()
    if template is not None:
        return template, False
    template = CertificateTemplate(name=TEMPLATE_NAME, **TEMPLATE)
    template.save()
    for order, (name, post) in enumerate(SIGNATORIES):
        CertificateSignatory.objects.create(
            template=template, sort_order=order, name=name, post=post
        )
    return template, True


def _kazakh_course(slug: str) -> CoursePage:
    return CoursePage.objects.get(slug=slug, locale__language_code="kk")


def _name_template(page: CoursePage, template: CertificateTemplate) -> bool:
    """Publish the course naming ``template``, unless it names one already."""
    if page.certificate_template_id is not None:
        return False
    page.certificate_template = template
    page.save_revision().publish()
    return True


def _complete_counting(course: CoursePage) -> int:
    """The chosen seats of the first precinct complete the counting course: every lesson, then the
    final test with full marks. Returns how many completed it in this run."""
    final = QuizPage.objects.child_of(course).live().filter(kind=QuizPage.Kind.FINAL).first()
    lessons = LessonPage.objects.live().descendant_of(course).order_by("path")
    seats = (
        Membership.objects.active()
        .filter(commission__code=FIRST_PRECINCT, position__in=COMPLETED_BY)
        .select_related("user")
        .order_by("pk")
    )
    completed = 0
    for seat in seats:
        enrollment = Enrollment.objects.filter(
            user=seat.user, course_key=course.translation_key
        ).first()
        if enrollment is None or enrollment.is_completed:
            continue
        for lesson in lessons:
            lesson_complete(
                user=seat.user,
                course_key=course.translation_key,
                lesson_key=lesson.translation_key,
            )
        if final is not None:
            attempt = attempt_start(user=seat.user, quiz=final)
            attempt_submit(attempt=attempt, answers=full_marks_answers(attempt), quiz=final)
        enrollment.refresh_from_db()
        completed += enrollment.is_completed
    return completed


@transaction.atomic
def demo_seed() -> CertificatesSummary:
    """The template, named by the precinct courses; the counting course completed by two people
    of the first precinct; every demo completion's certificate, issued and rendered."""
    template, template_created = _template()
    courses = [_kazakh_course(course.slug) for course in ASSIGNED_COURSES]
    courses_named = sum(_name_template(page, template) for page in courses)
    keys = [page.translation_key for page in courses]
    before = Certificate.objects.filter(course_key__in=keys).count()
    completed = _complete_counting(_kazakh_course(COUNTING.slug))
    # Whoever completed a precinct course before it named the template gets theirs now.
    for enrollment in Enrollment.objects.filter(
        course_key__in=keys, completed_at__isnull=False
    ).select_related("user", "event"):
        certificate_issue_for_completion(enrollment=enrollment)
    issued = Certificate.objects.filter(course_key__in=keys).count() - before

    rendered = 0
    for pk in (
        Certificate.objects.unrendered().filter(course_key__in=keys).values_list("pk", flat=True)
    ):
        rendered += certificate_render(certificate_id=pk)
    return CertificatesSummary(template_created, courses_named, completed, issued, rendered)
