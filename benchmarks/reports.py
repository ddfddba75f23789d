"""Readiness reports at national scale on PostgreSQL: the dashboard at each level of the tree,
the national CSV export beside PostgreSQL's own COPY of the same query, the national XLSX
export, and the exporting process's peak memory; the figures go into docs/benchmarks.md
("Readiness reports").

    .venv/bin/python benchmarks/reports.py [--runs 7] [--rounds 3] [--rebuild] [--no-write]

What it does, each step in its own process, as the lesson-page benchmark does
(``benchmarks/lesson_page.py``, whose helpers and production settings it shares, with the
quiz burst's ``postgres``):

1. the PostgreSQL database ``saylau_bench_reports`` on $BENCH_POSTGRES_URL (default
   postgres://postgres@127.0.0.1:5432, trust auth), kept between runs. It is built (``migrate``,
   ``seed_demo --national``, then ``--prepare``) when it is missing, when it lacks this script's
   mark (a comment on the database, written once the data is complete: a run cut short builds
   it again), when ``var/bench`` has lost what was made, or with ``--rebuild``; ``migrate``
   runs every time, so a kept database follows the code's migrations. ``--prepare`` gives the
   demo event's national members a week-before-the-vote spread of training (``SPREAD``);
2. ``collectstatic`` into a temporary folder (the production settings name static files by
   their hash);
3. ``--dashboard``: Django's test client, signed in as the demo's central administrator
   (``admin``), asks for the readiness page of the national root, an oblast, a district and a
   precinct: the queries of one request (the third, ``CaptureQueriesContext``), then the wall
   time of ``--runs`` requests after two of warm-up, median;
4. ``--export FORMAT CODE``, a fresh process per measurement: after a warm-up export of a
   precinct (imports, translations, the connection), the export of the branch as the worker
   builds it (``reports.services._write`` into a temporary file: the readiness, the levels for
   the XLSX, the member rows and the writer), timed, with the growth of the process's resident
   memory: its high-water mark (``ru_maxrss``, reset first through ``/proc/self/clear_refs``)
   less its size just before. For the national CSV, then ``--rounds`` rounds side by side: the
   member query handed to PostgreSQL's ``COPY (…) TO STDOUT WITH CSV`` (the SQL of
   ``branch_member_rows_query``, its parameters bound by psycopg's ``mogrify``) and
   ``exports.write_csv`` fed by ``branch_member_rows``, both into a temporary file; then, for
   the national exports, each step (readiness, levels, member rows, writer) timed on its own.

Targets: the dashboard's queries do not grow with the branch (the same for an oblast and a
district, no more for the root, at most ``QUERY_BUDGET``), and it renders in under 1 s for the
root, under 200 ms for a precinct; the national CSV is at most 5 times slower than the COPY; the
national XLSX takes under 30 s; the exporting process grows by less than 100 MB, whatever the
number of rows. The script exits non-zero when a target is missed, after writing the figures;
``make bench`` runs it first and carries on with the others either way.

Set ``PGOPTIONS='-c jit=off'`` to measure with PostgreSQL's JIT compiler off (see
docs/benchmarks.md); every step inherits it.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.lesson_page import (  # noqa: E402
    environment,
    machine,
    postgres_version,
    replace_section,
    run,
)
from benchmarks.quiz_burst import postgres  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = os.environ.get("BENCH_REPORTS_DATABASE", "saylau_bench_reports")
# What ``--prepare`` made, kept beside the database it describes.
PREPARED_FILE = ROOT / "var" / "bench" / f"{POSTGRES_DATABASE}.json"
# Every figure of the last run, the section's sources included.
RESULT_FILE = ROOT / "var" / "bench" / "reports-result.json"
# Written on the database once its data is complete; a database without it is built again.
# Change the version when ``prepare`` changes.
MARK = "saylau benchmarks/reports.py: national tree, demo event, readiness spread v2"
# The branches measured: the national root and, as the scoping benchmark, region NAT-04.
BRANCHES = {
    "central": "NAT-CEC",
    "oblast": "NAT-04",
    "district": "NAT-04-01",
    "precinct": "NAT-04-0001",
}
CENTRAL_ADMINISTRATOR = "admin"  # the demo's central administrator
LANGUAGE = "kk"
# The readiness page's budget in docs/architecture.md, asserted by tests/reports/test_views.py.
QUERY_BUDGET = 15
TARGET_CENTRAL_MS = 1000
TARGET_PRECINCT_MS = 200
TARGET_COPY_RATIO = 5
TARGET_XLSX_SECONDS = 30
TARGET_GROWTH_MB = 100
# The demo event's national members, drawn at random (seeded) into these groups, with the share
# of members in each. "opening" and "counting" are the demo's two assigned courses; counting
# has the required final test (pass mark 80 %), opening has none.
SPREAD_SEED = 2026
SPREAD = (
    ("not started", 0.40, "enrolled in both courses, nothing done yet"),
    ("reading", 0.15, "reading the opening course (10–90 %)"),
    (
        "halfway",
        0.10,
        "opening completed and counting at 10–90 %, about a third of them with a failed "
        "final-test attempt and a third with a passed one (lessons still to read)",
    ),
    (
        "completed",
        0.35,
        "both courses completed, the final test passed, a certificate for each course (one in "
        "twenty revoked: a misspelt name)",
    ),
)
REVOKED_SHARE = 0.05
BEGIN = "<!-- reports:begin (written by benchmarks/reports.py: edit the script) -->"
END = "<!-- reports:end -->"


def django_setup() -> None:
    import django

    django.setup()


# Step 1, run inside Django: the readiness spread -------------------------------------------------


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def prepare() -> dict:
    """Enrol the national members as the demo event's assignments say (the service a saved
    assignment calls), then give them the spread of ``SPREAD``, written in bulk. Returns what
    was made."""
    django_setup()
    import random
    from collections import defaultdict
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection, transaction
    from django.db.models import F
    from django.db.models.functions import Mod
    from django.utils import timezone

    from certificates.demo import TEMPLATE_NAME
    from certificates.models import Certificate, CertificateTemplate
    from commissions.models import Commission, ElectionEvent, Membership
    from courses.demo import COUNTING, EVENT, OPENING
    from courses.models import Assignment, CoursePage, Enrollment
    from courses.services import assignment_enrol
    from quizzes.models import Attempt, QuizPage

    started = time.perf_counter()
    event = ElectionEvent.objects.get(kind=EVENT["kind"], name_kk=EVENT["name_kk"])
    enrolled = sum(
        assignment_enrol(assignment=assignment)
        for assignment in Assignment.objects.filter(event=event).select_related("course", "event")
    )
    enrol_seconds = time.perf_counter() - started

    opening = CoursePage.objects.get(slug=OPENING.slug, locale__language_code="kk")
    counting = CoursePage.objects.get(slug=COUNTING.slug, locale__language_code="kk")
    final = QuizPage.objects.get(
        kind=QuizPage.Kind.FINAL, path__startswith=counting.path, locale__language_code="kk"
    )
    template = CertificateTemplate.objects.get(name=TEMPLATE_NAME)
    national = Commission.objects.get(code=BRANCHES["central"])
    people = sorted(
        set(
            Membership.objects.active()
            .in_branch(national)
            .filter(commission__level=Commission.Level.PRECINCT)
            .values_list("user_id", flat=True)
        )
    )
    rng = random.Random(SPREAD_SEED)
    groups: dict[str, list[int]] = defaultdict(list)
    bounds, upto = [], 0.0
    for name, share, _what in SPREAD:
        upto += share
        bounds.append((upto, name))
    for person in people:
        draw = rng.random()
        groups[next((name for bound, name in bounds if draw < bound), bounds[-1][1])].append(person)

    now = timezone.now()
    done_at = now - timedelta(days=3)
    enrolments = Enrollment.objects.filter(event=event)
    # A progress between 10 and 90 % that differs from one person to the next.
    partial = 10 + Mod(F("user_id") * 37, 81)
    spread_started = time.perf_counter()
    with transaction.atomic():
        for chunk in _chunks(groups["reading"]):
            enrolments.filter(course_key=opening.translation_key, user_id__in=chunk).update(
                progress_percent=partial, last_activity_at=now
            )
        for chunk in _chunks(groups["halfway"] + groups["completed"]):
            enrolments.filter(course_key=opening.translation_key, user_id__in=chunk).update(
                progress_percent=100, completed_at=done_at, last_activity_at=done_at
            )
        for chunk in _chunks(groups["halfway"]):
            enrolments.filter(course_key=counting.translation_key, user_id__in=chunk).update(
                progress_percent=partial, last_activity_at=now
            )
        for chunk in _chunks(groups["completed"]):
            enrolments.filter(course_key=counting.translation_key, user_id__in=chunk).update(
                progress_percent=100, completed_at=done_at, last_activity_at=done_at
            )

        counting_enrolment = dict(
            enrolments.filter(course_key=counting.translation_key).values_list("user_id", "pk")
        )
        # Halfway: a third failed the final test, a third passed it, a third has not tried.
        tried = [
            (person, outcome == "passed")
            for person in groups["halfway"]
            if (outcome := rng.choice(("failed", "passed", "none"))) != "none"
        ]
        tried += [(person, True) for person in groups["completed"]]
        Attempt.objects.bulk_create(
            (
                Attempt(
                    user_id=person,
                    quiz_key=final.translation_key,
                    enrollment_id=counting_enrolment[person],
                    number=1,
                    seed=person,
                    questions=[],
                    started_at=done_at - timedelta(minutes=25),
                    submitted_at=done_at,
                    score=Decimal(18 if passed else 12),
                    max_score=Decimal(20),
                    percent=Decimal(90 if passed else 60),
                    passed=passed,
                )
                for person, passed in tried
            ),
            batch_size=2000,
        )

        certificates = []
        for person in groups["completed"]:
            for course in (opening, counting):
                number = len(certificates) + 1
                revoked = rng.random() < REVOKED_SHARE
                certificates.append(
                    Certificate(
                        learner_id=person,
                        course_key=course.translation_key,
                        event=event,
                        template=template,
                        number=f"BENCH-{number:06d}",
                        language="kk",
                        snapshot={},
                        issued_at=done_at,
                        expires_on=event.vote_date + timedelta(days=30),
                        revoked_at=now if revoked else None,
                        revoked_reason="Аты-жөні қате жазылған" if revoked else "",
                    )
                )
        Certificate.objects.bulk_create(certificates, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "enrolled": enrolled,
        "enrol_seconds": round(enrol_seconds, 1),
        "spread_seconds": round(time.perf_counter() - spread_started, 1),
        "members": len(people),
        "groups": {name: len(groups[name]) for name, _share, _what in SPREAD},
        "enrolments": enrolments.count(),
        "attempts": len(tried),
        "passed_attempts": sum(passed for _person, passed in tried),
        "certificates": len(certificates),
        "revoked": sum(1 for c in certificates if c.revoked_at),
    }


# Step 3, run inside Django: the dashboard -------------------------------------------------------


def dashboard(runs: int) -> dict:
    """The readiness page of each branch in ``BRANCHES`` through Django's test client, signed in
    as the central administrator: its queries and the median of ``runs`` requests."""
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from commissions.models import Commission, ElectionEvent
    from courses.demo import EVENT
    from reports.selectors import branch_readiness

    event = ElectionEvent.objects.get(kind=EVENT["kind"], name_kk=EVENT["name_kk"])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=CENTRAL_ADMINISTRATOR))
    figures = {}
    for level, code in BRANCHES.items():
        url = reverse("reports:readiness", kwargs={"code": code, "event_id": event.pk})
        for _warm_up in range(2):
            response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Read now: the next request empties the connection's log (``reset_queries``).
        count, sql = len(queries), _sql_split(queries.captured_queries)
        times = []
        for _run in range(runs):
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        total = branch_readiness(commission=Commission.objects.get(code=code), event=event).total
        figures[level] = {
            "code": code,
            "url": url,
            "queries": count,
            "sql_ms": sql,
            "median_ms": statistics.median(times) * 1000,
            "min_ms": min(times) * 1000,
            "max_ms": max(times) * 1000,
            "runs": runs,
            "bytes": len(response.content),
            "counts": {
                key: getattr(total, key)
                for key in ("assigned", "started", "completed", "passed", "certified")
            },
        }
        print(f"  {level} {code}: {figures[level]}", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    return {"pages": figures, "jit": jit}


def _sql_split(captured: list[dict]) -> dict[str, float]:
    """The database's time in one request, in ms, by what the page asked."""
    split = {"counts": 0.0, "not trained, count": 0.0, "not trained, page": 0.0, "other": 0.0}
    for query in captured:
        sql, ms = query["sql"], float(query["time"]) * 1000
        if 'AS "child_path"' in sql:
            split["counts"] += ms
        elif sql.startswith("SELECT COUNT(*)") and '"commissions_membership"' in sql:
            split["not trained, count"] += ms
        elif sql.startswith('SELECT "commissions_membership"."id"') and "LIMIT" in sql:
            split["not trained, page"] += ms
        else:
            split["other"] += ms
    return split


