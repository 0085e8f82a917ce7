"""A BudgetQA over a real SQLite store and passage index in a temporary home, with chosen
corpus files ingested: the fixture of every test module that asks questions of a few
documents."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from budgetqa.pipeline import BudgetQA
from retrieval.embedders import make_embedder
from retrieval.index import PassageIndex
from store.store import open_store


def ingested_app(home: Path, files: Iterable[Path]) -> BudgetQA:
    """`files` ingested into a store and a BM25-only passage index in `home`; an ingest that
    fails fails the test with its error."""
    app = BudgetQA(open_store(f"sqlite:///{home / 'budgetqa.sqlite'}"),
                   PassageIndex(home, make_embedder("none")))
    for path in files:
        report = app.ingest_file(path)
        assert report.status != "failed", report.error
    return app
