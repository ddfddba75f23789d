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

# Certificates: one warm render, then 500, 1,000 and 2,000 rendered by two worker processes in
# batches of 50, on a throwaway SQLite database.
"$PYTHON" benchmarks/certificates.py
