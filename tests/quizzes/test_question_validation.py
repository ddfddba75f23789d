"""A question its kind cannot grade is refused when saved, with a message that says what to fix."""

from django.urls import reverse
from django.utils import translation

import pytest

from commissions.roles import TRAINERS
from quizzes.admin_forms import question_problems
from quizzes.models import Question
from tests.factories import QuestionFactory, TopicFactory, staff_user

from .test_bank_admin import question_data

ADD_URL = reverse("wagtailsnippets_quizzes_question:add") + "?locale=kk"


def right(text="Иә"):
    return {"text": text, "is_correct": True}


def wrong(text="Жоқ"):
    return {"text": text, "is_correct": False}


# The rules, without the admin -------------------------------------------------------------------


def messages_for(kind, choices=(), numeric_answer=None):
    with translation.override("en"):
        return [
            str(problem.message)
            for problem in question_problems(
                kind=kind, choices=choices, numeric_answer=numeric_answer
            )
        ]


@pytest.mark.parametrize(
    "kind, choices, numeric_answer",
    [
        ("single", [right(), wrong()], None),
        ("true_false", [right(), wrong()], None),
        ("multiple", [right(), right("Иә, әрине"), wrong()], None),
        ("multiple", [right(), wrong()], None),
        ("numeric", [], 7),
        ("numeric", [], 0),
        ("short_text", [right("хаттама")], None),
        ("ordering", [wrong("бір"), wrong("екі")], None),
        (
            "matching",
            [{"text": "Хаттама", "match_text": "Мүшелер"}, {"text": "Акт", "match_text": "Төраға"}],
            None,
        ),
    ],
)
def test_a_question_its_kind_can_grade_has_no_problems(kind, choices, numeric_answer):
    assert messages_for(kind, choices, numeric_answer) == []


def test_single_choice_needs_exactly_one_correct_choice():
    assert messages_for("single", [right(), right("Иә-иә"), wrong()]) == [
        "A single choice question needs exactly one correct choice; 2 are marked correct."
    ]
    assert messages_for("single", [wrong(), wrong("Жоқ-жоқ")]) == [
        "A single choice question needs exactly one correct choice; 0 are marked correct."
    ]


def test_single_choice_needs_two_choices():
    assert messages_for("single", [right()]) == [
        "A single choice question needs at least two choices."
    ]
    assert messages_for("single", []) == ["A single choice question needs at least two choices."]


def test_true_or_false_needs_two_choices_and_one_correct():
    assert messages_for("true_false", [right()]) == [
        "A true or false question needs two choices: true and false."
    ]
    assert messages_for("true_false", [right(), right("Бұрыс")]) == [
        "A true or false question needs exactly one correct choice; 2 are marked correct."
    ]


def test_multiple_choice_needs_a_correct_choice_and_two_choices():
    assert messages_for("multiple", [wrong(), wrong("Жоқ-жоқ")]) == [
        "A multiple choice question needs at least one choice marked correct."
    ]
    assert messages_for("multiple", [right()]) == [
        "A multiple choice question needs at least two choices."
    ]


def test_numeric_needs_the_correct_number():
    assert messages_for("numeric", [], None) == ["A number question needs the correct number."]


def test_short_text_needs_an_accepted_answer():
    assert messages_for("short_text", [wrong("хаттама")]) == [
        "A short text question needs at least one accepted answer: add it as a choice marked "
        "correct."
    ]


def test_ordering_needs_two_steps():
    assert messages_for("ordering", [wrong("бір")]) == [
        "An ordering question needs at least two steps to put in order."
    ]


def test_matching_needs_two_pairs_each_with_its_match():
    assert messages_for("matching", [{"text": "Хаттама", "match_text": "Мүшелер"}]) == [
        "A matching question needs at least two pairs."
    ]
    problems = question_problems(
        kind="matching",
        choices=[{"text": "Хаттама", "match_text": "Мүшелер"}, {"text": "Акт", "match_text": " "}],
    )
    with translation.override("en"):
        found = [(str(p.message), p.field, p.choice) for p in problems]
    assert found == [
        ("Every pair of a matching question needs the text it matches.", "match_text", 1)
    ]


# In the admin -----------------------------------------------------------------------------------


@pytest.fixture
def trainer_client(client, db):
    client.force_login(staff_user(TRAINERS, admin_language="en"))
    return client


@pytest.fixture
def topic(db):
    return TopicFactory()


def post_question(client, topic, kind, **fields):
    return client.post(ADD_URL, question_data(topic, kind, **fields))


def english(errors) -> list[str]:
    """A form's error messages as the trainer reads them: the admin is in English for them."""
    with translation.override("en"):
        return [str(error) for error in errors]


def test_admin_refuses_a_single_choice_question_with_two_correct_choices(trainer_client, topic):
    response = post_question(trainer_client, topic, "single", choices=[right(), right("Әрине")])

    assert response.status_code == 200
    assert not Question.objects.exists()
    assert english(response.context["form"].non_field_errors()) == [
        "A single choice question needs exactly one correct choice; 2 are marked correct."
    ]
    # The message at the top of the page says it too.
    assert "needs exactly one correct choice; 2 are marked correct." in response.text


def test_admin_refuses_a_number_question_without_its_number(trainer_client, topic):
    response = post_question(trainer_client, topic, "numeric")

    assert response.status_code == 200
    assert english(response.context["form"].errors["numeric_answer"]) == [
        "A number question needs the correct number."
    ]
    assert "A number question needs the correct number." in response.text


def test_admin_refuses_a_short_text_question_without_an_accepted_answer(trainer_client, topic):
    response = post_question(trainer_client, topic, "short_text", choices=[wrong("хаттама")])

    assert response.status_code == 200
    assert (
        "needs at least one accepted answer"
        in english(response.context["form"].non_field_errors())[0]
    )


def test_admin_refuses_an_ordering_question_with_one_step(trainer_client, topic):
    response = post_question(trainer_client, topic, "ordering", choices=[wrong("Жәшікті ашу")])

    assert english(response.context["form"].non_field_errors()) == [
        "An ordering question needs at least two steps to put in order."
    ]
    assert "needs at least two steps to put in order." in response.text


def test_admin_shows_the_missing_match_on_the_pair_itself(trainer_client, topic):
    response = post_question(
        trainer_client,
        topic,
        "matching",
        choices=[
            {"text": "Хаттама", "match_text": "Комиссия мүшелері"},
            {"text": "Акт", "match_text": ""},
        ],
    )

    assert response.status_code == 200
    pairs = response.context["form"].formsets["choices"].forms
    assert pairs[0].errors == {}
    assert english(pairs[1].errors["match_text"]) == [
        "Every pair of a matching question needs the text it matches."
    ]
    assert not Question.objects.exists()


def test_deleted_choices_do_not_count(trainer_client, topic):
    question = QuestionFactory(topic=topic, choices=[("Иә", True), ("Жоқ", False)])
    data = question_data(topic, "single", choices=[right(), wrong()])
    for index, choice in enumerate(question.choices.order_by("sort_order")):
        data[f"choices-{index}-id"] = str(choice.pk)
    data["choices-INITIAL_FORMS"] = "2"
    data["choices-1-DELETE"] = "on"

    response = trainer_client.post(
        reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]), data
    )

    assert response.status_code == 200
    assert english(response.context["form"].non_field_errors()) == [
        "A single choice question needs at least two choices."
    ]
    assert question.choices.count() == 2
