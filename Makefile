# The two commands of README.md:
#   make run   — install lokflow and run the main job on the embedded default
#   make test  — install lokflow with its test tools and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint install

$(BIN)/lokflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(BIN)/lokflow

install: $(BIN)/lokflow

run: install
	$(BIN)/lokflow run

test: install
	tests/install-system-deps.sh
	$(BIN)/mypy lokflow flows
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check lokflow flows tests
	$(BIN)/lint-imports
