"""Views of the trainers' side of quizzes (wired up in wagtail_hooks.py): the question bank
listings, and item analysis per quiz with its CSV and XLSX exports."""

import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, LocaleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale, Page
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

import django_filters

from commissions.models import Position

from . import exports
from .admin_forms import CHOICE_KINDS
from .models import Attempt, Question, QuestionStat, QuizPage, Topic

QUIZZES_PER_PAGE = 50


# The question bank ---------------------------------------------------------------------------


class TopicChoiceFilter(django_filters.ModelChoiceFilter):
    """A topic and its translations: questions keep the topic they were written under."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(topic__translation_key=value.translation_key)


class QuestionFilterSet(WagtailFilterSet):
    topic = TopicChoiceFilter(
        label=gettext_lazy("Topic"),
        queryset=lambda request: Topic.objects.filter(locale=Locale.get_default()),
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=Question.Kind.choices)
    position = django_filters.ChoiceFilter(
        label=gettext_lazy("For position"),
        choices=Position.choices,
        method="filter_position",
        help_text=gettext_lazy("Questions for everyone are included."),
    )

    class Meta:
        model = Question
        fields = ["topic", "kind", "position"]

    def filter_position(self, queryset, name, value):
        # ``positions`` is a JSON list; its text holds each value in quotes on every database.
        return queryset.filter(Q(positions__icontains=f'"{value}"') | Q(positions=[]))


class TranslatedSnippetIndexView(SnippetIndexView):
    """A translatable snippet listing that says which other languages each row exists in."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("locale")

    def get_table(self, object_list):
        rows = list(object_list)
        languages: dict = {}
        for key, code in self.model.objects.filter(
            translation_key__in={row.translation_key for row in rows}
        ).values_list("translation_key", "locale__language_code"):
            languages.setdefault(key, set()).add(code)
        for row in rows:
            others = languages.get(row.translation_key, set()) - {row.locale.language_code}
            row.translated_into = ", ".join(sorted(code.upper() for code in others)) or "—"
        return super().get_table(rows)


def translations_column():
    return Column("translated_into", label=gettext_lazy("Translated into"))


