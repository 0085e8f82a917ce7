"""Turn an assembled table draft into a ParsedTable: columns, codes, labels, levels, parents.

Levels come from 科目编码, else from numbering (一、/（一）/1.); a side whose labels are
indented instead takes its levels from the indent when its parents then add up. A top row
printed after its parts (全区一般公共预算收入 after 税收收入, 非税收入) or a flat row before
rows adding up to it (年初结转和结余 before its funds) becomes their parent; rows listed
under a "其中：" row are its siblings, parts of the same parent. A letter-spaced label that is no
合计 ("州 本 级 … 收 入") closes the top rows above it when they add up; a subtotal printed after
its parts is no parent of the rows below it. Percentages are values in
"%". Performance-target tables go on to `ingest.performance_targets` (one row per indicator).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from calc.reconcile import reconcile_errors
from ingest.numbers import parse_amount, parse_percent
from ingest.pdf_table_assemble import Draft
from ingest.pdf_table_columns import (Column, classify, column_of, data_columns, groups_of,
                                      header_columns)
from ingest.pdf_table_layout import Block, Row
from ingest.performance_targets import is_target_table, read_indicators
from ingest.pdf_table_text import (close_letter_spacing, is_amount, is_label_header, is_percent, is_subset, is_total,
                                   numbering_level, split_code_label)


def _merge_orphan_values(rows: list[Row]) -> list[Row]:
    """Join a row of bare amounts to the label-only row just above it.

    Some publishers draw the amount of a tall cell a line lower than its label,
    so the two land in separate bands.
    """
    out: list[Row] = []
    for row in rows:
        if (out and all(is_amount(b.text) for b in row.blocks)
                and not any(is_amount(b.text) for b in out[-1].blocks)
                and out[-1].page == row.page
                and row.top - out[-1].bottom < 1.2 * max(b.size for b in row.blocks)):
            out[-1] = Row(row.page, row.region, out[-1].blocks + row.blocks)
            continue
        out.append(row)
    return out


def _grid(rows: list[Row], columns: list[Column]) -> list[list[list[Block]]]:
    grid = []
    for row in rows:
        cells: list[list[Block]] = [[] for _ in columns]
        for block in row.blocks:
            cells[column_of(block, columns)].append(block)
        grid.append(cells)
    return grid


def _text(blocks: list[Block]) -> str:
    return " ".join(b.text.strip() for b in blocks).strip()


class _CodeState:
    """Remembers the last 类/款 printed so that a 款 row "  | 05 |" reads as 20805."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def code(self, pieces: list[str]) -> str:
        if len(pieces) == 1:
            return pieces[0]
        if not any(pieces):
            return ""
        first = next(i for i, p in enumerate(pieces) if p)
        last = max(i for i, p in enumerate(pieces) if p)
        parts = self.parts[:first] + pieces[first:last + 1]
        if len(parts) < first or any(not p for p in parts):
            return "".join(pieces)
        self.parts = parts
        return "".join(parts)


