"""A balance at two year-ends: "债务余额2024年末比2023年末增加了多少", "余额同比增长了多少".

A government final account prints a stock (政府债务余额) as rows of one table — "一、2023年末
地方政府债务余额" and "六、2024年末地方政府债务余额决算数" — not as a 上年 column beside this
year's. A question about its change names the balance once and the two year-ends (or 同比 /
比上年); the router's pair readers look for two measures in one row, or two items on either side
of 比, and find neither. This module pairs the two rows of the item asked, in the column of the
level asked (本级, else the whole area), with their parts ("其中：一般债务", "专项债务") when the
question names one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from calc.operations import Operand
from qa.linking import Candidate, Mention, RowView
from qa.operands import Context, cell_operand
from qa.text import norm, strip_numbering

# "2023年末地方政府债务余额", "2024年末地方政府债务余额决算数": the year, and the item.
_YEAR_END_ROW = re.compile(r"^(20\d{2})年(末|底)(?P<item>.{4,}?)(决算数|预算数|执行数|数)?$")
# A change of the balance asked: two year-ends, or a change against last year.
_CHANGE_ASKED = re.compile(r"20\d{2}年(末|底).*比.*20\d{2}年(末|底)|同比|比上年|比去年|"
                           r"比上一年|(增长|增加|减少|下降|变化|变动)了?(多少|百分之|几)")
# Another figure against which the balance is measured: not a change over time.
_OTHER_BASE = re.compile(r"限额|预算|收入|支出|占|倍")
_OWN_LEVEL = re.compile(r"本级")
# The shortest piece of an item's name a question may use for it ("债务余额").
_LEAST_NAME = 4


def _year_end_rows(ctx: Context) -> dict[tuple[str, str], dict[int, RowView]]:
    """Rows that print a balance at a year's end, by (table, item) and year."""
    out: dict[tuple[str, str], dict[int, RowView]] = {}
    for row in ctx.view.rows:
        m = _YEAR_END_ROW.match(strip_numbering(norm(row.label)))
        if m:
            out.setdefault((row.table_id, m.group("item")), {})[int(m.group(1))] = row
    return out


def _named_piece(text: str, item: str) -> str:
    """The longest ending of the item's name (at least four characters) the question holds."""
    for start in range(0, len(item) - _LEAST_NAME + 1):
        if item[start:] in text:
            return item[start:]
    return ""


def _part(ctx: Context, row: RowView, text: str) -> RowView | None:
    """The part of `row` ("其中：一般债务") the question names before the balance, if any."""
    for child in ctx.view.tables[row.table_id]:
        if child.parent_id != row.row_id:
            continue
        name = re.sub(r"^其中[:：]?", "", strip_numbering(norm(child.label)))
        if len(name) >= 2 and name in text:
            return child
    return None


def _level_cell(row: RowView, own_level: bool):
    """The row's figure at the level asked: the 本级 column, else the whole area's."""
    cells = [c for c in row.cells if c.value is not None]
    if own_level:
        return next((c for c in cells if c.scope == "本级"), None)
    return next((c for c in cells if c.scope not in ("本级", "市县")), None)


def year_end_pair(ctx: Context) -> tuple[Operand, Operand] | None:
    """The balance the question names at the later and at the earlier year-end (in that order:
    later − earlier is the change), or None when the question does not ask such a change or the
    document prints no two year-end rows of it."""
    text = ctx.reading.normalised
    if not _CHANGE_ASKED.search(text) or _OTHER_BASE.search(text):
        return None
    best: tuple[int, dict[int, RowView]] | None = None
    for (_, item), years in _year_end_rows(ctx).items():
        piece = _named_piece(text, item)
        if piece and len(years) >= 2 and (best is None or len(piece) > best[0]):
            best = (len(piece), years)
    if best is None:
        return None
    years = best[1]
    later_year = ctx.doc.year if ctx.doc.year in years else max(years)
    if later_year - 1 not in years:
        return None
    later, earlier = years[later_year], years[later_year - 1]
    later_part, earlier_part = _part(ctx, later, text), _part(ctx, earlier, text)
    if (later_part is None) != (earlier_part is None):
        return None  # a part named under one year-end only: not the same item twice
    names = [None, None]
    if later_part is not None:
        # A part is printed bare ("专项债务"): name it with its year-end.
        part = re.sub(r"^其中[:：]?", "", strip_numbering(norm(later_part.label)))
        names = [f"{later_year}年末{part}", f"{later_year - 1}年末{part}"]
        later, earlier = later_part, earlier_part
    own_level = bool(_OWN_LEVEL.search(text))
    cells = (_level_cell(later, own_level), _level_cell(earlier, own_level))
    if None in cells:
        return None
    operands = []
    for row, cell, name in zip((later, earlier), cells, names):
        mention = Mention(0, 0, norm(row.label), rows=(row,))
        operand = cell_operand(Candidate(row, cell, 1.0, mention))
        operands.append(replace(operand, label=name) if name else operand)
    return operands[0], operands[1]
