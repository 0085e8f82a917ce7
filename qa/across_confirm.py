"""The narrative sentence that states a table total again ("收入、支出预算总计13649.07万元").

A reader asking for 收支预算总计 expects to see those words: the measure comes from the
收支总表's 合计 cell, and the narrative's own sentence with the same amount is cited beside it.
Only a sentence naming a total and printing the same amount (in its own unit, to its own
decimals) confirms; none found, the cell alone stands.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.domain import Citation
from calc.operations import MONEY
from ingest.measures import Measure

# Measures a narrative restates as a whole-budget total.
CONFIRMED = ("收入总计", "支出总计")
_TOTAL_WORDS = re.compile(r"(收入|支出|收支)[、和及与]?(支出)?(预算|决算)?(总计|总额)|总预算|预算总额")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|千元|元)")


def confirming_sentence(passages, measure: Measure) -> Citation | None:
    """The first narrative sentence of `passages` naming a total and printing `measure`'s
    amount, as a passage citation; None when no sentence does."""
    if measure.name not in CONFIRMED or measure.value is None or measure.unit not in MONEY:
        return None
    for passage in passages:
        for sentence in re.split(r"(?<=[。；;])", passage.text):
            words = _TOTAL_WORDS.search(sentence)
            if not words:
                continue
            for m in _AMOUNT.finditer(sentence, words.start()):
                if m.start() - words.end() > 24:
                    break
                printed, unit = m.group(1), m.group(2)
                if same_amount(measure.value, measure.unit, printed, unit):
                    return Citation(kind="passage", doc=passage.doc_id, page=passage.page,
                                    section=passage.section, text=sentence.strip(),
                                    value=printed, unit=unit)
    return None


def same_amount(value: Decimal, unit: str, printed: str, printed_unit: str) -> bool:
    """The table's amount, in the sentence's unit and rounded to its decimals, is the
    sentence's amount."""
    stated = Decimal(printed.replace(",", ""))
    converted = value * MONEY[unit] / MONEY[printed_unit]
    places = Decimal(1).scaleb(stated.as_tuple().exponent)
    return converted.quantize(places, rounding=ROUND_HALF_UP) == stated
