"""The courses' part of the Wagtail admin: course assignments in the "Elections" menu, a button
on each election event to its assignments, and the translation status of every course."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from commissions.wagtail_hooks import (
    ELECTION_EVENT_LISTING_BUTTONS_HOOK,
    ELECTIONS_MENU_HOOK,
)

from . import admin_views
from .admin_forms import AssignmentForm
from .models import Assignment


class AssignmentViewSet(ModelViewSet):
    """Which courses an election event requires of which positions at which levels."""

    model = Assignment
    icon = "clipboard-list"
    menu_label = _("Course assignments")
    menu_hook = ELECTIONS_MENU_HOOK
    menu_order = 20
    name = "courses_assignment"
    url_prefix = "course-assignments"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    index_view_class = admin_views.AssignmentIndexView
    add_view_class = admin_views.AssignmentCreateView
    edit_view_class = admin_views.AssignmentEditView
    list_filter = ["event"]
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldPanel("course"),
            FieldPanel("positions"),
            FieldPanel("levels"),
        ],
        base_form_class=AssignmentForm,
    )

    @property
    def list_display(self):
        return [
            "course",
            "event",
            admin_views.positions_column(),
            admin_views.levels_column(),
            "created_at",
        ]


@hooks.register("register_admin_viewset")
def register_assignments_admin():
    return AssignmentViewSet()


@hooks.register(ELECTION_EVENT_LISTING_BUTTONS_HOOK)
def election_event_assignment_buttons(event, user):
    if user.has_perm("courses.view_assignment") or user.has_perm("courses.change_assignment"):
        yield ListingButton(
            _("Course assignments"),
            reverse("courses_assignment:index") + f"?event={event.pk}",
            icon_name="clipboard-list",
            attrs={"aria-label": _("Course assignments for %(event)s") % {"event": event}},
        )


class CourseTranslationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.SUBMIT_TRANSLATION)


@hooks.register("register_admin_urls")
def register_course_translations_urls():
    view = admin_views.CourseTranslationsReportView
    return [
        path("reports/course-translations/", view.as_view(), name="courses_translations"),
        path(
            "reports/course-translations/results/",
            view.as_view(results_only=True),
            name="courses_translations_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_course_translations_menu_item():
    return CourseTranslationsMenuItem(
        _("Course translations"),
        reverse("courses_translations"),
        icon_name="site",
        order=8900,
    )
