"""Audit rule for the rate columns of a table: a column that states how two of the table's
amount columns compare must agree with them on every row.

* "决算数为预算数的%" (A为B的%): A ÷ B × 100, both named columns of the table;
* "预算数比上年执行数增长%", "比上年预算数增长%": (later − earlier) ÷ earlier × 100, the table's
  two amount columns headed by different years ("2025年执行数", "2026年预算数").

Pure: SourcedTables in, Findings out; Decimal only. A rate is judged against the interval
the rounding of its two printed amounts allows (calc.gaps.judge_stated); a row with a
blank amount, or a base within its own rounding of zero, is skipped. Columns naming a
figure the table does not print ("决算数为上年决算数的%") are not checked.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from calc.audit_findings import (Finding, Rule, SourcedTable, cell_citation, finding_id, plain,
                                 quantum)
from calc.gaps import judge_stated

RULES = (
    Rule("table.rate_column",
         "表中比率列与其两列金额一致：“A为B的%” = A ÷ B，“比上年…增长%” = （本年 − 上年）÷ 上年"),
)

HUNDRED = Decimal(100)
_SHARE = re.compile(r"^(?P<a>.+?)为(?P<b>.+?)的?%$")
_GROWTH = re.compile(r"增长%$")
_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})年")


def _leaf(column: str) -> str:
    return column.rsplit("/", 1)[-1]


def _pairs(table: ParsedTable) -> list[tuple[str, str, str, bool]]:
    """(rate column, numerator column, base column, growth?) for each checkable rate column.
    A share divides the numerator by the base; a growth divides their difference."""
    leaves = {_leaf(c): c for c in table.columns}
    dated = sorted((int(m["year"]), c) for c in table.columns
                   if (m := _YEAR.search(_leaf(c))) and "%" not in c)
    out = []
    for column in table.columns:
        leaf = _leaf(column)
        share = _SHARE.match(leaf)
        if share and share["a"] in leaves and share["b"] in leaves:
            out.append((column, leaves[share["a"]], leaves[share["b"]], False))
        elif _GROWTH.search(leaf) and len(dated) == 2 and dated[0][0] < dated[1][0]:
            out.append((column, dated[1][1], dated[0][1], True))
    return out


def _cell(row: ParsedRow, column: str) -> ParsedCell | None:
    cell = next((c for c in row.cells if c.column == column), None)
    return cell if cell is not None and cell.value is not None else None


def _bounds(a: ParsedCell, b: ParsedCell, growth: bool) -> tuple[Decimal, Decimal] | None:
    """(low, high) of a ÷ b × 100 (less 100 for a growth) given both figures' rounding."""
    qa, qb = quantum(a.printed) / 2, quantum(b.printed) / 2
    if abs(b.value) <= qb:
        return None
    ends = [(a.value + da) / (b.value + db) * HUNDRED for da in (-qa, qa) for db in (-qb, qb)]
    shift = HUNDRED if growth else Decimal(0)
    return min(ends) - shift, max(ends) - shift


def check_rate_columns(source: SourcedTable) -> list[Finding]:
    """Every row's printed rate against its two amounts, for each checkable rate column."""
    table = source.table
    out = []
    for rate_column, a_column, b_column, growth in _pairs(table):
        for row in table.rows:
            rate, a, b = (_cell(row, rate_column), _cell(row, a_column), _cell(row, b_column))
            if rate is None or a is None or b is None or rate.unit != "%" or a.unit == "%":
                continue
            bounds = _bounds(a, b, growth)
            if bounds is None:
                continue
            level = judge_stated(rate.value, *bounds, quantum(rate.printed))
            if level is None:
                continue
            exact = (a.value - b.value if growth else a.value) / b.value * HUNDRED
            how = (f"({plain(a.value)} − {plain(b.value)}) ÷ {plain(b.value)}" if growth
                   else f"{plain(a.value)} ÷ {plain(b.value)}")
            out.append(Finding(
                id=finding_id("table.rate_column", source.doc, source.name,
                              row.label or row.code, rate_column),
                rule="table.rate_column", doc=source.doc, severity=level,
                message=(f"《{source.name}》行“{row.label or row.code}”的“{_leaf(rate_column)}”"
                         f"为 {rate.printed}，按“{_leaf(a_column)}”与“{_leaf(b_column)}”应为 "
                         f"{exact:.1f}%"),
                formula=f"{how} = {exact:.2f}%；表列 {rate.printed}",
                expected=exact.quantize(quantum(rate.printed)), found=rate.value,
                operands=(cell_citation(source, row, rate), cell_citation(source, row, a),
                          cell_citation(source, row, b))))
    return out
