# Renewal Atlas — two commands: `make run` and `make test` (both set everything up first).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# make run listens on this machine only; HOST=0.0.0.0 serves the LAN (see README → Bureau server mode)
HOST ?= 127.0.0.1
DEMO := geodata/demo/nanchang_demo.gpkg
SOURCES := app.py serve.py cli.py geodata layers cartography reports dashboard i18n batch
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast lint format setup setup-dev system-deps demo bench clean db serve-cluster

## make run: venv + requirements + demo workspace, then serve the app on http://$(HOST):$(PORT)
run: setup $(DEMO)
	@$(PY) -m compileall -q $(SOURCES) >/dev/null  # bytecode of the app's sources (a faster first start)
	$(PY) serve.py --server.address $(HOST) --server.port $(PORT)

## make test: venv + test requirements + Debian chromium/CJK fonts, lint, import contracts, whole suite
test: setup-dev $(DEMO) system-deps
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

## make test-fast: the suite without browser tests (local iteration)
test-fast: setup-dev $(DEMO)
	$(PY) -m pytest -m "not browser"

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## the bundled synthetic demo city (seeded, deterministic)
demo: $(DEMO)
$(DEMO): $(wildcard geodata/demo/*.py) geodata/schema.py | $(VENV)/.installed
	$(PY) -m geodata.demo.generate --out $(DEMO)

## Debian chromium + Noto CJK fonts (browser tests, PNG/PDF export), PostgreSQL + PostGIS (server-mode tests),
## nginx (make serve-cluster and its test) and LibreOffice Writer (the 体检报告 .docx → PDF page test)
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
		|| ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 \
		|| ! [ -x /usr/sbin/nginx ] || ! command -v soffice >/dev/null; then \
		echo "installing Debian chromium, fonts-noto-cjk, postgresql, postgis, nginx and libreoffice-writer-nogui"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
			chromium fonts-noto-cjk postgresql postgis nginx libreoffice-writer-nogui; \
	fi

## make db: a local PostgreSQL + PostGIS for development (port PGPORT=5433); then
##   RENEWAL_DB_URL=postgresql://postgres@127.0.0.1:5433/renewal make run
PGPORT ?= 5433
PGDATA ?= $(CURDIR)/data/pg
db: setup system-deps
	@mkdir -p $(PGDATA) && chown -R postgres $(PGDATA) 2>/dev/null || true
	@[ -f $(PGDATA)/PG_VERSION ] || runuser -u postgres -- $$(ls /usr/lib/postgresql/*/bin/initdb | tail -1) \
		-D $(PGDATA) -A trust -U postgres -E UTF8 --no-locale
	runuser -u postgres -- $$(ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1) -D $(PGDATA) status >/dev/null \
	|| runuser -u postgres -- $$(ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1) -D $(PGDATA) \
		-o "-p $(PGPORT) -k /tmp -c listen_addresses=127.0.0.1" -l $(PGDATA)/log -w start
	-psql -h 127.0.0.1 -p $(PGPORT) -U postgres -c "CREATE DATABASE renewal" 2>/dev/null
	@echo "RENEWAL_DB_URL=postgresql://postgres@127.0.0.1:$(PGPORT)/renewal"

## make serve-cluster: REPLICAS Streamlit replicas (127.0.0.1:BASE_PORT…) behind nginx on CLUSTER_HOST:CLUSTER_PORT,
## sharing the PostGIS store at RENEWAL_DB_URL (default: the one `make db` starts); login required; Ctrl-C stops all
REPLICAS ?= 2
BASE_PORT ?= 8601
CLUSTER_PORT ?= 8500
CLUSTER_HOST ?= 127.0.0.1
serve-cluster: setup $(DEMO) system-deps
	@if [ -z "$(RENEWAL_DB_URL)" ]; then $(MAKE) --no-print-directory db; fi
	RENEWAL_DB_URL="$(or $(RENEWAL_DB_URL),postgresql://postgres@127.0.0.1:$(PGPORT)/renewal)" \
		$(PY) -m deploy.cluster --replicas $(REPLICAS) --base-port $(BASE_PORT) \
		--port $(CLUSTER_PORT) --host $(CLUSTER_HOST)

lint: setup-dev
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m ruff format --check .

format: setup-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## benchmarks (not part of make test): each line runs one bench and records its figures in bench/results.json
## (bench/results.py; a failing bench is recorded as failed and the others still run), the last line regenerates
## README.md's measured table from it
bench: setup-dev system-deps
	-$(PY) bench/results.py run bench/coverage_bench.py
	-$(PY) bench/results.py run bench/province_bench.py
	-$(PY) bench/results.py run bench/network_bench.py
	-$(PY) bench/results.py run bench/siting_bench.py
	-$(PY) bench/results.py run bench/store_bench.py
	-$(PY) bench/results.py run bench/load_bench.py
	-$(PY) bench/results.py run bench/rerun_bench.py
	-$(PY) bench/results.py run bench/import_bench.py
	-$(PY) bench/results.py run bench/payload_bench.py
	-$(PY) bench/results.py run bench/own_city_bench.py
	-$(PY) bench/results.py run bench/browser_bench.py
	$(PY) bench/results.py readme

clean:
	rm -rf $(VENV) $(DEMO) artifacts .pytest_cache .ruff_cache
