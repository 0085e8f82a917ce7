"""Page geometry for the table parser: words grouped into cell blocks, rows and text lines.

pdfplumber finds the ruled table regions and their cells; this module turns
the words of a page into what the table builder reasons about:

* a `Block` is the text of one table cell on one line, or of a wrapped cell
  over several lines, with its text box and the box of the cell around it;
* a `Row` is the blocks of one table whose text shares a baseline band;
* a `Line` is a line of text outside every table region (titles, units, notes).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from budgetqa.domain import BBox
from ingest.numbers import parse_amount

# Lines that state who published the table or in which unit: never wrapped
# together with a title line in the same cell.
META = re.compile(r"(单位\s*[:：]|部门\s*[:：]|编制(部门|单位)|部门名称\s*[:：]|预算单位\s*[:：])")


@dataclass(frozen=True)
class Block:
    """Text of one cell (possibly wrapped over lines) with its boxes."""

    text: str
    bbox: BBox  # box of the text itself
    cell: BBox  # box of the ruled cell holding it (the text box when unruled)
    size: float  # font size, to tell wrapped lines from the next row
    # Left edge of the first line when the text wraps: where an indented label starts
    # (its second line may start further left, under the indent).
    lead: float | None = None

    @property
    def x_start(self) -> float:
        return self.bbox[0] if self.lead is None else self.lead

    @property
    def xc(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def yc(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


@dataclass
class Row:
    """Blocks of one table region sharing a text band, left to right."""

    page: int
    region: int  # index of the table region on its page
    blocks: list[Block] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(b.bbox[1] for b in self.blocks)

    @property
    def bottom(self) -> float:
        return max(b.bbox[3] for b in self.blocks)

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks)


@dataclass
class Line:
    """A line of text outside every table region."""

    page: int
    text: str
    bbox: BBox
    size: float
    # Gap-separated pieces, and whether the line touches a ruled region: the
    # first row of a continued table is sometimes drawn just outside the ruling.
    blocks: list[Block] = field(default_factory=list)
    near_region: int | None = None

    @property
    def top(self) -> float:
        return self.bbox[1]


def _inside(x: float, y: float, box: BBox, tol: float = 0.5) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def _area(box: BBox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _union(boxes: list[BBox]) -> BBox:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _join_words(words: list[dict]) -> str:
    """Join the words of one line; a visible gap becomes a space ("208 05 05")."""
    words = sorted(words, key=lambda w: w["x0"])
    out = words[0]["text"]
    for prev, word in zip(words, words[1:]):
        gap = word["x0"] - prev["x1"]
        out += (" " if gap > 0.3 * max(word.get("size", 9), 1) else "") + word["text"]
    return out


def _lines_of(words: list[dict]) -> list[list[dict]]:
    """Group words into lines by their vertical middle."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        mid = (word["top"] + word["bottom"]) / 2
        if lines:
            last = lines[-1]
            top = min(w["top"] for w in last)
            bottom = max(w["bottom"] for w in last)
            if top - 1 <= mid <= bottom + 1:
                last.append(word)
                continue
        lines.append([word])
    return lines


def _size(words: list[dict]) -> float:
    return max(float(w.get("size") or (w["bottom"] - w["top"])) for w in words)


def _cell_blocks(words: list[dict], cell: BBox | None, one_name: bool = False) -> list[Block]:
    """Blocks of one cell: its lines, wrapped lines merged into one block.

    `one_name` says that the cell is known to hold a single row, so all its
    text lines are one name however widely they are spaced.
    """
    blocks: list[Block] = []
    for line in _lines_of(words):
        text = _join_words(line)
        box = _union([(w["x0"], w["top"], w["x1"], w["bottom"]) for w in line])
        size = _size(line)
        if blocks:
            prev = blocks[-1]
            # A wrapped line continues the cell: same font, tight leading, no
            # unit/department line and no amount on either side of the break.
            if (cell is not None and abs(prev.size - size) < 0.6
                    and (one_name or box[1] - prev.bbox[3] < 0.8 * size)
                    and not META.search(text) and not META.search(prev.text)
                    and parse_amount(text) is None and parse_amount(prev.text) is None):
                blocks[-1] = Block(prev.text + text, _union([prev.bbox, box]), prev.cell, prev.size,
                                   prev.x_start)
                continue
        blocks.append(Block(text, box, cell if cell is not None else box, size))
    return blocks


