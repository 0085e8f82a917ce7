"""Audit rule for 机关运行经费 against 公用经费: the running costs of the administrative
units are the part of the 一般公共预算 (财政拨款) basic spending's 公用经费 that buys goods
and services, so the 机关运行经费 the narrative states can never exceed the 公用经费 total
of the 基本支出表; and where the two differ only in the last digit they are one figure
printed two ways.

Pure: Passages and SourcedTables in, Findings out; Decimal only.
"""

from __future__ import annotations

import re

from budgetqa.domain import ParsedCell, ParsedRow, Passage
from calc.audit_findings import (ERROR, MINOR, MONEY, Finding, Rule, SourcedTable, cell_citation,
                                 finding_id, passage_citation, plain, quantum, severity)
from ingest.narrative_facts import Fact, extract_facts
from ingest.pdf_table_text import is_total, squash

RULES = (
    Rule("cross.running_costs", "机关运行经费不超过一般公共预算（财政拨款）基本支出中的公用经费；"
                                "两者仅差末位时应为同一数字"),
)

# Words that make the figure something else than this year's running costs.
_NOT_STATED = re.compile(r"上年|去年|增加|减少|增长|下降|比|较|执行|年初|调整")
# "（一）机关运行经费。2026 年一般公共预算财政拨款运行经费 1,815 万元" names it by its funds.
_RUNNING = re.compile(r"机关运行经费|拨款运行经费")
# Tables whose 公用经费 total is the basic spending's of the appropriations.
_KINDS = ("基本支出表", "一般公共预算支出表")
_SCOPE = re.compile(r"一般公共预算|财政拨款")


def public_costs(sources: list[SourcedTable]
                 ) -> tuple[SourcedTable, ParsedRow, ParsedCell] | None:
    """The 公用经费 total of the disclosure's 一般公共预算 (or 财政拨款) basic spending: the
    total row's 公用经费 column (or a "公用经费合计" row) of the first such table."""
    for kind in _KINDS:
        for source in sources:
            table = source.table
            if table.kind != kind or not _SCOPE.search(squash(table.title)) \
                    or table.unit not in MONEY or "决算" in table.title and "上年" in table.title:
                continue
            for row in table.rows:
                label = squash(row.label)
                if row.code or not (is_total(label) or label.startswith("公用经费合计")):
                    continue
                for cell in row.cells:
                    if cell.value is None or re.search(r"上年|比上", cell.column):
                        continue
                    if "公用经费" in squash(cell.column) or label.startswith("公用经费合计"):
                        return source, row, cell
    return None


def _stated(fact: Fact) -> bool:
    clause = squash(fact.clause)
    named = [m.start() for m in _RUNNING.finditer(clause)]
    return (fact.kind == "amount" and fact.unit in MONEY and bool(named)
            and not _NOT_STATED.search(clause[named[-1]:]))


def check_running_costs(passages: list[Passage], sources: list[SourcedTable]) -> list[Finding]:
    """Each 机关运行经费 the narrative states, against the 公用经费 total (see module)."""
    found = public_costs(sources)
    if found is None:
        return []
    source, row, cell = found
    scale_table = MONEY[source.table.unit]
    public = cell.value * scale_table
    out = []
    for passage in passages:
        for fact in extract_facts(passage):
            if not _stated(fact):
                continue
            scale = MONEY[fact.unit]
            stated = fact.value * scale
            q = quantum(fact.printed.rstrip(fact.unit)) * scale
            gap = severity(stated, public, 1, q, False)
            if gap is None or abs(stated - public) <= q / 2:
                continue  # the same figure, or the 公用经费 rounded
            if stated > public:
                level, what = (gap if gap != ERROR else ERROR), "大于"
            elif gap in (MINOR, "rounding") or abs(public - stated) <= q:
                level, what = MINOR, "仅差末位于"
            else:
                continue  # below the 公用经费: other units' or other spending's share
            out.append(Finding(
                id=finding_id("cross.running_costs", passage.doc_id, fact.sentence, fact.printed),
                rule="cross.running_costs", doc=passage.doc_id, severity=level,
                message=(f"说明中机关运行经费 {fact.printed}{what}《{source.name}》的公用经费 "
                         f"{plain(cell.value)}{source.table.unit}"),
                formula=(f"{plain(stated / scale)} − {plain(public / scale)} = "
                         f"{plain((stated - public) / scale)}{fact.unit}"),
                expected=public / scale, found=fact.value,
                operands=(passage_citation(passage, fact.sentence, fact.printed, fact.unit),
                          cell_citation(source, row, cell))))
    return out
