"""The learner's side of courses: the course, module and lesson pages (their page models serve
through ``serve_learner_page``), "My training", joining an open course and marking a lesson
complete. Each view parses the request, calls one selector or service, and renders."""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import page_cache
from .models import CoursePage, LessonPage, ModulePage
from .selectors import (
    CourseAccess,
    catalogue_cards,
    completed_lessons,
    course_access,
    course_outline,
    course_structure,
    current_language,
    language_name,
    lesson_placement,
    my_training_overview,
    outline_labels,
    page_language,
)
from .services import (
    NotEnrolled,
    course_join,
    enrolment_sync_for_user,
    lesson_complete,
    lesson_visit_record,
)

access_log = logging.getLogger("saylau.access")


# Answers to requests that cannot be served -----------------------------------------------------


def _problem(request, *, status: int, title: str, message: str):
    return render(
        request,
        "courses/problem.html",
        {"title": title, "message": message, "status": status},
        status=status,
    )


def _refuse(request, access: CourseAccess):
    if access.sign_in_required:
        return redirect_to_login(request.get_full_path())
    access_log.info("refused user=%s path=%s reason=course", request.user.pk, request.path)
    return _problem(
        request, status=403, title=_("This course is not open to you"), message=access.reason
    )


def post_only(view):
    """A view that changes a learner's record answers a form, never a link: anything but POST
    gets 405 and a page that says what to do instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            response = _problem(
                request,
                status=405,
                title=_("Use the button on the course page"),
                message=_(
                    "This address records a step of your training, so it only answers the "
                    "button on the course or lesson page; opening it as a link changes nothing."
                ),
            )
            response["Allow"] = "POST"
            return response
        return view(request, *args, **kwargs)

    return wrapper


def _next_url(request, default: str) -> str:
    """Where to go after a form: the page it came from, if it is on this site."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# Course, module and lesson pages ---------------------------------------------------------------


def course_and_module(page) -> tuple[CoursePage, ModulePage | None]:
    """The course (and module) a course, module or lesson page belongs to, as it was routed
    (Wagtail caches each parent while routing, so this costs no query)."""
    if isinstance(page, CoursePage):
        return page, None
    parent = page.get_parent().specific
    if isinstance(page, ModulePage):
        return parent, page
    return parent.get_parent().specific, parent


def serve_learner_page(request, *, page):
    """Serve a course, module or lesson to someone who may read it; record the visit of a lesson
    in the learner's enrolments still in progress. A visitor who is not signed in reads the start
    of a public course and nothing is recorded for them."""
    course, module = course_and_module(page)
    # Wagtail routes through unpublished parents: a live lesson of a draft course stays hidden.
    if not (course.live and (module is None or module.live)):
        raise Http404
    page_cache.route_store(request, page=page, course=course, module=module)
    lesson = page if isinstance(page, LessonPage) else None
    access = course_access(
        user=request.user,
        course=course,
        lesson=lesson,
        module=page if isinstance(page, ModulePage) else None,
        request=request,
    )
    if not access:
        return _refuse(request, access)
    if lesson is not None and access.in_progress:
        lesson_visit_record(enrollments=access.in_progress, lesson_key=lesson.translation_key)
    return TemplateResponse(
        request,
        page.get_template(request),
        page.get_context(request, access=access, course=course, module=module),
    )


def course_shown(request, *, course: CoursePage, language: str):
    """A course's canonical structure and the titles and links of its pages in ``language``
    (``(None, None)`` when no translation of it is live): the same for every learner, so cached
    per site and generation of the content."""

    def build():
        structure = course_structure(course_key=course.translation_key)
        if structure is None:
            return None, None
        return structure, outline_labels(structure=structure, language=language, request=request)

    site = (request._get_raw_host(), request.get_port())
    return page_cache.cached(
        request, "outline", course.translation_key, language, *site, build=build
    )


