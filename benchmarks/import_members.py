"""Time the check and the apply of a 10,000-row member file against a national-size tree.

    .venv/bin/python benchmarks/import_members.py            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python \
        benchmarks/import_members.py                         # an existing (scratch) database

With no DATABASE_URL the script builds a temporary SQLite database and removes it afterwards.
With one, it migrates that database, adds a generated tree (17 oblasts, 232 districts, 10,200
precincts) unless it is there already, and removes the members it created when it is done.
"""

import argparse
import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORK_DIR = Path(tempfile.mkdtemp(prefix="saylau-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ["PRIVATE_ROOT"] = str(WORK_DIR / "private")
os.environ.setdefault("LOG_LEVEL", "WARNING")
OWN_DATABASE = "DATABASE_URL" not in os.environ
if OWN_DATABASE:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK_DIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from accounts.models import User  # noqa: E402
from commissions.models import Commission, MemberImport, Membership  # noqa: E402
from commissions.services import member_import_apply, member_import_check  # noqa: E402

PREFIX = "BENCH"
OBLASTS, DISTRICTS, PRECINCTS = 17, 232, 10_200
POSITIONS = ["chair", "deputy_chair", "secretary", "member", "member", "member", "reserve"]
FIRST = ["Әлия", "Ғалым", "Қанат", "Нұрлан", "Өмірзақ", "Ұлжан", "Үміт", "Һадия", "Інжу", "Айгүл"]
LAST = ["Сәрсенбаев", "Құрманов", "Жақсылықов", "Омаров", "Нұрғалиев", "Бекова", "Ілиясова"]


def build_tree() -> list[str]:
    """A national-size tree written in bulk (treebeard paths computed here, as add_child would)."""
    existing = list(
        Commission.objects.filter(code__startswith=f"{PREFIX}-P").values_list("code", flat=True)
    )
    if existing:
        return existing
    step = Commission._get_path
    last_root = Commission.get_last_root_node()
    root_path = last_root._inc_path() if last_root else step(None, 1, 1)
    nodes = [
        Commission(
            path=root_path,
            depth=1,
            numchild=OBLASTS,
            code=f"{PREFIX}-CEC",
            level="central",
            name_kk="Орталық сайлау комиссиясы",
        )
    ]
    precinct_codes = []
    districts_per_oblast = [
        DISTRICTS // OBLASTS + (1 if i < DISTRICTS % OBLASTS else 0) for i in range(OBLASTS)
    ]
    district_number = 0
    for o, district_count in enumerate(districts_per_oblast, start=1):
        oblast_path = step(root_path, 2, o)
        nodes.append(
            Commission(
                path=oblast_path,
                depth=2,
                numchild=district_count,
                code=f"{PREFIX}-O{o:02d}",
                level="oblast",
                name_kk=f"{o}-облыстық комиссия",
            )
        )
        for d in range(1, district_count + 1):
            district_number += 1
            district_path = step(oblast_path, 3, d)
            per_district = PRECINCTS // DISTRICTS + (
                1 if district_number <= PRECINCTS % DISTRICTS else 0
            )
            nodes.append(
                Commission(
                    path=district_path,
                    depth=3,
                    numchild=per_district,
                    code=f"{PREFIX}-D{district_number:03d}",
                    level="district",
                    name_kk=f"{district_number}-аудандық комиссия",
                )
            )
            for p in range(1, per_district + 1):
                code = f"{PREFIX}-P{len(precinct_codes) + 1:05d}"
                precinct_codes.append(code)
                nodes.append(
                    Commission(
                        path=step(district_path, 4, p),
                        depth=4,
                        numchild=0,
                        code=code,
                        level="precinct",
                        name_kk=f"№{len(precinct_codes)} учаскелік комиссия",
                    )
                )
    Commission.objects.bulk_create(nodes, batch_size=1000)
    return precinct_codes


def member_file(rows: int, precincts: list[str], *, seed: int, moved_share: float = 0.0) -> bytes:
    rng = random.Random(seed)
    moves = random.Random(seed + 1)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["full_name", "email", "phone", "commission_code", "position", "language"])
    for n in range(rows):
        name = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]} {n}"
        email = f"bench{n}@example.kz" if n % 3 else ""
        phone = f"8 77{n:08d}" if n % 3 != 1 else ""
        precinct = precincts[rng.randrange(len(precincts))]
        if moved_share and moves.random() < moved_share:
            precinct = precincts[moves.randrange(len(precincts))]
        writer.writerow(
            [
                name,
                email,
                phone,
                precinct,
                POSITIONS[n % len(POSITIONS)],
                ["", "kk", "ru", "en"][n % 4],
            ]
        )
    return buffer.getvalue().encode("utf-8")


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    print(f"  {label:<44} {elapsed:7.2f} s")
    return result, elapsed


def run(rows: int) -> None:
    vendor = connection.vendor
    print(f"Database: {vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    (precincts, elapsed) = timed("tree ready (10,450 commissions)", build_tree)
    data = member_file(rows, precincts, seed=2026)
    print(f"  file: {rows} rows, {len(data) / 1024:.0f} KiB")

    def check(payload, name):
        return member_import_check(uploaded_file=ContentFile(payload, name=name), uploaded_by=None)

    figures = {}
    first, figures["check, new file"] = timed(
        "check (dry run), all new", lambda: check(data, "a.csv")
    )
    assert not first.problems, first.problems[:5]
    applied, figures["apply, new file"] = timed(
        "apply: create accounts and seats", lambda: member_import_apply(member_import=first)
    )
    print(f"    summary {applied.summary}")
    again, figures["check, same file"] = timed(
        "check the same file again", lambda: check(data, "b.csv")
    )
    reapplied, figures["apply, same file"] = timed(
        "apply the same file again", lambda: member_import_apply(member_import=again)
    )
    print(f"    summary {reapplied.summary}")
    moved = member_file(rows, precincts, seed=2026, moved_share=0.1)
    third, figures["check, 10% moved"] = timed(
        "check a file with 10% moved", lambda: check(moved, "c.csv")
    )
    moved_applied, figures["apply, 10% moved"] = timed(
        "apply it (close and open seats)", lambda: member_import_apply(member_import=third)
    )
    print(f"    summary {moved_applied.summary}")
    print(f"  slowest step: {max(figures.values()):.2f} s (budget: well under 30 s)")


def clean_up() -> None:
    Membership.objects.filter(commission__code__startswith=f"{PREFIX}-").delete()
    User.objects.filter(
        Q(email__startswith="bench", email__endswith="@example.kz") | Q(phone__startswith="+777")
    ).delete()
    MemberImport.objects.filter(original_name__in=["a.csv", "b.csv", "c.csv"]).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the members it created")
    args = parser.parse_args()
    try:
        run(args.rows)
    finally:
        if not OWN_DATABASE and not args.keep:
            clean_up()
        connection.close()
        shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
