"""Self-check of a parsed table: totals and parent rows must equal the sum of their parts.

Pure: takes ParsedTables, returns Mismatches; Decimal only, no I/O.

Rules, per numeric column:

* a total row (合计/总计/小计 without a code) equals the sum of the top-level
  rows it closes — the rows since the previous total (plus that total), or,
  when it is printed first as in most 科目 tables, the rows after it up to the
  next total;
* a parent row (类 over its 款, 款 over its 项, 一、 over its （一）/1.) equals
  the sum of its children.

"其中" rows are parts of the row above, not addends, and are left out (so are the rows
listed under one: a row with a parent but no level and no code); so are percentages (a
完成% column does not add up). Every nonzero
gap is returned, graded by the one gap policy (calc.gaps.severity: rounding, minor,
error, unit slip by size, printed precision and number of parts); the ingest
self-check (reconcile_summary) counts only errors. A check is skipped when every part
is blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from calc.gaps import SERIOUS, is_exact, quantum, severity
from ingest.pdf_table_text import is_subset, is_total, squash


@dataclass(frozen=True)
class Mismatch:
    """A total or parent row whose parts do not add up."""

    table: str
    row: str
    column: str
    expected: Decimal  # the sum of the parts
    found: Decimal  # the value printed on the total/parent row
    difference: Decimal  # found - expected
    parts: tuple[str, ...]  # labels of the rows summed
    severity: str = ""  # calc.gaps grade: rounding, minor, unit_slip or error
    row_index: int = -1  # position of the total or parent row in the table
    part_indices: tuple[int, ...] = ()  # positions of the rows summed
    # The column of each part when the parts stand in several side-by-side 栏 (empty: all
    # in `column`).
    part_columns: tuple[str, ...] = ()

    def part_column(self, n: int) -> str:
        """The column of the n-th part."""
        return self.part_columns[n] if self.part_columns else self.column


def _cell(row: ParsedRow, column: str) -> ParsedCell | None:
    return next((c for c in row.cells if c.column == column), None)


def _is_total_row(row: ParsedRow) -> bool:
    return not row.code and is_total(row.label)


def is_part_of(row: ParsedRow) -> bool:
    """A "其中" row, or a row listed under one: a part of its parent, not an addend."""
    return is_subset(row.label) or (row.level == 0 and row.parent is not None and not row.code)


# "其中：（1）公务用车购置费 / （2）公务用车运行费": the numbered items after a "其中：" row
# go on listing parts of the same row, whatever level the parser gave them.
_ITEM_NUMBER = re.compile(r"^(其中[:：]?)?[（(]?(\d{1,2}|[一二三四五六七八九十]{1,3})[）)、.．]")


def _subset_items(rows: tuple[ParsedRow, ...]) -> set[int]:
    """Indices of rows that continue a numbered "其中：（1）…" list (its second item on)."""
    out: set[int] = set()
    for i, row in enumerate(rows):
        first = _ITEM_NUMBER.match(squash(row.label))
        if not (is_subset(row.label) and first and first.group(1)):
            continue
        style = re.sub(r"\d+|[一二三四五六七八九十]+", "#", first.group(0)[len(first.group(1)):])
        k = i + 1
        while k < len(rows) and not rows[k].code:
            m = _ITEM_NUMBER.match(squash(rows[k].label))
            if not m or m.group(1) or re.sub(r"\d+|[一二三四五六七八九十]+", "#",
                                            m.group(0)) != style:
                break
            out.add(k)
            k += 1
    return out


def is_column_numbers(label: str) -> bool:
    """A row that numbers the columns ("栏次 1 2 3", "行次"), not a row of figures."""
    return squash(label) in ("栏次", "行次", "栏号", "序号")


def _total_parts(rows: tuple[ParsedRow, ...], i: int, column: str) -> list[int]:
    """Indices of the rows a total row at index i adds up in one column.

    Only rows that have the column take part: the two sides of a 收支总表 are
    stored one after the other in the same table.
    """
    listed = _subset_items(rows)

    def top(k: int) -> bool:
        r = rows[k]
        return (r.parent is None and not _is_total_row(r) and not is_part_of(r)
                and k not in listed and not is_column_numbers(r.label))

    side = [k for k in range(len(rows)) if _cell(rows[k], column) is not None]
    prev_total = next((k for k in reversed(side) if k < i and _is_total_row(rows[k])), None)
    start = -1 if prev_total is None else prev_total
    before = [k for k in side if start < k < i and top(k)]
    if before and _exceeds(rows, before, i, column):
        # "宁夏回族自治区 / 自治区本级 / 市县合计 / 银川市 …": a row above the total is
        # larger than it, so the total may be printed first, closing the rows below it;
        # taken so when those come closer to it (else a part above may be the slip).
        nxt = next((k for k in side if k > i and _is_total_row(rows[k])), len(rows))
        after = [k for k in side if i < k < nxt and top(k)]
        if after and _gap(rows, after, i, column) < _gap(rows, before, i, column):
            before = []
    printed_first = not before
    if before:
        parts = before
        if prev_total is not None:
            parts = [prev_total] + parts
    else:
        nxt = next((k for k in side if k > i and _is_total_row(rows[k])), len(rows))
        parts = [k for k in side if i < k < nxt and top(k)]
    parts = [k for k in parts if not _listed_under_unnumbered(rows, k)]
    if any(rows[k].level == 1 for k in parts):
        # The 一、-level rows are the parts when they print figures here; a "小计" printed over
        # "公共财政拨款(补助)资金 21,940.96 / 专项收入 (blank)" has them in the other rows.
        top_level = [k for k in parts if rows[k].level == 1 or _is_total_row(rows[k])]
        if not printed_first or any(_cell(rows[k], column) is not None
                                    and _cell(rows[k], column).value is not None
                                    for k in top_level):
            parts = top_level
    return parts


def _listed_under_unnumbered(rows: tuple[ParsedRow, ...], k: int) -> bool:
    """True for a numbered row ("1.一般公共预算拨款") in the run of numbered rows right
    after an unnumbered row that is no total ("财政拨款 4,373.87"): it is that row's part
    though the parser linked it to nothing."""
    if rows[k].level < 2 or rows[k].parent is not None or rows[k].code:
        return False
    j = k - 1
    while j >= 0 and rows[j].level >= 2 and rows[j].parent is None and not rows[j].code:
        j -= 1
    return j >= 0 and rows[j].level == 0 and not rows[j].code and not _is_total_row(rows[j]) \
        and rows[j].parent is None and not is_subset(rows[j].label) \
        and not is_column_numbers(rows[j].label)


def _gap(rows: tuple[ParsedRow, ...], parts: list[int], i: int, column: str) -> Decimal:
    """How far the parts' sum is from the row at i in the column."""
    total = _cell(rows[i], column)
    values = [c.value for c in (_cell(rows[k], column) for k in parts)
              if c is not None and c.value is not None]
    return abs(total.value - sum(values, Decimal(0)))


