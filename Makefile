# titrepro: the two-command quick start (`make run`, `make test`) and the CI stages.
#
# Works on a fresh machine with only python3 (any version) and pip: the shared
# `bootstrap` step installs uv if it is missing, picks Python 3.12 and creates
# .venv from uv.lock. Every project command then goes through `uv run --frozen`,
# so the lock file is never rewritten by accident.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
CHROMIUM ?= /usr/bin/chromium
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k title -x"`.
PYTEST_ARGS ?=
# Where `make run` serves, e.g. `make run PORT=8001` (or HOST=0.0.0.0 to reach it from another machine).
HOST ?= 127.0.0.1
PORT ?= 8000

# uv itself: the `uv` on PATH if it really runs (a pyenv shim may exist without
# uv behind it), otherwise the module that `pip install --user uv` provides.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo "$(PYTHON) -m uv")

# Python 3.12 for the virtualenv: a UV_PYTHON set by the caller wins; otherwise
# pyenv's 3.12 if pyenv is there; otherwise uv looks for python3.12 itself.
# (No .python-version file: pyenv would read it and hijack the `uv` shim.)
ifndef UV_PYTHON
PYENV_312 := $(shell pyenv prefix 3.12.1 2>/dev/null || pyenv prefix 3.12 2>/dev/null)
ifneq ($(PYENV_312),)
export UV_PYTHON := $(firstword $(PYENV_312))/bin/python3.12
endif
endif

# After the bootstrap the environment is what it should be: never let `uv run` sync it again (by
# default it would add the dev group, which `make run` does not need).
RUN := $(UV) run --frozen --no-sync

.PHONY: help uv bootstrap bootstrap-run browser pdftools interop run test lint check

help:
	@echo "make run    install what running needs, load the built-in catalogue and the demo, serve http://127.0.0.1:8000/"
	@echo "            (PORT=8001, HOST=0.0.0.0 to change it) and run the task worker"
	@echo "make test   install the test tools too and run the whole test suite (DATABASE_URL, default SQLite)"
	@echo "make lint   ruff check, ruff format --check, mypy, lint-imports"
	@echo "make check  makemigrations --check and check --deploy with production settings"

uv:
	@if ! $(UV) --version >/dev/null 2>&1; then \
		echo "==> uv not found: installing it with pip (--user)"; \
		$(PYTHON) -m pip install --user --quiet uv || { \
			echo "Could not install uv. Install it (https://docs.astral.sh/uv/) and run make again." >&2; exit 1; }; \
	fi
	@echo "==> $$($(UV) --version), Python $${UV_PYTHON:-python3.12 found by uv}"

# Everything (the dev group: pytest, ruff, mypy...), for test, lint and check. --inexact: what is
# already there stays, so switching between `make run` and `make test` installs nothing twice.
bootstrap: uv
	$(UV) sync --frozen --inexact

# Only what running needs (no dev group).
bootstrap-run: uv
	$(UV) sync --frozen --inexact --no-dev

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "==> $(CHROMIUM) missing: installing Debian's chromium"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
			test -x "$(CHROMIUM)" || { echo "chromium installed but $(CHROMIUM) is still missing" >&2; exit 1; }; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM)." >&2; \
			echo "Install it, e.g. 'sudo apt-get install chromium' on Debian or Ubuntu, then run make test again." >&2; \
			exit 1; \
		fi; \
	fi

# The document tests read and check the PDFs with independent tools from Debian's packages
# (docs/decisions/0032-typst-pdf-documents.md, 0040-credentials-signed-pdf.md): poppler-utils'
# pdftotext and pdfsig, qpdf --check, zbar-tools' zbarimg for the QR code, libnss3-tools'
# certutil for pdfsig's trust store. Each "command:package" missing is installed.
PDF_TOOLS := pdftotext:poppler-utils pdfsig:poppler-utils qpdf:qpdf zbarimg:zbar-tools certutil:libnss3-tools
pdftools:
	@missing=""; for pair in $(PDF_TOOLS); do \
		command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "==> installing Debian's$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y $$missing || { apt-get update && apt-get install -y $$missing; }; \
			for pair in $(PDF_TOOLS); do \
				command -v "$${pair%%:*}" >/dev/null || { echo "$${pair#*:} installed but $${pair%%:*} is still missing" >&2; exit 1; }; \
			done; \
		else \
			echo "The document tests need these Debian packages:$$missing." >&2; \
			echo "Install them, e.g. 'sudo apt-get install$$missing', then run make test again." >&2; \
			exit 1; \
		fi; \
	fi

# The independent verifier of the digital badges (docs/decisions/0045): the Digital Bazaar JS stack, from the npm
# registry at the versions of the committed lock file, with the machine's Node.js (20 or later).
INTEROP := tests/interop
interop:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "The badge interoperability tests need Node.js 20 and npm (e.g. 'sudo apt-get install nodejs npm')." >&2; exit 1; }
	@if [ ! -f "$(INTEROP)/node_modules/.package-lock.json" ] || [ "$(INTEROP)/package-lock.json" -nt "$(INTEROP)/node_modules/.package-lock.json" ]; then \
		echo "==> npm ci in $(INTEROP)"; \
		npm ci --prefix "$(INTEROP)" --no-audit --no-fund --loglevel=error; \
	fi

run: bootstrap-run
	$(RUN) titrepro migrate
	$(RUN) titrepro catalogue load --builtin
	$(RUN) titrepro demo
	@# The task worker (large imports, docs/decisions/0021) beside the web server, stopped with it.
	$(RUN) titrepro db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true' EXIT; \
	$(RUN) titrepro runserver $(HOST):$(PORT)

# The database is the one DATABASE_URL names (SQLite when unset); pytest-django
# creates and drops the test database itself.
test: bootstrap browser pdftools interop
	@echo "==> pytest on $${DATABASE_URL:-SQLite (DATABASE_URL unset)}"
	$(RUN) pytest $(PYTEST_ARGS)

# Each tool runs even if an earlier one failed, so one run reports everything.
lint: bootstrap
	@status=0; \
	echo "==> ruff check"; $(RUN) ruff check . || status=1; \
	echo "==> ruff format --check"; $(RUN) ruff format --check . || status=1; \
	echo "==> mypy"; $(RUN) mypy || status=1; \
	echo "==> lint-imports"; $(RUN) lint-imports --no-logo || status=1; \
	exit $$status

# Production settings with dummy values: only real configuration problems fail.
check: bootstrap
	@status=0; \
	echo "==> makemigrations --check"; \
	$(RUN) titrepro makemigrations --check --dry-run || status=1; \
	echo "==> check --deploy (production settings, dummy secret and host)"; \
	TITREPRO_ENV=production \
	TITREPRO_SECRET_KEY=check-deploy-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	TITREPRO_ALLOWED_HOSTS=titrepro.example.org TITREPRO_PUBLIC_URL=https://titrepro.example.org \
	TITREPRO_EMAIL_HOST=smtp.example.org TITREPRO_EMAIL_HOST_USER=titrepro TITREPRO_EMAIL_HOST_PASSWORD=dummy \
	TITREPRO_CONTACT_EMAIL=contact@example.org TITREPRO_PUBLISHER=Publisher TITREPRO_HOST_NAME=Host TITREPRO_HOST_ADDRESS=Address \
	TITREPRO_AUDIT_KEY=check-deploy-dummy-audit-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	DATABASE_URL=$${DATABASE_URL:-postgres://titrepro@localhost:5432/titrepro} \
	$(RUN) titrepro check --deploy --fail-level WARNING || status=1; \
	exit $$status
