#!/usr/bin/env sh
# A cluster on this machine: Debian's PostgreSQL and a chroma server with data under
# $BUDGETQA_HOME/cluster, N API processes (:8000, :8001, …) and the chat page (:8501), all on
# the same store and index. Ingests the demo corpus (or $BUDGETQA_DATA) when the store is empty.
# Usage: scripts/run_cluster.sh [--api N] [--port FIRST-API-PORT] [--app-port N]
#                               [--pg-port N] [--chroma-port N]
set -eu
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
exec "$PY" -m bench.cluster "$@"
