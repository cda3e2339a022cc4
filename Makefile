# One command runs the site, one command runs every test. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
SERVE_PORT ?= 8000
WORKERS ?= 1

.PHONY: run serve test browser lint format setup screenshots clean

run: $(VENV)/.installed instance/config.py  ## Serve the site on http://127.0.0.1:5000 (first run loads the samples)
	$(FLASK) directory setup
	$(FLASK) run --host $(HOST) --port $(PORT)

# Several workers need a shared rate-limit store: FLASK_RATELIMIT_STORAGE_URI=redis://host:port
# (with the default memory:// each worker counts on its own, so gunicorn.conf.py refuses).
serve: $(VENV)/.installed instance/config.py  ## Serve with gunicorn and $(WORKERS) workers on $(HOST):$(SERVE_PORT)
	$(FLASK) directory setup
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(SERVE_PORT) --access-logfile - "app:create_app()"

# With TEST_DATABASE_URL set (postgresql+psycopg://...; a user allowed to create databases),
# every test runs again on that PostgreSQL server, each in a database of its own.
test: $(VENV)/.installed-test browser  ## Run every test (installs Chromium for the browser tests)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
	  echo "Every test again, on PostgreSQL:"; \
	  $(BIN)/python -m pytest --database-url "$$TEST_DATABASE_URL" $(PYTEST_ARGS); \
	fi

browser:  ## Install Debian's Chromium if it is missing (needs root; CI runs as root)
	@scripts/ensure-chromium

lint: $(VENV)/.installed-test  ## ruff, ruff format and mypy (strict on directory/core and matching)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: $(VENV)/.installed instance/config.py
	$(FLASK) directory setup

screenshots: $(VENV)/.installed-test browser  ## Refresh docs/screenshots from the browser tests
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/browser -q

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[samples]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[samples,test,dev,postgres,redis]'
	touch $@ $(VENV)/.installed

# A random secret key for this machine, so the site never runs with the development key.
instance/config.py: | $(VENV)/.installed
	$(BIN)/python -c "from directory.cli import write_instance_config; print('Wrote', write_instance_config('instance'))"

clean:
	rm -rf $(VENV) instance/directory.sqlite3* instance/search-index
