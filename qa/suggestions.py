"""Suggested questions drawn from a document's own tables, so every suggestion has an answer.

Suggestions name figures the document prints: the columns of its 支出总表 totals row, the
non-empty items of its 三公 table, and its largest 功能分类 rows. Pure: tables in, questions out.
"""

from __future__ import annotations

import re

from budgetqa.domain import ParsedRow, ParsedTable

# Column segments that are not names of a figure.
_GENERIC = re.compile(r"^(合计|小计|总计|金额|预算数|本年预算|预算|决算数|\d{4}年.*|支出预算|"
                      r"一般公共预算支出|财政拨款)$")
_TOTAL_LABEL = re.compile(r"^(合计|总计|支出合计|本年支出合计)?$")


def figure_name(column: str) -> str:
    """The most specific meaningful segment of a column path ("基本支出/人员支出" → "人员支出")."""
    segments = [s.strip() for s in column.split("/") if s.strip()]
    for segment in reversed(segments):
        if not _GENERIC.match(segment):
            return segment if _is_name(segment) else ""
    return ""


def _is_name(text: str) -> bool:
    """A whole figure name, not a header fragment such as "（境）费" or "三公”经费"."""
    return (len(text) >= 4 and not re.match(r"^[（(“”\"、，,]", text)
            and text.count("“") == text.count("”") and text.count("（") == text.count("）"))


def _total_row(table: ParsedTable) -> ParsedRow | None:
    for row in table.rows:
        if row.level == 0 and _TOTAL_LABEL.match(row.label.replace(" ", "")):
            return row
    return None


def _non_empty(row: ParsedRow) -> list[str]:
    """Names of the row's columns that hold a non-zero figure, in column order, no repeats."""
    names: list[str] = []
    for cell in row.cells:
        name = figure_name(cell.column)
        if cell.value and name and name not in names:
            names.append(name)
    return names


def suggest_questions(tables: list[ParsedTable], limit: int = 6) -> list[str]:
    """Up to `limit` questions about figures the tables print, most general first."""
    out: list[str] = []

    def add(question: str) -> None:
        if question not in out:
            out.append(question)

    spending = next((t for t in tables if t.kind == "支出总表"), None)
    three = next((t for t in tables if t.kind == "三公经费表"), None)
    if spending is not None:
        total = _total_row(spending)
        parts = _non_empty(total) if total else []
        for name in parts[:2]:
            add(f"{name}是多少？")
        if parts:
            add(f"{parts[0]}占支出总预算的比例是多少？")
    if three is not None and three.rows:
        for name in _non_empty(three.rows[0])[:2]:
            add(f"{name}是多少？")
    if spending is not None:
        functional = sorted((r for r in spending.rows if r.level == 1 and r.code and r.cells
                             and r.cells[0].value), key=lambda r: -r.cells[0].value)
        for row in functional[:2]:
            add(f"{row.label}是多少？")
    return out[:limit]
