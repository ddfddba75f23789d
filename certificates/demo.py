"""The demo certificates, loaded by ``manage.py seed_demo`` after the demo courses and tests.

A commission certificate template in Kazakh, Russian and English, named by both precinct courses
(their canonical Kazakh pages, published as a new revision), and a civic education template of
another look (portrait, green, valid two years) named by the public course "Your first vote";
two people of the first demo precinct who completed the counting course — its lessons and its
final test, through the same services a learner's clicks call: the precinct's secretary
(``manager-precinct``, who reads in Russian) and its deputy chair (in Kazakh). Every demo course
completion then has its certificate, rendered here and now, since no worker runs while seeding.

The ``member`` sign-in is left with its courses to do: the browser tests and a newcomer's first
visit complete them by hand, and "My training" shows the certificate once they have.

This module is the demo's glue, run by ``seed_demo`` once every app has built its part: it reads
the courses and tests to complete them; nothing in the certificates app imports it.

Safe to run again: the templates are found by their names, a precinct course that already names a
template keeps it, the public course is switched to the civic template if it names none or the
commission one (a database seeded before the civic template existed), a completed course is not
taken again and a certificate already issued or rendered is left as it is.
"""

from dataclasses import dataclass

from django.db import transaction

from commissions.demo.tree import FIRST_PRECINCT
from commissions.models import Membership, Position
from courses.demo import ASSIGNED_COURSES, COUNTING, FIRST_VOTE
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
CIVIC_TEMPLATE_NAME = "Азаматтық білім сертификаты"
CIVIC_TEMPLATE = {
    "title_kk": "Азаматтық білім сертификаты",
    "body_kk": (
        "{name} «{course}» ашық курсын ({hours} сағат) {date} аяқтап, сайлау туралы білімін "
        "көрсетті. Сайлау — әр азаматтың дауысы."
    ),
    "title_ru": "Сертификат гражданского образования",
    "body_ru": (
        "{name} {date} прошёл(ла) открытый курс «{course}» ({hours} ч.) и показал(а) знание "
        "того, как устроены выборы. Выборы — это голос каждого гражданина."
    ),
    "title_en": "Civic education certificate",
    "body_en": (
        "{name} completed the open course “{course}” ({hours} h) on {date} and showed how "
        "elections work. Elections are every citizen's voice."
    ),
    "accent_colour": "#1d7a4f",
    "orientation": CertificateTemplate.Orientation.PORTRAIT,
    "validity": CertificateTemplate.Validity.MONTHS,
    "validity_months": 24,
}
CIVIC_SIGNATORIES = (
    (
        "Әйгерім Болатқызы Жақсылықова",
        "Жастар бағдарламасының үйлестірушісі / Координатор молодёжной программы",
    ),
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
            f"Certificates: commission and civic education template {template}, named by "
            f"{self.courses_named} more courses; {self.completed} course completions, "
            f"{self.issued} certificates issued and {self.rendered} rendered."
        )


def _template(
    name: str = TEMPLATE_NAME, fields: dict = TEMPLATE, signatories=SIGNATORIES
) -> tuple[CertificateTemplate, bool]:
    template = CertificateTemplate.objects.filter(name=name).first()
    if template is not None:
        return template, False
    template = CertificateTemplate(name=name, **fields)
    template.full_clean()
    template.save()
    for order, (person, post) in enumerate(signatories):
        CertificateSignatory.objects.create(
            template=template, sort_order=order, name=person, post=post
        )
    return template, True


def civic_template() -> tuple[CertificateTemplate, bool]:
    """The civic education template of the public courses (added if missing)."""
    return _template(CIVIC_TEMPLATE_NAME, CIVIC_TEMPLATE, CIVIC_SIGNATORIES)


def _kazakh_course(slug: str) -> CoursePage:
    return CoursePage.objects.get(slug=slug, locale__language_code="kk")


def _name_template(page: CoursePage, template: CertificateTemplate) -> bool:
    """Publish the course naming ``template``, unless it names one already."""
    if page.certificate_template_id is not None:
        return False
    page.certificate_template = template
    page.save_revision().publish()
    return True


def _name_civic_template(
    page: CoursePage, civic: CertificateTemplate, commission: CertificateTemplate
) -> bool:
    """Publish the public course naming the civic template, unless it names another one a
    trainer chose (the commission template counts as not chosen: an earlier demo named it)."""
    if page.certificate_template_id not in (None, commission.pk):
        return False
    page.certificate_template = civic
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
    """The templates, named by the precinct courses and the public one; the counting course
    completed by two people of the first precinct; every demo completion's certificate, issued
    and rendered."""
    template, template_created = _template()
    courses = [_kazakh_course(course.slug) for course in ASSIGNED_COURSES]
    courses_named = sum(_name_template(page, template) for page in courses)
    civic, civic_created = civic_template()
    template_created = template_created or civic_created
    courses_named += _name_civic_template(_kazakh_course(FIRST_VOTE.slug), civic, template)
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
