# Pandu: `make run` sets everything up and serves; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
UV_VERSION := 0.13.8
PORT ?= 8000

.PHONY: run setup install deps assets chromium test lint typecheck checks pytest bench bench-lookups bench-import bench-dedup bench-services bench-targeting bench-accuracy bench-payments bench-insurance bench-load lock schema messages clean backup restore rotate-data-key

# One Celery worker with beat runs the background jobs beside the web server; its queue is a
# folder under var/celery (no server needed). docs/deploy.md shows several workers on Redis.
run: setup
	@echo "Pandu is at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@$(VENV)/bin/celery -A pandu worker --beat -n pandu@%h --without-mingle --without-gossip \
	  --loglevel INFO & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

setup: install
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_areas --if-empty
	$(MANAGE) load_demo

install: deps assets

deps: $(VENV)/.installed
$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync -q requirements.lock --python $(PY)
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium through Playwright (no browser download).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install chromium lint typecheck checks pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy pandu

checks:
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-deploy-$$RANDOM-a8f7s6d5f4g3h2j1k0l9z8x7c6v5b4n3m2q1w0e9r8t7y6 ALLOWED_HOSTS=pandu.example.go.id PANDU_SECURE=1 $(MANAGE) check --deploy --fail-level WARNING

pytest:
	$(VENV)/bin/pytest -q

# Every benchmark, one after the other (about 50 minutes on 2 CPUs); each rewrites its own
# part of docs/benchmarks.md. The parts can be run alone.
bench: bench-lookups bench-import bench-dedup bench-services bench-targeting bench-accuracy bench-payments bench-insurance bench-load

bench-lookups: install
	$(PY) bench/run.py

bench-import: install
	$(PY) bench/import_export.py --backend both

bench-dedup: install
	$(PY) bench/dedup.py
	$(MANAGE) dedup_quality --people 5000 --seed 1
	$(MANAGE) dedup_quality --people 20000 --seed 2

bench-services: install
	$(PY) bench/services.py --write

bench-targeting: install
	$(PY) bench/targeting.py --households 1000000 --write

bench-accuracy: install
	$(PY) bench/accuracy.py --kpm 250000 --write

# A cycle of 250,000 KPM: computed, its payment lists, its reconciliation; SQLite then PostgreSQL.
bench-payments: install
	$(PY) bench/payments.py --kpm 250000 --write
	$(PY) bench/payments.py --kpm 250000 --write --postgres

# Askesos: 100,000 members with 24 months of premiums, the monthly ledger run and a provider's
# monthly book; SQLite, then PostgreSQL (database pandu_insbench, made afresh).
bench-insurance: install
	$(PY) bench/insurance.py --members 100000 --write
	$(PY) bench/insurance.py --members 100000 --write \
		--database-url $(or $(BENCH_PG_URL),postgres://postgres@127.0.0.1:5432)/pandu_insbench

# 50 users at once for 2 minutes (Locust, mostly desk staff) against the PostgreSQL registry of
# about 1M people that bench-payments leaves (pandu_paybench; DATABASE=postgres://... for another).
bench-load: install
	$(PY) bench/load.py $(if $(DATABASE),--database-url "$(DATABASE)")

schema:
	$(MANAGE) spectacular --file docs/openapi.yaml --validate

messages:
	$(MANAGE) makemessages -l id -l en --ignore=.venv --ignore=node_modules --ignore=var

lock:
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev -o requirements.lock --python-version 3.11

# The whole site in one archive (database, uploaded and job files, letter and data keys;
# docs/operations.md):
# `make backup` (OUT=path.tar[.gz] to choose the file), `make restore ARCHIVE=... [FORCE=1]`.
backup:
	$(MANAGE) backup $(if $(OUT),--output "$(OUT)")

restore:
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/pandu-....tar [FORCE=1]"; exit 2; }
	$(MANAGE) restore "$(ARCHIVE)" $(if $(FORCE),--force)

# A new data key for the encrypted case notes, then every value re-encrypted under it, in
# batches (docs/operations.md, key rotation); `manage.py rotate_data_key --resume` finishes an
# interrupted pass.
rotate-data-key:
	$(MANAGE) rotate_data_key

clean:
	rm -rf var/pandu.sqlite3* var/staticfiles