def _exceeds(rows: tuple[ParsedRow, ...], parts: list[int], i: int, column: str) -> bool:
    """True when one of the parts is larger than the total at i in every column where both
    print a positive figure (two at least): a grand total above ("宁夏回族自治区"), not one
    figure slipped, so it cannot be one of the total's parts."""
    total = {c.column: c.value for c in rows[i].cells if c.value is not None and c.value > 0}
    for k in parts:
        both = [(c.value, total[c.column]) for c in rows[k].cells
                if c.column in total and c.value is not None and c.value > 0]
        if len(both) >= 2 and all(v > t for v, t in both):
            return True
    return False


# "第2栏/决算数": one of the side-by-side blocks of a table printed in several 栏, each with
# its own 科目 and figure columns.
_BAND = re.compile(r"^第(?P<n>\d+)栏/(?P<rest>.+)$")


def _unclosed_bands(rows: tuple[ParsedRow, ...], column: str) -> list[str]:
    """The 栏 before a total's own that close with no total of their own, nearest first.

    "人员经费合计" closes 第1栏; "公用经费合计", printed in 第3栏, closes 第2栏 (商品和服务支出)
    and 第3栏 (资本性支出) together: the 公用经费 run on from one 栏 into the next.
    """
    band = _BAND.match(column)
    out: list[str] = []
    if band is None:
        return out
    for n in range(int(band["n"]) - 1, 0, -1):
        other = f"第{n}栏/{band['rest']}"
        cells = [_cell(r, other) for r in rows]
        if not any(c is not None for c in cells) or any(
                c is not None and c.value is not None and _is_total_row(r)
                for r, c in zip(rows, cells)):
            break
        out.append(other)
    return out


