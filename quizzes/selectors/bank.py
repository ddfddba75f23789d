"""The bank as drawing and grading read it: a quiz's rules, the questions they may draw, the
choice keys of the drawn ones, and the questions as grading needs them."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from ..drawing import BankQuestion, Rule, Shortfall, shortfalls
from ..grading import GradingChoice, GradingQuestion
from ..models import Choice, Question, QuizPage, QuizRule
from .languages import canonical_rows

# The quiz's rules and the bank ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSet:
    """A quiz's rules as the draw reads them (from its canonical page), and the section titles
    of the page in the learner's language, by canonical title."""

    rules: tuple[Rule, ...]
    section_titles: Mapping[str, str] = field(default_factory=dict)


def quiz_rules(*, quiz: QuizPage, language: str | None = None) -> RuleSet:
    """The rules of the quiz's canonical (default-language, live) page, so that learners in every
    language draw from the same rules: one query."""
    language = language or quiz.locale.language_code
    rows = list(
        QuizRule.objects.filter(quiz__translation_key=quiz.translation_key)
        .filter(Q(quiz__live=True) | Q(quiz_id=quiz.pk))
        .order_by("quiz_id", "sort_order", "pk")
        .values(
            "quiz_id",
            "section",
            "question__translation_key",
            "topic__translation_key",
            "position",
            "count",
            "quiz__locale__language_code",
        )
    )
    by_page: dict[int, list[dict]] = defaultdict(list)
    languages: dict[int, str] = {}
    for row in rows:
        by_page[row["quiz_id"]].append(row)
        languages[row["quiz_id"]] = row["quiz__locale__language_code"]
    if not by_page:
        return RuleSet(rules=())
    canonical_id = next(
        (pk for pk, code in languages.items() if code == settings.LANGUAGE_CODE), min(by_page)
    )
    canonical = by_page[canonical_id]
    local = next((by_page[pk] for pk, code in languages.items() if code == language), canonical)
    titles = {}
    if len(local) == len(canonical):
        titles = {c["section"]: mine["section"] for c, mine in zip(canonical, local, strict=True)}
    return RuleSet(
        rules=tuple(
            Rule(
                section=row["section"],
                question_key=_str(row["question__translation_key"]),
                topic_key=_str(row["topic__translation_key"]),
                position=row["position"],
                count=row["count"],
            )
            for row in canonical
        ),
        section_titles=titles,
    )


def _str(value) -> str | None:
    return None if value is None else str(value)


def draw_bank(*, rules: Sequence[Rule]) -> dict[str, BankQuestion]:
    """The questions the rules may draw from (their topics' questions and the fixed ones), by
    key: one query."""
    topic_keys = {rule.topic_key for rule in rules if rule.topic_key}
    fixed_keys = {rule.question_key for rule in rules if rule.question_key}
    if not topic_keys and not fixed_keys:
        return {}
    rows = (
        Question.objects.filter(
            Q(topic__translation_key__in=topic_keys) | Q(translation_key__in=fixed_keys)
        )
        .order_by("pk")
        .values(
            "translation_key",
            "kind",
            "topic__translation_key",
            "positions",
            "locale__language_code",
        )
    )
    return {
        str(key): BankQuestion(
            key=str(key),
            kind=row["kind"],
            topic_key=str(row["topic__translation_key"]),
            positions=tuple(row["positions"] or ()),
        )
        for key, row in canonical_rows(rows).items()
    }


def choice_keys(*, question_keys: Iterable[str]) -> dict[str, list[str]]:
    """Each question's choice keys in the editors' order, from its canonical version: one
    query."""
    keys = set(question_keys)
    if not keys:
        return {}
    rows = (
        Choice.objects.filter(question__translation_key__in=keys)
        .order_by("question_id", "sort_order", "pk")
        .values(
            "translation_key",
            "question_id",
            "question__translation_key",
            "question__locale__language_code",
        )
    )
    versions: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    version_language: dict[int, str] = {}
    for row in rows:
        versions[str(row["question__translation_key"])][row["question_id"]].append(
            str(row["translation_key"])
        )
        version_language[row["question_id"]] = row["question__locale__language_code"]
    result = {}
    for key, by_version in versions.items():
        chosen = next(
            (pk for pk in sorted(by_version) if version_language[pk] == settings.LANGUAGE_CODE),
            min(by_version),
        )
        result[key] = by_version[chosen]
    return result


@dataclass(frozen=True)
class GradingBank:
    """The bank as grading reads it, with each question's topic key."""

    questions: dict[str, GradingQuestion]
    topics: dict[str, str]


def grading_bank(*, question_keys: Iterable[str]) -> GradingBank:
    """The questions an attempt drew, as they are now in the bank: two queries. Structure comes
    from the canonical version; a short text question accepts its correct answers in every
    language it is written in."""
    keys = set(question_keys)
    if not keys:
        return GradingBank({}, {})
    question_rows = list(
        Question.objects.filter(translation_key__in=keys)
        .order_by("pk")
        .values(
            "pk",
            "translation_key",
            "kind",
            "partial_credit",
            "numeric_answer",
            "numeric_tolerance",
            "case_sensitive",
            "topic__translation_key",
            "locale__language_code",
        )
    )
    canonical = canonical_rows(question_rows)
    choice_rows = (
        Choice.objects.filter(question_id__in=[row["pk"] for row in question_rows])
        .order_by("sort_order", "pk")
        .values("question_id", "translation_key", "text", "is_correct", "match_text")
    )
    key_of = {row["pk"]: row["translation_key"] for row in question_rows}
    canonical_ids = {row["pk"] for row in canonical.values()}
    choices: dict = defaultdict(list)
    accepted: dict = defaultdict(list)
    for row in choice_rows:
        key = key_of[row["question_id"]]
        if row["question_id"] in canonical_ids:
            choices[key].append(
                GradingChoice(
                    key=str(row["translation_key"]),
                    is_correct=row["is_correct"],
                    match_text=row["match_text"],
                )
            )
        if row["is_correct"]:
            accepted[key].append(row["text"])
    questions = {
        str(key): GradingQuestion(
            key=str(key),
            kind=row["kind"],
            choices=tuple(choices[key]),
            partial_credit=row["partial_credit"],
            numeric_answer=row["numeric_answer"],
            numeric_tolerance=row["numeric_tolerance"] or Decimal(0),
            case_sensitive=row["case_sensitive"],
            accepted_texts=tuple(accepted[key]),
        )
        for key, row in canonical.items()
    }
    topics = {str(key): str(row["topic__translation_key"]) for key, row in canonical.items()}
    return GradingBank(questions, topics)


def draw_shortfalls(*, quiz: QuizPage) -> list[Shortfall]:
    """The quiz's rules that cannot draw as many questions as they ask for (a fixed question
    gone from the bank, or a topic with too few questions for the position): two queries. The
    quiz admin warns with these; an attempt takes what there is."""
    rules = quiz_rules(quiz=quiz).rules
    return shortfalls(rules=rules, bank=draw_bank(rules=rules))
