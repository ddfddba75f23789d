"""The quiz workflows: attempts (attempts.py: start, save answers, submit, close when the time
runs out) and the item statistics kept on every submit (analysis.py)."""

from .analysis import question_stats_record
from .attempts import (
    GENERAL,
    AttemptClosed,
    AttemptRefused,
    InvalidAnswers,
    SavedAnswers,
    Submission,
    answers_clean,
    attempt_close_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    course_completion_check,
    refusal_message,
    time_up_message,
)

__all__ = [
    "GENERAL",
    "AttemptClosed",
    "AttemptRefused",
    "InvalidAnswers",
    "SavedAnswers",
    "Submission",
    "answers_clean",
    "attempt_close_expired",
    "attempt_save_answers",
    "attempt_start",
    "attempt_submit",
    "attempts_close_expired",
    "course_completion_check",
    "question_stats_record",
    "refusal_message",
    "time_up_message",
]
