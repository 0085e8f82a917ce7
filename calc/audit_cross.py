"""Audit rules across the tables of one disclosure: the standard tables its kind should
have, empty tables without a note, and the same figure printed in several tables
(收支总表 ↔ 收入总表 ↔ 支出总表; 财政拨款收支总表 ↔ 一般公共预算支出表 ↔ 基本支出表).

Pure: SourcedTables in, Findings out; Decimal only.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow
from calc.audit_findings import (MISSING, MONEY, Finding, Rule, SourcedTable, cell_citation,
                                 finding_id, is_exact, plain, quantum, severity, table_citation)
from calc.audit_groups import names_the_body
from ingest.kinds import GENERALITY
from ingest.pdf_table_text import squash

RULES = (
    Rule("completeness.missing_table", "按公开类型（部门预算/单位预算/部门决算）应有的标准表缺失"),
    Rule("completeness.empty_table", "空表未注明“本表无数据”之类的说明"),
    Rule("cross.unit_mislabel", "金额单位口径：一张表的各项数字是另一张表同名同编码项目的一万倍（元/万元标错）"),
    Rule("cross.same_figure", "同一数字在汇总表与明细表中一致（收支总表↔收入总表↔支出总表；"
                              "财政拨款收支总表↔一般公共预算支出表↔基本支出表）"),
)

# The standard tables of each kind of disclosure, by canonical kind (ingest.kinds).
_BUDGET = ("收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表",
           "基本支出表", "三公经费表", "政府性基金")
EXPECTED_KINDS: dict[str, tuple[str, ...]] = {
    "部门预算": _BUDGET,
    "单位预算": _BUDGET,
    "部门决算": _BUDGET + ("国有资本经营",),
}


def completeness_kind(table) -> str:
    """The table's canonical kind, reading 决算 titles "收入支出决算总表" as 收支总表
    (ingest.kinds looks for "收支" and files them under 收入总表)."""
    title = squash(table.title)
    if "收入支出" in title and "总表" in title:
        return "财政拨款收支总表" if "财政拨款" in title else "收支总表"
    return table.kind


def check_completeness(kind: str, sources: list[SourcedTable], first_doc: str) -> list[Finding]:
    """Standard tables missing from the disclosure, and empty tables printed without a note."""
    out = []
    present = {completeness_kind(s.table) for s in sources}
    for wanted in EXPECTED_KINDS.get(kind, ()):
        if wanted not in present:
            out.append(Finding(
                id=finding_id("completeness.missing_table", first_doc, wanted),
                rule="completeness.missing_table", doc=first_doc, severity=MISSING,
                message=f"{kind}应公开的“{wanted}”未找到"))
    for source in sources:
        cells = [c for r in source.table.rows for c in r.cells]
        if any(c.value is not None for c in cells) or source.table.note:
            continue
        out.append(Finding(
            id=finding_id("completeness.empty_table", source.doc, source.name),
            rule="completeness.empty_table", doc=source.doc, severity=MISSING,
            message=f"《{source.name}》没有数字，也未注明为空表的原因",
            operands=(table_citation(source),)))
    return out


def _is_total_label(label: str) -> bool:
    return squash(label) in ("合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计")


def _main_column(columns: tuple[str, ...]) -> str | None:
    for column in columns:
        if squash(column.rsplit("/", 1)[-1]) in ("合计", "总计", "金额", "预算数"):
            return column
    return columns[0] if len(columns) == 1 else None


def _column(columns: tuple[str, ...], word: str) -> str | None:
    found = [c for c in columns if squash(c.rsplit("/", 1)[-1]) == word]
    return found[0] if len(found) == 1 else None


def _cell(row: ParsedRow, column: str | None) -> ParsedCell | None:
    cell = next((c for c in row.cells if c.column == column), None)
    return cell if cell is not None and cell.value is not None else None


def table_figures(source: SourcedTable) -> dict[str, tuple[ParsedRow, ParsedCell]]:
    """The summary figures a table prints, by name: 收入总计, 支出总计, 基本支出, …"""
    table = source.table
    title = squash(table.title)
    out: dict[str, tuple[ParsedRow, ParsedCell]] = {}

    def put(name: str, row: ParsedRow, column: str | None) -> None:
        cell = _cell(row, column)
        if cell is not None:
            out.setdefault(name, (row, cell))

    totals = [r for r in table.rows if not r.code and _is_total_label(r.label)]
    if not totals and table.rows and names_the_body(table.rows[0]):
        totals = [table.rows[0]]  # "深圳市…管理局 4,628.07" heads the table as its total
    main = _main_column(table.columns)
    kind = completeness_kind(table)
    if kind in ("收支总表", "财政拨款收支总表"):
        prefix = "财政拨款" if kind == "财政拨款收支总表" else ""
        for row in table.rows:
            label = squash(row.label)
            for cell in row.cells:
                side = "收入" if "收入" in cell.column or label.startswith("收入") else "支出"
                leaf = squash(cell.column.rsplit("/", 1)[-1])
                # "收入合计"/"支出合计" name the totals of a 收支总表 that prints no 总计.
                if (label.endswith("总计") or label in ("收入合计", "支出合计")) \
                        and cell.value is not None and leaf in (
                        "合计", "金额", "预算数", "收入", "支出", "决算数"):
                    out.setdefault(f"{prefix}{side}总计", (row, cell))
            if prefix and re.fullmatch(r"[一二三四五六七八九十]+、基本支出", label):
                for cell in row.cells:
                    if cell.value is not None:
                        out.setdefault("财政拨款基本支出", (row, cell))
    elif kind == "收入总表" and totals:
        put("收入总计", totals[0], main)
    elif table.kind == "支出总表" and totals:
        put("支出总计", totals[0], main)
        put("基本支出", totals[0], _column(table.columns, "基本支出"))
        put("项目支出", totals[0], _column(table.columns, "项目支出"))
    elif table.kind == "一般公共预算支出表" and totals:
        put("一般公共预算支出", totals[0], main)
        put("一般公共预算基本支出", totals[0], _column(table.columns, "基本支出"))
    elif table.kind == "基本支出表" and totals:
        name = ("一般公共预算基本支出" if "一般公共预算" in title else
                "财政拨款基本支出" if "财政拨款" in title else "基本支出")
        put(name, totals[0], main)
    return out


def check_same_figures(sources: list[SourcedTable]) -> list[Finding]:
    """The same named figure printed in several tables must agree (compared in 元)."""
    by_name: dict[str, list[tuple[SourcedTable, ParsedRow, ParsedCell]]] = {}
    for source in sources:
        if source.table.unit not in MONEY:
            continue
        for name, (row, cell) in table_figures(source).items():
            by_name.setdefault(name, []).append((source, row, cell))
    out = []
    for name, entries in by_name.items():
        entries.sort(key=lambda e: GENERALITY.get(e[0].table.kind, 9))
        ref_source, ref_row, ref_cell = entries[0]
        ref_scale = MONEY[ref_source.table.unit]
        for source, row, cell in entries[1:]:
            scale = MONEY[source.table.unit]
            a, b = ref_cell.value * ref_scale, cell.value * scale
            q = max(quantum(ref_cell.printed) * ref_scale, quantum(cell.printed) * scale)
            level = severity(b, a, 1, q, is_exact(q, "元"))
            if level is None:
                continue
            unit = "元" if ref_scale != scale else ref_source.table.unit
            shown = (lambda v: plain(v)) if unit == "元" else (lambda v: plain(v / ref_scale))
            out.append(Finding(
                id=finding_id("cross.same_figure", source.doc, name, ref_source.name, source.name),
                rule="cross.same_figure", doc=source.doc, severity=level,
                message=(f"“{name}”：《{ref_source.name}》为 {shown(a)}{unit}，"
                         f"《{source.name}》为 {shown(b)}{unit}"),
                formula=f"{shown(b)} − {shown(a)} = {shown(b - a)}{unit}",
                expected=a / ref_scale, found=b / ref_scale,
                operands=(cell_citation(ref_source, ref_row, ref_cell),
                          cell_citation(source, row, cell))))
    return out


# Shared items two tables must have before a ×10,000 ratio between all of them is taken
# for a unit printed wrong rather than for a coincidence.
MIN_SHARED = 3
TEN_THOUSAND = Decimal(10000)


def _items(source: SourcedTable) -> dict[tuple[str, str], tuple[ParsedRow, ParsedCell]]:
    """A table's rows by (科目编码, label), with their main figure (nonzero only)."""
    main = _main_column(source.table.columns)
    out = {}
    for row in source.table.rows:
        cell = _cell(row, main)
        if cell is not None and cell.value and (row.code or len(squash(row.label)) >= 3):
            out.setdefault((row.code, squash(row.label)), (row, cell))
    return out


