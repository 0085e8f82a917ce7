"""Audit rule for tables that print a hierarchy without 科目编码 or numbering: a 类 row
("一、一般公共服务") followed by its 款 rows, each followed by its 项 rows, all at one
level ("人大事务 1,926 / 行政运行 1,655 / 一般行政管理事务 174 / …"), as in government-wide
budgets, 政府采购 tables (货物 → 经济分类 → 品目) and 经济分类 tables without codes.

Pure: SourcedTables in, Findings out; Decimal only. The parser cannot tell a 款 from a
项 there, so the grouping is read from the figures, per column: a row is a group head
when the rows right after it add up to it. The anchor (the numbered row over the block,
or a table's first row naming the body) must equal the sum of the block's top entries
for some such reading. When no reading adds up exactly, the reading closest to the
anchor is reported, graded by calc.gaps, with every figure of the block as evidence; a
slip inside a group breaks that group, and the block then no longer adds up.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow
from calc.audit_findings import (Finding, Rule, SourcedTable, cell_citation, finding_id, is_exact,
                                 plain, quantum, severity)
from ingest.pdf_table_text import is_total, squash

RULES = (
    Rule("table.inferred_groups", "无编码的层级表：类行 = 其下各款之和，款行 = 其后各项之和（层次由数字推断）"),
)

# A first row that names the body is the table's total ("深圳市…管理局 2,895.86").
_BODY = re.compile(r"(局|委员会|委|院|办公室|办公厅|中心|街道|部门|单位|政府)$")
# "州对下专项转移支付补助" under a 类 of a government-wide budget: what the level passes
# down, printed beside the 类's own 款, not one of them.
_MEMO = re.compile(r"对下.{0,12}转移支付")
_CLASS_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.．]")
# Columns that hold no amounts: line numbers, scores, ratios.
_NOT_AMOUNT = re.compile(r"行次|栏次|序号|编码|得分|分值|权重|%|％|比|率")
# Readings kept per position; a block has a few dozen rows, so few sums are distinct.
MAX_READINGS = 256


def _cell(row: ParsedRow, column: str) -> ParsedCell | None:
    return next((c for c in row.cells if c.column == column and c.value is not None), None)


def _numbered(row: ParsedRow) -> bool:
    return row.level == 1 and bool(_CLASS_NUMBER.match(squash(row.label)))


def _exceeds(row: ParsedRow, anchor: ParsedRow) -> bool:
    """True when a row prints more than the anchor in a column where both are positive: it
    cannot be one of its parts ("全州一般公共预算支出" after the last 类)."""
    values = {c.column: c.value for c in anchor.cells if c.value is not None and c.value > 0}
    return any(c.value is not None and c.column in values and c.value > values[c.column]
               for c in row.cells)


def _blocks(rows: tuple[ParsedRow, ...], continued: bool = True) -> list[tuple[int, list[int]]]:
    """(anchor index, block row indices): level-0 rows with no parent, children or code
    after a numbered 类 row ("一、…"), or after a first row naming the body, and closed by
    the next numbered row or a total row. A block the table's end cuts off is left out
    when the table goes on in the next table (`continued`); otherwise the table's end
    closes it."""
    has_children = {r.parent for r in rows if r.parent is not None}

    def loose(k: int) -> bool:
        r = rows[k]
        return (r.level == 0 and r.parent is None and k not in has_children and not r.code
                and not is_total(squash(r.label)))

    out = []
    for i, row in enumerate(rows):
        anchor = (_numbered(row) and row.parent is None and i not in has_children) or (
            i == 0 and row.level == 0 and bool(_BODY.search(squash(row.label))))
        if not anchor:
            continue
        k = i + 1
        while k < len(rows) and loose(k) and not _exceeds(rows[k], row):
            k += 1
        closed = (not continued and k == len(rows)) or k < len(rows) and (
            _numbered(rows[k]) or is_total(squash(rows[k].label)) or _exceeds(rows[k], row))
        block = [b for b in range(i + 1, k) if not _MEMO.search(squash(rows[b].label))]
        if closed and len(block) >= 2:
            out.append((i, block))
    return out


def continues(table, following) -> bool:
    """True when the next table of the document may be this one's continuation over the
    page: there is one and it has the same kind (a table printed last, or followed by a
    table of another kind, ends where it ends)."""
    return following is not None and following.kind == table.kind


def grouped_sums(values: list[Decimal]) -> set[Decimal]:
    """The sums of top entries over every way of reading the values as leaves and group
    heads (a head followed by the leaves that add up to it)."""
    states: dict[int, set[Decimal]] = {0: {Decimal(0)}}
    n = len(values)
    for k in range(n):
        sums = states.pop(k, set())
        if not sums:
            continue
        ends = [k + 1]
        running = Decimal(0)
        for j in range(k + 1, n):
            running += values[j]
            if running == values[k]:
                ends.append(j + 1)
            if running > values[k] and values[k] >= 0:
                break
        for end in ends:
            nxt = states.setdefault(end, set())
            nxt.update(s + values[k] for s in sums)
            if len(nxt) > MAX_READINGS:
                states[end] = set(sorted(nxt)[:MAX_READINGS])
    return states.get(n, set())


def check_inferred_groups(source: SourcedTable, continued: bool = True) -> list[Finding]:
    """Blocks of code-less rows whose figures do not add up to their anchor under any
    reading of their grouping. continued: the table may go on in the next table (see
    `continues`), so a block its end cuts off is not judged."""
    table = source.table
    rows = table.rows
    out = []
    for anchor, block in _blocks(rows, continued):
        for column in table.columns:
            if _NOT_AMOUNT.search(squash(column)):
                continue
            head = _cell(rows[anchor], column)
            cells = [(k, _cell(rows[k], column)) for k in block]
            present = [(k, c) for k, c in cells if c is not None]
            if head is None or len(present) < 2:
                continue
            values = [c.value if c is not None else Decimal(0) for _, c in cells]
            readings = grouped_sums(values)
            if head.value in readings:
                continue
            closest = min(readings, key=lambda s: abs(s - head.value)) if readings else sum(
                values, Decimal(0))
            q = max(quantum(c.printed) for c in [head, *(c for _, c in present)])
            level = severity(head.value, closest, len(present), q, is_exact(q, table.unit))
            if level is None:
                continue
            out.append(Finding(
                id=finding_id("table.inferred_groups", source.doc, source.name, rows[anchor].label,
                              str(anchor), column),
                rule="table.inferred_groups", doc=source.doc, severity=level,
                message=(f"《{source.name}》行“{rows[anchor].label}”列“{column}”：其下 "
                         f"{len(block)} 行无论如何分组都不等于该行（最接近的分组合计 "
                         f"{plain(closest)}{table.unit}，表列 {plain(head.value)}{table.unit}）"),
                formula=(f"最接近的分组合计 {plain(closest)}；表列 {plain(head.value)}"
                         f"（差 {plain(head.value - closest)}）"),
                expected=closest, found=head.value,
                operands=(cell_citation(source, rows[anchor], head),
                          *(cell_citation(source, rows[k], c) for k, c in present))))
    return out
