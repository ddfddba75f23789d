"""Item analysis for trainers: per quiz and per question, from the running sums, on the page and
in the CSV and XLSX exports; and only for trainers and central administrators."""

import csv
import io

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from commissions.roles import CENTRAL_ADMINISTRATORS, TRAINERS
from quizzes import exports
from quizzes.models import Attempt, QuestionStat
from tests.factories import (
    MembershipFactory,
    QuestionFactory,
    QuizPageFactory,
    TopicFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"quizzes_item_analysis:{name}", args=args)


@pytest.fixture
def example():
    """A quiz with three attempted questions and running sums worked out by hand:

    ==============  ==  ====  ====  ==  ===  ====  =========  ==============
    question         n  Σx    Σx²   Σy  Σy²  Σxy   facility   discrimination
    ==============  ==  ====  ====  ==  ===  ====  =========  ==============
    who counts      10  8     8     6   4    5.5   0.8        7/8 = 0.875
    who signs       10  2     2     6   4    1.6   0.2 (flag) 4/8 = 0.5
    ballots left     4  0.5   0.25  2   1.5  0.5   0.125      1/√1.5 = 0.816
    ==============  ==  ====  ====  ==  ===  ====  =========  ==============

    discrimination = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)); "ballots left" is below
    0.3 too but has fewer than 10 attempts, so it is not flagged.
    """
    topic = TopicFactory(name="Дауыс санау")
    counts = QuestionFactory(
        topic=topic,
        kind="single",
        text="<p>Дауыстарды кім санайды?</p>",
        choices=[("Комиссия", True), ("Бақылаушы", False), ("Әкім", False)],
    )
    signs = QuestionFactory(
        topic=topic,
        kind="multiple",
        text="<p>Хаттамаға кім қол қояды?</p>",
        choices=[("Төраға", True), ("Хатшы", True), ("Бақылаушы", False)],
    )
    left = QuestionFactory(topic=topic, kind="numeric", text="<p>Қанша бюллетень қалды?</p>")
    quiz = QuizPageFactory.create(title="Қорытынды тест", rules=[{"topic": topic, "count": 3}])

    def keys(question):
        return [str(c.translation_key) for c in question.choices.order_by("sort_order")]

    a, b, c = keys(counts)
    d, e, f = keys(signs)
    rows = [
        (counts, 10, 8, 8, 8, 6, 4, 5.5, {a: 8, b: 2}),
        (signs, 10, 1, 2, 2, 6, 4, 1.6, {d: 5, e: 3, f: 6}),
        (left, 4, 0, 0.5, 0.25, 2, 1.5, 0.5, {}),
    ]
    for question, n, correct, sx, sx2, sy, sy2, sxy, choice_counts in rows:
        QuestionStat.objects.create(
            quiz_key=quiz.translation_key,
            question_key=question.translation_key,
            attempts=n,
            correct=correct,
            sum_x=sx,
            sum_x2=sx2,
            sum_y=sy,
            sum_y2=sy2,
            sum_xy=sxy,
            choice_counts=choice_counts,
        )
    return {"quiz": quiz, "counts": counts, "signs": signs, "left": left, "topic": topic}


def trainer_client(client, language="en", group=TRAINERS):
    client.force_login(staff_user(group, admin_language=language))
    return client


def table(response) -> list[dict]:
    soup = BeautifulSoup(response.text, "html.parser")
    rows = []
    for row in soup.select("table[data-item-analysis] tbody tr"):
        rows.append(
            {
                "question": " ".join(row.find_all("td")[1].div.get_text().split()),
                "attempts": row.select_one("[data-attempts]").get_text(strip=True),
                "correct": row.select_one("[data-correct]").get_text(strip=True),
                "facility": row.select_one("[data-facility]").get_text(strip=True),
                "discrimination": row.select_one("[data-discrimination]").get_text(strip=True),
                "flagged": row.has_attr("data-flagged"),
                "choices": [
                    " ".join(choice.get_text().split()) for choice in row.select("[data-choice]")
                ],
            }
        )
    return rows


# The page ---------------------------------------------------------------------------------------


def test_item_analysis_shows_the_hand_worked_numbers_hardest_first(client, example):
    response = trainer_client(client).get(url("quiz", example["quiz"].pk))

    assert response.status_code == 200
    assert table(response) == [
        {
            "question": "Қанша бюллетень қалды?",
            "attempts": "4",
            "correct": "0",
            "facility": "0.13",
            "discrimination": "0.82",
            "flagged": False,
            "choices": [],
        },
        {
            "question": "Хаттамаға кім қол қояды?",
            "attempts": "10",
            "correct": "1",
            "facility": "0.20",
            "discrimination": "0.50",
            "flagged": True,
            "choices": [
                "correct: Төраға: 5 (50%)",
                "correct: Хатшы: 3 (30%)",
                "Бақылаушы: 6 (60%)",
            ],
        },
        {
            "question": "Дауыстарды кім санайды?",
            "attempts": "10",
            "correct": "8",
            "facility": "0.80",
            "discrimination": "0.88",
            "flagged": False,
            "choices": ["correct: Комиссия: 8 (80%)", "Бақылаушы: 2 (20%)", "Әкім: 0 (0%)"],
        },
    ]
    assert "Most learners get it wrong" in response.text


