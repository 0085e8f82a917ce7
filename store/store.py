"""Reading and writing the store; every write of a document is one transaction.

Every write of a document bumps the store generation in its transaction (schema.store_state),
and `changed_documents` compares it once per request, so caches of cells never outlive a
change made by another process.

Every SQLAlchemy error is wrapped into StoreError (503 store_unavailable) with a sentence that
names no SQL, parameter, path or password; the details go to the log, redacted.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import create_engine, delete, event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from budgetqa.domain import (Cell, Document, ParsedCell, ParsedDocument, ParsedRow, ParsedTable,
                             Passage)
from budgetqa.errors import NotFound, StoreError, redact
from ingest.measures import MEASURES, Measure, document_measures
from store import schema
from store.locks import document_lock
from store.startup import engine_options, upgrade_schema

log = logging.getLogger(__name__)


def _unavailable(exc: SQLAlchemyError, doing: str, **context) -> StoreError:
    """The StoreError for a failed store call; the redacted detail goes to the log only."""
    detail = getattr(exc, "orig", None) or exc  # the driver's sentence, without the SQL
    log.warning("store error while %s: %s: %s", doing, exc.__class__.__name__,
                redact(str(detail)))
    return StoreError(f"the document store failed while {doing} ({exc.__class__.__name__}); "
                      "try again in a moment, or ask the operator to check the store",
                      **context)


def _bbox_text(bbox) -> str | None:
    return None if bbox is None else ",".join(f"{v:.1f}" for v in bbox)


def _bbox_tuple(text: str | None):
    return None if not text else tuple(float(v) for v in text.split(","))


def _qualifiers_text(qualifiers) -> str:
    return "\n".join(f"{k}={v}" for k, v in qualifiers)


def _qualifiers_tuple(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(line.split("=", 1)) for line in text.splitlines() if "=" in line)


class Store:
    """The SQL store behind every face of BudgetQA."""

    def __init__(self, url: str):
        try:
            self.engine: Engine = create_engine(url, **engine_options(url))
            if url.startswith("sqlite"):
                event.listen(self.engine, "connect", _sqlite_pragmas)
            upgrade_schema(self.engine)
        except SQLAlchemyError as exc:
            shown = redact(url)  # the operator needs to know which store; never its password
            log.warning("cannot open the store at %s: %s", shown, redact(str(exc)))
            raise StoreError(f"cannot open the store at {shown}: {exc.__class__.__name__}",
                             url=shown) from exc
        self.url = url
        # Cells per document with the generation they were read at; used only while that is
        # still the document's generation as this process last saw it.
        self._cells_cache: dict[str, tuple[int | None, tuple[Cell, ...]]] = {}
        self._measures_cache: tuple[Measure, ...] | None = None
        self._generations_lock = threading.Lock()
        self._seen_generation: int | None = None  # the store generation last compared
        self._doc_generations: dict[str, int] = {}
        # Every document as of the generation last compared: once a process compares per
        # request, naming and listing documents costs no query until something changes.
        self._documents_cache: dict[str, Document] | None = None

    @contextmanager
    def _reading(self, doing: str = "reading"):
        """A connection whose SQLAlchemy errors (an outage, a dropped connection) become
        StoreError."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise _unavailable(exc, doing) from exc

    @contextmanager
    def _writing(self, doing: str, **context):
        """One transaction whose SQLAlchemy errors become StoreError (nothing is written)."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise _unavailable(exc, doing, **context) from exc

    def ping(self) -> None:
        """Raise StoreError unless the store answers a query."""
        self.has_documents()

    # -- writing ----------------------------------------------------------------------

    def replace_document(self, parsed: ParsedDocument, source: bytes | None = None,
                         source_name: str = "") -> int:
        """Store a parsed document, replacing any earlier version, all or nothing, with the
        bytes of its file when given (`source`, named `source_name`). Returns the store
        generation it was written at."""
        doc = parsed.document
        with self._writing(f"storing {doc.id}", doc=doc.id) as conn:
            self._delete(conn, doc.id)
            conn.execute(insert(schema.documents), [{
                "id": doc.id, "title": doc.title, "publisher": doc.publisher,
                "year": doc.year, "kind": doc.kind, "source_file": doc.source_file,
                "sha256": doc.sha256, "pages": doc.pages,
                "disclosure": doc.disclosure, "warnings": "\n".join(parsed.warnings),
                "ingest_version": parsed.ingest_version}])
            table_rows, row_rows, cell_rows = [], [], []
            for t_pos, table in enumerate(parsed.tables):
                table_id = f"{doc.id}:t{t_pos}"
                table_rows.append({
                    "id": table_id, "doc_id": doc.id, "position": t_pos,
                    "title": table.title, "number": table.number, "kind": table.kind,
                    "unit": table.unit, "pages": ",".join(map(str, table.pages)),
                    "columns": "\n".join(table.columns), "note": table.note,
                    "scope": table.scope, "unit_note": table.unit_note,
                    "unit_doubtful": "1" if table.unit_doubtful else ""})
                for r_pos, row in enumerate(table.rows):
                    row_id = f"{table_id}:r{r_pos}"
                    row_rows.append({
                        "id": row_id, "table_id": table_id, "position": r_pos,
                        "code": row.code, "label": row.label, "level": row.level,
                        "parent_id": None if row.parent is None else f"{table_id}:r{row.parent}",
                        "qualifiers": _qualifiers_text(row.qualifiers), "page": row.page,
                        "body": row.body})
                    for c_pos, cell in enumerate(row.cells):
                        cell_rows.append({
                            "id": f"{row_id}:c{c_pos}", "row_id": row_id, "position": c_pos,
                            "column_path": cell.column, "printed": cell.printed,
                            "value": None if cell.value is None else format(cell.value, "f"),
                            "unit": cell.unit or table.unit, "page": cell.page,
                            "bbox": _bbox_text(cell.bbox), "measure": cell.measure,
                            "scope": cell.scope or table.scope,
                            "comparator": cell.comparator})
            for target, values in ((schema.tables, table_rows), (schema.rows, row_rows),
                                   (schema.cells, cell_rows)):
                if values:
                    conn.execute(insert(target), values)
            if parsed.passages:
                conn.execute(insert(schema.passages), [{
                    "id": p.id, "doc_id": doc.id, "position": p.index, "section": p.section,
                    "text": p.text, "page": p.page, "ocr": "1" if p.ocr else ""}
                    for p in parsed.passages])
            self._write_measures(conn, document_measures(doc, parsed.tables, parsed.passages))
            if source is not None:
                conn.execute(insert(schema.document_files), [{
                    "doc_id": doc.id, "name": source_name or doc.id, "sha256": doc.sha256,
                    "content": source}])
            # Last, so concurrent ingests of other documents wait for this row only briefly.
            generation = self._next_generation(conn)
            conn.execute(update(schema.documents).where(schema.documents.c.id == doc.id)
                         .values(generation=generation))
        self._cells_cache.pop(doc.id, None)
        self._measures_cache = None
        self._documents_cache = None
        return generation

    @staticmethod
    def _write_measures(conn, measures: list[Measure]) -> None:
        if measures:
            conn.execute(insert(schema.measures), [{
                "id": f"{m.doc_id}:m{i}", "doc_id": m.doc_id, "position": i, "name": m.name,
                "code": m.code, "label": m.label, "status": m.status,
                "value": None if m.value is None else format(m.value, "f"),
                "printed": m.printed, "unit": m.unit, "source": m.source,
                "table_title": m.table, "table_position": m.table_position,
                "row_label": m.row, "row_code": m.row_code, "column_path": m.column,
                "page": m.page, "bbox": _bbox_text(m.bbox), "section": m.section,
                "text": m.text} for i, m in enumerate(measures)])

    def fill_missing_measures(self) -> list[str]:
        """Compute the measures of documents stored before the measures table existed, before
        a measure was added, or whose measures were removed; returns their ids. Cells and passages are unchanged."""
        with self._reading() as conn:
            # A document stored before a measure was added to MEASURES lacks its row.
            rows = conn.execute(select(schema.measures.c.doc_id, schema.measures.c.name)
                                .where(schema.measures.c.name.in_(MEASURES))).all()
        names: dict[str, set[str]] = {}
        for doc_id, name in rows:
            names.setdefault(doc_id, set()).add(name)
        done = {d for d, found in names.items() if len(found) == len(MEASURES)}
        filled = []
        for doc in self.documents():
            if doc.id in done:
                continue
            measures = document_measures(doc, self.parsed_tables(doc.id), self.passages(doc.id))
            with self._writing(f"storing the measures of {doc.id}", doc=doc.id) as conn:
                conn.execute(delete(schema.measures).where(schema.measures.c.doc_id == doc.id))
                self._write_measures(conn, measures)
                self._next_generation(conn)  # other processes drop their cached measures
            filled.append(doc.id)
        if filled:
            self._measures_cache = None
        return filled

    def measures(self) -> tuple[Measure, ...]:
        """Every stored measure of every document, in document and measure order (cached
        until a document is stored or removed)."""
        if self._measures_cache is None:
            m = schema.measures
            with self._reading() as conn:
                rows = conn.execute(select(m).order_by(m.c.doc_id, m.c.position)).all()
            self._measures_cache = tuple(Measure(
                doc_id=r.doc_id, name=r.name, status=r.status, code=r.code, label=r.label,
                value=None if r.value is None else Decimal(r.value), printed=r.printed,
                unit=r.unit, source=r.source, table=r.table_title,
                table_position=r.table_position, row=r.row_label, row_code=r.row_code,
                column=r.column_path, page=r.page, bbox=_bbox_tuple(r.bbox), section=r.section,
                text=r.text) for r in rows)
        return self._measures_cache

    def remove_document(self, doc_id: str) -> None:
        self.document(doc_id)
        with self._writing(f"removing {doc_id}") as conn:
            self._delete(conn, doc_id)
            self._next_generation(conn)
        self._cells_cache.pop(doc_id, None)
        self._measures_cache = None
        self._documents_cache = None

    @staticmethod
    def _next_generation(conn) -> int:
        """Bump the store generation inside the caller's transaction; returns the new value.
        On PostgreSQL the row stays locked until that transaction ends, so generations are
        committed in the order they are handed out."""
        state = schema.store_state
        conn.execute(update(state).where(state.c.id == 1)
                     .values(generation=state.c.generation + 1))
        return conn.execute(select(state.c.generation).where(state.c.id == 1)).scalar_one()

    @contextmanager
    def document_lock(self, doc_id: str):
        """Hold `doc_id`'s ingest lock, shared by every process on this store (store.locks)."""
        try:
            lock = document_lock(self.engine, doc_id)
            lock.__enter__()
        except SQLAlchemyError as exc:
            raise _unavailable(exc, f"locking {doc_id} for ingest", doc=doc_id) from exc
        try:
            yield
        finally:
            lock.__exit__(None, None, None)

    @staticmethod
    def _delete(conn, doc_id: str) -> None:
        # Explicit deletes in child-first order: not every engine enforces ON DELETE CASCADE.
        table_ids = select(schema.tables.c.id).where(schema.tables.c.doc_id == doc_id)
        row_ids = select(schema.rows.c.id).where(schema.rows.c.table_id.in_(table_ids))
        conn.execute(delete(schema.cells).where(schema.cells.c.row_id.in_(row_ids)))
        conn.execute(delete(schema.rows).where(schema.rows.c.table_id.in_(table_ids)))
        conn.execute(delete(schema.tables).where(schema.tables.c.doc_id == doc_id))
        conn.execute(delete(schema.passages).where(schema.passages.c.doc_id == doc_id))
        conn.execute(delete(schema.measures).where(schema.measures.c.doc_id == doc_id))
        conn.execute(delete(schema.document_files).where(schema.document_files.c.doc_id == doc_id))
        conn.execute(delete(schema.documents).where(schema.documents.c.id == doc_id))

    def mark_reviewed(self, finding_id: str, doc_id: str, note: str) -> None:
        with self._writing("marking a finding reviewed") as conn:
            conn.execute(delete(schema.reviewed_findings).where(
                schema.reviewed_findings.c.finding_id == finding_id))
            conn.execute(insert(schema.reviewed_findings),
                         [{"finding_id": finding_id, "doc_id": doc_id, "note": note}])

    def add_feedback(self, record: dict) -> int:
        """Store one 👍/👎 record (created, doc_id, question, answer, rating, note, source);
        returns its id."""
        with self._writing("storing feedback") as conn:
            result = conn.execute(insert(schema.feedback).values(**record))
            return result.inserted_primary_key[0]

    def feedback(self, rating: str | None = None) -> list[dict]:
        """Feedback records, oldest first; only those with `rating` when given."""
        query = select(schema.feedback).order_by(schema.feedback.c.id)
        if rating is not None:
            query = query.where(schema.feedback.c.rating == rating)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]

    # -- what changed -----------------------------------------------------------------

    def changed_documents(self) -> set[str]:
        """Ids of documents written or removed (by any process) since the last call.

        One query on the store generation when nothing changed; when it moved, one more for
        every document's generation. Cached cells of the changed documents are dropped. The
        first call only takes note of where the store stands (nothing was cached from another
        process before it).
        """
        with self._generations_lock:
            with self._reading("checking for changes") as conn:
                generation = self._generation(conn)
                if generation == self._seen_generation:
                    return set()
                current = dict(conn.execute(select(schema.documents.c.id,
                                                   schema.documents.c.generation)).all())
            known = self._doc_generations
            first = self._seen_generation is None
            changed = set() if first else {d for d in current.keys() | known.keys()
                                           if current.get(d) != known.get(d)}
            if generation != self._seen_generation:
                self._documents_cache = None
                self._measures_cache = None
            self._seen_generation, self._doc_generations = generation, current
        for doc_id in changed:
            self._cells_cache.pop(doc_id, None)
        return changed

    def generation(self) -> int | None:
        """The store generation now (one query, no lock): it moves on with every write by any
        process, so an unchanged one means nothing to catch up with."""
        with self._reading("checking for changes") as conn:
            return self._generation(conn)

    @staticmethod
    def _generation(conn) -> int | None:
        return conn.execute(select(schema.store_state.c.generation).where(
            schema.store_state.c.id == 1)).scalar()

    @property
    def seen_generation(self) -> int | None:
        """The store generation as of the last `changed_documents` call."""
        return self._seen_generation

    def generations(self) -> dict[str, int]:
        """The generation each stored document was written at, read now."""
        with self._reading() as conn:
            return dict(conn.execute(select(schema.documents.c.id,
                                            schema.documents.c.generation)).all())

    # -- reading ----------------------------------------------------------------------

    def document_file(self, doc_id: str) -> tuple[str, str, bytes] | None:
        """The name, sha256 and bytes of the file `doc_id` was read from, or None when the
        store has no copy (a document stored before files were kept)."""
        f = schema.document_files
        with self._reading(f"reading the file of {doc_id}") as conn:
            row = conn.execute(select(f.c.name, f.c.sha256, f.c.content)
                               .where(f.c.doc_id == doc_id)).first()
        return None if row is None else (row.name, row.sha256, bytes(row.content))

    def has_documents(self) -> bool:
        cached = self._documents_cache
        if cached is not None:
            return bool(cached)
        with self._reading() as conn:
            return conn.execute(select(schema.documents.c.id).limit(1)).first() is not None

    def documents(self) -> list[Document]:
        cached = self._cached_documents()
        if cached is not None:
            return list(cached.values())
        with self._reading() as conn:
            rows = conn.execute(select(schema.documents).order_by(schema.documents.c.id)).all()
        return [_document(r) for r in rows]

    def document(self, doc_id: str) -> Document:
        cached = self._cached_documents()
        if cached is not None:
            row = cached.get(doc_id)
        else:
            with self._reading() as conn:
                row = conn.execute(select(schema.documents).where(
                    schema.documents.c.id == doc_id)).first()
            row = None if row is None else _document(row)
        if row is None:  # the list of documents is its own request, not part of an error
            raise NotFound(f"unknown document id {doc_id[:200]!r}; the document list shows "
                           "which documents are ingested", doc=doc_id[:200])
        return row

    def _cached_documents(self) -> dict[str, Document] | None:
        """Every document by id, as of the generation `changed_documents` last saw; None
        when this process never compares generations (then every call reads the store)."""
        seen = self._seen_generation
        if seen is None:
            return None
        cached = self._documents_cache
        if cached is None:
            with self._reading() as conn:
                rows = conn.execute(select(schema.documents)
                                    .order_by(schema.documents.c.id)).all()
            documents = {r.id: _document(r) for r in rows}
            with self._generations_lock:
                if self._seen_generation != seen:  # compared again meanwhile: maybe older
                    return documents
                self._documents_cache = documents
            return documents
        return cached

    def stored_version(self, doc_id: str) -> tuple[str, str] | None:
        """The stored file digest and ingest version of a document, or None."""
        with self._reading() as conn:
            row = conn.execute(select(schema.documents.c.sha256, schema.documents.c.ingest_version)
                               .where(schema.documents.c.id == doc_id)).first()
        return None if row is None else (row.sha256, row.ingest_version)

    def warnings(self, doc_id: str) -> list[str]:
        with self._reading() as conn:
            text = conn.execute(select(schema.documents.c.warnings).where(
                schema.documents.c.id == doc_id)).scalar()
        return [w for w in (text or "").splitlines() if w]

    def tables(self, doc_id: str) -> list[dict]:
        """Table records of a document: id, title, number, kind, unit, pages, columns, note."""
        with self._reading() as conn:
            rows = conn.execute(select(schema.tables).where(schema.tables.c.doc_id == doc_id)
                                .order_by(schema.tables.c.position)).mappings().all()
        return [{**r, "pages": [int(p) for p in r["pages"].split(",") if p],
                 "columns": [c for c in r["columns"].split("\n") if c]} for r in rows]

    def passages(self, doc_id: str) -> list[Passage]:
        with self._reading() as conn:
            rows = conn.execute(select(schema.passages).where(schema.passages.c.doc_id == doc_id)
                                .order_by(schema.passages.c.position)).all()
        return [Passage(doc_id=r.doc_id, section=r.section, text=r.text, page=r.page,
                        index=r.position, ocr=r.ocr == "1") for r in rows]

    def cells(self, doc_id: str) -> tuple[Cell, ...]:
        """Every cell of a document in table, row and column order (cached per document and
        generation: a change seen by `changed_documents` makes the next call read again)."""
        generation = self._doc_generations.get(doc_id)
        cached = self._cells_cache.get(doc_id)
        if cached is None or cached[0] != generation:
            cells = self._load_cells(doc_id)
            self._cells_cache[doc_id] = (generation, cells)
            return cells
        return cached[1]

    def _load_cells(self, doc_id: str) -> tuple[Cell, ...]:
        t, r, c = schema.tables, schema.rows, schema.cells
        query = (select(c.c.id, c.c.column_path, c.c.printed, c.c.value, c.c.unit, c.c.page,
                        c.c.bbox, c.c.measure, c.c.scope, c.c.comparator,
                        r.c.id.label("row_id"), r.c.label, r.c.code, r.c.level,
                        r.c.qualifiers, r.c.body, r.c.parent_id, t.c.id.label("table_id"), t.c.title, t.c.kind,
                        t.c.unit_doubtful)
                 .join(r, c.c.row_id == r.c.id).join(t, r.c.table_id == t.c.id)
                 .where(t.c.doc_id == doc_id)
                 .order_by(t.c.position, r.c.position, c.c.position))
        with self._reading() as conn:
            result = conn.execute(query).all()
        return tuple(Cell(
            id=x.id, doc_id=doc_id, table_id=x.table_id, table_title=x.title, table_kind=x.kind,
            row_id=x.row_id, row_label=x.label, row_code=x.code, row_level=x.level,
            column=x.column_path, printed=x.printed,
            value=None if x.value is None else Decimal(x.value), unit=x.unit, page=x.page,
            bbox=_bbox_tuple(x.bbox), qualifiers=_qualifiers_tuple(x.qualifiers),
            measure=x.measure, scope=x.scope, comparator=x.comparator, row_body=x.body,
            row_parent=x.parent_id or "", unit_doubtful=x.unit_doubtful == "1")
            for x in result)

    def rows(self, table_id: str) -> list[dict]:
        """Row records of one table: id, position, code, label, level, parent_id, page."""
        with self._reading() as conn:
            rows = conn.execute(select(schema.rows).where(schema.rows.c.table_id == table_id)
                                .order_by(schema.rows.c.position)).mappings().all()
        return [{**r, "qualifiers": _qualifiers_tuple(r["qualifiers"])} for r in rows]

    def parsed_tables(self, doc_id: str) -> list[ParsedTable]:
        """The document's tables rebuilt as the parser produced them, for checks and reports."""
        by_row: dict[str, list[Cell]] = {}
        for cell in self.cells(doc_id):
            by_row.setdefault(cell.row_id, []).append(cell)
        out = []
        for table in self.tables(doc_id):
            records = self.rows(table["id"])
            position = {r["id"]: r["position"] for r in records}
            rows = tuple(ParsedRow(
                label=r["label"], code=r["code"], qualifiers=r["qualifiers"], page=r["page"],
                level=r["level"], parent=position.get(r["parent_id"]), body=r["body"],
                cells=tuple(ParsedCell(column=c.column, printed=c.printed, value=c.value,
                                       page=c.page, bbox=c.bbox, measure=c.measure,
                                       scope="" if c.scope == table["scope"] else c.scope,
                                       unit="" if c.unit == table["unit"] else c.unit,
                                       comparator=c.comparator)
                      for c in by_row.get(r["id"], ())))
                for r in records)
            out.append(ParsedTable(title=table["title"], unit=table["unit"],
                                   pages=tuple(table["pages"]), columns=tuple(table["columns"]),
                                   rows=rows, number=table["number"], note=table["note"],
                                   kind=table["kind"], scope=table["scope"],
                                   unit_note=table["unit_note"],
                                   unit_doubtful=table["unit_doubtful"] == "1"))
        return out

    def reviewed(self, doc_id: str) -> dict[str, str]:
        with self._reading() as conn:
            rows = conn.execute(select(schema.reviewed_findings).where(
                schema.reviewed_findings.c.doc_id == doc_id)).all()
        return {r.finding_id: r.note for r in rows}


def _document(row) -> Document:
    return Document(id=row.id, title=row.title, publisher=row.publisher, year=row.year,
                    kind=row.kind, source_file=row.source_file, sha256=row.sha256,
                    pages=row.pages, disclosure=row.disclosure)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL: readers never wait for a writer, so answers go on during an ingest.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@lru_cache(maxsize=8)
def open_store(url: str) -> Store:
    """One Store per URL per process, so caches are shared by every face."""
    return Store(url)