# Step 4, run inside Django: one export ----------------------------------------------------------

KIB = 1024
MB = 1024 * 1024


def _rss() -> int:
    """The process's resident memory now, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * KIB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB


def _reset_peak() -> bool:
    """Set the high-water mark of resident memory to the present size (Linux 4.0 and later)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _copy(out, *, commission, event) -> int:
    """PostgreSQL's own export of the member query: ``COPY (…) TO STDOUT WITH CSV``."""
    from django.db import connection

    from reports.selectors import branch_member_rows_query

    query = branch_member_rows_query(commission=commission, event=event, language=LANGUAGE)
    sql, params = query.query.sql_with_params()
    lines = 0
    with connection.cursor() as cursor:
        statement = cursor.cursor.mogrify(sql, params)
        with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH CSV HEADER") as copy:
            for block in copy:
                out.write(block)
                lines += bytes(block).count(b"\n")
    return lines - 1


def export(format: str, code: str, rounds: int, breakdown: bool) -> dict:
    """The export of ``code``'s branch in ``format`` as the worker builds it: time and growth of
    resident memory; for a CSV with ``rounds``, the COPY and ``write_csv`` side by side; with
    ``breakdown``, each step of the export timed on its own."""
    django_setup()
    from django.utils import translation

    from commissions.models import Commission, ElectionEvent
    from courses.demo import EVENT
    from reports import exports
    from reports.selectors import branch_levels, branch_member_rows, branch_readiness
    from reports.services import _write

    event = ElectionEvent.objects.get(kind=EVENT["kind"], name_kk=EVENT["name_kk"])
    commission = Commission.objects.get(code=code)
    with tempfile.TemporaryFile() as out:  # the warm-up: a precinct's export
        precinct = Commission.objects.get(code=BRANCHES["precinct"])
        _write(out, commission=precinct, event=event, format=format, language=LANGUAGE)

    before = _rss()
    reset = _reset_peak()
    began = time.perf_counter()
    with tempfile.TemporaryFile(prefix="readiness-") as out:
        rows = _write(out, commission=commission, event=event, format=format, language=LANGUAGE)
        size = out.tell()
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB
    figures = {
        "format": format,
        "code": code,
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "rss_before_mb": before / MB,
        "peak_mb": peak / MB,
        "growth_mb": (peak - before) / MB,
        "peak_reset": reset,
    }
    if format == "csv" and rounds:
        with translation.override(LANGUAGE):
            readiness = branch_readiness(commission=commission, event=event)
        copies, writes = [], []
        for _round in range(rounds):
            with tempfile.TemporaryFile() as out:
                began = time.perf_counter()
                copied = _copy(out, commission=commission, event=event)
                copies.append(time.perf_counter() - began)
            with tempfile.TemporaryFile() as out, translation.override(LANGUAGE):
                began = time.perf_counter()
                written = exports.write_csv(
                    out,
                    readiness=readiness,
                    rows=branch_member_rows(commission=commission, event=event, language=LANGUAGE),
                )
                writes.append(time.perf_counter() - began)
            assert copied == written == rows, (copied, written, rows)
        figures |= {
            "copy_seconds": statistics.median(copies),
            "write_csv_seconds": statistics.median(writes),
            "copy_runs": [round(s, 3) for s in copies],
            "write_csv_runs": [round(s, 3) for s in writes],
            "rounds": rounds,
        }
    if breakdown:
        steps = {}
        with translation.override(LANGUAGE):
            began = time.perf_counter()
            readiness = branch_readiness(commission=commission, event=event)
            steps["readiness"] = time.perf_counter() - began
            if format == "xlsx":
                began = time.perf_counter()
                levels = branch_levels(commission=commission, event=event)
                steps["levels"] = time.perf_counter() - began
            began = time.perf_counter()
            members = list(
                branch_member_rows(commission=commission, event=event, language=LANGUAGE)
            )
            steps["member rows"] = time.perf_counter() - began
            began = time.perf_counter()
            with tempfile.TemporaryFile() as out:
                if format == "xlsx":
                    exports.write_xlsx(out, readiness=readiness, levels=levels, rows=members)
                else:
                    exports.write_csv(out, readiness=readiness, rows=members)
            steps["writer"] = time.perf_counter() - began
        figures["steps"] = steps
    return figures


