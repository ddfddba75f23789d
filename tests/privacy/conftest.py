"""A young learner with records in every room, and someone else with records of their own, to
check that a download holds all of the first and nothing of the second."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.core.cache import cache
from django.utils import timezone

import pytest

from accounts.models import ConsentRecord
from certificates.services import certificate_render
from commissions.models import Commission, Position
from courses.models import Enrollment, LessonProgress
from courses.services.progress import lesson_complete
from quizzes.models import Attempt
from quizzes.services import attempt_start, attempt_submit
from tests.certificates.conftest import KAZAKH_NAME, issue, private_files  # noqa: F401
from tests.factories import (
    CommissionFactory,
    CourseTree,
    EnrollmentFactory,
    MembershipFactory,
    correct_answers,
    enrolled_learner,
    quiz_in_course,
)
from youth.models import GuardianConsentRequest, LearnerProfile, new_token, token_hash
from youth.regions import Region

PASSWORD = "correct horse battery"
REPRESENTATIVE = "Гүлнар Ерланқызы Сәрсенбаева"
REPRESENTATIVE_EMAIL = "gulnar.mother@example.kz"
OTHER_NAME = "Бөтен Адам Өзгеұлы"
OTHER_EMAIL = "someone.else@example.kz"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def guardian_consent(learner, *, name=REPRESENTATIVE, email=REPRESENTATIVE_EMAIL):
    record = ConsentRecord.objects.create(
        user=learner,
        purpose=ConsentRecord.Purpose.GUARDIAN,
        text_version="guardian-2026-11",
        representative_name=name,
        representative_email=email,
    )
    GuardianConsentRequest.objects.create(
        learner=learner,
        representative_name=name,
        representative_email=email,
        token_hash=token_hash(new_token()),
        text_version="guardian-2026-11",
        confirmed_at=timezone.now(),
        consent=record,
    )
    return record


def add_records(learner, *, count: int) -> None:
    """``count`` more of each kind of record: courses with lessons done, attempts,
    certificates, withdrawn consents, ended club seats, sent consent requests."""
    central = CommissionFactory.root()
    for n in range(count):
        enrollment = EnrollmentFactory(user=learner, course_key=uuid.uuid4())
        LessonProgress.objects.create(
            enrollment=enrollment, lesson_key=uuid.uuid4(), completed_at=timezone.now()
        )
        Attempt.objects.create(
            user=learner,
            quiz_key=uuid.uuid4(),
            enrollment=enrollment,
            number=1,
            seed=n,
            questions=[],
            answers={},
        )
        issue(learner=learner, course_key=enrollment.course_key, event=enrollment.event)
        given = timezone.now() - timedelta(days=n + 2)
        ConsentRecord.objects.create(
            user=learner,
            purpose=ConsentRecord.Purpose.PERSONAL_DATA,
            text_version="personal-data-2026-01",
            given_at=given,
            withdrawn_at=given + timedelta(days=1),
        )
        GuardianConsentRequest.objects.create(
            learner=learner,
            representative_name=REPRESENTATIVE,
            representative_email=REPRESENTATIVE_EMAIL,
            token_hash=token_hash(new_token()),
            text_version="guardian-2026-11",
            cancelled_at=timezone.now(),
        )
        club = CommissionFactory.child(central, Commission.Level.CLUB)
        MembershipFactory(
            user=learner,
            commission=club,
            position=Position.CLUB_MEMBER,
            started_on=timezone.localdate() - timedelta(days=30),
            ended_on=timezone.localdate() - timedelta(days=1),
        )


def build_learner():
    setup = quiz_in_course()
    learner = setup.learner
    learner.full_name = KAZAKH_NAME
    learner.phone = "+77015550101"
    learner.year_of_birth = timezone.localdate().year - 16
    learner.email = "asemgul@example.kz"
    learner.last_login = timezone.now()
    learner.save()
    LearnerProfile.objects.create(
        user=learner,
        region=Region.ALMATY_CITY,
        school="№ 56 мектеп-гимназия",
        email_confirmed_at=timezone.now(),
    )
    guardian_consent(learner)
    for lesson in CourseTree.lessons(setup.course):
        lesson_complete(
            user=learner,
            course_key=setup.course.translation_key,
            lesson_key=lesson.translation_key,
        )
    attempt = attempt_start(user=learner, quiz=setup.quiz)
    attempt_submit(attempt=attempt, answers=correct_answers(attempt))
    central = CommissionFactory.root()
    club = CommissionFactory.child(central, Commission.Level.CLUB)
    seat = MembershipFactory(user=learner, commission=club, position=Position.CLUB_MEMBER)
    certificate = issue(
        learner=learner,
        course_key=setup.course.translation_key,
        event=setup.enrollment.event,
    )
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()

    other = enrolled_learner(setup.course, event=setup.enrollment.event).user
    other.full_name, other.email = OTHER_NAME, OTHER_EMAIL
    other.save()
    guardian_consent(other, name="Басқа Өкіл", email="other.parent@example.kz")
    other_attempt = attempt_start(user=other, quiz=setup.quiz)
    attempt_submit(attempt=other_attempt, answers=correct_answers(other_attempt))
    issue(learner=other, course_key=setup.course.translation_key, event=setup.enrollment.event)

    return SimpleNamespace(
        **vars(setup),
        attempt=Attempt.objects.get(pk=attempt.pk),
        club=club,
        seat=seat,
        certificate=certificate,
        other=other,
        enrollment_completed=Enrollment.objects.get(pk=setup.enrollment.pk).completed_at,
    )


@pytest.fixture
def learner_with_everything(db):
    return build_learner()