def _side_rows(group: list[int], columns: list[Column], grid, rows: list[Row]) -> list[dict]:
    """Rows of one side-by-side group as plain dicts (label, code, qualifiers, cells)."""
    code_cols = [j for j in group if columns[j].kind == "code"]
    text_cols = [j for j in group if columns[j].kind == "text"]
    num_cols = [j for j in group if columns[j].kind == "number"]
    label_col = next((j for j in text_cols if is_label_header(columns[j].leaf)), text_cols[0] if text_cols else None)
    state = _CodeState()
    out = []
    for cells, row in zip(grid, rows):
        label = _text(cells[label_col]) if label_col is not None else ""
        if not label and label_col is not None:
            # one merged label cell ("支出合计") can serve the label columns of two sides
            mid = (columns[label_col].x0 + columns[label_col].x1) / 2
            label = next((b.text for b in row.blocks if not is_amount(b.text)
                          and b.cell[0] - 2 <= mid <= b.cell[2] + 2 and b.cell[2] - b.cell[0] > columns[label_col].x1 - columns[label_col].x0 + 20), "")
        pieces, stray = [], []
        for n, j in enumerate(code_cols):
            # 款 and 项 are two digits; some spreadsheets drop the leading zero ("301 2").
            words = _text(cells[j]).split()
            text = "".join(w.zfill(2) if (k or n) and w.isdigit() and len(w) == 1 else w
                           for k, w in enumerate(words))
            if text and not text.isdigit():
                stray.append(_text(cells[j]))  # e.g. 合计 printed across the code columns
                text = ""
            pieces.append(text)
        code = state.code(pieces) if code_cols else ""
        if stray:
            label = " ".join(dict.fromkeys(stray + ([label] if label else [])))
        closed = close_letter_spacing(label)
        # Letter spacing is how some government budgets mark a subtotal
        # ("全 州 政 府 性 基 金 预 算 收 入"): the mark is kept after closing the spaces.
        spaced, label = closed != label, closed
        if not code:
            code, label = split_code_label(label)
            if code and not code_cols:
                pass
        own_col = label_col
        if not label and not code:
            # Tables of several text columns (采购品目大类 | 专项名称 | … | 采购物品名称)
            # name each row in the first column it fills: "合计", "一、货物A", "PC服务器".
            # A 行次/序号 column numbers the rows; it never names one.
            own_col = next((j for j in text_cols if _text(cells[j])
                            and not any(w in columns[j].leaf for w in ("行次", "序号"))), label_col)
            if own_col is not None:
                label = _text(cells[own_col])
        qualifiers = tuple((columns[j].name, _text(cells[j])) for j in text_cols
                           if j != own_col and _text(cells[j]))
        values = []
        for j in num_cols:
            blocks = cells[j]
            printed = _text(blocks)
            value, unit = parse_amount(printed), ""
            if value is None and is_percent(printed):
                value, unit = parse_percent(printed), "%"
            values.append(ParsedCell(
                column=columns[j].name, printed=printed, value=value, unit=unit,
                page=blocks[0].page if blocks and hasattr(blocks[0], "page") else row.page,
                bbox=tuple(round(v, 2) for v in blocks[0].cell) if blocks else None))
        if not label and not code and not any(c.printed for c in values):
            continue
        # Top line first: a wrapped label's tail ("收入") may sit further left, under it.
        label_blocks = sorted(cells[label_col], key=lambda b: b.bbox[1]) if label_col is not None else []
        out.append(dict(label=label, code=code, qualifiers=qualifiers, cells=tuple(values), page=row.page,
                        spaced=spaced,
                        label_box=label_blocks[0].bbox if label_blocks else None,
                        label_x=label_blocks[0].x_start if label_blocks else None,
                        fields={columns[j].name: [(b.text.strip(), b.cell if len(cells[j]) == 1 else b.bbox,
                                                   b.bbox, None if b.cell == b.bbox else b.cell)
                                                  for b in cells[j] if b.text.strip()] for j in group},
                        size=label_blocks[0].size if label_blocks else 0.0,
                        value_box=next((cells[j][0].bbox for j in num_cols if cells[j]), None)))
    return _join_wrapped_labels(out)


def _join_wrapped_labels(items: list[dict]) -> list[dict]:
    """Rejoin a label wrapped over two lines whose amounts sit between the lines.

    When each printed line has its own cell, "三、单位预留机动经" / "费" become
    two label-only rows with a label-less row of amounts between them.
    """
    out: list[dict] = []
    i = 0
    while i < len(items):
        item = items[i]
        prev = out[-1] if out else None
        if (prev is not None and not item["label"] and not item["code"] and item["value_box"]
                and prev["label_box"] and not any(c.printed for c in prev["cells"])
                and prev["page"] == item["page"]
                and item["value_box"][1] < prev["label_box"][3] + prev["size"]):
            merged = dict(prev, cells=item["cells"])
            nxt = items[i + 1] if i + 1 < len(items) else None
            if (nxt is not None and nxt["label_box"] and not any(c.printed for c in nxt["cells"])
                    and not nxt["code"] and not numbering_level(nxt["label"]) and nxt["page"] == item["page"]
                    and nxt["label_box"][1] - prev["label_box"][3] < 0.8 * prev["size"]):
                merged["label"] = prev["label"] + nxt["label"]
                i += 1
            out[-1] = merged
        else:
            out.append(item)
        i += 1
    return out


