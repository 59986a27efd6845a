# The two commands of the README: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test setup install install-dev system-packages test-packages node-packages lint messages translations bench clean

run: setup
	@$(PY) manage.py load_demo
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl+C stops the server and the report worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --queue-name '*' & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn and the background worker, both restarted when they die (scripts/serve).
# Needs DEBUG=0 (the default here), SECRET_KEY and ALLOWED_HOSTS; see the README.
serve: install system-packages messages
	@$(PY) scripts/serve

setup: install system-packages messages
	@$(PY) manage.py migrate --no-input
	@$(PY) manage.py createcachetable
	@$(PY) manage.py collectstatic --no-input --verbosity 0

test: install-dev test-packages node-packages messages
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

# axe-core, which the browser tests run on every page (WCAG 2.1 A and AA), from the npm
# registry at the version package-lock.json pins; node_modules/ is not committed.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing Debian package: npm"; \
	  sudo=$$([ "$$(id -u)" -ne 0 ] && echo sudo); $$sudo apt-get update -qq || true; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

node-packages: node_modules/.package-lock.json

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages: fonts with Vietnamese glyphs for PDFs, gettext for translations,
# Chromium for the browser tests, poppler for reading PDFs back, pg_dump for backups.
system-packages:
	@scripts/system-packages

test-packages:
	@scripts/system-packages --tests

messages:
	@$(PY) manage.py compilemessages --ignore '.venv' --ignore node_modules --verbosity 0

# After adding or changing strings: both catalogues updated; the English one is its msgids
# (emptied, then filled by gettext's msgen), the Vietnamese one is translated by hand.
translations:
	$(PY) manage.py makemessages -l vi -l en --ignore '.venv' --ignore node_modules --no-obsolete
	msgfilter --keep-header --input=locale/en/LC_MESSAGES/django.po sed -e d \
	| msgen - | msgattrib --clear-fuzzy --clear-previous --output-file=locale/en/LC_MESSAGES/django.po
	$(PY) manage.py makemessages -l en --ignore '.venv' --ignore node_modules --no-obsolete

lint:
	$(BIN)/ruff check .

bench: setup
	$(PY) manage.py bench_reports

clean:
	rm -rf $(VENV) staticfiles node_modules
