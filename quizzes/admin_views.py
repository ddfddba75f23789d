"""Views of the trainers' side of quizzes (wired up in wagtail_hooks.py): the question bank
listings, item analysis per quiz with its CSV and XLSX exports, and results by commission."""

from django import forms
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

from commissions.models import Commission, ElectionEvent, Position
from courses.models import CoursePage

from . import exports
from .models import Attempt, Question, QuestionStat, QuizPage, Topic
from .selectors import (
    FLAG_FACILITY_BELOW,
    FLAG_MIN_ATTEMPTS,
    course_of,
    item_analysis,
    results_by_commission,
)

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


# Results by commission -----------------------------------------------------------------------


class ResultsFilterForm(forms.Form):
    """What a trainer narrows the results to. Ids are whole numbers here; the view answers 404
    for an id that names nothing."""

    event = forms.IntegerField(
        label=gettext_lazy("Election event"), required=False, min_value=1, widget=forms.Select
    )
    position = forms.ChoiceField(
        label=gettext_lazy("Position"),
        required=False,
        choices=[("", gettext_lazy("Every position")), *Position.choices],
    )
    # Set by clicking a row; kept when the event or position changes.
    commission = forms.IntegerField(
        label=gettext_lazy("Commission"), required=False, min_value=1, widget=forms.HiddenInput
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].widget.choices = [(event.pk, str(event)) for event in events]


def default_event(events: list[ElectionEvent]) -> ElectionEvent | None:
    """The latest event open for training, else the latest event (events come latest first)."""
    open_events = [event for event in events if event.status == ElectionEvent.Status.TRAINING]
    return (open_events or events or [None])[0]


class ResultsPermissionMixin(ItemAnalysisPermissionMixin):
    """Whoever reads item analysis reads results by commission."""

    url_namespace = "quizzes_results"
    header_icon = "group"


class ResultsIndexView(ResultsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every course (in the admin's language where translated) with its quizzes: choose one
    quiz, or the course for each of its quizzes."""

    template_name = "quizzes/admin/results_index.html"
    page_title = gettext_lazy("Results by commission")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locale = Locale.get_active()
        courses: dict = {}
        for course in CoursePage.objects.order_by("path").only(
            "id", "title", "path", "depth", "translation_key", "locale_id", "live"
        ):
            chosen = courses.get(course.translation_key)
            if chosen is None or (chosen.locale_id != locale.pk and course.locale_id == locale.pk):
                courses[course.translation_key] = course
        by_path = {course.path: course for course in courses.values()}
        quizzes: dict = {}
        for quiz in QuizPage.objects.order_by("path").only(
            "id", "title", "path", "depth", "kind", "live"
        ):
            for length in range(Page.steplen, len(quiz.path), Page.steplen):
                course = by_path.get(quiz.path[:length])
                if course is not None:
                    quizzes.setdefault(course.pk, []).append(quiz)
                    break
        context["rows"] = [
            {
                "course": course,
                "url": self.url("course", course.pk),
                "quizzes": [(quiz, self.url("quiz", quiz.pk)) for quiz in quizzes[course.pk]],
            }
            for course in courses.values()
            if course.pk in quizzes
        ]
        return context


class ResultsByCommissionView(ResultsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Per child commission of a branch (a click goes one level down): learners who attempted,
    attempts submitted, passed, pass rate and average best score, for one election event; for
    one quiz, or for each quiz of a course (``quizzes.selectors.results``)."""

    template_name = "quizzes/admin/results_by_commission.html"

    def get_page_title(self):
        return _("Results by commission")

    def get_page_subtitle(self):
        return self.subject.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.url("index"), "label": _("Results by commission")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def quizzes(self) -> list[QuizPage]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        events = list(ElectionEvent.objects.all())
        form = ResultsFilterForm(request.GET, events=events)
        context = {"form": form, "events": events, "sections": []}
        if form.is_valid():
            context.update(self.results(form.cleaned_data, events=events))
        return self.render_to_response(self.get_context_data(**context))

    def results(self, data: dict, *, events: list[ElectionEvent]) -> dict:
        if data["event"] is None:
            event = default_event(events)
        else:
            event = next((event for event in events if event.pk == data["event"]), None)
            if event is None:
                raise Http404
        commission = (
            get_object_or_404(Commission, pk=data["commission"]) if data["commission"] else None
        )
        if event is None:
            return {}
        quizzes = self.quizzes()
        results = results_by_commission(
            quiz_keys=[quiz.translation_key for quiz in quizzes],
            event=event,
            commission=commission,
            position=data["position"],
        )
        return {
            "event": event,
            "commission": commission,
            "position": data["position"],
            "ancestors": list(commission.get_ancestors()) if commission else [],
            "sections": [
                {
                    "quiz": quiz,
                    "results": results[quiz.translation_key],
                    "item_analysis_url": reverse("quizzes_item_analysis:quiz", args=[quiz.pk]),
                    "results_url": self.url("quiz", quiz.pk),
                }
                for quiz in quizzes
            ],
        }


class QuizResultsByCommissionView(ResultsByCommissionView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.quiz = get_object_or_404(QuizPage, pk=kwargs["pk"])

    @cached_property
    def subject(self) -> QuizPage:
        return quiz_for_language(self.quiz)

    def quizzes(self) -> list[QuizPage]:
        return [self.subject]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = course_of(self.quiz)
        context["course_url"] = self.url("course", course.pk) if course else ""
        context["course"] = course
        return context


class CourseResultsByCommissionView(ResultsByCommissionView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.subject = get_object_or_404(CoursePage, pk=kwargs["pk"])

    def quizzes(self) -> list[QuizPage]:
        return list(QuizPage.objects.descendant_of(self.subject).order_by("path"))
