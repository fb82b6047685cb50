# remote-signout: one entry point for people and CI. `make help` lists the targets.
# Needs GNU make and Python 3.11+; `make test` also fetches buf (npm) and docker-compose (apt).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# command:package pairs from Debian that the tests drive: compose validation, a real
# Prometheus server, a real browser, HAProxy in front of the cluster's gateways (in /usr/sbin, off a
# normal user's PATH).
APT_TOOLS := docker-compose:docker-compose prometheus:prometheus chromium:chromium /usr/sbin/haproxy:haproxy
APT_NEEDED ?= $(APT_TOOLS)
# python3.11, or python3 when it is 3.11 or newer.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || \
            (python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v python3))

.PHONY: help install run cluster apt-tools test test-deps bench faults protos lint-protos compose-secrets clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP) ## create .venv and install the project with its dev tools

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is required (python3.11 or python3)" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

run: install ## start the whole suite locally with a demo account (Ctrl-C stops it)
	$(PY) -m tools.run_suite

cluster: install ## start a local cluster on this machine's PostgreSQL and Redis: replicas, HAProxy on :8080 (Ctrl-C stops it)
	@$(MAKE) --no-print-directory apt-tools APT_NEEDED=/usr/sbin/haproxy:haproxy
	$(PY) -m tools.run_cluster

test: install test-deps ## run every test (unit, integration, e2e, tooling)
	$(PY) -m pytest

test-deps: ## fetch buf (npm) and docker-compose, prometheus, chromium, haproxy (apt) for the tests
	@if [ ! -d node_modules ]; then \
	  if ! command -v npm >/dev/null 2>&1; then \
	    echo "note: npm is missing, so buf cannot be installed; the buf lint test will be skipped (it fails under CI=true)"; \
	  elif [ -f package-lock.json ]; then npm ci; else npm install; fi; \
	fi
	@$(MAKE) --no-print-directory apt-tools

apt-tools: ## install the Debian packages named in APT_NEEDED (default: every test tool) when missing
	@missing=""; \
	for pair in $(APT_NEEDED); do \
	  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	  else \
	    echo "note: missing Debian packages:$$missing; run 'sudo apt-get install$$missing'."; \
	    echo "      until then the tests that need them are skipped (they fail under CI=true)"; \
	  fi; \
	fi

bench: install ## run every benchmark; prints a table, writes benchmarks/results/latest.json
	$(PY) -m benchmarks

faults: install ## kill -9 each replica, restart PostgreSQL, under load: requests, errors, revocations lost
	@$(MAKE) --no-print-directory apt-tools APT_NEEDED=/usr/sbin/haproxy:haproxy
	$(PY) -m benchmarks.faults

compose-secrets: install ## throw-away CA, keys and secrets (the canary's password too) in ./secrets, passwords in ./.env, for compose.yaml
	$(PY) -m tools.local_secrets secrets
	@test -f .env || (umask 077 && $(PY) -c 'import secrets; [print(f"{n}={secrets.token_hex(24)}") for n in ("POSTGRES_PASSWORD", "AUTH_DB_PASSWORD", "DEVICE_DB_PASSWORD", "PARENTAL_DB_PASSWORD", "REDIS_PASSWORD")]' > .env)
	@test -f secrets/grafana_admin_password || (umask 077 && $(PY) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(24)).decode())' > secrets/grafana_admin_password)
	@test -f secrets/oauth_clients || echo "now write the resource servers' id:secret list to secrets/oauth_clients (the gateway refuses to start without it)"
	@echo "the containers run as uid 10001: chown -R 10001 secrets (or copy them where that user can read them)"

protos: install ## regenerate protos/python from protos/remotesignout/**/*.proto
	$(PY) protos/generate.py

lint-protos: ## lint the .proto files with buf (STANDARD and COMMENTS rules)
	npx buf lint protos

clean: ## remove .venv, node_modules and caches (keeps ./data)
	rm -rf $(VENV) node_modules .pytest_cache build *.egg-info protos/python/*.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
