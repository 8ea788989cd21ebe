# Clausewatch: `make run` sets everything up and serves; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# A Python 3.12+ interpreter: PYTHON=... if given, else pyenv's (per .python-version),
# else python3.13 / python3.12 / python3 on PATH, whichever is 3.12 or newer.
PYTHON ?= $(shell bin/find-python)

# Tests: the real PostgreSQL, and Redis database 15 (never the default 0, never FLUSHALL).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clausewatch
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_ENV := SECRET_KEY=test-only-secret-key-not-for-production DJANGO_DEBUG=0 SECURE_SSL_REDIRECT=0 \
	API_KEY_PEPPER=test-only-pepper-not-for-production \
	REDIS_URL=$(TEST_REDIS_URL) CLAUSEWATCH_VAR_DIR=$(CURDIR)/var/test

.PHONY: help install run test lint migrations-check test-postgres test-sqlite schema schemathesis clean

help:
	@echo "make run    set up (.venv, database, catalogue, demo history) and serve on 127.0.0.1:8000"
	@echo "make test   lint, migration check, the suite on PostgreSQL + Redis, API tests on SQLite"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "No Python 3.12+ found: install Python 3.12 or 3.13 (or pass PYTHON=/path/to/python3.12)." >&2; exit 1; fi
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@bin/run-dev

lint: $(STAMP)
	$(VENV)/bin/ruff check .

migrations-check: $(STAMP)
	$(TEST_ENV) DATABASE_URL= $(VPY) manage.py makemigrations --check --dry-run

test-postgres: $(STAMP)
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest

test-sqlite: $(STAMP)
	$(TEST_ENV) DATABASE_URL= $(VENV)/bin/pytest -m api

test: lint migrations-check test-postgres test-sqlite

schema: $(STAMP)
	$(TEST_ENV) $(VPY) manage.py spectacular --validate --fail-on-warn --file openapi/schema.yaml

# A longer schemathesis run than the one inside `make test`.
SCHEMATHESIS_MAX_EXAMPLES ?= 300
schemathesis: $(STAMP)
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) SCHEMATHESIS_MAX_EXAMPLES=$(SCHEMATHESIS_MAX_EXAMPLES) \
		$(VENV)/bin/pytest tests/api/test_schema_fuzz.py

clean:
	rm -rf var/test

# Benchmarks (bench/): a fresh PostgreSQL database clausewatch_bench_import, Redis db 14.
.PHONY: bench-import bench-api
bench-import: $(STAMP)
	timeout 900 $(VPY) bench/import_bench.py

bench-api: $(STAMP)
	timeout 1200 bench/api.sh

# The tracking benchmark of ../shared/bench: N documents (default 500), two passes.
N ?= 500
.PHONY: bench-track
bench-track: $(STAMP)
	N=$(N) timeout 1800 $(VPY) bench/track.py