def _amount_lines(words: list[dict]) -> int:
    """How many lines of a cell print an amount."""
    return sum(parse_amount(_join_words(line)) is not None for line in _lines_of(words))


def _single_row_cell(cells: list, c: int, amount_lines: dict[int, int]) -> bool:
    """Whether ruled cell `c` is known to hold one table row.

    So it is when it holds no amount and the cells ruled with the same top and
    bottom hold one amount line each, at least one of them: then its text
    lines, however widely spaced ("公务用车运" … "行维护费"), are one wrapped
    text. Where the horizontal rules are missing, the cells beside it hold
    several amounts, and its lines stay separate rows.
    """
    if amount_lines.get(c, 0):
        return False
    top, bottom = cells[c][1], cells[c][3]
    mates = [k for k in amount_lines if k != c
             and abs(cells[k][1] - top) < 1 and abs(cells[k][3] - bottom) < 1]
    counts = [amount_lines[k] for k in mates]
    return any(counts) and all(n <= 1 for n in counts)


def _rows_of(blocks: list[Block], page: int, region: int) -> list[Row]:
    """Cluster blocks into rows: a block joins a row when its middle lies in the row's band."""
    rows: list[Row] = []
    held = Counter(b.cell for b in blocks if b.cell != b.bbox)
    lone = {cell for cell, n in held.items() if n == 1}
    for block in sorted(blocks, key=lambda b: (b.yc, b.bbox[0])):
        if rows:
            row = rows[-1]
            if (row.top - 1 <= block.yc <= row.bottom + 1 or block.bbox[1] - 1 <= _band_mid(row) <= block.bbox[3] + 1
                    or _same_ruled_row(block, row) or _shares_ruled_band(block, row, lone)):
                row.blocks.append(block)
                continue
        rows.append(Row(page, region, [block]))
    for row in rows:
        row.blocks.sort(key=lambda b: b.bbox[0])
    return _merge_split_wraps(rows)


def _same_ruled_row(block: Block, row: Row) -> bool:
    """Whether an amount sits in a ruled cell spanning the same rules as an amount of the row.

    A figure printed in a smaller font or lower in its cell ("0" under a row of
    "2,542.60 …") is still on the row whose ruled cells it shares.
    """
    if block.cell == block.bbox or parse_amount(block.text) is None:
        return False
    return any(b.cell != b.bbox and parse_amount(b.text) is not None
               and abs(b.cell[1] - block.cell[1]) < 1 and abs(b.cell[3] - block.cell[3]) < 1
               for b in row.blocks)


def _shares_ruled_band(block: Block, row: Row, lone: set[BBox]) -> bool:
    """Whether a block sits alone in a ruled cell whose top and bottom rules are those of a
    cell of the row that also holds one block only.

    A figure printed half a line above its label in the same ruled row ("941" over
    "银川市") has its middle outside the label's band; the rules still say they are one
    row. Cells holding several blocks (rules missing between rows) prove nothing.
    """
    if block.cell not in lone or parse_amount(block.text) is not None \
            or any(parse_amount(b.text) is None for b in row.blocks):
        return False  # only a name joining a row of bare figures printed above it
    return any(b.cell in lone and b.cell != block.cell
               and abs(b.cell[1] - block.cell[1]) < 1 and abs(b.cell[3] - block.cell[3]) < 1
               for b in row.blocks)


def _band_mid(row: Row) -> float:
    return (row.top + row.bottom) / 2


def _full(block: Block) -> bool:
    """Whether a line fills its cell: one more character would not fit, so its text may wrap.

    A short text in a wide ruled cell ("一般公共预算资金") did not wrap; the
    text under it is the next row. Unruled text counts as full.
    """
    return (block.bbox[2] - block.bbox[0]) + block.size > (block.cell[2] - block.cell[0]) - 1


