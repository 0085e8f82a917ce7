"""Round eight: two of the audit's misreadings of table structure, fixed by class in the table
reader and in calc.reconcile, each on its real corpus pages (read alone with pdfplumber, as
ingest reads them): quiet as printed, and firing on a copy with one figure changed in the test.

* Xi'an health commission 2022 final account pp.157–158: a 基本支出 table printed in three
  side-by-side 栏 whose "公用经费合计" (printed in 第3栏) closes 第2栏 and 第3栏 together.
* Ningxia 2024 final account p.101: each city's figure printed half a line above its name in
  the same ruled row, and three counties whose figures happen to add up (2 = 1 + 1).

And one new rule for the 绩效 cells the planted-error benchmark missed most:
`table.self_evaluation_scores` on the Xi'an self-evaluation forms (pp.60, 74); and
`table.rate_column` for the government-wide tables, whose rows no sum ties: Ningxia p.102
(决算数为预算数的%) and Diqing p.47 (预算数比上年执行数增长%); `table.subset_parts` for "其中"
rows (Diqing p.63, Putuo Wanli 2023 p.35).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from calc.audit_findings import SourcedTable
from calc.audit_rate_columns import check_rate_columns
from calc.audit_self_evaluation import check_self_evaluation_scores
from calc.audit_subsets import check_subset_parts
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


# -- table.rate_column ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def social_insurance():
    """Ningxia p.102: 预算数 | 决算数 | 决算数为预算数的% for every fund and its 其中 items."""
    return _table(CORPUS / "ningxia" / "ningxia-2024-gov-final-account.pdf", [102],
                  "社会保险基金收入")


@pytest.fixture(scope="module")
def state_capital():
    """Diqing p.47 (3-1): 2025年执行数 | 2026年预算数 | 预算数比上年执行数增长%."""
    return _table(CORPUS / "yunnan" / "diqing-prefecture-2026-gov-budget.pdf", [47],
                  "国有资本经营收入")


def _with(table, k: int, column: str, printed: str):
    """A copy of the table with row k's figure in the column printed otherwise."""
    row = table.rows[k]
    cells = tuple(replace(c, printed=printed, value=Decimal(printed.replace(",", "")))
                  if c.column == column else c for c in row.cells)
    return replace(table, rows=table.rows[:k] + (replace(row, cells=cells),) + table.rows[k + 1:])


def _row_printing(table, printed: str) -> int:
    return next(i for i, r in enumerate(table.rows) if any(c.printed == printed for c in r.cells))


def test_rate_columns_as_printed(social_insurance, state_capital):
    assert check_rate_columns(SourcedTable("ningxia", social_insurance, 0)) == []
    assert check_rate_columns(SourcedTable("diqing", state_capital, 0)) == []


def test_a_part_listed_under_its_fund_changed_is_caught_by_its_rate(social_insurance):
    # "其中：保险费收入 85,962 | 95,281 | 110.8%" under 失业保险基金: the 其中 items are no
    # complete breakdown, so no sum checks them; the rate does (5,281 ÷ 85,962 = 6.1%).
    changed = _with(social_insurance, _row_printing(social_insurance, "95,281"), "决算数", "5,281")
    [f] = check_rate_columns(SourcedTable("ningxia", changed, 0))
    assert (f.rule, f.severity, f.found) == ("table.rate_column", "error", Decimal("110.8"))
    assert any(c.value == "5,281" for c in f.operands)


def test_a_year_figure_changed_is_caught_by_its_growth(state_capital):
    k = _row_printing(state_capital, "617")
    changed = _with(state_capital, k, "2026年预算数", "602")
    [f] = check_rate_columns(SourcedTable("diqing", changed, 0))
    assert f.severity == "error" and f.expected == Decimal("-2.4")
    # a last digit the rounding of two whole 万元 still covers is no finding: 621 ÷ 617 − 1
    # is 0.65%, but 620.5 ÷ 617.5 − 1 = 0.49% rounds to the printed 0.5%
    rounded = _with(state_capital, k, "2026年预算数", "621")
    assert check_rate_columns(SourcedTable("diqing", rounded, 0)) == []


# -- table.subset_parts --------------------------------------------------------------------

def test_subset_parts_as_printed_and_changed():
    # Diqing p.63 (5-7): "其中：一般债务限额 111.73 / 专项债务限额 119.98" = 231.71 in 本地区,
    # and likewise in 本级 and 下级: a whole breakdown, so each column must add up.
    table = _table(CORPUS / "yunnan" / "diqing-prefecture-2026-gov-budget.pdf", [63], "债务限额")
    assert check_subset_parts(SourcedTable("diqing", table, 0)) == []
    k = _row_printing(table, "111.730000")
    [f] = check_subset_parts(SourcedTable("diqing", _with(table, k, "本地区", "11.730000"), 0))
    assert (f.rule, f.severity, f.expected, f.found) == (
        "table.subset_parts", "error", Decimal("131.71"), Decimal("231.71"))


def test_a_subset_part_larger_than_its_whole_is_reported():
    # Putuo Wanli 2023 p.35, as printed: "年度资金申请总额 10,903,043.00 / 其中：当年财政拨款
    # 11,419,043.00" — the publication's part exceeds its whole.
    path = CORPUS / "shanghai" / "putuo-wanli-subdistrict-2023-dept-budget.pdf"
    table = _table(path, [35], "绩效目标")
    [f] = check_subset_parts(SourcedTable("wanli", table, 0))
    assert (f.severity, f.expected, f.found) == ("error", Decimal("11419043"), Decimal("10903043"))
    assert any(c.value == "11,419,043.00" for c in f.operands)
