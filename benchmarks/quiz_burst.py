"""A burst of final-test attempts at national scale: 3,000 learners start an attempt and submit
it at once, against gunicorn on PostgreSQL; the figures go into docs/benchmarks.md ("Quiz attempt
burst").

    .venv/bin/python benchmarks/quiz_burst.py [--learners 3000] [--clients 50] [--no-write]

What it does, each step in its own process, as the lesson-page benchmark does
(``benchmarks/lesson_page.py``, whose helpers and server settings it shares):

1. a fresh PostgreSQL database ``saylau_bench_quiz_<pid>`` on $BENCH_POSTGRES_URL (default
   postgres://postgres@127.0.0.1:5432, trust auth), dropped at the end;
2. ``migrate`` and ``seed_demo --national`` (the demo and ~75,000 national members);
3. ``--prepare``: a question bank of two topics (60 single choice, multiple choice and true or
   false questions), a course whose required final test draws 10 questions from each topic, an
   election event, ``--learners`` national members enrolled in the course and signed in
   (sessions made by the production session store, Redis in front of the database), and one
   learner taken through start and submit with Django's test client to count the queries of
   each, the first after the quiz was made (its route and pool not yet cached);
4. gunicorn with 2 sync workers serving ``cms.wsgi`` with the production settings, DEBUG off
   (``benchmarks/lesson_site_settings.py``);
5. the burst: ``--clients`` concurrent clients (Python asyncio, 127.0.0.1 only) share the
   learners; each learner POSTs the test's start button, GETs the attempt's form it is sent to
   (that is where the drawn questions are read from, as a browser does) and POSTs the form with
   every question answered and ``action=submit``. Any answer other than the expected redirect
   (start, submit) or 200 (form), a connection error or a time-out counts as an error. The whole
   burst is bounded by ``--timeout`` seconds;
6. a check in SQL afterwards: one submitted, graded attempt per learner, and the item
   statistics counting each graded attempt once.

Target (issue 4): p95 latency under 500 ms for start and for submit, and no error. The script
exits non-zero when either is missed or the check fails, after writing the figures.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.lesson_page import (  # noqa: E402
    BARE_PATH,
    free_port,
    machine,
    replace_section,
    run,
    wait_for,
)
from benchmarks.lesson_page import environment as lesson_environment  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# A name of its own per run, so that two runs at the same time never share (or drop) one.
POSTGRES_DATABASE = os.environ.get("BENCH_QUIZ_DATABASE") or f"saylau_bench_quiz_{os.getpid()}"
# The production cache (sessions, page and quiz caches): a Redis database of its own, emptied per
# run.
CACHE_URL = os.environ.get("BENCH_QUIZ_CACHE_URL", "redis://127.0.0.1:6379/11")
SETTINGS = "benchmarks.lesson_site_settings"
WORKERS = 2
TARGET_P95_MS = 500
QUESTIONS_PER_TOPIC = 30
DRAWN_PER_TOPIC = 10
RIGHT_ANSWER_CHANCE = 0.9  # per question: most learners pass (80 %), some fail
REQUEST_TIMEOUT = 30  # seconds
BEGIN = "<!-- quiz-burst:begin (written by benchmarks/quiz_burst.py: edit the script) -->"
END = "<!-- quiz-burst:end -->"


# Step 3, run inside Django: the bank, the test, enrolments and signed-in learners ----------------


def _bank(topic, locale, rng: random.Random) -> dict:
    """``QUESTIONS_PER_TOPIC`` questions in ``topic``; returns the answer key by question key."""
    from quizzes.models import Choice, Question

    key = {}
    kinds = ["single", "single", "multiple", "true_false"]
    for n in range(QUESTIONS_PER_TOPIC):
        kind = kinds[n % len(kinds)]
        question = Question(
            topic=topic,
            kind=kind,
            text=f"<p>{topic.name}: {n + 1}-сұрақ. Комиссия қалай әрекет етеді?</p>",
            locale=locale,
            partial_credit="proportional" if kind == "multiple" else "all_or_nothing",
        )
        question.save()
        if kind == "true_false":
            options = [("Дұрыс", n % 2 == 0), ("Бұрыс", n % 2 == 1)]
        elif kind == "multiple":
            options = [(f"{i}-нұсқа", i in (1, 3)) for i in range(1, 5)]
        else:
            right = rng.randrange(3)
            options = [(f"{i + 1}-нұсқа", i == right) for i in range(3)]
        choices = [
            Choice(question=question, text=text, is_correct=ok, sort_order=i, locale=locale)
            for i, (text, ok) in enumerate(options)
        ]
        for choice in choices:
            choice.save()
        key[str(question.translation_key)] = {
            "kind": kind,
            "right": [str(c.translation_key) for c in choices if c.is_correct],
            "wrong": [str(c.translation_key) for c in choices if not c.is_correct],
        }
    return key


def prepare(learners: int) -> dict:
    """Build the test and its learners; returns what the burst needs, as JSON-ready data."""
    from importlib import import_module

    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wagtail.models import Locale

    from accounts.models import User
    from cms.models import HomePage
    from commissions.demo.national import USERNAME_PREFIX
    from commissions.models import Commission, ElectionEvent, Position
    from courses.models import CourseIndexPage, CoursePage, Enrollment
    from quizzes.models import QuizPage, QuizRule, Topic

    rng = random.Random(2026)
    locale = Locale.get_default()
    home = HomePage.objects.get(locale=locale)
    catalogue = CourseIndexPage.objects.child_of(home).first() or home.add_child(
        instance=CourseIndexPage(title="Курстар", slug="courses")
    )
    course = catalogue.add_child(
        instance=CoursePage(
            title="Дауыс санау және нәтижелер хаттамасы",
            slug="bench-counting-and-protocol",
            summary="Учаскелік комиссия мүшелерінің қорытынды тесті.",
            estimated_minutes=60,
            audience_positions=[Position.MEMBER],
            audience_levels=[Commission.Level.PRECINCT],
        )
    )
    answer_key = {}
    rules = []
    for name in ("Дауыс санау", "Нәтижелер хаттамасы"):
        topic = Topic.objects.create(name=name, locale=locale)
        answer_key |= _bank(topic, locale, rng)
        rules.append(QuizRule(section=name, topic=topic, count=DRAWN_PER_TOPIC))
    quiz = QuizPage(
        title="Қорытынды тест",
        slug="final-test",
        kind=QuizPage.Kind.FINAL,
        is_required=True,
        pass_mark=80,
        attempts_allowed=3,
        time_limit_minutes=30,
    )
    quiz.rules = rules
    course.add_child(instance=quiz)

    today = timezone.localdate()
    event = ElectionEvent.objects.create(
        kind="referendum",
        name_kk="Республикалық референдум (бенчмарк)",
        vote_date=today + timedelta(days=30),
        training_deadline=today + timedelta(days=28),
        status="training",
    )
    # One more learner than the burst's: the probe below, whose attempt the check leaves out.
    people = list(
        User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("pk")[: learners + 1]
    )
    assert len(people) == learners + 1, f"only {len(people)} national members"
    probe, people = people[0], people[1:]
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=person, course_key=course.translation_key, event=event, source="assignment"
            )
            for person in [probe, *people]
        ],
        batch_size=1000,
    )
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806
    cookies = []
    for person in [probe, *people]:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # The probe: start, the form, submit, with the queries of each (per-process caches filled by a
    # first GET of the test's introduction, as a running server has them).
    url = quiz.get_url()
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookies[0]
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as start_queries:
        started = client.post(url)
    assert started.status_code == 302 and "/attempts/" in started.url, started
    form = client.get(started.url)
    assert form.status_code == 200, form.status_code
    shown = re.findall(r'name="shown" value="([^"]+)"', form.content.decode())
    assert len(shown) == 2 * DRAWN_PER_TOPIC, f"{len(shown)} questions on the form"
    data = {"action": "submit", "shown": shown}
    for key in shown:
        data[f"q_{key}"] = answer_key[key]["right"]
    with CaptureQueriesContext(connection) as submit_queries:
        submitted = client.post(started.url, data)
    assert submitted.status_code == 302 and submitted.url.endswith("/result/"), submitted

    return {
        "quiz_url": url,
        "quiz_title": quiz.title,
        "course_title": course.title,
        "members": User.objects.filter(username__startswith=USERNAME_PREFIX).count(),
        "enrolments": Enrollment.objects.count(),
        "start_queries": len(start_queries),
        "submit_queries": len(submit_queries),
        "quiz_key": str(quiz.translation_key),
        "course_key": str(course.translation_key),
        "probe_user": probe.pk,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "cookies": cookies[1:],
        "answer_key": answer_key,
    }


# The burst ---------------------------------------------------------------------------------------


@dataclass
class Burst:
    """What the clients saw."""

    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {"start": [], "form": [], "submit": []}
    )
    errors: dict[str, list[str]] = field(
        default_factory=lambda: {"start": [], "form": [], "submit": []}
    )
    learners_done: int = 0
    seconds: float = 0.0


_CSRF_ALPHABET = string.ascii_letters + string.digits


async def _request(
    address: tuple[str, int], method: str, path: str, *, cookie: str, body: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request on a connection of its own (gunicorn's sync workers close it after
    each answer): the status, the headers and the body."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {address[0]}:{address[1]}",
            f"Cookie: {cookie}",
            "Connection: close",
        ]
        if method == "POST":
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length")
        content = await (reader.readexactly(int(length)) if length else reader.read())
        return status, headers, content
    finally:
        writer.close()


def _answers(shown: list[str], answer_key: dict, rng: random.Random) -> list[tuple[str, str]]:
    fields = []
    for key in shown:
        entry = answer_key[key]
        right = rng.random() < RIGHT_ANSWER_CHANCE
        picked = entry["right"] if right else entry["wrong"][:1]
        fields += [("shown", key)] + [(f"q_{key}", choice) for choice in picked]
    return fields


async def _learner(
    address, quiz_url: str, session: str, prepared: dict, burst: Burst, number: int
) -> None:
    """One learner: start, read the form, submit. Stops at the first step that goes wrong."""
    token = "".join(secrets.choice(_CSRF_ALPHABET) for _ in range(32))
    cookie = f"{prepared['session_cookie']}={session}; {prepared['csrf_cookie']}={token}"
    rng = random.Random(number)

    async def step(name: str, method: str, path: str, expect: int, body: bytes = b""):
        started = time.perf_counter()
        try:
            answer = await asyncio.wait_for(
                _request(address, method, path, cookie=cookie, body=body), REQUEST_TIMEOUT
            )
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            burst.errors[name].append(type(error).__name__)
            return None
        burst.latencies[name].append(time.perf_counter() - started)
        if answer[0] != expect:
            burst.errors[name].append(f"HTTP {answer[0]}")
            return None
        return answer

    started = await step(
        "start", "POST", quiz_url, 302, urlencode({"csrfmiddlewaretoken": token}).encode()
    )
    if started is None:
        return
    attempt_path = started[1].get("location", "")
    if "/attempts/" not in attempt_path:
        burst.errors["start"].append(f"redirected to {attempt_path[:60]}")
        return
    form = await step("form", "GET", attempt_path, 200)
    if form is None:
        return
    shown = re.findall(r'name="shown" value="([^"]+)"', form[2].decode())
    fields = [("csrfmiddlewaretoken", token), ("action", "submit")]
    fields += _answers(shown, prepared["answer_key"], rng)
    submitted = await step("submit", "POST", attempt_path, 302, urlencode(fields).encode())
    if submitted is None:
        return
    if not submitted[1].get("location", "").endswith("/result/"):
        burst.errors["submit"].append(f"redirected to {submitted[1].get('location', '')[:60]}")
        return
    burst.learners_done += 1


def run_burst(base: str, prepared: dict, *, clients: int, timeout: float) -> Burst:
    host, port = base.removeprefix("http://").split(":")
    address = (host, int(port))
    sessions = prepared["cookies"]
    burst = Burst()

    async def client(queue: asyncio.Queue) -> None:
        while True:
            try:
                number = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await _learner(address, prepared["quiz_url"], sessions[number], prepared, burst, number)

    async def run() -> None:
        queue: asyncio.Queue = asyncio.Queue()
        for number in range(len(sessions)):
            queue.put_nowait(number)
        await asyncio.wait_for(
            asyncio.gather(*(client(queue) for _ in range(clients))), timeout=timeout
        )

    started = time.perf_counter()
    try:
        asyncio.run(run())
    except TimeoutError:
        burst.errors["start"].append(f"burst stopped after {timeout:g} s")
    burst.seconds = time.perf_counter() - started
    return burst


def summary(burst: Burst) -> dict:
    steps = {}
    for name, latencies in burst.latencies.items():
        quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
        steps[name] = {
            "requests": len(latencies),
            "errors": len(burst.errors[name]),
            "error_kinds": sorted(set(burst.errors[name]))[:5],
            "per_second": len(latencies) / burst.seconds,
            "p50_ms": quantiles[49] * 1000,
            "p95_ms": quantiles[94] * 1000,
            "p99_ms": quantiles[98] * 1000,
            "max_ms": max(latencies, default=0.0) * 1000,
        }
    requests = sum(len(latencies) for latencies in burst.latencies.values())
    return {
        "steps": steps,
        "requests": requests,
        "errors": sum(len(errors) for errors in burst.errors.values()),
        "per_second": requests / burst.seconds,
        "learners_per_second": burst.learners_done / burst.seconds,
        "learners_done": burst.learners_done,
        "seconds": burst.seconds,
    }


# Step 6: the check in SQL -----------------------------------------------------------------------


def check(prepared: dict) -> dict:
    """One submitted, graded attempt per learner of the burst; item statistics fed once per
    graded attempt (each attempt has 2 × DRAWN_PER_TOPIC questions, none void)."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}") as connection:
        row = connection.execute(
            """
            SELECT count(*),
                   count(DISTINCT user_id),
                   count(*) FILTER (WHERE submitted_at IS NOT NULL AND score IS NOT NULL
                                    AND passed IS NOT NULL),
                   count(*) FILTER (WHERE passed),
                   count(*) FILTER (WHERE submitted_at IS NOT NULL)
            FROM quizzes_attempt WHERE quiz_key = %s AND user_id <> %s
            """,
            (prepared["quiz_key"], prepared["probe_user"]),
        ).fetchone()
        graded_all = connection.execute(
            "SELECT count(*) FROM quizzes_attempt WHERE quiz_key = %s AND submitted_at IS NOT NULL",
            (prepared["quiz_key"],),
        ).fetchone()[0]
        stat_sum = connection.execute(
            "SELECT coalesce(sum(attempts), 0) FROM quizzes_questionstat WHERE quiz_key = %s",
            (prepared["quiz_key"],),
        ).fetchone()[0]
        completed = connection.execute(
            "SELECT count(*) FROM courses_enrollment WHERE course_key = %s "
            "AND completed_at IS NOT NULL",
            (prepared["course_key"],),
        ).fetchone()[0]
    attempts, learners, graded, passed, submitted = row
    expected = len(prepared["cookies"])
    per_attempt = 2 * DRAWN_PER_TOPIC
    return {
        "attempts": attempts,
        "learners": learners,
        "graded": graded,
        "submitted": submitted,
        "passed": passed,
        "stat_sum": stat_sum,
        "stat_expected": graded_all * per_attempt,
        "completed": completed,
        "ok": attempts == learners == graded == submitted == expected
        and stat_sum == graded_all * per_attempt,
    }


