"""The run's shared readings (tests/corpus_cache.py) and the ingest that uses them
(tests/ingested.py): a reading is made once per file name and content, and an app fed by it
holds what the real ingest, reading in its own child process, would hold."""

from __future__ import annotations

import shutil
from pathlib import Path

from budgetqa.pipeline import BudgetQA
from retrieval.index import PassageIndex
from store.store import open_store
from tests.corpus_cache import CACHE_ENV, read_corpus_document, shared_reading
from tests.ingested import ingest_corpus_file

SHAOXING = (Path(__file__).resolve().parent.parent / "data" / "corpus"
            / "shaoxing-gov-service-office-2024-dept-budget.md")


def test_a_copy_elsewhere_shares_the_reading_and_an_edited_copy_is_read_anew(tmp_path,
                                                                              monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "readings"))
    (tmp_path / "readings").mkdir()
    copy = tmp_path / "copy" / SHAOXING.name
    copy.parent.mkdir()
    shutil.copy(SHAOXING, copy)
    reads = []

    def read():
        reads.append(1)
        return len(reads)

    assert shared_reading("kind", SHAOXING, read) == 1
    assert shared_reading("kind", copy, read) == 1  # same name and content: not read again
    copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert shared_reading("kind", copy, read) == 2
    # A document read from the original names the file it was asked for.
    shutil.copy(SHAOXING, copy)
    read_corpus_document(SHAOXING)
    assert read_corpus_document(copy).document.source_file == str(copy.resolve())


def _app(home: Path) -> BudgetQA:
    home.mkdir()
    return BudgetQA(open_store(f"sqlite:///{home / 'budgetqa.sqlite'}"),
                    PassageIndex(home, None))


def test_an_ingest_from_the_shared_reading_stores_what_the_real_ingest_stores(tmp_path):
    real, shared = _app(tmp_path / "real"), _app(tmp_path / "shared")
    assert real.ingest_file(SHAOXING).status == "ingested"
    assert ingest_corpus_file(shared, SHAOXING).status == "ingested"
    doc = SHAOXING.stem
    assert shared.document(doc) == real.document(doc)
    assert shared.store.cells(doc) == real.store.cells(doc)
    assert shared.store.passages(doc) == real.store.passages(doc)
    question = "人员支出占总支出多少？"
    assert shared.ask(question, doc).to_json() == real.ask(question, doc).to_json()
