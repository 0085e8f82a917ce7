"""What a face shows beside an answer: page images with the cited boxes, the cited table rows,
a breakdown of a table for a chart, and the same question over several years.

The faces (REST API, Streamlit page) call these; they hold no rendering or matching logic.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budgetqa.domain import BBox, Cell, Citation, Document, ParsedTable
from budgetqa.errors import BadQuestion, BudgetQAError, IngestError, NotFound

# pdfplumber coordinates are PDF points (1/72 inch); scale 2 gives 144 dpi, readable on a phone.
DEFAULT_SCALE = 2.0
MAX_SCALE = 4.0
HIGHLIGHT = (220, 38, 38)  # red, visible on black-and-white scans
# An answer cites a handful of cells; more boxes than this on one page is not a citation.
MAX_HIGHLIGHTS = 20
# Boxes may reach this far (points) past the page edge: cited boxes are padded.
EDGE_TOLERANCE = 10.0
_TO_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度?")
_RELATIVE_YEAR = re.compile(r"上年|去年|前年|上一年")


def parse_box(text: str) -> BBox:
    """A box from "x0,top,x1,bottom"; raises BadQuestion when it is not four ordered finite
    numbers (nan and inf are refused: they would make the drawing unbounded)."""
    values: tuple[float, ...] = ()
    if len(text) <= 100:
        try:
            values = tuple(float(v) for v in text.split(","))
        except ValueError:
            values = ()
    if (len(values) != 4 or not all(map(math.isfinite, values))
            or values[0] > values[2] or values[1] > values[3]):
        raise BadQuestion(f"highlight {text[:100]!r} is not x0,top,x1,bottom in points",
                          highlight=text[:100])
    return values  # type: ignore[return-value]


def parse_boxes(texts: list[str]) -> list[BBox]:
    """Boxes to highlight on one page; at most MAX_HIGHLIGHTS, each as `parse_box` reads it."""
    if len(texts) > MAX_HIGHLIGHTS:
        raise BadQuestion(f"{len(texts)} highlight boxes asked; at most {MAX_HIGHLIGHTS} are "
                          "drawn on one page", count=len(texts), limit=MAX_HIGHLIGHTS)
    return [parse_box(t) for t in texts]


def _check_within(boxes, width: float, height: float) -> None:
    """Refuse a box outside the page: drawing it would cost time for nothing visible."""
    for box in boxes:
        x0, top, x1, bottom = box
        if (x0 < -EDGE_TOLERANCE or top < -EDGE_TOLERANCE or x1 > width + EDGE_TOLERANCE
                or bottom > height + EDGE_TOLERANCE):
            raise BadQuestion(f"highlight {','.join(f'{v:g}' for v in box)} lies outside the "
                              f"page ({width:.0f} × {height:.0f} points)")


def render_page(document: Document, page: int, boxes: list[BBox] = (), scale: float = DEFAULT_SCALE,
                crop: BBox | None = None, margin: float = 36.0) -> bytes:
    """PNG of one page (1-based) of a PDF document with `boxes` outlined.

    `crop`, in points, keeps only that part of the page plus `margin` around it.
    Raises NotFound for a page the document does not have, BadQuestion for more than
    MAX_HIGHLIGHTS boxes or a box outside the page, IngestError when the document has no PDF
    to render (e.g. a text disclosure) or the PDF cannot be read.
    """
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    source = Path(document.source_file)
    if source.suffix.lower() != ".pdf" or not source.is_file():
        raise NotFound(f"{document.id} has no PDF pages to show (source {source.name})",
                       doc=document.id)
    if not 1 <= page <= max(document.pages, 0):
        raise NotFound(f"{document.id} has no page {page}; it has {document.pages}",
                       doc=document.id, page=page, pages=document.pages)
    if len(boxes) > MAX_HIGHLIGHTS:
        raise BadQuestion(f"at most {MAX_HIGHLIGHTS} highlight boxes are drawn on one page")
    scale = min(max(scale, 0.5), MAX_SCALE)
    try:
        pdf = pdfium.PdfDocument(str(source))
        try:
            pdf_page = pdf[page - 1]
            _check_within(boxes, *pdf_page.get_size())
            image = pdf_page.render(scale=scale).to_pil().convert("RGB")
        finally:
            pdf.close()
    except pdfium.PdfiumError as exc:
        raise IngestError(f"cannot render page {page} of {document.id}: {exc}",
                          doc=document.id, page=page) from exc
    draw = ImageDraw.Draw(image)
    width = max(2, round(scale * 1.5))
    for x0, top, x1, bottom in boxes:
        pad = 2
        draw.rectangle([(x0 - pad) * scale, (top - pad) * scale, (x1 + pad) * scale,
                        (bottom + pad) * scale], outline=HIGHLIGHT, width=width)
    if crop is not None:
        x0, top, x1, bottom = crop
        image = image.crop((max(0, (x0 - margin) * scale), max(0, (top - margin) * scale),
                            min(image.width, (x1 + margin) * scale),
                            min(image.height, (bottom + margin) * scale)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def page_crop(document: Document, citation: Citation, scale: float = DEFAULT_SCALE) -> bytes | None:
    """The part of the cited page around the citation's box (full width), or None without one."""
    if citation.bbox is None or citation.page is None:
        return None
    x0, top, x1, bottom = citation.bbox
    try:
        return render_page(document, citation.page, [citation.bbox], scale=scale,
                           crop=(0, top - 60, 10_000, bottom + 60), margin=0)
    except BudgetQAError:
        return None


