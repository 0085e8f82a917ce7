"""Row levels and parents: 类 > 款 > 项 by 科目编码, or 一、>（一）> 1. by numbering;
and the budget unit (`ParsedRow.body`) that project rows belong to."""

from __future__ import annotations

import re
from dataclasses import replace

from budgetqa.domain import ParsedRow
# One reading of labels for every table, whether it came from a PDF or a text grid.
from ingest.pdf_table_text import is_total, numbering_level

__all__ = ["assign_bodies", "assign_levels", "is_body_table", "is_total", "nest_unit_rows",
           "numbering_level", "row_level"]

# Length of a 科目编码 at each level: 功能分类 3/5/7 digits, 经济分类 3/5 digits.
_CODE_LEVEL = {3: 1, 5: 2, 7: 3}


def row_level(row: ParsedRow) -> int:
    """1, 2 or 3 from the code's length or the label's numbering; 0 for totals and flat rows."""
    if is_total(row.label):
        return 0
    if row.code.isdigit() and len(row.code) in _CODE_LEVEL:
        return _CODE_LEVEL[len(row.code)]
    return numbering_level(row.label) or 0


def assign_levels(rows: list[ParsedRow]) -> list[ParsedRow]:
    """Rows with `level` and `parent` (index of the nearest enclosing row) filled in."""
    out: list[ParsedRow] = []
    open_rows: dict[int, int] = {}  # level -> index of the latest row at that level
    for i, row in enumerate(rows):
        level = row_level(row)
        parent = None
        if level:
            for up in range(level - 1, 0, -1):
                candidate = open_rows.get(up)
                if candidate is not None and (not row.code or row.code.startswith(out[candidate].code)):
                    parent = candidate
                    break
            open_rows[level] = i
            for deeper in [lv for lv in open_rows if lv > level]:
                del open_rows[deeper]
        elif is_total(row.label):
            open_rows.clear()
        out.append(replace(row, level=level, parent=parent))
    return out


def _first_amount(row: ParsedRow):
    return next((c.value for c in row.cells if c.value is not None), None)


def nest_unit_rows(rows: list[ParsedRow]) -> list[ParsedRow]:
    """A department row followed by its units' rows ("绍兴市政务服务办公室", then "…本级",
    "…中心") becomes their parent when the units add up to it exactly; otherwise a 合计
    would be counted twice (department + units)."""
    out = list(rows)
    i = 0
    while i < len(out):
        row, head = out[i], _first_amount(out[i])
        if row.level or row.code or is_total(row.label) or head is None:
            i += 1
            continue
        running, j = 0, i + 1
        while j < len(out) and not out[j].level and not out[j].code and not is_total(out[j].label):
            running += _first_amount(out[j]) or 0
            j += 1
            if running == head and j - i > 2:
                out[i] = replace(row, level=1)
                for k in range(i + 1, j):
                    out[k] = replace(out[k], level=2, parent=i)
                break
        i = j if out[i].level else i + 1
    return out


# How the name of a budget unit ends: 局, 委员会, 中心, 街道办事处, 学院, 医院 …
_BODY_NAME = re.compile(r"(局|委员会|委|办公室|办公厅|办事处|中心|院|所|站|处|学校|馆|队|厅|社|团|协会|联合会)(本级|机关)?$")
_BODY_HEADER = re.compile(r"^(单位名称|预算单位名称|预算单位|部门名称)$")
# Tables that list projects or units: elsewhere a row named …院 (法院, 公立医院) is a 科目.
_BODY_TABLE = re.compile(r"项目|单位")


def is_body_table(title: str) -> bool:
    """Whether a table lists projects or units (项目支出表, 分单位 tables), so rows name bodies."""
    return bool(_BODY_TABLE.search(title))


def assign_bodies(rows: list[ParsedRow]) -> list[ParsedRow]:
    """Rows with `body`: the budget unit each project (or unit) row belongs to.

    Two ways a table says it: a text column 单位名称 / 预算单位 (a blank cell continues the
    merged cell above), or a row naming a unit (…局, …中心) whose amounts are the sum of the
    rows under it, as in a 项目支出表 listing each unit's projects. Such a unit row becomes
    level 1 and the parent of its projects.
    """
    out = list(rows)
    carried = ""
    for i, row in enumerate(out):
        named = next((v for k, v in row.qualifiers if _BODY_HEADER.match(k.split("/")[-1])), "")
        if named:
            carried = named
        if carried:
            out[i] = replace(row, body=carried)
    if carried:
        return out
    nested = nest_unit_rows(out)
    for i, row in enumerate(nested):
        if row.level == 1 and not row.code and row.parent is None and _BODY_NAME.search(row.label):
            out[i] = replace(row, body=row.label)
            for k in range(i + 1, len(nested)):
                if nested[k].parent != i:
                    break
                out[k] = replace(nested[k], body=row.label)
    return out
