"""The "Question bank" menu of the Wagtail admin, for trainers and central administrators: topics,
questions (translatable with wagtail-localize, checked against their kind on save), item
analysis per quiz and results by commission per quiz or course; "Item analysis" and "Results by
commission" buttons on quiz and course pages; and, after a quiz is saved, a warning for each
random draw its topic cannot fill."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.models import CoursePage

from . import admin_views
from .admin_forms import QuestionForm, draw_shortfalls
from .models import Question, QuizPage, Topic

ITEM_ANALYSIS_PERMISSION = "quizzes.view_questionstat"


class TopicViewSet(SnippetViewSet):
    """Topics of the bank, e.g. "Counting the votes"; random draws take questions by topic."""

    model = Topic
    icon = "folder-open-1"
    menu_label = _("Topics")
    url_prefix = "question-bank/topics"
    add_to_reference_index = True
    copy_view_enabled = False
    list_per_page = 50
    search_fields = ["name"]
    search_backend_name = None
    index_view_class = admin_views.TopicIndexView

    @property
    def list_display(self):
        return admin_views.topic_columns()


class QuestionViewSet(SnippetViewSet):
    """Questions of every kind, with their choices, steps or pairs."""

    model = Question
    icon = "help"
    menu_label = _("Questions")
    url_prefix = "question-bank/questions"
    copy_view_enabled = True
    inspect_view_enabled = False
    list_per_page = 50
    # Plain database search over the text: trainers type parts of words.
    search_fields = ["text"]
    search_backend_name = None
    filterset_class = admin_views.QuestionFilterSet
    index_view_class = admin_views.QuestionIndexView
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)

    @property
    def list_display(self):
        return admin_views.question_columns()


class ItemAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(ITEM_ANALYSIS_PERMISSION)


class ItemAnalysisViewSet(ViewSet):
    """Per quiz and per question: attempts, facility, discrimination, choices picked."""

    name = "quizzes_item_analysis"
    url_prefix = "question-bank/item-analysis"
    icon = "table"
    menu_label = _("Item analysis")
    menu_item_class = ItemAnalysisMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ItemAnalysisIndexView.as_view(), name="index"),
            path("<int:pk>/", admin_views.QuizItemAnalysisView.as_view(), name="quiz"),
            path(
                "<int:pk>/<str:file_format>/",
                admin_views.QuizItemAnalysisExportView.as_view(),
                name="export",
            ),
        ]


class ResultsByCommissionViewSet(ViewSet):
    """Per quiz or course and election event: pass rate and average best score by commission."""

    name = "quizzes_results"
    url_prefix = "question-bank/results"
    icon = "group"
    menu_label = _("Results by commission")
    menu_item_class = ItemAnalysisMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ResultsIndexView.as_view(), name="index"),
            path("quiz/<int:pk>/", admin_views.QuizResultsByCommissionView.as_view(), name="quiz"),
            path(
                "course/<int:pk>/",
                admin_views.CourseResultsByCommissionView.as_view(),
                name="course",
            ),
        ]


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 220
    items = (TopicViewSet, QuestionViewSet, ItemAnalysisViewSet, ResultsByCommissionViewSet)


register_snippet(QuestionBankGroup)


@hooks.register("register_page_header_buttons")
def quiz_item_analysis_header_button(page, user, view_name=None, next_url=None):
    if page.specific_class is QuizPage and user.has_perm(ITEM_ANALYSIS_PERMISSION):
        yield Button(
            _("Item analysis"),
            reverse("quizzes_item_analysis:quiz", args=[page.pk]),
            icon_name="table",
            priority=80,
        )


hooks.register("register_page_listing_more_buttons", quiz_item_analysis_header_button)


@hooks.register("register_page_header_buttons")
def results_by_commission_header_button(page, user, view_name=None, next_url=None):
    kind = {QuizPage: "quiz", CoursePage: "course"}.get(page.specific_class)
    if kind and user.has_perm(ITEM_ANALYSIS_PERMISSION):
        yield Button(
            _("Results by commission"),
            reverse(f"quizzes_results:{kind}", args=[page.pk]),
            icon_name="group",
            priority=81,
        )


hooks.register("register_page_listing_more_buttons", results_by_commission_header_button)


def warn_about_draw_shortfalls(request, page):
    # The editor passes the specific page with the rules just submitted (saved or in a draft).
    if not isinstance(page, QuizPage):
        return
    for shortfall in draw_shortfalls(quiz=page):
        messages.warning(request, shortfall.message)


hooks.register("after_create_page", warn_about_draw_shortfalls)
hooks.register("after_edit_page", warn_about_draw_shortfalls)
