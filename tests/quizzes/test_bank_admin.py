"""The question bank in the Wagtail admin, as a trainer uses it: topics, questions of every kind,
filters and search, and translation with wagtail-localize."""

import html
import json
import re

from django.urls import reverse
from django.utils.html import strip_tags

from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

import pytest
from bs4 import BeautifulSoup

from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from quizzes.models import Choice, Question, Topic
from tests.factories import MembershipFactory, QuestionFactory, TopicFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(db):
    return staff_user(TRAINERS, admin_language="en")


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client


@pytest.fixture
def counting(db):
    return TopicFactory(name="Дауыс санау")


def topic_url(name, *args):
    return reverse(f"wagtailsnippets_quizzes_topic:{name}", args=args)


def question_url(name, *args):
    return reverse(f"wagtailsnippets_quizzes_question:{name}", args=args)


def question_data(topic, kind, choices=(), **fields):
    """POST data of the question editor; ``choices`` are dicts of Choice fields."""
    data = {
        "topic": topic.pk,
        "kind": kind,
        "text": rich_text(fields.pop("text", "<p>Дауыстарды кім санайды?</p>")),
        "choices": inline_formset(
            [
                {
                    "text": choice["text"],
                    "is_correct": "on" if choice.get("is_correct") else "",
                    "match_text": choice.get("match_text", ""),
                    "feedback": choice.get("feedback", ""),
                }
                for choice in choices
            ]
        ),
        "partial_credit": fields.pop("partial_credit", "all_or_nothing"),
        "numeric_answer": fields.pop("numeric_answer", ""),
        "numeric_tolerance": fields.pop("numeric_tolerance", "0"),
        "explanation": rich_text(fields.pop("explanation", "")),
    }
    if fields.pop("case_sensitive", False):
        data["case_sensitive"] = "on"
    positions = fields.pop("positions", [])
    assert not fields, fields
    return {**nested_form_data(data), "positions": positions}


EVERY_KIND = {
    "single": {
        "choices": [
            {"text": "Учаскелік комиссия", "is_correct": True, "feedback": "Иә, комиссия."},
            {"text": "Бақылаушылар"},
        ]
    },
    "multiple": {
        "partial_credit": "proportional",
        "choices": [
            {"text": "Төраға", "is_correct": True},
            {"text": "Хатшы", "is_correct": True},
            {"text": "Бақылаушы"},
        ],
    },
    "true_false": {"choices": [{"text": "Дұрыс", "is_correct": True}, {"text": "Бұрыс"}]},
    "numeric": {"numeric_answer": "7", "numeric_tolerance": "0"},
    "short_text": {"choices": [{"text": "хаттама", "is_correct": True}], "case_sensitive": False},
    "ordering": {
        "choices": [{"text": "Жәшікті ашу"}, {"text": "Бюллетеньдерді санау"}, {"text": "Хаттама"}]
    },
    "matching": {
        "choices": [
            {"text": "Хаттама", "match_text": "Комиссия мүшелері"},
            {"text": "Акт", "match_text": "Төраға"},
        ]
    },
}


def row_cells(response, title: str) -> list[str]:
    """The texts of the cells of the listing row whose title is ``title``."""
    soup = BeautifulSoup(response.text, "html.parser")
    for row in soup.select("table.listing tbody tr"):
        cells = [" ".join(cell.get_text().split()) for cell in row.find_all("td")]
        if any(cell.startswith(title) for cell in cells):
            return [cell for cell in cells if cell]  # the first, empty, is the checkbox
    raise AssertionError(f"no row for {title}")


# Topics ---------------------------------------------------------------------------------------


def test_trainer_creates_a_topic_in_kazakh(trainer_client):
    response = trainer_client.post(
        topic_url("add") + "?locale=kk", nested_form_data({"name": "Учаскені ашу"})
    )

    assert response.status_code == 302
    topic = Topic.objects.get(name="Учаскені ашу")
    assert topic.locale.language_code == "kk"


def test_topic_listing_counts_questions_and_shows_the_languages(trainer_client, counting):
    QuestionFactory.create_batch(3, topic=counting)

    response = trainer_client.get(topic_url("list"))

    assert response.status_code == 200
    assert row_cells(response, "Дауыс санау")[1:4] == ["3", "Қазақша", "—"]