def _merge_split_wraps(rows: list[Row]) -> list[Row]:
    """Merge a row that is only the wrapped tail of the row above.

    Some publishers draw each text line in its own box, so a label wrapped over
    two lines ("…传媒支" / "出") lands in two cells. The tail is text only, sits
    right under a text block of the row above that fills its cell, with less
    than a line's leading.
    """
    out: list[Row] = []
    for row in rows:
        if out:
            prev = out[-1]
            gap = row.top - prev.bottom
            size = max(b.size for b in row.blocks)
            if gap < 0.45 * size and all(parse_amount(b.text) is None for b in row.blocks):
                targets = []
                for block in row.blocks:
                    above = [p for p in prev.blocks
                             if p.bbox[0] - 2 <= block.bbox[0] <= p.bbox[2] and parse_amount(p.text) is None
                             and not META.search(p.text) and _full(p)]
                    # each tail continues its own block; two tails under one block are a new row
                    if not above or any(t[0] is above[0] for t in targets):
                        break
                    targets.append((above[0], block))
                else:
                    for above, block in targets:
                        i = next(k for k, p in enumerate(prev.blocks) if p.bbox[0] == above.bbox[0] and p.bbox[1] == above.bbox[1])
                        cur = prev.blocks[i]
                        prev.blocks[i] = Block(cur.text + block.text, _union([cur.bbox, block.bbox]),
                                               _union([cur.cell, block.cell]), cur.size)
                    continue
        out.append(row)
    return out


def _pieces(words: list[dict]) -> list[Block]:
    """Split a line into blocks at gaps wider than two characters."""
    words = sorted(words, key=lambda w: w["x0"])
    groups: list[list[dict]] = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        if word["x0"] - prev["x1"] > 2 * float(word.get("size") or 9):
            groups.append([word])
        else:
            groups[-1].append(word)
    out = []
    for group in groups:
        box = _union([(w["x0"], w["top"], w["x1"], w["bottom"]) for w in group])
        out.append(Block(_join_words(group), box, box, _size(group)))
    return out


def page_layout(page) -> tuple[list[BBox], list[Row | Line]]:
    """Read one pdfplumber page.

    Returns the table regions found on the page (bboxes, top to bottom) and
    the page's items in reading order: table `Row`s and outside `Line`s.
    """
    tables = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
    regions = [tuple(t.bbox) for t in tables]
    words = page.extract_words(extra_attrs=["size"])
    per_cell: dict[tuple[int, int], list[dict]] = {}
    loose: dict[int, list[dict]] = {}
    outside: list[dict] = []
    cells = [sorted(t.cells, key=_area) for t in tables]
    for word in words:
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        region = next((i for i, r in enumerate(regions) if _inside(x, y, r)), None)
        if region is None:
            outside.append(word)
            continue
        cell = next((j for j, c in enumerate(cells[region]) if _inside(x, y, c)), None)
        if cell is None:
            loose.setdefault(region, []).append(word)
        else:
            per_cell.setdefault((region, cell), []).append(word)
    items: list[Row | Line] = []
    for region in range(len(regions)):
        blocks: list[Block] = []
        amount_lines = {c: _amount_lines(w) for (r, c), w in per_cell.items() if r == region}
        for (r, c), cell_words in per_cell.items():
            if r == region:
                one = _single_row_cell(cells[region], c, amount_lines)
                blocks += _cell_blocks(cell_words, tuple(cells[region][c]), one)
        for line in _lines_of(loose.get(region, [])):
            blocks += _cell_blocks(line, None)
        items += _rows_of(blocks, page.page_number, region)
    for line in _lines_of(outside):
        box = _union([(w["x0"], w["top"], w["x1"], w["bottom"]) for w in line])
        size = _size(line)
        near = next((i for i, r in enumerate(regions)
                     if r[0] - 5 <= box[0] and box[2] <= r[2] + 5
                     and (0 <= r[1] - box[3] < 2.5 * size or 0 <= box[1] - r[3] < 2.5 * size)), None)
        items.append(Line(page.page_number, _join_words(line), box, size,
                          _pieces(line), near))
    items.sort(key=lambda it: it.top)
    return regions, items
