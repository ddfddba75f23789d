"""Question and choice texts in the learner's language, as the attempt, review and item
analysis pages show them."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Choice, Question
from .languages import preferred_rows


@dataclass(frozen=True)
class QuestionTexts:
    questions: dict[str, dict]
    choices: dict[str, dict[str, dict]]


def question_texts(
    *, keys: Iterable[str], language: str, extra: Sequence[str] = ()
) -> QuestionTexts:
    """Question and choice texts in ``language`` where translated: two queries."""
    keys = set(keys)
    if not keys:
        return QuestionTexts({}, {})
    rows = (
        Question.objects.filter(translation_key__in=keys)
        .order_by("pk")
        .values("pk", "translation_key", "text", "locale__language_code", *extra)
    )
    chosen = {str(key): row for key, row in preferred_rows(rows, language=language).items()}
    choice_rows = (
        Choice.objects.filter(question_id__in=[row["pk"] for row in chosen.values()])
        .order_by("sort_order", "pk")
        .values("question_id", "translation_key", "text", "match_text", "is_correct", "feedback")
    )
    by_question: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in choice_rows:
        by_question[row["question_id"]][str(row["translation_key"])] = row
    return QuestionTexts(
        questions=chosen,
        choices={key: by_question.get(row["pk"], {}) for key, row in chosen.items()},
    )
