#!/usr/bin/env bash
# `make bench`: the national-scale benchmarks on SQLite and PostgreSQL; the figures go into
# docs/benchmarks.md. Needs `uv sync` and PostgreSQL on 127.0.0.1:5432 (user postgres, trust
# auth; BENCH_POSTGRES_URL overrides). Pass --databases sqlite to skip PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

"$PYTHON" benchmarks/national.py "$@"

# Member import: 10,000 rows on a throwaway SQLite database, then on a scratch PostgreSQL one.
"$PYTHON" benchmarks/import_members.py
if [[ " $* " != *" --databases sqlite "* ]]; then
    server="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
    psql "$server/postgres" -qc "DROP DATABASE IF EXISTS saylau_bench_import WITH (FORCE)"
    psql "$server/postgres" -qc "CREATE DATABASE saylau_bench_import"
    DATABASE_URL="$server/saylau_bench_import" "$PYTHON" benchmarks/import_members.py
    psql "$server/postgres" -qc "DROP DATABASE saylau_bench_import WITH (FORCE)"
fi

# Lesson page beside a bare view, served by gunicorn, on a PostgreSQL database of its own.
[[ " $* " == *" --databases sqlite "* ]] || "$PYTHON" benchmarks/lesson_page.py

# A burst of 3,000 final-test attempts (start and submit), served by gunicorn, on PostgreSQL.
[[ " $* " == *" --databases sqlite "* ]] || "$PYTHON" benchmarks/quiz_burst.py

# Certificates: warm single renders, then 500 to 4,000 issued by two processes and rendered by a
# Celery worker of two processes (Redis database 12) in batches of 50, on a PostgreSQL database of
# its own (a throwaway SQLite file with --databases sqlite).
if [[ " $* " == *" --databases sqlite "* ]]; then
    "$PYTHON" benchmarks/certificates.py --database sqlite
else
    "$PYTHON" benchmarks/certificates.py
fi
