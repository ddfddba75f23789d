"""The training progress ``seed_demo`` gives the demo precincts, as a commission finds it in the
last week before the vote: in every district members certified, part-way, failed at the final test
and not started, each precinct with its own mix; the demo sign-ins as the README describes them; a
second run that adds nothing."""

import re
from collections import Counter, defaultdict
from io import StringIO

from django.core.management import call_command

import pytest

from accounts.models import User
from certificates.models import Certificate
from commissions.models import Commission, ElectionEvent, Membership
from courses.demo import COUNTING, EVENT, OPENING
from courses.models import CoursePage, Enrollment, LessonProgress
from quizzes.models import Attempt, QuestionStat, QuizPage
from reports.demo import COMPLETED, FAILED, NOT_STARTED, PROFILES, STAGES, STARTED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(monkeypatch, tmp_path):
    """The demo's PDFs in a folder of this test's own."""
    from django.core.files.storage import FileSystemStorage

    location = tmp_path / "private"
    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location, base_url=None))
    return location


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def course_key(slug: str):
    return CoursePage.objects.get(slug=slug, locale__language_code="kk").translation_key


def stage_of(user: User, event: ElectionEvent) -> str:
    """Where a member stands, read from what they have as a manager would see it."""
    opening, counting = course_key(OPENING.slug), course_key(COUNTING.slug)
    enrollments = {e.course_key: e for e in Enrollment.objects.filter(user=user, event=event)}
    certified = {
        c.course_key
        for c in Certificate.objects.live().filter(learner=user, event=event, revoked_at=None)
        if c.is_rendered
    }
    counting_course = CoursePage.objects.get(slug=COUNTING.slug, locale__language_code="kk")
    final = QuizPage.objects.child_of(counting_course).get(slug="final-test").translation_key
    attempts = list(Attempt.objects.filter(user=user, quiz_key=final).submitted())
    if all(enrollments[key].is_completed for key in (opening, counting)) and certified == {
        opening,
        counting,
    }:
        return COMPLETED
    if (
        enrollments[counting].progress_percent == 100
        and not enrollments[counting].is_completed
        and len(attempts) == 1
        and not attempts[0].passed
    ):
        return FAILED
    has_progress = LessonProgress.objects.filter(enrollment__in=enrollments.values()).exists()
    return STARTED if has_progress or attempts else NOT_STARTED


def stages_by_precinct() -> dict[str, Counter]:
    event = ElectionEvent.objects.get(kind=EVENT["kind"], name_kk=EVENT["name_kk"])
    stages: dict[str, Counter] = defaultdict(Counter)
    for seat in (
        Membership.objects.active()
        .filter(commission__level=Commission.Level.PRECINCT)
        .select_related("user", "commission")
    ):
        stages[seat.commission.code][stage_of(seat.user, event)] += 1
    return stages


def test_each_demo_precinct_has_its_own_mix_of_certified_part_way_failed_and_not_started(
    private_files,
):
    seed()
    stages = stages_by_precinct()

    # Every precinct as its profile says (the same on every database), and across the tree
    # about 35% certified, 20% part-way, 10% failed the final test, 35% not started.
    assert {code: tuple(c[stage] for stage in STAGES) for code, c in stages.items()} == PROFILES
    total = sum(stages.values(), Counter())
    members = sum(total.values())
    assert members == 140
    shares = {stage: round(100 * total[stage] / members) for stage in STAGES}
    assert 30 <= shares[COMPLETED] <= 40 and 30 <= shares[NOT_STARTED] <= 40
    assert 15 <= shares[STARTED] <= 25 and 7 <= shares[FAILED] <= 13

    # Every district shows every stage; drilling into manager-district's district finds one
    # precinct nearly done and one far behind.
    by_district: dict[str, Counter] = defaultdict(Counter)
    for precinct in Commission.objects.filter(level=Commission.Level.PRECINCT):
        by_district[precinct.get_parent().code] += stages[precinct.code]
    assert all(set(STAGES) <= set(+counts) for counts in by_district.values())
    ili = [stages[p.code] for p in Commission.objects.get(code="TEC-19-07").get_children()]
    assert max(c[COMPLETED] for c in ili) >= 6 and min(c[COMPLETED] for c in ili) == 0
    assert max(c[NOT_STARTED] for c in ili) >= 5

    # Both certificates of everyone certified are rendered, each to its own file.
    rendered = Certificate.objects.filter(rendered_at__isnull=False)
    assert Certificate.objects.filter(rendered_at=None).count() == 0
    assert len(list(private_files.rglob("*.pdf"))) == rendered.count()
    assert rendered.count() >= 2 * total[COMPLETED]

    # A failed final test was answered, only not well enough; item statistics were kept.
    failed = Attempt.objects.submitted().filter(passed=False)
    assert failed.exists() and all(0 < attempt.percent < 80 for attempt in failed)
    assert QuestionStat.objects.exists()


def test_the_demo_sign_ins_keep_their_own_training(private_files):
    seed()
    event = ElectionEvent.objects.get(kind=EVENT["kind"], name_kk=EVENT["name_kk"])
    member = User.objects.get(username="member")
    assert not Enrollment.objects.filter(user=member).completed().exists()
    assert not LessonProgress.objects.filter(enrollment__user=member).exists()
    assert not Attempt.objects.filter(user=member).exists()
    assert not Certificate.objects.filter(learner=member).exists()

    counting = course_key(COUNTING.slug)
    for username in ("manager-precinct", "pec-0214-2"):
        user = User.objects.get(username=username)
        assert set(
            Certificate.objects.filter(learner=user).values_list("course_key", flat=True)
        ) == {counting}
        assert Attempt.objects.filter(user=user).count() == 1
        assert stage_of(user, event) == STARTED

    youth = User.objects.get(username="youth")
    assert not Enrollment.objects.filter(user=youth).exists()
    assert not Attempt.objects.filter(user=youth).exists()


def test_seeding_the_demo_again_adds_no_progress(private_files):
    def counts():
        return {
            "progress": LessonProgress.objects.count(),
            "completed": Enrollment.objects.completed().count(),
            "attempts": Attempt.objects.count(),
            "certificates": Certificate.objects.count(),
            "rendered": Certificate.objects.filter(rendered_at__isnull=False).count(),
            "files": len(list(private_files.rglob("*.pdf"))),
        }

    first = seed()
    assert int(re.search(r"Training progress: (\d+) added", first)[1]) > 80
    before = counts()
    again = seed()
    assert counts() == before
    assert "Training progress: 0 added" in again
    assert "0 test attempts, 0 certificates rendered" in again
