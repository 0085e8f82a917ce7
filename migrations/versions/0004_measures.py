"""Canonical measures of each document (ingest.measures), written with the document.

Documents stored before this revision have none; `Store.fill_missing_measures` computes them
from their cells and passages when cross-document questions or the export first need them.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "measures" in sa.inspect(op.get_bind()).get_table_names():
        return  # a store from before schema versions, whose code already made the table
    op.create_table(
        "measures",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  index=True, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("value", sa.String(40)),
        sa.Column("printed", sa.Text, nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("table_title", sa.Text, nullable=False),
        sa.Column("table_position", sa.Integer),
        sa.Column("row_label", sa.Text, nullable=False),
        sa.Column("row_code", sa.String(40), nullable=False),
        sa.Column("column_path", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("bbox", sa.Text),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False))


def downgrade() -> None:
    op.drop_table("measures")
