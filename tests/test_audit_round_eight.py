"""Round eight: two of the audit's misreadings of table structure, fixed by class in the table
reader and in calc.reconcile, each on its real corpus pages (read alone with pdfplumber, as
ingest reads them): quiet as printed, and firing on a copy with one figure changed in the test.

* Xi'an health commission 2022 final account pp.157–158: a 基本支出 table printed in three
  side-by-side 栏 whose "公用经费合计" (printed in 第3栏) closes 第2栏 and 第3栏 together.
* Ningxia 2024 final account p.101: each city's figure printed half a line above its name in
  the same ruled row, and three counties whose figures happen to add up (2 = 1 + 1).

And one new rule for the 绩效 cells the planted-error benchmark missed most:
`table.self_evaluation_scores` on the Xi'an self-evaluation forms (pp.60, 74).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from calc.audit_findings import SourcedTable
from calc.audit_self_evaluation import check_self_evaluation_scores
from calc.audit_tables import check_reconcile
from ingest.kinds import table_kind
from ingest.pdf_tables import extract_tables

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SERIOUS = ("error", "unit_slip")


def _table(path: Path, pages: list[int], title_part: str):
    with pdfplumber.open(path, pages=pages) as pdf:
        tables, _ = extract_tables(pdf)
    return next(t for t in tables if title_part in t.title)


def _with_cell(table, label: str, printed: str):
    """A copy of the table with the one figure of the row `label` printed otherwise."""
    k = next(i for i, r in enumerate(table.rows) if r.label == label)
    row = table.rows[k]
    [cell] = row.cells
    cell = replace(cell, printed=printed, value=Decimal(printed.replace(",", "")))
    return replace(table, rows=table.rows[:k] + (replace(row, cells=(cell,)),) + table.rows[k + 1:])


@pytest.fixture(scope="module")
def xian_basic():
    return _table(CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf",
                  [157, 158], "基本支出")


@pytest.fixture(scope="module")
def ningxia_transfers():
    return _table(CORPUS / "ningxia" / "ningxia-2024-gov-final-account.pdf", [101], "转移支付")


def test_total_of_two_side_by_side_bands_is_not_reported(xian_basic):
    found = check_reconcile(SourcedTable("xian", xian_basic, 0))
    assert not [f for f in found if f.severity in SERIOUS]


def test_total_of_two_side_by_side_bands_changed_is_reported_with_both_bands(xian_basic):
    changed = _with_cell(xian_basic, "公用经费合计", "2,039.08")
    [f] = [f for f in check_reconcile(SourcedTable("xian", changed, 0))
           if f.rule == "table.total" and f.severity in SERIOUS]
    assert (f.expected, f.found) == (Decimal("2093.08"), Decimal("2039.08"))
    cited = {(c.row, c.column) for c in f.operands}
    assert ("商品和服务支出", "第2栏/决算数") in cited and ("资本性支出", "第3栏/决算数") in cited


def test_part_of_the_other_band_changed_is_reported_by_the_band_total(xian_basic):
    # 307 债务利息及费用支出 is blank; print a figure there (第2栏): only 公用经费合计 sums it.
    changed = _with_cell(xian_basic, "债务利息及费用支出", "5.00")
    found = [f for f in check_reconcile(SourcedTable("xian", changed, 0))
             if f.rule == "table.total" and f.severity != "rounding"]
    assert any(c.row == "债务利息及费用支出" for f in found for c in f.operands)


def test_cities_read_on_their_own_rows_add_up(ningxia_transfers):
    assert check_reconcile(SourcedTable("ningxia", ningxia_transfers, 0)) == []


def test_a_city_changed_is_reported_against_the_total(ningxia_transfers):
    changed = _with_cell(ningxia_transfers, "银川市", "914")
    [f] = check_reconcile(SourcedTable("ningxia", changed, 0))
    assert (f.rule, f.severity, f.expected, f.found) == (
        "table.total", "error", Decimal("2346"), Decimal("2373"))
    assert any(c.row == "银川市" and c.value == "914" for c in f.operands)


# -- table.self_evaluation_scores ----------------------------------------------------------

def _form(page: int):
    """The self-evaluation form on a page of the Xi'an health commission's final account,
    with its kind as ingest gives it."""
    with pdfplumber.open(CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf",
                         pages=[page]) as pdf:
        tables, _ = extract_tables(pdf)
    [form] = [t for t in tables if "自评表" in t.title]
    return replace(form, kind=table_kind(form.title))


def _with_score(form, label: str, column: str, printed: str):
    k = next(i for i, r in enumerate(form.rows) if r.label == label)
    row = form.rows[k]
    cells = tuple(replace(c, printed=printed, value=Decimal(printed)) if c.column == column
                  else c for c in row.cells)
    return replace(form, rows=form.rows[:k] + (replace(row, cells=cells),) + form.rows[k + 1:])


def test_self_evaluation_scores_as_printed():
    # p.60 采供血人员经费: weights 10 + 4 × 12.5 + 15 + 15 + 10 = 100, scores 99 = 总分.
    assert check_self_evaluation_scores(SourcedTable("xian", _form(60), 0)) == []
    # p.74 安保服务: the publication's weights add up to 96 (效益指标 13 + 13 under "（30分）"),
    # its 总分 says 100; the scores add up to its 95.6.
    [f] = check_self_evaluation_scores(SourcedTable("xian", _form(74), 0))
    assert (f.expected, f.found, f.severity) == (Decimal("96"), Decimal("100"), "minor")


def test_self_evaluation_score_above_its_weight_or_off_the_total():
    form = _form(60)
    over = _with_score(form, "全站职工满意度", "得分", "90")
    found = check_self_evaluation_scores(SourcedTable("xian", over, 0))
    assert any(f.severity == "error" and f.found == Decimal("90") and f.expected == Decimal("10")
               for f in found)
    weight = _with_score(form, "单位职工人数", "分值", "21.5")
    [f] = check_self_evaluation_scores(SourcedTable("xian", weight, 0))
    assert (f.expected, f.found, f.severity) == (Decimal("109"), Decimal("100"), "error")
    assert any(c.row == "单位职工人数" and c.value == "21.5" for c in f.operands)
    total = _with_score(form, "总分", "得分", "90")
    [f] = check_self_evaluation_scores(SourcedTable("xian", total, 0))
    assert (f.expected, f.found) == (Decimal("99"), Decimal("90"))
