"""Query counts and median times of the branch-scoping selectors on the national tree.

Run against a database that ``manage.py seed_demo --national`` has filled; prints one JSON
object per measurement. ``benchmarks/national.py`` runs it for SQLite and PostgreSQL.

    DATABASE_URL=... .venv/bin/python benchmarks/scoping.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from commissions.demo.national import ROOT_CODE  # noqa: E402
from commissions.models import Commission, ManagerRole, Membership, Position  # noqa: E402
from commissions.selectors import branch_members, learner_access  # noqa: E402

QUERY_BUDGET = 3


def measure(label: str, call, *, runs: int) -> dict:
    """Count the queries of one call, then time ``runs`` more; the first call warms caches."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return {
        "what": label,
        "queries": len(queries),
        "within_budget": len(queries) <= QUERY_BUDGET,
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "runs": runs,
        "result": result,
    }


def main() -> None:
    root = Commission.objects.get(code=ROOT_CODE)
    district = Commission.objects.get(code="NAT-04-01")  # a district of Almaty Region
    precinct = district.get_first_child()
    viewer = ManagerRole.objects.get(commission=district).user
    inside = Membership.objects.filter(commission=precinct, position=Position.MEMBER).first().user
    outside = (
        Membership.objects.filter(
            commission__path__startswith=Commission.objects.get(code="NAT-15").path,
            commission__level=Commission.Level.PRECINCT,
            position=Position.MEMBER,
        )
        .first()
        .user
    )

    def rows(commission):
        return lambda: len(list(branch_members(commission=commission)))

    def access(learner):
        def call():
            # A fresh request would carry a fresh user: drop the cached "is an administrator?".
            viewer.__dict__.pop("_is_central_administrator", None)
            return learner_access(viewer=viewer, learner=learner).allowed

        return call

    figures = [
        measure(f"branch_members(root {root.code}): rows", rows(root), runs=7),
        measure(f"branch_members(district {district.code}): rows", rows(district), runs=50),
        measure(f"branch_members(precinct {precinct.code}): rows", rows(precinct), runs=200),
        measure(
            f"learner_access(manager of {district.code}, member of {precinct.code}): access",
            access(inside),
            runs=500,
        ),
        measure(
            f"learner_access(manager of {district.code}, member in NAT-15): access",
            access(outside),
            runs=500,
        ),
    ]
    for figure in figures:
        print(json.dumps(figure, ensure_ascii=False))


if __name__ == "__main__":
    main()
