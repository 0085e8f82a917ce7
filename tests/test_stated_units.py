"""A table whose stated unit its figures contradict: Ningxia's 2024 government final account.

Its 表三十二 (2024年自治区本级地方政府债券使用情况表, pp.108–109) states 单位：万元 but prints
债券规模 in 元: 合计 4,057,380,000, that is 405,738万元, the 本级 新增一般债券 (305,738) and
新增专项债券 (100,000) of 表三十一 (p.107, in 万元). Its 一般债券 rows add up to
3,057,380,000 元 = 305,738万元 as 表三十一 prints it. The pages are real; the parser reads them.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from ingest.pdf_tables import read_tables
from ingest.stated_units import check_stated_units

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
NINGXIA = CORPUS / "ningxia" / "ningxia-2024-gov-final-account.pdf"
BONDS = "2024年自治区本级地方政府债券使用情况表"
ISSUES = "2024年全区地方政府债务发行及还本付息情况表"


class _Pages:
    def __init__(self, pdf, first: int, last: int):
        self.pages = pdf.pages[first - 1:last]


@pytest.fixture(scope="module")
def debt_tables():
    with pdfplumber.open(NINGXIA) as pdf:
        tables, _, _ = read_tables(_Pages(pdf, 106, 109))
    return tables


def _table(tables, title):
    [found] = [t for t in tables if t.title == title]
    return found


def test_the_bond_table_is_read_in_yuan_with_the_reason(debt_tables):
    assert _table(debt_tables, BONDS).unit == "万元"  # as its head prints
    checked, warnings = check_stated_units(debt_tables)
    bonds = _table(checked, BONDS)
    assert (bonds.unit, bonds.unit_doubtful) == ("元", False)
    assert "表头单位为万元，但数字是元" in bonds.unit_note
    assert "3,057,380,000" in bonds.unit_note  # the 一般债券 rows = 表三十一's 305,738万元
    total = next(r for r in bonds.rows if r.label == "合计")
    assert total.cells[0].value == Decimal("4057380000")
    assert [w for w in warnings if BONDS in w and "prints 元" in w]
    # The tables whose figures agree with their heads are untouched.
    assert all(t == u for t, u in zip(debt_tables, checked) if t.title != BONDS)


def test_without_a_matching_figure_the_unit_is_only_doubtful(debt_tables):
    """The same table with its 合计 and 专项债券 rows only (their sum, 1,000,000,000, is too
    round to count): its scale still contradicts 万元, but nothing says which unit it is in."""
    bonds = _table(debt_tables, BONDS)
    kept = tuple(r for r in bonds.rows
                 if r.label == "合计" or dict(r.qualifiers).get("债券性质") == "专项债券")
    alone = [replace(bonds, rows=kept) if t is bonds else t for t in debt_tables]
    checked, warnings = check_stated_units(alone)
    result = _table(checked, BONDS)
    assert (result.unit, result.unit_doubtful) == ("万元", True)
    assert "单位存疑" in result.unit_note
    assert [w for w in warnings if "unit doubtful" in w]


def test_a_document_whose_units_agree_is_left_alone(debt_tables):
    agreeing = [t for t in debt_tables if t.title != BONDS]
    assert check_stated_units(agreeing) == (agreeing, [])
    assert _table(agreeing, ISSUES).unit == "万元"


def test_a_table_with_a_doubtful_unit_gives_no_canonical_measure():
    """Cross-document measures are not read from a table whose unit is doubtful."""
    from ingest.measures import document_measures
    from ingest.reader import read_document

    shaoxing = read_document(Path(__file__).parents[1] / "data" / "corpus"
                             / "shaoxing-gov-service-office-2024-dept-budget.md")
    before = [m for m in document_measures(shaoxing.document, shaoxing.tables, shaoxing.passages)
              if m.source == "table"]
    used = {m.table_position for m in before}
    assert used
    tables = tuple(replace(t, unit_doubtful=True) if k in used else t
                   for k, t in enumerate(shaoxing.tables))
    after = document_measures(shaoxing.document, tables, shaoxing.passages)
    assert not {m.table_position for m in after if m.source == "table"} & used


def test_both_unit_warnings_read_in_chinese(debt_tables):
    from budgetqa.messages_zh import ingest_warning

    bonds = _table(debt_tables, BONDS)
    kept = tuple(r for r in bonds.rows
                 if r.label == "合计" or dict(r.qualifiers).get("债券性质") == "专项债券")
    _, corrected = check_stated_units(debt_tables)
    _, doubtful = check_stated_units([replace(bonds, rows=kept) if t is bonds else t
                                      for t in debt_tables])
    assert [ingest_warning(w)[0] for w in corrected + doubtful] == ["unit_corrected",
                                                                     "unit_doubtful"]
    assert "已按“元”读取" in ingest_warning(corrected[0])[1]
    assert "单位存疑" in ingest_warning(doubtful[0])[1]
