"""Admin views of the courses: assignments, listed per election event (saving one enrols the
members it applies to, in a background task once the save is committed); and the translation
status of every course."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from commissions.models import Commission, ElectionEvent, Position

from .models import CoursePage
from .services import assignment_enrol_after_commit

SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"


def _labels(choices, values) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def positions_column() -> Column:
    return Column(
        "positions",
        label=_("Positions"),
        accessor=lambda assignment: _labels(Position.choices, assignment.positions),
    )


def levels_column() -> Column:
    return Column(
        "levels",
        label=_("Commission levels"),
        accessor=lambda assignment: _labels(Commission.Level.choices, assignment.levels),
    )


class AssignmentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "course")

    def get_add_url(self):
        url = super().get_add_url()
        event = self.request.GET.get("event", "")
        if url and event.isdigit():
            url += f"?event={event}"
        return url


class EnrolOnSaveMixin:
    success_message = _(
        "Assignment “%(object)s” saved. The members it applies to are being enrolled."
    )

    def save_instance(self):
        instance = super().save_instance()
        assignment_enrol_after_commit(assignment=instance)
        return instance


class AssignmentCreateView(EnrolOnSaveMixin, generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        event = self.request.GET.get("event", "")
        if event.isdigit() and ElectionEvent.objects.filter(pk=event).exists():
            initial["event"] = int(event)
        return initial


class AssignmentEditView(EnrolOnSaveMixin, generic.EditView):
    pass


# Translation status ------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationProgress:
    """How far one course, all its pages together, is translated into one language."""

    locale: Locale
    pages: int
    pages_submitted: int
    total: int
    translated: int
    course_translation_id: int | None = None

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def pages_not_submitted(self) -> int:
        return self.pages - self.pages_submitted

    @property
    def percent(self) -> int:
        """Rounded down, so that 100% means nothing is missing."""
        if not self.pages_submitted or not self.total:
            return 0
        percent = 100 * self.translated // self.total
        return min(percent, 99) if self.pages_not_submitted else percent

    @property
    def is_complete(self) -> bool:
        return self.pages_submitted == self.pages and self.translated == self.total


def course_translation_progress(
    courses: Sequence[CoursePage], *, locales: Sequence[Locale]
) -> dict[int, list[TranslationProgress]]:
    """For each course, its translation progress into each of ``locales``, counting the texts
    (wagtail-localize's segments) of the course, its modules and lessons. Six queries whatever
    the number of courses and pages."""
    if not courses or not locales:
        return {course.pk: [] for course in courses}
    locale_ids = [locale.pk for locale in locales]
    in_courses = Q()
    for course in courses:
        in_courses |= Q(path__startswith=course.path)
    course_by_path = {course.path: course.pk for course in courses}
    path_lengths = sorted({len(path) for path in course_by_path})

    def course_of(path: str) -> int:
        return next(course_by_path[path[:n]] for n in path_lengths if path[:n] in course_by_path)

    course_of_key = {
        key: course_of(path)
        for path, key in Page.objects.filter(in_courses).values_list("path", "translation_key")
    }
    pages = Counter(course_of_key.values())
    course_of_source = {
        source_id: course_of_key[key]
        for source_id, key in TranslationSource.objects.filter(
            object_id__in=course_of_key
        ).values_list("pk", "object_id")
    }
    totals = Counter()
    for row in (
        StringSegment.objects.filter(source_id__in=course_of_source)
        .values("source_id")
        .annotate(segments=Count("pk"))
    ):
        totals[course_of_source[row["source_id"]]] += row["segments"]
    translated = Counter()
    for row in (
        StringSegment.objects.filter(
            source_id__in=course_of_source,
            string__translations__locale_id__in=locale_ids,
            string__translations__context_id=F("context_id"),
            string__translations__has_error=False,
        )
        .values("source_id", "string__translations__locale_id")
        .annotate(segments=Count("pk"))
    ):
        course_id = course_of_source[row["source_id"]]
        translated[course_id, row["string__translations__locale_id"]] += row["segments"]
    submitted = Counter(
        (course_of_source[source_id], locale_id)
        for source_id, locale_id in Translation.objects.filter(
            source_id__in=course_of_source, target_locale_id__in=locale_ids
        ).values_list("source_id", "target_locale_id")
    )
    course_key_ids = {course.translation_key: course.pk for course in courses}
    course_translations = {
        (course_key_ids[key], locale_id): page_id
        for key, locale_id, page_id in Page.objects.filter(
            translation_key__in=course_key_ids, locale_id__in=locale_ids, alias_of__isnull=True
        ).values_list("translation_key", "locale_id", "pk")
    }
    return {
        course.pk: [
            TranslationProgress(
                locale=locale,
                pages=pages[course.pk],
                pages_submitted=submitted[course.pk, locale.pk],
                total=totals[course.pk],
                translated=translated[course.pk, locale.pk],
                course_translation_id=course_translations.get((course.pk, locale.pk)),
            )
            for locale in locales
        ]
        for course in courses
    }


class TranslationProgressColumn(Column):
    cell_template_name = "courses/admin/translation_progress_cell.html"

    def __init__(self, locale: Locale, index: int):
        super().__init__(
            f"translation_{locale.language_code}",
            label=locale.get_display_name(),
            accessor=lambda course: course.translation_progress[index],
        )


class CourseTranslationsReportView(ReportView):
    """Every course in the default language, and how much of it is translated into each other
    language: the trainer's list of what is left to translate."""

    page_title = _("Course translations")
    header_icon = "site"
    index_url_name = "courses_translations"
    index_results_url_name = "courses_translations_results"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(SUBMIT_TRANSLATION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def target_locales(self) -> list[Locale]:
        return list(Locale.objects.exclude(pk=Locale.get_default().pk).order_by("pk"))

    def get_queryset(self):
        return CoursePage.objects.filter(locale=Locale.get_default()).order_by("title", "pk")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Course"),
                url_name="wagtailadmin_pages:edit",
            ),
            *[
                TranslationProgressColumn(locale, index)
                for index, locale in enumerate(self.target_locales)
            ],
        ]

    def get_table(self, object_list):
        courses = list(object_list)
        progress = course_translation_progress(courses, locales=self.target_locales)
        for course in courses:
            course.translation_progress = progress[course.pk]
        return super().get_table(courses)
