# BudgetQA: `make run` starts the app on the demo data, `make test` runs every test.
# Both set up everything first (virtual environment, CPU torch, the package, Chromium).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser run ingest test test-quick bench bench-full eval clean

setup: $(STAMP)

# torch first, pinned: this machine's local CPU build. An unpinned torch pulls a CUDA
# build of several GB.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's Chromium and CJK fonts for the browser tests and screenshots (Playwright's own
# browser download does not work here). Installed only when missing.
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk"; } || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

# Ingest the demo documents (unchanged files are skipped), then start the chat page, the
# API and a demo portal page that embeds the widget.
ingest: setup
	$(BIN)/budgetqa ingest data/corpus

run: ingest
	scripts/run_demo.sh

test: setup browser
	$(BIN)/pytest

test-quick: setup
	$(BIN)/pytest -m "not slow and not browser"

eval: setup
	$(BIN)/budgetqa eval ../shared/eval/*.jsonl --corpus ../shared/corpus

bench: setup
	$(BIN)/python -m bench --quick

bench-full: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data/store build *.egg-info
