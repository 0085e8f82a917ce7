"""The SQL store on a real SQLite file and on a private PostgreSQL (Debian's, started here):
atomic replace, removal, exact Decimals, round trips.

The PostgreSQL runs are slow (a server per worker, a database per test) and skipped, with the
reason, only when Debian's PostgreSQL is not installed (`make test` installs it).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from ingest.measures import document_measures

from budgetqa.domain import (Document, ParsedCell, ParsedDocument, ParsedRow, ParsedTable,
                             Passage)
from budgetqa.errors import NotFound, StoreError
from ingest.reader import read_document
from store.store import Store

SHAOXING = (Path(__file__).resolve().parent.parent / "data" / "corpus"
            / "shaoxing-gov-service-office-2024-dept-budget.md")
SHAOXING_ID = SHAOXING.stem


# The store's own bookkeeping, which every write moves: the schema revision, the store
# generation, and the generation each document was written at.
BOOKKEEPING_TABLES = {"alembic_version", "store_state", "document_files"}
BOOKKEEPING_COLUMNS = {"generation"}


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every content table of the store at `url`, read with plain SQL (not
    through Store), without the bookkeeping."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(n for n in inspect(conn).get_table_names()
                           if n not in BOOKKEEPING_TABLES)
            out = {}
            for name in names:
                result = conn.execute(text(f'SELECT * FROM "{name}"'))
                keep = [i for i, c in enumerate(result.keys()) if c not in BOOKKEEPING_COLUMNS]
                out[name] = sorted((tuple(r[i] for i in keep) for r in result), key=repr)
            return out
    finally:
        engine.dispose()


def counts(url: str) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot(url).items()}


def small_document(doc_id: str = "tiny-2024-dept-budget", cells=None, passages=None
                   ) -> ParsedDocument:
    """A hand-made parsed document with one table of one row."""
    document = Document(id=doc_id, title="测试部门2024年部门预算", publisher="测试部门", year=2024,
                        kind="部门预算", source_file=f"/nowhere/{doc_id}.md", sha256="0" * 64,
                        pages=1)
    cells = cells if cells is not None else (
        ParsedCell(column="总计", printed="1,000.00", value=Decimal("1000.00"), page=1),)
    table = ParsedTable(title="2024年部门支出预算总表", unit="万元", pages=(1,),
                        columns=tuple(dict.fromkeys(c.column for c in cells)),
                        rows=(ParsedRow(label="合计", cells=tuple(cells), page=1),),
                        kind="支出总表")
    passages = passages if passages is not None else (
        Passage(doc_id=doc_id, section="一、概况", text="本部门2024年预算1000万元。", page=1, index=0),)
    return ParsedDocument(document=document, tables=(table,), passages=tuple(passages))


@pytest.fixture(scope="module")
def shaoxing() -> ParsedDocument:
    return read_document(SHAOXING)


@pytest.fixture(scope="module")
def postgres_server():
    """A private PostgreSQL server (bench.cluster) in a temporary folder, for this module."""
    from bench.cluster import postgres, postgres_bin

    if postgres_bin() is None:
        pytest.skip("Debian's PostgreSQL is not installed (apt-get install postgresql; "
                    "`make test` does it)")
    folder = Path(tempfile.mkdtemp(prefix="budgetqa-store-pg-"))
    folder.chmod(0o755)  # the postgres user enters it
    try:
        with postgres(folder / "pg") as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
def db_url(request, tmp_path) -> str:
    """An empty store's URL: a SQLite file, or a new database of the private PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'budgetqa.sqlite'}"
    server = request.getfixturevalue("postgres_server")  # started only for these runs
    return server.create_database(f"store_{uuid.uuid4().hex[:16]}")


@pytest.fixture
def store(db_url) -> Store:
    store = Store(db_url)
    yield store
    store.engine.dispose()


# -- replace_document is all or nothing ------------------------------------------------------

def _cell_violating_not_null(parsed: ParsedDocument) -> ParsedDocument:
    """The same document, edited, with one cell whose `printed` is NULL (cells.printed is NOT
    NULL): documents, tables and rows are inserted before the cells insert fails."""
    first = parsed.tables[0]
    bad_row = replace(first.rows[0], cells=(replace(first.rows[0].cells[0], printed=None),)
                      + first.rows[0].cells[1:])
    bad_table = replace(first, rows=(bad_row,) + first.rows[1:])
    return replace(parsed, document=replace(parsed.document, title="NEW VERSION", sha256="f" * 64),
                   tables=(bad_table,) + parsed.tables[1:])


def _duplicate_passage_id(parsed: ParsedDocument) -> ParsedDocument:
    """The same document, edited, with two passages of the same index (the same primary key):
    everything but the passages is written before the last insert fails."""
    return replace(parsed, document=replace(parsed.document, title="NEW VERSION", sha256="e" * 64),
                   tables=parsed.tables[:2], passages=parsed.passages + parsed.passages[:1])


