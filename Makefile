# Two commands on a fresh Debian machine with Python 3.11:
#   make run    installs the app's pinned packages and serves it on its sample data
#   make test   installs the test packages (and Chromium when missing, as root) and runs every test,
#               then the benchmarks' quick modes (a page that stops rendering fails the build)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050
DATA_DIR ?= var

WORKERS ?= 4

.PHONY: run serve test install install-dev browser axe postgres sample-data bench bench-quick clean

$(PY):
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip check
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip check
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) app.py --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR)

# Production-style: gunicorn with WORKERS processes; DATABASE_URL etc. from the environment.
serve: install
	DATA_DIR=$(DATA_DIR) $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) 'app:server'

# Browser tests need Debian's Chromium and its driver, and poppler's pdftotext to read the printed
# pack back; install them when missing and we are root.
browser:
	@if ! command -v chromedriver >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium chromium-driver poppler-utils; \
		else echo "Chromium, chromium-driver or poppler-utils is not installed (needs root): browser tests will be skipped outside CI."; fi; \
	fi

# axe-core, for the accessibility checks in the browser tests, comes from the npm registry at the
# version package-lock.json pins, into the git-ignored node_modules/ (never copied into the repo).
axe: node_modules/axe-core/axe.min.js
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y nodejs npm; fi
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm is not installed (needs root): accessibility checks will be skipped outside CI."; fi

# The store tests start a PostgreSQL server of their own from Debian's binaries.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y postgresql; \
		else echo "PostgreSQL is not installed (needs root): its tests will be skipped outside CI."; fi; \
	fi

test: install-dev browser axe postgres
	$(PY) -m pytest
	$(MAKE) bench-quick

# The benchmarks' quick modes (bench/README.md): every page and every callback once, in headless
# Chromium, signed in as an administrator of their own data folder. They fail when a page errors
# or never settles, or a callback errors; never on time.
bench-quick: install-dev browser
	$(PY) bench/pages.py --quick
	$(PY) bench/callbacks.py --quick

# The full benchmarks, for bench/README.md's tables (minutes; run on a quiet machine).
bench: install-dev browser
	$(PY) bench/pages.py
	$(PY) bench/callbacks.py
	$(PY) bench/validation.py

sample-data: install
	$(PY) scripts/make_sample_data.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis node_modules
