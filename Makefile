# One command per task. `make run` and `make test` are all a newcomer needs.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# pip prints a line per package it collects, then a bar per download: a newcomer sees progress.
PIP_INSTALL := $(BIN)/python -m pip install --progress-bar on --disable-pip-version-check

.PHONY: run test chromium lint typecheck bench install install-test clean

$(BIN)/python:
	@echo "==> [1/3] creating the virtualenv $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] upgrading pip in $(VENV)"
	$(PIP_INSTALL) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "==> [3/3] installing newswire and its dependencies into $(VENV) (a minute or two)"
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "==> [3/3] installing newswire with its test tools into $(VENV) (a few minutes)"
	$(PIP_INSTALL) -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo's section vocabulary (the desk offers these; filings must use them).
DEMO_SECTIONS = World,Europe,Africa,Asia,Americas,Middle East,Politics,Economy,Business,Sport,Football,Tennis,Culture,Science,Health,Technology,Environment,Turkey

## Start the whole system on SQLite with demo content; prints URLs, keys and CLI commands.
## Settings on the make line: `make run PORT=8080` (also HOST, DB, BUS), or any
## NEWSWIRE_<SETTING>=value (`newswire settings` lists them). A second run on the
## same database reuses the demo content, keys and admin token.
RUN_SETTINGS = $(foreach name,PORT HOST DB BUS,$(if $($(name)),NEWSWIRE_$(name)=$($(name))))
run: install
	@echo "==> starting newswire (stop it with Ctrl-C)"
	@NEWSWIRE_WEBHOOK_ALLOW_PRIVATE=$${NEWSWIRE_WEBHOOK_ALLOW_PRIVATE:-true} \
	NEWSWIRE_SECTIONS="$${NEWSWIRE_SECTIONS:-$(DEMO_SECTIONS)}" \
	NEWSWIRE_DB=$${NEWSWIRE_DB:-sqlite:///./newswire.db} \
	$(RUN_SETTINGS) $(BIN)/newswire serve --demo

## Install what the tests need and run the whole suite (lint and strict typing included),
## on TEST_WORKERS parallel workers (pytest-xdist): one more than the cores, because the
## tests wait on browsers, servers and PostgreSQL for a good part of their time. Tiers: see
## docs/contributing.md (`make test PYTEST_ARGS="-m unit"` runs one).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST_ARGS ?=
# Bytecode caches on even where the environment turns them off (PYTHONDONTWRITEBYTECODE):
# without them every worker rewrites and compiles each test module again (9 s of CPU
# instead of 3 to collect), and every server and CLI process the tests start compiles
# newswire again.
test: install-test chromium
	$(BIN)/ruff check newswire tests bench scripts
	$(BIN)/ruff format --check newswire tests bench scripts
	$(BIN)/mypy
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --cov --cov-report=term $(PYTEST_ARGS)

## The browser tests need Debian's Chromium: install it when missing and we are root.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "==> installing Debian's chromium for the browser tests"; \
	  apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }; \
	else \
	  echo "!! /usr/bin/chromium is missing and this is not root: the browser tests will"; \
	  echo "!! skip (and fail under CI=true). Install it: sudo apt-get install chromium"; \
	fi

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
