"""A measure's change against the previous year as the document's own narrative states it.

"和2025年比，哪几家三公经费减少了" over departments whose 2025 document the store does not
hold: each 2026 document says it itself ("2026 年财政拨款“三公”经费预算 223.80 万元，比 2025
年财政拨款“三公”经费年初预算减少 32.23 万元"). Only a sentence that names the measure right
before its amount, prints that amount as the measure's figure (same value in its own unit and
decimals) and compares it with the year before counts; a change said after "其中" of a part
("收入预算17,192万元，其中：财政拨款收入17,192万元，比2024年预算减少990万元") is the part's,
never the total's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.domain import Citation
from calc.operations import MONEY
from ingest.measures import Measure
from qa.across_confirm import same_amount

# The words a narrative names each measure by, right before its amount.
_NAMED = {
    "三公经费": r"三公\W{0,2}经费",
    "机关运行经费": r"机关运行经费|运行经费",
    "会议费": r"会议费",
    "培训费": r"培训费",
    "政府采购": r"政府采购(预算)?(总额|金额)",
}
_AMOUNT = r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)"
_CHANGE = re.compile(
    _AMOUNT + r"\s*[，,]?\s*(?:比|较)\s*(20\d{2})\s*年?(?P<said>[^，,。；;\d]{0,30}?)"
    r"(增加|减少|增长|下降|持平)\s*(?:" + _AMOUNT + r")?")


@dataclass(frozen=True)
class StatedChange:
    """The change a narrative states: its size (negative for a fall) in `unit`, the
    measure's amount as that sentence prints it, and the sentence."""

    change: Decimal
    now: Decimal
    unit: str
    citation: Citation


def stated_change(passages, measure: Measure, previous_year: int) -> StatedChange | None:
    """The first sentence of `passages` stating `measure` against `previous_year`, or None."""
    named = _NAMED.get(measure.name)
    if named is None or measure.value is None or measure.unit not in MONEY:
        return None
    for passage in passages:
        for sentence in re.split(r"(?<=[。；;])", passage.text):
            found = _in_sentence(sentence, named, measure, previous_year)
            if found is not None:
                change, now, unit, printed = found
                return StatedChange(change, now, unit, Citation(
                    kind="passage", doc=passage.doc_id, page=passage.page,
                    section=passage.section, text=sentence.strip(), value=printed, unit=unit))
    return None


def _in_sentence(sentence: str, named: str, measure: Measure, previous_year: int):
    for m in _CHANGE.finditer(sentence):
        if int(m.group(3)) != previous_year or re.search(r"其中|\d", m.group("said")):
            continue
        before = sentence[max(0, m.start() - 24):m.start()]
        # The measure's name closes the clause the amount ends: no 其中, no other amount.
        name = list(re.finditer(named, before))
        if not name or re.search(r"其中|\d[\d,.]*\s*(万元|元)|[，,；;]",
                                 before[name[-1].end():]):
            continue
        printed, unit = m.group(1), m.group(2)
        if not same_amount(measure.value, measure.unit, printed, unit):
            continue
        now = Decimal(printed.replace(",", ""))
        word = m.group(5)
        if word == "持平":
            return Decimal(0), now, unit, "持平"
        if m.group(6) is None or m.group(7) != unit:
            continue
        size = Decimal(m.group(6).replace(",", ""))
        return (-size if word in ("减少", "下降") else size), now, unit, f"{word}{m.group(6)}"
    return None
