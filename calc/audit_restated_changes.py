"""Audit rule for a change the narrative states more than once: "财政拨款收入3,121.42万元，
比2024年预算增加107.62万元 … 财政拨款支出预算3,121.42万元，比2024年预算增加107.62万元".

Pure: Passages in, Findings out; Decimal only. A balanced budget states the same figure for
its income and its expenditure, and both (and the appropriations within them when there
are no other funds) against the same base; one figure against one base has one change.
So within a section, every statement of one income or expenditure amount compared with one
base ("比2024年预算", "较上年") must give the same change; a statement that differs is a slip
in one of them. (Items are left out: a 公务用车购置及运行费 may equal its 运行费.)
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_findings import (MONEY, Finding, Rule, finding_id, is_exact, passage_citation,
                                 plain, quantum, severity)
from calc.audit_lists import sections
from ingest.numbers import parse_amount

RULES = (
    Rule("narrative.restated_change", "同一说明中对同一金额、同一比较基数的多次增减表述一致"
                                      "（如收入预算与支出预算“比上年预算增加X”）"),
)

# "3,121.42万元，比2024年预算增加107.62万元", "4,628.07 万元，较 2025 年年初预算增加 36.63 万元";
# a remark in brackets may follow the year ("比2022年（上一年度，下同）预算增加").
_STATED_CHANGE = re.compile(
    r"(?<![\d.])(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)\s*[，,]?\s*"
    r"(?P<base>(比|较|与)\s*(20\d{2}\s*年|上年)(（[^（）\d]{0,12}）)?[^，,。；;\d]{0,10}?)\s*"
    r"(?P<word>增加|减少)了?\s*(?P<change>\d[\d,]*(?:\.\d+)?)\s*(?P<change_unit>万元|元)")


# Only the income and expenditure totals and their funds are balanced one against another.
_TOTAL_WORDS = re.compile(r"收入|支出")


def _clause_before(text: str, at: int) -> str:
    """The words of the figure's clause before it ("…其中：财政拨款支出预算")."""
    start = max(text.rfind(mark, 0, at) for mark in "，,。；;：:\n")
    return text[start + 1: at]


def _signed(m: re.Match) -> Decimal | None:
    value = parse_amount(m.group("change"))
    if value is None:
        return None
    return (-value if m.group("word") == "减少" else value) * MONEY[m.group("change_unit")]


def _base(m: re.Match) -> str:
    """The comparison base without spaces and the 比/较/与 word ("2024年预算")."""
    return re.sub(r"\s|（[^（）]*）", "", m.group("base"))[1:]


def check_restated_changes(passages: list[Passage]) -> list[Finding]:
    """Statements of one amount against one base, in one section, whose changes differ."""
    out = []
    for passage in sections(passages):
        groups: dict[tuple, list[re.Match]] = {}
        for m in _STATED_CHANGE.finditer(passage.text):
            if not _TOTAL_WORDS.search(_clause_before(passage.text, m.start())):
                continue  # an item ("公务用车运行费20.10万元") may equal its parent's figure
            amount = parse_amount(m.group("amount"))
            if amount is None or not amount or _signed(m) is None:
                continue
            groups.setdefault((amount * MONEY[m.group("unit")], _base(m)), []).append(m)
        for (_, base), statements in groups.items():
            changes = [_signed(m) for m in statements]
            if len(set(changes)) < 2:
                continue
            # The change most statements give is taken as meant; the others are slips.
            common = max(set(changes), key=changes.count)
            unit = statements[0].group("change_unit")
            scale = MONEY[unit]
            for m, change in zip(statements, changes):
                if change == common:
                    continue
                q = quantum(m.group("change")) * MONEY[m.group("change_unit")] / scale
                level = severity(change / scale, common / scale, 1, q, is_exact(q, unit))
                if level is None:
                    continue
                same = next(s for s, c in zip(statements, changes) if c == common)
                out.append(Finding(
                    id=finding_id("narrative.restated_change", passage.doc_id, m.group(0),
                                  same.group(0)),
                    rule="narrative.restated_change", doc=passage.doc_id, severity=level,
                    message=(f"同一金额 {m.group('amount')}{m.group('unit')} 比{base}的变动，"
                             f"一处为 {plain(change / scale)}{unit}，另一处为 "
                             f"{plain(common / scale)}{unit}"),
                    formula=f"{plain(change / scale)} ≠ {plain(common / scale)}{unit}",
                    expected=common / scale, found=change / scale,
                    operands=(passage_citation(passage, _sentence(passage.text, m),
                                               m.group("change") + m.group("change_unit"),
                                               m.group("change_unit")),
                              passage_citation(passage, _sentence(passage.text, same),
                                               same.group("change") + same.group("change_unit"),
                                               same.group("change_unit")))))
    return out


def _sentence(text: str, m: re.Match) -> str:
    """The sentence around a match (from the previous 。/；/line end to the next)."""
    start = max(text.rfind(mark, 0, m.start()) for mark in ("。", "；", "\n")) + 1
    ends = [i for i in (text.find(mark, m.end()) for mark in ("。", "；", "\n")) if i >= 0]
    return text[start: min(ends) + 1 if ends else len(text)].strip()
