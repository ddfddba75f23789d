#!/usr/bin/env bash
# `make bench`: the national-scale benchmarks on SQLite and PostgreSQL; the figures go into
# docs/benchmarks.md. Needs `uv sync` and PostgreSQL on 127.0.0.1:5432 (user postgres, trust
# auth; BENCH_POSTGRES_URL overrides). Pass --databases sqlite to skip PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

"$PYTHON" benchmarks/national.py "$@"

# The member-import benchmark fills its own section of docs/benchmarks.md.
if [[ -f benchmarks/import_members.py ]]; then
    "$PYTHON" benchmarks/import_members.py
fi
