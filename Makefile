# The verbs of the project. A newcomer needs two: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKER_QUEUES ?= default,certificates,reports

.PHONY: help install install-test run serve worker test test-suite lint format messages bench clean

help:
	@echo "make run    - install, migrate, load the demo and serve http://$(HOST):$(PORT) with a worker"
	@echo "make test   - install what the tests need, lint, run the whole suite (browser tests too)"
	@echo "make lint | format | serve | worker | messages | bench | clean"

install:  ## Python 3.11 dependencies from uv.lock, into .venv
	@command -v uv >/dev/null 2>&1 || python3 -c "import uv" 2>/dev/null || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@mkdir -p var

install-test: install  ## plus axe-core (npm) and Debian's chromium and PDF/QR tools for the tests
	npm ci --no-audit --no-fund --loglevel=error
	@missing=""; \
	for tool in chromium:chromium pdftotext:poppler-utils zbarimg:zbar-tools msgfmt:gettext; do \
		command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Please install Debian packages:$$missing (sudo apt-get install$$missing)"; exit 1; \
		fi; \
	fi

run: install  ## the platform with demo content at http://127.0.0.1:8000, plus a Celery worker
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at /admin/; sign-ins in README.md). Ctrl-C stops both."
	@$(PY) -m celery -A cms worker --beat --schedule var/celerybeat-schedule --loglevel INFO \
		--concurrency 2 -Q $(WORKER_QUEUES) & \
		worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

serve: install  ## production-style: gunicorn with 2 workers (set DJANGO_SETTINGS_MODULE etc.)
	$(PY) manage.py collectstatic --no-input
	.venv/bin/gunicorn cms.wsgi --workers 2 --bind $(HOST):$(PORT)

worker: install  ## a worker for all queues; production runs one `celery -A cms beat` beside it
	$(PY) -m celery -A cms worker --loglevel INFO -Q $(WORKER_QUEUES)

test: install-test lint test-suite  ## lint + the whole suite, browser tests included

test-suite:  ## the suite alone (CI runs it again against PostgreSQL and Redis)
	.venv/bin/pytest --create-db -p no:cacheprovider

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/djhtml --check $$(git ls-files '*.html')

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
	.venv/bin/djhtml $$(git ls-files '*.html')

messages:  ## refresh the kk/ru/en catalogues after changing UI strings, then translate and compile
	$(PY) manage.py makemessages -l kk -l ru -l en --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

bench: install  ## the benchmarks (docs/benchmarks.md); wrk from Debian drives the closed loops
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
		else \
			echo "wrk is not installed (sudo apt-get install wrk): a Python load generator stands in"; \
		fi; }
	-$(PY) benchmarks/reports.py
	bash benchmarks/run.sh

clean:
	rm -rf var .pytest_cache .ruff_cache