@pytest.mark.parametrize("break_it", [_cell_violating_not_null, _duplicate_passage_id],
                         ids=["cells-not-null", "duplicate-passage"])
def test_replace_document_is_all_or_nothing(store, db_url, shaoxing, break_it):
    store.replace_document(shaoxing)
    before = snapshot(db_url)
    cells_before = store.cells(SHAOXING_ID)

    with pytest.raises(StoreError) as info:
        store.replace_document(break_it(shaoxing))

    assert SHAOXING_ID in info.value.message
    assert info.value.context["doc"] == SHAOXING_ID
    assert snapshot(db_url) == before  # the old version, every row of it
    assert store.document(SHAOXING_ID) == shaoxing.document
    assert store.cells(SHAOXING_ID) == cells_before
    assert store.parsed_tables(SHAOXING_ID) == list(shaoxing.tables)


def test_failed_first_ingest_leaves_no_trace(store, db_url):
    empty = snapshot(db_url)
    doc = small_document()
    with pytest.raises(StoreError):
        store.replace_document(replace(doc, passages=doc.passages * 2))
    assert snapshot(db_url) == empty
    with pytest.raises(NotFound):
        store.document(doc.document.id)


def test_reingest_replaces_the_old_version(store, db_url, shaoxing):
    store.replace_document(shaoxing)
    assert len(store.cells(SHAOXING_ID)) > 1000  # warms the cache that replace must drop
    newer = replace(shaoxing, document=replace(shaoxing.document, sha256="a" * 64),
                    tables=shaoxing.tables[:2], passages=shaoxing.passages[:3],
                    warnings=("only two tables",))
    store.replace_document(newer)

    assert store.stored_version(SHAOXING_ID) == ("a" * 64, shaoxing.ingest_version)
    assert [t["title"] for t in store.tables(SHAOXING_ID)] == [t.title for t in shaoxing.tables[:2]]
    assert store.parsed_tables(SHAOXING_ID) == list(shaoxing.tables[:2])
    assert store.passages(SHAOXING_ID) == list(shaoxing.passages[:3])
    assert store.warnings(SHAOXING_ID) == ["only two tables"]
    expected_cells = sum(len(r.cells) for t in shaoxing.tables[:2] for r in t.rows)
    assert len(store.cells(SHAOXING_ID)) == expected_cells
    # No orphans of the old version remain anywhere in the file.
    assert counts(db_url) | {"reviewed_findings": 0} == {
        "documents": 1, "tables": 2,
        "rows": sum(len(t.rows) for t in shaoxing.tables[:2]),
        "cells": expected_cells, "passages": 3, "reviewed_findings": 0, "feedback": 0,
        # One row per canonical measure of the new version only (found, blank or missing).
        "measures": len(document_measures(newer.document, newer.tables, newer.passages))}


def test_reingest_same_document_twice_is_idempotent(store, db_url, shaoxing):
    store.replace_document(shaoxing)
    first = snapshot(db_url)
    store.replace_document(shaoxing)
    assert snapshot(db_url) == first


def test_remove_document(store, db_url, shaoxing):
    store.replace_document(shaoxing)
    store.replace_document(small_document())
    store.remove_document(SHAOXING_ID)

    assert [d.id for d in store.documents()] == ["tiny-2024-dept-budget"]
    assert store.cells(SHAOXING_ID) == ()
    assert store.tables(SHAOXING_ID) == []
    assert store.passages(SHAOXING_ID) == []
    tiny = small_document()
    assert counts(db_url) == {"documents": 1, "tables": 1, "rows": 1, "cells": 1,
                               "passages": 1, "reviewed_findings": 0, "feedback": 0,
                               "measures": len(document_measures(tiny.document, tiny.tables,
                                                                 tiny.passages))}
    assert {m.doc_id for m in store.measures()} == {"tiny-2024-dept-budget"}
    with pytest.raises(NotFound):
        store.document(SHAOXING_ID)
    with pytest.raises(NotFound):
        store.remove_document(SHAOXING_ID)


# -- exact money ---------------------------------------------------------------------------

def test_decimals_survive_exactly(store, db_url):
    printed = ["15,621.1123", "0.10", "-0.50", "1234567890123.45", "0.00", "-"]
    values = [Decimal("15621.1123"), Decimal("0.10"), Decimal("-0.50"),
              Decimal("1234567890123.45"), Decimal("0.00"), None]
    cells = tuple(ParsedCell(column=f"列{i}", printed=p, value=v, page=1)
                  for i, (p, v) in enumerate(zip(printed, values)))
    store.replace_document(small_document(cells=cells))

    stored = store.cells("tiny-2024-dept-budget")
    assert [c.printed for c in stored] == printed
    assert [c.value for c in stored] == values
    for cell, value in zip(stored, values):
        if value is not None:
            assert type(cell.value) is Decimal
            assert str(cell.value) == str(value)  # 0.10 stays 0.10, not 0.1
    engine = create_engine(db_url)
    with engine.connect() as conn:
        kinds = {type(v) for v in conn.execute(text("SELECT value FROM cells")).scalars()}
    engine.dispose()
    assert kinds == {str, type(None)}  # text, never REAL (a float would come back)


