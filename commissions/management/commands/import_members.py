"""Check a file of commission members and, with --apply, write it to the database."""

import hashlib
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from commissions.imports import member_file_check
from commissions.models import MemberImport
from commissions.services import member_import_apply, member_import_check


class Command(BaseCommand):
    help = (
        "Check a CSV or XLSX file of commission members (a dry run by default) and print every "
        "problem with its row and column. With --apply, apply it here and now, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8 or Windows-1251) or .xlsx file.")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Write the members to the database (nothing is written when the file has "
            "any problem).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=2)
        if options["apply"]:
            with path.open("rb") as handle:
                member_import = member_import_check(
                    uploaded_file=File(handle, name=path.name), uploaded_by=None
                )
            problems, row_count = member_import.problems, member_import.row_count
        else:
            check = member_file_check(data=path.read_bytes(), filename=path.name)
            problems = [problem.as_dict() for problem in check.problems]
            row_count = check.row_count

        self.write_problems(problems)
        earlier = (
            MemberImport.objects.filter(
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                status=MemberImport.Status.APPLIED,
            )
            .exclude(pk=member_import.pk if options["apply"] else None)
            .order_by("-applied_at")
            .first()
        )
        if earlier:
            self.stdout.write(
                f"This very file was applied before, on {earlier.applied_at:%Y-%m-%d %H:%M} "
                f"(import #{earlier.pk}): applying it again changes nothing."
            )
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in {row_count} row(s); nothing was applied.",
                returncode=1,
            )
        if not options["apply"]:
            counts = check.counts
            self.stdout.write(
                f"{row_count} row(s) ready: would create {counts['created']}, change "
                f"{counts['changed']}, leave {counts['unchanged']} unchanged. "
                "Run again with --apply to write them."
            )
            return
        member_import = member_import_apply(member_import=member_import)
        if member_import.status != MemberImport.Status.APPLIED:
            self.write_problems(member_import.problems)
            raise CommandError("The file could not be applied.", returncode=1)
        summary = member_import.summary
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied {row_count} row(s): created {summary['created']}, changed "
                f"{summary['changed']}, unchanged {summary['unchanged']} "
                f"(import #{member_import.pk})."
            )
        )

    def write_problems(self, problems: list[dict]) -> None:
        for problem in problems:
            where = f"row {problem['row']}" if problem["row"] else "file"
            if problem["column"]:
                where += f", {problem['column']}"
            self.stdout.write(f"{where}: {problem['message']}")
