"""One ingest of a document at a time across every process sharing a store.

Two processes ingesting the same file at once raced: the loser's rollback removed the winner's
passages from the index. An ingest therefore holds its document's lock from reading the stored
version to writing the passage index: a PostgreSQL session advisory lock keyed by the document
id, or a file lock beside a SQLite file (SQLite writes one transaction at a time anyway).
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

# Advisory locks of BudgetQA documents are (this class, a 32-bit hash of the document id).
_DOCUMENT_LOCK_CLASS = 0x42514144  # "BQAD"


def document_key(doc_id: str) -> int:
    """A stable signed 32-bit key for `doc_id` (equal ids, equal keys, in every process)."""
    return int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:4], "big", signed=True)


# Locks this process's threads hold, by what they lock: a thread that already holds one (an
# ingest opening the passage index, whose start-up repair locks documents too) takes it again
# at once instead of waiting for itself (a second flock of the same file, or a second
# PostgreSQL session asking for the same advisory lock, would wait forever).
_held: dict[tuple, tuple[int, int]] = {}
_held_guard = threading.Lock()


@contextmanager
def document_lock(engine: Engine, doc_id: str):
    """Hold the lock of `doc_id` for the duration of the block (waits for another holder;
    re-entrant within one thread)."""
    url = engine.url
    sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    held_key = (str(url), "" if sqlite_file else doc_id)  # one lock file for every document
    me = threading.get_ident()
    with _held_guard:
        holder, depth = _held.get(held_key, (None, 0))
        if holder == me:
            _held[held_key] = (me, depth + 1)
    if holder == me:
        try:
            yield
        finally:
            with _held_guard:
                _held[held_key] = (me, _held[held_key][1] - 1)
        return
    with _locked(engine, doc_id):
        with _held_guard:
            _held[held_key] = (me, 1)
        try:
            yield
        finally:
            with _held_guard:
                _held.pop(held_key, None)


@contextmanager
def _locked(engine: Engine, doc_id: str):
    """The lock itself, across processes."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        params = {"cls": _DOCUMENT_LOCK_CLASS, "key": document_key(doc_id)}
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:cls, :key)"), params)
            conn.commit()  # the lock is the session's: no transaction stays open meanwhile
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:cls, :key)"), params)
                    conn.commit()
                except SQLAlchemyError:  # the session is gone, and its locks with it
                    conn.invalidate()
    elif url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            and Path(url.database).parent.is_dir():
        with Path(url.database).with_suffix(".ingest.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            yield
    else:  # an in-memory SQLite store lives in one process: the caller's thread lock suffices
        yield
