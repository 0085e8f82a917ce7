"""Audit rules for the scores of a project self-evaluation (绩效自评表): each indicator's
得分 is at most its 分值, and the 分值 and the 得分 of the form's rows add up to what its
"总分" row prints (分值 100). A sum is checked only when the same rows print both
figures and the other column adds up exactly: a form read with a figure missing says
nothing about its sums.

Pure: SourcedTables in, Findings out; Decimal only. A form is the run of rows up to its
总分 row (a table may hold several forms one after another); rows printing no score ("—")
take no part.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow
from calc.audit_findings import (ERROR, Finding, Rule, SourcedTable, cell_citation, finding_id,
                                 parts_finding, plain, quantum)
from calc.gaps import severity
from ingest.pdf_table_text import is_subset, squash

RULES = (
    Rule("table.self_evaluation_scores",
         "绩效自评表：每项指标得分不超过其分值；各行分值之和、得分之和等于总分行所列"),
)

_TOTAL_SCORE = re.compile(r"^总分")


def _leaf(column: str) -> str:
    return column.rsplit("/", 1)[-1]


def _score_columns(columns: tuple[str, ...]) -> tuple[str, str] | None:
    """(the 分值 column, the 得分 column), or None for a table without both."""
    weight = next((c for c in columns if _leaf(c) == "分值"), None)
    score = next((c for c in columns if _leaf(c) == "得分"), None)
    return (weight, score) if weight and score else None


def _value(row: ParsedRow, column: str) -> ParsedCell | None:
    cell = next((c for c in row.cells if c.column == column), None)
    return cell if cell is not None and cell.value is not None and cell.unit != "%" else None


def _forms(rows: tuple[ParsedRow, ...]) -> list[tuple[list[int], int]]:
    """(indices of a form's rows, index of its 总分 row) for every form of the table."""
    out, start = [], 0
    for k, row in enumerate(rows):
        if _TOTAL_SCORE.match(squash(row.label)):
            out.append((list(range(start, k)), k))
            start = k + 1
    return out


def _sum(rows: tuple[ParsedRow, ...], form: list[int], column: str):
    """(the (row, cell) pairs of the form's own rows in the column, their sum); a "其中" row
    is part of the row above, not a row of its own."""
    parts = [(rows[k], c) for k in form
             if not is_subset(rows[k].label) and (c := _value(rows[k], column)) is not None]
    return parts, sum((c.value for _, c in parts), Decimal(0))


def _adds_up(total_row: ParsedRow, column: str, summed) -> bool:
    """Whether the form's rows add up exactly to the 总分 row in the column: only then were
    all its indicators read, and the other column's sum says something (a form whose
    grid lost an indicator row falls short in both)."""
    total = _value(total_row, column)
    return total is not None and total.value == summed[1]


def check_self_evaluation_scores(source: SourcedTable) -> list[Finding]:
    """A self-evaluation form's scores: 得分 ≤ 分值 on each row; Σ 分值 and Σ 得分 of its
    rows = its 总分 row's."""
    table = source.table
    columns = _score_columns(table.columns) if table.kind == "绩效" else None
    if columns is None:
        return []
    weight, score = columns
    out = []
    for rows, total_at in _forms(table.rows):
        for k in rows:
            row = table.rows[k]
            w, s = _value(row, weight), _value(row, score)
            if w is not None and s is not None and s.value > w.value:
                out.append(Finding(
                    id=finding_id("table.self_evaluation_scores", source.doc, source.name,
                                  str(k), "over"),
                    rule="table.self_evaluation_scores", doc=source.doc, severity=ERROR,
                    message=(f"《{source.name}》指标“{row.label}”得分 {s.printed} 超过其分值 "
                             f"{w.printed}"),
                    formula=f"{plain(s.value)} > {plain(w.value)}", expected=w.value,
                    found=s.value, operands=(cell_citation(source, row, s),
                                             cell_citation(source, row, w))))
        total_row = table.rows[total_at]
        sums = {column: _sum(table.rows, rows, column) for column in columns}
        if {id(r) for r, _ in sums[weight][0]} != {id(r) for r, _ in sums[score][0]}:
            continue  # a row with a score and no weight (or the reverse): not read whole
        for column, other in (columns, columns[::-1]):
            total, (parts, expected) = _value(total_row, column), sums[column]
            if total is None or len(parts) < 2 or not _adds_up(total_row, other, sums[other]):
                continue
            # Scores are set, not rounded: any gap is a slip (minor up to one per part).
            level = severity(total.value, expected, len(parts),
                             max(quantum(c.printed) for c in [total, *(c for _, c in parts)]),
                             True)
            if level is None:
                continue
            out.append(parts_finding(
                "table.self_evaluation_scores", source, (str(total_at), column), level,
                f"《{source.name}》{len(parts)} 行的{_leaf(column)}之和 "
                f"{plain(expected)}，“{total_row.label}”行列 {total.printed}",
                (total_row, total), parts, expected))
    return out
