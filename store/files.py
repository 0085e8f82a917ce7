"""Documents' files for drawing pages, from the store, on whichever instance asks.

Page images and cell crops need the PDF a document was read from. The path stored with the
document is the ingesting machine's; another instance has no such file. The store keeps the
bytes (schema.document_files), and each instance writes them once to a local cache named by
their digest, so pages are drawn from the same bytes everywhere.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from budgetqa.domain import Document


def local_document(store, document: Document, cache: Path) -> Document:
    """`document` with `source_file` naming a local copy of its file (under `cache`), read
    from the store; unchanged when the store keeps no copy (a document stored before files
    were kept: its own path is all there is)."""
    suffix = Path(document.source_file).suffix.lower()
    cached = cache / f"{document.sha256}{suffix}"
    if not cached.is_file():
        stored = store.document_file(document.id)
        if stored is None or stored[1] != document.sha256:
            return document
        cache.mkdir(parents=True, exist_ok=True)
        # Written beside its final name and renamed: a reader never sees half a file.
        handle, partial = tempfile.mkstemp(dir=cache, suffix=".partial")
        with os.fdopen(handle, "wb") as out:
            out.write(stored[2])
        os.replace(partial, cached)
    return replace(document, source_file=str(cached))
