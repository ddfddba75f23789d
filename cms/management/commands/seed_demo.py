"""Load the demonstration data: ``manage.py seed_demo [--national [--scale 0.1] [--reset]]``."""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from commissions.demo import national_seed

# Each module has ``demo_seed() -> summary``, safe to run again; later apps add theirs in order
# (a module may rely on what the ones before it built).
DEMO_BUILDERS = (
    "cms.demo",
    "commissions.demo",
    "courses.demo",
    "quizzes.demo",
    "certificates.demo",
    "reports.demo",
    "youth.demo",
)


class Command(BaseCommand):
    help = (
        "Load demonstration data: home page translations, a small commission tree with members "
        "and the demo sign-ins. With --national, also a national-scale tree for benchmarks. "
        "Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--national",
            action="store_true",
            help="Also build the national-scale tree (~10,500 commissions, ~75,000 members).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="With --national: multiply the number of districts and precincts (default 1).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="With --national: drop the national tree and its members first, then rebuild.",
        )

    def handle(self, *args, national: bool, scale: float, reset: bool, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        if (reset or scale != 1.0) and not national:
            raise CommandError("--scale and --reset apply to --national only.")
        for module in DEMO_BUILDERS:
            self.stdout.write(str(import_module(module).demo_seed()))
        if national:
            self.stdout.write(str(national_seed(scale=scale, reset=reset)))
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
