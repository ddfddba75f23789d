"""Item analysis kept as running sums on every submit (quizzes/services/analysis.py) and read by
``quizzes.selectors.item_analysis``, checked against a hand-computed example."""

import pytest

from quizzes.models import Attempt, Choice, QuestionStat
from quizzes.selectors import discrimination_index, item_analysis
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    CourseTree,
    EnrollmentFactory,
    QuizPageFactory,
    TopicFactory,
    bank_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_questions():
    course = CourseTree.build(modules=1, lessons=1)
    topic = TopicFactory(name="Санау")
    q1 = bank_question(
        "single", topic=topic, text="<p>Q1</p>", choices=[("A", 1), ("B", 0), ("C", 0)]
    )
    q2 = bank_question(
        "single", topic=topic, text="<p>Q2</p>", choices=[("A", 1), ("B", 0), ("C", 0)]
    )
    q3 = bank_question(
        "multiple",
        topic=topic,
        text="<p>Q3</p>",
        choices=[("A", 1), ("B", 1), ("C", 0)],
        partial_credit="proportional",
    )
    quiz = QuizPageFactory.create(
        parent=course,
        rules=[{"question": q1}, {"question": q2}, {"question": q3}],
        pass_mark=80,
    )
    return course, quiz, (q1, q2, q3)


def pick(question, *texts):
    keys = [str(Choice.objects.get(question=question, text=t).translation_key) for t in texts]
    return keys[0] if question.kind == "single" else keys


def take(course, quiz, answers: dict) -> Attempt:
    learner = EnrollmentFactory(course=course).user
    attempt = attempt_start(user=learner, quiz=quiz)
    return attempt_submit(attempt=attempt, answers=answers).attempt


def test_item_analysis_matches_a_hand_computed_example(three_questions):
    """Five attempts on three questions (Q3 is multiple choice, proportional, A and B correct):

    ======  =========  =========  =============  ========  ================
    learner  Q1 picks   Q2 picks   Q3 picks       x1 x2 x3  y = percent/100
    ======  =========  =========  =============  ========  ================
    1        A ✓        A ✓        A, B           1  1  1   3/3   = 1
    2        A ✓        A ✓        A              1  1  .5  2.5/3 = 0.8333
    3        A ✓        B          C              1  0  0   1/3   = 0.3333
    4        B          A ✓        B              0  1  .5  1.5/3 = 0.5
    5        C          (none)     A, C           0  0  0   0
    ======  =========  =========  =============  ========  ================

    (y is the stored percent, rounded down to 0.01: 83.33 %, 33.33 %.)
    Σy = 2.6666, Σy² = 1 + 0.69438889 + 0.11108889 + 0.25 = 2.05547778,
    nΣy² − (Σy)² = 10.2773889 − 7.11075556 = 3.16663334.

    Q1: Σx = 3, Σx² = 3, Σxy = 1 + 0.8333 + 0.3333 = 2.1666; facility 3/5 = 0.6;
        r = (5·2.1666 − 3·2.6666) / √((5·3 − 9)·3.16663334) = 2.8332 / √18.99980 = 0.6500.
    Q2: Σx = 3, Σx² = 3, Σxy = 1 + 0.8333 + 0.5 = 2.3333; facility 0.6;
        r = (11.6665 − 7.9998) / 4.358876 = 0.8412.
    Q3: Σx = 2, Σx² = 1.5, Σxy = 1 + 0.41665 + 0.25 = 1.66665; facility 2/5 = 0.4;
        r = (8.33325 − 5.3332) / √((7.5 − 4)·3.16663334) = 3.00005 / 3.329146 = 0.9011.
    Picks: Q1 A 3, B 1, C 1 (shares .6 .2 .2); Q2 A 3, B 1, C 0 (.6 .2 0);
    Q3 A 3, B 2, C 2 (.6 .4 .4). Fully correct: Q1 3, Q2 3, Q3 1.
    """
    course, quiz, (q1, q2, q3) = three_questions
    k1, k2, k3 = (str(q.translation_key) for q in (q1, q2, q3))
    rows = [
        {k1: pick(q1, "A"), k2: pick(q2, "A"), k3: pick(q3, "A", "B")},
        {k1: pick(q1, "A"), k2: pick(q2, "A"), k3: pick(q3, "A")},
        {k1: pick(q1, "A"), k2: pick(q2, "B"), k3: pick(q3, "C")},
        {k1: pick(q1, "B"), k2: pick(q2, "A"), k3: pick(q3, "B")},
        {k1: pick(q1, "C"), k3: pick(q3, "A", "C")},
    ]
    percents = [take(course, quiz, answers).percent for answers in rows]
    assert [str(p) for p in percents] == ["100.00", "83.33", "33.33", "50.00", "0.00"]

    stat = QuestionStat.objects.get(quiz_key=quiz.translation_key, question_key=k3)
    assert (stat.attempts, stat.correct) == (5, 1)
    assert stat.sum_x == pytest.approx(2) and stat.sum_x2 == pytest.approx(1.5)
    assert stat.sum_y == pytest.approx(2.6666) and stat.sum_y2 == pytest.approx(2.05547778)
    assert stat.sum_xy == pytest.approx(1.66665)

    analysis = {item.question_key: item for item in item_analysis(quiz=quiz)}
    expected = {
        k1: (0.6, 0.6500, 3, [("A", 3, 0.6), ("B", 1, 0.2), ("C", 1, 0.2)]),
        k2: (0.6, 0.8412, 3, [("A", 3, 0.6), ("B", 1, 0.2), ("C", 0, 0.0)]),
        k3: (0.4, 0.9011, 1, [("A", 3, 0.6), ("B", 2, 0.4), ("C", 2, 0.4)]),
    }
    for key, (facility, discrimination, correct, choices) in expected.items():
        item = analysis[key]
        assert item.attempts == 5
        assert item.correct == correct
        assert item.facility == pytest.approx(facility)
        assert item.discrimination == pytest.approx(discrimination, abs=1e-4)
        assert [(c.text, c.count, c.share) for c in item.choices] == [
            (text, count, pytest.approx(share)) for text, count, share in choices
        ]
        assert not item.flagged  # fewer than 10 attempts
    assert [item.question_key for item in item_analysis(quiz=quiz)][0] == k3  # hardest first


