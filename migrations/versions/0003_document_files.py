"""The bytes of each document's file in the store, so any instance can draw its pages.

Page images and cell crops used to open the file at the ingesting machine's absolute path;
another instance answered 404. The file now travels with the document, replaced and removed
with it.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_files",
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False))


def downgrade() -> None:
    op.drop_table("document_files")
