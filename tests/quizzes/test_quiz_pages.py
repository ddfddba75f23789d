"""The learner's quiz pages: the introduction with the rules, the attempt form (works without
JavaScript), saving as the learner goes (JSON), the result with review and remediation, in
Kazakh and Russian; bad requests answered with clear messages, never a 500."""

import json
import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from quizzes.models import Attempt, Choice, Question, QuizPage
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    CourseTree,
    ElectionEventFactory,
    UserFactory,
    correct_answers,
    quiz_in_course,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return quiz_in_course(pass_mark=80, attempts_allowed=3, time_limit_minutes=30)


@pytest.fixture
def learner_client(client, setup):
    client.force_login(setup.learner)
    return client


def form_data(answers: dict) -> dict:
    """Answers in the browser's form fields (what the page posts without JavaScript)."""
    data = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            for choice, picked in value.items():
                data[f"q_{key}__{choice}"] = str(picked)
        else:
            data[f"q_{key}"] = value
    return data


def english(page) -> str:
    """The page's address in the English interface: tests of behaviour read its English text
    (the content stays in the course's language; Kazakh is served unprefixed)."""
    return f"/en{page.url}"


def start(client, quiz, *, language="en") -> tuple[str, Attempt]:
    response = client.post(quiz.url if language == "kk" else f"/{language}{quiz.url}")
    assert response.status_code == 302
    return response["Location"], Attempt.objects.latest("pk")


def text_of(response) -> str:
    return response.content.decode()


# The introduction ---------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(client, setup):
    response = client.get(setup.quiz.url)
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.post(setup.quiz.url).status_code == 302
    assert not Attempt.objects.exists()


def test_the_introduction_shows_the_rules_and_a_start_button(learner_client, setup):
    response = learner_client.get(english(setup.quiz))
    page = text_of(response)
    assert response.status_code == 200
    assert setup.quiz.title in page
    assert "80%" in page  # pass mark
    assert "30 minutes" in page  # time limit
    assert re.search(r"Attempts left</dt>\s*<dd>3</dd>", page)
    assert 'method="post"' in page and "Start the test" in page
    assert "no-store" in response["Cache-Control"]


def test_after_a_failed_attempt_the_introduction_says_when_the_next_one_is_allowed(
    learner_client, setup
):
    setup.quiz.wait_minutes = 90
    setup.quiz.save_revision().publish()
    quiz = QuizPage.objects.get(pk=setup.quiz.pk)
    attempt = attempt_start(user=setup.learner, quiz=quiz)
    attempt_submit(attempt=attempt, answers=wrong_answers(attempt))
    page = text_of(learner_client.get(english(quiz)))
    assert "Your next attempt is allowed from" in page
    assert "Start the test" not in page and "Start a new attempt" not in page
    assert re.search(r"Attempts left</dt>\s*<dd>2</dd>", page)
    # Starting anyway is refused with the same message.
    response = learner_client.post(english(quiz), follow=True)
    assert "Your next attempt is allowed from" in text_of(response)
    assert Attempt.objects.count() == 1


def test_a_learner_outside_the_course_sees_why_they_cannot_start(client, setup):
    client.force_login(UserFactory())
    page = text_of(client.get(english(setup.quiz)))
    assert "not enrolled" in page
    assert "Start the test" not in page


# The attempt form ---------------------------------------------------------------------------------


def test_the_attempt_page_has_a_fieldset_with_a_legend_per_question_and_labelled_fields(
    learner_client, setup
):
    url, attempt = start(learner_client, setup.quiz)
    response = learner_client.get(url)
    page = text_of(response)
    assert response.status_code == 200
    assert page.count('<fieldset class="question"') == 7
    assert page.count('<legend class="question__legend">') == 7
    for question in setup.questions.values():
        assert re.sub(r"</?p>", "", question.text) in page
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    assert ids and set(ids) <= labelled, set(ids) - labelled
    assert 'type="radio"' in page and 'type="checkbox"' in page
    assert 'inputmode="decimal"' in page and "<select" in page
    assert 'name="action" value="save"' in page and 'name="action" value="submit"' in page
    assert 'id="quiz-timer"' in page and "29 min" in page
    assert "quizzes/quiz.js" in page


