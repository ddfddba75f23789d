"""Building a quiz in the page editor: a rule is a fixed question or a draw from a topic, never
both or neither; a draw that asks for more questions than the bank holds is pointed out."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from commissions.roles import TRAINERS
from quizzes.admin_forms import draw_shortfalls
from quizzes.models import QuizPage, QuizRule
from tests.factories import QuestionFactory, QuizPageFactory, TopicFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client):
    client.force_login(staff_user(TRAINERS, admin_language="en"))
    return client


@pytest.fixture
def counting():
    topic = TopicFactory(name="Дауыс санау")
    QuestionFactory.create_batch(2, topic=topic, positions=["chair"])
    QuestionFactory.create_batch(3, topic=topic, positions=[])  # for everyone
    QuestionFactory.create_batch(4, topic=topic, positions=["member"])
    return topic


@pytest.fixture
def course():
    return QuizPageFactory.course()


def rule(question=None, topic=None, position="", count=1, section=""):
    return {
        "section": section,
        "question": question.pk if question else "",
        "topic": topic.pk if topic else "",
        "position": position,
        "count": str(count),
    }


def quiz_data(rules, **fields):
    data = {
        "title": "Қорытынды тест",
        "slug": "final-test",
        "intro": rich_text(""),
        "kind": "final",
        "pass_mark": "80",
        "rules": inline_formset(rules, min=1),
        "attempts_allowed": "3",
        "wait_minutes": "0",
        "time_limit_minutes": "",
        "grading": "highest",
        "shuffle_questions": "on",
        "shuffle_choices": "on",
        "review": "wrong",
        "review_timing": "immediately",
        "comments": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["quizzes", "quizpage", parent.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def warnings(response):
    return [
        str(message).strip()
        for message in get_messages(response.wsgi_request)
        if message.level_tag == "warning"
    ]


def rule_errors(response):
    return [form.errors for form in response.context["form"].formsets["rules"].forms]


def test_trainer_builds_a_quiz_from_a_fixed_question_and_a_draw(trainer_client, course, counting):
    fixed = QuestionFactory(topic=counting)

    response = trainer_client.post(
        add_url(course),
        quiz_data(
            [
                rule(question=fixed, section="Негізгі"),
                rule(topic=counting, position="chair", count=3),
            ]
        ),
    )

    assert response.status_code == 302
    quiz = QuizPage.objects.get(slug="final-test")
    assert [(r.question_id, r.topic_id, r.position, r.count) for r in quiz.rules.all()] == [
        (fixed.pk, None, "", 1),
        (None, counting.pk, "chair", 3),
    ]


def test_a_rule_with_both_a_question_and_a_topic_is_refused_on_the_form(
    trainer_client, course, counting
):
    fixed = QuestionFactory(topic=counting)

    response = trainer_client.post(
        add_url(course), quiz_data([rule(question=fixed, topic=counting)])
    )

    assert response.status_code == 200
    assert rule_errors(response)[0]["__all__"] == [
        "Choose either a fixed question or a topic to draw from."
    ]
    assert not QuizPage.objects.filter(slug="final-test").exists()


def test_a_rule_with_neither_a_question_nor_a_topic_is_refused_on_the_form(trainer_client, course):
    response = trainer_client.post(add_url(course), quiz_data([rule(section="Бос")]))

    assert response.status_code == 200
    assert rule_errors(response)[0]["__all__"] == [
        "Choose either a fixed question or a topic to draw from."
    ]


def test_editing_a_quiz_into_a_rule_with_both_is_refused_too(trainer_client, counting):
    quiz = QuizPageFactory.create(rules=[{"topic": counting, "count": 2}])
    fixed = QuestionFactory(topic=counting)
    data = quiz_data([rule(question=fixed, topic=counting)], slug=quiz.slug, title=quiz.title)
    data["rules-0-id"] = str(quiz.rules.get().pk)
    data["rules-INITIAL_FORMS"] = "1"

    response = trainer_client.post(edit_url(quiz), {**data, "action-publish": "publish"})

    assert response.status_code == 200
    assert QuizRule.objects.get(quiz=quiz).question_id is None


def test_a_draw_asking_for_more_than_the_topic_holds_is_pointed_out_after_saving(
    trainer_client, course, counting
):
    # For chairs: 2 chair questions + 3 for everyone = 5; for secretaries: the 3 for everyone.
    response = trainer_client.post(
        add_url(course),
        quiz_data(
            [
                rule(topic=counting, position="chair", count=5),
                rule(topic=counting, position="secretary", count=4),
            ]
        ),
    )

    assert response.status_code == 302
    assert QuizPage.objects.filter(slug="final-test").exists()
    # The chairs' draw takes the 3 questions for everyone, so none is left for secretaries.
    assert warnings(response) == [
        "“Дауыс санау” for Secretary: the draw asks for 4 questions but the bank has 0 left for "
        "it; attempts will get 0."
    ]


def test_a_draw_for_every_position_counts_the_whole_topic(counting):
    quiz = QuizPageFactory.create(rules=[{"topic": counting, "count": 10}])

    (shortfall,) = draw_shortfalls(quiz=quiz)

    assert (shortfall.wanted, shortfall.available) == (10, 9)
    with translation.override("en"):
        assert "for every position" in shortfall.message


def test_a_fixed_question_is_not_drawn_again(counting):
    fixed = QuestionFactory(topic=counting, positions=["member"])  # the topic now holds 10
    quiz = QuizPageFactory.create(
        rules=[{"question": fixed}, {"topic": counting, "position": "member", "count": 8}]
    )

    # For members: 4 + 3 for everyone + the fixed one, which is already in the quiz.
    assert [(s.wanted, s.available) for s in draw_shortfalls(quiz=quiz)] == [(8, 7)]


def test_a_question_written_in_another_language_counts_as_attempts_draw_it(counting):
    russian = Locale.objects.get(language_code="ru")
    QuestionFactory.create_batch(2, topic=counting, locale=russian, positions=["secretary"])
    quiz = QuizPageFactory.create(rules=[{"topic": counting, "position": "secretary", "count": 6}])

    assert [(s.wanted, s.available) for s in draw_shortfalls(quiz=quiz)] == [(6, 5)]


def test_a_question_and_its_translation_count_once(counting):
    russian = Locale.objects.get(language_code="ru")
    for question in counting.questions.filter(positions=[]):
        question.copy_for_translation(russian).save()
    quiz = QuizPageFactory.create(rules=[{"topic": counting, "position": "secretary", "count": 4}])

    assert [(s.wanted, s.available) for s in draw_shortfalls(quiz=quiz)] == [(4, 3)]


def test_a_fixed_question_named_twice_is_pointed_out(trainer_client, course, counting):
    fixed = QuestionFactory(topic=counting, text="<p>Хаттаманы кім толтырады?</p>")

    response = trainer_client.post(
        add_url(course), quiz_data([rule(question=fixed), rule(question=fixed)])
    )

    assert response.status_code == 302
    assert warnings(response) == [
        "The fixed question “Хаттаманы кім толтырады?” is in this quiz more than once; attempts "
        "show it once."
    ]


def test_a_quiz_whose_draws_can_be_filled_saves_without_warnings(trainer_client, counting):
    quiz = QuizPageFactory.create(rules=[{"topic": counting, "position": "member", "count": 7}])
    data = quiz_data(
        [rule(topic=counting, position="member", count=7)], slug=quiz.slug, title=quiz.title
    )
    data["rules-0-id"] = str(quiz.rules.get().pk)
    data["rules-INITIAL_FORMS"] = "1"

    response = trainer_client.post(edit_url(quiz), data)

    assert response.status_code == 302
    assert warnings(response) == []


def test_saving_a_draft_with_a_shortfall_warns_too(trainer_client, counting):
    quiz = QuizPageFactory.create(rules=[{"topic": counting, "count": 1}])
    data = quiz_data([rule(topic=counting, count=20)], slug=quiz.slug, title=quiz.title)
    data["rules-0-id"] = str(quiz.rules.get().pk)
    data["rules-INITIAL_FORMS"] = "1"

    response = trainer_client.post(edit_url(quiz), data)

    assert response.status_code == 302
    assert len(warnings(response)) == 1
    assert quiz.rules.get().count == 1  # the live page is unchanged until published
