"""Tables whose stated unit disagrees with their figures (a 万元 head over figures in 元).

Publishers fill templates: a table head may keep the template's "单位：万元" while the
figures below it are typed in 元, so every figure read in the stated unit is 10,000 times
too large. Within one document every table is part of the same budget, so:

* **scale**: a table whose figures, read in the stated unit, exceed the largest figure of
  every other table of the document a hundredfold (a part larger than any whole), and that
  fit among them read one unit step (10,000×) smaller, does not use the unit it states;
* **items**: read in the smaller unit, some of its figures — a cell, or the sum of the rows
  sharing a qualifier (债券性质 = 一般债券) — are printed by another table of the document
  in its own unit. Only figures with five or more significant digits count (a round 100000,
  or 1119, is met by chance among a document's thousands of figures), and a figure that other tables print as it stands (same
  figure read in the stated unit) is evidence for the stated unit.

With both, the table takes the smaller unit and `unit_note` says why; with scale alone the
table keeps its stated unit, is marked `unit_doubtful` and `unit_note` says why, so answers
from it can abstain rather than be 10,000 times off.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from budgetqa.domain import ParsedRow, ParsedTable
from ingest.pdf_table_text import is_total

__all__ = ["check_stated_units"]

# Units of money and their size in 元; a step down is the unit 10,000 times smaller.
_IN_YUAN = {"元": Decimal(1), "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}
_STEP_DOWN = {"万元": "元", "亿元": "万元"}
_SCALE = 100  # how many times a table may not exceed every other table of its document
# Significant digits of a figure that counts as a match: a document prints thousands of
# figures, and four digits (1119万元) are still met by chance.
_LEAST_DIGITS = 5


def _money(table: ParsedTable) -> list[Decimal]:
    """The table's figures in its own unit (no percentages, targets or figures of another
    unit)."""
    return [abs(c.value) for r in table.rows for c in r.cells
            if c.value is not None and not c.unit and c.measure != "指标值"]


def _significant(value: Decimal) -> int:
    digits = format(abs(value), "f").replace(".", "").strip("0")
    return len(digits)


def _group_of(row: ParsedRow, key: str, values: set[str]) -> str:
    """The value of qualifier `key` a row stands for. A cell whose text spilled into its
    neighbour's ("…监测预警中一般债券" read under 项目实施单位, 债券性质 left empty) still ends
    with its own column's value ("一般债券"), which names the row's group."""
    printed = [v for k, v in row.qualifiers if k == key]
    if printed and printed[0] in values and not any(
            printed[0] != v and printed[0].endswith(v) for v in values):
        return printed[0]
    texts = printed or [v for _, v in row.qualifiers]
    ends = [v for v in values for t in texts if len(v) >= 2 and t != v and t.endswith(v)]
    return min(ends, key=len) if ends else (printed[0] if printed else "")


def _candidates(table: ParsedTable) -> set[Decimal]:
    """The table's figures and the sums of its rows grouped by each qualifier's value."""
    out = set(_money(table))
    groups: dict[tuple[str, str, str], Decimal] = {}
    values: dict[str, set[str]] = {}
    for row in table.rows:
        for key, value in row.qualifiers:
            values.setdefault(key, set()).add(value)
    for row in table.rows:
        if is_total(row.label):
            continue
        for key in values:
            value = _group_of(row, key, values[key])
            if not value:
                continue
            for cell in row.cells:
                if cell.value is not None and not cell.unit:
                    group = (key, value, cell.column)
                    groups[group] = groups.get(group, Decimal(0)) + abs(cell.value)
    return out | set(groups.values())


def _printed_elsewhere(tables: list[ParsedTable], skip: int) -> set[Decimal]:
    """Every money figure of the other tables, in 元."""
    return {v * _IN_YUAN[t.unit] for k, t in enumerate(tables)
            if k != skip and t.unit in _IN_YUAN for v in _money(t)}


def _matches(figures: set[Decimal], factor: Decimal, elsewhere: set[Decimal]) -> list[Decimal]:
    return sorted(f for f in figures
                  if _significant(f) >= _LEAST_DIGITS and f * factor in elsewhere)


def check_stated_units(tables: list[ParsedTable]) -> tuple[list[ParsedTable], list[str]]:
    """The tables with each stated unit its figures contradict corrected or marked doubtful,
    and a warning for each (see the module's docstring for the evidence)."""
    out, warnings = list(tables), []
    for k, table in enumerate(tables):
        smaller = _STEP_DOWN.get(table.unit)
        figures = _money(table)
        if smaller is None or not figures:
            continue
        others = [v * _IN_YUAN[t.unit] for j, t in enumerate(tables)
                  if j != k and t.unit in _IN_YUAN for v in _money(t)]
        if len(others) < 10:
            continue  # too little of the document to judge its scale
        largest_elsewhere = max(others)
        largest = max(figures) * _IN_YUAN[table.unit]
        step = _IN_YUAN[table.unit] / _IN_YUAN[smaller]
        if not (largest > _SCALE * largest_elsewhere and largest / step <= largest_elsewhere):
            continue
        elsewhere = _printed_elsewhere(tables, k)
        candidates = _candidates(table)
        as_smaller = _matches(candidates, _IN_YUAN[smaller], elsewhere)
        as_stated = _matches(candidates, _IN_YUAN[table.unit], elsewhere)
        times = (largest / largest_elsewhere).quantize(Decimal(1))
        if as_smaller and not as_stated:
            shown = "、".join(format(v, ",f") for v in as_smaller[:3])
            note = (f"表头单位为{table.unit}，但数字是{smaller}：按{table.unit}读，最大数是本文件其他各表"
                    f"最大数的{times}倍；按{smaller}读，{shown}与其他表所列数字相同")
            out[k] = replace(table, unit=smaller, unit_note=note)
            warnings.append(f"table {table.title!r} states {table.unit} but prints {smaller}: "
                            f"read in {smaller} ({len(as_smaller)} figures match other tables)")
        else:
            note = (f"表头单位为{table.unit}，但按{table.unit}读，最大数是本文件其他各表最大数的"
                    f"{times}倍，数字可能是{smaller}；其他表没有可核对的相同数字，单位存疑")
            out[k] = replace(table, unit_doubtful=True, unit_note=note)
            warnings.append(f"table {table.title!r} states {table.unit}, but its figures are "
                            f"{times} times the rest of the document's: unit doubtful")
    return out, warnings