def learner_page_context(request, *, page, access=None, course=None, module=None, **kwargs):
    """What a course, module or lesson page shows: the outline in the learner's language with
    their own check marks, and the lesson's place in it. ``access`` is None in the admin's
    preview, which shows the page without anyone's progress."""
    if course is None:
        course, module = course_and_module(page)
    if access is None:
        access = CourseAccess(True, _("Preview"), is_preview=True)
    language = current_language()
    shown_language = page_language(page, request)
    enrollment = access.enrollment
    completed = completed_lessons(enrollment=enrollment)
    structure, labels = course_shown(request, course=course, language=language)
    outline = None
    if structure is not None:
        outline = course_outline(
            structure=structure,
            request=request,
            language=language,
            completed=completed,
            current_key=page.translation_key,
            enrollment=enrollment,
            labels=labels,
        )
    context = {
        "course": course,
        "module": module,
        "access": access,
        "enrollment": enrollment,
        "outline": outline,
        "page_language": shown_language,
        "language_name": language_name(language),
        "page_language_name": language_name(shown_language),
        "is_translated": shown_language == language,
        "course_changed": bool(
            enrollment
            and enrollment.is_completed
            and structure is not None
            and not structure.matches(completed)
        ),
        "can_join": (
            request.user.is_authenticated
            and course.is_public
            and not access.is_enrolled
            and not access.is_preview
        ),
        "join_url": reverse("courses:join", args=[course.pk]),
        # A visitor who is not signed in reads only the first lesson; the outline says so.
        "is_visitor": not request.user.is_authenticated and not access.is_preview,
    }
    if outline is None:
        return context
    if context["is_visitor"] and outline.first_lesson is not None:
        context["visitor_lesson_key"] = outline.first_lesson.key
    if isinstance(page, LessonPage):
        previous, following = outline.neighbours(page.translation_key)
        context.update(
            {
                "lesson_body": lesson_body(request, page=page, is_preview=access.is_preview),
                "lesson": outline.lesson(page.translation_key),
                "outline_module": outline.module_of(page.translation_key),
                "previous_lesson": previous,
                "next_lesson": following,
                "lesson_completed_at": completed.get(page.translation_key),
                "complete_url": reverse("courses:lesson_complete", args=[course.pk, page.pk]),
            }
        )
    elif isinstance(page, ModulePage):
        context["outline_module"] = next(
            (m for m in outline.modules if m.key == page.translation_key), None
        )
    else:
        last_lesson = outline.lesson(enrollment.last_lesson_key) if enrollment else None
        context["start_at"] = last_lesson or outline.first_incomplete or outline.first_lesson
        context["has_started"] = last_lesson is not None
    return context


def lesson_body(request, *, page: LessonPage, is_preview: bool) -> str:
    """A lesson's body as HTML: rendered once per language and generation of the site's content
    (the same for every learner; the blocks render nothing of the learner's own). A preview
    renders the draft it shows."""
    if is_preview:
        return page.body.render_as_block()
    return page_cache.cached(
        request,
        "body",
        page.pk,
        current_language(),
        build=lambda: page.body.render_as_block(),
    )


def catalogue_context(request, *, page) -> dict:
    """The catalogue: the courses this person may see, in their language where translated."""
    return {"cards": catalogue_cards(user=request.user, request=request)}


# My training, joining and marking complete ----------------------------------------------------


def my_training(request):
    """The learner's own courses, grouped by election event."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    enrolment_sync_for_user(user=request.user)
    overview = my_training_overview(user=request.user, request=request)
    return render(request, "courses/my_training.html", {"training": overview})


@post_only
def join(request, course_id: int):
    """Join an open course (young voters' civic courses); joining twice changes nothing."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    back = _next_url(request, course.get_url(request) or "/")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        _enrollment, created = course_join(user=request.user, course=course)
    except PermissionDenied as refusal:
        return _problem(
            request, status=403, title=_("This course cannot be joined"), message=str(refusal)
        )
    if created:
        messages.success(request, _("You have joined the course “%s”.") % course.title)
    else:
        messages.info(
            request,
            _("You are already enrolled in the course “%s”; nothing has changed.") % course.title,
        )
    return redirect(back)


@post_only
def mark_lesson_complete(request, course_id: int, lesson_id: int):
    """Mark a lesson of a course complete for the signed-in learner."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    back = _next_url(request, lesson.get_url(request) or "/")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    placement = lesson_placement(lesson=lesson)
    if placement.course_key != course.translation_key:
        return _problem(
            request,
            status=400,
            title=_("This lesson is not part of this course"),
            message=_(
                "The lesson and the course in this request do not belong together, so nothing "
                "was recorded. Go back to the lesson and use its button."
            ),
        )
    if not placement.is_live:
        raise Http404
    try:
        result = lesson_complete(
            user=request.user, course_key=course.translation_key, lesson_key=lesson.translation_key
        )
    except NotEnrolled as refusal:
        return _problem(
            request,
            status=403,
            title=_("You are not enrolled in this course"),
            message=str(refusal),
        )
    if result.course_completed:
        messages.success(
            request,
            _("Lesson completed. You have completed the course “%s”.") % course.title,
        )
    elif result.newly_completed:
        messages.success(request, _("Lesson marked as complete."))
    else:
        messages.info(request, _("This lesson was already marked as complete."))
    return redirect(back)