def test_without_javascript_save_then_submit_grades_the_whole_form(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    answers = correct_answers(attempt)
    saved = learner_client.post(url, {**form_data(answers), "action": "save"})
    assert saved.status_code == 302 and saved["Location"] == url
    attempt.refresh_from_db()
    assert len(attempt.answers) == 7
    # The saved answers are shown checked, filled in and selected when the page comes back.
    page = text_of(learner_client.get(url))
    assert page.count(" checked") == 1 + 2 + 1 and page.count(" selected") == 3 + 3
    assert 'value="1500"' in page
    submitted = learner_client.post(url, {**form_data(answers), "action": "submit"}, follow=True)
    page = text_of(submitted)
    assert submitted.redirect_chain[-1][0].endswith(f"attempts/{attempt.pk}/result/")
    assert "Passed" in page and "100%" in page
    assert Attempt.objects.get(pk=attempt.pk).passed


def test_unticking_every_box_clears_a_saved_answer(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    key = str(setup.questions["multiple"].translation_key)
    learner_client.post(url, {**form_data({key: correct_answers(attempt)[key]}), "action": "save"})
    learner_client.post(url, {"shown": key, "action": "save"})
    attempt.refresh_from_db()
    assert key not in attempt.answers


def test_refused_answers_are_shown_next_to_their_fields_and_nothing_is_submitted(
    learner_client, setup
):
    url, attempt = start(learner_client, setup.quiz)
    numeric = str(setup.questions["numeric"].translation_key)
    single = str(setup.questions["single"].translation_key)
    answers = {
        **form_data(correct_answers(attempt)),
        f"q_{numeric}": "бір мың",
        "action": "submit",
    }
    response = learner_client.post(url, answers)
    page = text_of(response)
    assert response.status_code == 400
    assert 'role="alert"' in page and "Nothing was submitted" in page
    number = re.search(rf'id="(q\d+)" data-key="{numeric}"', page).group(1)
    assert f'href="#{number}"' in page
    assert f'aria-describedby="{number}-error"' in page
    assert f'id="{number}-error"' in page and "Enter a number" in page
    assert 'value="бір мың"' in page  # what they typed, to correct it
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert single in attempt.answers and numeric not in attempt.answers  # the good ones saved


def test_a_form_field_for_a_question_not_in_the_attempt_is_refused(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    response = learner_client.post(url, {"q_not-a-question": "x", "action": "submit"})
    assert response.status_code == 400
    assert "not in this attempt" in text_of(response)
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


def test_a_megabyte_text_answer_is_refused_with_a_message(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    key = str(setup.questions["short_text"].translation_key)
    response = learner_client.post(url, {f"q_{key}": "ә" * (1024 * 1024), "action": "save"})
    assert response.status_code == 400
    page = text_of(response)
    assert "at most 500 characters" in page
    assert len(page) < 100_000, "the refused text is not echoed back whole"


def test_forms_need_the_csrf_token(setup):
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup.learner)
    assert client.post(setup.quiz.url).status_code == 403
    attempt = attempt_start(user=setup.learner, quiz=setup.quiz)
    url = f"{setup.quiz.url}attempts/{attempt.pk}/"
    assert client.post(url, {"action": "submit"}).status_code == 403
    assert (
        client.post(url + "answers/", {"answers": {}}, content_type="application/json").status_code
        == 403
    )
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None


# Saving as the learner goes (JSON) --------------------------------------------------------------


def save_json(client, url, body, **extra):
    return client.post(url + "answers/", body, content_type="application/json", **extra)


def test_the_json_save_stores_answers_and_replies_without_any_verdict(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    answers = correct_answers(attempt)
    response = save_json(learner_client, url, {"answers": answers})
    assert response.status_code == 200
    reply = response.json()
    assert set(reply) == {"saved", "saved_at", "errors", "remaining_seconds"}
    assert reply["saved"] == 7 and reply["errors"] == {}
    assert 0 < reply["remaining_seconds"] <= 30 * 60
    attempt.refresh_from_db()
    assert len(attempt.answers) == 7


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '{"answers": [1]}',
        '{"answers": "x"}',
        '{"other": {}}',
        '{"answers": {"k": NaN}}',
        '{"answers": {"k": Infinity}}',
        b"\xff\xfe",
        "",
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_malformed_json_is_a_400_with_a_message(learner_client, setup, body):
    url, _attempt = start(learner_client, setup.quiz)
    response = save_json(learner_client, url, body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_an_oversized_json_body_is_refused(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    key = str(setup.questions["short_text"].translation_key)
    response = save_json(learner_client, url, json.dumps({"answers": {key: "x" * 1024 * 1024}}))
    assert response.status_code == 413
    assert Attempt.objects.get(pk=attempt.pk).answers == {}


def test_json_answers_that_cannot_be_accepted_are_reported_by_question(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    numeric = str(setup.questions["numeric"].translation_key)
    text = str(setup.questions["short_text"].translation_key)
    response = save_json(
        learner_client,
        url,
        {"answers": {numeric: "99999999999999", text: "x" * 501, "ghost": "1"}},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "too large" in errors[numeric]
    assert "500 characters" in errors[text]
    assert "not in this attempt" in errors[""]


def test_an_attempt_number_beyond_any_id_is_not_found(learner_client, setup):
    huge = f"{setup.quiz.url}attempts/{10**30}/"
    assert learner_client.get(huge).status_code == 404
    assert save_json(learner_client, huge, {"answers": {}}).status_code == 404


def test_the_json_save_only_takes_post(learner_client, setup):
    url, _attempt = start(learner_client, setup.quiz)
    assert learner_client.get(url + "answers/").status_code == 405


def test_the_json_save_of_a_submitted_attempt_says_it_is_closed(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    attempt_submit(attempt=attempt)
    response = save_json(learner_client, url, {"answers": correct_answers(attempt)})
    assert response.status_code == 409 and response.json()["closed"] is True
    assert Attempt.objects.get(pk=attempt.pk).score == 0


# The result ---------------------------------------------------------------------------------------


def test_a_failed_attempt_shows_remediation_and_the_next_attempt(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    learner_client.post(url, {**form_data(wrong_answers(attempt)), "action": "submit"})
    page = text_of(learner_client.get(url + "result/"))
    assert "Not passed" in page and "0%" in page
    assert "What to read again" in page
    assert "Дауыс санау" in page  # the missed topic
    for lesson in CourseTree.lessons(setup.course):
        assert lesson.url in page  # a course-level quiz: every module's lessons
    assert "You have 2 attempts left." in page
    assert "Start a new attempt" in page


def test_a_passed_attempt_shows_no_remediation(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz)
    learner_client.post(url, {**form_data(correct_answers(attempt)), "action": "submit"})
    page = text_of(learner_client.get(url + "result/"))
    assert "Passed" in page and "100%" in page
    assert "What to read again" not in page


def test_an_open_attempts_result_page_leads_back_to_the_attempt(learner_client, setup):
    url, _attempt = start(learner_client, setup.quiz)
    response = learner_client.get(url + "result/")
    assert response.status_code == 302 and response["Location"] == url


@pytest.mark.parametrize(
    ("review", "shows_marks", "shows_key"),
    [("score", False, False), ("wrong", True, False), ("full", True, True)],
)
def test_the_review_follows_the_quiz_policy(client, review, shows_marks, shows_key):
    setup = quiz_in_course(review=review)
    single = setup.questions["single"]
    single.explanation = "<p>ТҮСІНДІРМЕ-7731</p>"
    single.save()
    Choice.objects.filter(question=single, text="09:00").update(feedback="КЕРІ-БАЙЛАНЫС-5521")
    client.force_login(setup.learner)
    url, attempt = start(client, setup.quiz)
    answers = wrong_answers(attempt)
    answers[str(single.translation_key)] = str(
        Choice.objects.get(question=single, text="09:00").translation_key
    )
    client.post(url, {**form_data(answers), "action": "submit"})
    page = text_of(client.get(url + "result/"))
    assert ("review-item--wrong" in page) is shows_marks
    assert ("correct answer" in page) is shows_key
    assert ("ТҮСІНДІРМЕ-7731" in page) is shows_key
    assert ("КЕРІ-БАЙЛАНЫС-5521" in page) is shows_key
    assert ("1500" in page) is shows_key  # the correct number


def test_a_review_after_the_deadline_waits_for_the_events_training_deadline(client):
    setup = quiz_in_course(review="full", review_timing="after_deadline")
    client.force_login(setup.learner)
    url, attempt = start(client, setup.quiz)
    client.post(url, {**form_data(wrong_answers(attempt)), "action": "submit"})
    page = text_of(client.get(url + "result/"))
    assert "can be reviewed from" in page and "correct answer" not in page
    event = setup.enrollment.event
    event.training_deadline = timezone.localdate() - timedelta(days=1)
    event.vote_date = timezone.localdate() + timedelta(days=1)
    event.save()
    page = text_of(client.get(url + "result/"))
    assert "correct answer" in page


def test_an_enrolment_without_an_event_sees_a_deferred_review_at_once(client):
    setup = quiz_in_course(review="full", review_timing="after_deadline")
    setup.enrollment.event = None
    setup.enrollment.save()
    client.force_login(setup.learner)
    url, attempt = start(client, setup.quiz)
    client.post(url, {"action": "submit"})
    assert "correct answer" in text_of(client.get(url + "result/"))
    assert ElectionEventFactory  # events are optional for self-enrolment


def test_a_failed_module_quiz_suggests_that_modules_lessons(client):
    setup = quiz_in_course(where="module")
    client.force_login(setup.learner)
    url, attempt = start(client, setup.quiz)
    client.post(url, {"action": "submit"})
    page = text_of(client.get(url + "result/"))
    lessons = CourseTree.lessons(setup.course)
    in_module = [lesson for lesson in lessons if lesson.path.startswith(setup.module.path)]
    assert in_module and all(lesson.url in page for lesson in in_module)
    assert not any(lesson.url in page for lesson in lessons if lesson not in in_module)


def test_remediation_prefers_lessons_whose_titles_name_a_missed_topic(client):
    setup = quiz_in_course()
    lesson = CourseTree.lessons(setup.course)[-1]
    lesson.title = "Дауыс санау тәртібі"
    lesson.save_revision().publish()
    client.force_login(setup.learner)
    url, attempt = start(client, setup.quiz)
    client.post(url, {"action": "submit"})
    page = text_of(client.get(url + "result/"))
    assert "These lessons cover those topics" in page
    assert "Дауыс санау тәртібі" in page
    assert CourseTree.lessons(setup.course)[0].url not in page


# Languages ----------------------------------------------------------------------------------------


def translate_question(question: Question, language: str, prefix: str) -> Question:
    """A translation of a question and its choices (the same keys), as wagtail-localize makes."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    translated = Question.objects.create(
        translation_key=question.translation_key,
        locale=locale,
        topic=question.topic,
        kind=question.kind,
        text=f"<p>{prefix} {question.text[3:-4]}</p>",
        numeric_answer=question.numeric_answer,
        partial_credit=question.partial_credit,
    )
    for choice in question.choices.all():
        Choice.objects.create(
            question=translated,
            translation_key=choice.translation_key,
            locale=locale,
            text=f"{prefix} {choice.text}",
            is_correct=choice.is_correct,
            match_text=f"{prefix} {choice.match_text}" if choice.match_text else "",
            sort_order=choice.sort_order,
        )
    return translated


def test_an_attempt_started_in_kazakh_is_shown_and_graded_in_russian(learner_client, setup):
    url, attempt = start(learner_client, setup.quiz, language="kk")
    russian_quiz = CourseTree.translate(setup.course, "ru", title_prefix="RU ")
    assert russian_quiz
    translate_question(setup.questions["single"], "ru", "РУС")
    ru_quiz = QuizPage.objects.get(
        translation_key=setup.quiz.translation_key, locale__language_code="ru"
    )
    ru_url = f"{ru_quiz.url}attempts/{attempt.pk}/"
    page = text_of(learner_client.get(ru_url))
    assert "РУС Дауыс беру қай сағатта басталады?" in page
    assert "РУС 07:00" in page
    # Untranslated questions are shown in Kazakh, marked as such.
    assert 'lang="kk"' in page
    # A Russian accepted answer is accepted too; the submit is graded in any language.
    answers = correct_answers(attempt)
    answers[str(setup.questions["short_text"].translation_key)] = "Протокол"
    learner_client.post(ru_url, {**form_data(answers), "action": "submit"})
    assert Attempt.objects.get(pk=attempt.pk).percent == 100


def test_a_quiz_not_yet_translated_is_taken_under_the_learners_language(client, setup):
    CourseTree.translate(setup.course, "ru", subtree=False)
    client.force_login(setup.learner)
    ru_url = "/ru" + setup.quiz.url
    response = client.get(ru_url)
    assert response.status_code == 200
    started = client.post(ru_url)
    assert started["Location"].startswith(ru_url + "attempts/")
    assert client.get(started["Location"]).status_code == 200


def test_the_breadcrumbs_of_a_quiz_not_yet_translated_keep_each_language(client, setup):
    russian_course = CourseTree.translate(setup.course, "ru", subtree=False)
    client.force_login(setup.learner)
    kazakh = client.get(setup.quiz.url).content.decode()  # fills the cache in Kazakh first
    russian = client.get("/ru" + setup.quiz.url).content.decode()
    assert f'<a href="{setup.course.url}">{setup.course.title}</a>' in kazakh
    assert f'<a href="{russian_course.url}">{russian_course.title}</a>' in russian
    assert russian_course.url.startswith("/ru/")
