"""The whole flow in one place: document → tables/passages → store/index → router → answer.

    read_document (ingest/)  →  Store.replace_document (store/) + PassageIndex.index (retrieval/)
    question → Router.answer (qa/) → cells from the Store, calc/ for arithmetic,
                                      PassageIndex.search for narrative → Answer

Every face (command line, REST API, Streamlit page) holds one `BudgetQA` and calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budgetqa import settings
from budgetqa.domain import Answer, Document
from budgetqa.errors import BadQuestion, BudgetQAError, IngestError
from calc.reconcile import reconcile_summary
from ingest.reader import INGEST_VERSION, SUPPORTED, describe_table, read_document, sha256_of
from retrieval.bm25 import add_terms
from store.store import Store, open_store


@dataclass
class IngestReport:
    """What ingesting one file did: its status, tables, counts and warnings, or its error."""

    path: str
    doc_id: str
    status: str  # ingested, replaced, unchanged, failed
    tables: list[dict] = field(default_factory=list)
    cells: int = 0
    passages: int = 0
    reconciled: tuple[int, int] = (0, 0)  # (tables checked, tables whose totals add up)
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def to_json(self) -> dict:
        return {"path": self.path, "doc": self.doc_id, "status": self.status,
                "tables": self.tables, "cells": self.cells, "passages": self.passages,
                "reconciled": {"checked": self.reconciled[0], "add_up": self.reconciled[1]},
                "warnings": self.warnings, "error": self.error or None}


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

    @classmethod
    def from_settings(cls) -> "BudgetQA":
        settings.validate()
        from qa.llm import make_chat_model

        make_chat_model()  # a malformed BUDGETQA_LLM fails here, at start-up
        return cls(open_store(settings.db_url()))

    # -- the passage index is built lazily: loading an embedder costs seconds -------------

    @property
    def index(self):
        if self._index is None:
            from retrieval.embedders import make_embedder
            from retrieval.index import PassageIndex

            self._index = PassageIndex(settings.home(), make_embedder())
            self._teach_vocabulary(d.id for d in self.store.documents())
        return self._index

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
            from qa.router import Router

            from qa.llm import AnswerPhraser, QuestionPlanner, make_chat_model

            chat = make_chat_model()  # None unless BUDGETQA_LLM names an endpoint
            self._phraser = AnswerPhraser(chat) if chat is not None else None
            self._router = Router(self.store, self.index,
                                  planner=QuestionPlanner(chat) if chat is not None else None,
                                  auditor=self.audit)
        return self._router

    # -- ingest --------------------------------------------------------------------------

    def ingest_file(self, path: Path, progress=None) -> IngestReport:
        """Ingest one file; `progress(stage, counts)` (optional) hears each stage as it ends:
        "parsed" {pages, tables}, "indexed" {passages}, "stored" {cells}."""
        path = Path(path)
        doc_id = path.stem
        tell = progress or (lambda stage, counts: None)
        try:
            known = self.store.stored_version(doc_id)
            if known is not None and path.is_file() and known == (sha256_of(path),
                                                                  INGEST_VERSION):
                return self._report(path, "unchanged")
            parsed = read_document(path)
            tell("parsed", {"pages": parsed.document.pages, "tables": len(parsed.tables)})
            add_terms({r.label for t in parsed.tables for r in t.rows if len(r.label) >= 3})
            self.index.index(parsed.document, list(parsed.passages))
            tell("indexed", {"passages": len(parsed.passages)})
            try:
                self.store.replace_document(parsed)
            except BudgetQAError:
                self._restore_index(doc_id, known is not None)
                raise
            tell("stored", {"cells": sum(len(r.cells) for t in parsed.tables for r in t.rows)})
        except BudgetQAError as exc:
            return IngestReport(path=str(path), doc_id=doc_id, status="failed", error=exc.message)
        self._router = None  # new vocabulary and cells
        return self._report(path, "replaced" if known else "ingested")

    def _restore_index(self, doc_id: str, had_old_version: bool) -> None:
        """Put the passage index back as the store still has it."""
        if had_old_version:
            self.index.index(self.store.document(doc_id), self.store.passages(doc_id))
        else:
            self.index.remove(doc_id)

    def _report(self, path: Path, status: str) -> IngestReport:
        doc_id = path.stem
        tables = self.store.parsed_tables(doc_id)
        return IngestReport(
            path=str(path), doc_id=doc_id, status=status,
            tables=[describe_table(t) for t in tables],
            cells=sum(len(r.cells) for t in tables for r in t.rows),
            passages=len(self.store.passages(doc_id)),
            reconciled=reconcile_summary(tables), warnings=self.store.warnings(doc_id))

    def remove(self, doc_id: str) -> None:
        self.store.remove_document(doc_id)
        self.index.remove(doc_id)
        self._router = None

    # -- reading -------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        return self.store.documents()

    def document(self, doc_id: str) -> Document:
        return self.store.document(doc_id)

    def ask(self, question: str, doc: str | None = None) -> Answer:
        """Answer a question, about one document or (doc=None) whichever the question names."""
        question = (question or "").strip()
        if not question:
            raise BadQuestion("the question is empty")
        limit = settings.max_question()
        if len(question) > limit:
            raise BadQuestion(f"the question has {len(question)} characters; the limit is "
                              f"{limit}", length=len(question), limit=limit)
        if doc is not None:
            self.store.document(doc)  # raises NotFound with the known ids
        if not self.store.has_documents():
            raise IngestError("nothing is ingested yet; run `budgetqa ingest PATH` first")
        answer = self.router.answer(question, doc)
        return self._phraser.phrase(answer) if self._phraser is not None else answer

    # -- audit ---------------------------------------------------------------------------

    def audit(self, doc_ids: list[str] | None = None) -> list:
        """Consistency audit (calc.audit) of the named documents, or of all; one
        AuditReport per disclosure (files sharing Document.disclosure are audited as one).
        Raises NotFound for an unknown id."""
        from calc.audit import audit_disclosure, group_disclosures

        docs = self.store.documents()
        if doc_ids:
            wanted = {self.store.document(d).disclosure or d for d in doc_ids}
            docs = [d for d in docs if (d.disclosure or d.id) in wanted]
        reports = []
        for group in group_disclosures(docs):
            ids = [d.id for d in group]
            reviewed = {k: v for d in ids for k, v in self.store.reviewed(d).items()}
            reports.append(audit_disclosure(
                group, {d: self.store.parsed_tables(d) for d in ids},
                {d: self.store.passages(d) for d in ids}, reviewed))
        return reports
