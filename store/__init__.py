"""The SQL store of documents, tables, rows, cells and passages (SQLAlchemy Core)."""

from store.store import Store

__all__ = ["Store"]
