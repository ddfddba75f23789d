"""Results by commission for trainers: per child commission and election event, the learners
who attempted a quiz, attempts, passes, pass rate and average best score, drilled down one level
at a time; only for trainers and central administrators; in a constant number of queries."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from commissions.models import Commission, Position
from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from courses.models import Enrollment
from quizzes.models import Attempt
from quizzes.selectors import ResultCounts, results_by_commission
from tests.factories import (
    CommissionFactory,
    ElectionEventFactory,
    EnrollmentFactory,
    ManagerRoleFactory,
    MembershipFactory,
    QuizPageFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"quizzes_results:{name}", args=args)


class Results:
    """A course with two quizzes and learners seated across the ``tree`` fixture:

    =============  ==========  =============================================  ==============
    seat           learner     attempts at the final test for the event (%)   counted as
    =============  ==========  =============================================  ==============
    precinct11     aigul       60, 90, 90 (passed twice at the same best)     3 att., passed, 90
    precinct11     bolat       50                                             1 att., 50
    precinct11     dana        none                                           not counted
    precinct12     erlan       100; the entry test too, 40                    1 att., passed, 100
    precinct12     farida      one still open                                 not counted
    district1      gulnar      70 (secretary of the district itself)          1 att., 70
    precinct22 →   islam       80 — seated in precinct22 since last year and  1 att., passed, 80
     precinct11                in precinct11 since last month: counted there
    precinct21     kairat      95 for another event; 85 with no event         not counted
    no seat        zhanna      40 (her seat ended yesterday)                  the "no seat" row
    =============  ==========  =============================================  ==============

    The oblast2 branch has islam's old seat and kairat: zeros for the event.
    """

    def __init__(self, tree):
        self.tree = tree
        self.course = QuizPageFactory.course(title="Учаскелік комиссия мүшелерінің курсы")
        self.entry = QuizPageFactory.create(parent=self.course, title="Кіріс тест", kind="entry")
        self.course.refresh_from_db()
        self.final = QuizPageFactory.create(parent=self.course, title="Қорытынды тест")
        self.event = ElectionEventFactory()
        self.other_event = ElectionEventFactory(status="closed")
        self.people = {}
        today = timezone.localdate()

        self.seat("aigul", "precinct11")
        self.attempts("aigul", 60, 90, 90)
        self.seat("bolat", "precinct11")
        self.attempts("bolat", 50)
        self.seat("dana", "precinct11")
        self.enrol("dana")
        self.seat("erlan", "precinct12")
        self.attempts("erlan", 100)
        self.attempts("erlan", 40, quiz=self.entry)
        self.seat("farida", "precinct12")
        self.attempt(self.enrol("farida"), None, number=1)
        self.seat("gulnar", "district1", position=Position.SECRETARY)
        self.attempts("gulnar", 70)
        self.seat("islam", "precinct22", started_on=today - timedelta(days=365))
        self.seat("islam", "precinct11", started_on=today - timedelta(days=30))
        self.attempts("islam", 80)
        self.seat("kairat", "precinct21")
        self.attempts("kairat", 95, event=self.other_event)
        self.attempt(None, Decimal(85), number=1, user=self.people["kairat"])
        self.seat(
            "zhanna",
            "precinct21",
            started_on=today - timedelta(days=100),
            ended_on=today - timedelta(days=1),
        )
        self.attempts("zhanna", 40)

    def seat(self, name, commission, **fields):
        if name in self.people:
            fields["user"] = self.people[name]
        else:
            fields["user__full_name"] = f"{name.title()} Сәрсенбайұлы"
        membership = MembershipFactory(commission=self.tree[commission], **fields)
        self.people[name] = membership.user
        return membership

    def enrol(self, name, event=None):
        event = event or self.event
        return Enrollment.objects.filter(
            user=self.people[name], event=event
        ).first() or EnrollmentFactory(user=self.people[name], course=self.course, event=event)

    def attempts(self, name, *percents, quiz=None, event=None):
        enrollment = self.enrol(name, event=event)
        for number, percent in enumerate(percents, start=1):
            self.attempt(enrollment, Decimal(percent), number=number, quiz=quiz)

    def attempt(self, enrollment, percent, *, number, quiz=None, user=None):
        quiz = quiz or self.final
        return Attempt.objects.create(
            user=user or enrollment.user,
            quiz_key=quiz.translation_key,
            enrollment=enrollment,
            number=number,
            seed=number,
            questions=[],
            submitted_at=None if percent is None else timezone.now(),
            percent=percent,
            passed=None if percent is None else percent >= quiz.pass_mark,
        )

    def results(self, commission=None, **kwargs):
        commission = self.tree[commission] if commission else None
        found = results_by_commission(
            quiz_keys=[self.final.translation_key, self.entry.translation_key],
            event=self.event,
            commission=commission,
            **kwargs,
        )
        return found[self.final.translation_key], found[self.entry.translation_key]


@pytest.fixture
def results(tree):
    return Results(tree)


def counts(learners, attempts, passed, *best):
    return ResultCounts(
        learners=learners,
        attempts=attempts,
        passed=passed,
        scored=len(best),
        best_total=sum((Decimal(score) for score in best), Decimal(0)),
    )


def by_code(quiz_results):
    return {row.commission.code: row.counts for row in quiz_results.rows}


# The numbers ------------------------------------------------------------------------------------


def test_a_learner_counts_once_with_the_best_of_their_attempts(results):
    final, entry = results.results("district1")
    tree = results.tree

    assert [(row.commission.code, row.is_own) for row in final.rows] == [
        (tree["district1"].code, True),
        (tree["precinct11"].code, False),
        (tree["precinct12"].code, False),
    ]
    assert by_code(final) == {
        tree["district1"].code: counts(1, 1, 0, 70),
        tree["precinct11"].code: counts(3, 5, 2, 90, 50, 80),
        tree["precinct12"].code: counts(1, 1, 1, 100),
    }
    precinct11 = final.rows[1].counts
    assert round(precinct11.pass_rate, 2) == 66.67
    assert round(precinct11.average_best, 2) == round((90 + 50 + 80) / 3, 2)
    assert final.total == counts(5, 7, 3, 70, 90, 50, 80, 100)
    assert final.total.pass_rate == 60
    assert final.total.average_best == 78
    assert final.unseated is None
    assert entry.total == counts(1, 1, 0, 40)


def test_each_level_adds_up_to_the_level_above(results):
    tree = results.tree

    central, _ = results.results("central")
    oblast1, _ = results.results("oblast1")
    whole, _ = results.results()

    assert by_code(whole) == {tree["central"].code: counts(5, 7, 3, 70, 90, 50, 80, 100)}
    assert by_code(central) == {
        tree["oblast1"].code: counts(5, 7, 3, 70, 90, 50, 80, 100),
        tree["oblast2"].code: ResultCounts(),
    }
    assert by_code(oblast1) == {tree["district1"].code: counts(5, 7, 3, 70, 90, 50, 80, 100)}
    assert whole.rows[0].has_children and not results.results("district1")[0].rows[1].has_children


def test_learners_with_no_seat_today_have_a_row_of_their_own_for_the_whole_tree(results):
    whole, entry = results.results()

    assert whole.unseated == counts(1, 1, 0, 40)
    assert entry.unseated == ResultCounts()


def test_a_branch_with_no_attempts_reads_as_zeros_not_a_division(results):
    oblast2, entry = results.results("oblast2")

    assert [row.counts for row in oblast2.rows] == [ResultCounts()]
    assert oblast2.total.pass_rate is None
    assert oblast2.total.average_best is None


def test_a_position_counts_only_learners_seated_in_it(results):
    tree = results.tree

    final, _ = results.results("district1", position=Position.SECRETARY)

    assert by_code(final) == {
        tree["district1"].code: counts(1, 1, 0, 70),
        tree["precinct11"].code: ResultCounts(),
        tree["precinct12"].code: ResultCounts(),
    }


# The page ---------------------------------------------------------------------------------------


def trainer_client(client, group=TRAINERS):
    client.force_login(staff_user(group, admin_language="en"))
    return client


def page_table(response, quiz) -> list[tuple[str, ...]]:
    soup = BeautifulSoup(response.text, "html.parser")
    section = soup.select_one(f'[data-results-quiz="{quiz.translation_key}"]')
    return [
        (
            " ".join(row.th.get_text().split()),
            *(cell.get_text(strip=True) for cell in row.find_all("td")),
        )
        for row in section.select("table[data-results] tbody tr, table[data-results] tfoot tr")
    ]


def test_the_course_page_shows_each_quiz_by_commission_with_the_item_analysis_link(client, results):
    tree = results.tree
    query = {"event": results.event.pk, "commission": tree["district1"].pk}

    response = trainer_client(client).get(url("course", results.course.pk), query)

    assert response.status_code == 200
    p11, p12, d1 = (tree[name] for name in ("precinct11", "precinct12", "district1"))
    assert page_table(response, results.final) == [
        (
            f"Members of {d1.name_en} itself {d1.code}",
            "1",
            "1",
            "0",
            "0%",
            "70.0%",
        ),
        (f"{p11.name_en} {p11.code}", "3", "5", "2", "67%", "73.3%"),
        (f"{p12.name_en} {p12.code}", "1", "1", "1", "100%", "100.0%"),
        (f"Total for {d1.name_en}", "5", "7", "3", "60%", "78.0%"),
    ]
    # Nobody in the district itself attempted the entry test: no row for its own members.
    assert page_table(response, results.entry) == [
        (f"{p11.name_en} {p11.code}", "0", "0", "0", "—", "—"),
        (f"{p12.name_en} {p12.code}", "1", "1", "0", "0%", "40.0%"),
        (f"Total for {d1.name_en}", "1", "1", "0", "0%", "40.0%"),
    ]
    assert reverse("quizzes_item_analysis:quiz", args=[results.final.pk]) in response.text
    assert reverse("quizzes_item_analysis:quiz", args=[results.entry.pk]) in response.text


def test_rows_drill_down_one_level_and_the_trail_leads_back(client, results):
    tree = results.tree
    trainer = trainer_client(client)

    whole = trainer.get(url("quiz", results.final.pk), {"event": results.event.pk})
    soup = BeautifulSoup(whole.text, "html.parser")
    drill = soup.select_one("a[data-drill]")
    assert drill.get_text(strip=True) == tree["central"].name_en
    assert "Learners with no seat today" in whole.text

    central = trainer.get(url("quiz", results.final.pk) + drill["href"])
    soup = BeautifulSoup(central.text, "html.parser")
    assert [a.get_text(strip=True) for a in soup.select("a[data-drill]")] == [
        tree["oblast1"].name_en,
        tree["oblast2"].name_en,
    ]
    oblast2 = page_table(central, results.final)[1]
    assert oblast2[1:] == ("0", "0", "0", "—", "—")
    assert [a.get_text(strip=True) for a in soup.select("[data-results-scope] a")] == ["Whole tree"]

    precincts = trainer.get(
        url("quiz", results.final.pk),
        {"event": results.event.pk, "commission": tree["district1"].pk},
    )
    soup = BeautifulSoup(precincts.text, "html.parser")
    assert soup.select("a[data-drill]") == []  # precincts have no level below
    assert [a.get_text(strip=True) for a in soup.select("[data-results-scope] a")] == [
        "Whole tree",
        tree["central"].name_en,
        tree["oblast1"].name_en,
    ]


def test_without_an_event_the_latest_event_open_for_training_is_shown(client, results):
    response = trainer_client(client).get(url("quiz", results.final.pk))

    assert response.status_code == 200
    assert page_table(response, results.final)[0][1:] == ("5", "7", "3", "60%", "78.0%")


def test_item_analysis_and_results_link_to_each_other(client, results):
    trainer = trainer_client(client)

    analysis = trainer.get(reverse("quizzes_item_analysis:quiz", args=[results.final.pk]))
    index = trainer.get(url("index"))

    assert url("quiz", results.final.pk) in analysis.text
    assert url("course", results.course.pk) in index.text
    assert url("quiz", results.entry.pk) in index.text


def test_quiz_and_course_pages_have_a_results_button(client, results):
    trainer = trainer_client(client)

    for page, name in ((results.final, "quiz"), (results.course, "course")):
        response = trainer.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert url(name, page.pk) in response.text


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["event", "commission"])
def test_an_unknown_id_is_not_found(client, results, param):
    query = {"event": results.event.pk, param: 987654}

    response = trainer_client(client).get(url("quiz", results.final.pk), query)

    assert response.status_code == 404


def test_an_unknown_quiz_or_course_is_not_found(client, results):
    trainer = trainer_client(client)

    assert trainer.get(url("quiz", 987654)).status_code == 404
    assert trainer.get(url("course", 987654)).status_code == 404
    assert trainer.get(url("course", results.final.pk)).status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"event": "abc"}, {"commission": "1 OR 1=1"}, {"position": "mayor"}, {"event": "-3"}],
)
def test_a_value_that_is_not_a_whole_number_or_a_choice_is_a_form_error(client, results, query):
    response = trainer_client(client).get(url("quiz", results.final.pk), query)

    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select("[data-results-filters] .error-message, .help-critical")
    assert soup.select("table[data-results]") == []


def test_a_course_without_quizzes_says_so(client, results):
    course = QuizPageFactory.course(title="Бос курс")

    response = trainer_client(client).get(url("course", course.pk))

    assert response.status_code == 200
    assert "This course has no quizzes yet." in response.text


# Who may see it ---------------------------------------------------------------------------------


def test_trainers_and_central_administrators_read_results(client, results):
    for group in (TRAINERS, CENTRAL_ADMINISTRATORS):
        response = trainer_client(client, group).get(url("course", results.course.pk))
        assert response.status_code == 200


def test_a_commission_manager_without_admin_access_is_sent_to_sign_in(client, results):
    client.force_login(ManagerRoleFactory(commission=results.tree["central"]).user)

    for target in (url("index"), url("quiz", results.final.pk), url("course", results.course.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_admin_users_who_are_not_trainers_are_refused(client, results):
    editor = UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(editor)

    response = client.get(url("quiz", results.final.pk))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert url("index") not in client.get(reverse("wagtailadmin_home")).text


# Queries ----------------------------------------------------------------------------------------


def grow(results, *, oblasts=6, districts=3, precincts=4):
    """More commissions under the central one, each precinct with a learner and two attempts."""
    central = results.tree["central"]
    for _o in range(oblasts):
        oblast = CommissionFactory.child(central, Commission.Level.OBLAST)
        for _d in range(districts):
            district = CommissionFactory.child(oblast, Commission.Level.DISTRICT)
            for _p in range(precincts):
                precinct = CommissionFactory.child(district, Commission.Level.PRECINCT)
                learner = MembershipFactory(commission=precinct).user
                results.people[learner.username] = learner
                results.attempts(learner.username, 55, 85)


def queries_for(client, results, target, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(target, query)
    assert response.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_commissions_or_attempts(
    client, results, django_assert_max_num_queries
):
    trainer = trainer_client(client)
    event = results.event.pk
    central = results.tree["central"].pk
    targets = [
        (url("course", results.course.pk), {"event": event}),
        (url("course", results.course.pk), {"event": event, "commission": central}),
        (url("quiz", results.final.pk), {"event": event, "commission": central}),
    ]
    trainer.get(*targets[0])  # the session and the admin's caches settle

    small = [queries_for(trainer, results, target, query) for target, query in targets]
    grow(results)
    with django_assert_max_num_queries(20):
        trainer.get(*targets[1])
    large = [queries_for(trainer, results, target, query) for target, query in targets]

    assert large == small
    final, _ = results.results("central")
    assert len(final.rows) == 8
    assert final.total.learners == 5 + 6 * 3 * 4


def test_the_selector_costs_three_queries_at_most(results, django_assert_num_queries):
    keys = [results.final.translation_key, results.entry.translation_key]

    with django_assert_num_queries(3):
        results_by_commission(quiz_keys=keys, event=results.event)
    with django_assert_num_queries(2):
        results_by_commission(
            quiz_keys=keys, event=results.event, commission=results.tree["oblast1"]
        )
