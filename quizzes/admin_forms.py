"""Forms of the question bank admin and the checks a trainer sees while building a quiz.

A question is checked against its kind before it is saved (a single choice question with two
correct choices would grade every learner wrong); a quiz whose random draws ask for more questions
than the bank holds is pointed out after saving.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .drawing import Rule, shortfalls
from .models import Question, QuizPage, QuizRule, Topic
from .selectors import draw_bank

CHOICE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.TRUE_FALSE}

TOO_FEW_CHOICES = {
    Question.Kind.SINGLE: _("A single choice question needs at least two choices."),
    Question.Kind.TRUE_FALSE: _("A true or false question needs two choices: true and false."),
    Question.Kind.MULTIPLE: _("A multiple choice question needs at least two choices."),
    Question.Kind.ORDERING: _("An ordering question needs at least two steps to put in order."),
    Question.Kind.MATCHING: _("A matching question needs at least two pairs."),
}
ONE_CORRECT = {
    Question.Kind.SINGLE: ngettext_lazy(
        "A single choice question needs exactly one correct choice; %(count)d is marked correct.",
        "A single choice question needs exactly one correct choice; %(count)d are marked correct.",
        "count",
    ),
    Question.Kind.TRUE_FALSE: ngettext_lazy(
        "A true or false question needs exactly one correct choice; %(count)d is marked correct.",
        "A true or false question needs exactly one correct choice; %(count)d are marked correct.",
        "count",
    ),
}
NO_CORRECT_MULTIPLE = _("A multiple choice question needs at least one choice marked correct.")
NO_ACCEPTED_ANSWER = _(
    "A short text question needs at least one accepted answer: add it as a choice marked correct."
)
NO_NUMBER = _("A number question needs the correct number.")
NO_MATCH = _("Every pair of a matching question needs the text it matches.")


@dataclass(frozen=True)
class Problem:
    """Why a question cannot be saved; ``field`` names a form field, ``choice`` a choice row."""

    message: str
    field: str | None = None
    choice: int | None = None


def question_problems(
    *, kind: str, choices: Iterable[Mapping], numeric_answer=None
) -> list[Problem]:
    """What keeps a question of this kind with these choices from being graded correctly.

    ``choices`` are the cleaned values of the choice rows that are kept (text, is_correct,
    match_text), in their order.
    """
    choices = list(choices)
    correct = sum(1 for choice in choices if choice.get("is_correct"))
    problems = []
    if kind in TOO_FEW_CHOICES and len(choices) < 2:
        problems.append(Problem(TOO_FEW_CHOICES[kind]))
    if kind in ONE_CORRECT and correct != 1 and choices:
        problems.append(Problem(ONE_CORRECT[kind] % {"count": correct}))
    if kind == Question.Kind.MULTIPLE and choices and not correct:
        problems.append(Problem(NO_CORRECT_MULTIPLE))
    if kind == Question.Kind.SHORT_TEXT and not correct:
        problems.append(Problem(NO_ACCEPTED_ANSWER))
    if kind == Question.Kind.NUMERIC and numeric_answer is None:
        problems.append(Problem(NO_NUMBER, field="numeric_answer"))
    if kind == Question.Kind.MATCHING:
        problems.extend(
            Problem(NO_MATCH, field="match_text", choice=index)
            for index, choice in enumerate(choices)
            if not (choice.get("match_text") or "").strip()
        )
    return problems


KIND_HELP = _(
    "What to enter below, by kind. Single choice, true or false: the choices, exactly one marked "
    "correct. Multiple choice: the choices, at least one marked correct. Number: the correct "
    "number and its tolerance. Short text: each accepted answer as a choice marked correct. Put "
    "in order: the steps, in the correct order. Matching: each item with the text it matches."
)


class QuestionForm(WagtailAdminModelForm):
    """The question editor: refuses a question its kind cannot grade, saying what is missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].help_text = KIND_HELP
        if "positions" in self.fields:
            self.fields["positions"].label = capfirst(self.fields["positions"].label)

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        formset = self.formsets.get("choices")
        # Errors in the choice rows themselves are shown on those rows first.
        if not kind or formset is None or not formset.is_valid():
            return cleaned_data
        # Choice is Orderable, so the formset orders its rows and leaves out deleted ones.
        kept = formset.ordered_forms
        problems = question_problems(
            kind=kind,
            choices=[form.cleaned_data for form in kept],
            numeric_answer=cleaned_data.get("numeric_answer"),
        )
        reported = set()
        for problem in problems:
            if problem.choice is not None:
                kept[problem.choice].add_error(problem.field, problem.message)
            elif problem.field:
                self.add_error(problem.field, problem.message)
                continue
            if problem.message not in reported:
                # Above the form too, so the message at the top of the page says what is wrong.
                reported.add(problem.message)
                self.add_error(None, ValidationError(problem.message, code="question_kind"))
        return cleaned_data


# Quiz authoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawShortfall:
    """A rule of a quiz that cannot give each attempt what it asks for."""

    rule: QuizRule
    wanted: int
    available: int

    @property
    def message(self) -> str:
        if self.rule.question_id:
            return gettext(
                "The fixed question “%(question)s” is in this quiz more than once; attempts show "
                "it once."
            ) % {"question": self.rule.question}
        position = self.rule.get_position_display() or gettext("every position")
        return ngettext(
            "“%(topic)s” for %(position)s: the draw asks for %(count)d questions but the bank "
            "has %(available)d left for it; attempts will get %(available)d.",
            "“%(topic)s” for %(position)s: the draw asks for %(count)d questions but the bank "
            "has %(available)d left for it; attempts will get %(available)d.",
            self.available,
        ) % {
            "topic": self.rule.topic,
            "position": position,
            "count": self.wanted,
            "available": self.available,
        }


def draw_shortfalls(*, quiz: QuizPage) -> list[DrawShortfall]:
    """The rules of a quiz as just edited (saved or in a draft) that cannot draw what they ask
    for, counted as attempts draw (``quizzes.drawing.shortfalls``): fixed questions first, draws
    from one topic sharing its questions, a question counting in whichever languages it is
    written. Three queries."""
    rules = list(quiz.rules.all())
    topic_keys = dict(
        Topic.objects.filter(pk__in={rule.topic_id for rule in rules if rule.topic_id}).values_list(
            "pk", "translation_key"
        )
    )
    question_keys = dict(
        Question.objects.filter(
            pk__in={rule.question_id for rule in rules if rule.question_id}
        ).values_list("pk", "translation_key")
    )
    plain = [
        Rule(
            section=rule.section,
            question_key=_key(question_keys.get(rule.question_id)),
            topic_key=None if rule.question_id else _key(topic_keys.get(rule.topic_id)),
            position=rule.position,
            count=rule.count,
        )
        for rule in rules
    ]
    if not any(rule.question_key or rule.topic_key for rule in plain):
        return []
    return [
        DrawShortfall(rule=rules[found.rule_index], wanted=found.wanted, available=found.available)
        for found in shortfalls(rules=plain, bank=draw_bank(rules=plain))
    ]


def _key(value) -> str | None:
    return None if value is None else str(value)
