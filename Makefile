# Devoured: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# uv: the machine's own when it works, else installed with pip into .cache; either way reached
# as .cache/bin/uv, and .cache/bin is on the PATH of every recipe (scripts and tests call uv).
UV := .cache/bin/uv
export PATH := $(CURDIR)/.cache/bin:$(PATH)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# `make chaos CHAOS_FULL=0` runs the short form alone (the one `make test` includes).
CHAOS_FULL ?= 1

.PHONY: help demo test check audit unit integration e2e chaos schemas bench bench-rs infra-up infra-down clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

.cache/bin/uv:
	mkdir -p .cache/bin
	if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then \
		ln -sf "$$(command -v uv)" .cache/bin/uv; \
	else \
		$(PYTHON) -m venv .cache/uv && .cache/uv/bin/pip install --quiet uv && \
		ln -sf ../uv/bin/uv .cache/bin/uv; \
	fi

$(VENV)/.synced: uv.lock pyproject.toml $(wildcard libs/pyproject.toml services/*/pyproject.toml) | $(UV)
	$(UV) sync --frozen --all-packages
	@touch $@

venv: $(VENV)/.synced  ## Create the virtualenv from the lockfile

demo: $(VENV)/.synced  ## Offline demo: build a digest of the bundled sample site into out/
	$(BIN)/devoured demo --out out
	@echo "Open out/index.html, or read out/latest.md"

check: $(VENV)/.synced  ## ruff, mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy libs services tests bench
	$(BIN)/lint-imports

# Not part of `check`: it needs PyPI's JSON API (or OSV) on the network (docs/security.md).
audit: | $(UV)  ## Known vulnerabilities in the locked dependencies (pip-audit; network)
	$(UV) export --frozen --all-packages --no-emit-workspace --format requirements-txt \
		-o .cache/requirements-audit.txt
	$(UV) tool run pip-audit@2.10.1 --strict --disable-pip -r .cache/requirements-audit.txt

unit: $(VENV)/.synced  ## Fast unit and contract tests (no infrastructure)
	$(BIN)/pytest tests/unit tests/contract tests/fifth_stage -q $(PYTEST_ARGS)

integration: $(VENV)/.synced  ## Integration tests against real Kafka and PostgreSQL
	$(BIN)/pytest tests/integration -q $(PYTEST_ARGS)

e2e: $(VENV)/.synced  ## End-to-end tests: the services as separate processes
	$(BIN)/pytest tests/e2e -q $(PYTEST_ARGS)

chaos: $(VENV)/.synced  ## Fault injection, full form: results in test-artifacts/chaos/
	CHAOS_FULL=$(CHAOS_FULL) $(BIN)/pytest tests/chaos -m chaos -q -ra $(PYTEST_ARGS)

test: check  ## Everything CI runs: checks, then unit, integration and end-to-end tests
	$(BIN)/pytest -q -ra $(PYTEST_ARGS)

schemas: $(VENV)/.synced  ## Write JSON Schemas and the AsyncAPI document into docs/
	$(BIN)/devoured schemas --out docs

bench: $(VENV)/.synced  ## Benchmarks (see bench/README.md)
	$(BIN)/python -m bench

# Not in `bench`: rs-trafilatura builds from source with cargo (about 6 minutes here).
bench-rs: $(VENV)/.synced  ## Extraction benchmark with the optional rs-trafilatura peer
	$(UV) sync --frozen --all-packages --group bench-rs
	$(BIN)/python -m bench.extraction

infra-up:  ## Start local Kafka and PostgreSQL (deploy/local)
	bash deploy/local/kafka.sh start
	bash deploy/local/postgres.sh start

infra-down:  ## Stop them and delete their data
	bash deploy/local/kafka.sh stop
	bash deploy/local/postgres.sh stop

clean:  ## Remove the venv, caches and outputs
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
