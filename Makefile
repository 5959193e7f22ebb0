# Digikunta: `make run` serves the platform with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and exports made outside a request (docs/operations.md).
SITE_URL ?= http://$(HOST):$(PORT)
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
UV := .tools/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-quick install system-deps lint format messages clean serve

run: install ## Migrate, load demo data and serve on http://$(HOST):$(PORT); prints only the logins
	@bash scripts/system-deps.sh voikko
	@mkdir -p var
	@DEBUG=1 $(BIN)/digikunta migrate --no-input -v 0
	@DEBUG=1 $(BIN)/digikunta demo
	@DEBUG=1 $(BIN)/digikunta search_engine build > /dev/null
	@echo "Digikunta runs at http://$(HOST):$(PORT)/ (Ctrl+C stops it); its e-mails are files in var/mail/."
	@# The worker (e-mail, embeddings; docs/operations.md) runs beside the server and stops with it.
	@# Only warnings and errors reach the terminal: no request log, no banner, no e-mail text.
	@export SITE_URL=$(SITE_URL) DEBUG=1 LOG_LEVEL=$${LOG_LEVEL:-WARNING}; \
	$(BIN)/digikunta db_worker --queue-name '*' -v 0 > /dev/null & worker=$$!; \
	$(BIN)/digikunta runserver $(HOST):$(PORT) > /dev/null & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null; wait' EXIT INT TERM; wait $$server

serve: install ## Production-like server (granian, DEBUG off, one task worker) on plain HTTP, for benchmarks and trials
	@mkdir -p var
	@[ -s var/secret_key ] || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/digikunta collectstatic --no-input -v 0
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/digikunta migrate --no-input -v 0
	SECRET_KEY=$$(cat var/secret_key) $(BIN)/digikunta search_engine build
	SITE_URL=$(SITE_URL) SECRET_KEY=$$(cat var/secret_key) $(BIN)/digikunta db_worker --queue-name '*' -v 0 & worker=$$!; \
	SITE_URL=$(SITE_URL) SECRET_KEY=$$(cat var/secret_key) $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) \
		--workers 2 --blocking-threads 1 digikunta.wsgi:application & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null; wait' EXIT INT TERM; wait $$server

test: system-deps lint ## The checks of make lint, then the whole suite on SQLite and on PostgreSQL, browser tests included
	@bash scripts/test.sh

test-quick: install ## SQLite only, no browser: the quick loop
	$(BIN)/pytest -q -m "not browser" -n 2

install: $(VENV)/.installed

$(UV):
	@$(PYTHON) -m venv .tools || { echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	@.tools/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	@$(UV) sync --frozen --python $(PYTHON) -q
	@touch $@

system-deps: ## As root, apt-installs PostgreSQL, Chromium and Voikko when missing
	@bash scripts/system-deps.sh

lint: install ## Formatting, ruff's rules, mypy (pyproject.toml: [tool.mypy]) and missing migrations
	@mkdir -p var
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	DEBUG=1 $(BIN)/digikunta makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Update the fi/sv catalogues and compile them
	DEBUG=1 $(BIN)/digikunta makemessages -l fi -l sv -l en --no-location --no-obsolete \
		-i ".venv/*" -i ".tools/*" -i "var/*" -i "tests/*" -i "bench/*" -i "*/tests/*" -i "digikunta/static/*"
	DEBUG=1 $(BIN)/digikunta compilemessages -v 0

clean:
	rm -rf $(VENV) .tools var
