"""A picture of a cited table cell a phone can read: the column headers over the cell, the
row's label beside it, and nothing of the columns in between.

A full-width strip of a budget table shrinks to unreadable type on a 360 px screen and cuts
off the headers that say what the number is. This crop stitches four pieces of the rendered
page — header and row, each for the label column and the cited column — into one small image,
with a grey rule where rows or columns were left out and the cited cell outlined in red.
"""

from __future__ import annotations

import io
from pathlib import Path

from budgetqa.domain import BBox, Cell, Citation, Document
from budgetqa.errors import BudgetQAError
from budgetqa.evidence import HIGHLIGHT, cited_cell, render_page

SCALE = 2.0  # 144 dpi: 9 pt type stays about 10 px high when a phone shows the crop at 360 px
MAX_HEADER = 130.0  # points above the first data row searched for the column headers
PAD = 3.0
MAX_COLUMN = 420.0  # points: widest a header may widen the cited column's piece
GAP = 6  # pixels of grey rule between pieces that are not adjacent on the page


def cell_crop(store, document: Document, citation: Citation, scale: float = SCALE) -> bytes | None:
    """PNG of the cited cell with its column headers and row label, or None when the citation
    is not a table cell of a PDF page."""
    if citation.kind != "cell" or citation.page is None or citation.bbox is None:
        return None
    cell = cited_cell(store.cells(document.id), citation)
    return _crop(store, document, cell, scale)


def crop_at(store, document: Document, page: int, box: BBox, scale: float = SCALE) -> bytes | None:
    """The same picture for the cell printed at `box` on `page` (what a widget's citation
    carries), or None when no stored cell is there."""
    cell = next((c for c in store.cells(document.id)
                 if c.page == page and c.bbox is not None and _near(c.bbox, box)), None)
    return _crop(store, document, cell, scale)


def _crop(store, document: Document, cell: Cell | None, scale: float) -> bytes | None:
    if cell is None or cell.bbox is None or cell.page is None:
        return None
    if Path(document.source_file).suffix.lower() != ".pdf":
        return None
    in_table = [c for c in store.cells(document.id)
                if c.table_id == cell.table_id and c.bbox and c.page]
    try:
        row_page = _Page(document, cell.page, in_table, scale)
        head_page = row_page
        if row_page.header_top is None:  # a continuation page: headers are on the first page
            first = min(c.page for c in in_table)
            if first != cell.page:
                head_page = _Page(document, first, in_table, scale)
    except BudgetQAError:
        return None
    return _stitch(cell, row_page, head_page, scale)


def _near(a: BBox, b: BBox) -> bool:
    return all(abs(x - y) < 0.6 for x, y in zip(a, b))


class _Page:
    """One rendered page of the table with the positions the crop needs."""

    def __init__(self, document: Document, page: int, in_table: list[Cell], scale: float):
        from PIL import Image

        on_page = [c for c in in_table if c.page == page]
        self.image = Image.open(io.BytesIO(render_page(document, page, [], scale=scale)))
        self.image = self.image.convert("RGB")
        self.words = _page_words(document, page)
        self.first_top = min(c.bbox[1] for c in on_page)
        self.numbers_left = min(c.bbox[0] for c in on_page)
        self.header_top = _header_top(on_page, self.words, self.first_top)

    def piece(self, xr: tuple[float, float], yr: tuple[float, float], scale: float):
        box = (max(0, round(xr[0] * scale)), max(0, round(yr[0] * scale)),
               min(self.image.width, round(xr[1] * scale)),
               min(self.image.height, round(yr[1] * scale)))
        return self.image.crop(box)


def _page_words(document: Document, page: int) -> list[dict]:
    import pdfplumber

    try:
        with pdfplumber.open(document.source_file) as pdf:
            return pdf.pages[page - 1].extract_words(keep_blank_chars=False)
    except Exception:  # a page pdfium rendered but pdfplumber cannot read: crop without words
        return []


