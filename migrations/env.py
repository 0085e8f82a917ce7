"""Alembic environment: migrations run on the connection `store.startup` hands over (inside
its transaction and lock), never on a URL of their own, and never offline."""

from alembic import context

from store import schema

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=schema.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
