#!/usr/bin/env sh
# The demo: Streamlit chat page (:8501), REST API (:8000) and a portal page with the widget
# (:8765, another origin). Ingests the default corpus first when the store is empty.
# Usage: scripts/run_demo.sh [--host H] [--app-port N] [--api-port N] [--portal-port N] [--doc ID]
set -eu
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
if [ -z "$("$PY" -m budgetqa.cli docs 2>/dev/null | head -n 1)" ]; then
    "$PY" -m budgetqa.cli ingest "${BUDGETQA_DATA:-data/corpus}" || true
fi
exec "$PY" -m server.demo "$@"
