# Finsam: `make` lists the targets. Works on a fresh Debian 12 machine with Python 3.11:
# everything the project needs is installed by these targets (Debian packages need root).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9

# Installs come from the hash-pinned lock and PyPI alone, never from a machine's own pip setup.
export PIP_CONFIG_FILE := /dev/null
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
export UV_PYTHON_DOWNLOADS := never
export PYTHONUNBUFFERED := 1

# Debian packages the suite needs: WeasyPrint's libraries and a font for PDFs, pdftotext/pdftoppm
# to read PDFs back. Chromium and PostgreSQL are checked by their binaries below.
DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

PYTEST := $(BIN)/pytest -p no:cacheprovider
# The unit suites run on every core (pytest-xdist); each worker gets its own test database.
XDIST := -n $(shell nproc 2>/dev/null || echo 2) --dist loadfile

# pytest exits 5 when it collected no tests. $(call pytest,ALLOW_EMPTY,ARGS) runs pytest and
# accepts 5 only when ALLOW_EMPTY is "allow-empty". No stage below passes it: the unit suite and
# the e2e journeys always exist, so an empty stage means broken collection or a wrong marker.
define pytest
$(PYTEST) $(2) || { rc=$$?; \
  if [ $$rc -eq 5 ] && [ "$(1)" = allow-empty ]; then echo "pytest: no tests collected (allowed in this stage)"; \
  else [ $$rc -ne 5 ] || echo "pytest: no tests collected - a failure in this stage" >&2; exit $$rc; fi; }
endef

TEST_STAGES := test-lint test-migrations test-sqlite test-postgres test-browser

.PHONY: help venv sysdeps compile-messages run test $(TEST_STAGES) lint fmt messages bench lock clean

help: ## Show this help
	@echo "Finsam - make targets:"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

# --- environment -----------------------------------------------------------------------------

venv: $(STAMP) ## Create .venv and install the locked dependencies (only when the lock changed)

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Finsam's lock is for Python 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1). Use PYTHON=python3.11" >&2; exit 1; }
	@if [ ! -x $(PY) ]; then \
	  $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || scripts/apt-ensure.sh python3-venv; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

sysdeps: ## Install the Debian packages the tests need (Chromium, PostgreSQL, WeasyPrint libs), if missing
	@pkgs="$(DEBS)"; \
	[ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ] || pkgs="$$pkgs chromium"; \
	if [ -z "$${DATABASE_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  pkgs="$$pkgs postgresql"; fi; \
	if [ -n "$$(find . -path ./$(VENV) -prune -o -name '*.po' -print -quit)" ] && ! command -v msgfmt >/dev/null; then \
	  pkgs="$$pkgs gettext"; fi; \
	scripts/apt-ensure.sh $$pkgs

# .mo files are built, not committed (.gitignore); compilemessages needs GNU gettext's msgfmt.
compile-messages: $(STAMP)
	@if [ -n "$$(find . -path ./$(VENV) -prune -o -name '*.po' -print -quit)" ]; then \
	  command -v msgfmt >/dev/null || scripts/apt-ensure.sh gettext; \
	  $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var -v 0; \
	fi

# --- running ---------------------------------------------------------------------------------

run: $(STAMP) compile-messages ## Migrate, load the demo (prints the logins), serve on 127.0.0.1:8000 with the background worker
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo
	@echo "Finsam on http://127.0.0.1:8000 with its background worker (db_worker); Ctrl-C stops both."
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# --- tests -----------------------------------------------------------------------------------

test: $(STAMP) sysdeps compile-messages ## The whole suite: lint, migrations, pytest on SQLite and PostgreSQL, browser
	@failed=0; passed=0; summary=""; \
	for stage in $(TEST_STAGES); do \
	  echo; echo "=== $$stage"; start=$$(date +%s); \
	  if $(MAKE) --no-print-directory $$stage; then st=ok; passed=$$((passed+1)); \
	  else st=FAILED; failed=$$((failed+1)); fi; \
	  summary+="$$(printf '  %-16s %-7s %5ss' $$stage $$st $$(( $$(date +%s) - start )))"$$'\n'; \
	done; \
	echo; echo "=== make test: stages"; printf '%s' "$$summary"; \
	echo "stages: $$passed passed, $$failed failed"; \
	[ $$failed -eq 0 ]

# Every check always runs, so that one report shows every finding.
test-lint: $(STAMP)
	@rc=0; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || rc=1; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || rc=1; \
	echo "scripts/check-messages.sh"; scripts/check-messages.sh || rc=1; \
	echo "$(BIN)/lint-imports  (the layer contract in pyproject.toml)"; $(BIN)/lint-imports --no-cache || rc=1; \
	exit $$rc

test-migrations: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

test-sqlite: $(STAMP)
	env -u DATABASE_URL $(call pytest,,$(XDIST) -m "not browser")

# Uses DATABASE_URL when set; otherwise a throwaway local cluster (scripts/with-postgres.sh).
test-postgres: $(STAMP)
	FINSAM_TEST_DATABASE_ONLY=1 scripts/with-postgres.sh $(call pytest,,$(XDIST) -m "not browser")

# SQLite in a file for the browser tests: see config/settings/test.py.
test-browser: $(STAMP)
	env -u DATABASE_URL FINSAM_TEST_SQLITE_FILE=1 $(call pytest,,-m browser)

# --- code and translations -------------------------------------------------------------------

lint: test-lint ## ruff check and ruff format --check

fmt: $(STAMP) ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP) ## Update locale/sv from the code (English msgids) and compile it
	@command -v msgfmt >/dev/null || scripts/apt-ensure.sh gettext
	$(PY) manage.py makemessages -l sv --ignore=$(VENV) --ignore=var --ignore=test-results
	$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=var

bench: $(STAMP) ## Run the benchmarks in bench/ (python -m bench), on SQLite and on PostgreSQL
	@if [ -f bench/__main__.py ]; then \
	  echo "=== bench on SQLite"; env -u DATABASE_URL $(PY) -m bench; \
	  echo "=== bench on PostgreSQL"; scripts/with-postgres.sh $(PY) -m bench; \
	else echo "No benchmarks exist yet (bench/ has no __main__.py)."; fi

lock: $(STAMP) ## Re-resolve requirements.in into the hash-pinned requirements.lock (uv)
	@[ "$$($(BIN)/uv --version 2>/dev/null | cut -d' ' -f2)" = "$(UV_VERSION)" ] || \
	  $(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile --generate-hashes --python-version 3.11 \
	  --index-url https://pypi.org/simple requirements.in -o requirements.lock

clean: ## Remove .venv, caches, compiled messages and test results (keeps var/, the demo database)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find . -name '*.mo' -path '*/LC_MESSAGES/*' -delete
