"""Readings of corpus files made once per test run and shared by every test and xdist worker.

Parsing the corpus PDFs is most of the suite's time, and several test modules read the same
files (the parsers' own tests, the audit and cross-document stores, the number-coverage check,
and the stores that question tests ingest into, tests/ingested.py). Each reading is
made by the first test that needs it, pickled into the run's cache folder and loaded by the
others, in any worker process; a lock per reading makes the others wait rather than parse the
file a second time. The folder is new for every run (conftest.py makes it at the start and
removes it at the end), so a reading never outlives a change to the code, and a test run
without it (no conftest) simply reads every time.

A reading is kept by the file's name and content, so a test that edits a copy of a file reads
its copy anew.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

# Set by conftest.py for the whole run (xdist workers inherit it from the controller); no
# BUDGETQA_* name, as it is no setting of the product.
CACHE_ENV = "TESTS_CORPUS_READINGS"
T = TypeVar("T")


def shared_reading(kind: str, path: Path, read: Callable[[], T]) -> T:
    """`read()`, the `kind` reading of the file at `path`, made once per test run.

    A reading that raises is not kept: every caller gets the error from its own attempt.
    """
    folder = os.environ.get(CACHE_ENV)
    path = Path(path).resolve()
    if not folder or not Path(folder).is_dir() or not path.is_file():
        return read()  # (a missing file: the reader's own error)
    # By name and content, not by folder: the demo copies in data/corpus are read once with
    # their originals in the shared corpus.
    content = hashlib.sha256(path.read_bytes()).hexdigest()
    key = hashlib.sha256(f"{kind}\0{path.name}\0{content}".encode()).hexdigest()[:16]
    target = Path(folder) / f"{kind}-{path.stem}-{key}.pickle"
    with open(target.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if target.exists():
            with target.open("rb") as handle:
                return pickle.load(handle)
        result = read()
        partial = target.with_suffix(".partial")
        with partial.open("wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
        return result


def read_corpus_document(path: Path):
    """ingest.reader.read_document of an unchanged corpus file, once per run."""
    from ingest.reader import read_document

    parsed = shared_reading("document", path, lambda: read_document(path))
    # The reading may have been made of a copy of the file elsewhere: name this one.
    return replace(parsed, document=replace(parsed.document,
                                            source_file=str(Path(path).resolve())))


@dataclass(frozen=True)
class PdfReading:
    """What the parser tests read of one PDF with pdfplumber's own functions, from one open
    document (pdfplumber keeps each page's parsed characters, so the four share one parse).

    passages: ingest.pdf_text.extract_passages(pdf, stem) (tables found page by page).
    tables, warnings: ingest.pdf_tables.extract_tables(pdf).
    first_pages: ingest.pdf_text.first_pages_text(pdf) (the cover, for document facts).
    body: the text of the pages after the third, pdfplumber's extract_text joined by lines.
    """

    passages: tuple
    tables: tuple
    warnings: tuple
    first_pages: str
    body: str


def read_corpus_pdf(path: Path) -> PdfReading:
    """The PdfReading of an unchanged corpus PDF, once per run."""
    return shared_reading("pdf", path, lambda: _read_pdf(Path(path)))


def _read_pdf(path: Path) -> PdfReading:
    import pdfplumber

    from ingest.pdf_tables import extract_tables
    from ingest.pdf_text import extract_passages, first_pages_text

    with pdfplumber.open(path) as pdf:
        tables, warnings = extract_tables(pdf)
        passages = extract_passages(pdf, path.stem)
        first_pages = first_pages_text(pdf)
        body = "\n".join(page.extract_text() or "" for page in pdf.pages[3:])
    return PdfReading(passages=tuple(passages), tables=tuple(tables), warnings=tuple(warnings),
                      first_pages=first_pages, body=body)
