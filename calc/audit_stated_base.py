"""Audit rules for changes the narrative states without a rate: "本年 A，比上年 P 增加 C"
(C = A − P) and "A 万元，与上年相比增加 C 万元" (an increase no larger than A).

Pure: narrative facts in, Findings out; Decimal only. check_growth and check_stated_rates
(calc.audit_narrative) judge a change through its printed rate; a change printed beside
its base, or with no rate at all, is judged here on the amounts alone.
"""

from __future__ import annotations

import re
from decimal import Decimal

from calc.audit_findings import (ERROR, MONEY, Finding, Rule, finding_id, is_exact,
                                 passage_citation, plain, quantum, severity)
from ingest.narrative_facts import Fact

RULES = (
    Rule("narrative.stated_base", "“本年A，比上年（年初预算）P增加/减少C”：C = A − P；"
                                  "“A，比上年增加C”（无增长率）：增加额不大于本年数"),
)

# "比 2025 年年初预算数 44021.20 万元": the base a change is taken against.
_BASE = re.compile(r"^[，,\s]*(比|较|与|同)\s*(上年|去年|上一年|20\d{2}\s*年)?[^，,。；;\d]{0,14}$")
# "…万元增加 148.16 万元": the change follows its base at once.
_STEP = re.compile(r"^\s*(相比)?[，,]?\s*(增加|减少|增长|下降|降低|压减|节约)了?\s*$")
# Between an amount and its change: "，比上年预算增加" / "，与上年相比增加".
_COMPARISON = re.compile(r"^[，,\s]*(与|比|较|同)\s*(上年|去年|上一年|20\d{2}\s*年)"
                         r"[^，,。；;\d%]{0,14}(增加|增长|上升)了?\s*$")


def _cite(fact: Fact):
    return passage_citation(fact.passage, fact.sentence, fact.printed, fact.unit)


def _yuan(fact: Fact) -> tuple[Decimal, Decimal]:
    """(value, one unit of its printed precision), both in 元."""
    scale = MONEY[fact.unit]
    return fact.value * scale, quantum(fact.printed.rstrip(fact.unit)) * scale


def _text_between(a: Fact, b: Fact) -> str | None:
    """The sentence text between figure a and figure b (b after a), or None."""
    at = _find(a.sentence, a.printed)
    bt = _find(a.sentence, b.printed, at + len(a.printed)) if at >= 0 else -1
    return None if at < 0 or bt < 0 else a.sentence[at + len(a.printed):bt]


def _find(text: str, printed: str, start: int = 0) -> int:
    m = re.compile(r"(?<![\d.,])" + re.escape(printed)).search(text, start)
    return m.start() if m else -1


def _money(fact: Fact) -> bool:
    return fact.unit in MONEY


def check_stated_bases(paragraphs: list[list[Fact]]) -> list[Finding]:
    """Changes printed with their base ("A，比上年 P 增加 C") and increases printed without a
    rate ("A，与上年相比增加 C"), each judged on the amounts the sentence prints."""
    out = []
    for facts in paragraphs:
        for k in range(1, len(facts)):
            change = facts[k]
            if change.kind != "change" or not _money(change) or change.value == 0:
                continue
            base, current = facts[k - 1], facts[k - 2] if k >= 2 else None
            if (current is not None and _money(base) and _money(current)
                    and base.kind in ("amount", "previous") and current.kind == "amount"
                    and base.sentence == change.sentence == current.sentence):
                before_base = _text_between(current, base)
                step = _text_between(base, change)
                if (before_base is not None and step is not None and _BASE.match(before_base)
                        and _STEP.match(step)):
                    out += _judge_base(current, base, change)
                    continue
            rated = any(f.unit == "%" and f.sentence == change.sentence
                        for f in facts[k + 1:k + 2])
            if rated or change.value < 0 or base.kind != "amount" or not _money(base) \
                    or base.sentence != change.sentence:
                continue
            between = _text_between(base, change)
            if between is None or not _COMPARISON.match(between):
                continue
            out += _judge_increase(base, change)
    return out


def _judge_base(current: Fact, base: Fact, change: Fact) -> list[Finding]:
    """C against A − P, graded as a sum of two rounded figures."""
    a, qa = _yuan(current)
    p, qp = _yuan(base)
    c, qc = _yuan(change)
    q = max(qa, qp, qc)
    level = severity(c, a - p, 2, q, is_exact(q, "元"))
    if level is None:
        return []
    expected = (a - p) / MONEY[change.unit]
    return [Finding(
        id=_id(change, "base"), rule="narrative.stated_base", doc=change.passage.doc_id,
        severity=level,
        message=(f"说明称本年 {current.printed} 比 {base.printed} 变动 {change.printed}，"
                 f"按所列两数应为 {plain(expected)}{change.unit}"),
        formula=f"{plain(current.value)} − {plain(base.value)} = {plain(expected)}"
                f"（说明为 {plain(change.value)}）",
        expected=expected, found=change.value,
        operands=(_cite(change), _cite(current), _cite(base)))]


def _judge_increase(current: Fact, change: Fact) -> list[Finding]:
    """An increase larger than this year's figure leaves last year below zero."""
    a, qa = _yuan(current)
    c, qc = _yuan(change)
    if c - qc / 2 <= a + qa / 2:
        return []
    return [Finding(
        id=_id(change, "exceeds"), rule="narrative.stated_base", doc=change.passage.doc_id,
        severity=ERROR,
        message=(f"增加额 {change.printed} 大于本年数 {current.printed}，上年数将为负"),
        formula=f"上年 = {plain(current.value)} − {plain(change.value)} < 0",
        expected=None, found=change.value, operands=(_cite(change), _cite(current)))]


def _id(fact: Fact, what: str) -> str:
    return finding_id("narrative.stated_base", fact.passage.doc_id, fact.sentence,
                      fact.printed, what)
