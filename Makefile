# Two commands on a fresh machine (README): `make dashboard` and `make test`.
# Each builds .venv from requirements.txt first if it is missing or stale.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: dashboard test lint bench chromium postgresql native

$(BIN)/.installed: requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The core compiled with mypyc (engine/tools/native.py): rebuilt when a source it was built
# from changed, skipped with a one-line notice when there is no C compiler (or RADIX_NATIVE=off);
# the .py files run then.
native: $(BIN)/.installed
	$(BIN)/python engine/tools/native.py

# The health probe refuses to start the server on a broken knowledge base.
dashboard: native
	$(BIN)/python -m dashboard.health
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

# The browser tests drive Debian's Chromium (no browser download is possible here).
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The store tests start a throw-away PostgreSQL server from Debian's binaries
# (tests/postgres.py); the report tests render PDFs with poppler's pdftoppm.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v pdftoppm >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq postgresql poppler-utils >/dev/null; }

test: native chromium postgresql
	$(BIN)/python -m ruff check engine dashboard store exports tests benchmarks
	$(BIN)/python -m mypy
	$(BIN)/python -m engine lint
	$(BIN)/python -m pytest

bench: native
	$(BIN)/python benchmarks/bench_engine.py 10000
