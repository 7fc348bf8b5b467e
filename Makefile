# Renewal Atlas — two commands: `make run` and `make test` (both set everything up first).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DEMO := geodata/demo/nanchang_demo.gpkg
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast lint format setup setup-dev system-deps demo bench clean

## make run: venv + requirements + demo workspace, then serve the app (PORT=8501 by default)
run: setup $(DEMO)
	$(PY) -m streamlit run app.py --server.port $(PORT)

## make test: venv + test requirements + Debian chromium/CJK fonts, lint, whole suite incl. browser tests
test: setup-dev $(DEMO) system-deps
	$(PY) -m ruff check .
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

## Debian chromium + Noto CJK fonts for browser tests and PNG/PDF exports
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "installing Debian chromium and fonts-noto-cjk"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## benchmarks (not part of make test)
bench: setup-dev
	$(PY) bench/coverage_bench.py

clean:
	rm -rf $(VENV) $(DEMO) artifacts .pytest_cache .ruff_cache
