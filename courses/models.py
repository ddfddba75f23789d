from http import HTTPMethod

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from commissions.models import Commission, ElectionEvent, Position

from .blocks import LessonStreamBlock
from .page_cache import RoutedFromCache


class ChoiceListField(models.JSONField):
    """A list of values from fixed choices, stored as JSON and edited as checkboxes."""

    def __init__(self, *args, options=(), **kwargs):
        self.options = list(options)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.options,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )


class CourseTreeRouting:
    """Routing for the catalogue, courses and modules: a child page that is not translated into
    this page's language is served as the canonical one under this page's URL.

    So ``/ru/<catalogue>/<course>/<module>/<lesson>/`` for a lesson not yet translated into
    Russian shows the Kazakh lesson, with a notice, in a Russian interface, and the learner stays
    in Russian when they go on. A child translated under another slug is found by the canonical
    slug too. A translated course, module or lesson costs one query per level (Wagtail's own
    routing costs two).
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        slug, remaining = path_components[0], path_components[1:]
        child = self.child_with_slug(slug) or self.untranslated_child(slug)
        if child is None:
            raise Http404
        # What is left once the deepest page is found is that page's own sub-path (a quiz's
        # ``attempts/12/``): the route cache keeps the page under the path without it.
        request._page_subpath = remaining
        return child.specific.route(request, remaining)

    def child_with_slug(self, slug: str):
        """The child page with this slug, specific; one query when it is of the first allowed
        type (a course, module or lesson), as Wagtail's two otherwise (a quiz)."""
        usual = self.allowed_subpage_models()[0]
        child = usual.objects.child_of(self).filter(slug=slug).first()
        if child is None:
            page = self.get_children().filter(slug=slug).first()
            child = page.specific if page is not None else None
        if child is not None:
            child._cached_parent_obj = self
        return child

    def untranslated_child(self, slug: str):
        """The child with this slug of the same page in another language (the default language
        first, then the oldest translation); its translation here if it has one."""
        counterparts = sorted(
            Page.objects.live()
            .filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .select_related("locale"),
            key=lambda page: (page.locale.language_code != settings.LANGUAGE_CODE, page.pk),
        )
        for counterpart in counterparts:
            child = counterpart.get_children().filter(slug=slug).first()
            if child is None:
                continue
            translated = (
                Page.objects.filter(translation_key=child.translation_key, locale_id=self.locale_id)
                .filter(path__startswith=self.path)
                .first()
            )
            if translated is not None:
                translated._cached_parent_obj = self
                return translated
            child._cached_parent_obj = counterpart.specific
            return child
        return None


class LearnerPage(RoutedFromCache):
    """Serving for course, module and lesson pages: only to people who may read the course, and
    with their own progress only (``courses.views``). The pages only answer reading; marking a
    lesson complete and joining a course are forms posted to ``/learning/`` (courses/urls.py)."""

    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]

    def serve(self, request, *args, **kwargs):
        from .views import serve_learner_page

        return serve_learner_page(request, page=self)

    def get_context(self, request, *args, **kwargs):
        from .views import learner_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(learner_page_context(request, page=self, **kwargs))
        return context


class CourseIndexPage(CourseTreeRouting, Page):
    """The catalogue: every course a learner may see, one per language."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, page=self))
        return context


class CoursePage(CourseTreeRouting, LearnerPage, Page):
    """A course: modules of lessons. Its identity across languages is its ``translation_key``."""

    summary = models.TextField(_("summary"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=60)
    is_public = models.BooleanField(
        _("public course"),
        default=False,
        help_text=_("Anyone signed in may join it (civic education for young voters)."),
    )
    audience_positions = ChoiceListField(
        _("meant for positions"),
        options=Position.choices,
        blank=True,
        help_text=_("Commission positions this course is written for."),
    )
    audience_levels = ChoiceListField(
        _("meant for levels"),
        options=Commission.Level.choices,
        blank=True,
        help_text=_("Commission levels this course is written for."),
    )
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate template"),
        help_text=_(
            "Learners who complete the course receive a certificate; none: no certificate."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("is_public"),
                FieldPanel("audience_positions"),
                FieldPanel("audience_levels"),
            ],
            heading=_("Audience"),
        ),
        FieldPanel("certificate_template"),
    ]
    override_translatable_fields = [
        SynchronizedField("certificate_template"),
        SynchronizedField("estimated_minutes"),
        SynchronizedField("is_public"),
        SynchronizedField("audience_positions"),
        SynchronizedField("audience_levels"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")


class ModulePage(CourseTreeRouting, LearnerPage, Page):
    """A module of a course: 15–20 minutes of lessons on one topic."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "quizzes.QuizPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")


class LessonPage(LearnerPage, Page):
    """One lesson. Required lessons count towards the course's completion."""

    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("Must be completed to complete the course.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("is_required")],
            heading=_("Completion"),
        ),
    ]
    override_translatable_fields = [
        SynchronizedField("estimated_minutes"),
        SynchronizedField("is_required"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class Assignment(models.Model):
    """For one election event: this course is required of these positions at these levels."""

    event = models.ForeignKey(
        ElectionEvent,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("election event"),
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("course"),
    )
    positions = ChoiceListField(_("positions"), options=Position.choices)
    levels = ChoiceListField(_("commission levels"), options=Commission.Level.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("event"),
        FieldPanel("course"),
        FieldPanel("positions"),
        FieldPanel("levels"),
    ]

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "course"], name="courses_assignment_one_per_event_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.course}"


class EnrollmentQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(completed_at__isnull=False)

    def incomplete(self):
        return self.filter(completed_at__isnull=True)

    def for_course(self, course: Page):
        return self.filter(course_key=course.translation_key)


class Enrollment(models.Model):
    """A learner's place in one course, for one election event or on their own."""

    class Source(models.TextChoices):
        ASSIGNMENT = "assignment", _("Assigned for an election event")
        SELF = "self", _("Joined by the learner")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("learner"),
    )
    course_key = models.UUIDField(
        _("course"), db_index=True, help_text=_("The course's identity across its translations.")
    )
    event = models.ForeignKey(
        ElectionEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("election event"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    progress_percent = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    last_lesson_key = models.UUIDField(_("last lesson"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key", "event"], name="courses_enrollment_one_per_event"
            ),
            models.UniqueConstraint(
                fields=["user", "course_key"],
                condition=models.Q(event__isnull=True),
                name="courses_enrollment_one_without_event",
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="courses_enrollment_progress_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["event", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_key} · {self.event_id or '-'}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """A learner's progress in one lesson (by its identity across translations)."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("enrolment"),
    )
    lesson_key = models.UUIDField(_("lesson"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_visited_at = models.DateTimeField(_("last visited at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson_key"], name="courses_lessonprogress_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} · {self.lesson_key}"