def _levels(items: list[dict]) -> list[tuple[int, int | None]]:
    """Level and parent index of each row of one side, from codes or numbering."""
    result: list[tuple[int, int | None]] = []
    for i, item in enumerate(items):
        label, code = item["label"], item["code"]
        if is_total(label) and not code:
            result.append((0, None))
            continue
        if is_subset(label):
            parent = next((k for k in range(i - 1, -1, -1) if not is_subset(items[k]["label"])), None)
            result.append((0, parent))
            continue
        if code:
            level = {3: 1, 5: 2, 7: 3}.get(len(code), 0)
            parent = next((k for k in range(i - 1, -1, -1)
                           if items[k]["code"] and len(items[k]["code"]) < len(code)
                           and code.startswith(items[k]["code"])), None)
            result.append((level, parent))
            continue
        level = numbering_level(label)
        parent = None
        if level:
            for k in range(i - 1, -1, -1):
                if is_total(items[k]["label"]) and not items[k]["code"]:
                    break
                if result[k][0] and result[k][0] < level and not items[k]["code"]:
                    parent = k
                    break
        result.append((level, parent))
    return result


def _indent_levels(items: list[dict]) -> list[tuple[int, int | None]] | None:
    """Level and parent of each row from how far its label is indented, or None.

    Government budgets and 决算 print no 科目编码, and number few rows if any:
    "一、税收收入" is followed by " 增值税", " 企业所得税" set in by a character or
    two. Labels are compared with the leftmost label of their page; each distinct
    indent is a level. None when the rows have codes (those decide) or are not
    indented.
    """
    if any(it["code"] for it in items):
        return None
    lefts: dict[int, float] = {}
    for it in items:
        if it["label_x"] is not None and not is_total(it["label"]):
            lefts[it["page"]] = min(lefts.get(it["page"], it["label_x"]), it["label_x"])
    # A page that continues a table may start under a 款 and print no 类 at all: its
    # leftmost label is indented. Pages whose leftmost label lies within three characters
    # of the table's leftmost are measured from the table's; a page set further in (a
    # table drawn elsewhere on the page) keeps its own.
    if lefts:
        leftmost = min(lefts.values())
        size = max((it["size"] for it in items if it["size"]), default=1.0)
        lefts = {page: leftmost if x - leftmost <= 3 * size else x for page, x in lefts.items()}
    indents = []
    for it in items:
        if it["label_x"] is None or is_total(it["label"]) or is_subset(it["label"]):
            indents.append(None)
            continue
        indent = (it["label_x"] - lefts[it["page"]]) / max(it["size"], 1.0)
        # Set in by more than four characters, a label is centred, not indented: a top row.
        indents.append(0.0 if indent > 4 else indent)
    tiers: list[float] = []
    counts: list[int] = []
    for value in sorted(v for v in indents if v is not None):
        if not tiers or value - tiers[-1] > 0.4:
            tiers.append(value)
            counts.append(0)
        counts[-1] += 1
    if len(tiers) > 3:
        # A label or two set oddly ("其他教育支出" half a character further in) make no
        # level of their own: they join the tier left of them.
        rare = max(2, sum(counts) // 100)
        tiers = [t for t, n in zip(tiers, counts) if n > rare or t == tiers[0]]
    if len(tiers) < 2 or len(tiers) > 3:
        return None
    out: list[tuple[int, int | None]] = []
    for i, (it, indent) in enumerate(zip(items, indents)):
        if is_subset(it["label"]):
            parent = next((k for k in range(i - 1, -1, -1) if not is_subset(items[k]["label"])), None)
            out.append((0, parent))
            continue
        if indent is None:
            out.append((0, None))
            continue
        level = max(k for k, t in enumerate(tiers) if indent >= t - 0.4) + 1
        parent = None
        for k in range(i - 1, -1, -1):
            if is_total(items[k]["label"]) and not items[k]["code"]:
                break
            if out[k][0] and out[k][0] < level:
                parent = k
                break
        out.append((level, parent))
    return out


def _unnumbered_beside_numbered(rows: list[ParsedRow], offset: int) -> list[ParsedRow]:
    """Rows set at the 类 indent without the 类's numbering ("州对下专项转移支付补助" after
    each "五、教育支出" block) are no 类: flat rows, level 0, unless they head rows."""
    if not any(r.level == 1 and numbering_level(r.label) == 1 for r in rows):
        return rows
    heads = {r.parent for r in rows if r.parent is not None}
    return [replace(r, level=0) if r.level == 1 and not numbering_level(r.label)
            and i + offset not in heads and r.parent is None else r for i, r in enumerate(rows)]


def _amounts(row: ParsedRow) -> dict[str, ParsedCell]:
    return {c.column: c for c in row.cells if c.value is not None and c.unit != "%"}


def _adopt_subtotals(rows: list[ParsedRow], offset: int) -> list[ParsedRow]:
    """Make a top-level row printed after its parts ("全区一般公共预算收入" after 税收收入
    and 非税收入) their parent, when in every column the parts add up to it exactly.

    Government budgets print such subtotals without 合计 in their name, so they would
    otherwise stand beside their own parts and every total over them would count twice.
    The parts and their rows go one level down.
    """
    out = list(rows)
    start = 0  # first top-level row not yet taken by a subtotal
    for i, row in enumerate(out):
        if is_total(row.label):
            start = i + 1
            continue
        # Only a levelled row over rows of its own level: flat rows under a numbered one
        # (一、货物 | 复印机 | 其他办公设备 | 政法、检测专用设备) are that row's items.
        if row.parent is not None or row.code or is_subset(row.label) or not row.level:
            continue
        tops = [k for k in range(start, i) if out[k].parent is None and not out[k].code
                and out[k].level == row.level and not is_total(out[k].label)]
        own = _amounts(row)
        if len(tops) < 2 or not own or not any(c.value for c in own.values()):
            continue
        for first in range(len(tops) - 1):  # the shortest run of parts ending just before it
            parts = tops[first:]
            sums = {col: sum((_amounts(out[k]).get(col).value for k in parts
                              if _amounts(out[k]).get(col) is not None), Decimal(0)) for col in own}
            if all(sums[col] == cell.value for col, cell in own.items()):
                break
        else:
            continue
        inside = set(parts)
        _release_rows_after(out, i, offset)
        if not any(numbering_level(out[k].label) for k in parts) and any(
                out[k].parent - offset in inside for k in range(parts[0], i)
                if out[k].parent is not None):
            # Unnumbered parts that have parts of their own are 类 over 款 and 项 (a
            # government-wide 决算 by indent): they stay 类, level 1, and the subtotal over them stands
            # apart from the levels, as a total does.
            for k in parts:
                out[k] = replace(out[k], parent=i + offset)
            out[i] = replace(row, level=0)
            start = i + 1
            continue
        for k in range(parts[0], i):
            chain, up = k, out[k].parent
            while up is not None and up - offset not in inside:
                up = out[up - offset].parent
            if k in inside or up is not None:
                out[k] = replace(out[k], level=out[k].level + 1,
                                 parent=i + offset if k in inside else out[k].parent)
        out[i] = replace(row, level=max(1, row.level))
        start = i + 1
    return out


def _same_amounts(a: ParsedRow, b: ParsedRow) -> bool:
    """Both rows print the same amounts in the same columns (at least one)."""
    one, two = _amounts(a), _amounts(b)
    return bool(one) and one.keys() == two.keys() and all(one[c].value == two[c].value for c in one)


def _adopt_spaced_subtotals(rows: list[ParsedRow], items: list[dict], offset: int) -> list[ParsedRow]:
    """Make a letter-spaced row that is no 合计 ("州 本 级 国 有 资 本 经 营 收 入") the parent
    of the top rows printed since the last total or spaced row, when they add up to it in
    every column it fills.

    Government budgets mark such subtotals only by spacing their labels out, so without
    the mark the total below ("各 项 收 入 合 计") would count them beside their own parts.
    A part broken down into one item (利润收入 over 投资服务企业利润收入: the next row, set
    further in, printing the same amounts) has that item as its part, not as a sibling.
    The subtotal keeps its level (0 when the indent gave it none), its parts go below it.
    """
    out = list(rows)
    start = 0
    for i, (row, item) in enumerate(zip(out, items)):
        if is_total(row.label):
            start = i + 1
            continue
        if not item.get("spaced") or row.parent is not None or row.code:
            continue
        own = _amounts(row)
        tops = [k for k in range(start, i) if out[k].parent is None and not out[k].code
                and not is_total(out[k].label) and not is_subset(out[k].label)]
        start = i + 1
        lone = {k: k - 1 for k in tops if k - 1 in tops and _same_amounts(out[k], out[k - 1])
                and _set_further_in(items[k], items[k - 1])
                and (k + 1 >= len(items) or not _set_further_in(items[k + 1], items[k - 1]))}
        parts = [k for k in tops if k not in lone]
        if len(parts) < 2 or not own or not any(c.value for c in own.values()):
            continue
        sums = {col: sum((_amounts(out[k])[col].value for k in parts if col in _amounts(out[k])),
                         Decimal(0)) for col in own}
        if not all(sums[col] == cell.value for col, cell in own.items()):
            continue
        for k in parts:
            out[k] = replace(out[k], level=max(row.level + 1, out[k].level), parent=i + offset)
        for k, head in lone.items():
            out[k] = replace(out[k], level=out[head].level + 1, parent=head + offset)
    return out


def _set_further_in(item: dict, above: dict) -> bool:
    """The label of `item` starts at least about a character right of the label of `above`."""
    if item.get("label_x") is None or above.get("label_x") is None or item["page"] != above["page"]:
        return False
    return item["label_x"] - above["label_x"] >= 0.8 * max(above["size"] or 1.0, 1.0)


def _release_rows_after(rows: list[ParsedRow], i: int, offset: int) -> None:
    """A subtotal printed after its parts closes them: rows printed after it that the indent
    linked to it ("安排预算稳定调节基金" under "全区一般公共预算支出", the 类 above adding up to
    it) are no parts of it. They become flat rows, linked to nothing."""
    for k in range(i + 1, len(rows)):
        if rows[k].parent == i + offset:
            rows[k] = replace(rows[k], level=0, parent=None)


def _adopt_following_parts(rows: list[ParsedRow], offset: int) -> list[ParsedRow]:
    """Make a flat row the parent of the flat rows right after it that add up to it exactly.

    "年初结转和结余" followed by 一般公共预算财政拨款 / 政府性基金预算财政拨款 / 国有资本
    经营预算财政拨款, printed without indent or numbering, is their total; summed beside
    them, it would be counted twice. At least two parts, in every column it fills; not
    under a numbered row (一、货物 | 信息网络建设维护费 | PC服务器 …), whose parts they are.
    """
    def flat(row: ParsedRow) -> bool:
        return (row.parent is None and not row.level and not row.code and not is_total(row.label)
                and not is_subset(row.label) and not numbering_level(row.label))

    out = list(rows)
    has_children = {r.parent for r in out if r.parent is not None}
    levelled = False  # a numbered or coded row since the last total: flat rows are its parts
    i = 0
    while i < len(out):
        own = _amounts(out[i])
        if is_total(out[i].label) and not out[i].code:
            levelled = False
        elif out[i].level or out[i].code:
            levelled = True
        if levelled or not flat(out[i]) or not own or not any(c.value for c in own.values()):
            i += 1
            continue
        sums = {col: Decimal(0) for col in own}
        j, found = i + 1, None
        while j < len(out) and flat(out[j]) and j + offset not in has_children:
            for col, cell in _amounts(out[j]).items():
                if col in sums:
                    sums[col] += cell.value
            if j - i >= 2 and all(sums[col] == cell.value for col, cell in own.items()):
                found = j
                break
            j += 1
        if found is None or _total_counts_them_apart(out, i, found, flat):
            i += 1
            continue
        out[i] = replace(out[i], level=1)
        for k in range(i + 1, found + 1):
            out[k] = replace(out[k], level=2, parent=i + offset)
        i = found + 1
    return out


def _total_counts_them_apart(rows: list[ParsedRow], head: int, last: int, flat) -> bool:
    """True when the next total row adds up the flat rows since the previous total with the
    head and the rows after it counted side by side ("隆德县 2 / 泾源县 1 / 彭阳县 1" before
    "合计"): then their sum matching the head is chance, not a breakdown."""
    end = next((k for k in range(last + 1, len(rows))
                if is_total(rows[k].label) and not rows[k].code), None)
    if end is None:
        return False
    start = next((k for k in range(head - 1, -1, -1)
                  if is_total(rows[k].label) and not rows[k].code), -1)
    totals = _amounts(rows[end])
    if not totals:
        return False
    sums = {col: Decimal(0) for col in totals}
    for k in range(start + 1, end):
        if not flat(rows[k]):
            return False  # rows of other kinds between: the total is not a flat list's
        for col, cell in _amounts(rows[k]).items():
            if col in sums:
                sums[col] += cell.value
    return all(sums[col] == cell.value for col, cell in totals.items())


def _adopt_parts_under_numbered(rows: list[ParsedRow], offset: int) -> list[ParsedRow]:
    """Make a numbered row the parent of the flat rows right after it when they add up to it
    exactly: "一、提前下达数" over 迪庆州本级, 香格里拉市, 德钦县 … (places printed without
    numbering or indent). At least two parts, in every column the numbered row fills; the
    parts go one level below it. Parts that do not add up stay flat rows beside it."""
    def flat(row: ParsedRow) -> bool:
        return (row.parent is None and not row.level and not row.code and not is_total(row.label)
                and not is_subset(row.label) and not numbering_level(row.label))

    out = list(rows)
    has_children = {r.parent for r in out if r.parent is not None}
    for i, head in enumerate(out):
        own = _amounts(head)
        if not (head.level and numbering_level(head.label) and not head.code) \
                or i + offset in has_children or not own or not any(c.value for c in own.values()):
            continue
        end = i + 1
        while end < len(out) and flat(out[end]) and end + offset not in has_children:
            end += 1
        if end - i < 3:
            continue
        sums = {col: sum((_amounts(out[k])[col].value for k in range(i + 1, end)
                          if col in _amounts(out[k])), Decimal(0)) for col in own}
        if all(sums[col] == cell.value for col, cell in own.items()):
            for k in range(i + 1, end):
                out[k] = replace(out[k], level=head.level + 1, parent=i + offset)
    return out


def _continue_subsets(items: list[dict], levels: list[tuple[int, int | None]]) -> list[tuple[int, int | None]]:
    """Rows listed under a "其中：" row, set in to where its text starts, are "其中" rows too.

        企业职工基本养老保险基金      3,054,386
          其中：保险费收入            2,200,164
               财政补贴收入            741,633

    财政补贴收入 is a part of the 基金 like 保险费收入, not an addend of the table's
    total: it gets the 其中 row's parent and level 0, as the 其中 row has.
    """
    out = list(levels)
    anchor: tuple[float, int | None] | None = None  # (x of the 其中 row, its parent)
    for i, item in enumerate(items):
        x, size = item["label_x"], item["size"] or 1.0
        if is_subset(item["label"]):
            anchor = (x, out[i][1]) if x is not None else None
        elif (anchor is not None and x is not None and x > anchor[0] + 0.5 * size
              and not item["code"] and not numbering_level(item["label"]) and not is_total(item["label"])):
            out[i] = (0, anchor[1])
        else:
            anchor = None
    return out


def _reconciled_parents(rows: list[ParsedRow], columns: tuple[str, ...]) -> tuple[int, int]:
    """(parent rows whose children add up, parent rows that do not) under a reading of levels."""
    table = ParsedTable(title="", unit="", pages=(), columns=columns, rows=tuple(rows))
    wrong = {m.row for m in reconcile_errors(table)}
    parents = {rows[r.parent].label for r in rows if r.parent is not None and not is_subset(r.label)}
    return len(parents - wrong), len(parents & wrong) + len(wrong - parents)


def _align_side_parents(columns: list[Column], groups: list[list[int]]) -> None:
    """Give an amount column the header parents of its own side when its name collides.

    Some publishers draw a side's header box ("功能分类") over its name column
    only, and the next side's box ("支出用途") from the amount column on, so two
    amount columns both read "支出/支出用途/金额". The amount column belongs to
    the side of the name column before it, and takes that column's parents.
    """
    names = [c.name for c in columns]
    for group in groups:
        texts = [j for j in group if columns[j].kind != "number"]
        if not texts or len(columns[texts[0]].path) < 2:
            continue
        parents = columns[texts[0]].path[:-1]
        for j in group:
            col = columns[j]
            if col.kind == "number" and names.count(col.name) > 1 and col.path[:-1] != parents:
                col.path = parents + (col.leaf,)


def _rows_of_side(items: list[dict], levels: list[tuple[int, int | None]],
                  offset: int) -> list[ParsedRow]:
    """ParsedRows of one side-by-side group, parents shifted by the rows of the sides before."""
    return [ParsedRow(label=item["label"], cells=item["cells"], code=item["code"],
                      qualifiers=item["qualifiers"], page=item["page"], level=level,
                      parent=None if parent is None else parent + offset)
            for item, (level, parent) in zip(items, levels)]


def _name_lone_row(rows: list[ParsedRow], columns: list[Column]) -> list[ParsedRow]:
    """Label the one row of a table that prints amounts only ("合计 | 基本支出 | …" over one line of figures).

    Such a table has no label column: its single row is the whole of what the
    table reports, i.e. its total, and is named 合计 so that it can be cited.
    """
    if (len(rows) == 1 and not rows[0].label and not rows[0].code
            and all(c.kind == "number" for c in columns)):
        return [replace(rows[0], label="合计")]
    return rows


def build_table(draft: Draft, doc_unit: str) -> tuple[ParsedTable | None, list[str]]:
    """Finish a draft. Returns the table (None when it has no numeric column) and warnings.

    `doc_unit` is the unit to inherit when the table states none (the one unit
    the whole document states), or "".
    """
    warnings: list[str] = []
    name = f"{draft.number} {draft.title}".strip() or f"untitled table on p.{draft.pages[0] if draft.pages else '?'}"
    rows = _merge_orphan_values(draft.rows)
    columns = header_columns(draft.header)
    if not columns:
        columns = data_columns(rows)
        if rows:
            warnings.append(f"{name}: no header found, columns named by position")
    if not columns:
        return None, warnings
    grid = _grid(rows, columns)
    classify(columns, [[_text(c) for c in cells] for cells in grid])
    if not any(c.kind == "number" for c in columns):
        return None, warnings
    groups = groups_of(columns)
    _align_side_parents(columns, groups)
    names = [c.name for c in columns]
    for j, col in enumerate(columns):
        if names.count(col.name) > 1:  # two sides printed without 收入/支出 above them
            side = next(g for g, group in enumerate(groups) if j in group)
            col.path = (f"第{side + 1}栏",) + col.path
    parsed: list[ParsedRow] = []
    fields: list[dict] = []
    numeric = tuple(c.name for c in columns if c.kind == "number")
    for group in groups:
        items = _side_rows(group, columns, grid, rows)
        fields += [item["fields"] for item in items]
        offset = len(parsed)
        side = _adopt_following_parts(_adopt_subtotals(
            _rows_of_side(items, _continue_subsets(items, _levels(items)), offset), offset), offset)
        indented = _indent_levels(items)
        if indented is not None:
            indented = _continue_subsets(items, indented)
            # Indentation is a weaker sign than codes or numbering: keep it only when its
            # parents add up, and more of them than under the numbering.
            by_indent = _adopt_subtotals(_rows_of_side(items, indented, offset), offset)
            good, bad = _reconciled_parents(parsed + by_indent, numeric)
            was_good, was_bad = _reconciled_parents(parsed + side, numeric)
            # A side without codes whose numbering, if any, agrees with its indent (a
            # government-wide budget listing 类, 款 and 项 by indent, "一、" before a 类)
            # has nothing better: its indent stands when most parents add up (a 类 may
            # omit 款 it did not spend on, or round).
            agrees = all(numbering_level(it["label"]) == level
                         for it, (level, _) in zip(items, indented) if numbering_level(it["label"]))
            if good and not bad and (good > was_good or was_bad) or \
                    agrees and good > 4 * bad and good > was_good:
                side = _unnumbered_beside_numbered(by_indent, offset)
        parsed += _adopt_spaced_subtotals(_adopt_parts_under_numbered(side, offset), items, offset)
    if is_target_table(draft.title):
        parsed = read_indicators(parsed, fields, draft.title)
    parsed = _name_lone_row(parsed, columns)
    unit = draft.unit
    if not unit:
        unit = doc_unit
        if not unit:
            warnings.append(f"{name} (p.{draft.pages[0] if draft.pages else '?'}): no unit stated")
    if not draft.title:
        warnings.append(f"{name}: no title found")
    table = ParsedTable(
        title=draft.title, unit=unit, pages=tuple(draft.pages),
        columns=tuple(dict.fromkeys([c.name for c in columns if c.kind == "number"]
                                    + [c.column for r in parsed for c in r.cells])),
        rows=tuple(parsed), number=draft.number, note=" ".join(draft.notes))
    return table, warnings
