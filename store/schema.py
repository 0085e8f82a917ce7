"""SQLAlchemy Core schema. Money is stored as text so that Decimal survives exactly.

The database is created and upgraded by the Alembic revisions in migrations/ (store.startup);
these definitions are what queries use, and a test checks that the two agree."""

from sqlalchemy import (Column, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text,
                        text)

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", String(200), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text, nullable=False),
    Column("year", Integer),
    Column("kind", String(20), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("pages", Integer, nullable=False),
    Column("disclosure", Text, nullable=False),
    Column("warnings", Text, nullable=False, default=""),
    # Version of the ingest code that produced the rows: a newer parser re-reads the file.
    Column("ingest_version", String(20), nullable=False, default=""),
    # The store generation this document was written at (see store_state).
    Column("generation", Integer, nullable=False, server_default=text("0")),
)

# One row (id 1): its generation is bumped by every write of a document, in that write's
# transaction, so each process sees with one query per request whether anything changed.
store_state = Table(
    "store_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("generation", Integer, nullable=False),
)

# The file a document was read from, so every instance can draw its pages (not only the one
# whose disk holds it).
document_files = Table(
    "document_files", metadata,
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

tables = Table(
    "tables", metadata,
    Column("id", String(220), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), index=True,
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("number", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("unit", String(10), nullable=False),
    Column("pages", Text, nullable=False),  # comma-separated page numbers
    Column("columns", Text, nullable=False),  # header paths joined by a newline
    Column("note", Text, nullable=False),
    Column("scope", String(20), nullable=False, default=""),
    # Why the unit is not the printed one, or doubtful (ingest.stated_units); "1" if doubtful.
    Column("unit_note", Text, nullable=False, server_default=text("''")),
    Column("unit_doubtful", String(1), nullable=False, server_default=text("''")),
)

rows = Table(
    "rows", metadata,
    Column("id", String(240), primary_key=True),
    Column("table_id", String(220), ForeignKey("tables.id", ondelete="CASCADE"), index=True,
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", String(40), nullable=False),
    Column("label", Text, nullable=False),
    Column("level", Integer, nullable=False),
    Column("parent_id", String(240)),
    Column("qualifiers", Text, nullable=False),  # "name=value" lines
    Column("page", Integer),
    Column("body", Text, nullable=False, default=""),  # the 单位 a project row belongs to
)

cells = Table(
    "cells", metadata,
    Column("id", String(260), primary_key=True),
    Column("row_id", String(240), ForeignKey("rows.id", ondelete="CASCADE"), index=True,
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("column_path", Text, nullable=False),
    Column("printed", Text, nullable=False),
    Column("value", String(40)),  # Decimal as text; NULL when blank
    Column("unit", String(10), nullable=False),
    Column("page", Integer),
    Column("bbox", Text),  # "x0,top,x1,bottom"
    Column("measure", String(20), nullable=False, default=""),  # 决算数, 完成%, 指标值 …
    Column("scope", String(20), nullable=False, default=""),  # 全域, 本级, 市县 …
    Column("comparator", String(10), nullable=False, default=""),  # ≥ ≤ = … of a target
)

passages = Table(
    "passages", metadata,
    Column("id", String(220), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), index=True,
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("section", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("page", Integer),
    Column("ocr", String(1), nullable=False, default=""),  # "1": read by OCR from a scan
)

reviewed_findings = Table(
    "reviewed_findings", metadata,
    Column("finding_id", String(300), primary_key=True),
    Column("doc_id", String(200), index=True, nullable=False),
    Column("note", Text, nullable=False),
    Column("scope", String(20), nullable=False, default=""),
)

# 👍/👎 from readers of the chat page and the widget, with what was asked and answered, so
# administrators can turn wrong answers into gold questions (`budgetqa feedback`). Not tied to
# a document row: feedback outlives a re-ingest or removal.
feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", String(32), nullable=False),  # ISO 8601, UTC
    Column("doc_id", String(200), index=True, nullable=False),  # "" when none was pinned
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),  # the answer object as JSON
    Column("rating", String(8), nullable=False),  # up, down
    Column("note", Text, nullable=False),
    Column("source", String(20), nullable=False),  # widget, page
)

# Canonical measures of each document (ingest.measures), written with the document: one row
# per measure, status found / blank / missing (never a zero for a measure not stated).
measures = Table(
    "measures", metadata,
    Column("id", String(300), primary_key=True),
    Column("doc_id", String(200), ForeignKey("documents.id", ondelete="CASCADE"), index=True,
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(40), nullable=False),
    Column("code", String(20), nullable=False),  # 类 科目编码 of a 功能分类 measure
    Column("label", Text, nullable=False),
    Column("status", String(10), nullable=False),  # found, blank, missing
    Column("value", String(40)),  # Decimal as text; NULL unless found
    Column("printed", Text, nullable=False),
    Column("unit", String(10), nullable=False),
    Column("source", String(10), nullable=False),  # table, narrative, "" when missing
    Column("table_title", Text, nullable=False),
    Column("table_position", Integer),
    Column("row_label", Text, nullable=False),
    Column("row_code", String(40), nullable=False),
    Column("column_path", Text, nullable=False),
    Column("page", Integer),
    Column("bbox", Text),
    Column("section", Text, nullable=False),
    Column("text", Text, nullable=False),
)
