"""The quizzes of a course as its outline shows them (registered with the courses outline in
``QuizzesConfig.ready``): each live quiz of the course's canonical tree, in tree order among the
lessons, with the learner's status in it."""

from collections import defaultdict
from uuid import UUID

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _

from wagtail.models import Page

from courses import page_cache
from courses.models import Enrollment
from courses.selectors import CourseStructure
from courses.selectors.outline import ActivityNode

from ..models import Attempt, QuizPage
from .standing import graded_result

STEP = Page.steplen


def quiz_outline_entries(
    *, structure: CourseStructure, enrollment: Enrollment | None
) -> list[ActivityNode]:
    """The course's live quizzes with the learner's status: the quizzes (with their parent and the
    page before each) from the course pages' cache, else one query; one query for the enrolment's
    attempts, whatever their number."""
    quizzes = page_cache.cached(
        None, "quiz-outline", structure.url_path, build=lambda: _course_quizzes(structure)
    )
    if not quizzes:
        return []
    attempts = defaultdict(list)
    if enrollment is not None and enrollment.pk is not None:
        keys = [quiz["translation_key"] for quiz in quizzes]
        for attempt in Attempt.objects.filter(enrollment=enrollment, quiz_key__in=keys):
            attempts[attempt.quiz_key].append(attempt)
    kinds = dict(QuizPage.Kind.choices)
    entries = []
    for quiz in quizzes:
        mine = attempts.get(quiz["translation_key"], [])
        result = graded_result(mine, quiz["grading"])
        passed = bool(result and result.passed)
        if passed:
            status = _("Passed")
        elif result is not None:
            status = _("Not passed yet")
        elif mine:
            status = _("In progress")
        else:
            status = _("Not started")
        parent: UUID | None = quiz["parent_key"]
        entries.append(
            ActivityNode(
                key=quiz["translation_key"],
                title=quiz["title"],
                url_path=quiz["url_path"],
                kind_label=str(kinds.get(quiz["kind"], quiz["kind"])),
                status=str(status),
                is_required=quiz["is_required"],
                is_done=passed,
                module_key=None if parent == structure.course_key else parent,
                after_key=quiz["previous_key"],
            )
        )
    return entries


def _course_quizzes(structure: CourseStructure) -> list[dict]:
    """The live quizzes of the course's canonical tree in tree order, each with the key of its
    parent and of the live page before it: one query. The same for every learner."""
    parent_key = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    ).values("translation_key")[:1]
    previous_key = (
        Page.objects.live()
        .filter(
            depth=OuterRef("depth"),
            path__lt=OuterRef("path"),
            path__gt=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP),
        )
        .order_by("-path")
        .values("translation_key")[:1]
    )
    return list(
        QuizPage.objects.live()
        .filter(url_path__startswith=structure.url_path)
        .annotate(parent_key=Subquery(parent_key), previous_key=Subquery(previous_key))
        .order_by("path")
        .values(
            "translation_key",
            "title",
            "url_path",
            "kind",
            "is_required",
            "grading",
            "parent_key",
            "previous_key",
        )
    )