def test_item_analysis_speaks_the_trainers_admin_language_where_translated(client, example):
    russian = Locale.objects.get(language_code="ru")
    counts = example["counts"]
    translated = counts.copy_for_translation(russian)
    translated.text = "<p>Кто считает голоса?</p>"
    translated.save()
    for choice, text in zip(
        translated.choices.order_by("sort_order"), ["Комиссия", "Наблюдатель", "Аким"], strict=True
    ):
        choice.text = text
        choice.save()
    topic = example["topic"].copy_for_translation(russian)
    topic.name = "Подсчёт голосов"
    topic.save()

    response = trainer_client(client, language="ru").get(url("quiz", example["quiz"].pk))

    rows = {row["question"]: row for row in table(response)}
    assert set(rows) == {
        "Кто считает голоса?",  # translated
        "Хаттамаға кім қол қояды?",  # not translated: in Kazakh
        "Қанша бюллетень қалды?",
    }
    assert rows["Кто считает голоса?"]["facility"] == "0,80"
    assert rows["Кто считает голоса?"]["choices"][1].startswith("Наблюдатель: 2")
    assert "Подсчёт голосов" in response.text


def test_item_analysis_queries_do_not_grow_with_the_questions(
    client, example, django_assert_max_num_queries
):
    trainer = trainer_client(client)
    for question in QuestionFactory.create_batch(
        30, topic=example["topic"], choices=[("Иә", True), ("Жоқ", False)]
    ):
        QuestionStat.objects.create(
            quiz_key=example["quiz"].translation_key,
            question_key=question.translation_key,
            attempts=3,
            sum_x=1,
        )

    with django_assert_max_num_queries(20):
        response = trainer.get(url("quiz", example["quiz"].pk))
    with django_assert_max_num_queries(20):
        trainer.get(url("export", example["quiz"].pk, "xlsx"))

    assert len(table(response)) == 33


def test_quiz_listing_counts_submitted_attempts_and_flagged_questions(client, example):
    learner = UserFactory()
    quiz = example["quiz"]
    for number, submitted in ((1, True), (2, True), (3, False)):
        Attempt.objects.create(
            user=learner,
            quiz_key=quiz.translation_key,
            number=number,
            seed=number,
            questions=[],
            submitted_at="2026-03-10T10:00:00+05:00" if submitted else None,
        )
    QuizPageFactory.create(title="Кіріс тест", kind="entry")

    response = trainer_client(client).get(url("index"))

    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    rows = {
        row.select_one("td.title a").get_text(strip=True): (
            row.select_one("[data-attempts]").get_text(strip=True),
            row.select_one("[data-flagged]").get_text(strip=True),
        )
        for row in soup.select("table[data-item-analysis-quizzes] tbody tr")
    }
    assert rows == {"Қорытынды тест": ("2", "1"), "Кіріс тест": ("0", "0")}
    assert url("quiz", quiz.pk) in response.text


def test_quiz_listing_queries_do_not_grow_with_the_quizzes(
    client, example, django_assert_max_num_queries
):
    trainer = trainer_client(client)
    course = QuizPageFactory.course()
    for _ in range(12):
        QuizPageFactory.create(parent=course)

    with django_assert_max_num_queries(15):
        response = trainer.get(url("index"))

    assert response.text.count('href="/admin/question-bank/item-analysis/') == 13


def test_quiz_page_has_an_item_analysis_button(client, example):
    response = trainer_client(client).get(
        reverse("wagtailadmin_pages:edit", args=[example["quiz"].pk])
    )

    assert url("quiz", example["quiz"].pk) in response.text


# Exports ----------------------------------------------------------------------------------------


