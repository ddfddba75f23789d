"""The learner's quiz pages, served by ``QuizPage``'s routes: the introduction (GET, and POST to
start), the attempt (GET, and POST to save or submit without JavaScript), the answers saved as the
learner goes (POST JSON), and the result.

Thin: parse the request, call one service or selector, render. Nothing sent to the browser says
which answer is correct: the attempt page is built from ``QuestionView``s, which do not hold it.
"""

import json
import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from courses import page_cache

from .models import Attempt, QuizPage
from .selectors import (
    attempt_questions,
    attempt_review,
    is_expired,
    pool_rules,
    quiz_status,
    remediation,
    review_is_open,
    review_opens_on,
)
from .services import (
    GENERAL,
    AttemptClosed,
    AttemptRefused,
    InvalidAnswers,
    attempt_close_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    refusal_message,
    time_up_message,
)

MAX_JSON_BODY = 256 * 1024  # bytes: far more than any honest set of answers
MAX_ECHO = 600  # characters of a refused answer shown back in its field
MAX_ID = 2**63 - 1  # a larger number in the address is no attempt, not a database error


# Helpers ------------------------------------------------------------------------------------------


_SUBPAGE = re.compile(r"attempts/\d+/(?:answers/|result/)?$")


class QuizUrls:
    """The quiz's addresses under the one the learner came by: the page may be served under
    another language's URL (a quiz not translated yet is shown under the learner's language,
    see ``courses.models.CourseTreeRouting``), and the learner stays in that language."""

    def __init__(self, request):
        self.intro = _SUBPAGE.sub("", request.path)
        if not self.intro.endswith("/"):
            self.intro += "/"

    def attempt(self, attempt) -> str:
        return f"{self.intro}attempts/{attempt.pk}/"

    def answers(self, attempt) -> str:
        return f"{self.intro}attempts/{attempt.pk}/answers/"

    def result(self, attempt) -> str:
        return f"{self.intro}attempts/{attempt.pk}/result/"


def _render(request, page, template: str, context: dict, status: int = 200):
    response = TemplateResponse(
        request, template, {**page.get_context(request), **context}, status=status
    )
    add_never_cache_headers(response)  # personal pages: never stored by a cache
    return response


def _breadcrumbs(page: QuizPage, request) -> list[dict]:
    """The pages above the quiz, below the home page, each in the request's language where it
    is translated (a quiz not yet translated is served under every language's URL, and the
    learner stays in their language when they go up): two queries, kept in the course pages'
    cache (``courses.page_cache``) per page, site and language."""
    language = get_language()

    def build() -> list[dict]:
        ancestors = list(
            page.get_ancestors().filter(depth__gt=2).values("title", "url_path", "translation_key")
        )
        translated = {
            row["translation_key"]: row
            for row in Page.objects.live()
            .filter(
                translation_key__in=[row["translation_key"] for row in ancestors],
                locale__language_code=language,
            )
            .values("title", "url_path", "translation_key")
        }
        crumbs = []
        for row in ancestors:
            shown = translated.get(row["translation_key"], row)
            url = Page(url_path=shown["url_path"]).get_url(request=request)
            crumbs.append({"title": shown["title"], "url": url})
        return crumbs

    return page_cache.cached(
        request, "quiz-breadcrumbs", page.pk, request.get_host(), language, build=build
    )


def _own_attempt(request, page: QuizPage, attempt_id: int) -> Attempt:
    """The learner's own attempt at this quiz; anyone else's is not found (404)."""
    if attempt_id > MAX_ID:
        raise Http404(_("No such attempt."))
    attempt = Attempt.objects.filter(
        pk=attempt_id, user=request.user, quiz_key=page.translation_key
    ).first()
    if attempt is None:
        raise Http404(_("No such attempt."))
    return attempt