@dataclass(frozen=True)
class CitedRow:
    """A table row that holds a cited cell, with every cell and which of them were used."""

    table: str
    label: str
    unit: str
    page: int | None
    cells: tuple[tuple[str, str, bool], ...]  # (column, printed, used)


def cited_cell(cells: tuple[Cell, ...], citation: Citation) -> Cell | None:
    """The stored cell a cell citation points at (same table, column, printed value, page,
    row and box), or None."""
    for cell in cells:
        if (cell.table_title == citation.table and cell.column == citation.column
                and cell.printed == citation.value and cell.page == citation.page
                and (cell.row_label == citation.row or not cell.row_label)
                and (citation.bbox is None or cell.bbox is None
                     or _near(cell.bbox, citation.bbox))):
            return cell
    return None


def cited_rows(cells: tuple[Cell, ...], citations: tuple[Citation, ...]) -> list[CitedRow]:
    """The rows of the cited cells, in citation order, with the used cells marked."""
    used: dict[str, set[str]] = {}
    order: list[str] = []
    by_row: dict[str, list[Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row_id, []).append(cell)
    for citation in citations:
        if citation.kind != "cell":
            continue
        cell = cited_cell(cells, citation)
        if cell is None:
            continue
        if cell.row_id not in used:
            order.append(cell.row_id)
        used.setdefault(cell.row_id, set()).add(cell.id)
    rows = []
    for row_id in order:
        row = by_row[row_id]
        first = row[0]
        rows.append(CitedRow(table=first.table_title, label=first.row_label or "(未命名行)",
                             unit=first.unit, page=first.page,
                             cells=tuple((c.column, c.printed, c.id in used[row_id]) for c in row)))
    return rows


def _near(a: BBox, b: BBox) -> bool:
    return all(abs(x - y) < 0.6 for x, y in zip(a, b))


def breakdown(table: ParsedTable, level: int = 1) -> list[tuple[str, Decimal]]:
    """(label, value) of a table's rows at `level` (1: 类 of 功能分类, or 经济分类), first column.

    Rows with no value or zero are left out; the unit is the table's.
    """
    out = []
    for row in table.rows:
        if row.level == level and row.cells and row.cells[0].value:
            out.append((row.label, row.cells[0].value))
    return out


@dataclass(frozen=True)
class YearFigure:
    year: int | None
    doc: str
    value_wan: Decimal  # in 万元, so years printed in 元 and 万元 compare
    printed: str
    unit: str


def same_series(documents: list[Document], doc_id: str) -> list[Document]:
    """The documents of the same publisher and kind as `doc_id`, oldest first."""
    chosen = next((d for d in documents if d.id == doc_id), None)
    if chosen is None:
        raise NotFound(f"unknown document id {doc_id!r}", doc=doc_id)
    return sorted((d for d in documents if d.publisher == chosen.publisher
                   and d.kind == chosen.kind), key=lambda d: (d.year or 0, d.id))


def compare_years(app, question: str, doc_id: str) -> list[YearFigure]:
    """The same question asked of each year's document of the series; figures that answer it.

    The question is asked without the year it names ("2024年三公经费是多少" would take every
    document's answer from 2024's), and not at all when it names a year relative to the
    document (上年, 去年): each year's figure must come from that year's own document. Only
    lookup answers in money units count, so a chart never mixes a figure with a share.
    """
    if _RELATIVE_YEAR.search(question):
        return []
    question = _YEAR.sub("", question)
    out = []
    for document in same_series(app.documents(), doc_id):
        try:
            answer = app.ask(question, document.id)
        except BudgetQAError:
            continue
        own = all(c.doc == document.id for c in answer.citations)
        if (own and answer.route == "lookup" and answer.value is not None
                and answer.unit in _TO_WAN):
            out.append(YearFigure(document.year, document.id, answer.value * _TO_WAN[answer.unit],
                                  format(answer.value, "f"), answer.unit))
    return out