class TopicIndexView(TranslatedSnippetIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(question_count=Count("questions"))


class QuestionIndexView(TranslatedSnippetIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("topic")


def topic_columns():
    return [
        "name",
        Column("question_count", label=gettext_lazy("Questions"), sort_key="question_count"),
        LocaleColumn(label=gettext_lazy("Language")),
        translations_column(),
    ]


def question_columns():
    return [
        "__str__",
        "topic",
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("positions", label=gettext_lazy("Positions"), accessor=positions_display),
        LocaleColumn(label=gettext_lazy("Language")),
        translations_column(),
        DateColumn("updated_at", label=gettext_lazy("Updated"), sort_key="updated_at"),
    ]


def positions_display(question: Question) -> str:
    labels = dict(Position.choices)
    return ", ".join(str(labels.get(value, value)) for value in question.positions) or _("Everyone")


# Item analysis -------------------------------------------------------------------------------
#
# The rows have the shape of ``quizzes.selectors.item_analysis``: until that selector is in
# place, ``item_analysis`` below reads the running sums itself.

#: A question is flagged when fewer than this share of at least FLAG_MIN_ATTEMPTS attempts got it
#: right: most learners get it wrong.
FLAG_FACILITY_BELOW = 0.3
FLAG_MIN_ATTEMPTS = 10


@dataclass(frozen=True)
class ChoiceShare:
    key: str
    text: str
    is_correct: bool
    count: int
    share: float | None  # of the question's attempts


@dataclass(frozen=True)
class ItemAnalysis:
    """One question's statistics in one quiz, its texts in the admin's language."""

    question_key: str
    text: str  # rich text (HTML)
    kind: str
    topic: str
    attempts: int
    correct: int
    facility: float | None
    discrimination: float | None
    choices: tuple[ChoiceShare, ...]
    flagged: bool


def facility_index(*, n: int, sum_x: float) -> float | None:
    """The mean item score: the share of the question's points the learners earned."""
    return sum_x / n if n else None


def discrimination_index(
    *, n: int, sum_x: float, sum_x2: float, sum_y: float, sum_y2: float, sum_xy: float
) -> float | None:
    """The correlation between the item score and the attempt's score, from the running sums:
    (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)); None when either never varies."""
    spread_x = n * sum_x2 - sum_x**2
    spread_y = n * sum_y2 - sum_y**2
    if n < 2 or spread_x <= 1e-9 * max(1.0, n * sum_x2) or spread_y <= 1e-9 * max(1.0, n * sum_y2):
        return None
    r = (n * sum_xy - sum_x * sum_y) / math.sqrt(spread_x * spread_y)
    return max(-1.0, min(1.0, r))


def _in_language(instances, locale_id: int, fallback_locale_id: int) -> dict:
    """One instance per translation key: in ``locale_id`` if translated, else in the fallback
    locale, else any."""
    rank = {locale_id: 0, fallback_locale_id: 1}
    chosen: dict = {}
    for instance in instances:
        current = chosen.get(instance.translation_key)
        if current is None or rank.get(instance.locale_id, 2) < rank.get(current.locale_id, 2):
            chosen[instance.translation_key] = instance
    return chosen


def item_analysis(*, quiz: QuizPage) -> list[ItemAnalysis]:
    """Per attempted question of the quiz (all its languages together), hardest first; texts in
    the admin's language where translated. Four queries, whatever the number of attempts."""
    stats = list(QuestionStat.objects.filter(quiz_key=quiz.translation_key))
    locale_id = Locale.get_active().pk
    default_id = Locale.get_default().pk
    questions = _in_language(
        Question.objects.filter(translation_key__in=[stat.question_key for stat in stats])
        .order_by("pk")
        .prefetch_related("choices"),
        locale_id,
        default_id,
    )
    topic_key = dict(
        Topic.objects.filter(pk__in={q.topic_id for q in questions.values()}).values_list(
            "pk", "translation_key"
        )
    )
    topics = _in_language(
        Topic.objects.filter(translation_key__in=set(topic_key.values())).order_by("pk"),
        locale_id,
        default_id,
    )
    analysis = []
    for stat in stats:
        question = questions.get(stat.question_key)
        n = stat.attempts
        facility = facility_index(n=n, sum_x=stat.sum_x)
        counts = stat.choice_counts or {}
        choices = ()
        if question is not None and question.kind in CHOICE_KINDS:
            choices = tuple(
                ChoiceShare(
                    key=str(choice.translation_key),
                    text=choice.text,
                    is_correct=choice.is_correct,
                    count=int(counts.get(str(choice.translation_key), 0)),
                    share=int(counts.get(str(choice.translation_key), 0)) / n if n else None,
                )
                for choice in question.choices.all()
            )
        topic = topics.get(topic_key.get(question.topic_id)) if question else None
        analysis.append(
            ItemAnalysis(
                question_key=str(stat.question_key),
                text=question.text if question else "",
                kind=question.kind if question else "",
                topic=topic.name if topic else "",
                attempts=n,
                correct=stat.correct,
                facility=facility,
                discrimination=discrimination_index(
                    n=n,
                    sum_x=stat.sum_x,
                    sum_x2=stat.sum_x2,
                    sum_y=stat.sum_y,
                    sum_y2=stat.sum_y2,
                    sum_xy=stat.sum_xy,
                ),
                choices=choices,
                flagged=facility is not None
                and n >= FLAG_MIN_ATTEMPTS
                and facility < FLAG_FACILITY_BELOW,
            )
        )
    analysis.sort(key=lambda item: (item.facility is None, item.facility or 0.0, item.text))
    return analysis


class ItemAnalysisPermissionMixin:
    """Trainers and central administrators (and superusers) read item analysis."""

    permission = "quizzes.view_questionstat"
    url_namespace = "quizzes_item_analysis"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.url_namespace}:{name}", args=args)


def quiz_for_language(quiz: QuizPage) -> QuizPage:
    """The translation of ``quiz`` in the admin's language, or ``quiz`` itself."""
    locale = Locale.get_active()
    if quiz.locale_id == locale.pk:
        return quiz
    return (
        QuizPage.objects.filter(translation_key=quiz.translation_key, locale=locale).first() or quiz
    )


class ItemAnalysisIndexView(ItemAnalysisPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every quiz once (in the admin's language where translated), with its submitted attempts
    and how many of its questions most learners get wrong."""

    template_name = "quizzes/admin/item_analysis_index.html"
    page_title = gettext_lazy("Item analysis")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locale = Locale.get_active()
        quizzes: dict = {}
        for quiz in QuizPage.objects.order_by("path").only(
            "id", "title", "path", "depth", "translation_key", "locale_id", "kind", "live"
        ):
            chosen = quizzes.get(quiz.translation_key)
            if chosen is None or (chosen.locale_id != locale.pk and quiz.locale_id == locale.pk):
                quizzes[quiz.translation_key] = quiz
        page = Paginator(list(quizzes.values()), QUIZZES_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        keys = [quiz.translation_key for quiz in page]
        attempts = dict(
            Attempt.objects.submitted()
            .filter(quiz_key__in=keys)
            .values("quiz_key")
            .annotate(count=Count("id"))
            .values_list("quiz_key", "count")
        )
        flagged = dict(
            QuestionStat.objects.filter(quiz_key__in=keys, attempts__gte=FLAG_MIN_ATTEMPTS)
            .values("quiz_key")
            .annotate(
                count=Count("id", filter=Q(sum_x__lt=F("attempts") * FLAG_FACILITY_BELOW)),
            )
            .values_list("quiz_key", "count")
        )
        parents = {
            parent.path: parent.title
            for parent in Page.objects.filter(
                path__in={quiz.path[: -Page.steplen] for quiz in page}
            ).only("path", "title")
        }
        context.update(
            rows=[
                {
                    "quiz": quiz,
                    "course": parents.get(quiz.path[: -Page.steplen], ""),
                    "attempts": attempts.get(quiz.translation_key, 0),
                    "flagged": flagged.get(quiz.translation_key, 0),
                    "url": self.url("quiz", quiz.pk),
                }
                for quiz in page
            ],
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
        )
        return context


class QuizItemAnalysisMixin(ItemAnalysisPermissionMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["pk"])

    @cached_property
    def shown_quiz(self) -> QuizPage:
        return quiz_for_language(self.quiz)

    @cached_property
    def analysis(self):
        return item_analysis(quiz=self.quiz)


class QuizItemAnalysisView(QuizItemAnalysisMixin, WagtailAdminTemplateMixin, TemplateView):
    """Per question of one quiz: attempts, facility, discrimination and the choices picked."""

    template_name = "quizzes/admin/item_analysis.html"

    def get_page_title(self):
        return _("Item analysis")

    def get_page_subtitle(self):
        return self.shown_quiz.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.url("index"), "label": _("Item analysis")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kinds = dict(Question.Kind.choices)
        context.update(
            quiz=self.shown_quiz,
            submitted=Attempt.objects.submitted()
            .filter(quiz_key=self.quiz.translation_key)
            .count(),
            flagged=sum(1 for row in self.analysis if row.flagged),
            rows=[(row, kinds.get(row.kind, row.kind)) for row in self.analysis],
            flag_percent=round(FLAG_FACILITY_BELOW * 100),
            flag_min_attempts=FLAG_MIN_ATTEMPTS,
            csv_url=self.url("export", self.quiz.pk, "csv"),
            xlsx_url=self.url("export", self.quiz.pk, "xlsx"),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.quiz.pk]),
        )
        return context


class QuizItemAnalysisExportView(QuizItemAnalysisMixin, View):
    """The item analysis table as a file; aggregates only, no learner appears in it."""

    http_method_names = ["get"]

    def get(self, request, pk: int, file_format: str):
        if file_format not in exports.FORMATS:
            raise Http404
        content_type, writer = exports.FORMATS[file_format]
        quiz = self.shown_quiz
        response = HttpResponse(
            writer(self.analysis, quiz_title=quiz.title), content_type=content_type
        )
        name = slugify(quiz.title, allow_unicode=True) or "quiz"
        response["Content-Disposition"] = content_disposition_header(
            True, f"item-analysis-{name}-{timezone.localdate():%Y-%m-%d}.{file_format}"
        )
        return response
