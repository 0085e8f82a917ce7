"""Audit rule for "其中" rows: the rows listed under a row as its "其中" parts never add up to
more than it, and, when they add up to it exactly in another column, they are its whole
breakdown and must add up to it in every column.

Pure: SourcedTables in, Findings out; Decimal only. A "其中" list may name only some of
its row's parts ("其中：保险费收入" under a fund), so a short sum is a finding only where the
same list adds up exactly in another column of the row ("其中：一般债务限额 / 专项债务限额"
under each 债务限额 row, in 本地区, 本级 and 下级 alike).
"""

from __future__ import annotations

from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow
from calc.audit_findings import Finding, Rule, SourcedTable, parts_finding, plain, quantum
from calc.gaps import is_exact, severity
from calc.reconcile import is_part_of

RULES = (
    Rule("table.subset_parts",
         "“其中”各项之和不大于所属行；在某一列恰好等于所属行时，是其完整构成，各列都应相等"),
)


def _amount(row: ParsedRow, column: str) -> ParsedCell | None:
    cell = next((c for c in row.cells if c.column == column), None)
    return cell if cell is not None and cell.value is not None and cell.unit != "%" else None


def check_subset_parts(source: SourcedTable) -> list[Finding]:
    """Each row with "其中" parts: their sum against it, column by column."""
    table = source.table
    out = []
    for i, head in enumerate(table.rows):
        parts = [k for k, r in enumerate(table.rows) if r.parent == i and is_part_of(r)]
        if not parts:
            continue
        sums = {}
        for cell in head.cells:
            if cell.unit == "%" or cell.value is None:
                continue
            found = [(table.rows[k], c) for k in parts
                     if (c := _amount(table.rows[k], cell.column)) is not None]
            if found and all(c.value >= 0 for _, c in found) and cell.value >= 0:
                sums[cell.column] = (cell, found, sum((c.value for _, c in found), Decimal(0)))
        whole = any(len(found) == len(parts) >= 2 and total == cell.value
                    for cell, found, total in sums.values())
        for column, (cell, found, total) in sums.items():
            q = max(quantum(c.printed) for c in [cell, *(c for _, c in found)])
            if total <= cell.value and not (whole and len(found) == len(parts)):
                continue
            level = severity(cell.value, total, len(found), q, is_exact(q, table.unit))
            if level is None:
                continue
            out.append(parts_finding(
                "table.subset_parts", source, (head.label or head.code, str(i), column), level,
                f"《{source.name}》行“{head.label or head.code}”列“{column}”："
                f"其中 {len(found)} 项之和 {plain(total)}{table.unit}，"
                f"所属行列 {plain(cell.value)}{table.unit}",
                (head, cell), found, total))
    return out
