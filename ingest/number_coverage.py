"""How many of a document's money words kept their number: an ingest quality check.

When a PDF prints its digits a few points off the line of the Chinese around them,
a careless line builder moves the digits to a line of their own and the passage
reads "…总计 万元。…". Every narrative figure of such a document is lost without
an error. This check counts the money words (万元, 亿元, 元, %) in the passages and
the share that have a number right before them; a low share means the narrative
was read badly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.domain import Passage

# Below this share of money words with their number, ingest warns about the document.
MIN_COVERAGE = Decimal("0.95")

# Some PDFs space every character ("17981.68 万 元"), so the words may hold spaces.
_MONEY_WORD = re.compile(r"万\s*元|亿\s*元|元|%|％")
# A number, possibly with thousands separators, a decimal point and a multiplier
# ("1.5 万亿元"), then spaces.
_NUMBER_BEFORE = re.compile(r"\d[\d,，.]*\s*[万亿千百]?\s*$")
# Uses of the words that are no figure: a unit caption ("单位：万元", "以万元为单位",
# "本表金额转换为万元时"), words built on 元 (单元, 元旦, 多元, 公元), and a unit in
# brackets ("（%）" in a column name the text quotes).
_NOT_A_FIGURE = re.compile(
    r"单\s*位\s*[:：]?\s*[（(]?\s*$|以\s*$|[（(]\s*$|[单多公]\s*$|按\s*$"
    r"|(?:转换|折合|换算)为\s*$|约值\s*$"
)
_NOT_A_FIGURE_AFTER = re.compile(r"^(?:旦|素|宵|首|为单位)")


@dataclass(frozen=True)
class NumberCoverage:
    """Money words found in a document's passages and how many kept their number."""

    words: int
    with_number: int
    # A few of the money words without their number, with their context, for the report.
    examples: tuple[str, ...] = ()

    @property
    def share(self) -> Decimal | None:
        """with_number / words, or None for a document whose passages name no money."""
        if not self.words:
            return None
        return Decimal(self.with_number) / Decimal(self.words)

    @property
    def low(self) -> bool:
        share = self.share
        return share is not None and share < MIN_COVERAGE

    def percent(self) -> str:
        """The share as printed in reports, e.g. "97.3%", or "-" without money words."""
        share = self.share
        return "-" if share is None else f"{(share * 100).quantize(Decimal('0.1'))}%"

    def warning(self) -> str:
        """The ingest warning for a low coverage (call only when `low`)."""
        example = f"; e.g. “{self.examples[0]}”" if self.examples else ""
        return (f"narrative numbers: only {self.with_number} of {self.words} money words "
                f"(万元/元/%) in the passages have their number ({self.percent()}, below "
                f"{int(MIN_COVERAGE * 100)}%){example}")


def number_coverage(passages: list[Passage] | tuple[Passage, ...],
                    max_examples: int = 3) -> NumberCoverage:
    """Count money words in `passages` and those with a number right before them."""
    words = with_number = 0
    examples: list[str] = []
    for passage in passages:
        text = passage.text
        for match in _MONEY_WORD.finditer(text):
            before = text[max(0, match.start() - 12):match.start()]
            after = text[match.end():match.end() + 4]
            if match.group() == "元" and _NOT_A_FIGURE_AFTER.match(after):
                continue
            if _NUMBER_BEFORE.search(before):
                words += 1
                with_number += 1
            elif not _NOT_A_FIGURE.search(before):
                words += 1
                if len(examples) < max_examples:
                    examples.append(text[max(0, match.start() - 15):match.end() + 5]
                                    .replace("\n", " "))
    return NumberCoverage(words, with_number, tuple(examples))
