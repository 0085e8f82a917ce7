"""Alembic migrations of the store's schema; `store.startup.upgrade_schema` runs them to head
at every start, under a lock, so any number of processes may start together."""
