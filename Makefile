# Two commands on a fresh machine with python3 and make: `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# Use uv from PATH; otherwise install it once into .tools/ with the machine's python3.
UV ?= $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve migrate demo test check lint format typecheck pytest messages bench clean

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# The task worker and the scheduler run in the background beside the web server; Ctrl-C stops all.
run: demo
	@echo "Uslugi: http://$(HOST):$(PORT)/  (admin: /admin/, API: /api/docs)"
	@trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT; \
	$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) scheduler & scheduler=$$!; \
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

typecheck: install
	$(UV) run --frozen mypy .

check: lint typecheck
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

# One worker per core (pytest-xdist). Tests are handed out one by one in pytest-django's order,
# every database test before any transactional one, whose flush empties the seeded tables; a
# worker never gets a database test after a transactional one (per file would break that).
PYTEST_ARGS ?= --numprocesses=auto
pytest: install
	$(UV) run --frozen pytest $(PYTEST_ARGS)

test: check pytest

messages: install
	$(MANAGE) makemessages --locale ru --ignore ".venv/*" --ignore ".tools/*" --ignore "var/*" --ignore "static/*" --no-obsolete
	$(MANAGE) compilemessages --ignore ".venv/*" --ignore ".tools/*"

clean:
	rm -rf var/uslugi.sqlite3* .pytest_cache .mypy_cache .ruff_cache