def _login_or_none(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


_BLOCK = re.compile(r"^\s*<p[^>]*>(.*?)</p>(.*)$", re.S)


def question_text_parts(html: str) -> tuple[str, str]:
    """A question's rich text split for its fieldset: the first paragraph goes in the legend
    (phrasing content only), the rest (more paragraphs, lists) after it."""
    html = expand_db_html(html or "")
    match = _BLOCK.match(html)
    if match is None:
        return "", html
    return match.group(1), match.group(2).strip()


def _sections(questions, errors=None, raw=None) -> list[dict]:
    """The questions grouped by section, each with what its fields show."""
    errors = errors or {}
    raw = raw or {}
    sections: list[dict] = []
    for question in questions:
        if not sections or sections[-1]["title"] != question.section:
            sections.append({"title": question.section, "questions": []})
        legend, rest = question_text_parts(question.text)
        value = _echo(raw.get(question.key), question)
        item_id = f"q{question.number}"
        error = errors.get(question.key, "")
        described_by = [
            f"{item_id}-text" if rest else "",
            f"{item_id}-hint" if question.kind in ("multiple", "ordering", "matching") else "",
            f"{item_id}-error" if error else "",
        ]
        sections[-1]["questions"].append(
            {
                "q": question,
                "id": item_id,
                "described_by": " ".join(filter(None, described_by)),
                "legend": legend,
                "rest": rest,
                "error": error,
                "value": value if isinstance(value, str) else "",
                "options": _options(question, value),
            }
        )
    return sections


def _echo(raw, question):
    """What a field shows: a refused value as the learner typed it (cut short), else the saved
    answer."""
    if isinstance(raw, str) and question.kind in ("numeric", "short_text"):
        return raw[:MAX_ECHO]
    return question.answer


def _options(question, value) -> list[dict]:
    """The options (or steps, or left items) with their state: ticked, or the place or match
    chosen."""
    picked = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    chosen = value if isinstance(value, dict) else {}
    return [
        {
            "value": option.value,
            "text": option.text,
            "lang": option.lang,
            "id": f"q{question.number}-o{index}",
            "checked": option.value in picked,
            "selected": str(chosen.get(option.value, "")),
        }
        for index, option in enumerate(question.options, start=1)
    ]


# Reading answers from a form post -----------------------------------------------------------------


def answers_from_form(attempt: Attempt, post) -> dict:
    """The answers of a whole-form post (without JavaScript the submit carries every answer).

    Field names: ``q_<question key>`` (one value; several for multiple choice) and
    ``q_<question key>__<choice key>`` (a step's place, or a left item's match). A question the
    form does not mention is left as saved; an empty field clears the answer. A field for a
    question that is not in the attempt is passed on, so that it is refused by name.
    """
    kinds = {item["key"]: item["kind"] for item in attempt.questions}
    answers: dict = {}
    for name in post:
        if not name.startswith("q_"):
            continue
        key, _sep, choice = name[2:].partition("__")
        kind = kinds.get(key)
        if kind is None:
            answers[key] = post.get(name)
        elif kind in ("ordering", "matching"):
            answers.setdefault(key, {})
            if choice:
                answers[key][choice] = post.get(name)
        elif kind == "multiple":
            answers[key] = [value for value in post.getlist(name) if value]
        else:
            answers[key] = post.get(name)
    # A multiple choice question with nothing ticked sends no field: its marker says it was shown.
    for key in post.getlist("shown"):
        if kinds.get(key) == "multiple":
            answers.setdefault(key, [])
        elif kinds.get(key) in ("single", "true_false"):
            answers.setdefault(key, "")
    return answers


# The introduction ---------------------------------------------------------------------------------


def quiz_intro(request, page: QuizPage):
    """The rules of the quiz and the learner's standing; POST starts (or resumes) an attempt."""
    if (login := _login_or_none(request)) is not None:
        return login
    urls = QuizUrls(request)
    is_preview = getattr(request, "is_preview", False)
    if request.method == "POST" and not is_preview:
        try:
            attempt = attempt_start(user=request.user, quiz=page)
        except AttemptRefused as refused:
            messages.error(request, refused.message)
            return redirect(urls.intro)
        return redirect(urls.attempt(attempt))
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    status = quiz_status(user=request.user, quiz=page)
    if status.open_attempt is not None and is_expired(status.open_attempt, status.now):
        attempt_close_expired(attempt=status.open_attempt, quiz=page)
        status = quiz_status(user=request.user, quiz=page)
    rules = pool_rules(quiz=page, language=get_language()).rules
    return _render(
        request,
        page,
        "quizzes/quiz_page.html",
        {
            "status": status,
            "refusal_message": refusal_message(status) if status.refusal else "",
            "question_count": sum(1 if rule.question_key else rule.count for rule in rules),
            "open_attempt_url": (urls.attempt(status.open_attempt) if status.open_attempt else ""),
            "results": [
                {"attempt": attempt, "url": urls.result(attempt)} for attempt in status.submitted
            ],
            "breadcrumbs": _breadcrumbs(page, request),
            "is_preview": is_preview,
            "intro_url": urls.intro,
        },
    )


# The attempt --------------------------------------------------------------------------------------


def attempt_page(request, page: QuizPage, attempt_id: int):
    """The attempt's form; POST saves (``action=save``) or submits (``action=submit``)."""
    if (login := _login_or_none(request)) is not None:
        return login
    urls = QuizUrls(request)
    attempt = _own_attempt(request, page, attempt_id)
    if attempt.submitted_at is not None:
        return redirect(urls.result(attempt))
    if is_expired(attempt):
        closed = attempt_close_expired(attempt=attempt, quiz=page)
        messages.warning(request, time_up_message(closed))
        return redirect(urls.result(closed))
    errors: dict[str, str] = {}
    raw: dict = {}
    if request.method == "POST":
        answers = answers_from_form(attempt, request.POST)
        action = request.POST.get("action", "save")
        try:
            if action == "submit":
                try:
                    submission = attempt_submit(attempt=attempt, answers=answers, quiz=page)
                except InvalidAnswers as invalid:
                    saved = attempt_save_answers(attempt=attempt, answers=answers, quiz=page)
                    attempt, errors, raw = saved.attempt, invalid.errors, answers
                else:
                    if submission.too_late:
                        messages.warning(request, time_up_message(submission.attempt))
                    elif not submission.graded_now:
                        messages.info(
                            request,
                            _(
                                "This attempt had already been submitted; it was graded once, "
                                "and these answers were not counted."
                            ),
                        )
                    return redirect(urls.result(submission.attempt))
            else:
                saved = attempt_save_answers(attempt=attempt, answers=answers, quiz=page)
                attempt, errors, raw = saved.attempt, saved.errors, answers
                if not errors:
                    messages.success(
                        request,
                        _("Your answers were saved at %(time)s.")
                        % {"time": timezone.localtime().strftime("%H:%M")},
                    )
                    return redirect(urls.attempt(attempt))
        except AttemptClosed as closed:
            messages.warning(request, closed.message)
            return redirect(urls.result(closed.attempt))
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return _attempt_response(request, page, attempt, urls=urls, errors=errors, raw=raw)


def _remaining(attempt) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - timezone.now()).total_seconds()))


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return _("%(minutes)d min %(seconds)02d s") % {
        "minutes": seconds // 60,
        "seconds": seconds % 60,
    }


