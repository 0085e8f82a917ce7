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
from qa.across_items import printed_label

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


# The rows that print each total under its own name; a balanced budget's 收支总计 is both.
_OWN_NAMES = {"收入总计": ("收入总计",), "支出总计": ("支出总计",)}
_BOTH_SIDES = ("收入总计", "支出总计")


def named_rows(measure: Measure, both_sides: bool) -> tuple[str, ...]:
    """The row names that state `measure` by name: its own ("收入总计"), and with
    `both_sides` (the question asks for 收支总计) either side's total."""
    return _BOTH_SIDES if both_sides and measure.name in _BOTH_SIDES else \
        _OWN_NAMES.get(measure.name, ())


def named_row(cells, measure: Measure, names: tuple[str, ...]) -> Citation | None:
    """A total cited from a row named otherwise (Jiangsu's 收支预算总表 "收入合计") stated
    again on a row printed under the asked name ("收入总计", 收入预算总表) with the same
    amount: that cell, cited beside it; None when the cited row already bears the name or no
    row does."""
    if measure.source != "table" or measure.value is None or measure.unit not in MONEY or \
            printed_label(measure.row) in names:
        return None
    amount = measure.value * MONEY[measure.unit]
    for cell in cells:
        if cell.value is None or cell.unit_doubtful or cell.unit not in MONEY or \
                printed_label(cell.row_label) not in names:
            continue
        if cell.value * MONEY[cell.unit] == amount:
            return Citation(kind="cell", doc=cell.doc_id, page=cell.page,
                            table=cell.table_title, row=cell.row_label, column=cell.column,
                            value=cell.printed, unit=cell.unit, bbox=cell.bbox)
    return None
