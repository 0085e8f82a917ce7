# BudgetQA: `make run` starts the app on the demo data, `make test` runs every test.
# Both set up everything first (virtual environment, CPU torch, the package, Chromium,
# tesseract for scanned pages).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser ocr postgres cluster bench-scaleout run ingest ingest-report test test-quick bench bench-full bench-audit bench-load eval clean

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

# Debian's tesseract with its Simplified Chinese model, for PDF pages without a text layer
# (BUDGETQA_OCR). Installed only when missing; without it such pages are skipped.
ocr:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; } || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	     tesseract-ocr tesseract-ocr-chi-sim) \
	  || echo "warning: could not install tesseract; scanned pages will not be read"; }

# Debian's PostgreSQL server programs, for the scale-out tests (tests/test_scaleout_postgres.py
# start a private cluster of their own in a temporary folder; the system's cluster is never
# used). Installed only when missing; without them those tests are skipped with the reason.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
	  || echo "warning: could not install postgresql; the PostgreSQL tests will be skipped"; }

# Ingest the demo documents (unchanged files are skipped), then start the chat page, the
# API and a demo portal page that embeds the widget.
ingest: setup ocr
	$(BIN)/budgetqa ingest data/corpus

# INGEST.md: every file of the shared corpus ingested into a fresh store (BM25 only: the
# report is about parsing), one row per file. Notes below the page's notes mark are kept.
REPORT_HOME := /tmp/budgetqa-ingest-report
ingest-report: setup ocr
	rm -rf $(REPORT_HOME)
	BUDGETQA_HOME=$(REPORT_HOME) BUDGETQA_EMBEDDER=none $(BIN)/budgetqa ingest \
	  $(sort $(wildcard ../shared/corpus/*/*.pdf ../shared/corpus/*/*.md)) --summary INGEST.md \
	  > /dev/null

run: ingest
	scripts/run_demo.sh

# PostgreSQL (under $BUDGETQA_HOME/cluster), a chroma server, API processes on :8000, :8001
# (API=N for another number) and the chat page on :8501; the demo corpus is ingested when the
# store is empty.
API ?= 2
cluster: setup ocr postgres
	PYTHON=$(BIN)/python scripts/run_cluster.sh --api $(API)

# The suite on two workers (pytest-xdist; CI has two cores, TEST_WORKERS=N for another number):
# a module's tests that share a fixture stay on one worker, slow groups are handed out first
# (tests/conftest.py), and corpus files are parsed once per run for both (tests/corpus_cache.py).
TEST_WORKERS ?= 2
PYTEST_PARALLEL = -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

test: setup browser ocr postgres
	$(BIN)/pytest $(PYTEST_PARALLEL)

test-quick: setup
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow and not browser"

eval: setup
	$(BIN)/budgetqa eval ../shared/eval/*.jsonl --corpus ../shared/corpus

bench: setup
	$(BIN)/python -m bench --quick

bench-full: setup
	$(BIN)/python -m bench

# Planted-error recall of the audit over ../shared/corpus; writes its section of AUDIT.md.
bench-audit: setup
	BUDGETQA_EMBEDDER=none $(BIN)/python -m bench.audit_mutations --write

# 100 clients for 60 s, answers during a 50 MB upload, 5,000 rapid requests, on a real server.
bench-load: setup
	$(BIN)/python -m bench.load

# 1, 2 and 4 API processes on a private PostgreSQL + chroma server under the same load;
# writes its section of BENCHMARKS.md.
bench-scaleout: setup postgres
	$(BIN)/python -m bench.scaleout --write

clean:
	rm -rf $(VENV) data/store build *.egg-info
