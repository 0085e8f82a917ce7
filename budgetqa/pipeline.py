"""The whole flow in one place: document → tables/passages → store/index → router → answer.

    read_document (ingest/)  →  Store.replace_document (store/) + PassageIndex.index (retrieval/)
    question → Router.answer (qa/) → cells from the Store, calc/ for arithmetic,
                                      PassageIndex.search for narrative → Answer

Every face (command line, REST API, Streamlit page) holds one `BudgetQA` and calls it.

Several processes may share one store and passage index (PostgreSQL and a chroma server):
an ingest holds its document's lock in the store (store.locks), writes the store first and
the index right after, tagged with the store generation; every request first asks the store
whether anything changed (`_sync`, one query) and drops what this process cached of exactly
the documents that did.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace as dc_replace
from pathlib import Path

from budgetqa import settings
from budgetqa.domain import Answer, Document, ParsedDocument
from budgetqa.isolated import read_document_isolated
from budgetqa.errors import BudgetQAError, IndexError_, IngestError, redact
from budgetqa.limits import check_question
from calc.reconcile import reconcile_summary
from ingest.number_coverage import NumberCoverage, number_coverage
from ingest.ocr_tables import OCR_NOTE
from ingest.reader import INGEST_VERSION, SUPPORTED, describe_table, sha256_of
from retrieval.bm25 import add_terms
from store.store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What ingesting one file did: its status, tables, counts and warnings, or its error."""

    path: str
    doc_id: str
    status: str  # ingested, replaced, unchanged, failed
    kind: str = ""  # the document's kind (部门预算, 政府决算, …)
    pages: int = 0
    tables: list[dict] = field(default_factory=list)
    cells: int = 0
    passages: int = 0
    reconciled: tuple[int, int] = (0, 0)  # (tables checked, tables whose totals add up)
    # Money words in the passages and how many kept their number (ingest.number_coverage).
    numbers: NumberCoverage = NumberCoverage(0, 0)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose figures OCR read
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0  # time the ingest took

    @property
    def tables_by_kind(self) -> dict[str, int]:
        """How many tables of each kind, most frequent first."""
        return dict(Counter(t["kind"] or "其他" for t in self.tables).most_common())

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.tables)

    def to_json(self) -> dict:
        return {"path": self.path, "doc": self.doc_id, "status": self.status,
                "kind": self.kind, "pages": self.pages,
                "tables": self.tables, "tables_by_kind": self.tables_by_kind, "rows": self.rows,
                "cells": self.cells, "passages": self.passages,
                "reconciled": {"checked": self.reconciled[0], "add_up": self.reconciled[1]},
                "narrative_numbers": {"money_words": self.numbers.words,
                                      "with_number": self.numbers.with_number,
                                      "coverage": self.numbers.percent()},
                "ocr_pages": self.ocr_pages, "warnings": self.warnings, "error": self.error or None,
                "seconds": round(self.seconds, 1)}


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named, and the supported files inside folders named, in a stable order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in SUPPORTED))
        else:
            files.append(path)
    return files