# Orchestration ---------------------------------------------------------------------------------


def database_ready() -> bool:
    found = postgres(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        f"WHERE datname = '{POSTGRES_DATABASE}'"
    )
    return bool(found) and found[0][0] == MARK


def build(env: dict) -> dict:
    postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
    print("migrate", flush=True)
    run(["manage.py", "migrate", "--no-input"], env)
    print("seed_demo --national", flush=True)
    run(["manage.py", "seed_demo", "--national"], env)
    print("the demo event's enrolments and a spread of training", flush=True)
    output = run([str(Path(__file__).relative_to(ROOT)), "--prepare"], env)
    prepared = json.loads(output.strip().splitlines()[-1])
    postgres(f"COMMENT ON DATABASE {POSTGRES_DATABASE} IS '{MARK}'")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    PREPARED_FILE.write_text(json.dumps(prepared, indent=1))
    return prepared


def measure(*, runs: int, rounds: int, rebuild: bool) -> dict:
    static_root = Path(tempfile.mkdtemp(prefix="saylau-bench-static-"))
    # No Redis: the in-process cache, and sessions in the database (one query per request).
    env = environment(static_root, database=POSTGRES_DATABASE, cache_url="")
    script = str(Path(__file__).relative_to(ROOT))
    try:
        if rebuild or not database_ready() or not PREPARED_FILE.exists():
            prepared = build(env)
        else:
            print(f"reusing the database {POSTGRES_DATABASE}", flush=True)
            run(["manage.py", "migrate", "--no-input"], env)
            prepared = json.loads(PREPARED_FILE.read_text())
        run(["manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env)
        load_average = os.getloadavg()[0]
        print(f"dashboard: {runs} runs per branch", flush=True)
        output = run([script, "--dashboard", str(runs)], env)
        dashboard_figures = json.loads(output.strip().splitlines()[-1])
        exported = []
        for format in ("csv", "xlsx"):
            for level in ("district", "oblast", "central"):
                code = BRANCHES[level]
                print(f"{format} export of {code}", flush=True)
                command = [script, "--export", format, code]
                command += ["--rounds", str(rounds if level == "central" else 0)]
                command += ["--breakdown"] if level == "central" else []
                figures = json.loads(run(command, env).strip().splitlines()[-1])
                print(f"  {figures}", flush=True)
                exported.append({"level": level, **figures})
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return {
        "prepared": prepared,
        "pages": dashboard_figures["pages"],
        "jit": dashboard_figures["jit"],
        "exports": exported,
        "postgres": postgres_version(),
        "load_average": load_average,
        "runs": runs,
        "rounds": rounds,
    }


# The report ------------------------------------------------------------------------------------


def verdicts(result: dict) -> dict[str, bool]:
    pages = result["pages"]
    national = {e["format"]: e for e in result["exports"] if e["level"] == "central"}
    csv = national["csv"]
    queries = {level: page["queries"] for level, page in pages.items()}
    return {
        # The oblast's and the district's pages ask the same; the root's asks one query fewer
        # (no commission above it for the breadcrumb), the precinct's too (none below it).
        "constant": queries["oblast"] == queries["district"]
        and queries["central"] <= queries["oblast"]
        and max(queries.values()) <= QUERY_BUDGET,
        "central": pages["central"]["median_ms"] < TARGET_CENTRAL_MS,
        "precinct": pages["precinct"]["median_ms"] < TARGET_PRECINCT_MS,
        "copy": csv["write_csv_seconds"] <= TARGET_COPY_RATIO * csv["copy_seconds"],
        "xlsx": national["xlsx"]["seconds"] < TARGET_XLSX_SECONDS,
        "memory": all(e["growth_mb"] < TARGET_GROWTH_MB for e in result["exports"]),
    }


def _seconds(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def section(result: dict) -> str:
    import django

    prepared, pages = result["prepared"], result["pages"]
    ok = verdicts(result)
    national = {e["format"]: e for e in result["exports"] if e["level"] == "central"}
    csv = national["csv"]
    ratio = csv["write_csv_seconds"] / csv["copy_seconds"]

    def yes(met: bool) -> str:
        return "yes" if met else "**no**"

    def steps(export: dict) -> str:
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in export["steps"].items())

    groups = prepared["groups"]
    spread = "; ".join(f"{groups[name]:,} {what}" for name, _share, what in SPREAD)
    lines = [
        BEGIN,
        f"Measured on {date.today().isoformat()}; machine: {machine()}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL "
        f"{result['postgres']} as installed (JIT {result['jit']}); load average before the "
        f"run: {result['load_average']:.1f}.",
        "",
        "```sh",
        "make bench      # runs it, among the others",
        "flock /tmp/bench.lock .venv/bin/python benchmarks/reports.py "
        f"--runs {result['runs']} --rounds {result['rounds']}",
        "```",
        "",
        f"Data (database `{POSTGRES_DATABASE}`, built by the script and kept for the next run): "
        "the national tree and the demo, whose election event assigns its two courses "
        "(“opening”, without a final test, and “counting”, with a required one) to every "
        f"precinct seat: {prepared['enrolments']:,} enrolments for the event, made by "
        f"`assignment_enrol`. The {prepared['members']:,} national precinct members, drawn at "
        f"random (seed {SPREAD_SEED}): {spread}. Written in bulk: "
        f"{prepared['attempts']:,} submitted final-test attempts "
        f"({prepared['passed_attempts']:,} passed), {prepared['certificates']:,} certificates "
        f"({prepared['revoked']:,} revoked; no PDF rendered). Production settings, DEBUG off; "
        "sessions in the database (no Redis: one query per request that production's "
        "`cached_db` sessions save).",
        "",
        "### Dashboard (targets: a constant number of queries; the root under "
        f"{TARGET_CENTRAL_MS:,} ms, a precinct under {TARGET_PRECINCT_MS} ms)",
        "",
        "Django's test client in one process, signed in as the central administrator "
        "(`admin`): the readiness page in Kazakh; its queries (the third request, session and "
        "user included) with the database's time for the grouped counts and for the list of "
        f"members not yet trained (count, then the first page); then the median of "
        f"{result['runs']} requests after two of warm-up.",
        "",
        "| branch | assigned | started | completed | passed | certified | queries "
        "| counts query | not trained: count + page | median | min | max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level, page in pages.items():
        counts, sql = page["counts"], page["sql_ms"]
        lines.append(
            f"| {level} `{page['code']}` | {counts['assigned']:,} | {counts['started']:,} "
            f"| {counts['completed']:,} | {counts['passed']:,} | {counts['certified']:,} "
            f"| {page['queries']} | {sql['counts']:,.0f} ms "
            f"| {sql['not trained, count']:,.0f} + {sql['not trained, page']:,.0f} ms "
            f"| {page['median_ms']:,.0f} ms | {page['min_ms']:,.0f} ms "
            f"| {page['max_ms']:,.0f} ms |"
        )
    lines += [
        "",
        "### Exports (targets: the national CSV at most 5 × COPY; the national XLSX under "
        "30 s; the exporting process grows by less than 100 MB)",
        "",
        "A fresh process per row: a precinct's export first (imports, translations, the "
        "connection), then the branch's export as the worker builds it "
        "(`reports.services._write` into a temporary file: the readiness, the levels for the "
        "XLSX, the member rows, the writer), in Kazakh. Growth: the resident memory's "
        "high-water mark (`ru_maxrss`, reset through `/proc/self/clear_refs` before the "
        "export) less the resident memory just before it.",
        "",
        "| export | rows | file | time | resident before | peak | growth |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in result["exports"]:
        lines.append(
            f"| {e['format'].upper()}, {e['level']} `{e['code']}` | {e['rows']:,} "
            f"| {e['bytes'] / MB:,.1f} MB | {e['seconds']:,.2f} s "
            f"| {e['rss_before_mb']:,.0f} MB | {e['peak_mb']:,.0f} MB "
            f"| {e['growth_mb']:,.1f} MB |"
        )
    lines += [
        "",
        "The national exports step by step, in the same process after the export: CSV "
        f"{steps(csv)}; XLSX {steps(national['xlsx'])} (member rows: the query read to the "
        "end; writer: fed from those rows in memory).",
        "",
        f"The national CSV beside PostgreSQL's COPY, {csv['rounds']} rounds in the same process, "
        "each the COPY then the export, into a temporary file: "
        f"`COPY (<branch_member_rows_query(…)>) TO STDOUT WITH CSV HEADER` median "
        f"{csv['copy_seconds']:,.2f} s (runs {_seconds(csv['copy_runs'])}); `exports.write_csv` "
        f"fed by `branch_member_rows` median {csv['write_csv_seconds']:,.2f} s (runs "
        f"{_seconds(csv['write_csv_runs'])}); {csv['rows']:,} rows each.",
        "",
        "| target | measured | met |",
        "|---|---:|---|",
        f"| dashboard queries: the same for the oblast and the district, the root's no more, "
        f"at most {QUERY_BUDGET} | root {pages['central']['queries']}, oblast "
        f"{pages['oblast']['queries']}, district {pages['district']['queries']} (precinct "
        f"{pages['precinct']['queries']}) | {yes(ok['constant'])} |",
        f"| dashboard, root, < {TARGET_CENTRAL_MS:,} ms "
        f"| {pages['central']['median_ms']:,.0f} ms | {yes(ok['central'])} |",
        f"| dashboard, precinct, < {TARGET_PRECINCT_MS} ms "
        f"| {pages['precinct']['median_ms']:,.0f} ms | {yes(ok['precinct'])} |",
        f"| national CSV ≤ {TARGET_COPY_RATIO} × COPY | {ratio:.1f} × | {yes(ok['copy'])} |",
        f"| national XLSX < {TARGET_XLSX_SECONDS} s | {national['xlsx']['seconds']:,.1f} s "
        f"| {yes(ok['xlsx'])} |",
        f"| growth of the exporting process < {TARGET_GROWTH_MB} MB "
        f"| {max(e['growth_mb'] for e in result['exports']):,.1f} MB at most "
        f"| {yes(ok['memory'])} |",
        END,
    ]
    return "\n".join(lines)


def write(result: dict) -> None:
    replace_section(heading="Readiness reports", begin=BEGIN, end=END, text=section(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="dashboard requests timed per branch")
    parser.add_argument("--rounds", type=int, default=3, help="national CSV and COPY, side by side")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch the docs")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--breakdown", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dashboard", type=int, metavar="RUNS", help=argparse.SUPPRESS)
    parser.add_argument("--export", nargs=2, metavar=("FORMAT", "CODE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        print(json.dumps(prepare()))
        return
    if options.dashboard:
        print(json.dumps(dashboard(options.dashboard)))
        return
    if options.export:
        figures = export(*options.export, rounds=options.rounds, breakdown=options.breakdown)
        print(json.dumps(figures))
        return
    result = measure(runs=options.runs, rounds=options.rounds, rebuild=options.rebuild)
    RESULT_FILE.write_text(json.dumps(result, indent=1))
    if options.no_write:
        print(section(result))
    else:
        write(result)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    missed = [name for name, met in verdicts(result).items() if not met]
    if missed:
        sys.exit(f"Readiness reports: over target ({', '.join(missed)}; see docs/benchmarks.md).")


if __name__ == "__main__":
    main()
