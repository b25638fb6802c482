# briefgen: `make brief` and `make test` set themselves up on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EVAL   ?= ../shared/eval
# make weekly: the configuration, the week briefed (default: last ISO week) and the delivery.
CONFIG ?= briefgen.toml
WEEK   ?= $(shell $(PYTHON) -c 'import datetime as d; print((d.date.today() - d.timedelta(days=7)).strftime("%G-W%V"))')
MAIL   ?= --mail

.PHONY: brief test setup check lint lock eval bench shots clean weekly

brief: $(STAMP)
	$(BIN)/briefgen build seeds --out output

# Fetch the configured sources into the archive, brief last week from it, and mail the brief
# (docs/weekly.md). MAIL= builds without sending.
weekly: $(STAMP)
	$(BIN)/briefgen fetch --config $(CONFIG)
	$(BIN)/briefgen build --config $(CONFIG) --archive --week $(WEEK) --out output $(MAIL)

test: $(STAMP)
	$(BIN)/python -m pytest -q

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "briefgen needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

check: lint
lint: $(STAMP)
	$(BIN)/ruff check briefgen tests
	$(BIN)/ruff format --check briefgen tests
	$(BIN)/mypy

lock:
	$(PYTHON) requirements/lock.py

eval: $(STAMP)
	$(BIN)/briefgen eval summaries --data $(EVAL)/summarization
	$(BIN)/briefgen eval timex --data $(EVAL)/timex
	$(BIN)/briefgen eval ner --data $(EVAL)/ner
	$(BIN)/briefgen eval risk --data $(EVAL)/risk
	$(BIN)/briefgen eval brief --shared $(EVAL)/..

bench: $(STAMP)
	$(BIN)/briefgen bench --data $(EVAL)/summarization

shots: $(STAMP)
	scripts/shots.sh "" shots

clean:
	rm -rf $(VENV) output/*.html output/*.pdf output/*.json output/*.md output/*.ics
