"""No answer key ever reaches the browser: the introduction, the attempt page (fresh, with saved
answers, and re-shown with errors) and every JSON reply are scanned for each kind of question.

The bank here carries marker texts that appear nowhere else: the correct number, the accepted
short answers, choice feedback and explanations. The scan also checks that correct and wrong
options are marked up identically, that ordering steps are not shown in their correct order and
that matching offers its right-hand items under opaque ids, shuffled against the left ones.
"""

import re
from decimal import Decimal

import pytest

from quizzes.models import Attempt, Choice
from quizzes.services import attempt_start
from tests.factories import (
    CourseTree,
    EnrollmentFactory,
    QuizPageFactory,
    TopicFactory,
    bank_question,
)

pytestmark = pytest.mark.django_db

SECRET_NUMBER = "1487.25"
SECRET_TEXTS = ("ЖАСЫРЫН-ЖАУАП-ZQ", "СКРЫТЫЙ-ОТВЕТ-ZQ")
FEEDBACK = "КЕРІ-БАЙЛАНЫС-ZQ"
EXPLANATION = "ТҮСІНДІРМЕ-ZQ"


@pytest.fixture
def bank():
    course = CourseTree.build(modules=1, lessons=1)
    topic = TopicFactory(name="Хаттама")
    explain = {"explanation": f"<p>{EXPLANATION}</p>"}
    questions = {
        "single": bank_question(
            "single",
            topic=topic,
            choices=[("Бір", 1), ("Екі", 0), ("Үш", 0), ("Төрт", 0)],
            **explain,
        ),
        "multiple": bank_question(
            "multiple", topic=topic, choices=[("Бір", 1), ("Екі", 1), ("Үш", 0)], **explain
        ),
        "true_false": bank_question(
            "true_false", topic=topic, choices=[("Дұрыс", 1), ("Бұрыс", 0)], **explain
        ),
        "numeric": bank_question(
            "numeric",
            topic=topic,
            numeric_answer=Decimal(SECRET_NUMBER),
            numeric_tolerance=Decimal("0.5"),
            **explain,
        ),
        "short_text": bank_question(
            "short_text", topic=topic, choices=[(text, 1) for text in SECRET_TEXTS], **explain
        ),
        "ordering": bank_question(
            "ordering",
            topic=topic,
            choices=[(f"Қадам {n}", 1) for n in range(1, 6)],
            **explain,
        ),
        "matching": bank_question(
            "matching",
            topic=topic,
            choices=[(f"Құжат {n}", f"Қол қоюшы {n}") for n in range(1, 5)],
            **explain,
        ),
    }
    Choice.objects.all().update(feedback=FEEDBACK)
    quiz = QuizPageFactory.create(
        parent=course,
        rules=[{"topic": topic, "count": len(questions)}],
        review="full",
        time_limit_minutes=60,
    )
    return course, quiz, questions


def assert_no_key(text: str, questions) -> None:
    """The scan: nothing in ``text`` says which answer is correct."""
    lowered = text.lower()
    for marker in ("is_correct", "data-correct", '"correct"', "correct=", "match_text"):
        assert marker not in lowered, marker
    # The whole number on its own, not four digits inside a random id (a uuid may hold "1487").
    assert SECRET_NUMBER not in text
    assert not re.search(r"(?<![\w-])1487(?![\w-])", text)
    for secret in (*SECRET_TEXTS, FEEDBACK, EXPLANATION):
        assert secret not in text, secret
    assert '"targets"' not in text and '"seed"' not in text
    for question in questions.values():
        for choice in question.choices.all():
            if choice.match_text:
                # A right-hand item is never offered under its left item's key.
                assert f'value="{choice.translation_key}">{choice.match_text}' not in text


def fieldset(page: str, question) -> str:
    match = re.search(
        rf'<fieldset[^>]*data-key="{question.translation_key}".*?</fieldset>', page, re.S
    )
    assert match, question.kind
    return match.group(0)