def _check(table: ParsedTable, index: int, children: list[int] | None) -> list[Mismatch]:
    """The mismatches of the row at index: over its children or, for a total row (children
    None), over the rows it closes in each column (and in the 栏 before it that close
    with no total of their own)."""
    rows = table.rows
    out = []
    for cell in rows[index].cells:
        if cell.value is None or cell.unit == "%" \
                or is_column_numbers(cell.column.rsplit("/", 1)[-1]):
            continue  # a blank, or a column of line numbers ("行次")
        if children is not None:
            out += _check_cell(table, index, cell, [(k, cell.column) for k in children])
            continue
        parts = [(k, column) for column in (*reversed(_unclosed_bands(rows, cell.column)),
                                            cell.column)
                 for k in _total_parts(rows, index, column)]
        out += _check_cell(table, index, cell, parts)
    return out


def _check_cell(table: ParsedTable, index: int, cell: ParsedCell,
                parts: list[tuple[int, str]]) -> list[Mismatch]:
    """The mismatch of one cell over its parts, (row index, column) each; [] when it adds up."""
    out = []
    present = [c for c in (_cell(table.rows[k], column) for k, column in parts)
               if c is not None and c.value is not None]
    if present:
        expected = sum((c.value for c in present), Decimal(0))
        q = max(quantum(c.printed) for c in [cell, *present])
        level = severity(cell.value, expected, len(present), q, is_exact(q, table.unit))
        if level is not None:
            row = table.rows[index]
            out.append(Mismatch(
                table=f"{table.number} {table.title}".strip(), row=row.label or row.code,
                column=cell.column, expected=expected, found=cell.value,
                difference=cell.value - expected,
                parts=tuple(table.rows[k].label or table.rows[k].code for k, _ in parts),
                severity=level, row_index=index, part_indices=tuple(k for k, _ in parts),
                part_columns=(tuple(column for _, column in parts)
                              if any(column != cell.column for _, column in parts) else ())))
    return out


def _checks(table: ParsedTable) -> list[tuple[int, list[int] | None]]:
    """(row index, indices of its parts) for every row to check; parts None for total rows
    (found per column). A row's parts are the rows linked to it or, for an unnumbered row
    the parser linked nothing to, the numbered rows right after it."""
    rows = table.rows
    checks: list[tuple[int, list[int] | None]] = []
    for i, row in enumerate(rows):
        if _is_total_row(row):
            checks.append((i, None))
            continue
        parts = [k for k, r in enumerate(rows) if r.parent == i and not is_part_of(r)]
        if not parts and row.level == 0:
            k = i + 1
            while k < len(rows) and _listed_under_unnumbered(rows, k):
                parts.append(k)
                k += 1
        if parts:
            checks.append((i, parts))
    return checks


def reconcile_table(table: ParsedTable) -> list[Mismatch]:
    """Every total and parent row of the table whose parts do not add up exactly, each with
    its grade (empty when all add up to the last digit)."""
    out: list[Mismatch] = []
    for i, parts in _checks(table):
        out += _check(table, i, parts)
    return out


def reconcile_errors(table: ParsedTable) -> list[Mismatch]:
    """The mismatches of the table graded error or unit slip: what the ingest self-check
    counts as "does not add up" (rounding and minor gaps are left to the audit)."""
    return [m for m in reconcile_table(table) if m.severity in SERIOUS]


def reconcile_summary(tables: list[ParsedTable]) -> tuple[int, int]:
    """(checked, reconciled): tables that have a total or parent row with values, and those
    without an error-grade mismatch (rounding and minor gaps are the audit's business)."""
    checked = reconciled = 0
    for table in tables:
        has_check = any(
            any(c.value is not None and c.unit != "%" for c in table.rows[i].cells)
            for i, _ in _checks(table))
        if not has_check:
            continue
        checked += 1
        reconciled += not reconcile_errors(table)
    return checked, reconciled
