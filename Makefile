# The two set-up commands of the README. Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= lotsen-demo.db

.PHONY: demo test install install-dev lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

## Build the demo region into a SQLite file, print its summary, serve http://127.0.0.1:8000
demo: install
	LOTSEN_DATABASE_URL=$${LOTSEN_DATABASE_URL:-sqlite:///$(DB)} $(BIN)/lotsen demo

lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache --no-logo

## Install dev dependencies, check style and types, run the whole suite
test: lint
	$(BIN)/pytest