def _attempt_response(request, page, attempt, *, urls, errors, raw):
    ruleset = pool_rules(quiz=page, language=get_language())
    questions = attempt_questions(attempt=attempt, quiz=page, section_titles=ruleset.section_titles)
    remaining = _remaining(attempt)
    numbers = {question.key: question.number for question in questions}
    error_list = [
        {"number": numbers.get(key), "message": message}
        for key, message in errors.items()
        if key != GENERAL
    ]
    return _render(
        request,
        page,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "sections": _sections(questions, errors, raw),
            "question_count": len(questions),
            "answered_count": sum(question.is_answered for question in questions),
            "errors": errors,
            "error_list": sorted(error_list, key=lambda error: error["number"] or 0),
            "general_error": errors.get(GENERAL, ""),
            "remaining_seconds": remaining,
            "remaining_text": _clock(remaining),
            "intro_url": urls.intro,
            "form_url": urls.attempt(attempt),
            "save_url": urls.answers(attempt),
            "breadcrumbs": _breadcrumbs(page, request),
        },
        status=400 if errors else 200,
    )


# Saving as the learner goes (JavaScript) ---------------------------------------------------------


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    add_never_cache_headers(response)
    return response


def attempt_answers(request, page: QuizPage, attempt_id: int):
    """POST ``{"answers": {"<question key>": <answer>, …}}``: save these answers now.

    Replies ``{"saved": n, "saved_at": "<ISO time>", "errors": {"<question key>": "message"},
    "remaining_seconds": n | null}``; 409 with ``{"closed": true, "message", "result_url"}`` when
    the attempt no longer takes answers; 400 for a payload that is not that JSON; 413 when it is
    too large. The reply never says whether an answer is correct.
    """
    if not request.user.is_authenticated:
        return _json({"error": _("Sign in again to save your answers.")}, status=403)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    urls = QuizUrls(request)
    attempt = _own_attempt(request, page, attempt_id)
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit() or int(length) > MAX_JSON_BODY:
        return _json({"error": _("Too much data was sent.")}, status=413)
    try:
        body = request.body
        if len(body) > MAX_JSON_BODY:
            return _json({"error": _("Too much data was sent.")}, status=413)
        payload = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _json({"error": _("The answers could not be read.")}, status=400)
    answers = payload.get("answers") if isinstance(payload, dict) else None
    if not isinstance(answers, dict):
        return _json({"error": _("The answers could not be read.")}, status=400)
    try:
        saved = attempt_save_answers(attempt=attempt, answers=answers, quiz=page)
    except AttemptClosed as closed:
        return _json(
            {
                "closed": True,
                "message": closed.message,
                "result_url": urls.result(closed.attempt),
            },
            status=409,
        )
    return _json(
        {
            "saved": saved.saved,
            "saved_at": timezone.localtime().isoformat(timespec="seconds"),
            "errors": saved.errors,
            "remaining_seconds": _remaining(saved.attempt),
        },
        status=400 if saved.errors and not saved.saved else 200,
    )


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number")