def test_item_analysis_reads_the_sums_not_the_attempts(three_questions, django_assert_num_queries):
    course, quiz, (q1, q2, q3) = three_questions
    for _ in range(3):
        take(course, quiz, {str(q1.translation_key): pick(q1, "A")})
    before = [(i.question_key, i.facility, i.discrimination) for i in item_analysis(quiz=quiz)]
    Attempt.objects.all().delete()
    with django_assert_num_queries(4):
        after = [(i.question_key, i.facility, i.discrimination) for i in item_analysis(quiz=quiz)]
    assert after == before


def test_a_question_most_learners_get_wrong_is_flagged_from_ten_attempts(three_questions):
    course, quiz, (q1, _q2, _q3) = three_questions
    key = str(q1.translation_key)
    for n in range(10):
        take(course, quiz, {key: pick(q1, "A" if n < 2 else "B")})  # 2 of 10 right
        flagged = {i.question_key: i.flagged for i in item_analysis(quiz=quiz)}[key]
        assert flagged is (n == 9), f"after {n + 1} attempts"


def test_discrimination_is_undefined_when_everyone_scores_the_same():
    assert discrimination_index(n=1, sum_x=1, sum_x2=1, sum_y=1, sum_y2=1, sum_xy=1) is None
    # Everyone got the item right: no variance in x.
    assert discrimination_index(n=4, sum_x=4, sum_x2=4, sum_y=2, sum_y2=1.5, sum_xy=2) is None
    # Everyone had the same total: no variance in y.
    assert discrimination_index(n=4, sum_x=2, sum_x2=2, sum_y=2, sum_y2=1, sum_xy=1) is None


def test_void_questions_are_left_out_of_the_statistics(three_questions):
    course, quiz, (q1, q2, q3) = three_questions
    learner = EnrollmentFactory(course=course).user
    attempt = attempt_start(user=learner, quiz=quiz)
    q3_key = str(q3.translation_key)
    quiz.rules.filter(question=q3).delete()  # a fixed question is protected while a rule names it
    q3.delete()
    attempt_submit(attempt=attempt, answers={str(q1.translation_key): pick(q1, "A")})
    assert not QuestionStat.objects.filter(question_key=q3_key).exists()
    assert QuestionStat.objects.get(question_key=q1.translation_key).sum_y == pytest.approx(0.5)
