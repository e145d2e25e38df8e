# Two commands for a fresh machine: `make run` (the app) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# kaleido (static PNG/SVG export) and the browser tests use Debian's chromium.
export BROWSER_PATH ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)

.PHONY: run test lint bench eval seed-events clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

bench: $(VENV)/.installed-dev
	$(PY) bench/run.py

eval: $(VENV)/.installed-dev
	$(PY) -m bench.eval_dating --split test

# The seeds' dated events kept in data/seed_events.json (a new store starts from them without dating):
# run after a change to the engine changes a seed's row (tests/test_seed_events.py says when).
seed-events: $(VENV)/.installed
	$(PY) -m eventlens.seed_events

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
