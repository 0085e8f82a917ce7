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
from calc.audit_findings import (ROUNDING, Finding, Rule, SourcedTable, cell_citation,
                                 finding_id, is_exact, plain, quantum, severity)
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


def names_the_body(row: ParsedRow) -> bool:
    """True for a code-less row that names the publishing body ("深圳市…管理局 2,895.86"):
    printed first, it is the table's total."""
    return row.level == 0 and not row.code and bool(_BODY.search(squash(row.label)))


def _numbered(row: ParsedRow) -> bool:
    return row.level == 1 and bool(_CLASS_NUMBER.match(squash(row.label)))


def _exceeds(row: ParsedRow, anchor: ParsedRow) -> bool:
    """True when a row prints more than the anchor in a column where both are positive: it
    cannot be one of its parts ("全州一般公共预算支出" after the last 类)."""
    values = {c.column: c.value for c in anchor.cells if c.value is not None and c.value > 0
              and not _NOT_AMOUNT.search(squash(c.column))}
    return any(c.value is not None and c.column in values and c.value > values[c.column]
               for c in row.cells)


def _blocks(rows: tuple[ParsedRow, ...], continued: bool = True
            ) -> list[tuple[int, list[int], int | None]]:
    """(anchor index, block row indices, index of the row larger than the anchor that
    closed the block or None): level-0 rows with no parent, children or code after a
    numbered 类 row ("一、…"), or after a first row naming the body, and closed by the next
    numbered row, a total row or a row larger than the anchor. A block the table's end
    cuts off is left out when the table goes on in the next table (`continued`);
    otherwise the table's end closes it."""
    has_children = {r.parent for r in rows if r.parent is not None}

    def loose(k: int) -> bool:
        r = rows[k]
        return (r.level == 0 and r.parent is None and k not in has_children and not r.code
                and not is_total(squash(r.label)))

    def group_end(k: int) -> int | None:
        """The index after a group the parser did link ("工资福利支出" over its items), or
        None when row k is no such group: the group is one entry of the block."""
        r = rows[k]
        if r.parent is not None or k not in has_children or r.code or _numbered(r) \
                or is_total(squash(r.label)):
            return None
        inside, end = {k}, k + 1
        while end < len(rows) and rows[end].parent in inside:
            inside.add(end)
            end += 1
        return end

    def entries(k: int, anchor: ParsedRow, stop_at_larger: bool = True
                ) -> tuple[list[int], int]:
        """The block's entries from row k on, and the index where they end."""
        found = []
        while k < len(rows) and not (stop_at_larger and _exceeds(rows[k], anchor)):
            end = k + 1 if loose(k) else group_end(k)
            if end is None:
                break
            found.append(k)
            k = end
        return found, k

    out = []
    for i, row in enumerate(rows):
        anchor = (_numbered(row) and row.parent is None and i not in has_children) or (
            i == 0 and names_the_body(row))
        if not anchor:
            continue
        block, k = entries(i + 1, row)
        if k < len(rows) and _exceeds(rows[k], row) and _numbered(row):
            # A row larger than its 类 in the middle of the block (the next 类 follows the
            # entries after it) is a slip inside the block, not the figure after the last 类.
            longer, end = entries(i + 1, row, stop_at_larger=False)
            if end < len(rows) and _numbered(rows[end]) and len(longer) > len(block):
                block, k = longer, end
        closed = (not continued and k == len(rows)) or k < len(rows) and (
            _numbered(rows[k]) or is_total(squash(rows[k].label)) or _exceeds(rows[k], row))
        block = [b for b in block if not _MEMO.search(squash(rows[b].label))]
        larger = k if k < len(rows) and not _numbered(rows[k]) and not is_total(
            squash(rows[k].label)) and _exceeds(rows[k], row) else None
        if closed and len(block) >= 2:
            out.append((i, block, larger))
    return out


def continues(table, following) -> bool:
    """True when the next table of the document may be this one's continuation over the
    page: there is one and it has the same kind (a table printed last, or followed by a
    table of another kind, ends where it ends)."""
    return following is not None and following.kind == table.kind


def grouped_sums(values: list[Decimal], rounding: Decimal = Decimal(0)) -> set[Decimal]:
    """The sums of top entries over every way of reading the values as leaves and group
    heads (a head followed by the leaves that add up to it, or come within `rounding` per
    leaf of it: n rounded leaves may miss their rounded head by n half units)."""
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
            slack = rounding * (j - k)
            if abs(running - values[k]) <= slack:
                ends.append(j + 1)
            if running > values[k] + slack and values[k] >= 0:
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
    for anchor, block, larger in _blocks(rows, continued):
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
            q = max(quantum(c.printed) for c in [head, *(c for _, c in present)])
            exact = is_exact(q, table.unit)
            if head.value in readings:
                continue
            closest = min(readings, key=lambda s: abs(s - head.value)) if readings else sum(
                values, Decimal(0))
            level = severity(head.value, closest, len(present), q, exact)
            if level is None:
                continue
            where = f"《{source.name}》行“{rows[anchor].label}”列“{column}”：其下 {len(block)} 行"
            if not exact and head.value in grouped_sums(values, q / 2):
                # A reading adds up once each group may miss its rounded head by its items'
                # rounding ("商品和服务支出 425.88" over items adding to 425.89).
                level = ROUNDING
                message = f"{where}按分组相加时组内有四舍五入差异（表列 {plain(head.value)}{table.unit}）"
            else:
                message = (f"{where}无论如何分组都不等于该行（最接近的分组合计 "
                           f"{plain(closest)}{table.unit}，表列 {plain(head.value)}{table.unit}）")
            # The row that closed the block by printing more than its anchor may be the
            # slip itself ("物业管理费 4700.00" under "三、服务C 3,139.76"): cited too.
            after = _cell(rows[larger], column) if larger is not None else None
            if after is not None and level != ROUNDING and after.value > head.value:
                message += f"；其后一行“{rows[larger].label}”{after.printed} 大于该行，未计入"
                present = present + [(larger, after)]
            out.append(Finding(
                id=finding_id("table.inferred_groups", source.doc, source.name, rows[anchor].label,
                              str(anchor), column),
                rule="table.inferred_groups", doc=source.doc, severity=level,
                message=message,
                formula=(f"最接近的分组合计 {plain(closest)}；表列 {plain(head.value)}"
                         f"（差 {plain(head.value - closest)}）"),
                expected=closest, found=head.value,
                operands=(cell_citation(source, rows[anchor], head),
                          *(cell_citation(source, rows[k], c) for k, c in present))))
    return out
