"""Time certificate rendering: one warm render, then N certificates rendered by two processes.

    .venv/bin/python benchmarks/certificates.py                     # a throwaway SQLite database
    .venv/bin/python benchmarks/certificates.py --sizes 500 1000 2000 --singles 40 --batch 50

Single: the median of ``--singles`` renders of one certificate each, in a process that rendered
before (``certificate_render``: snapshot to PDF, file stored, row updated), beside the pure
renderer alone. Bulk: for each N, N certificates are issued (``certificate_issue``, the render
queue left out) and two worker processes, warmed up first, render them in batches of ``--batch``
through ``certificates_render`` (what the ``render_certificates`` task calls), each taking every
other batch; the time is from the first worker starting to the last finishing. The figures go
between the markers of docs/benchmarks.md; the 70,000 extrapolation is written only when the
milliseconds per certificate stay within 15% across the sizes.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORK_DIR = Path(os.environ.get("BENCH_WORK_DIR") or tempfile.mkdtemp(prefix="saylau-bench-"))
os.environ["BENCH_WORK_DIR"] = str(WORK_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ["PRIVATE_ROOT"] = str(WORK_DIR / "private")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK_DIR / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from unittest import mock  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from certificates import pdf, services  # noqa: E402
from certificates.models import Certificate, CertificateSignatory, CertificateTemplate  # noqa: E402
from commissions.models import ElectionEvent  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- certificates:begin (written by benchmarks/certificates.py) -->"
END = "<!-- certificates:end -->"
TARGET_COUNT, TARGET_MINUTES = 70_000, 20
LINEAR_SPREAD = 0.15
FIRST = ["Әлия", "Ғалым", "Қанат", "Нұрлан", "Өмірзақ", "Ұлжан", "Үміт", "Һадия", "Інжу", "Айгүл"]
LAST = ["Сәрсенбаева", "Құрманова", "Жақсылықова", "Омарова", "Нұрғалиева", "Ілиясова"]


def setup() -> tuple[CertificateTemplate, ElectionEvent]:
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
    return template, event


def issue(count: int, *, template, event, tag: str) -> tuple[list[int], float]:
    """``count`` learners and their certificates; returns the ids and ms per issue."""
    users = User.objects.bulk_create(
        User(
            username=f"bench-{tag}-{i}",
            full_name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i}",
        )
        for i in range(count)
    )
    import uuid

    course_key = uuid.uuid4()
    snapshot = {
        "course_title": "Дауыстарды санау және қорытынды хаттама",
        "event_name": event.name_kk,
        "completed_on": "01.12.2026",
        "hours": "2",
    }
    started = time.perf_counter()
    ids = []
    # Rendering is left to the workers below: nothing is queued when these commit.
    with mock.patch.object(services, "certificate_render_enqueue"), transaction.atomic():
        for user in users:
            ids.append(
                services.certificate_issue(
                    learner_id=user.pk,
                    course_key=course_key,
                    event_id=event.pk,
                    template_id=template.pk,
                    snapshot={**snapshot, "holder_name": user.full_name},
                    language="kk",
                ).pk
            )
    return ids, (time.perf_counter() - started) * 1000 / count


def singles(count: int, *, template, event) -> dict:
    ids, _issue_ms = issue(count + 2, template=template, event=event, tag="single")
    services.certificate_render(certificate_id=ids[0])  # warm: imports, fonts, stylesheet
    timings = []
    for pk in ids[1:-1]:
        started = time.perf_counter()
        services.certificate_render(certificate_id=pk)
        timings.append((time.perf_counter() - started) * 1000)
    item = services.certificate_print(Certificate.objects.get(pk=ids[-1]))
    pure = []
    for _ in range(count):
        started = time.perf_counter()
        pdf.render_certificate(item)
        pure.append((time.perf_counter() - started) * 1000)
    return {
        "count": count,
        "median_ms": statistics.median(timings),
        "p90_ms": statistics.quantiles(timings, n=10)[-1],
        "pure_median_ms": statistics.median(pure),
    }


def worker(ids_file: Path, shard: int, shards: int, batch: int) -> None:
    """One worker process: warm up, then render its share of the batches; prints its times."""
    ids = json.loads(ids_file.read_text())
    item = services.certificate_print(Certificate.objects.get(pk=ids[0]))
    pdf.render_certificates([item, item])  # warm, nothing stored
    batches = [ids[i : i + batch] for i in range(0, len(ids), batch)][shard::shards]
    started = time.time()
    stored = sum(services.certificates_render(certificate_ids=b) for b in batches)
    print(json.dumps({"started": started, "finished": time.time(), "stored": stored}))


def bulk(count: int, *, template, event, batch: int, workers: int) -> dict:
    ids, issue_ms = issue(count, template=template, event=event, tag=f"bulk{count}")
    ids_file = WORK_DIR / f"ids-{count}.json"
    ids_file.write_text(json.dumps(ids))
    connection.close()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", str(ids_file), str(shard), str(workers)]
            + ["--batch", str(batch)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for shard in range(workers)
    ]
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"a worker failed ({process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    seconds = max(r["finished"] for r in results) - min(r["started"] for r in results)
    rendered = Certificate.objects.filter(pk__in=ids, rendered_at__isnull=False).count()
    names = Certificate.objects.filter(pk__in=ids).values_list("pdf", flat=True)
    files = sum((WORK_DIR / "private" / name).is_file() for name in names if name)
    return {
        "count": count,
        "seconds": seconds,
        "ms_per_certificate": seconds * 1000 / count,
        "stored": sum(r["stored"] for r in results),
        "rendered": rendered,
        "issue_ms": issue_ms,
        "files": files,
    }


def section(result: dict) -> str:
    single, runs = result["single"], result["bulk"]
    per = [run["ms_per_certificate"] for run in runs]
    spread = (max(per) - min(per)) / statistics.mean(per)
    lines = [
        BEGIN,
        f"Measured {result['when']} on {result['database']}, {os.cpu_count()} cores, "
        f"`flock /tmp/bench.lock .venv/bin/python benchmarks/certificates.py "
        f"--sizes {' '.join(str(r['count']) for r in runs)} --singles {single['count']} "
        f"--batch {result['batch']}`.",
        "",
        "| measure | figure |",
        "| --- | --- |",
        f"| one certificate, warm process (`certificate_render`: PDF, file, row), median of "
        f"{single['count']} | {single['median_ms']:.0f} ms (p90 {single['p90_ms']:.0f} ms) |",
        f"| the pure renderer alone (`pdf.render_certificate`), median of {single['count']} "
        f"| {single['pure_median_ms']:.0f} ms |",
        "",
        f"Bulk: {result['workers']} worker processes, batches of {result['batch']} "
        "(`certificates_render`), issued first with `certificate_issue`.",
        "",
        "| N | wall time | ms per certificate | issuing, ms each | stored | files |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| {run['count']:,} | {run['seconds']:.1f} s | {run['ms_per_certificate']:.1f} "
            f"| {run['issue_ms']:.1f} | {run['stored']:,} | {run['files']:,} |"
        )
    lines.append("")
    if spread <= LINEAR_SPREAD:
        render_minutes = max(per) * TARGET_COUNT / 60_000
        issue_minutes = max(r["issue_ms"] for r in runs) * TARGET_COUNT / 60_000
        verdict = "meets" if render_minutes < TARGET_MINUTES else "misses"
        lines.append(
            f"Linear: the cost per certificate varies by {spread:.0%} across N (at most "
            f"{LINEAR_SPREAD:.0%} allowed). Extrapolated from the slowest run, the two workers "
            f"render {TARGET_COUNT:,} certificates in about {render_minutes:.1f} minutes: "
            f"{verdict} the target of {TARGET_MINUTES} minutes. Issuing the records one after "
            f"another in one process would add {issue_minutes:.1f} minutes "
            f"({render_minutes + issue_minutes:.1f} in all) if they were all issued at once."
        )
    else:
        lines.append(
            f"Not linear: the cost per certificate varies by {spread:.0%} across N (more than "
            f"{LINEAR_SPREAD:.0%}), so no extrapolation to {TARGET_COUNT:,} is made."
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--singles", type=int, default=40)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the docs")
    parser.add_argument(
        "--worker", nargs=3, metavar=("IDS", "SHARD", "SHARDS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        ids_file, shard, shards = args.worker
        worker(Path(ids_file), int(shard), int(shards), args.batch)
        return
    try:
        template, event = setup()
        result = {
            "when": time.strftime("%Y-%m-%d"),
            "database": connection.vendor,
            "batch": args.batch,
            "workers": args.workers,
            "single": singles(args.singles, template=template, event=event),
            "bulk": [],
        }
        print(f"single: {result['single']}", flush=True)
        for count in args.sizes:
            run = bulk(
                count, template=template, event=event, batch=args.batch, workers=args.workers
            )
            print(f"bulk: {run}", flush=True)
            result["bulk"].append(run)
        text = section(result)
        print(text)
        if not args.no_write:
            replace_section(heading="Certificates", begin=BEGIN, end=END, text=text)
    finally:
        shutil.rmtree(WORK_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
