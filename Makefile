# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# Production-like settings for `check --deploy`: DEBUG off, a real-looking key.
DEPLOY_ENV := DEBUG=0 ALLOWED_HOSTS=example.com SECRET_KEY=deploy-check-$(shell head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

.PHONY: run test lint bench bench-views install install-dev browser nginx wrk redis clean

$(PY):
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A git-ignored .env with DEBUG=1, so manage.py commands by hand are local too.
.env:
	echo "DEBUG=1" > .env

run: install .env
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo
	@DEBUG=1 $(PY) manage.py local_admin
	@# The background worker (imports from WordPress) runs beside the web server and stops with it.
	DEBUG=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the browser tests; Playwright cannot download its own here.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's nginx with its brotli and cache-purge modules: tests/test_deploy.py runs
# deploy/nginx.conf in front of the app, and `make bench` measures through it.
NGINX_PACKAGES := nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static libnginx-mod-http-cache-purge
nginx:
	@if ! dpkg -s $(NGINX_PACKAGES) >/dev/null 2>&1; then \
		echo "Installing Debian's nginx and its brotli and cache-purge modules"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(NGINX_PACKAGES) >/dev/null; \
	fi

# wrk, the HTTP load generator `make bench` measures with.
wrk:
	@if ! command -v wrk >/dev/null; then \
		echo "Installing Debian's wrk for the benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

# Debian's redis-server: tests/scaleout starts one of its own beside two gunicorn servers.
redis:
	@if ! command -v redis-server >/dev/null; then \
		echo "Installing Debian's redis-server for the two-server test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi

# Debian's PostgreSQL client: django-dbbackup backs PostgreSQL up and restores it with
# pg_dump and pg_restore (README: Security; tests/test_backup.py on the PostgreSQL run).
.PHONY: pg-client
pg-client:
	@if ! command -v pg_dump >/dev/null || ! command -v pg_restore >/dev/null; then \
		echo "Installing Debian's postgresql-client for backups"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# One pytest-xdist worker per core, a test module on one worker: a module's servers
# (module-scoped fixtures: gunicorn, nginx, redis-server) start once, never twice at once.
PYTEST_WORKERS ?= -n auto --dist loadfile
test: install-dev browser nginx redis pg-client lint
	@echo "== Test suite on SQLite (with browser tests) =="
	$(VENV)/bin/pytest $(PYTEST_WORKERS)
	@if $(PY) scripts/pg_ready.py "$(PG_URL)"; then \
		echo "== Test suite on PostgreSQL ($(PG_URL)); browser and no_database tests ran on SQLite =="; \
		DATABASE_URL="$(PG_URL)" $(VENV)/bin/pytest $(PYTEST_WORKERS) -m "not browser and not no_database"; \
	elif command -v pg_ctlcluster >/dev/null || command -v postgres >/dev/null || [ -d /usr/lib/postgresql ]; then \
		echo "PostgreSQL is installed but $(PG_URL) does not answer: the PostgreSQL run did not execute." >&2; \
		exit 1; \
	else \
		echo "== PostgreSQL is not installed: SKIPPED the PostgreSQL run (SQLite run only) =="; \
	fi

# gunicorn (production settings) on a throw-away PostgreSQL database and Redis, measured
# with wrk against a bare Django view and nginx serving a file; figures only, never in
# `make test`. BENCH_POSTS=100000 for the large data set; BENCH_SECONDS, BENCH_ROUNDS.
BENCH_POSTS ?= 1000
BENCH_SECONDS ?= 10
BENCH_ROUNDS ?= 3
bench: install-dev nginx wrk
	$(PY) bench/http_bench.py --posts $(BENCH_POSTS) --seconds $(BENCH_SECONDS) --rounds $(BENCH_ROUNDS)
	$(PY) bench/render_corpus.py
	$(PY) bench/per_item.py

# The public pages rendered in-process over SQLite: median, p95, queries, peak memory.
bench-views: install-dev
	$(PY) bench/run.py

# WXR import speed and memory at 2,000 and 20,000 generated posts (and the export's); figures only.
.PHONY: bench-import
bench-import: install-dev
	$(PY) bench/import_bench.py

# Pages at 1,000 and 100,000 seeded posts on PostgreSQL ($(PG_URL)'s server), in
# throw-away databases; prints times, ratios to the targets and query plans.
.PHONY: bench-scale
bench-scale: install-dev
	PG_URL="$(PG_URL)" $(PY) bench/scale.py

clean:
	rm -rf $(VENV) staticfiles
