"""Question banks, quizzes and attempts.

A question keeps one identity across its translations (``translation_key``); its choices do too,
so an attempt stores keys, not ids, and can be re-shown and re-graded in any language.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from commissions.models import Position
from courses.models import ChoiceListField
from courses.page_cache import RoutedFromCache


class Topic(TranslatableMixin, models.Model):
    """A topic of the question bank, e.g. "Counting" or "Opening the polling station"."""

    name = models.CharField(_("name"), max_length=200)

    panels = [FieldPanel("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(TranslatableMixin, index.Indexed, ClusterableModel):
    """One question of the bank, in one language."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        NUMERIC = "numeric", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        ORDERING = "ordering", _("Put in order")
        MATCHING = "matching", _("Matching")

    class PartialCredit(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        PROPORTIONAL = "proportional", _("Proportional")

    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("topic")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = RichTextField(_("question"), features=["bold", "italic", "ol", "ul"])
    positions = ChoiceListField(
        _("positions"),
        options=Position.choices,
        blank=True,
        help_text=_("Positions this question is meant for; none means everyone."),
    )
    partial_credit = models.CharField(
        _("partial credit"),
        max_length=16,
        choices=PartialCredit.choices,
        default=PartialCredit.ALL_OR_NOTHING,
        help_text=_("For multiple choice, ordering and matching questions."),
    )
    numeric_answer = models.DecimalField(
        _("correct number"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        # Learners' answers must be 0 or more (counts of ballots, voters, documents).
        validators=[MinValueValidator(0)],
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=14,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("An answer within this distance of the correct number counts as correct."),
    )
    case_sensitive = models.BooleanField(
        _("case-sensitive"), default=False, help_text=_("For short text answers.")
    )
    explanation = RichTextField(
        _("explanation"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("topic"),
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("positions"),
        InlinePanel("choices", label=_("Choices, accepted answers, steps or pairs")),
        MultiFieldPanel(
            [
                FieldPanel("partial_credit"),
                FieldPanel("numeric_answer"),
                FieldPanel("numeric_tolerance"),
                FieldPanel("case_sensitive"),
            ],
            heading=_("Scoring"),
        ),
        FieldPanel("explanation"),
    ]
    override_translatable_fields = [
        SynchronizedField("topic"),
        SynchronizedField("kind"),
        SynchronizedField("positions"),
        SynchronizedField("partial_credit"),
        SynchronizedField("numeric_answer"),
        SynchronizedField("numeric_tolerance"),
        SynchronizedField("case_sensitive"),
    ]
    search_fields = [
        index.SearchField("text"),
        index.FilterField("kind"),
        index.FilterField("topic_id"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        from django.utils.html import strip_tags

        return strip_tags(self.text)[:80]


class Choice(TranslatableMixin, Orderable):
    """An option of a choice question, an accepted answer of a short text question, a step of an
    ordering question (the sort order is the correct order) or a pair of a matching question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    match_text = models.CharField(
        _("matches"), max_length=500, blank=True, help_text=_("For matching questions.")
    )
    feedback = models.CharField(
        _("feedback"), max_length=500, blank=True, help_text=_("Shown after submitting.")
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("is_correct"),
        FieldPanel("match_text"),
        FieldPanel("feedback"),
    ]
    override_translatable_fields = [SynchronizedField("is_correct")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class QuizPage(RoutedFromCache, RoutablePageMixin, Page):
    """A test inside a course: practice, entry test or final test.

    Its routes (quizzes/views.py): the introduction (``""``, POST starts an attempt),
    ``attempts/<id>/`` (the attempt's form), ``attempts/<id>/answers/`` (answers saved as the
    learner goes, JSON) and ``attempts/<id>/result/``.
    """

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        ENTRY = "entry", _("Entry test")
        FINAL = "final", _("Final test")

    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    class Review(models.TextChoices):
        SCORE = "score", _("Score only")
        WRONG = "wrong", _("Which answers were wrong")
        FULL = "full", _("Correct answers and explanations")

    class ReviewTiming(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        AFTER_DEADLINE = "after_deadline", _("After the training deadline")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FINAL)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ul"])
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark, %"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means unlimited.")
    )
    wait_minutes = models.PositiveIntegerField(_("wait between attempts, minutes"), default=0)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit, minutes"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    grading = models.CharField(
        _("grading"), max_length=16, choices=Grading.choices, default=Grading.HIGHEST
    )
    review = models.CharField(
        _("after submitting, learners see"),
        max_length=16,
        choices=Review.choices,
        default=Review.WRONG,
    )
    review_timing = models.CharField(
        _("when"), max_length=16, choices=ReviewTiming.choices, default=ReviewTiming.IMMEDIATELY
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    is_required = models.BooleanField(
        _("required for the course"),
        default=False,
        help_text=_("Passing it is needed to complete the course."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("is_required"), FieldPanel("pass_mark")],
            heading=_("Kind and pass mark"),
        ),
        InlinePanel("rules", label=_("Questions"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("attempts_allowed"),
                FieldPanel("wait_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("grading"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
            ],
            heading=_("Attempts"),
        ),
        MultiFieldPanel([FieldPanel("review"), FieldPanel("review_timing")], heading=_("Review")),
    ]
    override_translatable_fields = [
        SynchronizedField(name)
        for name in (
            "kind",
            "pass_mark",
            "attempts_allowed",
            "wait_minutes",
            "time_limit_minutes",
            "grading",
            "review",
            "review_timing",
            "shuffle_questions",
            "shuffle_choices",
            "is_required",
        )
    ]

    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types = []
    template = "quizzes/quiz_page.html"

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def serve(self, request, view=None, args=None, kwargs=None):
        # Routed through its course (not a preview): the next request to this quiz is routed
        # from the course pages' cache (courses/page_cache.py).
        routed = getattr(request, "_wagtail_route_for_request", None)
        if routed is not None and routed[0] is self:
            from courses import page_cache
            from courses.models import ModulePage

            from .selectors import course_of

            course = course_of(self)
            parent = getattr(self, "_cached_parent_obj", None)
            if course is not None:
                module = parent if isinstance(parent, ModulePage) else None
                page_cache.route_store(request, page=self, course=course, module=module)
        return super().serve(request, view, args, kwargs)

    @path("", name="intro")
    def index_route(self, request, *args, **kwargs):
        from .views import quiz_intro

        return quiz_intro(request, self)

    @path("attempts/<int:attempt_id>/", name="attempt")
    def serve_attempt(self, request, attempt_id: int):
        from .views import attempt_page

        return attempt_page(request, self, attempt_id)

    @path("attempts/<int:attempt_id>/answers/", name="attempt_answers")
    def serve_attempt_answers(self, request, attempt_id: int):
        from .views import attempt_answers

        return attempt_answers(request, self, attempt_id)

    @path("attempts/<int:attempt_id>/result/", name="attempt_result")
    def serve_attempt_result(self, request, attempt_id: int):
        from .views import attempt_result

        return attempt_result(request, self, attempt_id)


class QuizRule(Orderable):
    """A part of a quiz: one fixed question, or a random draw from a topic (for a position)."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="rules")
    section = models.CharField(
        _("section"), max_length=200, blank=True, help_text=_("Questions are grouped by section.")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fixed question"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draw from topic"),
    )
    position = models.CharField(
        _("for position"), max_length=16, choices=Position.choices, blank=True
    )
    count = models.PositiveSmallIntegerField(_("how many to draw"), default=1)

    panels = [
        FieldPanel("section"),
        FieldPanel("question"),
        FieldPanel("topic"),
        FieldPanel("position"),
        FieldPanel("count"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question rule")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, topic__isnull=True)
                    | models.Q(question__isnull=True, topic__isnull=False)
                ),
                name="quizzes_rule_question_or_topic",
                violation_error_message=_(
                    "Choose either a fixed question or a topic to draw from."
                ),
            ),
        ]


class AttemptQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(submitted_at__isnull=True)

    def open(self):
        return self.filter(submitted_at__isnull=True)


class Attempt(models.Model):
    """One learner's pass through a quiz: the questions drawn, the answers and the score."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("learner"),
    )
    quiz_key = models.UUIDField(_("quiz"), db_index=True)
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("enrolment"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    seed = models.BigIntegerField(_("seed"))
    questions = models.JSONField(
        _("questions drawn"),
        help_text=_("Question and choice keys in the order shown, with their sections."),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline_at = models.DateTimeField(_("must be submitted by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_by_time_limit = models.BooleanField(_("closed by the time limit"), default=False)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=4, null=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=4, null=True)
    percent = models.DecimalField(_("score, %"), max_digits=6, decimal_places=2, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    results = models.JSONField(_("per-question results"), default=dict, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz_key", "enrollment", "number"],
                name="quizzes_attempt_number_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "quiz_key"],
                condition=models.Q(submitted_at__isnull=True),
                name="quizzes_attempt_one_open_per_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz_key} · #{self.number}"

    def is_passed(self) -> bool:
        return bool(self.passed)


class QuestionStat(models.Model):
    """Running sums for item analysis of one question in one quiz, updated on every submit.

    Facility = Σx / n; discrimination = the point-biserial correlation between the item score x
    and the attempt's total y, from n, Σx, Σx², Σy, Σy², Σxy — exact, with no rescan.
    """

    quiz_key = models.UUIDField(_("quiz"))
    question_key = models.UUIDField(_("question"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    correct = models.PositiveIntegerField(_("fully correct"), default=0)
    sum_x = models.FloatField(default=0)
    sum_x2 = models.FloatField(default=0)
    sum_y = models.FloatField(default=0)
    sum_y2 = models.FloatField(default=0)
    sum_xy = models.FloatField(default=0)
    choice_counts = models.JSONField(_("times each choice was picked"), default=dict)

    class Meta:
        verbose_name = _("question statistics")
        verbose_name_plural = _("question statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz_key", "question_key"], name="quizzes_questionstat_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_key} · {self.question_key}"
