# Kiroku: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python 3.12+ interpreter: the first of these that really runs (a pyenv shim may exist
# without its version being selected, so each candidate is tried, not just looked up).
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 python3; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: run test lint audit format install browser-deps clean-db help

help:
	@echo "make run    set up, load the founding collection and serve http://$(HOST):$(PORT)"
	@echo "make test   install test dependencies and run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make audit  bandit and pip-audit"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Kiroku needs Python 3.12 or newer (python3.12)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	export DEBUG=$${DEBUG:-1}; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py load_founding_collection --if-empty && \
	$(BIN)/python manage.py ensure_demo_curator && \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests run in a session of their own: their live server flushes the database after
# each test, which the rest of the suite (sharing one loaded founding collection) must not see.
test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# Debian's Chromium for the Playwright tests, and Japanese fonts so screenshots are legible.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi ipagothic; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-ipafont-gothic fonts-ipafont-mincho >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: sudo apt-get install chromium fonts-ipafont-gothic"; \
	    exit 1; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Security audit: bandit on the code, and on tests/ without the checks that only flag fixtures
# there (test users' passwords B105/B106, running our own manage.py B404/B603);
# pip-audit on the installed dependencies (see README "Security and trust").
audit: $(STAMP)
	$(BIN)/bandit -q -c pyproject.toml -r archive documents people
	$(BIN)/bandit -q -c pyproject.toml -s B105,B106,B404,B603 -r tests
	$(BIN)/pip-audit --skip-editable --progress-spinner off

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean-db:
	rm -f var/kiroku.sqlite3 var/kiroku.sqlite3-wal var/kiroku.sqlite3-shm
