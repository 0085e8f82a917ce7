"""Columns of a table draft: header blocks → column paths with x-ranges and kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.pdf_table_layout import Block, Row
from ingest.pdf_table_text import is_amount, is_code_header, is_percent, is_text_header, squash


@dataclass
class Column:
    """A leaf column: its header path, x-range on the page, and kind."""

    path: tuple[str, ...]
    x0: float
    x1: float
    kind: str = ""  # "code", "text" or "number"

    @property
    def name(self) -> str:
        return "/".join(self.path)

    @property
    def leaf(self) -> str:
        return self.path[-1] if self.path else ""


def _boundaries(spans: list[tuple[float, float]], tol: float = 3.0) -> list[float]:
    xs = sorted(x for span in spans for x in span)
    out: list[float] = []
    for x in xs:
        if not out or x - out[-1] > tol:
            out.append(x)
    return out


def _continues(upper: Block, lower: Block) -> bool:
    """Whether `lower` is the next text line of the header name in `upper`.

    Some publishers draw a box around every text line, so one header name
    wrapped over lines ("因公出国" / "（境）费") arrives as stacked cells. Such
    cells have the same left and right rules, touch each other, their text
    lines follow with a line's leading, and the upper line is full: one more
    character would not have fitted in its cell, so the name had to wrap. A
    sub-header under a merged cell is narrower than the cell above it, and a
    category cell over an equally wide one ("支出" over "支出用途") is not full.
    """
    size = max(upper.size, lower.size)
    full = (upper.bbox[2] - upper.bbox[0]) + upper.size > (upper.cell[2] - upper.cell[0]) - 1
    return (full and abs(upper.cell[0] - lower.cell[0]) < 3 and abs(upper.cell[2] - lower.cell[2]) < 3
            and abs(lower.cell[1] - upper.cell[3]) < 2
            and -1 < lower.bbox[1] - upper.bbox[3] < 0.8 * size
            and not is_amount(upper.text) and not is_amount(lower.text))


def _same_cell(upper: Block, lower: Block) -> bool:
    """Whether two header blocks are lines of one ruled cell (spread out to fill a tall cell)."""
    ruled = upper.cell != upper.bbox and lower.cell != lower.bbox
    return ruled and all(abs(a - b) < 1 for a, b in zip(upper.cell, lower.cell))


def join_wrapped_header(blocks: list[Block]) -> list[Block]:
    """Join header blocks that are lines of one name into one block, top to bottom.

    Lines of text within one ruled header cell are one name, however far apart
    they are printed; so are lines drawn in stacked boxes of one wrapped name.
    """
    out: list[Block] = []
    for block in sorted(blocks, key=lambda b: (b.bbox[1], b.bbox[0])):
        k = next((k for k, up in enumerate(out) if _same_cell(up, block) or _continues(up, block)), None)
        if k is None:
            out.append(block)
            continue
        up = out[k]
        out[k] = Block(up.text + block.text, _union(up.bbox, block.bbox), _union(up.cell, block.cell), up.size)
    return out


def _union(a: tuple, b: tuple) -> tuple:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


# A column's place in the table's arithmetic: "A", "B", "A=B+C", "D=E+F", "G=A-D".
FORMULA_LETTERS = re.compile(r"[A-Z]([=＝][A-Z]([+＋\-－][A-Z])*)?")


def header_columns(header: list[Row]) -> list[Column]:
    """Leaf columns of merged header cells.

    Each header block covers the x-range of its ruled cell; the distinct cell
    edges cut the header into slices, and each slice's path is the texts of
    the blocks covering it, top to bottom ("基本支出" over "人员经费" gives
    ("基本支出", "人员经费")). Adjacent slices covered by the very same blocks
    are one column. Lines of one name drawn in stacked boxes are one block.
    """
    blocks = join_wrapped_header([b for row in header for b in row.blocks if squash(b.text)])
    if not blocks:
        return []
    edges = _boundaries([(b.cell[0], b.cell[2]) for b in blocks])
    slices: list[tuple[float, float, list[int]]] = []
    for a, b in zip(edges, edges[1:]):
        cover = [i for i, blk in enumerate(blocks) if blk.cell[0] <= a + 3 and blk.cell[2] >= b - 3]
        if cover:
            slices.append((a, b, cover))
    # The gap between two ruled cells under one merged header is covered by the
    # merged header only: a slice whose cover is part of a neighbour's is a gap.
    kept = [s for k, s in enumerate(slices)
            if not any(0 <= n < len(slices) and set(s[2]) < set(slices[n][2]) for n in (k - 1, k + 1))]
    columns: list[Column] = []
    last_cover: list[int] | None = None
    for a, b, cover in kept:
        if cover == last_cover and abs(columns[-1].x1 - a) < 4:
            columns[-1].x1 = b
            continue
        ordered = sorted(cover, key=lambda i: (blocks[i].bbox[1], blocks[i].bbox[0]))
        path = tuple(dict.fromkeys(squash(blocks[i].text) for i in ordered))
        # "2025年债务限额" over "A=B+C", "一般债务" over "B": the letters say how columns add
        # up, like a 栏次 row; they are not the column's name.
        named = tuple(p for p in path if not FORMULA_LETTERS.fullmatch(p))
        columns.append(Column(named or path, a, b))
        last_cover = cover
    return columns


def data_columns(rows: list[Row]) -> list[Column]:
    """Columns for a table whose header was not found: one per ruled cell span, named 列1, 列2…"""
    spans = [(b.cell[0], b.cell[2]) for row in rows for b in row.blocks]
    edges = _boundaries(spans)
    columns = []
    for a, b in zip(edges, edges[1:]):
        if any(blk.xc >= a and blk.xc < b for row in rows for blk in row.blocks):
            columns.append(Column((f"列{len(columns) + 1}",), a, b))
    return columns


def column_of(block: Block, columns: list[Column]) -> int:
    """Index of the column holding a block: the one around its text centre, else the nearest."""
    x = block.xc
    if not is_amount(block.text):
        # A label in a merged cell ("合计" across 类/款/项 and 科目名称) belongs
        # to the first column its cell spans, not to where its centred text falls.
        spanned = [i for i, col in enumerate(columns)
                   if block.cell[0] - 2 <= (col.x0 + col.x1) / 2 <= block.cell[2] + 2]
        if len(spanned) > 1:
            return spanned[0]
    for i, col in enumerate(columns):
        if col.x0 - 1 <= x <= col.x1 + 1:
            return i
    return min(range(len(columns)), key=lambda i: min(abs(columns[i].x0 - x), abs(columns[i].x1 - x)))


_DASHES = frozenset({"-", "--", "—", "——", "－", "–"})


def classify(columns: list[Column], grid: list[list[str]]) -> None:
    """Set each column's kind from its header and the texts found under it.

    `grid` holds the body texts per row and column. 科目编码 headers make code
    columns; columns whose filled cells are mostly amounts are numbers; empty
    columns are numbers unless their header names a text column.
    """
    for j, col in enumerate(columns):
        # A dash marks a cell without a figure (a 项 has no 预算数 in a 决算): no text.
        values = [row[j].strip() for row in grid if row[j].strip() and row[j].strip() not in _DASHES]
        if is_code_header(col.leaf) or any(is_code_header(p) for p in col.path[-1:]):
            col.kind = "code"
        elif not values:
            col.kind = "text" if is_text_header(col.leaf) else "number"
        else:
            amounts = sum(is_amount(v) or is_percent(v) for v in values)
            col.kind = "number" if amounts >= 0.6 * len(values) and not is_text_header(col.leaf) else "text"
            # Numbers under a text header are amounts, unless they number the rows (序号, 行次).
            if col.kind == "text" and amounts == len(values) and not any(
                    "序号" in p or "行次" in p for p in col.path):
                col.kind = "number"


def groups_of(columns: list[Column]) -> list[list[int]]:
    """Split columns into side-by-side groups: each a run of text/code columns then numbers.

    A 收支总表 prints 收入 (项目 | 金额) beside 支出 (项目 | 金额): two groups.
    A trailing run without numbers joins the group before it.
    """
    groups: list[list[int]] = []
    for j, col in enumerate(columns):
        starts_group = col.kind != "number" and (not groups or columns[groups[-1][-1]].kind == "number")
        if starts_group or not groups:
            groups.append([j])
        else:
            groups[-1].append(j)
    merged: list[list[int]] = []
    for group in groups:
        if merged and not any(columns[j].kind == "number" for j in group):
            merged[-1] += group
        else:
            merged.append(group)
    return merged
