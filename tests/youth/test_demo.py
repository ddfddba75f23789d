"""The demo's young voters (``youth.demo``, loaded last by ``seed_demo``): a club under the Ili
district commission with its coordinator, young learners at every stage of the public course,
a minor whose representative has not consented yet and one whose representative has, and a
second run that adds nothing."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

import pytest

from accounts.consent import current_text
from accounts.minors import has_guardian_consent, is_minor, needs_guardian_consent
from accounts.models import ConsentRecord, User
from certificates.demo import CIVIC_TEMPLATE_NAME
from certificates.models import Certificate
from commissions.demo import DEMO_PASSWORD
from commissions.models import Commission, ManagerRole, Membership, Position
from commissions.selectors import commission_access, learner_access, managed_commissions
from courses.demo import FIRST_VOTE
from courses.models import CoursePage, Enrollment, LessonProgress
from youth.demo import CLUB
from youth.models import GuardianConsentRequest, LearnerProfile

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    seed()
    return {user.username: user for user in User.objects.all()}


def row_counts() -> dict[str, int]:
    models = (
        Commission,
        User,
        Membership,
        ManagerRole,
        ConsentRecord,
        LearnerProfile,
        GuardianConsentRequest,
        Enrollment,
        LessonProgress,
        Certificate,
    )
    return {model.__name__: model.objects.count() for model in models}


def public_course_key():
    return CoursePage.objects.get(slug=FIRST_VOTE.slug, locale__language_code="kk").translation_key


def test_running_seed_demo_twice_adds_nothing_and_sends_no_second_email(demo):
    before, emails = row_counts(), len(mail.outbox)

    output = seed()

    assert row_counts() == before
    assert len(mail.outbox) == emails
    assert f"club {CLUB['code']} already there; 0 people" in output
    assert "0 learners taken through the public course, 0 representatives asked" in output


def test_the_coordinator_manages_the_club_under_the_ili_district_and_nothing_else(client, demo):
    club = Commission.objects.get(code=CLUB["code"])
    coordinator = demo["coordinator"]

    assert club.level == Commission.Level.CLUB and club.is_club
    assert club.get_parent().code == "TEC-19-07"
    assert club.name_kk.startswith("Жас сайлаушылар клубы")
    assert club.name_ru and club.name_en
    assert list(managed_commissions(user=coordinator)) == [club]
    assert commission_access(viewer=coordinator, commission=club)
    assert not commission_access(viewer=coordinator, commission=club.get_parent())
    assert learner_access(viewer=coordinator, learner=demo["youth-minor"])
    precinct_member = demo["member"]
    assert not learner_access(viewer=coordinator, learner=precinct_member)
    assert not learner_access(viewer=coordinator, learner=demo["youth-daniyar"])  # not in the club
    response = client.post(
        "/accounts/sign-in/", {"username": "coordinator", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_youth_and_the_young_learners_have_profiles_seats_and_varied_progress(demo):
    club = Commission.objects.get(code=CLUB["code"])
    members = set(
        Membership.objects.filter(commission=club, position=Position.CLUB_MEMBER).values_list(
            "user__username", flat=True
        )
    )
    assert {"youth", "youth-aruzhan", "youth-alina", "youth-minor", "youth-teen"} <= members
    assert "youth-daniyar" not in members
    self_registered = current_text(ConsentRecord.Purpose.PERSONAL_DATA, self_registered=True)
    for username in ("youth", "youth-aruzhan", "youth-minor"):
        consent = ConsentRecord.objects.active().get(
            user=demo[username], purpose=ConsentRecord.Purpose.PERSONAL_DATA
        )
        assert consent.text_version == self_registered.version, username
    profiles = LearnerProfile.objects.filter(user__username__startswith="youth")
    assert profiles.count() == 6
    assert len({p.region for p in profiles}) >= 2 and any(p.school for p in profiles)

    key = public_course_key()
    done = {
        e.user.username: LessonProgress.objects.filter(
            enrollment=e, completed_at__isnull=False
        ).count()
        for e in Enrollment.objects.filter(course_key=key).select_related("user")
    }
    assert len(set(done.values())) >= 4, done  # every learner at another stage
    completed = Enrollment.objects.get(user__username="youth-aruzhan", course_key=key)
    assert completed.is_completed
    certificate = Certificate.objects.get(learner=demo["youth-aruzhan"], course_key=key)
    assert certificate.template.name == CIVIC_TEMPLATE_NAME and certificate.pdf


def test_a_minor_awaits_her_representatives_consent_and_another_has_it(demo):
    minor, teen = demo["youth-minor"], demo["youth-teen"]

    assert is_minor(minor) and needs_guardian_consent(minor)
    pending = GuardianConsentRequest.objects.pending().get(learner=minor)
    assert pending.representative_email == "n.akhmetov@example.kz"
    assert not pending.is_expired
    assert not ConsentRecord.objects.filter(user=minor, purpose=ConsentRecord.Purpose.GUARDIAN)
    assert not Certificate.objects.filter(learner=minor).exists()

    assert is_minor(teen) and has_guardian_consent(teen) and not needs_guardian_consent(teen)
    consent = ConsentRecord.objects.active().get(user=teen, purpose=ConsentRecord.Purpose.GUARDIAN)
    assert consent.representative_name == "Гүлнар Болатқызы Есенова"
    assert GuardianConsentRequest.objects.get(learner=teen).consent == consent
