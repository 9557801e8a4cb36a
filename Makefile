# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install chromium npm-tools viewer run test test-postgres lint format migrations-check clean bench bench-full

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# iiif-prezi3 caps Pillow below the version pinned here; see pyproject.toml's dev list.
	$(BIN)/python -m pip install --quiet --no-deps iiif-prezi3==3.1.1
	touch $(STAMP)

install: $(STAMP)

# Development server on SQLite with the seed records and a local curator account.
run: install viewer
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seeds
	@# Scans without their IIIF tiles (made before tiles existed) are queued for the worker.
	DEBUG=1 $(BIN)/python manage.py process_scans
	DEBUG=1 $(BIN)/python manage.py ensure_curator --port $(PORT)
	@# The task worker (scan derivatives, large imports) runs beside the server in a session of
	@# its own, and the whole session is stopped when the server stops (Ctrl-C included).
	DEBUG=1 setsid $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill -TERM -$$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's chromium (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The accessibility (axe-core) and HTML (vnu-jar, run with Java) checkers the browser tests use,
# citeproc-js, which tests/public/test_citation_clients.py renders citations with, and the scan
# viewer (OpenSeadragon).
npm-tools:
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/vnu-jar/build/dist/vnu.jar \
	  -a -f node_modules/citeproc/citeproc_commonjs.js \
	  -a -f $(OPENSEADRAGON)/openseadragon.min.js || \
	  npm ci --ignore-scripts --no-audit --no-fund

# The deep-zoom scan viewer (OpenSeadragon, pinned in package.json) copied into the static files
# (static/vendor/, not committed; collectstatic and WhiteNoise serve it from there).
OPENSEADRAGON := node_modules/openseadragon/build/openseadragon
viewer: npm-tools
	@mkdir -p static/vendor/openseadragon
	@cp -u $(OPENSEADRAGON)/openseadragon.min.js $(OPENSEADRAGON)/openseadragon.min.js.map \
	  node_modules/openseadragon/LICENSE.txt static/vendor/openseadragon/

test: install chromium npm-tools viewer
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles

# Benchmarks (see benchmarks/run.py): results in benchmarks/results/*.json and a printed table.
# Then the load benchmark (benchmarks/load.py): 60 s on SQLite and on PostgreSQL if installed.
bench: install
	$(BIN)/python -m benchmarks.run --documents 10000 --baseline-import-rows 5000 $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.load --seconds 60 $(LOAD_ARGS)

# 100,000 documents on SQLite and PostgreSQL, 1,000,000 on PostgreSQL where the machine allows.
bench-full: install
	PYTHON=$(BIN)/python benchmarks/full.sh $(BENCH_ARGS)
