"""A minor without their legal representative's consent reads lessons but starts no quiz
attempt and receives no certificate; adults and accounts without a year of birth are not
affected; a withdrawal takes effect at the next start."""

from django.utils import timezone
from django.utils.translation import gettext

import pytest

from accounts.models import ConsentRecord
from accounts.services import consent_withdraw
from certificates.models import Certificate
from courses.services import lesson_complete
from courses.services.certificates import certificates_issue_for_completed
from quizzes.models import Attempt
from quizzes.selectors import quiz_status
from quizzes.services import AttemptRefused, attempt_start, attempt_submit
from tests.certificates.conftest import certificate_template, private_files  # noqa: F401
from tests.factories import CourseTree, correct_answers, quiz_in_course

pytestmark = pytest.mark.django_db


def make_minor(user):
    user.year_of_birth = timezone.localdate().year - 14
    user.save(update_fields=["year_of_birth"])
    return user


def consent(user) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user,
        purpose=ConsentRecord.Purpose.GUARDIAN,
        text_version="2026-11",
        representative_name="Серік Әбенов",
        representative_email="serik@example.kz",
    )


@pytest.fixture
def setup():
    return quiz_in_course(pass_mark=50, is_required=True)


def test_a_minor_without_consent_is_refused_a_start(setup):
    learner = make_minor(setup.learner)
    status = quiz_status(user=learner, quiz=setup.quiz)
    assert status.refusal == "consent"
    with pytest.raises(AttemptRefused) as refused:
        attempt_start(user=learner, quiz=setup.quiz)
    assert refused.value.code == "consent"
    assert refused.value.message == gettext(
        "You can read the lessons, but tests and certificates wait for your legal "
        "representative's consent. You can send them the link again from your profile."
    )
    assert not Attempt.objects.exists()


def test_the_quiz_page_gives_the_reason_and_no_start_button(client, setup):
    learner = make_minor(setup.learner)
    client.force_login(learner)
    page = client.get(f"/en{setup.quiz.url}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "tests and certificates wait for your legal representative" in html
    assert 'href="/en/accounts/profile/#guardian-heading"' in html
    assert 'class="quiz-start"' not in html
    response = client.post(f"/en{setup.quiz.url}", follow=True)
    assert "legal representative" in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_lessons_stay_open_to_a_minor_without_consent(client, setup):

    learner = make_minor(setup.learner)
    client.force_login(learner)
    lesson = CourseTree.lessons(setup.course)[0]
    assert client.get(f"/en{lesson.url}").status_code == 200


def test_consent_opens_the_quiz_and_withdrawal_closes_it_at_once(setup):
    learner = make_minor(setup.learner)
    consent(learner)
    assert quiz_status(user=learner, quiz=setup.quiz).refusal is None
    attempt = attempt_start(user=learner, quiz=setup.quiz)
    attempt_submit(attempt=attempt, answers={}, quiz=setup.quiz)
    consent_withdraw(user=learner, purpose=ConsentRecord.Purpose.GUARDIAN)
    with pytest.raises(AttemptRefused) as refused:
        attempt_start(user=learner, quiz=setup.quiz)
    assert refused.value.code == "consent"


@pytest.mark.parametrize("year_of_birth", [None, 1980, "nineteen"])
def test_adults_and_accounts_without_a_year_of_birth_are_not_affected(setup, year_of_birth):
    learner = setup.learner
    if year_of_birth == "nineteen":
        year_of_birth = timezone.localdate().year - 19
    learner.year_of_birth = year_of_birth
    learner.save(update_fields=["year_of_birth"])
    assert quiz_status(user=learner, quiz=setup.quiz).refusal is None
    assert attempt_start(user=learner, quiz=setup.quiz).pk


def test_a_learner_is_a_minor_through_the_year_they_turn_eighteen(setup):
    learner = setup.learner
    learner.year_of_birth = timezone.localdate().year - 18
    learner.save(update_fields=["year_of_birth"])
    assert quiz_status(user=learner, quiz=setup.quiz).refusal == "consent"


def test_an_attempt_open_when_consent_is_withdrawn_is_graded_but_earns_no_certificate(
    setup,
    private_files,  # noqa: F811
):
    setup.course.certificate_template = certificate_template()
    setup.course.save()
    learner = make_minor(setup.learner)
    consent(learner)
    attempt = attempt_start(user=learner, quiz=setup.quiz)
    consent_withdraw(user=learner, purpose=ConsentRecord.Purpose.GUARDIAN)
    for lesson in CourseTree.lessons(setup.course):
        lesson_complete(
            user=learner,
            course_key=setup.course.translation_key,
            lesson_key=lesson.translation_key,
        )
    # Resuming is allowed: it is the same attempt.
    assert attempt_start(user=learner, quiz=setup.quiz).pk == attempt.pk
    submission = attempt_submit(attempt=attempt, answers=correct_answers(attempt), quiz=setup.quiz)
    assert submission.graded_now and submission.attempt.passed
    setup.enrollment.refresh_from_db()
    assert setup.enrollment.completed_at is not None
    assert not Certificate.objects.exists()
    assert certificates_issue_for_completed(user=learner) == []

    consent(learner)
    issued = certificates_issue_for_completed(user=learner)
    assert [c.course_key for c in issued] == [setup.course.translation_key]
    assert certificates_issue_for_completed(user=learner) == []  # twice: nothing more
    assert Certificate.objects.filter(learner=learner).count() == 1


def test_a_revoked_certificate_is_not_issued_again_after_consent(
    setup,
    private_files,  # noqa: F811
):
    setup.course.certificate_template = certificate_template()
    setup.course.save()
    learner = setup.learner

    for lesson in CourseTree.lessons(setup.course):
        lesson_complete(
            user=learner,
            course_key=setup.course.translation_key,
            lesson_key=lesson.translation_key,
        )
    attempt = attempt_start(user=learner, quiz=setup.quiz)
    attempt_submit(attempt=attempt, answers=correct_answers(attempt), quiz=setup.quiz)
    certificate = Certificate.objects.get(learner=learner)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now())
    assert certificates_issue_for_completed(user=learner) == []
    assert Certificate.objects.filter(learner=learner).count() == 1


def test_the_quiz_page_of_a_minor_costs_one_more_query(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for year_of_birth in (None, timezone.localdate().year - 14):
        setup.learner.year_of_birth = year_of_birth
        setup.learner.save(update_fields=["year_of_birth"])
        client.force_login(setup.learner)
        client.get(f"/en{setup.quiz.url}")  # warm the page caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en{setup.quiz.url}").status_code == 200
        counts.append(len(queries))
    assert counts[1] == counts[0] + 1
