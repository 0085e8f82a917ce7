"""Round eight: two of the audit's misreadings of table structure, fixed by class in the table
reader and in calc.reconcile, each on its real corpus pages (read alone with pdfplumber, as
ingest reads them): quiet as printed, and firing on a copy with one figure changed in the test.

* Xi'an health commission 2022 final account pp.157–158: a 基本支出 table printed in three
  side-by-side 栏 whose "公用经费合计" (printed in 第3栏) closes 第2栏 and 第3栏 together.
* Ningxia 2024 final account p.101: each city's figure printed half a line above its name in
  the same ruled row, and three counties whose figures happen to add up (2 = 1 + 1).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from calc.audit_findings import SourcedTable
from calc.audit_tables import check_reconcile
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
