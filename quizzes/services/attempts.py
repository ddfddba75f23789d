"""Attempts: starting one on the server, saving answers as the learner goes, submitting, and
closing attempts whose time ran out.

Invariants, and what holds them:

- one open attempt per learner and quiz: a partial unique constraint; two starts at the same
  moment (two tabs) both get the one attempt;
- an attempt is graded once: ``attempt_submit`` locks the row and grades it with a conditional
  ``UPDATE … WHERE submitted_at IS NULL``; a second submit (double click, two tabs, two
  concurrent requests) finds it graded and changes nothing;
- scoring happens only here, from the bank on the server; the browser sends keys and values;
- answers reaching the server after the deadline (plus ``DEADLINE_GRACE``) are ignored: the
  attempt is graded with what was saved before, and marked closed by the time limit.

A question deleted from the bank while attempts that drew it are open is *void* in them: it is
left out of their maximum score (see ``quizzes.grading.grade_attempt``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses import page_cache
from courses.models import Enrollment
from courses.selectors import course_structure
from courses.services import course_completion_record, course_join, course_requirements_met

from ..drawing import arrange_attempt, draw_questions, new_seed, shown_questions
from ..grading import AnswerError, Shown, clean_answer, grade_attempt
from ..models import Attempt, QuizPage
from ..selectors import (
    DEADLINE_GRACE,
    QuizStatus,
    is_expired,
    pool_grading_bank,
    pool_rules,
    quiz_pool,
    quiz_status,
)
from .analysis import question_stats_record

CLOSE_BATCH = 200

# Errors not tied to one question are filed under this key.
GENERAL = ""


def when(moment: datetime) -> str:
    """A moment as the learner reads it: date and time in their language and the site's zone."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class AttemptRefused(Exception):
    """The learner may not start (or go on with) an attempt; ``message`` says why."""

    def __init__(self, message: str, *, code: str = "", next_attempt_at: datetime | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.next_attempt_at = next_attempt_at


class AttemptClosed(Exception):
    """The attempt no longer takes answers: it was submitted, or its time ran out (it is graded
    now with what was saved). ``attempt`` is the graded attempt."""

    def __init__(self, message: str, *, attempt: Attempt):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


class InvalidAnswers(Exception):
    """Some answers cannot be accepted; ``errors`` maps question keys (``GENERAL`` for the rest)
    to messages for the learner. Nothing was saved or graded."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


def refusal_message(status: QuizStatus) -> str:
    """The refusal of ``QuizStatus.refusal`` in words for the learner."""
    code = status.refusal
    if code == "draft":
        return _("This test is not published yet.")
    if code == "no_course":
        return _("This test is not part of a course.")
    if code == "not_enrolled":
        return _(
            "This test belongs to a course you are not enrolled in. Courses are assigned to "
            "commission members for each election."
        )
    if code == "consent":
        return _(
            "You can read the lessons, but tests and certificates wait for your legal "
            "representative's consent. You can send them the link again from your profile."
        )
    if code == "used_up":
        return ngettext(
            "You have used the only attempt this test allows.",
            "You have used all %(count)d attempts this test allows.",
            status.quiz.attempts_allowed,
        ) % {"count": status.quiz.attempts_allowed}
    if code == "wait":
        return _("Your next attempt is allowed from %(when)s.") % {
            "when": when(status.next_attempt_at)
        }
    return ""


# Starting -----------------------------------------------------------------------------------------


def attempt_start(*, user, quiz: QuizPage, now: datetime | None = None) -> Attempt:
    """Start an attempt at a quiz, or return the learner's open one (they resume it).

    Checks, in order: the quiz is published, the learner is enrolled in its course (a public
    course enrols them now), a minor's legal representative has consented (decision 0010),
    attempts are left and the wait after the last one is over. An open attempt is resumed even
    when the consent was withdrawn after it started: it can be submitted and graded, and the
    course completed, but no certificate is issued until a consent is recorded again. Draws the
    questions from the rules with a fresh seed and stores the keys and choice orders, and the
    deadline when the quiz has a time limit. A fixed number of queries, whatever the number of
    questions (about ten). Raises ``AttemptRefused``.
    """
    now = now or timezone.now()
    status = quiz_status(user=user, quiz=quiz, now=now)
    if status.open_attempt is not None:
        if not is_expired(status.open_attempt, now):
            return status.open_attempt
        attempt_close_expired(attempt=status.open_attempt, quiz=quiz, now=now)
        status = quiz_status(user=user, quiz=quiz, now=now)
    if status.refusal:
        raise AttemptRefused(
            refusal_message(status), code=status.refusal, next_attempt_at=status.next_attempt_at
        )
    enrollment = status.enrollment
    if enrollment is None:
        enrollment, _created = course_join(user=user, course=status.course)

    seed = new_seed()
    pool = quiz_pool(quiz=quiz)
    drawn = draw_questions(
        rules=pool_rules(quiz=quiz).rules,
        bank=pool.bank,
        seed=seed,
        shuffle_questions=quiz.shuffle_questions,
    )
    if not drawn:
        raise AttemptRefused(_("This test has no questions yet."), code="empty")
    questions = arrange_attempt(
        drawn=drawn,
        choices=pool.choices,
        seed=seed,
        shuffle_choices=quiz.shuffle_choices,
    )
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz_key=quiz.translation_key,
                enrollment=enrollment,
                number=len(status.attempts) + 1,
                seed=seed,
                questions=questions,
                started_at=now,
                deadline_at=deadline,
            )
    except IntegrityError:
        # Another request (a second tab) started it a moment ago: resume that one.
        existing = Attempt.objects.open().filter(user=user, quiz_key=quiz.translation_key).first()
        if existing is None:
            raise
        return existing


# Saving answers -----------------------------------------------------------------------------------


def _shown_by_key(attempt: Attempt) -> dict[str, Shown]:
    return {item.key: item for item in shown_questions(attempt.questions)}


def answers_clean(*, attempt: Attempt, answers: Mapping) -> tuple[dict, dict[str, str]]:
    """Check answers against what the attempt showed: the cleaned ones (None clears an answer)
    and, separately, the refused ones with their messages."""
    shown = _shown_by_key(attempt)
    cleaned: dict = {}
    errors: dict[str, str] = {}
    for key, raw in answers.items():
        item = shown.get(str(key))
        if item is None:
            errors[GENERAL] = _("The answers include a question that is not in this attempt.")
            continue
        try:
            cleaned[item.key] = clean_answer(item, raw)
        except AnswerError as error:
            errors[item.key] = str(error.message)
    return cleaned, errors


def _merged(stored: Mapping, cleaned: Mapping) -> dict:
    merged = dict(stored)
    for key, value in cleaned.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class SavedAnswers:
    """What saving did: the attempt with its answers now, and the answers refused (by question
    key, ``GENERAL`` for the rest) — the others were saved."""

    attempt: Attempt
    errors: dict[str, str] = field(default_factory=dict)
    saved: int = 0


def attempt_save_answers(
    *, attempt: Attempt, answers: Mapping, quiz: QuizPage | None = None, now=None
) -> SavedAnswers:
    """Save some or all answers of an open attempt as the learner goes; answers that cannot be
    accepted are reported and the others saved. Four queries.

    Raises ``AttemptClosed`` when the attempt was submitted, or when its time ran out — then it is
    graded now with the answers saved before the deadline, and these ones are ignored.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is None and not is_expired(locked, now):
            cleaned, errors = answers_clean(attempt=locked, answers=answers)
            if cleaned:
                locked.answers = _merged(locked.answers, cleaned)
                Attempt.objects.filter(pk=locked.pk, submitted_at__isnull=True).update(
                    answers=locked.answers
                )
            return SavedAnswers(locked, errors, len(cleaned))
    if locked.submitted_at is not None:
        raise AttemptClosed(_("This attempt has already been submitted."), attempt=locked)
    closed = attempt_close_expired(attempt=locked, quiz=quiz, now=now)
    raise AttemptClosed(time_up_message(closed), attempt=closed)


def time_up_message(attempt: Attempt) -> str:
    return _(
        "The time for this attempt ran out at %(when)s. It was graded with the answers saved "
        "before then; later changes were not counted."
    ) % {"when": when(attempt.deadline_at)}


# Submitting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """What submitting did: the graded attempt; whether this call graded it (False: it had been
    graded already, by another tab or request); whether the time had run out (the answers sent
    with the submit were then ignored)."""

    attempt: Attempt
    graded_now: bool
    too_late: bool = False


def _quiz_for(attempt: Attempt, quiz: QuizPage | None) -> QuizPage | None:
    if quiz is not None and quiz.translation_key == attempt.quiz_key:
        return quiz
    return QuizPage.objects.filter(translation_key=attempt.quiz_key).order_by("-live", "pk").first()


@transaction.atomic
def attempt_submit(
    *,
    attempt: Attempt,
    answers: Mapping | None = None,
    quiz: QuizPage | None = None,
    now: datetime | None = None,
) -> Submission:
    """Grade an attempt on the server, once, and record whether it passed.

    ``answers`` (optional) are saved first, all or none: if any is refused, ``InvalidAnswers``
    is raised and nothing changes. After the deadline they are ignored and the attempt is graded
    with what was saved. Updates the item statistics in the same transaction and, when a quiz
    required for the course is passed, records the course's completion if everything else is
    done. About ten queries, whatever the number of questions.
    """
    now = now or timezone.now()
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.submitted_at is not None:
        return Submission(locked, graded_now=False)
    too_late = is_expired(locked, now)
    if answers and not too_late:
        cleaned, errors = answers_clean(attempt=locked, answers=answers)
        if errors:
            raise InvalidAnswers(errors)
        locked.answers = _merged(locked.answers, cleaned)
    quiz = _quiz_for(locked, quiz)
    graded, changed = _grade(attempt=locked, quiz=quiz, now=now, too_late=too_late)
    return Submission(graded, graded_now=changed, too_late=too_late)


def _grade(
    *, attempt: Attempt, quiz: QuizPage | None, now: datetime, too_late: bool
) -> tuple[Attempt, bool]:
    """Score the (locked) attempt, store the outcome with a conditional update, and when this
    call stored it, feed the item statistics and the course completion. Returns the attempt and
    whether this call graded it. A quiz whose every page was deleted grades with a pass mark of
    100 % and completes nothing."""
    shown = shown_questions(attempt.questions)
    bank = pool_grading_bank(quiz=quiz, question_keys=[item.key for item in shown])
    outcome = grade_attempt(shown=shown, bank=bank.questions, answers=attempt.answers)
    percent = outcome.percent
    passed = outcome.passed(quiz.pass_mark if quiz is not None else 100)
    results = {
        key: (
            {"void": True}
            if score is None
            else {"score": str(score), "topic": bank.topics.get(key, "")}
        )
        for key, score in outcome.items.items()
    }
    submitted_at = min(now, attempt.deadline_at) if too_late else now
    changed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        answers=attempt.answers,
        submitted_at=submitted_at,
        closed_by_time_limit=too_late,
        score=outcome.score,
        max_score=outcome.max_score,
        percent=percent,
        passed=passed,
        results=results,
    )
    if not changed:  # graded by someone else in between (only possible without row locks)
        attempt.refresh_from_db()
        return attempt, False
    attempt.submitted_at = submitted_at
    attempt.closed_by_time_limit = too_late
    attempt.score = outcome.score
    attempt.max_score = outcome.max_score
    attempt.percent = percent
    attempt.passed = passed
    attempt.results = results
    question_stats_record(
        quiz_key=attempt.quiz_key,
        items=outcome.items,
        kinds={item.key: item.kind for item in shown},
        answers=attempt.answers,
        percent=percent,
    )
    if passed and quiz is not None and quiz.is_required and attempt.enrollment_id:
        course_completion_check(enrollment=attempt.enrollment)
    return attempt, True


def course_completion_check(*, enrollment: Enrollment) -> bool:
    """Record the course's completion if the enrolment now meets all its requirements (its
    required lessons, and, through the requirement quizzes registered, its required quizzes);
    returns whether this call recorded it."""
    if enrollment.completed_at is not None:
        return False
    # The course's canonical structure is the same for every learner: from the course pages'
    # cache (courses/page_cache.py), which a change to any page renews.
    structure = page_cache.cached(
        None,
        "structure",
        enrollment.course_key,
        build=lambda: course_structure(course_key=enrollment.course_key),
    )
    if structure is None:
        return False
    if not course_requirements_met(enrollment=enrollment, structure=structure):
        return False
    return course_completion_record(enrollment=enrollment)


# Closing attempts whose time ran out -------------------------------------------------------------


def attempt_close_expired(
    *, attempt: Attempt, quiz: QuizPage | None = None, now: datetime | None = None
) -> Attempt:
    """Close an open attempt whose time ran out, graded with what was saved; an attempt still
    in time, or already submitted, is returned as it is. Safe to run twice and at the same time
    as a submit."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None or not is_expired(locked, now):
            return locked
        graded, _changed = _grade(
            attempt=locked, quiz=_quiz_for(locked, quiz), now=now, too_late=True
        )
        return graded


def attempts_close_expired(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Close every open attempt whose time ran out (the sweep behind the task and the
    ``close_expired_attempts`` command); returns how many were closed. Each is closed in its own
    transaction, so a learner submitting at the same moment waits for one attempt at most."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.open()
        .filter(deadline_at__lt=now - DEADLINE_GRACE)
        .order_by("deadline_at")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    quizzes: dict = {}
    for pk in ids:
        attempt = Attempt.objects.filter(pk=pk).first()
        if attempt is None or attempt.submitted_at is not None:
            continue
        if attempt.quiz_key not in quizzes:
            quizzes[attempt.quiz_key] = _quiz_for(attempt, None)
        result = attempt_close_expired(attempt=attempt, quiz=quizzes[attempt.quiz_key], now=now)
        closed += bool(result.closed_by_time_limit and result.submitted_at)
    return closed
