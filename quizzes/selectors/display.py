"""Attempts as the learner sees them: the questions of an open attempt (with nothing that says
which answer is correct), the review after submitting, and remediation after a fail."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from courses.models import ModulePage
from courses.selectors import course_outline, course_structure

from ..drawing import shown_questions
from ..grading import CHOICE_KINDS, Shown, opaque_target
from ..models import Attempt, QuizPage, Topic
from .languages import current_language, preferred_rows
from .pool import pool_question_texts
from .standing import course_of
from .texts import question_texts

# An attempt as the learner sees it -------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One option, step or left item of a question: the value the form sends, and its text."""

    value: str
    text: str
    lang: str = ""


@dataclass(frozen=True)
class QuestionView:
    """A drawn question as the attempt page shows it. It holds nothing about which answer is
    correct: the page cannot leak what it is never given."""

    number: int
    key: str
    kind: str
    section: str
    text: str
    language: str  # the language of this question's text
    options: tuple[Option, ...] = ()  # choices, steps or left items, in the order shown
    targets: tuple[Option, ...] = ()  # matching: the right-hand items, with opaque values
    answer: object = None  # the learner's saved answer, in the page's terms
    void: bool = False  # deleted from the bank since the draw

    @property
    def field_name(self) -> str:
        return f"q_{self.key}"

    @property
    def positions(self) -> range:
        return range(1, len(self.options) + 1)

    @property
    def is_answered(self) -> bool:
        return self.answer not in (None, "", [], {})


def _displayed_answer(shown: Shown, stored):
    """A stored answer in the page's terms (matching: opaque right-hand ids)."""
    if shown.kind == "matching" and isinstance(stored, Mapping):
        return {left: opaque_target(shown, target) for left, target in stored.items()}
    return stored


def attempt_questions(
    *,
    attempt: Attempt,
    quiz: QuizPage | None = None,
    language: str | None = None,
    section_titles: Mapping[str, str] = (),
) -> list[QuestionView]:
    """The attempt's questions in the order drawn, in the learner's language where translated,
    with the learner's saved answers: the texts of ``quiz``'s pool from the cache (``pool.py``),
    or two queries."""
    language = language or current_language()
    shown = shown_questions(attempt.questions)
    texts = pool_question_texts(quiz=quiz, keys=[item.key for item in shown], language=language)
    section_titles = dict(section_titles)
    views = []
    for number, (item, stored) in enumerate(zip(shown, attempt.questions, strict=True), start=1):
        row = texts.questions.get(item.key)
        section = section_titles.get(stored.get("section", ""), stored.get("section", ""))
        if row is None:
            views.append(
                QuestionView(number, item.key, item.kind, section, "", language, void=True)
            )
            continue
        choices = texts.choices.get(item.key, {})
        lang = row["locale__language_code"]
        options = tuple(
            Option(value=key, text=choices[key]["text"], lang=lang)
            for key in item.choices
            if key in choices
        )
        targets = []
        seen_texts = set()
        for place, key in enumerate(item.targets, start=1):
            if key not in choices:
                continue
            text = choices[key]["match_text"]
            if text in seen_texts:  # two items with the same match: offer it once
                continue
            seen_texts.add(text)
            targets.append(Option(value=str(place), text=text, lang=lang))
        views.append(
            QuestionView(
                number=number,
                key=item.key,
                kind=item.kind,
                section=section,
                text=row["text"],
                language=lang,
                options=options,
                targets=tuple(targets),
                answer=_displayed_answer(item, attempt.answers.get(item.key)),
            )
        )
    return views


# Review after submitting (built only for the result page, as the quiz's policy allows) ---------


@dataclass(frozen=True)
class ReviewOption:
    text: str
    picked: bool
    is_correct: bool | None  # None when the policy does not reveal it
    feedback: str = ""
    place: int | None = None  # ordering: the place the learner gave
    correct_place: int | None = None
    picked_match: str = ""  # matching: what the learner matched it with
    correct_match: str = ""


@dataclass(frozen=True)
class ReviewItem:
    number: int
    kind: str
    text: str
    language: str
    score: Decimal | None  # None: void
    options: tuple[ReviewOption, ...] = ()
    answer_text: str = ""  # numeric and short text: what the learner wrote
    correct_text: str = ""  # numeric and short text, full review only
    explanation: str = ""
    full: bool = False

    @property
    def is_correct(self) -> bool:
        return self.score is not None and self.score == 1

    @property
    def is_partly_correct(self) -> bool:
        return self.score is not None and 0 < self.score < 1


def attempt_review(
    *, attempt: Attempt, full: bool, language: str | None = None
) -> list[ReviewItem]:
    """The attempt's questions with what the learner answered and how each scored; with
    ``full``, the correct answers, feedback and explanations too: three queries."""
    language = language or current_language()
    shown = shown_questions(attempt.questions)
    texts = question_texts(
        keys=[item.key for item in shown],
        language=language,
        extra=("explanation", "numeric_answer", "numeric_tolerance"),
    )
    items = []
    for number, item in enumerate(shown, start=1):
        row = texts.questions.get(item.key)
        result = attempt.results.get(item.key, {})
        score = None if result.get("void") or row is None else Decimal(result.get("score", "0"))
        if row is None:
            items.append(ReviewItem(number, item.kind, "", language, None))
            continue
        choices = texts.choices.get(item.key, {})
        answer = attempt.answers.get(item.key)
        options, answer_text, correct_text = _review_options(
            item=item, choices=choices, answer=answer, full=full
        )
        if full and item.kind == "numeric" and row.get("numeric_answer") is not None:
            correct_text = _number_text(row["numeric_answer"], row.get("numeric_tolerance"))
        items.append(
            ReviewItem(
                number=number,
                kind=item.kind,
                text=row["text"],
                language=row["locale__language_code"],
                score=score,
                options=options,
                answer_text=answer_text,
                correct_text=correct_text,
                explanation=row.get("explanation", "") if full else "",
                full=full,
            )
        )
    return items