def test_csv_export_has_the_same_numbers_with_a_byte_order_mark(client, example):
    response = trainer_client(client).get(url("export", example["quiz"].pk, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [
        "No.",
        "Question",
        "Topic",
        "Kind",
        "Attempts",
        "Fully correct",
        "Facility index",
        "Discrimination index",
        "Most learners get it wrong",
        "Choices picked",
    ]
    assert lines[1:] == [
        [
            "1",
            "Қанша бюллетень қалды?",
            "Дауыс санау",
            "Number",
            "4",
            "0",
            "0.125",
            "0.816",
            "no",
            "",
        ],
        [
            "2",
            "Хаттамаға кім қол қояды?",
            "Дауыс санау",
            "Multiple choice",
            "10",
            "1",
            "0.2",
            "0.5",
            "yes",
            "✓ Төраға: 5 (50%); ✓ Хатшы: 3 (30%); Бақылаушы: 6 (60%)",
        ],
        [
            "3",
            "Дауыстарды кім санайды?",
            "Дауыс санау",
            "Single choice",
            "10",
            "8",
            "0.8",
            "0.875",
            "no",
            "✓ Комиссия: 8 (80%); Бақылаушы: 2 (20%); Әкім: 0 (0%)",
        ],
    ]


def test_csv_headers_follow_the_trainers_admin_language(client, example):
    response = trainer_client(client, language="ru").get(url("export", example["quiz"].pk, "csv"))

    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("ru"):
        assert header[:9] == exports._question_headers()
    with translation.override("kk"):
        kazakh = exports._question_headers()
    response = trainer_client(client, language="kk").get(url("export", example["quiz"].pk, "csv"))
    assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[:9] == kazakh


def test_xlsx_export_has_numeric_cells_a_frozen_header_and_filters(client, example):
    response = trainer_client(client).get(url("export", example["quiz"].pk, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    questions, choices = workbook.worksheets
    assert questions.freeze_panes == "A2"
    assert questions.auto_filter.ref == "A1:I4"
    values = [[cell.value for cell in row] for row in questions.iter_rows()]
    assert values[0][:8] == [
        "No.",
        "Question",
        "Topic",
        "Kind",
        "Attempts",
        "Fully correct",
        "Facility index",
        "Discrimination index",
    ]
    assert values[1] == [
        1,
        "Қанша бюллетень қалды?",
        "Дауыс санау",
        "Number",
        4,
        0,
        0.125,
        0.816,
        "no",
    ]
    assert values[2][4:9] == [10, 1, 0.2, 0.5, "yes"]
    assert values[3][4:9] == [10, 8, 0.8, 0.875, "no"]
    assert isinstance(questions["G2"].value, float)
    assert questions["G2"].data_type == "n"

    assert choices.freeze_panes == "A2"
    assert choices.auto_filter.ref == "A1:F7"
    assert [[cell.value for cell in row] for row in choices.iter_rows(min_row=2)] == [
        [2, "Хаттамаға кім қол қояды?", "Төраға", "yes", 5, 0.5],
        [2, "Хаттамаға кім қол қояды?", "Хатшы", "yes", 3, 0.3],
        [2, "Хаттамаға кім қол қояды?", "Бақылаушы", "no", 6, 0.6],
        [3, "Дауыстарды кім санайды?", "Комиссия", "yes", 8, 0.8],
        [3, "Дауыстарды кім санайды?", "Бақылаушы", "no", 2, 0.2],
        [3, "Дауыстарды кім санайды?", "Әкім", "no", 0, 0.0],
    ]


def test_exports_hold_no_personal_data(client, example):
    learner = UserFactory(full_name="Айгүл Серікқызы Жұмабаева", email="aigul@example.kz")
    Attempt.objects.create(
        user=learner,
        quiz_key=example["quiz"].translation_key,
        number=1,
        seed=1,
        questions=[],
        submitted_at="2026-03-10T10:00:00+05:00",
    )
    trainer = trainer_client(client)

    for file_format in ("csv", "xlsx"):
        content = trainer.get(url("export", example["quiz"].pk, file_format)).content
        if file_format == "xlsx":
            workbook = load_workbook(io.BytesIO(content))
            content = " ".join(
                str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
            ).encode()
        assert "Жұмабаева".encode() not in content
        assert b"aigul@" not in content
        assert learner.username.encode() not in content


def test_an_unknown_export_format_is_not_found(client, example):
    response = trainer_client(client).get(url("export", example["quiz"].pk, "pdf"))

    assert response.status_code == 404


# Who may see it ---------------------------------------------------------------------------------


def test_central_administrators_read_item_analysis_too(client, example):
    response = trainer_client(client, group=CENTRAL_ADMINISTRATORS).get(
        url("quiz", example["quiz"].pk)
    )

    assert response.status_code == 200


def test_a_member_without_admin_access_is_sent_to_sign_in(client, example, tree):
    client.force_login(MembershipFactory(commission=tree["precinct11"]).user)

    for target in (
        url("index"),
        url("quiz", example["quiz"].pk),
        url("export", example["quiz"].pk, "csv"),
    ):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_admin_users_who_are_not_trainers_are_refused(client, example):
    editor = UserFactory()
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(editor)

    for target in (url("quiz", example["quiz"].pk), url("export", example["quiz"].pk, "xlsx")):
        response = client.get(target)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home"))
    assert url("index") not in home.text