def _stitch(cell: Cell, row_page: _Page, head_page: _Page, scale: float) -> bytes:
    from PIL import Image, ImageDraw

    x0, top, x1, bottom = cell.bbox
    label_left = _label_left(cell, row_page.words, row_page.numbers_left)
    column = _column_span(cell, head_page)
    if label_left is None:  # a table without row labels (a 三公 table's one row): no label piece
        xs = [column]
    else:
        label = (label_left - PAD, row_page.numbers_left - PAD)
        joined_columns = column[0] - label[1] < 2 * PAD  # the cited column is the first one
        xs = [(label[0], column[1])] if joined_columns else [label, column]
    header_top = head_page.header_top if head_page.header_top is not None \
        else head_page.first_top - 40
    header = (header_top - PAD, head_page.first_top - 1)
    row = (top - PAD, bottom + PAD)
    if head_page is row_page and row[0] - header[1] < 2 * PAD:  # the first row: one band
        bands = [(row_page, (header[0], row[1]))]
    else:
        bands = [(head_page, header), (row_page, row)]
    grid = [[page.piece(xr, yr, scale) for xr in xs] for page, yr in bands]
    widths = [g.width for g in grid[0]]
    heights = [r[0].height for r in grid]
    out = Image.new("RGB", (sum(widths) + GAP * (len(widths) - 1),
                            sum(heights) + GAP * (len(heights) - 1)), (160, 160, 160))
    y = 0
    for r, images in enumerate(grid):
        x = 0
        for c, image in enumerate(images):
            out.paste(image, (x, y))
            x += widths[c] + GAP
        y += heights[r] + GAP
    # The cited cell: the last piece of the last band.
    cx = out.width - widths[-1] + round((x0 - PAD - xs[-1][0]) * scale)
    cy = out.height - heights[-1] + round((top - PAD - bands[-1][1][0]) * scale)
    ImageDraw.Draw(out).rectangle([cx + 1, cy + 1, cx + round((x1 - x0 + 2 * PAD) * scale) - 2,
                                   cy + round((bottom - top + 2 * PAD) * scale) - 2],
                                  outline=HIGHLIGHT, width=max(2, round(scale * 1.5)))
    buffer = io.BytesIO()
    out.save(buffer, format="PNG")
    return buffer.getvalue()


def _header_top(on_page: list[Cell], words: list[dict], first_top: float) -> float | None:
    """Top of the column headers: the highest word above the first data row, within reach,
    that is part of one of the table's column names (e.g. 支出预算, 合计, 基本支出)."""
    names = {segment for c in on_page for segment in c.column.split("/") if segment}
    joined = "".join(names)
    tops = [w["top"] for w in words
            if first_top - MAX_HEADER <= w["top"] and w["bottom"] <= first_top + 1
            and len(w["text"]) >= 2 and w["text"] in joined]
    return min(tops) if tops else None


def _column_span(cell: Cell, head_page: "_Page") -> tuple[float, float]:
    """The cited column's x-range, widened to take in a header that spans it and its
    neighbours (e.g. "2024年“三公”经费预算数" over 合计, 因公出国(境)费, 公务接待费…)."""
    x0, x1 = cell.bbox[0] - PAD, cell.bbox[2] + PAD
    # Long names only: a short spanning header (支出预算) over the next columns adds little.
    own = [s for s in cell.column.split("/") if len(s) >= 6]
    top = head_page.header_top if head_page.header_top is not None else head_page.first_top
    for w in head_page.words:
        if w["text"] in own and top - 1 <= w["top"] and w["bottom"] <= head_page.first_top + 1:
            x0, x1 = min(x0, w["x0"] - PAD), max(x1, w["x1"] + PAD)
    if x1 - x0 > MAX_COLUMN:  # never the whole page: the cited cell stays legible on a phone
        x0, x1 = cell.bbox[0] - PAD, cell.bbox[2] + PAD
    return x0, x1


def _label_left(cell: Cell, words: list[dict], numbers_left: float) -> float | None:
    """Left edge of the row's text (code and label) on the cited row's line; None when the row
    prints none."""
    _, top, _, bottom = cell.bbox
    lefts = [w["x0"] for w in words
             if w["x1"] <= numbers_left and w["bottom"] > top and w["top"] < bottom]
    return min(lefts) if lefts else None
