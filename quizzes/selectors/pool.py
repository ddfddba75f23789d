"""A quiz's question pool, read from the database once per change of the bank and kept in the
cache for the attempts that start, show and grade it.

Every attempt at a quiz reads the same rows: the quiz's rules, the questions they may draw with
their choices, the questions as grading needs them, and their texts in the learner's language.
At a seminar's start thousands of learners read them within minutes, so they are read once and
kept in Django's cache (Redis in production, shared by every web process and worker), each entry
under the bank's current *generation*. Any save or delete of a question, choice, topic or rule,
and any publish, unpublish, move or delete of a quiz page, moves the generation on
(``bank_changed``, connected in ``QuizzesConfig.ready``), so the next request everywhere reads
the bank afresh; entries of past generations are never read again and expire. Only on when every
process shares the cache (``CACHE_IS_SHARED``: Redis in production); otherwise every call reads
the database. See docs/decisions/0007-quiz-pool-cache.md.

The uncached selectors in ``bank.py`` and ``display.py`` stay the source of truth; this module
only remembers their answers. A question drawn before its quiz's rules changed (no longer in the
pool) is read from the database, so open attempts keep grading and showing exactly as before.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from threading import Lock
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from ..drawing import BankQuestion
from ..models import QuizPage
from .bank import GradingBank, RuleSet, choice_keys, draw_bank, grading_bank, quiz_rules
from .texts import QuestionTexts, question_texts

GENERATION_KEY = "quizzes:bank-generation"
TIMEOUT = 6 * 60 * 60  # seconds; a generation's entries are dropped by then at the latest


def bank_generation() -> str:
    """The bank's current generation (made on first use)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or uuid4().hex
    return generation


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)


def bank_changed(**kwargs) -> None:
    """Signal receiver: the bank or a quiz changed. The generation moves on at once (for the
    rest of this transaction) and again when the transaction commits, so that a request that
    read the old rows while it was open cannot leave them in the cache for the new
    generation."""
    _new_generation()
    transaction.on_commit(_new_generation)


# The entries this process has read lately, by their cache key (which holds the generation, so an
# entry here is as current as the shared one): unpickling a 60-question pool from Redis on each
# request cost more than grading it. Values are shared between requests and never modified.
_LOCAL: OrderedDict[str, object] = OrderedDict()
_LOCAL_SIZE = 256
_LOCAL_LOCK = Lock()


def _cached(name: str, parts: Iterable, compute: Callable):
    if not settings.CACHE_IS_SHARED:
        return compute()
    key = ":".join(["quizzes", name, bank_generation(), *map(str, parts)])
    with _LOCAL_LOCK:
        if key in _LOCAL:
            _LOCAL.move_to_end(key)
            return _LOCAL[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    with _LOCAL_LOCK:
        _LOCAL[key] = value
        while len(_LOCAL) > _LOCAL_SIZE:
            _LOCAL.popitem(last=False)
    return value


@dataclass(frozen=True)
class Pool:
    """What an attempt at a quiz may draw: the questions by key, and each one's choice keys in
    the editors' order."""

    bank: dict[str, BankQuestion]
    choices: dict[str, list[str]]


def pool_rules(*, quiz: QuizPage, language: str | None = None) -> RuleSet:
    """``quiz_rules``, from the cache."""
    return _cached(
        "rules",
        (quiz.translation_key, quiz.pk, language or f"locale-{quiz.locale_id}"),
        lambda: quiz_rules(quiz=quiz, language=language),
    )


def quiz_pool(*, quiz: QuizPage) -> Pool:
    """The questions the quiz's rules may draw and their choice keys, from the cache."""

    def compute() -> Pool:
        rules = pool_rules(quiz=quiz).rules
        bank = draw_bank(rules=rules)
        return Pool(bank=bank, choices=choice_keys(question_keys=bank))

    return _cached("pool", (quiz.translation_key, quiz.pk), compute)


def pool_grading_bank(*, quiz: QuizPage | None, question_keys: Iterable[str]) -> GradingBank:
    """``grading_bank`` for some of a quiz's questions: the quiz's whole pool from the cache, and
    any question no longer in it (or every one, without a quiz page) from the database."""
    keys = {str(key) for key in question_keys}
    if quiz is None:
        return grading_bank(question_keys=keys)
    pooled: GradingBank = _cached(
        "grading",
        (quiz.translation_key, quiz.pk),
        lambda: grading_bank(question_keys=quiz_pool(quiz=quiz).bank),
    )
    missing = keys - pooled.questions.keys()
    extra = grading_bank(question_keys=missing) if missing else GradingBank({}, {})
    questions = {**{k: v for k, v in pooled.questions.items() if k in keys}, **extra.questions}
    topics = {**{k: v for k, v in pooled.topics.items() if k in keys}, **extra.topics}
    return GradingBank(questions=questions, topics=topics)


def pool_question_texts(
    *, quiz: QuizPage | None, keys: Iterable[str], language: str
) -> QuestionTexts:
    """``question_texts`` for some of a quiz's questions in ``language``: the pool's from the
    cache, and any question no longer in it (or every one, without a quiz page) from the
    database."""
    keys = {str(key) for key in keys}
    if quiz is None:
        return question_texts(keys=keys, language=language)
    pooled: QuestionTexts = _cached(
        "texts",
        (quiz.translation_key, quiz.pk, language),
        lambda: question_texts(keys=quiz_pool(quiz=quiz).bank, language=language),
    )
    missing = keys - pooled.questions.keys()
    extra = question_texts(keys=missing, language=language) if missing else QuestionTexts({}, {})
    questions = {**{k: v for k, v in pooled.questions.items() if k in keys}, **extra.questions}
    choices = {**{k: v for k, v in pooled.choices.items() if k in keys}, **extra.choices}
    return QuestionTexts(questions=questions, choices=choices)


def required_quiz_gradings(*, course_url_path: str) -> dict:
    """The live quizzes marked "required for the course" under a course's page, each with its
    grading method, by quiz key; from the cache."""
    return _cached(
        "required",
        (course_url_path,),
        lambda: dict(
            QuizPage.objects.live()
            .filter(url_path__startswith=course_url_path, is_required=True)
            .values_list("translation_key", "grading")
        ),
    )
