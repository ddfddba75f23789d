"""Build the national-scale tree on SQLite and on PostgreSQL, measure branch scoping on it, and
write the figures into docs/benchmarks.md (between the "national" markers only).

    .venv/bin/python benchmarks/national.py [--databases sqlite,postgres] [--no-write]

SQLite: a fresh file var/bench/national.sqlite3. PostgreSQL: a fresh database ``saylau_bench``
on $BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432, trust auth), dropped at the
end. Each step runs in its own process, as a person would run it.
"""

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import django

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SQLITE_FILE = ROOT / "var" / "bench" / "national.sqlite3"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "saylau_bench"
SEED_TARGET_SECONDS = 180
BEGIN = "<!-- national:begin (written by benchmarks/run.sh: edit the script, not this part) -->"
END = "<!-- national:end -->"


def run(args: list[str], *, database_url: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
    }
    command = [sys.executable, *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return done.stdout


def postgres(sql: str) -> None:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def postgres_version() -> str:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


def measure(database: str) -> dict:
    if database == "sqlite":
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        for leftover in SQLITE_FILE.parent.glob(SQLITE_FILE.name + "*"):
            leftover.unlink()
        url = f"sqlite:///{SQLITE_FILE}"
        version = sqlite3.sqlite_version
    else:
        postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
        url = f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        version = postgres_version()
    try:
        print(f"[{database}] migrate", flush=True)
        run(["manage.py", "migrate", "--no-input"], database_url=url)
        print(f"[{database}] seed_demo --national", flush=True)
        started = time.perf_counter()
        output = run(["manage.py", "seed_demo", "--national"], database_url=url)
        seconds = time.perf_counter() - started
        built = re.search(r"national tree of ([\d,]+) commissions, ([\d,]+) members", output)
        print(f"[{database}] {seconds:.1f} s; branch scoping", flush=True)
        lines = run(["benchmarks/scoping.py"], database_url=url).splitlines()
        scoping = [json.loads(line) for line in lines]
    finally:
        if database == "postgres":
            postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    return {
        "database": database,
        "version": version,
        "seed_seconds": seconds,
        "commissions": built.group(1),
        "members": built.group(2),
        "scoping": scoping,
    }


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


LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def section(results: list[dict]) -> str:
    versions = ", ".join(f"{LABELS[r['database']]} {r['version']}" for r in results)
    lines = [
        BEGIN,
        f"Measured on {date.today().isoformat()}; machine: {machine()}; Python "
        f"{platform.python_version()}, Django {django.get_version()}, {versions}.",
        "",
        "Commands (what `make bench` runs through `benchmarks/run.sh`):",
        "",
        "```sh",
        "make bench                      # = bash benchmarks/run.sh",
        "# for each database, in a fresh SQLite file or a fresh PostgreSQL database:",
        "DATABASE_URL=sqlite:///var/bench/national.sqlite3 .venv/bin/python manage.py migrate",
        "time DATABASE_URL=... .venv/bin/python manage.py seed_demo --national",
        "DATABASE_URL=... .venv/bin/python benchmarks/scoping.py",
        "```",
        "",
        "### Building the national tree: `seed_demo --national` (target: under 3 minutes)",
        "",
        "Wall-clock time of the whole command (Django start-up and the small demo included).",
        "",
        "| database | time | commissions | members | within target |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        ok = "yes" if r["seed_seconds"] < SEED_TARGET_SECONDS else "**no**"
        lines.append(
            f"| {LABELS[r['database']]} | {r['seed_seconds']:.1f} s | {r['commissions']} "
            f"| {r['members']} | {ok} |"
        )
    lines += [
        "",
        "### Branch scoping at national scale (target: at most 3 queries)",
        "",
        "The queries of one call, counted with `CaptureQueriesContext`, and the median time of "
        "repeated calls. `branch_members` is evaluated in full (every row made into objects); "
        "`learner_access` is timed cold, as on a fresh request.",
        "",
        "| call | database | result | queries | median | runs |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for figure in r["scoping"]:
            what, kind = figure["what"].rsplit(": ", 1)
            if kind == "rows":
                result = f"{figure['result']:,} rows"
            else:
                result = "allowed" if figure["result"] else "refused"
            queries = str(figure["queries"]) + ("" if figure["within_budget"] else " **over**")
            lines.append(
                f"| `{what}` | {LABELS[r['database']]} | {result} | {queries} "
                f"| {figure['median_ms']:,.1f} ms | {figure['runs']} |"
            )
    lines.append(END)
    return "\n".join(lines)


DOC_SKELETON = f"""# Benchmarks

Figures for the hot paths at national scale (~10,500 commissions, ~75,000 members) on a 2-core
machine, the size of server on which other learning platforms have been seen to time out. Run
them again with `make bench`; each script rewrites only its own part of this file.

## National-scale data and branch scoping

{BEGIN}
{END}

## Member import

<!-- To be filled by benchmarks/import_members.py's author: command, machine, date, figures. -->
"""


def write(results: list[dict]) -> None:
    text = DOC.read_text() if DOC.exists() else DOC_SKELETON
    if BEGIN not in text or END not in text:  # keep what others wrote; add our part before it
        ours = f"## National-scale data and branch scoping\n\n{BEGIN}\n{END}\n\n"
        where = text.find("## Member import")
        text = text[:where] + ours + text[where:] if where >= 0 else text + "\n" + ours
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + section(results) + tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch the docs")
    options = parser.parse_args()
    results = [measure(database) for database in options.databases.split(",")]
    if options.no_write:
        print(section(results))
    else:
        write(results)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    failed = [
        r["database"]
        for r in results
        if r["seed_seconds"] >= SEED_TARGET_SECONDS
        or not all(f["within_budget"] for f in r["scoping"])
    ]
    if failed:
        sys.exit(f"Over target on: {', '.join(failed)}")


if __name__ == "__main__":
    main()
