# ผังชุมชน: the two commands that work on a fresh machine are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DB ?= var/phangchumchon.duckdb
PORT ?= 8501
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)

.PHONY: run run-postgres postgres-deps test lint format bench build install install-dev browser-deps clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	PHANG_DB=$(DB) $(PY) -m data build --demo

# builds the database on first use (or when an earlier build was interrupted), else starts at once
run: $(STAMP)
	PHANG_DB=$(DB) $(PY) -m data build --demo --if-needed
	$(PY) -m geo.static_assets
	PHANG_DB=$(DB) $(VENV)/bin/streamlit run serve.py --server.port $(PORT)

# PostgreSQL + PostGIS instead of the DuckDB file (README, "Past one server"): starts a local
# cluster from Debian's packages under var/postgres (kept between runs), builds it on first
# use and serves the app on it. PG_PORT picks its port.
PG_PORT ?= 55432
PG_URL ?= postgresql://phang@127.0.0.1:$(PG_PORT)/phangchumchon
run-postgres: $(STAMP) postgres-deps
	$(PY) -m data.pg_cluster start --dir var/postgres --port $(PG_PORT) --database phangchumchon
	PHANG_DB=$(PG_URL) $(PY) -m data build --demo --if-needed
	$(PY) -m geo.static_assets
	PHANG_DB=$(PG_URL) $(VENV)/bin/streamlit run serve.py --server.port $(PORT)

postgres-deps:
	@test -x /usr/lib/postgresql/15/bin/initdb -a -e /usr/share/postgresql/15/extension/postgis.control || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-15-postgis-3 >/dev/null; }

# Debian packages the tests need: chromium drives the browser tests (Playwright's own browser
# download cannot work here); gdal-bin is the OGC API client.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null; }
	@# GDAL's ogrinfo/ogr2ogr read the OGC API in the tests, as an agency's GIS would
	@command -v ogr2ogr >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# pytest exits 5 when no test ran; that is a failure here too.
# the map's JavaScript is installed once here, before the test workers start their app servers
test: $(STAMP) browser-deps postgres-deps lint
	$(PY) -m geo.static_assets >/dev/null
	$(VENV)/bin/pytest -q -p no:cacheprovider -n 2 --dist loadfile; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$status

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