# The result ---------------------------------------------------------------------------------------


def attempt_result(request, page: QuizPage, attempt_id: int):
    """The score, passed or not, the review the quiz allows, remediation after a fail, and when
    the next attempt is allowed."""
    if (login := _login_or_none(request)) is not None:
        return login
    urls = QuizUrls(request)
    attempt = _own_attempt(request, page, attempt_id)
    if attempt.submitted_at is None:
        if not is_expired(attempt):
            return redirect(urls.attempt(attempt))
        attempt = attempt_close_expired(attempt=attempt, quiz=page)
    status = quiz_status(user=request.user, quiz=page)
    enrollment = attempt.enrollment if attempt.enrollment_id else None
    open_review = review_is_open(quiz=page, enrollment=enrollment)
    review = (
        attempt_review(attempt=attempt, full=page.review == QuizPage.Review.FULL)
        if open_review
        else []
    )
    return _render(
        request,
        page,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "status": status,
            "enrollment": enrollment,
            "review": review,
            "review_open": open_review,
            "review_opens_on": None
            if open_review
            else review_opens_on(quiz=page, enrollment=enrollment),
            "remediation": None
            if attempt.passed
            else remediation(attempt=attempt, quiz=page, request=request),
            "refusal_message": refusal_message(status) if status.refusal else "",
            "breadcrumbs": _breadcrumbs(page, request),
            "intro_url": urls.intro,
            "open_attempt_url": (urls.attempt(status.open_attempt) if status.open_attempt else ""),
        },
    )
