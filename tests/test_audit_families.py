"""The audit rules added for the remaining checker families and for the planted-error
classes the benchmark missed, each on a real corpus document: quiet on the document as
printed and firing on a copy with one figure, name or sentence changed in the test.

Documents parsed once into a temporary store: the Jiangsu High Court 2017 and 2019
budgets, the Putuo Wanli subdistrict 2024 budget, the Putuo social-work department 2024
final account, the Foshan rail-transit bureau 2019 final account and the Beijing finance
bureau 2026 budget (a narrative file and a tables file), and the Shaoxing government-service
office 2024 budget (a text disclosure), and the Pingdingshan 2019 government final account.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from calc.audit import audit_disclosure, group_disclosures
from tests.test_audit_rules import _edit_text
from ingest.pdf_text import opening_text
from store.store import Store
from tests.corpus_cache import read_corpus_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURT = "jiangsu-high-court-2019-dept-budget"
COURT_2017 = "jiangsu-high-court-2017-dept-budget"
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
SOCIAL = "putuo-social-work-dept-2024-final-account"
FOSHAN = "foshan-rail-transit-bureau-2019-final-account"
BEIJING = "beijing-finance-bureau-2026-dept-budget"
BEIJING_TABLES = "beijing-finance-bureau-2026-dept-budget-tables"
SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
PINGDINGSHAN = "pingdingshan-2019-gov-final-account"
FILES = {COURT: "jiangsu", COURT_2017: "jiangsu", WANLI: "shanghai", SOCIAL: "shanghai",
         FOSHAN: "guangdong", BEIJING: "beijing", BEIJING_TABLES: "beijing",
         SHAOXING: "zhejiang", PINGDINGSHAN: "henan"}
FLAGGED = ("error", "unit_slip", "minor")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('families') / 'families.sqlite'}")
    for doc, folder in FILES.items():
        path = CORPUS / folder / f"{doc}.pdf"
        store.replace_document(read_corpus_document(path if path.exists() else path.with_suffix(".md")))
    return store


def _audit(store, docs, tables=None, passages=None, contents=None):
    """The audit of the files `docs` (one disclosure), with some of them replaced."""
    docs = [docs] if isinstance(docs, str) else docs
    tables = {d: store.parsed_tables(d) for d in docs} | (tables or {})
    passages = {d: store.passages(d) for d in docs} | (passages or {})
    return audit_disclosure([store.document(d) for d in docs], tables, passages,
                            contents=contents)


def _rule(report, rule, severities=FLAGGED):
    return [f for f in report.findings if f.rule == rule and f.severity in severities]



def _set_cell(tables, t, r, column, printed):
    tables = list(tables)
    table = tables[t]
    rows = list(table.rows)
    rows[r] = replace(rows[r], cells=tuple(
        replace(c, printed=printed, value=Decimal(printed.replace(",", "")) if printed else None)
        if c.column == column else c for c in rows[r].cells))
    tables[t] = replace(table, rows=tuple(rows))
    return tables


def _cites(finding, text):
    return any(text in (c.value or "") or text in (c.text or "") for c in finding.operands)


def _find(tables, kind=None, title=None):
    return next(i for i, t in enumerate(tables)
                if (kind is None or t.kind == kind) and (title is None or title in t.title))


# -- 目录与正文一致 ---------------------------------------------------------------------------

def test_contents_lists_tables_the_body_prints(store):
    contents = {COURT: opening_text(str(CORPUS / "jiangsu" / f"{COURT}.pdf"))}
    assert "政府采购支出预算表" in contents[COURT]
    assert not _rule(_audit(store, COURT, contents=contents), "contents.table_listed",
                     ("missing", "minor", "error"))
    tables = store.parsed_tables(COURT)
    t = _find(tables, "政府采购")
    renamed = list(tables)
    renamed[t] = replace(tables[t], title="公开12表 资产配置预算表")
    [finding] = _rule(_audit(store, COURT, {COURT: renamed}, contents=contents),
                      "contents.table_listed", ("missing",))
    assert "政府采购支出预算表" in finding.message


# -- 机关运行经费 vs 公用经费 ------------------------------------------------------------------

def test_running_costs_within_the_public_costs(store):
    # "机关运行经费支出 10.23 万元"; the 基本支出决算表's 公用经费合计 is 10.23.
    old = "机关运行经费支出 10.23 万元"
    assert not _rule(_audit(store, SOCIAL), "cross.running_costs")
    above = _edit_text(store.passages(SOCIAL), old, "机关运行经费支出 102.30 万元")
    [finding] = _rule(_audit(store, SOCIAL, passages={SOCIAL: above}), "cross.running_costs")
    assert finding.severity == "error" and _cites(finding, "102.30")
    assert any(c.kind == "cell" and c.value == "10.23" for c in finding.operands)
    slip = _edit_text(store.passages(SOCIAL), old, "机关运行经费支出 10.22 万元")
    [finding] = _rule(_audit(store, SOCIAL, passages={SOCIAL: slip}), "cross.running_costs")
    assert finding.severity == "minor"


# -- 结转和结余 ----------------------------------------------------------------------------

def test_carryover_balance_per_row(store):
    tables = store.parsed_tables(FOSHAN)
    assert not _rule(_audit(store, FOSHAN), "table.carryover_balance")
    t = _find(tables, title="政府性基金预算财政拨款收入支出决算表")
    changed = _set_cell(tables, t, 0, "年末结转和结余", "5.00")
    [finding] = _rule(_audit(store, FOSHAN, {FOSHAN: changed}), "table.carryover_balance")
    assert finding.found == Decimal("5.00") and finding.expected == 0


def test_changed_carryover_of_a_final_account_needs_a_reason(store):
    # Foshan's 收入支出决算总表: 年初结转和结余 0.00, 年末结转和结余 0.01, no reason given.
    [finding] = _rule(_audit(store, FOSHAN), "narrative.carryover_explained", ("missing",))
    assert "0.01" in finding.message
    passages = store.passages(FOSHAN)
    explained = passages + [replace(passages[-1], index=passages[-1].index + 1, text=(
        "年末结转和结余 0.01 万元，主要原因是利息收入结转下年使用。"))]
    assert not _rule(_audit(store, FOSHAN, passages={FOSHAN: explained}),
                     "narrative.carryover_explained", ("missing",))


def test_stated_carryover_against_the_summary_table(store):
    # "10.上年结转结余 12.72 万元"; the 收支总表 prints 12.717412.
    docs = [BEIJING, BEIJING_TABLES]
    assert not _rule(_audit(store, docs), "narrative.carryover")
    changed = _edit_text(store.passages(BEIJING), "上年结转结余 12.72 万元", "上年结转结余 17.22 万元")
    [finding] = _rule(_audit(store, docs, passages={BEIJING: changed}), "narrative.carryover")
    assert _cites(finding, "17.22") and any(c.value == "12.717412" for c in finding.operands)


# -- tables: planted-error classes --------------------------------------------------------

def test_tables_file_joins_its_narrative(store):
    docs = [store.document(BEIJING), store.document(BEIJING_TABLES)]
    assert [[d.id for d in g] for g in group_disclosures(docs)] == [[BEIJING, BEIJING_TABLES]]


def test_performance_funds_add_up(store):
    tables = store.parsed_tables(BEIJING_TABLES)
    assert not _rule(_audit(store, [BEIJING, BEIJING_TABLES]), "table.performance_funds")
    t = _find(tables, title="项目支出绩效目标表")
    r = next(k for k, row in enumerate(tables[t].rows)
             if any(c.column == "项目总额" and c.value for c in row.cells))
    total = next(c for c in tables[t].rows[r].cells if c.column == "项目总额")
    changed = _set_cell(tables, t, r, "项目总额", format(total.value * 10, "f"))
    found = _rule(_audit(store, [BEIJING, BEIJING_TABLES], {BEIJING_TABLES: changed}),
                  "table.performance_funds")
    assert [f.found for f in found] == [total.value * 10]


def test_three_public_total_with_meetings_and_training(store):
    tables = store.parsed_tables(COURT)
    assert not _rule(_audit(store, COURT), "table.three_public")
    t = _find(tables, "三公经费表")
    changed = _set_cell(tables, t, 0, "培训费", "1,579.25")  # printed 1,597.25
    found = _rule(_audit(store, COURT, {COURT: changed}), "table.three_public")
    assert any(any(c.column == "培训费" and c.value == "1,579.25" for c in f.operands)
               for f in found)


def test_spending_by_function_adds_up_to_the_subtotal_by_use(store):
    # The 2017 收支预算总表 prints no subtotal under its 功能分类 column.
    tables = store.parsed_tables(COURT_2017)
    assert not _rule(_audit(store, COURT_2017), "table.classification_sides")
    t = _find(tables, "收支总表")
    r = next(k for k, row in enumerate(tables[t].rows) if row.label == "八、社会保障和就业支出")
    changed = _set_cell(tables, t, r, "支出/功能分类/金额", "2,374.13")  # printed 2,347.13
    [finding] = _rule(_audit(store, COURT_2017, {COURT_2017: changed}),
                      "table.classification_sides")
    assert finding.found == Decimal("28849.38") and _cites(finding, "2,374.13")


def test_last_group_of_a_purchase_table_is_closed_by_the_tables_end(store):
    # The table ends with "机关后勤保障经费 360.00 / 其他服务 360.00" under "三、服务C".
    tables = store.parsed_tables(COURT)
    t = _find(tables, "政府采购")
    last = len(tables[t].rows) - 1
    assert tables[t].rows[last].label == "其他服务"
    assert not _rule(_audit(store, COURT), "table.inferred_groups")
    changed = _set_cell(tables, t, last, tables[t].columns[0], "630.00")
    found = _rule(_audit(store, COURT, {COURT: changed}), "table.inferred_groups")
    assert any(any(c.row == tables[t].rows[last].label for c in f.operands) for f in found)


# -- narrative: planted-error classes -----------------------------------------------------

def test_increase_and_rate_without_last_year_named(store):
    # "行政运行（项）支出 17279.29 万元，与上年相比增加 2421.68 万元，增长 16.30%".
    old = "与上年相比增加 2421.68 万元，增长 16.30%"
    plain = _edit_text(store.passages(COURT), old, "增加 2421.68 万元，增长 16.30%")
    assert not [f for f in _rule(_audit(store, COURT, passages={COURT: plain}), "narrative.growth")
                if _cites(f, "16.30")]
    wrong = _edit_text(store.passages(COURT), old, "增加 2421.68 万元，增长 61.30%")
    found = _rule(_audit(store, COURT, passages={COURT: wrong}), "narrative.growth")
    assert any(_cites(f, "61.30") for f in found)


def test_increase_printed_in_the_wrong_unit(store):
    old = "与上年相比增加 2421.68 万元，增长 16.30%"
    slip = _edit_text(store.passages(COURT), old, "与上年相比增加 2421.68 元，增长 16.30%")
    found = _rule(_audit(store, COURT, passages={COURT: slip}), "narrative.growth")
    assert [f.severity for f in found if _cites(f, "16.30")] == ["unit_slip"]
    huge = _edit_text(store.passages(COURT), old, "与上年相比增加 24216.8 万元，增长 16.30%")
    found = _rule(_audit(store, COURT, passages={COURT: huge}), "narrative.growth")
    assert any("上年数将为负" in f.message for f in found)


def test_level_with_last_year_means_equal(store):
    old = "2023年当年预算执行数为217.72万元，2024年预算安排217.72万元，比2023年预算执行数持平"
    assert not [f for f in _rule(_audit(store, WANLI), "narrative.stated_rate")
                if _cites(f, "217.72")]
    changed = _edit_text(store.passages(WANLI), old, old.replace("执行数为217.72", "执行数为271.72"))
    found = _rule(_audit(store, WANLI, passages={WANLI: changed}), "narrative.stated_rate")
    assert any(_cites(f, "271.72") and "持平" in f.message for f in found)


def test_share_indicator_above_a_hundred_percent(store):
    tables = store.parsed_tables(BEIJING_TABLES)
    assert not _rule(_audit(store, [BEIJING, BEIJING_TABLES]), "table.performance_rate")
    t = _find(tables, title="项目支出绩效目标表")
    r = next(k for k, row in enumerate(tables[t].rows) if row.label == "系统验收合格率")
    changed = _set_cell(tables, t, r, "指标值", "990")
    [finding] = _rule(_audit(store, [BEIJING, BEIJING_TABLES], {BEIJING_TABLES: changed}),
                      "table.performance_rate")
    assert finding.found == Decimal("990")


def test_unnumbered_item_lines_are_listed_parts(store):
    # "本年支出预算合计 37188.34 万元，其中：/基本支出 21968 万元，占 59.07%；/项目支出 …".
    assert not _rule(_audit(store, COURT), "narrative.parts_sum")
    passages = _edit_text(store.passages(COURT), "单位预留机动经费 5011.4", "单位预留机动经费 5101.4")
    found = _rule(_audit(store, COURT, passages={COURT: passages}), "narrative.parts_sum")
    assert any(_cites(f, "5101.4") and _cites(f, "37188.34") for f in found)


def test_change_equals_the_changes_its_reasons_list(store):
    # "增加 4016.19 万元，增长 12.11%。主要原因是基本支出增加…3397.18 万元、项目经费支出安排减少
    # 1134.33 万元、单位预留机动经费增加 1753.34 万元".
    assert not _rule(_audit(store, COURT), "narrative.change_parts")
    passages = _edit_text(store.passages(COURT), "单位预留机动经费增加 1753.34",
                          "单位预留机动经费增加 1735.34")
    found = _rule(_audit(store, COURT, passages={COURT: passages}), "narrative.change_parts")
    assert found and all(f.found == Decimal("4016.19") for f in found)
    assert any(f.expected == Decimal("3998.19") for f in found)


def test_item_amount_restated_as_this_years_arrangement(store):
    old = "2023年当年预算执行数为14.62万元，2024年预算安排13.52万元"
    assert not [f for f in _rule(_audit(store, WANLI), "narrative.restated") if _cites(f, "13.52")]
    changed = _edit_text(store.passages(WANLI), old, old.replace("安排13.52", "安排13.53"))
    [finding] = [f for f in _rule(_audit(store, WANLI, passages={WANLI: changed}),
                                  "narrative.restated") if _cites(f, "13.53")]
    assert finding.expected == Decimal("13.52")


def test_shares_of_a_breakdown_without_a_stated_whole(store):
    old = "卫生健康支出 82.44 万元，占 2.7%"
    assert not _rule(_audit(store, SHAOXING), "narrative.shares_sum")
    changed = _edit_text(store.passages(SHAOXING), old, "卫生健康支出 82.44 万元，占 0.7%")
    [finding] = _rule(_audit(store, SHAOXING, passages={SHAOXING: changed}),
                      "narrative.shares_sum")
    assert finding.found == Decimal("98.0")


def test_listed_parts_may_be_negative_or_last_years_balance(store):
    # "市本级政府性基金收入总计453569万元，其中：市本级政府性基金收入565388万元，上级补助收入
    # -268332万元，专项债务转贷收入112660万元，上年结余收入43853万元" adds up.
    assert not [f for f in _rule(_audit(store, PINGDINGSHAN), "narrative.parts_sum")
                if _cites(f, "453569")]
    changed = _edit_text(store.passages(PINGDINGSHAN), "上年结余收入43853", "上年结余收入48353")
    found = _rule(_audit(store, PINGDINGSHAN, passages={PINGDINGSHAN: changed}),
                  "narrative.parts_sum")
    assert any(_cites(f, "453569") and f.expected == Decimal("458069") for f in found)


def test_meeting_fees_tied_to_the_three_public_tables_column(store):
    # "…一般公共预算拨款安排的会议费预算支出 271.02 万元": the 三公 table's 会议费 column (a
    # 基本支出表 row 会议费 holds only the basic-expenditure part).
    old = "安排的会议费预算支出 271.02 万元"
    assert not [f for f in _rule(_audit(store, COURT), "narrative.amount") if _cites(f, "271.02")]
    changed = _edit_text(store.passages(COURT), old, "安排的会议费预算支出 217.02 万元")
    found = _rule(_audit(store, COURT, passages={COURT: changed}), "narrative.amount")
    assert any(_cites(f, "217.02") and any(c.column == "会议费" for c in f.operands)
               for f in found)