# -- reading -------------------------------------------------------------------------------

def test_unknown_id_raises_not_found_without_listing_the_others(store, shaoxing):
    store.replace_document(shaoxing)
    store.replace_document(small_document())
    with pytest.raises(NotFound) as info:
        store.document("no-such-doc")
    assert "'no-such-doc'" in info.value.message
    # The list of documents is its own request; an error never enumerates them.
    assert SHAOXING_ID not in info.value.message
    assert "tiny-2024-dept-budget" not in info.value.message
    assert info.value.context == {"doc": "no-such-doc"}
    assert info.value.status == 404


def test_parsed_tables_round_trip_levels_and_parents(store, shaoxing):
    store.replace_document(shaoxing)
    stored = store.parsed_tables(SHAOXING_ID)
    assert stored == list(shaoxing.tables)
    spending = next(t for t in stored if t.kind == "支出总表")
    by_code = {r.code: (i, r) for i, r in enumerate(spending.rows) if r.code}
    _, item = by_code["2010301"]
    assert item.level == 3
    parent_position, parent = by_code["20103"]
    assert item.parent == parent_position and parent.level == 2
    assert spending.rows[parent.parent].code == "201"
    assert store.document(SHAOXING_ID) == shaoxing.document
    assert store.passages(SHAOXING_ID) == list(shaoxing.passages)


def test_cells_carry_their_provenance(store, shaoxing):
    store.replace_document(shaoxing)
    cell = next(c for c in store.cells(SHAOXING_ID)
                if c.table_kind == "支出总表" and c.row_label == "合计"
                and c.column == "基本支出/人员支出")
    assert (cell.value, cell.printed, cell.unit) == (Decimal("1462.07"), "1462.07", "万元")
    assert cell.table_title == "2024年部门支出预算总表"
    assert cell.row_level == 0 and cell.doc_id == SHAOXING_ID
    assert cell.id.startswith(cell.row_id) and cell.row_id.startswith(cell.table_id)


def test_a_doubtful_unit_is_kept_with_its_reason_and_read_with_each_cell(store):
    """ingest.stated_units' verdict on a table survives the store, table and cells."""
    parsed = small_document()
    doubtful = replace(parsed.tables[0], unit_doubtful=True,
                       unit_note="表头单位为万元，但按万元读，最大数是本文件其他各表最大数的140倍")
    store.replace_document(replace(parsed, tables=(doubtful,)))
    [table] = store.parsed_tables("tiny-2024-dept-budget")
    assert (table.unit, table.unit_doubtful, table.unit_note) == (
        "万元", True, doubtful.unit_note)
    assert [c.unit_doubtful for c in store.cells("tiny-2024-dept-budget")] == [True]
    store.replace_document(parsed)
    assert [c.unit_doubtful for c in store.cells("tiny-2024-dept-budget")] == [False]


def test_ids_are_stable_across_stores(tmp_path, store, shaoxing):
    """A SQLite store and the store of this run (SQLite or PostgreSQL) give the same ids."""
    first, second = Store(f"sqlite:///{tmp_path / 'other.sqlite'}"), store
    first.replace_document(shaoxing)
    second.replace_document(shaoxing)
    assert [c.id for c in first.cells(SHAOXING_ID)] == [c.id for c in second.cells(SHAOXING_ID)]


def test_a_store_made_by_an_older_version_gains_new_columns(tmp_path):
    """Opening a store whose documents table predates ingest_version adds the column."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE documents (id VARCHAR(200) PRIMARY KEY, title TEXT NOT NULL, "
                     "publisher TEXT NOT NULL, year INTEGER, kind VARCHAR(20) NOT NULL, "
                     "source_file TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL, pages INTEGER NOT "
                     "NULL, disclosure TEXT NOT NULL, warnings TEXT NOT NULL)")
        conn.execute("INSERT INTO documents VALUES ('d', 't', 'p', 2024, '部门预算', 'f', 'x', 1, "
                     "'k', '')")
    store = Store(f"sqlite:///{path}")
    assert store.stored_version("d") == ("x", "")
    assert store.document("d").title == "t"


def test_feedback_is_kept_when_its_document_is_removed(store, shaoxing):
    store.replace_document(shaoxing)
    first = store.add_feedback({"created": "2026-01-01T00:00:00+00:00", "doc_id": SHAOXING_ID,
                                "question": "三公经费是多少？", "answer": "{}", "rating": "down",
                                "note": "", "source": "page"})
    store.add_feedback({"created": "2026-01-01T00:00:01+00:00", "doc_id": "", "question": "q",
                        "answer": "{}", "rating": "up", "note": "", "source": "widget"})
    store.remove_document(SHAOXING_ID)
    assert [r["id"] for r in store.feedback("down")] == [first]
    assert [r["rating"] for r in store.feedback()] == ["down", "up"]