def _number_text(value: Decimal, tolerance: Decimal | None) -> str:
    text = format(value.normalize(), "f")
    if tolerance:
        text += " ± " + format(tolerance.normalize(), "f")
    return text


def _review_options(*, item: Shown, choices: Mapping[str, dict], answer, full: bool):
    kind = item.kind
    options: list[ReviewOption] = []
    answer_text = correct_text = ""
    if kind in CHOICE_KINDS:
        picked = set(answer if isinstance(answer, list) else [answer] if answer else [])
        for key in item.choices:
            choice = choices.get(key)
            if choice is None:
                continue
            options.append(
                ReviewOption(
                    text=choice["text"],
                    picked=key in picked,
                    is_correct=choice["is_correct"] if full else None,
                    feedback=choice["feedback"] if full and key in picked else "",
                )
            )
    elif kind == "numeric":
        answer_text = answer or ""
    elif kind == "short_text":
        answer_text = answer or ""
        if full:
            correct_text = " / ".join(c["text"] for c in choices.values() if c["is_correct"])
    elif kind == "ordering":
        places = answer if isinstance(answer, Mapping) else {}
        order = list(choices)  # editors' order: the correct one
        for key in item.choices:
            if key not in choices:
                continue
            options.append(
                ReviewOption(
                    text=choices[key]["text"],
                    picked=key in places,
                    is_correct=(places.get(key) == order.index(key) + 1) if full else None,
                    place=places.get(key),
                    correct_place=order.index(key) + 1 if full else None,
                )
            )
    elif kind == "matching":
        pairs = answer if isinstance(answer, Mapping) else {}
        for key in item.choices:
            if key not in choices:
                continue
            picked = choices.get(pairs.get(key, ""), {})
            right = picked.get("match_text", "") == choices[key]["match_text"]
            options.append(
                ReviewOption(
                    text=choices[key]["text"],
                    picked=bool(picked),
                    is_correct=right if full else None,
                    picked_match=picked.get("match_text", ""),
                    correct_match=choices[key]["match_text"] if full else "",
                )
            )
    return tuple(options), answer_text, correct_text


# Remediation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemediationLink:
    title: str
    url: str
    module: str = ""


@dataclass(frozen=True)
class Remediation:
    """What to read again after a failed attempt: the topics of the missed questions, and the
    lessons on them."""

    topics: tuple[str, ...]
    lessons: tuple[RemediationLink, ...]
    matched_topics: bool  # True: the lessons were found by topic; False: the quiz's module(s)


def remediation(*, attempt: Attempt, quiz: QuizPage, request=None) -> Remediation:
    """The lessons to read again after a failed attempt.

    The rule, simple and honest: the *missed topics* are the topics of the questions not fully
    right. A lesson is suggested when its title, or its module's title, names a missed topic (its
    name in the learner's language or the canonical one, ignoring case). When no title names one,
    the lessons of the module the quiz sits in are suggested; for a quiz at the course level, the
    lessons of every module. Five to seven queries.
    """
    language = current_language()
    missed_topic_keys = {
        result.get("topic")
        for result in attempt.results.values()
        if not result.get("void") and Decimal(result.get("score", "0")) < 1 and result.get("topic")
    }
    names: dict[str, set[str]] = defaultdict(set)
    shown_names: dict[str, str] = {}
    if missed_topic_keys:
        rows = list(
            Topic.objects.filter(translation_key__in=missed_topic_keys)
            .order_by("pk")
            .values("translation_key", "name", "locale__language_code")
        )
        for row in rows:
            names[str(row["translation_key"])].add(row["name"].casefold().strip())
        shown_names = {
            str(key): row["name"] for key, row in preferred_rows(rows, language=language).items()
        }
    course = course_of(quiz)
    if course is None:
        return Remediation(tuple(sorted(shown_names.values())), (), False)
    structure = course_structure(course_key=course.translation_key)
    if structure is None:
        return Remediation(tuple(sorted(shown_names.values())), (), False)
    outline = course_outline(structure=structure, request=request, language=language)
    wanted = {name for group in names.values() for name in group if name}

    def names_topic(*titles: str) -> bool:
        lowered = " ".join(titles).casefold()
        return any(name in lowered for name in wanted)

    links = []
    for node, module in zip(structure.modules, outline.modules, strict=True):
        for lesson_node, lesson in zip(node.lessons, module.lessons, strict=True):
            if names_topic(lesson.shown.title, lesson_node.title, module.shown.title, node.title):
                links.append(
                    RemediationLink(lesson.shown.title, lesson.shown.url, module.shown.title)
                )
    matched = bool(links)
    if not links:
        home = ModulePage.objects.ancestor_of(quiz).values_list("translation_key", flat=True)
        home_keys = set(home)
        for module in outline.modules:
            if home_keys and module.key not in home_keys:
                continue
            links.extend(
                RemediationLink(lesson.shown.title, lesson.shown.url, module.shown.title)
                for lesson in module.lessons
            )
    return Remediation(tuple(sorted(shown_names.values())), tuple(links), matched)