class BudgetQA:
    """The library behind every face: ingest, list, ask."""

    def __init__(self, store: Store, passage_index=None):
        self.store = store
        self._index = passage_index
        self._router = None
        self._phraser = None
        self._ingest_lock = threading.Lock()  # one ingest at a time; answers never take it
        self._build_lock = threading.RLock()  # the index and router are built once
        self._first_answer_lock = threading.Lock()
        self._warm: set[str] = set()
        self._sync_lock = threading.Lock()
        self._index_behind: set[str] = set()  # changed documents the index may not show yet
        self._synced: int | None = None  # the store generation the last _sync caught up with

    @classmethod
    def from_settings(cls) -> "BudgetQA":
        settings.validate()
        from qa.llm import make_chat_model

        make_chat_model()  # a malformed BUDGETQA_LLM fails here, at start-up
        return cls(open_store(settings.db_url()))

    # -- the passage index is built lazily: loading an embedder costs seconds -------------

    @property
    def index(self):
        """The passage index; a BM25 index over the store's passages when chroma cannot open
        (a full disk, a chroma server down), so questions keep being answered."""
        if self._index is None:
            with self._build_lock:
                if self._index is None:
                    index = self._open_index()
                    # Every face, not only the API's start-up: an index built while the
                    # embedder was unavailable holds no vectors for documents stored then.
                    # No ingest of this process can be half-way: it waits for the index.
                    try:
                        self._repair(index)
                    except BudgetQAError as exc:
                        log.warning("passage index check failed: %s", redact(exc.message))
                    self._index = index
        return self._index

    def _open_index(self):
        from retrieval.embedders import make_embedder
        from retrieval.index import FallbackIndex, PassageIndex

        try:
            index = PassageIndex(settings.home(), make_embedder())
        except IndexError_ as exc:
            log.warning("passage index unavailable, answering text questions by BM25 over "
                        "the store: %s", redact(exc.message))
            index = FallbackIndex(self.store, exc.message)
        self._teach_vocabulary(d.id for d in self.store.documents())
        return index

    def index_status(self) -> str:
        """"ok", or "degraded" when text questions are answered without the passage index.
        Raises IndexError_ when the index opened but cannot be reached now (a chroma server
        stopped since)."""
        from retrieval.index import FallbackIndex

        index = self.index
        if isinstance(index, FallbackIndex):
            return "degraded"
        len(index)  # one call to chroma: its passage count
        return "ok"

    def repair_index(self) -> dict[str, list[str]]:
        """Make the passage index agree with the store, as a start-up check (`budgetqa check`).

        Passages of a document the store does not hold are removed; a document whose passages
        the index lacks, or holds at another generation than the store (a process stopped
        between its store commit and its index write), is indexed again from the store. Each
        document is repaired under its ingest lock, so a running ingest is never undone.
        """
        index = self.index
        with self._ingest_lock:
            return self._repair(index)

    def _repair(self, index) -> dict[str, list[str]]:
        """repair_index on `index` (also run on an index just opened, before it is used)."""
        stored = self.store.generations()
        indexed = index.doc_generations()
        orphans, reindexed = [], []
        for doc_id in sorted(set(indexed) | set(stored)):
            if doc_id in stored and indexed.get(doc_id) == stored[doc_id]:
                continue
            with self.store.document_lock(doc_id):
                if self._index_agrees(doc_id, index):
                    continue
                if doc_id in self.store.generations():
                    reindexed.append(doc_id)
                else:
                    orphans.append(doc_id)
                self._reindex(doc_id, index)
        if orphans or reindexed:
            log.warning("passage index repaired: removed %s, re-indexed %s", orphans, reindexed)
        return {"removed": orphans, "reindexed": reindexed}

    def _index_agrees(self, doc_id: str, index) -> bool:
        """Whether `index` holds `doc_id`'s passages at the store's generation (or, for a
        document without passages or not stored, holds none)."""
        stored = self.store.generations().get(doc_id)
        indexed = index.refresh([doc_id])[doc_id]
        if stored is None or not any(p.text.strip() for p in self.store.passages(doc_id)):
            return indexed is None and not index.doc_counts().get(doc_id)
        return indexed == stored

    def _reindex(self, doc_id: str, index) -> None:
        """Index `doc_id` as the store holds it now (remove it when the store has none)."""
        generation = self.store.generations().get(doc_id)
        if generation is None:
            index.remove(doc_id)
        else:
            index.index(self.store.document(doc_id), self.store.passages(doc_id), generation)

    def sync(self) -> None:
        """Catch up with what other processes wrote (see `_sync`)."""
        self._sync()

    def _sync(self) -> None:
        """Drop what this process cached of documents another process changed: cells (the
        store does), router views and facts (a new router), vocabulary, and passages (read
        again from the index once it holds the store's generation). One store query when
        nothing changed. Under a lock: a request that finds nothing new waits for another
        that is still dropping what changed, instead of answering from the old router.

        When the store generation is still the one the last _sync caught up with (and the
        index shows every document), that one query is all: no lock, so answers running in
        parallel do not queue one behind the other for it."""
        if not self._index_behind and self._synced is not None \
                and self.store.generation() == self._synced:
            return
        with self._sync_lock:
            changed = self.store.changed_documents()
            if changed:
                self._router = None
                self._index_behind |= changed
                stored = set(self.store.generations())
                self._teach_vocabulary(changed & stored)
            if self._index_behind and self._index is not None:
                stored = self.store.generations()
                held = self._index.refresh(sorted(self._index_behind))
                self._index_behind = {
                    d for d, generation in held.items()
                    if d in stored and generation != stored[d]
                    and any(p.text.strip() for p in self.store.passages(d))}
            self._synced = self.store.seen_generation

    def _teach_vocabulary(self, doc_ids) -> None:
        """Row labels and headings of the documents join jieba's dictionary, so BM25 keeps
        budget terms such as 机关运行经费 and 公务用车购置及运行费 whole."""
        terms = set()
        for doc_id in doc_ids:
            terms.update(c.row_label for c in self.store.cells(doc_id) if len(c.row_label) >= 3)
            terms.update(p.section.split(" > ")[-1] for p in self.store.passages(doc_id))
        add_terms(terms)

    @property
    def router(self):
        if self._router is None:
            with self._build_lock:
                if self._router is None:
                    self._router = self._make_router()
        return self._router

    def _make_router(self):
        from qa.router import Router

        from qa.llm import AnswerPhraser, QuestionPlanner, make_chat_model

        chat = make_chat_model()  # None unless BUDGETQA_LLM names an endpoint
        self._warm = set()  # documents whose first question the new router has answered
        self._phraser = AnswerPhraser(chat) if chat is not None else None
        return Router(self.store, self.index,
                      planner=QuestionPlanner(chat) if chat is not None else None,
                      auditor=self.audit)

    # -- ingest --------------------------------------------------------------------------

    def ingest_file(self, path: Path, *, replace: bool = False, install_as: Path | None = None,
                    progress=None) -> IngestReport:
        """Ingest one file (see _ingest_file); the report says how long it took."""
        started = time.perf_counter()
        report = self._ingest_file(Path(path), replace, install_as, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(self, path: Path, replace: bool, install_as: Path | None,
                     progress) -> IngestReport:
        """Read, index and store one file; one ingest at a time, answers go on meanwhile.

        The file is read in a child process under the ingest limits. A file whose id (its
        name's stem) already holds a document of another publisher, year or kind is refused
        unless `replace`. With `install_as`, `path` is a temporary copy (of the same name)
        that is moved to `install_as` only once the document is stored, so a failed upload
        never destroys the file an ingested document was read from. `progress(stage, counts)`
        hears each PDF page read ("reading" {pages_done, pages}) and each stage as it ends:
        "parsed" {pages, tables}, "indexed" {passages} (embedded), "stored" {cells} (in the
        store, then in the passage index). The document's lock is held throughout, so an
        ingest of the same document by another process waits.
        """
        path = Path(path)
        final = Path(install_as) if install_as is not None else path
        doc_id = final.stem
        tell = progress or (lambda stage, counts: None)
        with self._ingest_lock:
            try:
                with self.store.document_lock(doc_id):
                    self._sync()  # what other processes wrote before they let go of the lock
                    known = self.store.stored_version(doc_id)
                    if known is not None and path.is_file() and known == (sha256_of(path),
                                                                          INGEST_VERSION):
                        if not self._index_agrees(doc_id, self.index):  # a lost index write
                            self._reindex(doc_id, self.index)
                        return self._report(final, "unchanged")
                    parsed = read_document_isolated(path, on_page=lambda done, total: tell(
                        "reading", {"pages_done": done, "pages": total}))
                    parsed = self._checked_identity(parsed, final, known, replace)
                    tell("parsed", {"pages": parsed.document.pages,
                                    "tables": len(parsed.tables)})
                    add_terms({r.label for t in parsed.tables for r in t.rows
                               if len(r.label) >= 3})
                    passages = list(parsed.passages)
                    vectors = self.index.embed(passages)  # before the commit: it is slow
                    tell("indexed", {"passages": len(passages)})
                    generation = self.store.replace_document(parsed, path.read_bytes(),
                                                             final.name)
                    warnings = self._write_index(parsed.document, passages, generation, vectors)
                    tell("stored", {"cells": sum(len(r.cells) for t in parsed.tables
                                                 for r in t.rows)})
                    if install_as is not None:
                        os.replace(path, final)  # same folder tree: an atomic rename
            except BudgetQAError as exc:
                return IngestReport(path=str(final), doc_id=doc_id, status="failed",
                                    error=exc.message)
            self._router = None  # new vocabulary and cells
            report = self._report(final, "replaced" if known else "ingested")
            report.warnings.extend(warnings)
            return report

    def _write_index(self, doc: Document, passages, generation: int, vectors) -> list[str]:
        """Write the passage index after the store commit; a failure leaves the document
        stored (its tables answer) and is repaired by `repair_index`. Returns warnings."""
        try:
            self.index.index(doc, passages, generation, vectors)
        except BudgetQAError as exc:
            log.warning("passage index not written for %s: %s", doc.id, redact(exc.message))
            return [f"the passage index could not be written ({redact(exc.message)}); text "
                    "questions use it again after `budgetqa check` or the next start"]
        return []

    def _checked_identity(self, parsed: ParsedDocument, final: Path, known, replace: bool
                          ) -> ParsedDocument:
        """The parsed document as it will be stored (its source is the installed file), after
        refusing what would silently overwrite another document."""
        doc = parsed.document
        if doc.kind is None:
            raise IngestError(f"{final.name}: not read as a 部门预算, 单位预算, 部门决算, 政府预算 or 政府决算: neither "
                              "its first pages nor its file name say which kind it is")
        if known is not None and known[0] != doc.sha256 and not replace:
            old = self.store.document(doc.id)
            if (old.publisher, old.year, old.kind) != (doc.publisher, doc.year, doc.kind):
                raise IngestError(
                    f"{final.name}: the id {doc.id} already holds {old.publisher} {old.year} "
                    f"{old.kind}, and this file is {doc.publisher} {doc.year} {doc.kind}; rename "
                    "the file, or ask to replace it (--replace)", doc=doc.id)
        if final.resolve() != Path(doc.source_file):
            doc = dc_replace(doc, source_file=str(final.resolve()))
        return dc_replace(parsed, document=doc)

    def _report(self, path: Path, status: str) -> IngestReport:
        doc_id = path.stem
        document = self.store.document(doc_id)
        tables = self.store.parsed_tables(doc_id)
        passages = self.store.passages(doc_id)
        ocr_pages = {p.page for p in passages if p.ocr and p.page} | {
            page for t in tables if t.note == OCR_NOTE for page in t.pages}
        return IngestReport(
            path=str(path), doc_id=doc_id, status=status, kind=document.kind,
            pages=document.pages, tables=[describe_table(t) for t in tables],
            cells=sum(len(r.cells) for t in tables for r in t.rows),
            passages=len(passages), reconciled=reconcile_summary(tables),
            numbers=number_coverage(passages), ocr_pages=sorted(ocr_pages),
            warnings=self.store.warnings(doc_id))

    def remove(self, doc_id: str) -> None:
        with self._ingest_lock, self.store.document_lock(doc_id):
            self.store.remove_document(doc_id)
            self.index.remove(doc_id)
        self._router = None

    # -- reading -------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        self._sync()
        return self.store.documents()

    def document(self, doc_id: str) -> Document:
        self._sync()
        return self.store.document(doc_id)

    def number_coverage(self, doc_id: str) -> NumberCoverage:
        """How many money words in the document's stored passages kept their number."""
        return number_coverage(self.store.passages(doc_id))

    def ask(self, question: str, doc: str | None = None) -> Answer:
        """Answer a question, about one document or (doc=None) whichever the question names."""
        question = check_question(question)
        self._sync()
        if doc is not None:
            self.store.document(doc)  # raises NotFound with the known ids
        if not self.store.has_documents():
            raise IngestError("nothing is ingested yet; run `budgetqa ingest PATH` first")
        router = self.router
        if doc is not None and doc in self._warm:
            answer = router.answer(question, doc)
        else:
            # The router fills its per-document caches on a document's first question without
            # a lock (two dicts, one after the other); a concurrent first question could read
            # one filled and the other not. First questions therefore run one at a time.
            with self._first_answer_lock:
                answer = router.answer(question, doc)
                if doc is not None:
                    self._warm.add(doc)
        return self._phraser.phrase(answer) if self._phraser is not None else answer

    # -- audit ---------------------------------------------------------------------------

    def audit(self, doc_ids: list[str] | None = None) -> list:
        """Consistency audit (calc.audit) of the named documents, or of all; one
        AuditReport per disclosure (files sharing Document.disclosure are audited as one).
        Raises NotFound for an unknown id."""
        from calc.audit import audit_disclosure, group_disclosures, neighbour_disclosure
        from calc.audit_labels import corpus_code_names
        from ingest.pdf_text import opening_text

        docs = every = self.store.documents()
        code_names = corpus_code_names({d.id: (d.year, self.store.parsed_tables(d.id))
                                        for d in docs})
        if doc_ids:
            wanted = {self.store.document(d).disclosure or d for d in doc_ids}
            docs = [d for d in docs if (d.disclosure or d.id) in wanted]
        reports = []
        groups = group_disclosures(every)  # last and next year's disclosures, for changes
        for group in group_disclosures(docs):
            ids = [d.id for d in group]
            reviewed = {k: v for d in ids for k, v in self.store.reviewed(d).items()}
            years = [[p for d in neighbour_disclosure(group, groups, step)
                      for p in self.store.passages(d.id)] for step in (-1, 1)]
            reports.append(audit_disclosure(
                group, {d: self.store.parsed_tables(d) for d in ids},
                {d: self.store.passages(d) for d in ids}, reviewed, code_names,
                {d.id: opening_text(d.source_file) for d in group}, *years))
        return reports
