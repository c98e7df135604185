# wrapped-lake: `make demo` runs the main job on the embedded Postgres, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint fmt bench up down status airflow redis chromium scale-test clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/python -m uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/python -m uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv from the lock file (done by every other target)

demo: $(STAMP) ## generate a synthetic export, ingest it into ./lake, print figures
	$(BIN)/wrapped-lake demo

test: $(STAMP) chromium ## DAG integrity, unit and end-to-end tests against a real Postgres (one worker per core)
	$(BIN)/pytest -n auto --dist loadfile

test-fast: $(STAMP) ## the quick loop: unit and Postgres tests, no DAG runs or slow cases
	$(BIN)/pytest -n auto --dist loadfile -m "not e2e and not slow"

lint: $(STAMP) ## ruff check, format check, and the layers contract (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fmt: $(STAMP) ## fix what ruff can fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## speed figures: ingest vs COPY, memory, simulator; stream-farm detection; forecast backtest; phases vs planted taste shifts
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_simulate.py
	$(BIN)/python bench/bench_wrapped.py
	$(BIN)/python bench/bench_insights.py
	$(BIN)/python bench/bench_catalog.py
	$(BIN)/python bench/bench_anomalies.py
	$(BIN)/python bench/bench_service.py
	$(BIN)/python bench/bench_forecast.py
	$(BIN)/python bench/bench_phases.py

up: $(STAMP) ## start Airflow in the background (UI on http://127.0.0.1:8080), LocalExecutor
	$(BIN)/wrapped-lake stack up

down: ## stop every process `make up` started (data stays)
	@if [ -x $(BIN)/wrapped-lake ]; then $(BIN)/wrapped-lake stack down; fi

status: $(STAMP) ## what runs, with Airflow's health report
	$(BIN)/wrapped-lake stack status

airflow: $(STAMP) ## `make up` in the foreground: Ctrl-C stops it
	$(BIN)/wrapped-lake stack run

redis: ## install Debian's redis-server for the Celery mode, if missing
	@command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server; }

# The report's browser checks and `wrapped --format png`. chromium and chromium-common are a 113 MB
# download (360 MB installed), plus the X and GTK libraries a slim image lacks: about a minute there.
chromium: ## install Debian's chromium for the page checks and PNG cards, if missing
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

scale-test: $(STAMP) redis ## Celery scale-out: Redis, two workers, a 200-user feed (~4 min, not in `make test`)
	$(BIN)/pytest -m scale

clean: ## stop what runs, then remove the virtualenv, ./lake and every generated folder
	@if [ -x $(BIN)/wrapped-lake ]; then LAKE_ROOT=lake $(BIN)/wrapped-lake stack down; LAKE_ROOT=lake $(BIN)/wrapped-lake db stop; fi
	rm -rf $(VENV) lake airflow_home build .pytest_cache .ruff_cache bench/out include/*.egg-info
