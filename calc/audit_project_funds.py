"""Audit rule for the project funds under performance targets: "编报绩效目标的项目共25个，涉及
项目预算资金11381.60万元" speaks of some of the disclosure's projects, so it cannot exceed
the 项目支出 its tables print; "所有项目支出预算纳入部门预算绩效管理，涉及预算资金 X" is all of it.

Pure: Passages and SourcedTables in, Findings out; Decimal only. The bound is the largest
项目支出 total a table prints (all funds), the equality any of them (a disclosure may print
the appropriations' 项目支出 beside all funds').
"""

from __future__ import annotations

import re

from budgetqa.domain import Passage
from calc.audit_cross import table_figures
from calc.audit_findings import (ERROR, MONEY, UNIT_SLIP, Finding, Rule, SourcedTable,
                                 cell_citation, finding_id, is_exact, passage_citation, plain,
                                 quantum, severity)
from ingest.numbers import parse_amount

RULES = (
    Rule("narrative.project_funds", "绩效目标管理涉及的项目资金不超过表列项目支出；称所有项目纳入时与之相等；"
                                    "按元/万元错位后才与之相等时为单位错误"),
)

# "涉及项目预算资金 11381.60 万元", "涉及财政性资金合计 4481.3 万元".
_FUNDS = re.compile(r"(编报绩效目标|绩效目标管理|纳入[^，。；]{0,12}绩效管理)[^。]{0,40}?涉及"
                    r"[^，,。；;\d]{0,8}?(资金|金额)\s*(合计|共计|总计|共|为)?\s*"
                    r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)")
_ALL = re.compile(r"所有项目|全部项目")
# "实行整体支出绩效目标管理，涉及财政性资金合计 37188.34 万元": all the spending, not projects.
_WHOLE_SPENDING = re.compile(r"整体支出")


_OTHER_UNIT = {"元": "万元", "万元": "元"}


def _in_other_unit(value, unit: str, totals: list) -> tuple | None:
    """The 项目支出 total the figure equals only when read in the other unit ("涉及项目预算
    资金 262.00 元" where the tables print 262.00 万元): a unit printed wrong, not a bound
    kept. None when it equals a total as printed, or none in the other unit."""
    q = quantum(format(value, "f")) / 2
    if any(abs(t[0] - value * MONEY[unit]) <= q * MONEY[unit] for t in totals):
        return None
    other = MONEY[_OTHER_UNIT[unit]]
    return next((t for t in totals if abs(t[0] - value * other) <= q * other), None)


def check_project_funds(passages: list[Passage], sources: list[SourcedTable],
                        kind: str = "") -> list[Finding]:
    """Project funds under performance targets above every 项目支出 total the tables print,
    or, when the narrative says all projects, equal to none of them. Budgets only (kind):
    a 决算 compares the budgets of its targeted projects with what was spent."""
    if "决算" in kind:
        return []
    totals = []
    for source in sources:
        scale = MONEY.get(source.table.unit)
        figure = table_figures(source).get("项目支出")
        if scale and figure and figure[1].value:
            totals.append((figure[1].value * scale, source, figure))
    if not totals:
        return []
    out = []
    for passage in passages:
        for m in _FUNDS.finditer(passage.text):
            value = parse_amount(m.group("number"))
            if value is None:
                continue
            scale = MONEY[m.group("unit")]
            q = quantum(m.group("number"))
            start = max(passage.text.rfind("。", 0, m.start()), 0)
            sentence = passage.text[start: passage.text.find("。", m.end()) + 1 or None].strip("。\n ")
            if _WHOLE_SPENDING.search(sentence):
                continue
            every = bool(_ALL.search(sentence))
            nearest = min(totals, key=lambda t: abs(t[0] - value * scale))
            largest = max(totals, key=lambda t: t[0])
            slipped = _in_other_unit(value, m.group("unit"), totals)
            if slipped is not None:
                level, total, what = UNIT_SLIP, slipped, "按另一单位计等于"
            elif every:
                level = severity(value, nearest[0] / scale, 1, q, is_exact(q, m.group("unit")))
                total, what = nearest, "等于"
            elif value * scale > largest[0] + q * scale / 2:
                level, total, what = ERROR, largest, "不超过"
            else:
                continue
            if level is None:
                continue
            _, source, (row, cell) = total
            out.append(Finding(
                id=finding_id("narrative.project_funds", passage.doc_id, sentence, m.group(0)),
                rule="narrative.project_funds", doc=passage.doc_id, severity=level,
                message=(f"绩效目标管理涉及项目资金 {plain(value)}{m.group('unit')}，应{what}"
                         f"《{source.name}》项目支出 {plain(cell.value)}{source.table.unit}"),
                formula=f"{plain(value)}{m.group('unit')} vs {plain(cell.value)}{source.table.unit}",
                expected=total[0] / scale, found=value,
                operands=(passage_citation(passage, sentence, m.group("number") + m.group("unit"),
                                           m.group("unit")),
                          cell_citation(source, row, cell))))
    return out

