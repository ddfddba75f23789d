"""The demo question bank and tests, loaded by ``manage.py seed_demo`` after the demo courses.

A bank of four topics (opening the polling station, voting, counting, the results protocol) with
questions of every kind in Kazakh, translated into Russian (bank.py); in the course "Counting
and the results protocol" an entry test (not required) and a final test (required, 80%, three
attempts, no wait) drawing from the topics plus a few fixed questions, in Kazakh and Russian.

Safe to run again: what exists (found by its fixed translation key or slug) is left as a trainer
may have edited it; only what is missing is added.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from django.db import transaction

from wagtail.models import Locale

from courses.models import CoursePage

from ..models import Choice, Question, QuizPage, QuizRule, Topic
from . import civic
from .bank import QUESTIONS, TOPICS, Q

COURSE_SLUG = "counting-and-results-protocol"
PUBLIC_COURSE_SLUG = "your-first-vote"


def demo_key(name: str) -> UUID:
    """A fixed translation key for a demo object, so that seeding again finds it."""
    return uuid5(NAMESPACE_URL, f"https://saylau.academy/demo/quizzes/{name}")


@dataclass
class QuizzesSummary:
    added: Counter

    def __str__(self) -> str:
        return (
            "Quizzes: "
            + (
                ", ".join(f"{count} {what}" for what, count in sorted(self.added.items()))
                or "nothing to add"
            )
            + "."
        )


def _topic(slug: str, locales: dict[str, Locale], added: Counter) -> dict[str, Topic]:
    names = {**TOPICS, **civic.TOPICS}
    key = demo_key(f"topic/{slug}")
    topics = {}
    for index, language in enumerate(("kk", "ru")):
        topic = Topic.objects.filter(translation_key=key, locale=locales[language]).first()
        if topic is None:
            topic = Topic.objects.create(
                translation_key=key, locale=locales[language], name=names[slug][index]
            )
            added[f"topics ({language})"] += 1
        topics[language] = topic
    return topics


def _question(q: Q, topics: dict, locales: dict[str, Locale], added: Counter) -> Question:
    key = demo_key(f"question/{q.slug}")
    kazakh = Question.objects.filter(translation_key=key, locale=locales["kk"]).first()
    if kazakh is None:
        kazakh = Question(
            translation_key=key,
            locale=locales["kk"],
            topic=topics["kk"],
            kind=q.kind,
            text=f"<p>{q.kk}</p>",
            explanation=f"<p>{q.explanation_kk}</p>",
            partial_credit=q.partial,
            numeric_answer=Decimal(q.number) if q.number is not None else None,
            numeric_tolerance=Decimal(q.tolerance),
            positions=list(q.positions),
        )
        kazakh.choices = [
            Choice(
                translation_key=demo_key(f"question/{q.slug}/choice/{order}"),
                locale=locales["kk"],
                text=choice.kk,
                is_correct=choice.correct,
                match_text=choice.match_kk,
                feedback=choice.feedback_kk,
                sort_order=order,
            )
            for order, choice in enumerate(q.choices)
        ]
        kazakh.save()
        added["questions (kk)"] += 1
    if kazakh.get_translation_or_none(locales["ru"]) is None:
        russian = kazakh.copy_for_translation(locales["ru"])
        russian.topic = topics["ru"]
        russian.text = f"<p>{q.ru}</p>"
        russian.explanation = f"<p>{q.explanation_ru}</p>"
        texts = {demo_key(f"question/{q.slug}/choice/{i}"): c for i, c in enumerate(q.choices)}
        for choice in russian.choices.all():
            source = texts[choice.translation_key]
            choice.text = source.ru
            choice.match_text = source.match_ru
            choice.feedback = source.feedback_ru
        russian.save()
        added["questions (ru)"] += 1
    return kazakh


QUIZZES = {
    "entry": {
        "slug": "entry-test",
        "kk": (
            "Кіріс тесті",
            "Курсты бастамас бұрын өзіңізді тексеріңіз: нәтиже бағаға әсер "
            "етпейді, ол не нәрсеге көңіл бөлу керегін көрсетеді.",
        ),
        "ru": (
            "Входной тест",
            "Проверьте себя перед курсом: результат не влияет на оценку, он "
            "показывает, на что обратить внимание.",
        ),
        "fields": {
            "kind": QuizPage.Kind.ENTRY,
            "is_required": False,
            "pass_mark": 80,
            "attempts_allowed": 0,
            "wait_minutes": 0,
            "review": QuizPage.Review.FULL,
        },
        "first": True,
        "draws": {"opening": 1, "voting": 1, "counting": 2, "protocol": 1},
        "fixed": (),
    },
    "final": {
        "slug": "final-test",
        "kk": (
            "Қорытынды тест",
            "Курсты аяқтау үшін қорытынды тесттен кемінде 80% жинау керек. Үш талпыныс беріледі.",
        ),
        "ru": (
            "Итоговый тест",
            "Чтобы завершить курс, наберите в итоговом тесте не менее 80%. Даётся три попытки.",
        ),
        "fields": {
            "kind": QuizPage.Kind.FINAL,
            "is_required": True,
            "pass_mark": 80,
            "attempts_allowed": 3,
            "wait_minutes": 0,
            "review": QuizPage.Review.WRONG,
        },
        "first": False,
        "draws": {"opening": 2, "voting": 2, "counting": 3, "protocol": 2},
        "fixed": ("counting-order", "protocol-signers"),
    },
}


PUBLIC_QUIZZES = {
    "final": {
        "slug": "final-test",
        "kk": (
            "Қорытынды тест",
            "Курсты аяқтап, сертификат алу үшін кемінде 70% жинаңыз. Талпыныс саны шектелмеген.",
        ),
        "ru": (
            "Итоговый тест",
            "Наберите не менее 70%, чтобы завершить курс и получить сертификат. Число попыток не "
            "ограничено.",
        ),
        "fields": {
            "kind": QuizPage.Kind.FINAL,
            "is_required": True,
            "pass_mark": 70,
            "attempts_allowed": 0,
            "wait_minutes": 0,
            "review": QuizPage.Review.FULL,
        },
        "first": False,
        "draws": {"civic": 5},
        "fixed": (),
    },
}


def _quiz(
    course: CoursePage,
    spec: dict,
    topics: dict,
    questions: dict[str, Question],
    locales: dict[str, Locale],
    added: Counter,
) -> QuizPage:
    quiz = course.get_children().filter(slug=spec["slug"]).specific().first()
    if quiz is None:
        title, intro = spec["kk"]
        quiz = QuizPage(title=title, slug=spec["slug"], intro=f"<p>{intro}</p>", **spec["fields"])
        rules = [
            QuizRule(section="", question=questions[slug], sort_order=order)
            for order, slug in enumerate(spec["fixed"])
        ]
        rules += [
            QuizRule(topic=topics[topic]["kk"], count=count, sort_order=len(rules) + order)
            for order, (topic, count) in enumerate(spec["draws"].items())
        ]
        quiz.rules = rules
        first = course.get_first_child()
        course.add_child(instance=quiz)
        if spec["first"] and first is not None:
            quiz.move(first, pos="left")  # the entry test comes before the first module
            quiz.refresh_from_db()
        quiz.save_revision().publish()
        added["quizzes (kk)"] += 1
    if quiz.get_translation_or_none(locales["ru"]) is None:
        russian = quiz.copy_for_translation(locales["ru"], copy_parents=True)
        russian.title = russian.draft_title = spec["ru"][0]
        russian.intro = f"<p>{spec['ru'][1]}</p>"
        russian.save_revision().publish()
        added["quizzes (ru)"] += 1
    return quiz


@transaction.atomic
def demo_seed() -> QuizzesSummary:
    """The demo bank in Kazakh and Russian, the entry and final tests of the counting course and
    the final test of the public course."""
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    added: Counter = Counter()
    topics = {slug: _topic(slug, locales, added) for slug in (*TOPICS, *civic.TOPICS)}
    questions = {
        q.slug: _question(q, topics[q.topic], locales, added)
        for q in (*QUESTIONS, *civic.QUESTIONS)
    }
    course = (
        CoursePage.objects.filter(slug=COURSE_SLUG, locale=locales["kk"]).first()
        if "kk" in locales
        else None
    )
    if course is not None:
        for spec in QUIZZES.values():
            _quiz(course, spec, topics, questions, locales, added)
    public_course = (
        CoursePage.objects.filter(slug=PUBLIC_COURSE_SLUG, locale=locales["kk"]).first()
        if "kk" in locales
        else None
    )
    if public_course is not None:
        for spec in PUBLIC_QUIZZES.values():
            _quiz(public_course, spec, topics, questions, locales, added)
    return QuizzesSummary(added)


__all__ = ["demo_key", "demo_seed"]
