"""A hand-built readiness picture on the ``tree`` fixture, for one election event.

central → oblast1 → district1 → precinct11, precinct12; oblast2 → district2 → precinct21,
precinct22. Course A (with a final test) is assigned to precinct members and chairs, course B
(no test) to precinct chairs only.

| who | where | what they have | counts as |
|---|---|---|---|
| fresh | precinct11, member | A enrolled, 0% | assigned |
| halfway | precinct11, member | A at 50% | started |
| finished | precinct11, member | A done, final test passed, certificate | everything |
| chair11 | precinct11, chair | A done, B at 30% | started |
| failed | precinct12, member | A done, final test failed, certificate revoked | completed |
| chair12 | precinct12, chair | A and B done, A's test passed, both certificates | everything |
| trying | precinct21, member | an open attempt at A's test, 0% | started |

Not counted: a reserve in precinct11 (no assignment for reserves), a member seated on
district1 (assignments are for precincts), a member whose seat ended. Counted as assigned
only: a member of precinct22 who completed course A for another event ("elsewhere").
"""

from datetime import timedelta

from django.utils import timezone

import pytest

from certificates.services import certificate_revoke
from commissions.models import Commission, Position
from quizzes.models import Attempt, QuizPage
from tests.certificates.conftest import issue
from tests.factories import (
    AssignmentFactory,
    CourseTree,
    ElectionEventFactory,
    EnrollmentFactory,
    ManagerRoleFactory,
    MembershipFactory,
    QuizPageFactory,
)


@pytest.fixture(autouse=True)
def private_files(monkeypatch, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from certificates.models import Certificate

    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(
        field, "storage", FileSystemStorage(location=tmp_path / "private", base_url=None)
    )


class Picture:
    def __init__(self, tree, *, event=None):
        self.tree = tree
        self.event = event or ElectionEventFactory()
        self.other_event = ElectionEventFactory()
        self.course_a = CourseTree.build(modules=1, lessons=1, title="Дауыс беру күні")
        self.course_b = CourseTree.build(modules=1, lessons=1, title="Хаттама")
        self.final = QuizPageFactory.create(parent=self.course_a, kind=QuizPage.Kind.FINAL)
        AssignmentFactory(
            event=self.event,
            course=self.course_a,
            positions=[Position.MEMBER, Position.CHAIR],
            levels=[Commission.Level.PRECINCT],
        )
        AssignmentFactory(
            event=self.event,
            course=self.course_b,
            positions=[Position.CHAIR],
            levels=[Commission.Level.PRECINCT],
        )
        self.people = {}
        p11, p12, p21 = tree["precinct11"], tree["precinct12"], tree["precinct21"]

        self.seat("fresh", p11)
        self.enrol("fresh", self.course_a)
        self.seat("halfway", p11)
        self.enrol("halfway", self.course_a, progress_percent=50)
        self.seat("finished", p11)
        self.attempt(self.enrol("finished", self.course_a, done=True), passed=True)
        self.certify("finished", self.course_a)
        self.seat("chair11", p11, Position.CHAIR)
        self.enrol("chair11", self.course_a, done=True)
        self.enrol("chair11", self.course_b, progress_percent=30)
        self.seat("failed", p12)
        self.attempt(self.enrol("failed", self.course_a, done=True), passed=False)
        certificate_revoke(certificate=self.certify("failed", self.course_a), reason="Қате")
        self.seat("chair12", p12, Position.CHAIR)
        self.attempt(self.enrol("chair12", self.course_a, done=True), passed=True)
        self.enrol("chair12", self.course_b, done=True)
        self.certify("chair12", self.course_a)
        self.certify("chair12", self.course_b)
        self.seat("trying", p21)
        self.attempt(self.enrol("trying", self.course_a), passed=None)

        # Not counted, or counted as assigned only.
        self.seat("reserve", p11, Position.RESERVE)
        self.enrol("reserve", self.course_a, progress_percent=80)
        self.seat("district", tree["district1"])
        self.enrol("district", self.course_a, done=True)
        self.seat(
            "former",
            p11,
            started_on=timezone.localdate() - timedelta(days=30),
            ended_on=timezone.localdate(),
        )
        self.enrol("former", self.course_a, done=True)
        self.seat("elsewhere", tree["precinct22"])
        self.enrol("elsewhere", self.course_a, done=True, event=self.other_event)

        self.district_manager = ManagerRoleFactory(commission=tree["district1"]).user
        self.precinct_manager = ManagerRoleFactory(commission=p12).user

    def seat(self, name, commission, position=Position.MEMBER, **fields):
        membership = MembershipFactory(
            commission=commission,
            position=position,
            user__full_name=f"{name.title()} Сәрсенбайұлы",
            **fields,
        )
        self.people[name] = membership.user
        return membership

    def enrol(self, name, course, *, done=False, event=None, **fields):
        if done:
            fields.update(progress_percent=100, completed_at=timezone.now())
        return EnrollmentFactory(
            user=self.people[name], course=course, event=event or self.event, **fields
        )

    def attempt(self, enrollment, *, passed):
        return Attempt.objects.create(
            user=enrollment.user,
            quiz_key=self.final.translation_key,
            enrollment=enrollment,
            number=1,
            seed=1,
            questions=[],
            submitted_at=None if passed is None else timezone.now(),
            passed=passed,
        )

    def certify(self, name, course):
        return issue(learner=self.people[name], event=self.event, course_key=course.translation_key)


@pytest.fixture
def picture(tree):
    return Picture(tree)


@pytest.fixture
def build_picture(tree):
    return lambda **kwargs: Picture(tree, **kwargs)
