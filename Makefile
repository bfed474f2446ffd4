# Two commands for a newcomer: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
export RONGHE_CONFIG ?= development

.PHONY: run test lint translations clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed-run

translations: $(VENV)/.installed-run
	$(BIN)/pybabel compile --use-fuzzy -q -d app/translations 2>/dev/null || $(BIN)/pybabel compile -q -d app/translations

run: $(VENV)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed-test translations
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
