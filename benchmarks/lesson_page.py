"""Lesson-page throughput and latency at national scale, side by side with a bare Django view on
the same server, and the figures written into docs/benchmarks.md ("Lesson page").

    .venv/bin/python benchmarks/lesson_page.py [--duration 20] [--clients 50] [--no-write]

What it does, each step in its own process as a person would run it:

1. a fresh PostgreSQL database ``saylau_bench_lessons`` on $BENCH_POSTGRES_URL (default
   postgres://postgres@127.0.0.1:5432, trust auth), dropped at the end;
2. ``migrate`` and ``seed_demo --national`` (the demo courses and ~75,000 national members);
3. ``collectstatic``, then ``--prepare``: the national precinct members enrolled in the demo
   courses through the demo assignments, and ``--learners`` of them signed in (sessions written
   to the database);
4. gunicorn with 2 workers serving ``cms.wsgi`` with the production settings
   (``benchmarks/lesson_site_settings.py``: DEBUG off, plus the bare view) and, as production,
   Redis as the cache (``$BENCH_CACHE_URL``, default database 13 on 127.0.0.1, emptied at the
   start): sessions in ``cached_db`` and the course pages' cache (courses/page_cache.py);
5. for the bare view and then for a lesson page: a warm-up, then ``--clients`` concurrent
   clients in a closed loop, each request with the next learner's session, for ``--duration``
   seconds, with wrk when it is installed (``apt-get install wrk``) and a Python load generator
   otherwise; then the lesson page again, the same clients paced to offer ``--paced-rate``
   requests/s (the Python generator), for latency under a realistic peak rather than flat out.

Targets (issue 3): the lesson page reaches at least 40% of the bare view's requests per second,
and its p95 latency stays under 100 ms at 50 concurrent clients (closed loop). The script exits
non-zero when either is missed, after writing the figures.
"""

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "saylau_bench_lessons"
# The production cache (sessions, page caches): a Redis database of its own, emptied per run.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
SETTINGS = "benchmarks.lesson_site_settings"
BARE_PATH = "/bench/bare/"
LESSON_SLUG = "checking-and-sealing-ballot-boxes"  # text, a law excerpt, a scenario, a callout
TARGET_RATIO = 0.40
TARGET_P95_MS = 100
# 1,500 learners each opening a page a minute: the peak in docs (1-2k concurrent learners).
PACED_RATE = 25
DRAIN_SECONDS = 3  # between runs, so that no run inherits the previous one's queue
WORKERS = 2
BEGIN = "<!-- lesson-page:begin (written by benchmarks/lesson_page.py: edit the script) -->"
END = "<!-- lesson-page:end -->"


# Step 3, run inside Django: enrolments and signed-in learners -----------------------------------


def prepare(learners: int) -> dict:
    """Enrol the national members as the demo assignments say, sign ``learners`` of them in, and
    count the queries of one lesson page. Returns what the load needs, as JSON-ready data."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from commissions.demo.national import USERNAME_PREFIX
    from courses.demo import EVENT
    from courses.models import Assignment, Enrollment, LessonPage
    from courses.services import assignment_enrol

    started = time.perf_counter()
    for assignment in Assignment.objects.filter(event__name_kk=EVENT["name_kk"]):
        assignment_enrol(assignment=assignment)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    enrol_seconds = time.perf_counter() - started

    lesson = LessonPage.objects.live().get(slug=LESSON_SLUG, locale__language_code="kk")
    course = lesson.get_parent().get_parent().specific
    enrolled = Enrollment.objects.for_course(course).filter(
        user__username__startswith=USERNAME_PREFIX
    )
    people = list(User.objects.filter(pk__in=enrolled.values("user_id")).order_by("pk")[:learners])
    assert len(people) == learners, f"only {len(people)} enrolled national learners"
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for person in people:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)

    # The queries one lesson page costs an enrolled learner: the first request (uncached: it
    # fills the page cache and per-process caches such as the content types), then the third
    # (the second writes the visit).
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookies[0]
    url = lesson.get_url()
    counts = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts.append(len(queries))
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return {
        "lesson_url": url,
        "lesson_title": lesson.title,
        "course_title": course.title,
        "enrolments": Enrollment.objects.count(),
        "enrol_seconds": round(enrol_seconds, 1),
        "lesson_queries": counts[-1],
        "lesson_queries_uncached": counts[0],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "cookies": cookies,
    }


# The load --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    """One load run against one address."""

    path: str
    tool: str
    clients: int
    seconds: float
    requests: int
    errors: int  # connection errors, time-outs and answers other than 200
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


WRK_SCRIPT = """
local cookies = {}
local name = "sessionid"
local index = 0

