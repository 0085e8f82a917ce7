"""Round nine: two misreadings of government-wide tables, fixed by class in the table reader,
each on its real corpus pages (read with pdfplumber, as ingest reads them): quiet as
printed, and reported on a copy with one figure changed in the test.

* Diqing 2026 政府预算 p.49 (3-3): a subtotal marked only by letter-spacing its label
  ("州 本 级 国 有 资 本 经 营 收 入") closes the rows above it, one of which is broken down
  into a single item set further in (利润收入 over 投资服务企业利润收入).
* Ningxia 2024 政府决算 pp.6–31 (表四): "安排预算稳定调节基金", printed under the grand total
  that closes the 类 above it, is no part of that total.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from calc.audit_findings import SourcedTable
from calc.audit_tables import check_reconcile
from tests.test_audit_round_eight import SERIOUS, _table

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _with_figure(table, label: str, column: str, printed: str):
    """A copy of the table with the figure of row `label`, column `column` printed otherwise."""
    k = next(i for i, r in enumerate(table.rows) if r.label == label)
    row = table.rows[k]
    cells = tuple(replace(c, printed=printed, value=Decimal(printed.replace(",", "")))
                  if c.column == column else c for c in row.cells)
    return replace(table, rows=table.rows[:k] + (replace(row, cells=cells),) + table.rows[k + 1:])


def _row(table, label: str) -> int:
    return next(i for i, r in enumerate(table.rows) if r.label == label)


def _serious(table):
    return [f for f in check_reconcile(SourcedTable("t", table, 0)) if f.severity in SERIOUS]


@pytest.fixture(scope="module")
def diqing_capital_income():
    return _table(CORPUS / "yunnan" / "diqing-prefecture-2026-gov-budget.pdf", [49], "国有资本经营收入")


@pytest.fixture(scope="module")
def ningxia_expenditure():
    return _table(CORPUS / "ningxia" / "ningxia-2024-gov-final-account.pdf", list(range(6, 32)),
                  "全区一般公共预算支出决算表")


def test_a_letter_spaced_subtotal_closes_the_rows_above_it(diqing_capital_income):
    t = diqing_capital_income
    subtotal, profit, dividends = (_row(t, "州本级国有资本经营收入"), _row(t, "利润收入"),
                                   _row(t, "股利、股息收入"))
    assert t.rows[profit].parent == subtotal and t.rows[dividends].parent == subtotal
    # The one-item breakdown is a part of its row, not a sibling beside it.
    assert t.rows[_row(t, "投资服务企业利润收入")].parent == profit
    assert t.rows[_row(t, "转移性收入")].parent is None
    assert not _serious(t)


def test_a_letter_spaced_subtotal_changed_is_reported(diqing_capital_income):
    column = next(c.column for c in diqing_capital_income.rows[0].cells if "2025" in c.column)
    changed = _with_figure(diqing_capital_income, "州本级国有资本经营收入", column, "446")
    found = _serious(changed)
    assert {(f.rule, f.found) for f in found} >= {("table.hierarchy", Decimal("446"))}
    # 各项收入合计 642 now misses 20 over the subtotal, 转移性收入 and 上年结转.
    assert ("table.total", Decimal("642")) in {(f.rule, f.found) for f in found}


def test_a_part_of_the_letter_spaced_subtotal_changed_is_reported(diqing_capital_income):
    column = next(c.column for c in diqing_capital_income.rows[0].cells if "2026" in c.column)
    changed = _with_figure(diqing_capital_income, "投资服务企业利润收入", column, "207")
    [f] = _serious(changed)
    assert (f.rule, f.expected, f.found) == ("table.hierarchy", Decimal("207"), Decimal("270"))


def test_a_row_printed_under_the_grand_total_is_no_part_of_it(ningxia_expenditure):
    t = ningxia_expenditure
    total = _row(t, "全区一般公共预算支出")
    assert t.rows[_row(t, "安排预算稳定调节基金")].parent is None
    assert not [f for f in _serious(t) if "行“全区一般公共预算支出”" in f.message]
    assert sum(1 for r in t.rows if r.parent == total) == 22  # the 类, adding up to it


def test_the_grand_total_changed_is_reported_over_its_categories(ningxia_expenditure):
    changed = _with_figure(ningxia_expenditure, "全区一般公共预算支出", "决算数", "17,684,915")
    [f] = [f for f in _serious(changed) if "行“全区一般公共预算支出”" in f.message]
    assert (f.expected, f.found) == (Decimal("17684951"), Decimal("17684915"))
    assert len(f.operands) == 23  # the 22 类 and the total, no row printed below it


# -- narrative rules of round nine --------------------------------------------------------
# Each on the real page, read alone with pdfplumber as ingest reads it: quiet as printed,
# firing on a copy with one figure changed.

from calc.audit_lists import check_change_parts  # noqa: E402
from calc.audit_narrative import check_shares, check_variance  # noqa: E402
from ingest.narrative_facts import extract_facts  # noqa: E402
from ingest.pdf_text import extract_passages  # noqa: E402
from tests.test_audit_rules import _edit_text  # noqa: E402


def _passages(path: Path, pages: list[int], doc: str):
    with pdfplumber.open(path, pages=pages) as pdf:
        return extract_passages(pdf, doc)


def _shares(passages):
    return [f for f in check_shares([extract_facts(p) for p in passages])
            if f.rule == "narrative.share" and f.severity in SERIOUS]


@pytest.mark.parametrize("path, pages, printed, changed", [
    # "共涉及资金 940.15 万元，占一般公共预算项目支出总额的 100%" (a 决算's 绩效 paragraph)
    ("guangdong/foshan-rail-transit-bureau-2019-final-account.pdf", [28], "总额的 100%", "总额的 1000%"),
    # "一般公共预算财政拨款支出 307.82 万元，占本年支出合计的100.00%" (running on to p.18)
    ("shanghai/putuo-social-work-dept-2024-final-account.pdf", [17, 18], "合计的100.00%", "合计的100.01%"),
])
def test_a_share_above_the_whole_is_reported(path, pages, printed, changed):
    passages = _passages(CORPUS / path, pages, "doc")
    assert printed in " ".join(p.text for p in passages)
    assert not _shares(passages)
    [f] = _shares(_edit_text(passages, printed, changed))
    assert f.found > 100 and f.severity == "error"
    assert any(changed.split("的")[-1].strip() in (c.value or "") for c in f.operands)


@pytest.fixture(scope="module")
def xian_reception():
    return _passages(CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf", [21], "xian")


def test_a_stated_difference_from_the_budget_agrees_with_both_figures(xian_reception):
    text = " ".join(p.text for p in xian_reception)
    assert "预算1.86万元，支出决算0.11万元，完成预算的5.91%，决算数较预算数减少1.75万元" in text
    assert not [f for f in check_variance(xian_reception) if f.severity in SERIOUS]
    changed = _edit_text(xian_reception, "减少1.75万元", "减少17.50万元")
    [f] = [f for f in check_variance(changed) if f.severity in SERIOUS]
    assert (f.expected, f.found) == (Decimal("1.75"), Decimal("17.50"))


@pytest.fixture(scope="module")
def chongqing_three_public():
    return _passages(CORPUS / "chongqing" / "chongqing-gov-general-office-2026-dept-budget.pdf", [3, 4],
                     "chongqing")


def test_parts_stated_unchanged_count_as_no_change(chongqing_three_public):
    text = " ".join(p.text for p in chongqing_three_public)
    assert "与 2025 持平" in text and "较 2025 年减少 2.48 万元，主要原因" in text
    assert not [f for f in check_change_parts(chongqing_three_public) if f.severity in SERIOUS]
    changed = _edit_text(chongqing_three_public, "减少 2.48 万元，主要原因", "减少 2.48 元，主要原因")
    [f] = [f for f in check_change_parts(changed) if f.severity in SERIOUS]
    assert f.severity == "unit_slip" and f.found == Decimal("-2.48")


@pytest.fixture(scope="module")
def cppcc_changes():
    return _passages(CORPUS / "jiangsu" / "jiangsu-cppcc-office-2017-dept-budget.pdf", [6], "cppcc")


def test_each_breakdown_by_classification_sums_to_the_change(cppcc_changes):
    text = " ".join(p.text for p in cppcc_changes)
    assert "按功能分类" in text and "按支出用途分类" in text
    assert not check_change_parts(cppcc_changes)  # −108.56 + 140.96 + 466.32 = 498.72
    changed = check_change_parts(_edit_text(cppcc_changes, "基本支出增加 498.72", "基本支出增加 498.27"))
    [f] = [f for f in changed if f.severity in SERIOUS]
    assert (f.expected, f.found) == (Decimal("498.27"), Decimal("498.72"))
    changed = check_change_parts(_edit_text(cppcc_changes, "140.96", "140.69"))
    [f] = [f for f in changed if f.severity in SERIOUS]
    assert (f.expected, f.found) == (Decimal("498.45"), Decimal("498.72"))


@pytest.fixture(scope="module")
def welfare_home_projects():
    path = CORPUS / "shanghai" / "putuo-welfare-home-2024-unit-budget.pdf"
    passages = _passages(path, [16], "home")
    from ingest.kinds import table_kind
    table = _table(path, [9], "支出预算总表")
    sources = [SourcedTable("home", replace(table, kind=table_kind(table.title)), 0)]
    return passages, sources


def test_project_funds_equal_to_the_projects_only_in_the_other_unit(welfare_home_projects):
    from calc.audit_project_funds import check_project_funds
    passages, sources = welfare_home_projects
    assert "涉及项目预算资金262.00万元" in " ".join(p.text for p in passages).replace(" ", "")
    assert not check_project_funds(passages, sources, "单位预算")  # 262.00 万元 = 2,620,000 元
    changed = _edit_text(passages, "262.00万元", "262.00元")
    [f] = check_project_funds(changed, sources, "单位预算")
    assert f.severity == "unit_slip" and f.found == Decimal("262.00")
