"""Opening a store safely: engine options from the settings, and schema creation that any
number of processes may run at once.

Two processes starting on an empty store would both see no tables and both create them; the
loser failed with "table already exists" or an IntegrityError. Creation therefore runs under a
lock: a file lock beside a SQLite file, a transaction-scoped advisory lock on PostgreSQL.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from budgetqa import settings
from store import schema

# Any fixed number: every BudgetQA process takes the same advisory lock for schema creation.
_SCHEMA_LOCK_KEY = 0x42514153  # "BQAS"
# Seconds a SQLite connection waits for another writer before giving up ("database is locked").
SQLITE_BUSY_TIMEOUT = 60


def engine_options(url: str) -> dict:
    """create_engine keywords: pooled connections are checked before use (a restarted server's
    dead connections are replaced, not handed out), with pool size and recycle from settings."""
    options: dict = {"pool_pre_ping": True, "pool_recycle": settings.db_pool_recycle()}
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False}
        if make_url(url).database in (None, "", ":memory:"):
            return options  # one in-memory database: the default single-connection pool
    options["pool_size"] = settings.db_pool_size()
    options["max_overflow"] = settings.db_pool_size()
    return options


def create_schema(engine: Engine, upgrade) -> None:
    """Create missing tables and run `upgrade(engine)`, one process at a time."""
    with _schema_lock(engine):
        schema.metadata.create_all(engine)
        upgrade(engine)


@contextmanager
def _schema_lock(engine: Engine):
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            yield
            return
        lock_path = Path(url.database).with_suffix(".schema.lock")
        if not lock_path.parent.is_dir():  # the store cannot open; let create_all say so
            yield
            return
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            yield
    elif url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK_KEY})
    else:
        yield
