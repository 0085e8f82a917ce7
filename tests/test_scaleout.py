"""Several BudgetQA instances on one store, on SQLite (fast): schema versions, freshness across
instances, ingests under the document lock, page images from the store.

The same, with real separate processes on PostgreSQL and a chroma server, is in
test_scaleout_postgres.py.
"""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from budgetqa.pipeline import BudgetQA
from ingest.reader import read_document
from retrieval.index import PassageIndex
from store import schema
from store.startup import alembic_config
from store.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SHAOXING = CORPUS / "shaoxing-gov-service-office-2024-dept-budget.md"
WANLI = CORPUS / "putuo-wanli-subdistrict-2024-dept-budget.pdf"
HOUSING = "住房保障支出是多少？"


def changed_copy(folder: Path, old: str = "136.72", new: str = "137.01") -> Path:
    """The Shaoxing disclosure with every `old` figure printed as `new` (a corrected file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SHAOXING.name
    path.write_text(SHAOXING.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def instance(db_url: str, home: Path) -> BudgetQA:
    """A BudgetQA with its own Store and index objects, as another process would have."""
    return BudgetQA(Store(db_url), PassageIndex(home, None))


def test_migrations_build_exactly_the_schema(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'new.sqlite'}")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head
        assert compare_metadata(context, schema.metadata) == []


def test_a_store_made_before_versions_keeps_its_data(tmp_path):
    """An older store lacked columns (an integer one among them); they are added typed."""
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript("""
            CREATE TABLE documents (id VARCHAR(200) PRIMARY KEY, title TEXT NOT NULL,
                publisher TEXT NOT NULL, year INTEGER, kind VARCHAR(20) NOT NULL,
                source_file TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL, pages INTEGER NOT NULL,
                disclosure TEXT NOT NULL);
            INSERT INTO documents VALUES ('old-doc', '旧文件', '某部门', 2023, '部门预算',
                '/x/old-doc.md', 'abc', 3, '');
            CREATE TABLE rows (id VARCHAR(240) PRIMARY KEY, table_id VARCHAR(220) NOT NULL,
                position INTEGER NOT NULL, code VARCHAR(40) NOT NULL, label TEXT NOT NULL,
                parent_id VARCHAR(240), qualifiers TEXT NOT NULL, page INTEGER);
        """)
    store = Store(f"sqlite:///{db}")
    assert store.stored_version("old-doc") == ("abc", "")
    assert store.document("old-doc").publisher == "某部门"
    assert store.generations() == {"old-doc": 0}
    assert store.tables("old-doc") == []  # the table missing before was created
    columns = {c[1]: c for c in sqlite3.connect(db).execute("PRAGMA table_info(rows)")}
    assert columns["level"][2] == "INTEGER" and columns["level"][4] == "0"
    assert columns["body"][2] == "TEXT" and columns["body"][4] == "''"


def test_a_store_whose_unversioned_code_made_the_measures_table_opens(tmp_path):
    """Code between the measures table and schema versions created the table itself."""
    db = tmp_path / "between.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript("""
            CREATE TABLE documents (id VARCHAR(200) PRIMARY KEY, title TEXT NOT NULL,
                publisher TEXT NOT NULL, year INTEGER, kind VARCHAR(20) NOT NULL,
                source_file TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL, pages INTEGER NOT NULL,
                disclosure TEXT NOT NULL);
            CREATE TABLE measures (id VARCHAR(300) PRIMARY KEY, doc_id VARCHAR(200) NOT NULL);
        """)
    store = Store(f"sqlite:///{db}")
    assert store.documents() == []


def test_another_instance_sees_a_reingest_on_its_next_question(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    reader, writer = instance(url, tmp_path / "home"), instance(url, tmp_path / "home")
    assert writer.ingest_file(SHAOXING).status == "ingested"
    assert reader.ask(HOUSING, SHAOXING.stem).value == Decimal("136.72")

    changed = changed_copy(tmp_path / "corrected")
    assert writer.ingest_file(changed).status == "replaced"
    answer = reader.ask(HOUSING, SHAOXING.stem)
    assert answer.value == Decimal("137.01")
    # The passages the reader quotes are the new ones too (same count, other text).
    hits = reader.index.search("住房保障支出", doc_ids=[SHAOXING.stem])
    assert any("137.01" in h.passage.text for h in hits)
    assert not any("136.72" in h.passage.text for h in hits)


def test_a_removed_or_added_document_is_seen_by_every_instance(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    reader, writer = instance(url, tmp_path / "home"), instance(url, tmp_path / "home")
    writer.ingest_file(SHAOXING)
    assert reader.ask(HOUSING, SHAOXING.stem).value == Decimal("136.72")
    writer.remove(SHAOXING.stem)
    assert SHAOXING.stem not in [d.id for d in reader.documents()]
    writer.ingest_file(SHAOXING)  # and back: listed and answered again
    assert SHAOXING.stem in [d.id for d in reader.documents()]
    assert reader.ask(HOUSING, SHAOXING.stem).value == Decimal("136.72")


def test_an_ingest_that_lost_its_index_write_is_repaired_by_the_next(tmp_path):
    """A process stopped between its store commit and its index write: the store says
    "unchanged", and the index is written again instead of staying empty forever."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first = instance(url, tmp_path / "home")
    first.ingest_file(SHAOXING)
    first.index.remove(SHAOXING.stem)  # as if the write after the commit never happened
    second = instance(url, tmp_path / "home")
    assert second.ingest_file(SHAOXING).status == "unchanged"
    stored = [p for p in second.store.passages(SHAOXING.stem) if p.text.strip()]
    assert second.index.doc_counts()[SHAOXING.stem] == len(stored)
    assert second.index.doc_generations()[SHAOXING.stem] == \
        second.store.generations()[SHAOXING.stem]


