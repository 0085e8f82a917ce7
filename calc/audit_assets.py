"""Audit rule for the size classes the 国有资产占用情况 names: "单价50万元以上通用设备",
"单价100万元以上专用设备", "单价100万元（含）以上设备".

Pure: Passages in, Findings out. The reporting forms fix these thresholds (the 部门决算
asks for 通用设备 from 50 万元 and 专用设备 from 100 万元 a unit; budgets that do not
split them use one threshold, 100 万元, or 20 万元 in the Jiangsu forms), so a threshold
outside them, or two thresholds for one kind in one disclosure, is a slip of the figure.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_findings import ERROR, Finding, Rule, finding_id, passage_citation, plain

RULES = (
    Rule("label.asset_threshold", "国有资产占用口径：单价50万元以上通用设备、100万元以上专用设备"
                                  "（不分通用/专用的为20万元或100万元），同一公开内一致"),
)

_THRESHOLD = re.compile(r"单\s*[价位]\s*(价值)?\s*(?P<number>\d[\d,]*(?:\.\d+)?)\s*"
                        r"(?P<unit>万元|元)\s*(（含）|\(含\))?\s*以上\s*的?\s*(?P<kind>通用|专用)?")
# 万元 a unit, by kind ("" when the sentence does not say 通用 or 专用).
STANDARD = {"通用": {Decimal(50)}, "专用": {Decimal(100)}, "": {Decimal(20), Decimal(50),
                                                             Decimal(100)}}


def _value(m: re.Match) -> Decimal:
    value = Decimal(m.group("number").replace(",", ""))
    return value if m.group("unit") == "万元" else value / 10000


def check_asset_thresholds(passages: list[Passage]) -> list[Finding]:
    """Thresholds outside the reporting forms' and, per kind, thresholds that differ from
    the one the disclosure prints most."""
    found = [(p, m) for p in passages for m in _THRESHOLD.finditer(p.text)]
    by_kind: dict[str, list[Decimal]] = {}
    for _, m in found:
        by_kind.setdefault(m.group("kind") or "", []).append(_value(m))
    out = []
    for passage, m in found:
        kind, value = m.group("kind") or "", _value(m)
        seen = by_kind[kind]
        usual = max(set(seen), key=seen.count)
        if value in STANDARD[kind] and (value == usual or seen.count(value) == seen.count(usual)):
            continue
        start = max(passage.text.rfind("。", 0, m.start()), passage.text.rfind("；", 0, m.start()))
        end = passage.text.find("。", m.end())
        sentence = passage.text[start + 1: end + 1 if end >= 0 else len(passage.text)].strip()
        expected = usual if usual in STANDARD[kind] else min(STANDARD[kind])
        standard = "、".join(f"{plain(v)}万元" for v in sorted(STANDARD[kind]))
        printed = re.sub(r"\s", "", m.group(0))
        outside = value not in STANDARD[kind]
        out.append(Finding(
            id=finding_id("label.asset_threshold", passage.doc_id, sentence, m.group(0)),
            rule="label.asset_threshold", doc=passage.doc_id, severity=ERROR,
            message=(f"资产口径“{printed}设备”：报表口径为{standard}"
                     + (f"；本公开其他处为 {plain(usual)}万元" if value != usual else "")),
            formula=(f"{plain(value)} 不在 {standard} 之中" if outside
                     else f"{plain(value)} ≠ {plain(usual)}"),
            expected=expected, found=value,
            operands=(passage_citation(passage, sentence, m.group("number") + m.group("unit"),
                                       m.group("unit")),)))
    return out
