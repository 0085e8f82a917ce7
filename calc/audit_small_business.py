"""Audit rule for the purchases reserved for small businesses: 小微企业 are among the 中小企业,
so "面向小微企业预留政府采购项目预算金额 Y" cannot exceed "面向中小企业预留…金额 X", nor can the
amount won by 小微企业 in the projects reserved for them exceed the amount won by 中小企业 in
the projects reserved for 中小企业.

Pure: Passages in, Findings out; Decimal only. The two figures of a pair are taken from one
passage, each printed under the words the disclosure format gives it.
"""

from __future__ import annotations

import re

from budgetqa.domain import Passage
from calc.audit_findings import (ERROR, MONEY, Finding, Rule, finding_id, passage_citation,
                                 plain, quantum)
from ingest.numbers import parse_amount

RULES = (
    Rule("narrative.small_business",
         "面向小微企业预留（及由小微企业中标）的政府采购金额不超过面向中小企业的同一金额（小微企业属于中小企业）"),
)

_NUMBER = r"\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
# "面向中小企业预留政府采购项目预算金额 225.10 万元，面向小微企业预留政府采购项目预算金额 164.87 万元"
_RESERVED = re.compile(r"面向(?P<who>中小|小微)企业预留的?政府采购项目(?:预算)?金额(?:为|是)?"
                       + _NUMBER)
# "在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额 164.87 万元"
_WON = re.compile(r"在面向(?P<who>中小|小微)企业预留的?政府采购项目中[，,]\s*由(?P=who)企业供应商"
                  r"中标或成交的[，,]\s*采购金额(?:为|是)?" + _NUMBER)
_WHAT = {_RESERVED: "预留政府采购项目金额", _WON: "预留项目中由其中标或成交的采购金额"}


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind("。", 0, start) + 1, 0)
    right = text.find("。", end)
    return text[left: right + 1 if right >= 0 else None].strip()


def check_small_business(passages: list[Passage]) -> list[Finding]:
    """Pairs (中小企业 X, 小微企业 Y) of one passage with Y above X beyond the rounding of
    the two printed figures."""
    out = []
    for passage in passages:
        for pattern, what in _WHAT.items():
            found = {m.group("who"): m for m in pattern.finditer(passage.text)}
            whole, part = found.get("中小"), found.get("小微")
            if whole is None or part is None:
                continue
            x, y = parse_amount(whole.group("number")), parse_amount(part.group("number"))
            if x is None or y is None:
                continue
            scale_x, scale_y = MONEY[whole.group("unit")], MONEY[part.group("unit")]
            half = (quantum(whole.group("number")) * scale_x
                    + quantum(part.group("number")) * scale_y) / 2
            if y * scale_y <= x * scale_x + half:
                continue
            cites = tuple(
                passage_citation(passage, _sentence(passage.text, m.start(), m.end()),
                                 m.group("number") + m.group("unit"), m.group("unit"))
                for m in (part, whole))
            out.append(Finding(
                id=finding_id("narrative.small_business", passage.doc_id, what,
                              part.group(0), whole.group(0)),
                rule="narrative.small_business", doc=passage.doc_id, severity=ERROR,
                message=(f"面向小微企业的{what} {plain(y)}{part.group('unit')} 大于面向中小企业的 "
                         f"{plain(x)}{whole.group('unit')}（小微企业属于中小企业）"),
                formula=(f"{plain(y)}{part.group('unit')} ≤ {plain(x)}{whole.group('unit')}"
                         f" 不成立"),
                expected=x * scale_x / scale_y, found=y, operands=cites))
    return out
