# wrapped-lake: `make demo` runs the main job on the embedded Postgres, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint fmt bench airflow clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

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

test: $(STAMP) ## DAG integrity, unit and end-to-end tests against a real Postgres
	$(BIN)/pytest

test-fast: $(STAMP) ## the quick loop: unit and Postgres tests, no DAG runs or slow cases
	$(BIN)/pytest -m "not e2e and not slow"

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP) ## fix what ruff can fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## speed figures: ingest vs COPY, memory, simulator
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_simulate.py

airflow: $(STAMP) ## run Airflow standalone (UI on :8080) on this repo's dags/ and the lake
	bin/airflow-standalone

clean: ## remove the virtualenv and the local lake
	rm -rf $(VENV) lake
