# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CSEHUB := $(BIN)/csehub
PG_URL ?= postgres://postgres@127.0.0.1:5432/csehub
# The port `make run` serves on (PORT=8001 make run); links in emails and on certificates
# follow it unless CSEHUB_SITE_URL is set.
PORT ?= 8000
# Test processes in parallel (pytest-xdist): one per core.
PYTEST_WORKERS ?= auto
# Settings for `check --deploy`: production settings need these from the environment.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=csehub.config.settings.production \
	CSEHUB_SECRET_KEY=deploy-check-$$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n') \
	CSEHUB_AUDIT_KEY=deploy-audit-$$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n') \
	CSEHUB_ALLOWED_HOSTS=cse-hub.example.org

.PHONY: run test lint typecheck migrations-check deploy-check test-sqlite test-postgres browser java assets clean

run: export PORT := $(PORT)
run: $(VENV)/.runtime assets
	$(CSEHUB) migrate --no-input
	$(CSEHUB) demo
	$(CSEHUB) collectstatic --no-input --verbosity 0
	$(CSEHUB) serve --bind 127.0.0.1:$(PORT)

test: $(VENV)/.test assets browser java lint typecheck migrations-check deploy-check test-sqlite test-postgres

$(VENV)/.python:
	@command -v $(PYTHON) >/dev/null || { echo "CSE Hub needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.runtime: $(VENV)/.python pyproject.toml
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.test: $(VENV)/.runtime pyproject.toml
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

# GOV.UK Frontend and the other browser assets come from npm; only the build output is served.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	node frontend/build.mjs

# Browser tests drive Debian's chromium; as root we install it, otherwise they are skipped.
browser:
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
		else echo "chromium is not installed and this is not root: browser tests will be skipped"; fi; \
	fi

# The Spark test of batch linking (Splink on Spark local mode) needs Java; as root we install it.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "java is not installed and this is not root: the Spark test will be skipped"; fi; \
	fi

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.test
	$(BIN)/mypy csehub

migrations-check: $(VENV)/.test
	DJANGO_SETTINGS_MODULE=csehub.config.settings.test $(CSEHUB) makemigrations --check --dry-run

deploy-check: $(VENV)/.runtime
	$(DEPLOY_ENV) $(CSEHUB) check --deploy --fail-level WARNING

test-sqlite: $(VENV)/.test assets
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The same suite on PostgreSQL whenever one answers on 127.0.0.1:5432.
test-postgres: $(VENV)/.test assets
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "PostgreSQL answers on 127.0.0.1:5432: running the suite on it"; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS); \
	else echo "PostgreSQL is not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"; fi

clean:
	rm -rf $(VENV) node_modules csehub/static/dist var
