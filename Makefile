# Two commands for a newcomer: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
export RONGHE_CONFIG ?= development
# The port `make run` serves on: PORT=5001 make run.
PORT ?= 5000

.PHONY: run test lint typecheck translations messages clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Compiled catalogues are files made from the .po files, so a second `make test` running at the
# same time (CI runs SQLite and PostgreSQL side by side) finds them made and does not rewrite
# them under the first one's feet.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))

translations: $(CATALOGUES)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed-run
	$(BIN)/pybabel compile -d app/translations -l $* --statistics >/dev/null

run: $(VENV)/.installed-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy on the packages held to types ([tool.mypy] files in pyproject.toml); the suite runs
# it too (tests/test_typecheck.py).
typecheck: $(VENV)/.installed-test
	$(BIN)/python -m mypy

bench: $(VENV)/.installed-test translations
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache

# Re-extract messages after adding strings; fills English and lists Chinese entries still to
# translate (translate them in the .po, or pass ZH_JSON=file.json with {msgid: msgstr}).
messages: $(VENV)/.installed-run
	$(BIN)/pybabel extract --no-location -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot app app/templates/_macros
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching
	$(BIN)/python scripts/i18n_sync.py $(ZH_JSON)
