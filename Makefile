# The commands of README.md:
#   make run    — install lokflow (the runtime only) and run the main job on the embedded default
#   make test   — add the test tools and run the whole test suite
#   make check  — the fast tier while you work: ruff and the unit tests, in seconds
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# setuptools' default editable mode (its "compat" mode warns that it is going away).
PIP     := $(BIN)/python -m pip install --quiet
# The fast tier (the pure core and the docs/import checks) and the rest,
# which pytest-xdist spreads over the cores; see tests/conftest.py.
FAST    := tests/unit
SLOW    := tests/integration tests/attack tests/e2e
WORKERS ?= auto
XDIST   := -n $(WORKERS) --maxprocesses=4 --dist loadgroup --no-loadscope-reorder

.PHONY: run test check lint install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.test-tools: pyproject.toml $(VENV)/.runtime
	$(PIP) -e ".[test]"
	touch $@

install: $(VENV)/.runtime

install-test: $(VENV)/.test-tools

run: install
	$(BIN)/lokflow run

check: install-test
	$(BIN)/ruff check lokflow flows tests
	$(BIN)/python -m pytest -q $(FAST)

test: install-test
	tests/install-system-deps.sh
	$(BIN)/python -m pytest -q $(FAST)
	$(BIN)/mypy lokflow flows
	$(BIN)/python -m pytest -q --durations=15 $(XDIST) $(SLOW)

lint: install-test
	$(BIN)/ruff check lokflow flows tests
	$(BIN)/lint-imports