# Orchestration ---------------------------------------------------------------------------------


def postgres(sql: str, database: str = "postgres"):
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/{database}", autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else None


def environment(static_root: Path) -> dict:
    return {
        **lesson_environment(static_root, database=POSTGRES_DATABASE, cache_url=CACHE_URL),
        "BENCH_QUIZ_DATABASE": POSTGRES_DATABASE,
    }


def measure(*, learners: int, clients: int, timeout: float) -> dict:
    postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()
    static_root = Path(tempfile.mkdtemp(prefix="saylau-bench-static-"))
    env = environment(static_root)
    server = None
    try:
        print("migrate", flush=True)
        run(["manage.py", "migrate", "--no-input"], env)
        print("seed_demo --national", flush=True)
        run(["manage.py", "seed_demo", "--national"], env)
        run(["manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env)
        print(f"the final test, {learners} enrolled and signed-in learners", flush=True)
        output = run([str(Path(__file__).relative_to(ROOT)), "--prepare", str(learners)], env)
        prepared = json.loads(output.strip().splitlines()[-1])
        print(
            f"  start: {prepared['start_queries']} queries, submit: "
            f"{prepared['submit_queries']} queries",
            flush=True,
        )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "cms.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        wait_for(base + BARE_PATH)

        load_average = os.getloadavg()[0]
        print(f"burst: {learners} learners, {clients} clients", flush=True)
        figures = summary(run_burst(base, prepared, clients=clients, timeout=timeout))
        for name, step in figures["steps"].items():
            print(f"  {name}: {step}", flush=True)
        checked = check(prepared)
        print(f"  check: {checked}", flush=True)
        version = postgres("SELECT current_setting('server_version')")[0][0].split()[0]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    for bulky in ("cookies", "answer_key"):
        prepared.pop(bulky)
    return {
        "prepared": prepared,
        "burst": figures,
        "check": checked,
        "postgres": version,
        "load_average": load_average,
        "learners": learners,
        "clients": clients,
    }


# The report ------------------------------------------------------------------------------------


def verdicts(result: dict) -> dict[str, bool]:
    steps = result["burst"]["steps"]
    return {
        "start": steps["start"]["p95_ms"] < TARGET_P95_MS,
        "submit": steps["submit"]["p95_ms"] < TARGET_P95_MS,
        "errors": result["burst"]["errors"] == 0,
        "check": result["check"]["ok"],
    }


def section(result: dict) -> str:
    import django

    burst, prepared, checked = result["burst"], result["prepared"], result["check"]
    ok = verdicts(result)

    def yes(met: bool) -> str:
        return "yes" if met else "**no**"

    def row(name: str, what: str) -> str:
        step = burst["steps"][name]
        return (
            f"| {what} | {step['per_second']:,.1f} | {step['p50_ms']:,.0f} ms "
            f"| {step['p95_ms']:,.0f} ms | {step['p99_ms']:,.0f} ms | {step['max_ms']:,.0f} ms "
            f"| {step['requests']:,} | {step['errors']} |"
        )

    return "\n".join(
        [
            BEGIN,
            f"Measured on {date.today().isoformat()}; machine: {machine()}; Python "
            f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL "
            f"{result['postgres']}; load average before the burst: "
            f"{result['load_average']:.1f} (the load generator and PostgreSQL share the machine "
            "with the server).",
            "",
            "```sh",
            ".venv/bin/python benchmarks/quiz_burst.py "
            f"--learners {result['learners']} --clients {result['clients']}",
            "```",
            "",
            f"Data: the national tree ({prepared['members']:,} members) and the demo; "
            f"“{prepared['quiz_title']}” of “{prepared['course_title']}”, required, pass mark "
            f"80 %, 30-minute limit, drawing {2 * DRAWN_PER_TOPIC} of a "
            f"{2 * QUESTIONS_PER_TOPIC}-question bank (two topics; single choice, multiple "
            f"choice, true or false) with shuffled questions and choices; {result['learners']:,} "
            f"national members enrolled and signed in ({prepared['enrolments']:,} enrolments in "
            f"all). Queries of the first learner's requests, before the quiz's route and pool "
            f"were cached (Django test client): start {prepared['start_queries']}, submit "
            f"{prepared['submit_queries']}. Server: gunicorn with {WORKERS} sync workers, "
            "production settings with Redis as the cache (sessions, routes, the quiz's pool), "
            "DEBUG off. Load: "
            f"{result['clients']} concurrent clients (Python asyncio) share the learners; each "
            "learner POSTs the start button, GETs the attempt's form it is redirected to and "
            "POSTs the form with every question answered (about 90 % right) and "
            "`action=submit`; the next learner starts as soon as one is done (a closed loop: as "
            "fast as the server goes).",
            "",
            f"Burst: {burst['learners_done']:,} learners through in {burst['seconds']:,.1f} s, "
            f"{burst['learners_per_second']:,.1f} learners/s, {burst['per_second']:,.1f} "
            f"requests/s in all, {burst['errors']} errors.",
            "",
            "| request | requests/s | p50 | p95 | p99 | max | requests | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            row("start", "start (POST the test's start button)"),
            row("form", "the attempt's form (GET, 20 questions)"),
            row("submit", "submit (POST the answers, graded)"),
            "",
            f"Check in SQL after the burst: {checked['attempts']:,} attempts by "
            f"{checked['learners']:,} learners, {checked['graded']:,} submitted and graded "
            f"({checked['passed']:,} passed, {checked['completed']:,} course completions in "
            f"all); item statistics count {checked['stat_sum']:,} graded answers for "
            f"{checked['stat_expected']:,} expected (each attempt graded once).",
            "",
            "| target | measured | met |",
            "|---|---:|---|",
            f"| start p95 < {TARGET_P95_MS} ms | {burst['steps']['start']['p95_ms']:,.0f} ms "
            f"| {yes(ok['start'])} |",
            f"| submit p95 < {TARGET_P95_MS} ms | {burst['steps']['submit']['p95_ms']:,.0f} ms "
            f"| {yes(ok['submit'])} |",
            f"| no errors | {burst['errors']} | {yes(ok['errors'])} |",
            f"| one graded attempt per learner | {checked['graded']:,} of "
            f"{result['learners']:,} | {yes(ok['check'])} |",
            END,
        ]
    )


def write(result: dict) -> None:
    replace_section(heading="Quiz attempt burst", begin=BEGIN, end=END, text=section(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=3000, help="learners in the burst")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--timeout", type=float, default=900, help="seconds the burst may take")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch the docs")
    parser.add_argument("--prepare", type=int, metavar="LEARNERS", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        print(json.dumps(prepare(options.prepare), ensure_ascii=False))
        return
    result = measure(learners=options.learners, clients=options.clients, timeout=options.timeout)
    if options.no_write:
        print(section(result))
    else:
        write(result)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    if not all(verdicts(result).values()):
        sys.exit("Quiz attempt burst: target missed or check failed (see docs/benchmarks.md).")


if __name__ == "__main__":
    main()
