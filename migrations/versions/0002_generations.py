"""Generations: every process can tell cheaply whether another changed the store.

`store_state` holds one row whose `generation` every write of a document bumps, in the same
transaction; `documents.generation` is the value that document was written at. A process
compares the one number per request and, when it moved, reads the per-document numbers to
drop exactly the caches of documents that changed.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("generation", sa.Integer, nullable=False,
                                         server_default=sa.text("0")))
    state = op.create_table(
        "store_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("generation", sa.Integer, nullable=False))
    op.bulk_insert(state, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("store_state")
    op.drop_column("documents", "generation")
