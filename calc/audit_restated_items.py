"""Audit rule for an item the narrative states twice in one section: "公务用车购置及运行费支出
183.6 万元，占“三公”经费的 22.03%；… 具体情况如下：… 2．公务用车购置及运行费预算支出 183.6 万元"
or "包括在职人员经费 2,140.21 万元、公用经费 425.88 万元 … （二）公用经费 425.88 万元，主要包括…".

Pure: Passages in, Findings out; Decimal only. Within one section, an amount stated under
one name speaks of one figure (the section is about one year's budget of one body), so a
second statement of that name must repeat it. Names are compared as printed, without
numbering and the filler words a restatement adds or drops (预算, 支出, 数, 为, 安排, the year);
a name stated with three or more different amounts is a heading over several items, not
one item, and is skipped, as are names of a change or last year's figure (facts of kind
"amount" only) and figures in brackets.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_findings import (MONEY, Finding, Rule, finding_id, is_exact, passage_citation,
                                 plain, quantum, severity)
from calc.audit_lists import sections
from ingest.label_text import norm, strip_numbering
from ingest.narrative_facts import Fact, extract_facts

RULES = (
    Rule("narrative.restated_item", "同一节说明中同一项目先后列出的金额一致（如“三公”各项在占比句与分项说明中）"),
)

# Words a restatement adds or drops around the same name.
_FILLER = re.compile(r"20\d{2}年度?|本年度?|全年|年初|预算数?|决算数?|支出|安排|共计|合计|金额|"
                     r"为|是|的|达|约|共|计|数")
# Names too general to be one item ("其中", "主要用于", a bare "收入").
MIN_NAME = 4
# Words that make the figure something other than the item's amount.
_NOT_ITEM = re.compile(r"增|减|下降|上升|持平|占|比|较|上年|去年|执行|完成|结转|结余|以上|以下|"
                       r"单价|平均|其中|合计|总计|小计|包括|主要|用于|涉及|累计")


def _name(fact: Fact) -> str:
    """The item's name: the clause before the figure, without numbering and filler."""
    clause = strip_numbering(norm(fact.clause))
    return _FILLER.sub("", clause)


def _bracketed(fact: Fact) -> bool:
    before = fact.sentence[: fact.sentence.find(fact.printed)] if fact.printed in fact.sentence \
        else fact.clause
    return before.count("（") + before.count("(") > before.count("）") + before.count(")")


# "单价50万元以上通用设备…单价100万元以上专用设备": a threshold, not an item's amount.
_THRESHOLD = re.compile(r"^\s*[（(]?含?[）)]?\s*(以上|以下|及以上|以内)")


def _threshold(fact: Fact) -> bool:
    at = fact.sentence.find(fact.printed)
    return at >= 0 and bool(_THRESHOLD.match(fact.sentence[at + len(fact.printed):]))


def check_restated_items(passages: list[Passage]) -> list[Finding]:
    """Items stated twice in one section with amounts that differ beyond rounding."""
    out = []
    for section in sections(passages):
        by_name: dict[str, list[Fact]] = defaultdict(list)
        for fact in extract_facts(section):
            if fact.kind != "amount" or fact.unit not in MONEY or _bracketed(fact) \
                    or _threshold(fact):
                continue
            name = _name(fact)
            if len(name) < MIN_NAME or _NOT_ITEM.search(norm(fact.clause)):
                continue
            by_name[name].append(fact)
        for name, facts in by_name.items():
            values = {f.value * MONEY[f.unit] for f in facts}
            if len(values) != 2 or len(facts) < 2:
                continue
            first = facts[0]
            for other in facts[1:]:
                a, b = first.value * MONEY[first.unit], other.value * MONEY[other.unit]
                if a == b:
                    continue
                unit = first.unit
                scale = MONEY[unit]
                q = max(quantum(f.printed.rstrip(f.unit)) * MONEY[f.unit] / scale
                        for f in (first, other))
                level = severity(b / scale, a / scale, 1, q, is_exact(q, unit))
                if level is None:
                    continue
                out.append(Finding(
                    id=finding_id("narrative.restated_item", section.doc_id, name,
                                  first.printed, other.printed, other.sentence[:60]),
                    rule="narrative.restated_item", doc=section.doc_id, severity=level,
                    message=(f"同一节说明中“{first.clause.strip()}”为 {first.printed}，"
                             f"后文“{other.clause.strip()}”为 {other.printed}"),
                    formula=f"{plain(b / scale)} ≠ {plain(a / scale)}{unit}",
                    expected=a / scale, found=b / scale,
                    operands=tuple(passage_citation(f.passage, f.sentence, f.printed, f.unit)
                                   for f in (first, other))))
    return out
