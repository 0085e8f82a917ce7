"""科目编码 for tables that print labels only, borrowed from tables of the same document.

A 收支总表 lists 一般公共服务支出, its 款 and its 项 without codes, so nothing says which
rows are parts of which; the 支出总表 of the same document prints the same labels with
their codes. Borrowing them gives the code-less table its 类 > 款 > 项 levels, and its
totals can then be checked.
"""

from __future__ import annotations

from dataclasses import replace

from budgetqa.domain import ParsedTable
from ingest.hierarchy import assign_levels, is_total

# A code-less table borrows only when this many of its labels have a known code.
MIN_BORROWED = 3
# Summary tables list 功能分类 items by name; other code-less tables (政府采购, 项目) mix
# names of other kinds, where a borrowed code would invent a hierarchy.
BORROWING_KINDS = {"收支总表", "财政拨款收支总表"}


def _code_map(tables: list[ParsedTable]) -> dict[str, set[str]]:
    """Label → the codes it is printed with anywhere in the document."""
    seen: dict[str, set[str]] = {}
    for table in tables:
        for row in table.rows:
            if row.code and row.label:
                seen.setdefault(row.label, set()).add(row.code)
    return seen


def _pick(codes: set[str], previous: str) -> str:
    """One code for a label: the only one, or the one under the same 类 as the row above
    (住房公积金 is 2210201 among 住房保障 rows, 30113 among 工资福利 rows)."""
    if len(codes) == 1:
        return next(iter(codes))
    near = [c for c in codes if previous and c[:3] == previous[:3]]
    return near[0] if len(near) == 1 else ""


def borrow_codes(tables: list[ParsedTable]) -> list[ParsedTable]:
    """Tables whose rows print no codes get the codes their labels have elsewhere."""
    codes = _code_map(tables)
    out = []
    for table in tables:
        known = [row for row in table.rows if row.label in codes]
        if table.kind not in BORROWING_KINDS or any(row.code for row in table.rows) \
                or len(known) < MIN_BORROWED:
            out.append(table)
            continue
        rows, previous = [], ""
        for row in table.rows:
            if is_total(row.label):
                rows.append(row)
                continue
            code = _pick(codes.get(row.label, set()), previous)
            previous = code or previous
            rows.append(replace(row, code=code, level=0, parent=None))
        out.append(replace(table, rows=tuple(_by_side(rows))))
    return out


def _by_side(rows):
    """Levels per side of a side-by-side table, so 收入 rows never become 支出 parents."""
    sides: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        side = row.cells[0].column.split("/")[0] if row.cells else ""
        sides.setdefault(side, []).append(i)
    out = list(rows)
    for positions in sides.values():
        levelled = assign_levels([rows[i] for i in positions])
        for local, i in enumerate(positions):
            parent = levelled[local].parent
            out[i] = replace(levelled[local], parent=None if parent is None else positions[parent])
    return out
