"""The demo question bank and tests ``seed_demo`` loads: every question kind in Kazakh with its
Russian translation under the same keys, an entry test and a required final test in the counting
course, a second run that changes nothing, and a final test the demo member can take and pass."""

from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.db import transaction

import pytest

from accounts.models import User
from courses.models import CoursePage, Enrollment
from quizzes.demo import COURSE_SLUG
from quizzes.models import Choice, Question, QuizPage, Topic
from quizzes.services import attempt_start, attempt_submit
from tests.factories import correct_answers, wrong_answers


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    models = (Topic, Question, Choice, QuizPage)
    return {model.__name__: model.objects.count() for model in models}


def test_the_bank_has_at_least_30_questions_of_every_kind_in_kazakh_and_russian(db, demo):
    for language in ("kk", "ru"):
        kinds = Counter(
            Question.objects.filter(locale__language_code=language).values_list("kind", flat=True)
        )
        assert sum(kinds.values()) >= 30, (language, kinds)
        assert set(kinds) == set(Question.Kind.values), (language, kinds)
    assert Question.objects.filter(
        locale__language_code="kk", kind="multiple", partial_credit="proportional"
    ).exists()
    # Four topics of election day, and the public course's civic education.
    assert Topic.objects.filter(locale__language_code="kk").count() == 5


def test_russian_questions_and_choices_are_translations_of_the_kazakh_ones(db, demo):
    for kazakh in Question.objects.filter(locale__language_code="kk").prefetch_related("choices"):
        russian = Question.objects.get(
            translation_key=kazakh.translation_key, locale__language_code="ru"
        )
        assert russian.text != kazakh.text and russian.kind == kazakh.kind
        assert russian.explanation and kazakh.explanation
        kk_choices = {c.translation_key: c for c in kazakh.choices.all()}
        ru_choices = {c.translation_key: c for c in russian.choices.all()}
        assert set(kk_choices) == set(ru_choices)
        for key, choice in ru_choices.items():
            assert choice.is_correct == kk_choices[key].is_correct
            assert choice.sort_order == kk_choices[key].sort_order
            assert bool(choice.match_text) == bool(kk_choices[key].match_text)
        assert russian.topic.translation_key == kazakh.topic.translation_key
        assert russian.topic.locale.language_code == "ru"


def test_the_counting_course_has_an_entry_test_and_a_required_final_test_in_both_languages(
    db, demo
):
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="kk")
    quizzes = {q.kind: q for q in QuizPage.objects.child_of(course)}
    entry, final = quizzes["entry"], quizzes["final"]
    assert not entry.is_required
    assert final.is_required and final.pass_mark == 80 and final.attempts_allowed == 3
    assert final.wait_minutes == 0
    children = list(course.get_children().specific().order_by("path"))
    assert children[0] == entry and children[-1] == final, "entry first, final last"
    rules = list(final.rules.all())
    assert any(rule.question_id for rule in rules) and any(rule.topic_id for rule in rules)
    for quiz in (entry, final):
        russian = quiz.get_translation(quiz.locale.__class__.objects.get(language_code="ru"))
        assert russian.live and russian.title != quiz.title


def test_seeding_again_changes_nothing(db, demo):
    before = row_counts()
    out = seed()
    assert row_counts() == before
    assert "Quizzes: nothing to add." in out


def test_member_starts_the_final_test_fails_it_then_passes_it(db, demo):
    member = User.objects.get(username="member")
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="kk")
    final = QuizPage.objects.child_of(course).get(kind="final")
    assert Enrollment.objects.filter(user=member, course_key=course.translation_key).exists()

    attempt = attempt_start(user=member, quiz=final)
    assert len(attempt.questions) == 11  # two fixed questions and nine drawn
    failed = attempt_submit(attempt=attempt, answers=wrong_answers(attempt), quiz=final).attempt
    assert failed.passed is False

    attempt = attempt_start(user=member, quiz=final)
    passed = attempt_submit(attempt=attempt, answers=correct_answers(attempt), quiz=final).attempt
    assert passed.passed is True and passed.percent == 100


def test_the_public_course_ends_with_a_required_final_test_of_civic_questions(db, demo):
    from courses.models import CoursePage
    from quizzes.models import QuizPage

    course = CoursePage.objects.get(slug="your-first-vote", locale__language_code="kk")
    final = QuizPage.objects.child_of(course).get()
    assert final.kind == QuizPage.Kind.FINAL and final.is_required and final.pass_mark == 70
    assert [(rule.topic.name, rule.count) for rule in final.rules.all()] == [("Алғашқы дауыс", 5)]
    assert final.get_translation_or_none(
        final.locale.__class__.objects.get(language_code="ru")
    ).live
