"""Read one disclosure file (PDF or text) into a ParsedDocument, or fail with one clear sentence."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from budgetqa.domain import Document, ParsedDocument, ParsedTable
from budgetqa.errors import IngestError
from ingest.doc_facts import disclosure_key, document_facts
from ingest.borrowed_codes import borrow_codes
from ingest.column_measures import annotate_measures, whole_territory
from ingest.hierarchy import assign_bodies, is_body_table
from ingest.kinds import table_kind
from ingest.number_coverage import number_coverage
from ingest.stated_units import check_stated_units
from ingest.units import infer_missing_units

PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
SUPPORTED = PDF_SUFFIXES | TEXT_SUFFIXES
# Raised whenever parsing changes what is stored, so unchanged files are read again.
INGEST_VERSION = "2026.12.02-5"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_document(path: Path, on_page=None) -> ParsedDocument:
    """Parse a disclosure file. `on_page(done, total)`, if given, hears each PDF page parsed.

    Raises IngestError naming the file and the reason for a missing, empty, non-PDF,
    corrupt, encrypted or scanned file, or an unsupported type.
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such file", path=str(path))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path.name}: unsupported file type {suffix or '(none)'}; "
                          f"BudgetQA reads {', '.join(sorted(SUPPORTED))}", path=str(path))
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: the file is empty", path=str(path))
    digest = sha256_of(path)
    if suffix in PDF_SUFFIXES:
        parsed = _read_pdf(path, digest, on_page)
    else:
        parsed = _read_text(path, digest)
    tables, unit_warnings = infer_missing_units(
        borrow_codes(whole_territory([annotate_measures(replace(
            t, kind=table_kind(t.title),
            rows=tuple(assign_bodies(list(t.rows))) if is_body_table(t.title) else t.rows))
            for t in parsed.tables])))
    tables, stated_warnings = check_stated_units(tables)
    coverage = number_coverage(parsed.passages)
    coverage_warnings = (coverage.warning(),) if coverage.low else ()
    return replace(parsed, tables=tuple(tables),
                   warnings=parsed.warnings + tuple(unit_warnings) + tuple(stated_warnings)
                   + coverage_warnings,
                   ingest_version=INGEST_VERSION)


def _document(path: Path, digest: str, facts: dict, pages: int) -> Document:
    return Document(id=path.stem, title=facts["title"], publisher=facts["publisher"],
                    year=facts["year"], kind=facts["kind"] or "", source_file=str(path.resolve()),
                    sha256=digest, pages=pages,
                    disclosure=disclosure_key(facts["publisher"], facts["year"], facts["kind"]))


def _read_text(path: Path, digest: str) -> ParsedDocument:
    from ingest.text_disclosure import parse_text_disclosure

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                          path=str(path)) from exc
    parsed = parse_text_disclosure(text, path.stem)
    if not parsed.tables and not re.search(r"20\d{2}.*(预算|决算)", parsed.title):
        raise IngestError(f"{path.name}: not a budget disclosure (no tables, and no title "
                          "naming a 预算 or 决算 of a year)", path=str(path))
    # Markdown marks (#, **) are layout, not words of the title.
    plain_text = re.sub(r"(?m)^#+\s*|\*\*", "", text)
    facts = document_facts(plain_text[:3000], path.stem, body_text=plain_text[:20000])
    return ParsedDocument(document=_document(path, digest, facts, pages=0),
                          tables=parsed.tables, passages=parsed.passages)


def _open_pdf(path: Path):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF"):
            raise IngestError(f"{path.name}: not a PDF file (no %PDF header)", path=str(path))
    try:
        pdf = pdfplumber.open(path)
        _ = len(pdf.pages)  # forces the page tree to be read, where corruption shows
        return pdf
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise IngestError(f"{path.name}: the PDF is encrypted and cannot be read without its "
                          "password", path=str(path)) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise IngestError(f"{path.name}: the PDF is encrypted and cannot be read without "
                              "its password", path=str(path)) from exc
        raise IngestError(f"{path.name}: the PDF is damaged or truncated ({cause})",
                          path=str(path)) from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"{path.name}: the PDF is damaged or truncated ({exc})",
                          path=str(path)) from exc


