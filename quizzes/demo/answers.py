"""Full-marks answers to an attempt, for demo data and tests (the server's own answer key; no
page or API ever calls this)."""

from ..models import Choice, Question


def full_marks_answers(attempt) -> dict:
    """The answers, in the form's shape, that score full marks on ``attempt``, read from the
    bank: for the demo's learners who complete a course, and for the tests. Never for a page."""
    answers = {}
    for item in attempt.questions:
        question = Question.objects.filter(translation_key=item["key"]).order_by("pk").first()
        if question is None:
            continue
        choices = list(Choice.objects.filter(question=question).order_by("sort_order"))
        keys = [str(c.translation_key) for c in choices]
        kind = item["kind"]
        if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
            answers[item["key"]] = next(str(c.translation_key) for c in choices if c.is_correct)
        elif kind == Question.Kind.MULTIPLE:
            answers[item["key"]] = [str(c.translation_key) for c in choices if c.is_correct]
        elif kind == Question.Kind.NUMERIC:
            answers[item["key"]] = str(question.numeric_answer)
        elif kind == Question.Kind.SHORT_TEXT:
            answers[item["key"]] = next(c.text for c in choices if c.is_correct)
        elif kind == "ordering":
            answers[item["key"]] = {key: place for place, key in enumerate(keys, start=1)}
        elif kind == "matching":
            answers[item["key"]] = {key: str(item["targets"].index(key) + 1) for key in keys}
    return answers