function init(args)
    name = args[1]
    for line in io.lines(args[2]) do cookies[#cookies + 1] = line end
    index = tonumber(args[3] or "0")
end

function request()
    index = index + 1
    local cookie = name .. "=" .. cookies[(index % #cookies) + 1]
    return wrk.format("GET", nil, {["Cookie"] = cookie})
end

function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        '{"requests": %d, "micros": %d, "errors": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
        summary.requests, summary.duration,
        errors.connect + errors.read + errors.write + errors.status + errors.timeout,
        latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def load_wrk(url: str, *, cookie_name: str, cookies: list[str], clients: int, seconds: int) -> Load:
    with tempfile.TemporaryDirectory(prefix="saylau-wrk-") as folder:
        script, cookie_file = Path(folder) / "load.lua", Path(folder) / "cookies.txt"
        script.write_text(WRK_SCRIPT)
        cookie_file.write_text("\n".join(cookies) + "\n")
        command = ["wrk", "--threads", "1", "--connections", str(clients)]
        command += ["--duration", f"{seconds}s", "--timeout", "10s", "--script", str(script)]
        command += [url, "--", cookie_name, str(cookie_file)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Load(
        path="/" + url.split("/", 3)[3],
        tool="wrk",
        clients=clients,
        seconds=figures["micros"] / 1e6,
        requests=figures["requests"],
        errors=figures["errors"],
        p50_ms=figures["p50"] / 1000,
        p95_ms=figures["p95"] / 1000,
        p99_ms=figures["p99"] / 1000,
    )


async def _exchange(reader, writer, request: bytes) -> tuple[bytes, bool]:
    """Send one request and read the whole answer; returns the status line and whether the
    server closes the connection (gunicorn's sync workers close it after every answer)."""
    writer.write(request)
    await writer.drain()
    status = await reader.readline()
    length, close = None, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value == "close":
            close = True
    if length is None:
        await reader.read()
        return status, True
    await reader.readexactly(length)
    return status, close


async def _client(
    address: tuple[str, int],
    requests: list[bytes],
    *,
    first: int,
    first_due: float,
    interval: float | None,
    deadline: float,
    latencies: list[float],
    failures: list[str],
) -> None:
    """One client with a keep-alive connection. Without ``interval`` it sends the next request as
    soon as an answer is in (a closed loop: the most the server can do). With it, it sends one
    every ``interval`` seconds and counts each latency from the moment the request was due, so a
    server that falls behind shows its queue instead of slowing the clients down."""
    reader = writer = None
    index, due = first, first_due
    while (due if interval else time.perf_counter()) < deadline:
        if interval:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            started, due = due, due + interval
        else:
            started = time.perf_counter()
        request = requests[index % len(requests)]
        index += 1
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(*address)
            status, close = await _exchange(reader, writer, request)
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            failures.append(type(error).__name__)
            writer = None
            continue
        latencies.append(time.perf_counter() - started)
        if not status.startswith(b"HTTP/1.1 200"):
            failures.append(status.decode("latin-1").strip())
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def load_python(
    url: str,
    *,
    cookie_name: str,
    cookies: list[str],
    clients: int,
    seconds: int,
    rate: float | None = None,
) -> Load:
    """``clients`` concurrent clients for ``seconds``; with ``rate``, paced so that together they
    offer ``rate`` requests per second."""
    host_port, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
    host, port = host_port.split(":")
    requests = [
        (
            f"GET {path} HTTP/1.1\r\nHost: {host_port}\r\nCookie: {cookie_name}={cookie}\r\n"
            "Connection: keep-alive\r\n\r\n"
        ).encode()
        for cookie in cookies
    ]
    interval = clients / rate if rate else None
    latencies: list[float] = []
    failures: list[str] = []

    async def run() -> float:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _client(
                    (host, int(port)),
                    requests,
                    first=n * len(requests) // clients,
                    first_due=started + (interval or 0) * n / clients,
                    interval=interval,
                    deadline=started + seconds,
                    latencies=latencies,
                    failures=failures,
                )
                for n in range(clients)
            )
        )
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Load(
        path=path,
        tool="Python asyncio" + (f", paced at {rate:g} requests/s" if rate else ""),
        clients=clients,
        seconds=elapsed,
        requests=len(latencies),
        errors=len(failures),
        p50_ms=quantiles[49] * 1000,
        p95_ms=quantiles[94] * 1000,
        p99_ms=quantiles[98] * 1000,
    )


def load(url: str, **options) -> Load:
    return (load_wrk if shutil.which("wrk") else load_python)(url, **options)


# Orchestration ---------------------------------------------------------------------------------


def postgres(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def cache_clear() -> None:
    """Empty the benchmark's Redis database, so that no run reads another's sessions or pages."""
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(
    static_root: Path, *, database: str = POSTGRES_DATABASE, cache_url: str = CACHE_URL
) -> dict:
    """What the server and the management commands run with: production settings on the
    benchmark's own PostgreSQL database and Redis database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{POSTGRES_SERVER}/{database}",
        "CACHE_URL": cache_url,
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def check_lesson(base: str, prepared: dict) -> None:
    """The lesson answers a signed-in learner with the lesson itself, not the sign-in page."""
    request = urllib.request.Request(
        base + prepared["lesson_url"],
        headers={"Cookie": f"{prepared['session_cookie']}={prepared['cookies'][-1]}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        assert response.status == 200, response.status
        assert response.url.endswith(prepared["lesson_url"]), response.url
    assert prepared["lesson_title"] in body, "the lesson's title is missing from the page"
    assert 'action="/learning/courses/' in body, "no 'Mark as complete' form: not enrolled?"


def measure(*, duration: int, warmup: int, clients: int, learners: int, paced_rate: float) -> dict:
    postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
    cache_clear()
    static_root = Path(tempfile.mkdtemp(prefix="saylau-bench-static-"))
    env = environment(static_root)
    server = None
    try:
        print("migrate", flush=True)
        run(["manage.py", "migrate", "--no-input"], env)
        print("seed_demo --national", flush=True)
        run(["manage.py", "seed_demo", "--national"], env)
        run(["manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env)
        print(f"enrol the national members and sign {learners} of them in", flush=True)
        output = run([str(Path(__file__).relative_to(ROOT)), "--prepare", str(learners)], env)
        prepared = json.loads(output.strip().splitlines()[-1])

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "cms.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        wait_for(base + BARE_PATH)
        check_lesson(base, prepared)

        options = {
            "cookie_name": prepared["session_cookie"],
            "cookies": prepared["cookies"],
            "clients": clients,
        }
        results, load_average = {}, os.getloadavg()[0]
        for name, path in (("bare", BARE_PATH), ("lesson", prepared["lesson_url"])):
            print(f"{name}: {warmup} s warm-up, {duration} s measured", flush=True)
            load(base + path, seconds=warmup, **options)
            time.sleep(DRAIN_SECONDS)
            results[name] = load(base + path, seconds=duration, **options)
            print(f"  {results[name]}", flush=True)
            time.sleep(DRAIN_SECONDS)
        print(f"lesson, paced at {paced_rate:g} requests/s: {duration} s measured", flush=True)
        paced = {**options, "rate": paced_rate}
        load_python(base + prepared["lesson_url"], seconds=warmup, **paced)
        results["paced"] = load_python(base + prepared["lesson_url"], seconds=duration, **paced)
        print(f"  {results['paced']}", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    prepared.pop("cookies")
    return {
        "prepared": prepared,
        **{name: asdict(run) | {"per_second": run.per_second} for name, run in results.items()},
        "paced_rate": paced_rate,
        "ratio": results["lesson"].per_second / results["bare"].per_second,
        "postgres": postgres_version(),
        "load_average": load_average,
        "learners": learners,
        "duration": duration,
        "warmup": warmup,
    }


# The report ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = names[0].strip() if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def verdicts(result: dict) -> tuple[bool, bool]:
    return result["ratio"] >= TARGET_RATIO, result["lesson"]["p95_ms"] < TARGET_P95_MS


def section(result: dict) -> str:
    import django

    bare, lesson, paced = result["bare"], result["lesson"], result["paced"]
    prepared = result["prepared"]
    ratio_ok, p95_ok = verdicts(result)
    paced_ok = paced["p95_ms"] < TARGET_P95_MS and not paced["errors"]

    def yes(ok: bool) -> str:
        return "yes" if ok else "**no**"

    def row(what: str, figures: dict) -> str:
        return (
            f"| {what} | {figures['per_second']:,.0f} | {figures['p50_ms']:,.1f} ms "
            f"| {figures['p95_ms']:,.1f} ms | {figures['p99_ms']:,.1f} ms "
            f"| {figures['requests']:,} | {figures['errors']} |"
        )

    rate = f"{result['paced_rate']:g}"
    return "\n".join(
        [
            BEGIN,
            f"Measured on {date.today().isoformat()}; machine: {machine()}; Python "
            f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL "
            f"{result['postgres']}; load average before the run: {result['load_average']:.1f} "
            "(the load generator and PostgreSQL share the machine with the server).",
            "",
            "```sh",
            "make bench      # runs it, among the others",
            ".venv/bin/python benchmarks/lesson_page.py "
            f"--duration {result['duration']} --clients {lesson['clients']} --paced-rate {rate}",
            "```",
            "",
            f"Data: the national tree and the demo ({prepared['enrolments']:,} enrolments, made "
            f"in {prepared['enrol_seconds']} s by the demo assignments); {result['learners']} "
            "signed-in learners, each request carrying the next one's session. Server: gunicorn "
            f"with {WORKERS} sync workers, production settings, DEBUG off, Redis as the cache "
            "(sessions, the course pages' cache). The lesson: "
            f"“{prepared['lesson_title']}” of “{prepared['course_title']}” (Kazakh), "
            f"{prepared['lesson_queries']} queries per request once the page is cached, "
            f"{prepared['lesson_queries_uncached']} for the first request after a content "
            "change (the visit's record adds its writes at most once a minute per learner). "
            f"{lesson['clients']} concurrent clients, {result['warmup']} s of warm-up per "
            f"address, then {result['duration']} s per row, one row after the other in the same "
            f"run. Closed loop ({lesson['tool']}): each client sends its next request as soon as "
            f"the answer is in. Paced ({paced['tool']}): the {paced['clients']} clients together "
            f"offer {rate} requests/s, about {result['paced_rate'] * 60:,.0f} learners opening "
            "a page a minute, and a latency counts from the moment its request was due.",
            "",
            "| address, load | requests/s | p50 | p95 | p99 | requests | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
            row(f"bare view `{bare['path']}`, closed loop", bare),
            row("lesson page, closed loop", lesson),
            row(f"lesson page, paced at {rate} requests/s", paced),
            "",
            "| target | measured | met |",
            "|---|---:|---|",
            f"| lesson page ≥ {TARGET_RATIO:.0%} of the bare view's requests/s "
            f"| {result['ratio']:.1%} | {yes(ratio_ok)} |",
            f"| lesson page p95 < {TARGET_P95_MS} ms at {lesson['clients']} clients, closed "
            f"loop | {lesson['p95_ms']:,.0f} ms | {yes(p95_ok)} |",
            f"| (for comparison) lesson page p95 < {TARGET_P95_MS} ms at {rate} requests/s "
            f"| {paced['p95_ms']:,.0f} ms | {yes(paced_ok)} |",
            END,
        ]
    )


def replace_section(*, heading: str, begin: str, end: str, text: str, doc: Path = DOC) -> None:
    """Put ``text`` (which starts with ``begin`` and ends with ``end``) in place of the part of
    ``doc`` between those markers, adding a section under ``heading`` the first time."""
    current = doc.read_text()
    if begin not in current or end not in current:
        current = current.rstrip("\n") + f"\n\n## {heading}\n\n{begin}\n{end}\n"
    head, rest = current.split(begin, 1)
    doc.write_text(head + text + rest.split(end, 1)[1])


def write(result: dict) -> None:
    replace_section(heading="Lesson page", begin=BEGIN, end=END, text=section(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per address")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per address")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--learners", type=int, default=200, help="signed-in learners")
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=PACED_RATE,
        help="requests/s offered by the paced run of the lesson page",
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not touch the docs")
    parser.add_argument("--prepare", type=int, metavar="LEARNERS", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        print(json.dumps(prepare(options.prepare), ensure_ascii=False))
        return
    result = measure(
        duration=options.duration,
        warmup=options.warmup,
        clients=options.clients,
        learners=options.learners,
        paced_rate=options.paced_rate,
    )
    if options.no_write:
        print(section(result))
    else:
        write(result)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    ratio_ok, p95_ok = verdicts(result)
    if not (ratio_ok and p95_ok):
        sys.exit("Lesson page: over target (see docs/benchmarks.md).")


if __name__ == "__main__":
    main()
