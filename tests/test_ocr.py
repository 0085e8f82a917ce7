"""OCR of scanned pages with the real tesseract, on a real corpus page rendered to an image."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from budgetqa.errors import IngestError
from ingest.ocr import ocr_available, read_page
from ingest.reader import read_document

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
HIGH_COURT_2019 = CORPUS / "jiangsu" / "jiangsu-high-court-2019-dept-budget.pdf"
# Page 18 states the 2019 支出预算总计 in prose.
PAGE = 18
FIGURE = "支出预算总计37188.34万元"

needs_tesseract = pytest.mark.skipif(not ocr_available(),
                                     reason="tesseract with chi_sim is not installed (make ocr)")


def scanned_copy(source: Path, pages: list[int], target: Path, dpi: int = 200) -> Path:
    """The pages of a real PDF rendered to pixels and saved as an image-only PDF."""
    pdf = pdfium.PdfDocument(str(source))
    images = [pdf[n - 1].render(scale=dpi / 72).to_pil().convert("RGB") for n in pages]
    pdf.close()
    images[0].save(target, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return target


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scans")
    return scanned_copy(HIGH_COURT_2019, [PAGE], folder / "jiangsu-high-court-2019-dept-budget.pdf")


@needs_tesseract
def test_ocr_reads_the_lines_of_a_rendered_page(scanned):
    lines = read_page(scanned, 1)
    assert any(FIGURE in _squash(line.text) for line in lines)
    page_width = pdfium.PdfDocument(str(scanned))[0].get_width()
    for line in lines:  # points, like pdfplumber's coordinates
        assert 0 <= line.x0 < line.x1 <= page_width + 1 and line.top < line.bottom


@needs_tesseract
def test_a_scanned_page_ingests_with_ocr_and_its_figure_is_marked(scanned):
    parsed = read_document(scanned)
    holding = [p for p in parsed.passages if FIGURE in _squash(p.text)]
    assert holding and all(p.ocr and p.page == 1 for p in holding)
    assert any("read by OCR" in w for w in parsed.warnings)
    assert parsed.document.year == 2019


def test_without_ocr_a_scan_is_refused(scanned, monkeypatch):
    monkeypatch.setenv("BUDGETQA_OCR", "off")
    with pytest.raises(IngestError, match="no text layer .*OCR is not available"):
        read_document(scanned)


def test_without_ocr_a_scanned_page_among_text_pages_is_skipped_with_a_warning(
        tmp_path, monkeypatch):
    # A real text PDF with one scanned page appended: the text pages are read, the scan
    # is named in a warning.
    monkeypatch.setenv("BUDGETQA_OCR", "off")
    scan = scanned_copy(HIGH_COURT_2019, [PAGE], tmp_path / "scan.pdf", dpi=72)
    merged = pdfium.PdfDocument(str(CORPUS / "shanghai" / "putuo-welfare-home-2024-unit-budget.pdf"))
    pages = len(merged)
    merged.import_pages(pdfium.PdfDocument(str(scan)))
    target = tmp_path / "putuo-welfare-home-2024-unit-budget.pdf"
    merged.save(str(target))
    parsed = read_document(target)
    assert parsed.tables and parsed.passages
    assert f"pages {pages + 1} have no text layer and OCR is not available" in parsed.warnings[0]
    assert not any(p.ocr for p in parsed.passages)


@needs_tesseract
def test_the_ocr_mark_survives_the_store_and_reaches_the_citation(scanned, tmp_path):
    from budgetqa.domain import Citation
    from store.store import Store

    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store.replace_document(read_document(scanned))
    stored = [p for p in store.passages(scanned.stem) if FIGURE in _squash(p.text)]
    assert stored and all(p.ocr for p in stored)
    citation = Citation(kind="passage", doc=stored[0].doc_id, page=stored[0].page,
                        section=stored[0].section, text=stored[0].text, ocr=stored[0].ocr)
    assert citation.to_json()["ocr"] is True
    assert "ocr" not in Citation(kind="passage", doc="d", page=1).to_json()


@needs_tesseract
def test_a_figure_on_a_scanned_page_is_answered_with_the_ocr_mark(scanned, tmp_path):
    from budgetqa.pipeline import BudgetQA
    from qa.router import OCR_MARK
    from retrieval.index import PassageIndex
    from store.store import Store

    app = BudgetQA(Store(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    app._index = PassageIndex(tmp_path, None)
    assert app.ingest_file(scanned).status != "failed"
    answer = app.ask("2019年支出预算总计是多少？", scanned.stem)
    assert answer.value == __import__("decimal").Decimal("37188.34"), answer.text
    assert answer.citations[0].ocr and OCR_MARK in answer.text


@pytest.fixture(scope="module")
def scanned_tables(tmp_path_factory) -> Path:
    """Two real ruled table pages as one image-only PDF: a Jiangsu 功能科目 table (one
    amount column) and a Shanghai 决算 table whose labels wrap over two lines."""
    folder = tmp_path_factory.mktemp("scanned-tables")
    first = scanned_copy(HIGH_COURT_2019, [12], folder / "a.pdf", dpi=300)
    second = scanned_copy(CORPUS / "shanghai" / "putuo-social-work-dept-2024-final-account.pdf",
                          [12], folder / "b.pdf", dpi=300)
    merged = pdfium.PdfDocument(str(first))
    merged.import_pages(pdfium.PdfDocument(str(second)))
    target = folder / "jiangsu-high-court-2019-dept-budget.pdf"
    merged.save(str(target))
    return target


@needs_tesseract
def test_an_ocr_table_that_adds_up_is_kept_and_one_that_does_not_is_kept_out(scanned_tables):
    from calc.reconcile import reconcile_table
    from ingest.ocr_tables import OCR_NOTE

    parsed = read_document(scanned_tables)
    kept = [t for t in parsed.tables if t.note == OCR_NOTE]
    assert [t.pages for t in kept] == [(1,)]
    table = kept[0]
    assert table.unit == "万元" and not reconcile_table(table)
    total = next(r for r in table.rows if r.label == "合计")
    assert str(total.cells[0].value) == "37188.34"  # as the text layer prints it
    assert sum(r.cells[0].value for r in table.rows if r.level == 1) == total.cells[0].value
    assert any(w.startswith("page 2: a table read by OCR") and "kept out" in w
               for w in parsed.warnings)
    # Neither table's rows are narrative.
    assert not any("37,188.34" in p.text or "307.82" in p.text for p in parsed.passages)


@needs_tesseract
def test_a_real_image_page_among_text_pages_gets_passages_of_its_own(tmp_path):
    # Xi'an's 决算 prints its 人员对比图 (page 8) as an image after a text page.
    source = pdfium.PdfDocument(str(CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf"))
    pages = pdfium.PdfDocument.new()
    pages.import_pages(source, [6, 7])
    target = tmp_path / "xian-health-commission-2022-final-account.pdf"
    pages.save(str(target))
    parsed = read_document(target)
    assert any(p.page == 1 and not p.ocr for p in parsed.passages)
    ocr = [p for p in parsed.passages if p.ocr]
    assert ocr and all(p.page == 2 for p in ocr)
    assert any("人员对比图" in _squash(p.text) for p in ocr)
