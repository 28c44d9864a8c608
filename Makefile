# kunnskapsgrunnlag — run `make help` for the targets.
# The first target that needs the environment creates .venv from requirements.lock.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KG := $(VENV)/bin/kg
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help env npm pdf reports test test-fast lint format bench lab install-dev validate fetch lock clean clean-outputs golden

help: ## list every target
	@awk 'BEGIN {FS = ":.*## "; printf "Targets (make <target>):\n"} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-13s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || { echo "Creating $(VENV) …"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing pinned dependencies from requirements.lock …"
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -r requirements.lock
	@$(PY) -m pip install -q --no-deps -e .
	@touch $@

env: $(STAMP) ## create .venv and install the pinned environment (done by other targets as needed)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (apt-get install nodejs npm; Node 20.19 or newer)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

npm: $(NODE_STAMP) ## install the browser-test tools (axe-core, pdfjs-dist) from package-lock.json

reports: $(STAMP) ## build every county's report from the bundled data (outputs/)
	$(KG) run

pdf: $(STAMP) ## build the reports and print a PDF beside each (headless Chromium: apt-get install chromium)
	$(KG) run --pdf

validate: $(STAMP) ## check the county parameter files
	$(KG) validate

test: $(STAMP) $(NODE_STAMP) ## lint and run the whole test suite (what CI runs)
	$(VENV)/bin/ruff check lib tests notebooks
	$(PY) -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP) ## tests without notebooks or browser
	$(PY) -m pytest -n 2 -m "not slow"

lint: $(STAMP) ## ruff lint + format check
	$(VENV)/bin/ruff check lib tests notebooks
	$(VENV)/bin/ruff format --check lib tests notebooks

format: $(STAMP) ## format the code with ruff
	$(VENV)/bin/ruff check --fix lib tests notebooks
	$(VENV)/bin/ruff format lib tests notebooks

bench: $(STAMP) ## batch, no-op, one-chapter, floor and naive timings, min/median of 3 rounds (BENCH_ARGS=--quick)
	$(KG) bench $(BENCH_ARGS)

lab: $(STAMP) ## start JupyterLab in notebooks/ (offline)
	$(PY) -m kunnskapsgrunnlag.lab $(LAB_ARGS)

install-dev: $(STAMP) ## install the pre-commit hooks (offline, local hooks)
	@test -e .git || { echo "install-dev: not a git clone (no .git here); nothing to install"; exit 1; }
	$(VENV)/bin/pre-commit install --install-hooks --overwrite
	@echo "pre-commit hooks installed; run them all with: $(VENV)/bin/pre-commit run --all-files"

fetch: $(STAMP) ## refresh the data snapshot from SSB (needs network)
	$(KG) fetch

lock: $(STAMP) ## regenerate requirements.lock from the current .venv
	@{ head -2 requirements.lock; $(VENV)/bin/pip freeze --exclude-editable | grep -vi '^kunnskapsgrunnlag'; } > requirements.lock.new && mv requirements.lock.new requirements.lock

clean-outputs: ## delete generated reports and notebooks (keeps data/)
	rm -rf outputs/reports outputs/notebooks outputs/manifest.json outputs/indicators.csv outputs/bench.json

clean: clean-outputs ## delete outputs, caches and .venv
	rm -rf $(VENV) data/cache .pytest_cache .ruff_cache

golden: $(STAMP) ## re-record the golden backtests (03 Oslo nb, 46 Vestland nn) after an intended change
	$(PY) tests/backtests/backtest_record.py
