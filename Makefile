# One command per task. `make run` and `make test` are all a newcomer needs.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test lint typecheck bench install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo's section vocabulary (the desk offers these; filings must use them).
DEMO_SECTIONS = World,Europe,Africa,Asia,Americas,Middle East,Politics,Economy,Business,Sport,Football,Tennis,Culture,Science,Health,Technology,Environment,Turkey

## Start the whole system on SQLite with demo content; prints URLs and demo keys.
run: install
	NEWSWIRE_WEBHOOK_ALLOW_PRIVATE=$${NEWSWIRE_WEBHOOK_ALLOW_PRIVATE:-true} \
	NEWSWIRE_SECTIONS="$${NEWSWIRE_SECTIONS:-$(DEMO_SECTIONS)}" \
	NEWSWIRE_DB=$${NEWSWIRE_DB:-sqlite:///./newswire.db} \
	$(BIN)/newswire serve --demo

## Install what the tests need and run the whole suite (lint and strict typing included).
test: install-test
	$(BIN)/ruff check newswire tests bench scripts
	$(BIN)/ruff format --check newswire tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest --cov --cov-report=term

lint: install-test
	$(BIN)/ruff check newswire tests bench scripts
	$(BIN)/ruff format --check newswire tests bench scripts
	$(BIN)/mypy

bench: install-test
	@command -v wrk >/dev/null || { echo "installing wrk (the HTTP load generator)"; \
	  (apt-get install -y -q wrk || sudo apt-get install -y -q wrk) >/dev/null; }
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