def test_start_up_repair_reindexes_a_document_at_another_generation(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first = instance(url, tmp_path / "home")
    first.ingest_file(SHAOXING)
    # Chroma holds the passages of the original file, the store a corrected one written by a
    # process that stopped before its index write: same passage count, other text.
    Store(url).replace_document(read_document(changed_copy(tmp_path / "corrected")))
    repaired = instance(url, tmp_path / "home").repair_index()
    assert repaired == {"removed": [], "reindexed": [SHAOXING.stem]}
    fresh = instance(url, tmp_path / "home")
    hits = fresh.index.search("住房保障支出", doc_ids=[SHAOXING.stem])
    assert any("137.01" in h.passage.text for h in hits)


def test_page_images_come_from_the_store_not_the_ingesting_disk(tmp_path, monkeypatch):
    """The file an instance ingested is gone (another machine's disk): pages still draw."""
    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path / "serving-home"))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    elsewhere = tmp_path / "ingesting-machine"
    elsewhere.mkdir()
    copy = elsewhere / WANLI.name
    shutil.copy(WANLI, copy)
    assert instance(url, tmp_path / "a").ingest_file(copy).status == "ingested"
    shutil.rmtree(elsewhere)

    from server.api import create_app

    with TestClient(create_app(instance(url, tmp_path / "b")),
                    base_url="http://127.0.0.1") as client:
        listed = client.get(f"/api/documents/{WANLI.stem}").json()
        assert listed["has_page_images"] is True
        page = client.get(f"/api/documents/{WANLI.stem}/pages/1.png")
        assert page.status_code == 200, page.text
        assert page.content.startswith(b"\x89PNG")


def test_budgetqa_check_reindexes_what_the_index_lacks(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from budgetqa.cli import main

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    url = f"sqlite:///{tmp_path / 'budgetqa.sqlite'}"
    first = instance(url, tmp_path)
    first.ingest_file(SHAOXING)
    first.index.remove(SHAOXING.stem)  # an ingest stopped after its store commit
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    # Opening the index already repairs it (every face does), so check may find it done.
    assert "re-indexed:" in result.output
    stored = [p for p in first.store.passages(SHAOXING.stem) if p.text.strip()]
    assert instance(url, tmp_path).index.doc_counts()[SHAOXING.stem] == len(stored)


def test_an_ingest_that_opens_the_index_repairs_it_without_waiting_for_itself(tmp_path, monkeypatch):
    """A process whose first use of the passage index is an ingest: opening the index repairs
    it, under document locks, while the ingest holds its own (on SQLite one lock file for all
    documents). The repair takes the lock its thread already holds instead of waiting forever."""
    import threading

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    first = instance(url, tmp_path / "home")
    first.ingest_file(SHAOXING)
    first.index.remove(SHAOXING.stem)  # the index now lags the store: opening it repairs
    lazy = BudgetQA(Store(url))  # no index given: built on first use, inside the ingest
    reports = []
    worker = threading.Thread(target=lambda: reports.append(lazy.ingest_file(WANLI)), daemon=True)
    worker.start()
    worker.join(timeout=600)
    assert not worker.is_alive(), "the ingest waited for a lock its own thread held"
    assert reports[0].status == "ingested", reports[0].error
    assert lazy.index.doc_counts()[SHAOXING.stem] > 0  # repaired on the way


def test_the_command_line_never_prints_the_database_password(tmp_path):
    """A store that cannot be reached, named with its password in the URL or in its query:
    the command line's error and log say which store, with the password masked."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    for url in ("postgresql+psycopg://reader:S3CRET-a@127.0.0.1:1/budgets",
                "postgresql+psycopg://reader@127.0.0.1:1/budgets?password=S3CRET-b"):
        env = {**os.environ, "PYTHONPATH": str(root), "BUDGETQA_HOME": str(tmp_path),
               "BUDGETQA_DB_URL": url, "BUDGETQA_EMBEDDER": "none"}
        done = subprocess.run([sys.executable, "-m", "budgetqa.cli", "docs"], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
        shown = done.stdout + done.stderr
        assert done.returncode != 0 and "cannot open the store" in shown, shown[-1000:]
        assert "127.0.0.1:1/budgets" in shown  # the operator sees which store
        assert "S3CRET" not in shown, shown[-1000:]


def test_redact_masks_passwords_in_every_form_a_store_is_named():
    from budgetqa.errors import redact

    assert redact("postgresql+psycopg://u:S3CRET@db/x failed") == \
        "postgresql+psycopg://u:***@db/x failed"
    assert redact("postgresql+psycopg://u@db/x?sslmode=require&password=S3CRET&a=b") == \
        "postgresql+psycopg://u@db/x?sslmode=require&password=***&a=b"
    assert redact("host=db password=S3CRET dbname=x") == "host=db password=*** dbname=x"
    assert redact("host=db password='S3 CRET' dbname=x") == "host=db password=*** dbname=x"
    assert redact("the password was wrong") == "the password was wrong"
