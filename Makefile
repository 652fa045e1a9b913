# Two commands on a fresh machine: `make site` and `make test`.
VENV      ?= .venv
PYTHON    ?= python3
BIN       := $(VENV)/bin
AXE       := node_modules/axe-core/axe.min.js
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test setup lint typecheck unit browser-deps schema clean bench bench-bibtex

$(BIN)/casepress: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,properdocs,zensical]"
	touch $@

setup: $(BIN)/casepress

## make site: set up .venv, install casepress, build site/ (old site kept if the build fails)
site: setup
	$(BIN)/casepress build --strict
	@echo "Open site/index.html in a browser, or preview with live reload:"
	@echo "  $(BIN)/casepress serve    (then http://127.0.0.1:8000$$($(BIN)/python -c \
	  'from casepress.commands.mkdocs_yml import site_path; print(site_path())'))"

## Chromium (Debian package) for Playwright, and axe-core for accessibility checks
browser-deps: $(AXE)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || { echo "chromium is required: apt-get install chromium" >&2; exit 1; }; }

$(AXE): package.json
	npm install --no-audit --no-fund --no-package-lock --silent
	touch $@

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

## make test: set up and run every test, browser tests included
test: setup browser-deps lint typecheck
	$(BIN)/pytest

schema: setup
	$(BIN)/casepress schema

## make screenshot: retake the README's docs/assets/screenshot-case.png with the test browser
.PHONY: screenshot
screenshot: setup browser-deps
	$(BIN)/python tests/browser/screenshot.py

## make bench: quick benchmark run at small sizes (not part of `make test`; figures and the
## full-size commands are in benchmarks/README.md)
bench: setup
	cd benchmarks && ../$(BIN)/python bench_scale.py --sizes 10,100 --repeats 1
	cd benchmarks && ../$(BIN)/python bench_citations.py --sizes 50 --entries 300 --repeats 1 \
	  --warm-entries 10000

## mkdocs-bibtex 4.4.0 in its own venv, for the comparison in bench_citations.py (its pandoc
## mode also needs a pandoc binary: apt-get install pandoc)
bench-bibtex: benchmarks/.venv-bibtex/bin/mkdocs

benchmarks/.venv-bibtex/bin/mkdocs:
	$(PYTHON) -m venv benchmarks/.venv-bibtex
	benchmarks/.venv-bibtex/bin/python -m pip install --quiet mkdocs==1.6.1 \
	  mkdocs-material==9.8.1 mkdocs-bibtex==4.4.0

clean:
	rm -rf site dist .pytest_cache .mypy_cache .ruff_cache
