"""Cross-document questions about printed items that are not canonical measures (办公费, 邮电费,
物业管理费, 会议费 of 基本支出), read per document from its own basic-expenditure row, and
rankings where only one document states the measure. Real corpus files in a real SQLite
store; expected figures are the ones printed on the pages named in each test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.across import AcrossAnswerer
from tests.test_across import corpus_store

FILES = ("jiangsu/jiangsu-party-office-2018-dept-budget-tables.pdf",
         "jiangsu/jiangsu-party-office-2019-dept-budget-tables.pdf",
         "jiangsu/jiangsu-high-court-2018-dept-budget.pdf",
         "jiangsu/jiangsu-high-court-2019-dept-budget.pdf",
         "shanghai/putuo-wanli-subdistrict-2025-dept-budget.pdf",
         "shanghai/putuo-finance-bureau-2025-dept-budget.pdf",
         "chongqing/chongqing-gov-general-office-2026-dept-budget.pdf",
         "guangdong/shenzhen-planning-resources-yantian-office-2026-dept-budget.pdf",
         "shanghai/putuo-justice-bureau-2026-dept-budget.pdf",
         # The tables file is named by its narrative twin's cover (北京市财政局).
         "beijing/beijing-finance-bureau-2026-dept-budget-tables.pdf",
         "beijing/beijing-finance-bureau-2026-dept-budget.pdf")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def across(tmp_path_factory):
    return AcrossAnswerer(corpus_store(tmp_path_factory, "across-items", FILES))


def test_an_item_of_basic_expenditure_is_ranked_from_each_documents_row(across):
    # 财政拨款基本支出预算表 30201 办公费 (万元): 省委办公厅 2018 tables p.8 489.30, 高院 2018
    # p.12 350.00.
    answer = across.answer("2018年江苏省委办公厅、省高级人民法院，财政拨款基本支出预算里的办公费谁最多？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal("489.30"), "万元")
    assert "中共江苏省委办公厅" in answer.text.splitlines()[0]
    cited = {(c.doc, c.page, c.row, c.value) for c in answer.citations}
    assert ("jiangsu-party-office-2018-dept-budget-tables", 8, "办公费", "489.30") in cited
    assert all("财政拨款基本支出" in c.table for c in answer.citations)


def test_which_went_down_of_an_item_against_the_year_before(across):
    # 办公费: 省委办公厅 489.30 → 450.00 (2019 tables p.6), 高院 350.00 → 315.00 (2019 p.11).
    answer = across.answer("2019年跟2018年比，江苏省委办公厅、省高级人民法院财政拨款基本支出里的办公费预算，"
                           "哪几家是减少的？一共减少了多少万元？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal("74.30"), "万元")
    # "哪家是减少的" asks the same of 邮电费: 省委办公厅 200.00 → 150.00, 高院 119.00 → 125.00.
    answer = across.answer("2019年比2018年，江苏省委办公厅、省高院两家财政拨款基本支出里的邮电费预算，"
                           "哪家是减少的？减了多少？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal("50.00"), "万元")
    assert "高级人民法院" not in answer.text.splitlines()[0]


def test_one_department_and_year_stays_with_the_one_document_router(across):
    assert across.answer("2018年江苏省高级人民法院财政拨款基本支出里的办公费是多少？") is None
    # Two years of one publisher are compared by the router, as for other items.
    assert across.answer("江苏省高院2019年财政拨款基本支出里的办公费比2018年减少了多少") is None


def test_a_document_without_the_row_is_listed_as_lacking_it(across):
    # 一般公共预算基本支出部门预算经济分类预算表 (元) 302 09 物业管理费: 万里街道 2025 p.28
    # 1,143,816; the 财政局's 302 rows (p.19–20) print no 物业管理费.
    answer = across.answer("2025年普陀区财政局、万里街道的一般公共预算基本支出里，物业管理费谁最多？")
    assert answer.route == "none" and answer.value is None
    assert "只有上海市普陀区人民政府万里街道办事处列出" in answer.text
    assert "上海市普陀区财政局2025年部门预算（文件未列出）" in answer.text
    assert [c.value for c in answer.citations] == ["1,143,816"]


def test_a_fund_asked_reads_that_funds_column_and_units_are_converted(across):
    # 会议费 of 一般公共预算基本支出: 重庆 表六 p.17 30.00 万元; 盐田 基本支出总表 p.22
    # "财政拨款/一般公共预算拨款" 0.50 万元 (not the all-funds 总计 before it); 司法局 p.20
    # 5000.00 元 = 0.5 万元.
    answer = across.answer("2026年重庆市人民政府办公厅、深圳盐田规划资源管理局、普陀区司法局（部门预算）三家，"
                           "一般公共预算基本支出里的会议费加起来多少万元？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal("31.00"), "万元")
    shenzhen = [c for c in answer.citations if c.doc.startswith("shenzhen")]
    assert shenzhen and "一般公共预算" in shenzhen[0].column


def test_a_ranking_where_one_document_states_the_measure_names_no_winner(across):
    # 一般公共服务支出 2026: only Chongqing's 收支总体情况表 lists it (p.9, 15958.96 万元).
    answer = across.answer("2026年重庆市人民政府办公厅、深圳市规划和自然资源局盐田管理局、普陀区司法局"
                           "（部门预算），一般公共服务支出预算谁最多？")
    assert answer.route == "none" and answer.value is None
    assert "只有重庆市人民政府办公厅列出" in answer.text and "无法排名" in answer.text
    assert len(answer.citations) == 1


def test_a_class_as_askers_shorten_it_and_the_table_it_is_read_by(across):
    # 社会保障和就业支出 (部门财务收支预算总表, 元): 万里街道 2025 p.9 16,091,895; 普陀区财政局
    # 2025 p.9 3,508,644.00.
    answer = across.answer("2025年万里街道、普陀区财政局两家的社保就业支出加起来多少？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal("19600539.00"), "元")
    # 住房保障支出 2026 (万元): 盐田 表1 p.15 741.04, 重庆 表一 p.9 539.91, 司法局 p.10
    # 4,521,559.00 元; "按…口径" and "这一类" are no words beyond the measure.
    answer = across.answer("2026年重庆市人民政府办公厅、深圳市规划和自然资源局盐田管理局、普陀区司法局"
                           "（部门预算），按收支预算总表口径，住房保障支出谁最多？有没有哪家没有这一类支出？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal("741.04"), "万元")


def test_a_class_printed_by_name_only_in_the_summary_table_is_read_there(across):
    # Beijing prints no coded 类 total: its 预算01表 收支总表 (p.1) prints "一、一般公共服务支出
    # 37,644.195492" on the expenditure side; Chongqing's 表一 (p.9) 15958.96 万元.
    answer = across.answer("2026年北京市财政局、重庆市人民政府办公厅，一般公共服务支出预算谁最多？")
    assert answer.route == "calc"
    assert (answer.value, answer.unit) == (Decimal("37644.195492"), "万元")
    beijing = [c for c in answer.citations if c.doc.startswith("beijing")]
    assert beijing and beijing[0].page == 1 and "收支总表" in beijing[0].table