# Questions of every kind ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EVERY_KIND))
def test_trainer_creates_a_question_of_every_kind(trainer_client, counting, kind):
    response = trainer_client.post(
        question_url("add") + "?locale=kk",
        question_data(counting, kind, text=f"<p>Сұрақ: {kind}</p>", **EVERY_KIND[kind]),
    )

    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get(kind=kind)
    assert strip_tags(question.text) == f"Сұрақ: {kind}"
    assert question.locale.language_code == "kk"
    expected = EVERY_KIND[kind].get("choices", [])
    assert [choice.text for choice in question.choices.order_by("sort_order")] == [
        choice["text"] for choice in expected
    ]
    assert [choice.is_correct for choice in question.choices.order_by("sort_order")] == [
        bool(choice.get("is_correct")) for choice in expected
    ]
    assert all(choice.locale_id == question.locale_id for choice in question.choices.all())


def test_question_keeps_positions_scoring_and_feedback(trainer_client, counting):
    response = trainer_client.post(
        question_url("add") + "?locale=kk",
        question_data(
            counting,
            "numeric",
            positions=["chair", "secretary"],
            numeric_answer="12.5",
            numeric_tolerance="0.5",
            explanation="<p>Хаттамада көрсетілген.</p>",
        ),
    )

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.positions == ["chair", "secretary"]
    assert str(question.numeric_answer) == "12.5000"
    assert str(question.numeric_tolerance) == "0.5000"
    assert strip_tags(question.explanation) == "Хаттамада көрсетілген."


def test_trainer_edits_a_question_and_removes_a_choice(trainer_client, counting):
    question = QuestionFactory(
        topic=counting, choices=[("Иә", True), ("Жоқ", False), ("Білмеймін", False)]
    )
    choices = list(question.choices.order_by("sort_order"))
    data = question_data(
        counting,
        "single",
        choices=[
            {"text": "Иә", "is_correct": True},
            {"text": "Жоқ"},
            {"text": "Білмеймін"},
        ],
    )
    for index, choice in enumerate(choices):
        data[f"choices-{index}-id"] = str(choice.pk)
    data["choices-INITIAL_FORMS"] = "3"
    data["choices-2-DELETE"] = "on"

    response = trainer_client.post(question_url("edit", question.pk), data)

    assert response.status_code == 302
    assert list(question.choices.values_list("text", flat=True)) == ["Иә", "Жоқ"]


# Listing: filters and search ------------------------------------------------------------------


@pytest.fixture
def bank(counting):
    opening = TopicFactory(name="Учаскені ашу")
    russian = Locale.objects.get(language_code="ru")
    return {
        "chairs_counting": QuestionFactory(
            topic=counting, kind="single", positions=["chair"], text="<p>Төрағаға санау</p>"
        ),
        "everyone_counting": QuestionFactory(
            topic=counting, kind="numeric", positions=[], text="<p>Барлығына санау</p>"
        ),
        "members_opening": QuestionFactory(
            topic=opening, kind="ordering", positions=["member"], text="<p>Мүшеге ашу</p>"
        ),
        "russian": QuestionFactory(
            topic=counting, locale=russian, kind="single", text="<p>Подсчёт голосов</p>"
        ),
    }


def listed(response, bank):
    return {name for name, question in bank.items() if question.text[3:-4] in response.text}


def test_question_listing_filters_by_topic(trainer_client, bank, counting):
    response = trainer_client.get(question_url("list"), {"topic": counting.pk})

    assert response.status_code == 200
    assert listed(response, bank) == {"chairs_counting", "everyone_counting", "russian"}


def test_question_listing_filters_by_kind(trainer_client, bank):
    response = trainer_client.get(question_url("list"), {"kind": "ordering"})

    assert listed(response, bank) == {"members_opening"}


def test_question_listing_for_a_position_includes_questions_for_everyone(trainer_client, bank):
    response = trainer_client.get(question_url("list"), {"position": "chair"})

    assert listed(response, bank) == {"chairs_counting", "everyone_counting", "russian"}


def test_question_listing_filters_by_language(trainer_client, bank):
    response = trainer_client.get(question_url("list"), {"locale": "ru"})

    assert listed(response, bank) == {"russian"}


def test_question_listing_searches_the_text(trainer_client, bank):
    response = trainer_client.get(question_url("list"), {"q": "Мүшеге"})

    assert listed(response, bank) == {"members_opening"}


def test_question_listing_queries_are_bounded_by_the_page(
    trainer_client, counting, django_assert_max_num_queries
):
    """Topics, languages and translations of the rows are read once per page; wagtail-localize's
    "Translate" and "Sync" buttons cost two queries per row, so a full page of 50 rows has a
    fixed ceiling however large the bank grows."""
    QuestionFactory.create_batch(60, topic=counting, choices=[("Иә", True), ("Жоқ", False)])

    with django_assert_max_num_queries(20 + 2 * 50):
        response = trainer_client.get(question_url("list"))

    assert response.status_code == 200


# Translation with wagtail-localize ------------------------------------------------------------

