"""``manage.py close_expired_attempts``: grade the open attempts whose time ran out."""

from django.core.management.base import BaseCommand

from quizzes.services import attempts_close_expired


class Command(BaseCommand):
    help = (
        "Close and grade, with the answers saved before the deadline, every open attempt whose "
        "time limit ran out. Safe to run at any time and more than once (e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="Close at most this many attempts."
        )

    def handle(self, *args, limit=None, **options):
        closed = attempts_close_expired(limit=limit)
        self.stdout.write(f"{closed} expired attempt(s) closed and graded.")