def _parse_pages(pdf, on_page) -> None:
    """Parse each page's characters, telling `on_page(done, total)`: this is most of the time
    reading a PDF takes, and every later step reuses the parsed pages (pdfplumber keeps them)."""
    total = len(pdf.pages)
    for done, page in enumerate(pdf.pages, 1):
        _ = page.chars
        on_page(done, total)


def _read_pdf(path: Path, digest: str, on_page=None) -> ParsedDocument:
    from ingest.pdf_tables import read_tables
    from ingest.pdf_text import extract_passages, first_pages_text, text_layer_ratio

    pdf = _open_pdf(path)
    try:
        if not pdf.pages:
            raise IngestError(f"{path.name}: the PDF has no pages", path=str(path))
        try:
            if on_page is not None:
                _parse_pages(pdf, on_page)
            ocr_pages, ocr_tables, ocr_warnings = _read_scanned_pages(path, pdf)
            tables, warnings, regions = read_tables(pdf)
            tables = list(tables) + ocr_tables
            passages = extract_passages(pdf, path.stem, regions, ocr_pages)
            if not passages and not tables and text_layer_ratio(pdf) == 0:
                raise IngestError(f"{path.name}: the PDF has no text layer and OCR read no "
                                  "text on it", path=str(path))
            first_pages = first_pages_text(pdf)
            if not first_pages.strip("\f") and ocr_pages:
                first_pages = "\n".join(line.text for line in ocr_pages[min(ocr_pages)])
        except IngestError:
            raise
        except Exception as exc:  # pdfminer raises many unrelated types on broken streams
            raise IngestError(f"{path.name}: the PDF could not be parsed "
                              f"({exc.__class__.__name__}: {exc})", path=str(path)) from exc
        # The body names the publisher when the cover is an image (CPPCC 2019).
        body = "\n".join(p.text for p in passages[:12])
        facts = document_facts(first_pages, path.stem, body_text=body)
        document = _document(path, digest, facts, pages=len(pdf.pages))
    finally:
        pdf.close()
    return ParsedDocument(document=document, tables=tuple(tables), passages=tuple(passages),
                          warnings=tuple(ocr_warnings) + tuple(warnings))


def _read_scanned_pages(path: Path, pdf) -> tuple[dict[int, list], list[ParsedTable], list[str]]:
    """The pages without a text layer read by OCR: their narrative lines by page, the
    tables on them that add up (ingest.ocr_tables), and warnings.

    Raises IngestError for a PDF without any text layer when OCR is unavailable.
    """
    from ingest.ocr import ocr_available, read_page
    from ingest.ocr_tables import split_tables
    from ingest.pdf_text import scanned_pages, text_layer_ratio

    scanned = scanned_pages(pdf)
    if not scanned:
        return {}, [], []
    if ocr_available():
        pages, tables = {}, []
        warnings = [f"pages {_page_list(scanned)} have no text layer: read by OCR, "
                    "figures from them are marked as such"]
        for number in scanned:
            page_tables, pages[number], page_warnings = split_tables(number, read_page(path, number))
            tables += page_tables
            warnings += page_warnings
        return pages, tables, warnings
    if text_layer_ratio(pdf) == 0:
        raise IngestError(f"{path.name}: the PDF has no text layer (a scan?) and OCR is not "
                          "available (install tesseract-ocr and tesseract-ocr-chi-sim, or "
                          "set BUDGETQA_OCR=tesseract)", path=str(path))
    return {}, [], [f"pages {_page_list(scanned)} have no text layer and OCR is not available: "
                    "they are not read"]


def _page_list(numbers: list[int]) -> str:
    return ",".join(map(str, numbers))


def describe_table(table: ParsedTable) -> dict:
    """A table's line in the ingest report."""
    return {"title": table.title, "number": table.number, "kind": table.kind,
            "unit": table.unit, "pages": list(table.pages), "rows": len(table.rows),
            "note": table.note, "unit_note": table.unit_note,
            "unit_doubtful": table.unit_doubtful}