def check_unit_mislabels(sources: list[SourcedTable]) -> list[Finding]:
    """Tables whose figures are all 10,000× (or 1/10,000 of) another table's for the same
    items, once both are read in 元: one of the two prints the wrong unit."""
    items = [(s, _items(s)) for s in sources if s.table.unit in MONEY]
    out = []
    for i, (a, a_items) in enumerate(items):
        for b, b_items in items[i + 1:]:
            shared = [k for k in a_items if k in b_items]
            if len(shared) < MIN_SHARED:
                continue
            ratios = {a_items[k][1].value * MONEY[a.table.unit]
                      / (b_items[k][1].value * MONEY[b.table.unit]) for k in shared}
            for big, small, factor in ((a, b, TEN_THOUSAND), (b, a, 1 / TEN_THOUSAND)):
                if all(abs(r / factor - 1) < Decimal("0.001") for r in ratios):
                    key = shared[0]
                    out.append(Finding(
                        id=finding_id("cross.unit_mislabel", big.doc, big.name, small.name),
                        rule="cross.unit_mislabel", doc=big.doc, severity="unit_slip",
                        message=(f"《{big.name}》（{big.table.unit}）的 {len(shared)} 项数字都是"
                                 f"《{small.name}》（{small.table.unit}）同名项目的一万倍：其中一张表的"
                                 f"金额单位标错"),
                        operands=(cell_citation(a, *a_items[key]), cell_citation(b, *b_items[key]))))
    return out
