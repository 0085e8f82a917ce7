"""Opening a store safely: engine options from the settings, and the schema brought to the
newest Alembic revision (migrations/) by any number of processes starting at once.

Two processes starting on an empty store would both see no tables and both create them; the
loser failed with "table already exists" or an IntegrityError. The upgrade therefore runs
under a lock: a file lock beside a SQLite file, a transaction-scoped advisory lock on
PostgreSQL (taken in the very transaction the migrations run in, so a process that waited
finds the schema at head and does nothing).
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from budgetqa import settings

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


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config():
    """The Alembic configuration of the store's migrations (no alembic.ini: nothing to set)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the store to the newest revision of migrations/, one process at a time."""
    from alembic import command

    with _schema_lock(engine), engine.begin() as conn:
        if engine.url.get_backend_name() == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@contextmanager
def _schema_lock(engine: Engine):
    """A lock on a SQLite file's schema, held by one process at a time."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            yield
            return
        lock_path = Path(url.database).with_suffix(".schema.lock")
        if not lock_path.parent.is_dir():  # the store cannot open; let the upgrade say so
            yield
            return
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            yield
    else:  # PostgreSQL locks inside the upgrade's transaction; others have no lock to take
        yield
