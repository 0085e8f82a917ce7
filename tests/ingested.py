"""A BudgetQA over a real SQLite store and passage index in a temporary home, with chosen
corpus files ingested: the fixture of every test module that asks questions of a few
documents."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

import budgetqa.pipeline
from budgetqa.pipeline import BudgetQA, IngestReport
from retrieval.embedders import make_embedder
from retrieval.index import PassageIndex
from store.store import open_store
from tests.corpus_cache import read_corpus_document


def ingested_app(home: Path, files: Iterable[Path]) -> BudgetQA:
    """`files` ingested into a store and a BM25-only passage index in `home`; an ingest that
    fails fails the test with its error."""
    app = BudgetQA(open_store(f"sqlite:///{home / 'budgetqa.sqlite'}"),
                   PassageIndex(home, make_embedder("none")))
    for path in files:
        report = ingest_corpus_file(app, path)
        assert report.status != "failed", report.error
    return app


def ingest_corpus_file(app: BudgetQA, path: Path) -> IngestReport:
    """`app.ingest_file(path)` of an unchanged corpus file, its reading shared by the test run
    (tests/corpus_cache.py) rather than made again in a child process of its own: modules that
    ask questions of the same documents parse each once. The store, the passage index and
    everything after the reading are the ingest's own; the child process, its limits and
    its errors have their own tests (test_reliability, test_api, test_ingest_*), which call
    `ingest_file` directly."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budgetqa.pipeline, "read_document_isolated",
                      lambda file, on_page=None: read_corpus_document(file))
        return app.ingest_file(path)
