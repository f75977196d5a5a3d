# The README's commands. `make run` and `make test` work on a fresh Linux machine with
# Python 3.11+, Node 20+ and make; everything else is installed into .venv and node_modules.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format setup migrate seed worker beat bench messages backup restore screenshots clean

run: setup migrate seed ## Set up and start the portal at http://127.0.0.1:8000 (SQLite, eager Celery, mail in var/mail/)
	# Links in e-mails follow the port served (make run PORT=8101), unless SITE_URL is set.
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup ## The whole suite: ruff, mypy, migrations check, pytest including the browser tests
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=geraportal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: setup ## Ruff lint and format check, mypy on services, selectors and rules
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed for the front-end packages."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input

seed: setup
	$(BIN)/python manage.py seed_demo

worker: setup ## A real Celery worker (needs REDIS_URL)
	$(BIN)/celery -A geraportal worker --loglevel=INFO

beat: setup ## The Celery beat scheduler (needs REDIS_URL)
	$(BIN)/celery -A geraportal beat --loglevel=INFO

bench: setup ## Speed scenarios on seeded data (see bench/README.md)
	$(BIN)/python -m bench

backup: setup ## Back up the database and all files into var/backups/<date-time>/ (or DIR=...)
	$(BIN)/python manage.py backup $(DIR)

restore: setup ## Restore a backup into an empty database: make restore DIR=var/backups/...
	@test -n "$(DIR)" || { echo "Say which backup: make restore DIR=var/backups/<date-time>"; exit 1; }
	$(BIN)/python manage.py restore $(DIR)

screenshots: setup ## Screenshots of home, idea, pilot, plenary and account at 1280 and 360 px into docs/screenshots/ (needs Chromium)
	$(BIN)/pytest tests/e2e/screenshots.py -n0 -q

messages: setup ## Update the de/en catalogues after changing strings (needs gettext)
	$(BIN)/python manage.py makemessages --locale de --locale en --no-obsolete --add-location file --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'
	$(BIN)/python -m geraportal.core.catalogues

clean:
	rm -rf $(VENV) node_modules staticfiles