RUSSIAN = {
    "Дауыстарды <b>кім</b> санайды?": "Кто <b>считает</b> голоса?",
    "Учаскелік комиссия": "Участковая комиссия",
    "Бақылаушылар": "Наблюдатели",
    "Иә, комиссия.": "Да, комиссия.",
    "Хаттамада көрсетілген.": "Указано в протоколе.",
}


@pytest.fixture
def question(counting):
    question = QuestionFactory(
        topic=counting,
        kind="single",
        positions=["chair"],
        text="<p>Дауыстарды <b>кім</b> санайды?</p>",
        explanation="<p>Хаттамада көрсетілген.</p>",
    )
    Choice.objects.create(
        question=question,
        text="Учаскелік комиссия",
        is_correct=True,
        feedback="Иә, комиссия.",
        locale=question.locale,
        sort_order=0,
    )
    Choice.objects.create(
        question=question, text="Бақылаушылар", locale=question.locale, sort_order=1
    )
    return question


def translate_into_russian(question) -> tuple[Translation, Question]:
    """Segment by segment, as a translator does in wagtail-localize's editor."""
    russian = Locale.objects.get(language_code="ru")
    source, _ = TranslationSource.get_or_create_from_instance(question)
    translation = Translation.objects.create(source=source, target_locale=russian)
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=russian,
            context=segment.context,
            data=RUSSIAN[segment.string.data],
        )
    translation.save_target(publish=True)
    return translation, question.get_translation(russian)


def test_russian_question_keeps_its_identity_and_its_choices_keep_theirs(question):
    _, russian = translate_into_russian(question)

    assert russian.translation_key == question.translation_key
    assert russian.locale.language_code == "ru"
    assert strip_tags(russian.text) == "Кто считает голоса?"
    assert strip_tags(russian.explanation) == "Указано в протоколе."
    # Synchronised fields follow the Kazakh question.
    assert (russian.kind, russian.positions, russian.topic_id) == (
        "single",
        ["chair"],
        question.topic_id,
    )
    kazakh_choices = list(question.choices.order_by("sort_order"))
    russian_choices = list(russian.choices.order_by("sort_order"))
    assert [c.translation_key for c in russian_choices] == [
        c.translation_key for c in kazakh_choices
    ]
    assert [(c.text, c.is_correct, c.feedback) for c in russian_choices] == [
        ("Участковая комиссия", True, "Да, комиссия."),
        ("Наблюдатели", False, ""),
    ]
    assert {c.locale.language_code for c in russian_choices} == {"ru"}


def test_which_choice_is_correct_follows_the_kazakh_question_on_sync(question):
    translation, russian = translate_into_russian(question)
    first, second = question.choices.order_by("sort_order")
    first.is_correct, second.is_correct = False, True
    first.save()
    second.save()

    translation.source.update_from_db()
    translation.save_target(publish=True)

    assert list(russian.choices.order_by("sort_order").values_list("text", "is_correct")) == [
        ("Участковая комиссия", False),
        ("Наблюдатели", True),
    ]


def test_translate_button_appears_on_the_question_listing(trainer_client, question):
    response = trainer_client.get(question_url("list"))

    submit_url = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["quizzes", "question", question.pk],
    )
    assert submit_url in response.text


def test_trainer_submits_a_question_for_translation_and_opens_the_translation_editor(
    trainer_client, question
):
    russian = Locale.objects.get(language_code="ru")
    submit_url = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["quizzes", "question", question.pk],
    )

    assert trainer_client.get(submit_url).status_code == 200
    response = trainer_client.post(submit_url, {"locales": [russian.pk]})

    assert response.status_code == 302
    copy = question.get_translation(russian)
    assert list(copy.choices.values_list("translation_key", flat=True)) == list(
        question.choices.values_list("translation_key", flat=True)
    )
    editor = trainer_client.get(question_url("edit", copy.pk))
    assert editor.status_code == 200
    props = json.loads(
        html.unescape(
            re.search(r'class="js-translation-editor" data-props="([^"]*)"', editor.text)[1]
        )
    )
    source_strings = {segment["source"] for segment in props["segments"] if "source" in segment}
    assert {"Учаскелік комиссия", "Бақылаушылар", "Иә, комиссия."} <= source_strings


def test_member_without_admin_access_cannot_reach_the_question_bank(client, question, tree):
    member = MembershipFactory(commission=tree["precinct11"]).user
    client.force_login(member)

    for url in (question_url("list"), question_url("edit", question.pk), topic_url("add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_central_administrator_keeps_the_question_bank_too(client, question):
    client.force_login(staff_user(CENTRAL_ADMINISTRATORS))

    assert client.get(question_url("edit", question.pk)).status_code == 200
