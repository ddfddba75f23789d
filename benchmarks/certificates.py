"""Issuing and rendering certificates at national scale, on PostgreSQL with a real Celery worker,
and the figures written into docs/benchmarks.md ("Certificates").

    flock /tmp/bench.lock .venv/bin/python benchmarks/certificates.py
    .venv/bin/python benchmarks/certificates.py --sizes 500 1000 2000 4000 --batch 50 [--no-write]
    .venv/bin/python benchmarks/certificates.py --database sqlite   # no PostgreSQL at hand

What it does, with the production settings (DEBUG off):

1. a fresh PostgreSQL database ``saylau_bench_certs`` on $BENCH_POSTGRES_URL (default
   postgres://postgres@127.0.0.1:5432, trust auth), dropped at the end; ``migrate``; a template
   with two signatories and an event. Private files go to a temporary folder;
2. single renders, in this process: the median of ``--singles`` warm ``certificate_render`` calls
   (snapshot to PDF, file stored, row updated), the pure renderer on one certificate
   (``pdf.render_certificate``) and, per certificate, on a batch of ``--batch``
   (``pdf.render_certificates``);
3. for each N of ``--sizes``: N learners (not timed), then
   - issuing: ``--issuers`` processes (two; one on SQLite, which writes one transaction at a time)
     call ``certificate_issue`` for their share of the learners, from the same moment, every issue
     its own transaction as at a course completion; the one-certificate render task each issue
     would queue is not sent, since the renders go in batches below. Issuing takes seconds, so
     other work on the machine shows in it: it runs ``--issue-rounds`` times (fresh learners) and
     the fastest round counts;
   - rendering: a Celery worker (``celery -A cms worker -Q certificates --concurrency 2``: two
     processes) on Redis database 12 ($BENCH_BROKER_URL) is sent N / ``--batch``
     ``render_certificates`` tasks; the time runs from the first task sent to the last file stored
     (the latest ``rendered_at``);
   a first round of ``--warmup`` certificates, left out of the figures, warms the worker's two
   processes (WeasyPrint's import, fonts, stylesheets) and the database;
4. the figures between the markers of docs/benchmarks.md; the extrapolation to 70,000 (issuing
   and rendering one after the other) only when the milliseconds per certificate of both stay
   within 15% across the sizes.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- certificates:begin (written by benchmarks/certificates.py) -->"
END = "<!-- certificates:end -->"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "saylau_bench_certs"
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
TARGET_COUNT, TARGET_MINUTES = 70_000, 20
LINEAR_SPREAD = 0.15
WAIT_SECONDS_PER_CERTIFICATE = 0.2
ISSUE_START_SECONDS = 8
FIRST = ["Әлия", "Ғалым", "Қанат", "Нұрлан", "Өмірзақ", "Ұлжан", "Үміт", "Һадия", "Інжу", "Айгүл"]
LAST = ["Сәрсенбаева", "Құрманова", "Жақсылықова", "Омарова", "Нұрғалиева", "Ілиясова"]
SNAPSHOT = {
    "course_title": "Дауыстарды санау және қорытынды хаттама",
    "completed_on": "01.12.2026",
    "hours": "2",
}


# Inside Django: this process, the issuing processes ---------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def setup() -> dict:
    """Migrate; the template and the event every certificate of the run is issued from."""
    from django.core.management import call_command

    from certificates.models import CertificateSignatory, CertificateTemplate
    from commissions.models import ElectionEvent

    call_command("migrate", verbosity=0)
    template = CertificateTemplate(
        name="Benchmark",
        title_kk="Оқу туралы сертификат",
        body_kk="Осымен {name} «{course}» курсын ({hours} сағат) {date} сәтті аяқтағаны "
        "расталады. Курс «{event}» аясында өткізілді.",
    )
    template.save()
    for order, name in enumerate(("Нұржан Бекмұратов", "Динара Сейітова")):
        CertificateSignatory.objects.create(
            template=template, sort_order=order, name=name, post="ОСК"
        )
    event = ElectionEvent.objects.create(
        kind=ElectionEvent.Kind.MASLIKHAT,
        name_kk="Мәслихат депутаттарының кезектен тыс сайлауы",
        vote_date="2026-12-20",
        training_deadline="2026-12-18",
    )
    return {"template_id": template.pk, "event_id": event.pk, "event_name": event.name_kk}


def learners(count: int, tag: str) -> list[int]:
    from accounts.models import User

    users = User.objects.bulk_create(
        User(
            username=f"bench-{tag}-{i}",
            full_name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}",
        )
        for i in range(count)
    )
    return [user.pk for user in users]


def issue(learner_ids: list[int], *, context: dict, course_key: str) -> list[int]:
    """Issue one certificate per learner through ``certificate_issue``, each in its own
    transaction; the one-certificate render task is not sent (renders go in batches)."""
    from unittest import mock

    from accounts.models import User
    from certificates.services import certificate_issue
    from certificates.tasks import render_certificate

    names = dict(User.objects.filter(pk__in=learner_ids).values_list("pk", "full_name"))
    ids = []
    with mock.patch.object(render_certificate, "delay"):
        for learner_id in learner_ids:
            certificate = certificate_issue(
                learner_id=learner_id,
                course_key=uuid.UUID(course_key),
                event_id=context["event_id"],
                template_id=context["template_id"],
                snapshot={
                    **SNAPSHOT,
                    "event_name": context["event_name"],
                    "holder_name": names[learner_id],
                },
                language="kk",
            )
            ids.append(certificate.pk)
    return ids


def issue_process(job_file: Path, shard: int, shards: int) -> None:
    """One issuing process: a warm-up issue, then, from the moment the job gives every process,
    its share of the learners; prints its times."""
    job = json.loads(job_file.read_text())
    share = job["learner_ids"][shard::shards]
    issue([share[0]], context=job["context"], course_key=job["course_key"])  # warm
    late = time.time() - job["start"]
    time.sleep(max(0.0, -late))
    issued = issue(share[1:], context=job["context"], course_key=job["course_key"])
    print(json.dumps({"finished": time.time(), "issued": len(issued), "late": max(0.0, late)}))


def singles(count: int, batch: int, *, context: dict) -> dict:
    """Warm renders in this process: one certificate through the service, one alone in the pure
    renderer, and a batch of ``batch`` in the pure renderer (per certificate)."""
    from certificates import pdf, services
    from certificates.models import Certificate

    learner_ids = learners(max(count + 1, batch), "single")
    ids = issue(learner_ids, context=context, course_key=str(uuid.uuid4()))
    services.certificate_render(certificate_id=ids[0])  # warm: imports, fonts, stylesheets
    timings = []
    for pk in ids[1 : count + 1]:
        started = time.perf_counter()
        services.certificate_render(certificate_id=pk)
        timings.append((time.perf_counter() - started) * 1000)
    certificates = Certificate.objects.filter(pk__in=ids).order_by("pk")
    items = [services.certificate_print(certificate) for certificate in certificates]
    lone = []
    for item in items[:count]:
        started = time.perf_counter()
        pdf.render_certificate(item)
        lone.append((time.perf_counter() - started) * 1000)
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        files = pdf.render_certificates(items[:batch])
        batches.append((time.perf_counter() - started) * 1000 / batch)
    return {
        "count": count,
        "median_ms": statistics.median(timings),
        "p90_ms": statistics.quantiles(timings, n=10)[-1],
        "lone_ms": statistics.median(lone),
        "batch_ms": statistics.median(batches),
        "bytes": statistics.mean(len(data) for data in files),
    }


def issue_in_processes(
    learner_ids: list[int], *, processes: int, context: dict, env: dict, work: Path
) -> dict:
    """Issue in ``processes`` processes at once (the learners split between them), each issue in
    its own transaction; the wall time and the certificates' ids."""
    from certificates.models import Certificate

    course_key = str(uuid.uuid4())
    job = work / f"issue-{course_key}.json"
    start = time.time() + ISSUE_START_SECONDS  # time enough for both processes to set up
    job.write_text(
        json.dumps(
            {
                "learner_ids": learner_ids,
                "context": context,
                "course_key": course_key,
                "start": start,
            }
        )
    )
    issuers = [
        subprocess.Popen(
            [sys.executable, __file__, "--issue-process", str(job), str(shard), str(processes)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for shard in range(processes)
    ]
    results = []
    for process in issuers:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"an issuing process failed ({process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    if late := max(result["late"] for result in results):
        print(f"an issuing process started {late:.1f} s late: raise ISSUE_START_SECONDS")
    ids = Certificate.objects.filter(course_key=course_key).order_by("pk")
    return {
        "seconds": max(result["finished"] for result in results) - start,
        "timed": sum(result["issued"] for result in results),  # the warm-up issues left out
        "ids": list(ids.values_list("pk", flat=True)),
    }


def render_with_worker(ids: list[int], batch: int, *, timeout: float) -> dict:
    """Send the batches to the Celery worker; wait until every certificate is stored."""
    from django.db.models import Max

    from certificates.models import Certificate
    from certificates.tasks import render_certificates

    batches = [ids[i : i + batch] for i in range(0, len(ids), batch)]
    # The ids of one issuing round follow each other: a range keeps the polling below cheap.
    certificates = Certificate.objects.filter(pk__range=(min(ids), max(ids)))
    assert certificates.count() == len(ids), "the certificates to render are not one range"
    started = time.time()
    for chunk in batches:
        render_certificates.delay(chunk)
    deadline = time.monotonic() + timeout
    while certificates.filter(rendered_at__isnull=True).exists():
        if certificates.exclude(render_error="").exists():
            raise SystemExit(certificates.exclude(render_error="").first().render_error)
        if time.monotonic() > deadline:
            raise SystemExit(f"not every certificate was rendered within {timeout:.0f} s")
        time.sleep(0.5)
    finished = certificates.aggregate(last=Max("rendered_at"))["last"].timestamp()
    return {"seconds": finished - started, "tasks": len(batches)}


def stored_files(ids: list[int], private_root: Path) -> int:
    from certificates.models import Certificate

    names = Certificate.objects.filter(pk__in=ids).values_list("pdf", flat=True)
    return sum((private_root / name).is_file() for name in names if name)


# Orchestration ----------------------------------------------------------------------------------


def postgres(sql: str):
    """Run one statement on the server's maintenance database; the first value it returns."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def broker_flush() -> None:
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


def environment(database: str, work: Path) -> dict:
    """What this process, the issuing processes and the worker run with: the production settings
    on the benchmark's own database, broker database and private folder."""
    if database == "postgres":
        database_url = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
    else:
        database_url = f"sqlite:///{work / 'bench.sqlite3'}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_ROOT": str(work / "private"),
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def start_worker(env: dict, work: Path) -> subprocess.Popen:
    log = open(work / "worker.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "-Q", "certificates"]
        + ["--pool", "prefork", "--concurrency", "2", "--loglevel", "WARNING"]
        + ["--without-gossip", "--without-mingle", "-n", f"bench-certificates-{os.getpid()}@%h"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # warm shutdown: the running tasks finish
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def bulk(
    count: int, *, args: argparse.Namespace, context: dict, env: dict, work: Path, tag: str
) -> dict:
    """Issue ``count`` certificates ``--issue-rounds`` times over (fresh learners each time) and
    keep the fastest round, then render the first round's certificates."""
    rounds = []
    for number in range(args.issue_rounds):
        learner_ids = learners(count + args.issuers, f"{tag}-{number}")  # + each issuer's warm-up
        rounds.append(
            issue_in_processes(
                learner_ids, processes=args.issuers, context=context, env=env, work=work
            )
        )
    issued = min(rounds, key=lambda round_: round_["seconds"] / round_["timed"])
    ids = rounds[0]["ids"]
    timeout = 60 + count * WAIT_SECONDS_PER_CERTIFICATE
    rendered = render_with_worker(ids, args.batch, timeout=timeout)
    return {
        "count": count,
        "issue_seconds": issued["seconds"],
        "issue_ms": issued["seconds"] * 1000 / issued["timed"],
        "issue_rounds_ms": [r["seconds"] * 1000 / r["timed"] for r in rounds],
        "render_seconds": rendered["seconds"],
        "render_ms": rendered["seconds"] * 1000 / len(ids),
        "tasks": rendered["tasks"],
        "files": stored_files(ids, work / "private"),
        "certificates": len(ids),
    }


def run(args: argparse.Namespace, work: Path) -> dict:
    env = environment(args.database, work)
    os.environ.update(env)
    if args.database == "postgres":
        postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
    broker_flush()
    django_setup()
    from django.db import connection

    context = setup()
    result = {
        "when": time.strftime("%Y-%m-%d"),
        "database": (
            f"PostgreSQL {postgres('SHOW server_version').split()[0]}"
            if args.database == "postgres"
            else "SQLite"
        ),
        "cores": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "batch": args.batch,
        "issuers": args.issuers,
        "issue_rounds": args.issue_rounds,
        "options": options(args),
        "single": singles(args.singles, args.batch, context=context),
        "bulk": [],
    }
    print(f"single: {json.dumps(result['single'])}", flush=True)
    connection.close()
    worker = start_worker(env, work)
    try:
        # Warm-up, not recorded: a round of --warmup certificates, so that both of the worker's
        # processes have imported WeasyPrint and rendered, and the database has seen the tables.
        if args.warmup:
            bulk(args.warmup, args=args, context=context, env=env, work=work, tag="warm")
        for index, count in enumerate(args.sizes):
            run_result = bulk(
                count, args=args, context=context, env=env, work=work, tag=f"bulk{index}"
            )
            print(f"bulk: {json.dumps(run_result)}", flush=True)
            result["bulk"].append(run_result)
    finally:
        stop_worker(worker)
        connection.close()
    return result


def options(args: argparse.Namespace) -> str:
    """The command line's options that shape the figures, as a reader would type them."""
    words = ["--sizes", *map(str, args.sizes), "--singles", str(args.singles)]
    words += ["--batch", str(args.batch)]
    if args.database != "postgres":
        words += ["--database", args.database]
    if args.issuers != (2 if args.database == "postgres" else 1):
        words += ["--issuers", str(args.issuers)]
    return " ".join(words)


def section(result: dict) -> str:
    single, runs = result["single"], result["bulk"]
    issuers = "one process" if result["issuers"] == 1 else f"{result['issuers']} processes"
    render = [run["render_ms"] for run in runs]
    issuing = [run["issue_ms"] for run in runs]
    spread = max(
        (max(values) - min(values)) / statistics.mean(values) for values in (render, issuing)
    )
    lines = [
        BEGIN,
        f"Measured {result['when']} on {result['database']}, {result['cores']} cores (load "
        f"average {result['load_average']:.1f} before the run), production settings: "
        f"`flock /tmp/bench.lock .venv/bin/python benchmarks/certificates.py "
        f"{result['options']}`.",
        "",
        "| measure | figure |",
        "| --- | --- |",
        f"| one certificate, warm process (`certificate_render`: PDF, file, row), median of "
        f"{single['count']} | {single['median_ms']:.0f} ms (p90 {single['p90_ms']:.0f} ms) |",
        f"| the pure renderer, one certificate alone (`pdf.render_certificate`) "
        f"| {single['lone_ms']:.1f} ms |",
        f"| the pure renderer, per certificate in a batch of {result['batch']} "
        f"(`pdf.render_certificates`) | {single['batch_ms']:.1f} ms |",
        f"| size of one certificate's PDF | {single['bytes'] / 1024:.1f} KB |",
        "",
        f"Bulk: issued by {issuers} calling `certificate_issue` (one transaction each; the "
        f"fastest of {result['issue_rounds']} rounds), then rendered by a Celery worker with two "
        f"processes (Redis broker) from `render_certificates` tasks of {result['batch']} "
        "(`certificates_render`).",
        "",
        "| N | issuing | ms per issue | rendering | ms per certificate | tasks | files |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| {run['count']:,} | {run['issue_seconds']:.1f} s | {run['issue_ms']:.2f} "
            f"| {run['render_seconds']:.1f} s | {run['render_ms']:.2f} | {run['tasks']:,} "
            f"| {run['files']:,} |"
        )
    lines.append("")
    if len(runs) > 1 and spread <= LINEAR_SPREAD:
        issue_minutes = max(issuing) * TARGET_COUNT / 60_000
        render_minutes = max(render) * TARGET_COUNT / 60_000
        total = issue_minutes + render_minutes
        verdict = "meets" if total < TARGET_MINUTES else "misses"
        lines.append(
            f"Linear: the cost per certificate varies by at most {spread:.0%} across N (at most "
            f"{LINEAR_SPREAD:.0%} allowed). Extrapolated from the slowest run of each, "
            f"{TARGET_COUNT:,} certificates take {issue_minutes:.1f} minutes to issue and "
            f"{render_minutes:.1f} minutes to render, **{total:.1f} minutes** in all: {verdict} "
            f"the target of {TARGET_MINUTES} minutes."
        )
    else:
        lines.append(
            f"No extrapolation to {TARGET_COUNT:,}: linearity needs two sizes or more whose costs "
            f"per certificate stay within {LINEAR_SPREAD:.0%} (here {spread:.0%})."
        )
    lines.append(END)
    return "\n".join(lines)


def replace_section(*, heading: str, begin: str, end: str, text: str, doc: Path = DOC) -> None:
    """Put ``text`` (which starts with ``begin`` and ends with ``end``) in place of the part of
    ``doc`` between those markers, adding a section under ``heading`` the first time."""
    current = doc.read_text()
    if begin not in current or end not in current:
        current = current.rstrip("\n") + f"\n\n## {heading}\n\n{begin}\n{end}\n"
    head, rest = current.split(begin, 1)
    doc.write_text(head + text + rest.split(end, 1)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--singles", type=int, default=40)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=300, help="certificates of an untimed round")
    parser.add_argument(
        "--issue-rounds",
        type=int,
        default=3,
        help="times each N is issued; the fastest round counts",
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--issuers",
        type=int,
        help="processes issuing at once (default 2; 1 on SQLite, which serialises writers)",
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--issue-process", nargs=3, metavar=("JOB", "SHARD", "SHARDS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.issuers is None:
        args.issuers = 2 if args.database == "postgres" else 1
    if args.issue_process:
        django_setup()
        job, shard, shards = args.issue_process
        issue_process(Path(job), int(shard), int(shards))
        return
    work = Path(tempfile.mkdtemp(prefix="saylau-bench-certificates-"))
    try:
        result = run(args, work)
    finally:
        if args.database == "postgres":
            postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        broker_flush()
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    text = section(result)
    print(text)
    if not args.no_write:
        replace_section(heading="Certificates", begin=BEGIN, end=END, text=text)


if __name__ == "__main__":
    main()
