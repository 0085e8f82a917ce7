"""The schema as it was when versions began (2026-12), for an empty database or a store made
by an earlier BudgetQA.

An empty database gets every table. A store made before versions (no alembic_version table)
keeps its data: missing tables are created and missing columns added with a server default,
as the hand-written upgrade it replaces did, but typed (an integer column gets an integer).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables(metadata: sa.MetaData) -> list[sa.Table]:
    """The tables of 2026-12, frozen here: store/schema.py moves on, this revision does not."""
    text_default = {"nullable": False, "server_default": ""}
    documents = sa.Table(
        "documents", metadata,
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("disclosure", sa.Text, nullable=False),
        sa.Column("warnings", sa.Text, **text_default),
        sa.Column("ingest_version", sa.String(20), **text_default))
    tables = sa.Table(
        "tables", metadata,
        sa.Column("id", sa.String(220), primary_key=True),
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  index=True, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("pages", sa.Text, nullable=False),
        sa.Column("columns", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("scope", sa.String(20), **text_default))
    rows = sa.Table(
        "rows", metadata,
        sa.Column("id", sa.String(240), primary_key=True),
        sa.Column("table_id", sa.String(220), sa.ForeignKey("tables.id", ondelete="CASCADE"),
                  index=True, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("parent_id", sa.String(240)),
        sa.Column("qualifiers", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("body", sa.Text, **text_default))
    cells = sa.Table(
        "cells", metadata,
        sa.Column("id", sa.String(260), primary_key=True),
        sa.Column("row_id", sa.String(240), sa.ForeignKey("rows.id", ondelete="CASCADE"),
                  index=True, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("column_path", sa.Text, nullable=False),
        sa.Column("printed", sa.Text, nullable=False),
        sa.Column("value", sa.String(40)),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("bbox", sa.Text),
        sa.Column("measure", sa.String(20), **text_default),
        sa.Column("scope", sa.String(20), **text_default),
        sa.Column("comparator", sa.String(10), **text_default))
    passages = sa.Table(
        "passages", metadata,
        sa.Column("id", sa.String(220), primary_key=True),
        sa.Column("doc_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  index=True, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("ocr", sa.String(1), **text_default))
    reviewed = sa.Table(
        "reviewed_findings", metadata,
        sa.Column("finding_id", sa.String(300), primary_key=True),
        sa.Column("doc_id", sa.String(200), index=True, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("scope", sa.String(20), **text_default))
    feedback = sa.Table(
        "feedback", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("doc_id", sa.String(200), index=True, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False))
    return [documents, tables, rows, cells, passages, reviewed, feedback]


def _added(column: sa.Column) -> sa.Column:
    """`column` as it can be added to a table that already has rows: nullable, or with a
    default of its own type."""
    default = column.server_default
    if not column.nullable and default is None:
        default = sa.DefaultClause(sa.text("0") if isinstance(column.type, sa.Integer) else "")
    return sa.Column(column.name, column.type, nullable=column.nullable, server_default=default)


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    for table in _tables(sa.MetaData()):
        if table.name not in present:
            table.create(bind)
            continue
        have = {c["name"] for c in sa.inspect(bind).get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                op.add_column(table.name, _added(column))


def downgrade() -> None:
    for name in ("feedback", "reviewed_findings", "passages", "cells", "rows", "tables",
                 "documents"):
        op.drop_table(name)
