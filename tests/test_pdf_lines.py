"""Lines by vertical overlap on real corpus pages whose digits sit off the Chinese baseline."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from ingest.pdf_lines import text_lines

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def _page(path: Path, number: int):
    pdf = pdfplumber.open(path)
    return pdf, pdf.pages[number - 1]


def _offset(page, label: str, digits: str) -> float:
    """How far (pt) the first char of `digits` is printed below the first char of `label`."""
    chars = page.chars
    text = "".join(c["text"] for c in chars)
    label_char = chars[text.index(label)]
    digit_char = chars[text.index(digits)]
    return digit_char["top"] - label_char["top"]


@pytest.mark.parametrize(
    "relative, page_number, label, digits, line",
    [
        # Digits 4 pt below their label: pdfplumber's 3 pt tolerance splits them off.
        ("jiangsu/jiangsu-npc-office-2017-dept-budget.pdf", 9, "收入总计", "13,649.07",
         "收入总计 13,649.07"),
        # The cover's year, 8 pt lower than "年部门预算" in a larger type.
        ("jiangsu/jiangsu-procuratorate-2017-dept-budget.pdf", 1, "年部门预算", "2017",
         "2017 年部门预算"),
        ("jiangsu/jiangsu-party-office-2017-dept-budget-tables.pdf", 2, "收入总计", "20,849.45",
         "收入总计 20,849.45"),
    ],
)
def test_offset_digits_stay_on_their_line(relative, page_number, label, digits, line):
    pdf, page = _page(CORPUS / relative, page_number)
    with pdf:
        assert abs(_offset(page, label, digits)) > 3  # the premise: beyond a fixed tolerance
        fixed = [raw["text"] for raw in page.extract_text_lines()]
        assert line not in fixed
        assert line in [raw["text"] for raw in text_lines(page.chars)]


@pytest.mark.parametrize(
    "relative, page_number",
    [("henan/pingdingshan-2019-gov-final-account.pdf", 3),
     ("jiangsu/jiangsu-high-court-2019-dept-budget.pdf", 18),
     ("jiangsu/jiangsu-high-court-2019-dept-budget.pdf", 9)],
)
def test_lines_on_one_baseline_read_as_pdfplumber_reads_them(relative, page_number):
    # Narrative set on one baseline, and a table caption whose digits are 1 pt off with a
    # space whose box straddles two lines: the same lines as pdfplumber's.
    pdf, page = _page(CORPUS / relative, page_number)
    with pdf:
        assert [raw["text"] for raw in text_lines(page.chars)] == \
            [raw["text"] for raw in page.extract_text_lines()]


def test_lines_carry_their_chars_and_box():
    pdf, page = _page(CORPUS / "jiangsu" / "jiangsu-npc-office-2017-dept-budget.pdf", 9)
    with pdf:
        line = next(raw for raw in text_lines(page.chars) if raw["text"] == "收入总计 13,649.07")
    assert "".join(c["text"] for c in line["chars"]).replace(" ", "") == "收入总计13,649.07"
    assert line["x0"] < line["x1"] and line["top"] < line["bottom"]


def test_no_chars_no_lines():
    assert text_lines([]) == []