def normalised_options(html: str) -> set[str]:
    options = re.findall(r'<div class="option">.*?</div>', html, re.S)
    return {
        re.sub(r'(value|id|for)="[^"]*"|>[^<]*</label>', "", re.sub(r"\s+", " ", option))
        for option in options
    }


def check_attempt_page(page: str, attempt: Attempt, questions) -> None:
    assert_no_key(page, questions)
    for kind in ("single", "multiple", "true_false"):
        html = fieldset(page, questions[kind])
        assert len(normalised_options(html)) == 1, f"{kind}: options marked up differently"
    steps = fieldset(page, questions["ordering"])
    shown = re.findall(r'<label[^>]*class="pair__label">([^<]+)</label>', steps)
    correct = [c.text for c in questions["ordering"].choices.order_by("sort_order")]
    assert sorted(shown) == sorted(correct) and shown != correct
    pairs = fieldset(page, questions["matching"])
    values = set(re.findall(r'<option value="([^"]*)"', pairs)) - {""}
    assert values == {"1", "2", "3", "4"}, values  # opaque ids only
    lefts = re.findall(r'<label[^>]*class="pair__label">([^<]+)</label>', pairs)
    rights = re.findall(r'<option value="\d">([^<]+)</option>', pairs)[:4]
    assert [left.replace("Құжат", "Қол қоюшы") for left in lefts] != rights


def test_no_answer_key_in_the_pages_or_the_json_for_any_kind_of_question(client, bank):
    course, quiz, questions = bank
    learner = EnrollmentFactory(course=course).user
    client.force_login(learner)

    intro = client.get(quiz.url).content.decode()
    assert_no_key(intro, questions)

    url = client.post(quiz.url)["Location"]
    attempt = Attempt.objects.get(user=learner)
    check_attempt_page(client.get(url).content.decode(), attempt, questions)

    # Saved answers of every kind, right and wrong, and what the JSON replies say.
    replies = []
    for answers in (
        {str(questions["numeric"].translation_key): "12"},
        {str(questions["short_text"].translation_key): "жауап"},
        {str(questions["numeric"].translation_key): "-1"},
        {"nope": "x"},
    ):
        response = client.post(
            url + "answers/", {"answers": answers}, content_type="application/json"
        )
        replies.append(response.content.decode())
    for reply in replies:
        assert "correct" not in reply.lower()
        assert SECRET_NUMBER not in reply
        for secret in SECRET_TEXTS:
            assert secret not in reply
        for choice in Choice.objects.all():
            assert str(choice.translation_key) not in reply

    # The page re-shown with the learner's saved answers still says nothing.
    attempt.refresh_from_db()
    again = client.get(url).content.decode()
    assert 'value="жауап"' in again
    check_attempt_page(again, attempt, questions)

    # And re-shown with an error.
    key = str(questions["numeric"].translation_key)
    errored = client.post(url, {f"q_{key}": "abc", "action": "submit"})
    assert errored.status_code == 400
    check_attempt_page(errored.content.decode(), attempt, questions)


def test_every_drawn_arrangement_hides_the_order_and_the_pairs(client, bank):
    """Twenty learners, twenty seeds: never the correct step order, never level pairs."""
    course, quiz, questions = bank
    for _ in range(20):
        learner = EnrollmentFactory(course=course).user
        attempt = attempt_start(user=learner, quiz=quiz)
        client.force_login(learner)
        page = client.get(f"{quiz.url}attempts/{attempt.pk}/").content.decode()
        check_attempt_page(page, attempt, questions)


def test_a_score_only_result_shows_no_key(client, bank):
    course, quiz, questions = bank
    quiz.review = "score"
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    learner = EnrollmentFactory(course=course).user
    client.force_login(learner)
    url = client.post(quiz.url)["Location"]
    client.post(url, {"action": "submit"})
    result = client.get(url + "result/").content.decode()
    assert_no_key(result, questions)
    assert "Қадам" not in result and "Қол қоюшы" not in result
