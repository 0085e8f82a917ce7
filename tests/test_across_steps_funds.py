"""Cross-document questions of the third and fourth blind rounds' failure classes, over real
corpus files in a real SQLite store: each year against the year before it, a fund word
restricting a measure, lists written with spaces, counts over two years, the biggest move
between two years, a total over named departments one of which lacks the year, and 会议费 /
培训费 read from the 基本支出 经济分类 table. Expected figures are the ones printed on the
pages named in each test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.across import AcrossAnswerer
from qa.across_names import english_scope
from qa.across_scope import asked_years
from tests.test_across import corpus_store, measure

FILES = ("shanghai/putuo-wanli-subdistrict-2023-dept-budget.pdf",
         "shanghai/putuo-wanli-subdistrict-2024-dept-budget.pdf",
         "shanghai/putuo-wanli-subdistrict-2025-dept-budget.pdf",
         "shanghai/putuo-finance-bureau-2025-dept-budget.pdf",
         "shanghai/putuo-commerce-commission-2025-dept-budget.pdf",
         "jiangsu/jiangsu-procuratorate-2017-dept-budget.pdf",
         "jiangsu/jiangsu-procuratorate-2018-dept-budget.pdf",
         "jiangsu/jiangsu-high-court-2017-dept-budget.pdf",
         "jiangsu/jiangsu-high-court-2018-dept-budget.pdf")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return corpus_store(tmp_path_factory, "across-steps", FILES)


@pytest.fixture(scope="module")
def across(store):
    return AcrossAnswerer(store)


def test_which_year_went_down_against_the_year_before(across):
    # 机关运行经费 (三公 tables, 万元): 2023 p.28 786.09, 2024 p.31 443.18, 2025 p.29 464.64.
    answer = across.answer("万里街道的机关运行经费预算，2023、2024、2025这几年里哪一年比上一年下降了？"
                           "降了多少万元？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("342.91"), "万元")
    head = answer.text.split("\n")[0]
    assert "2024年比2023年" in head and "786.09" in head and "443.18" in head
    assert "2025年比2024年" not in head  # it went up
    pages = {c.page for c in answer.citations if c.kind == "cell"}
    assert {28, 31} <= pages
    # Asked for rises, the rise is named; none of the years fell more than once.
    up = across.answer("万里街道机关运行经费2023到2025年哪一年比上一年增加了？")
    assert "2025年比2024年增加21.46万元" in up.text.split("\n")[0]


def test_a_fund_word_restricts_the_measure_and_never_sums_the_wider_one(across):
    # 机关运行经费 (万元): 万里 464.64 (p.29), 商务委 171.01 (p.21), 财政局 229.43 (p.21).
    answer = across.answer("普陀区万里街道、区商务委、区财政局2025年财政拨款的机关运行经费预算合计多少万元？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("865.08"), "万元")
    assert "机关运行经费" in answer.text.split("\n")[0]
    # The stored 基本支出 is the all-funds 支出总表's (检察院 13,994.31): it never stands for
    # the 一般公共预算 part, which each document's 一般公共预算基本支出预算表 prints on its 合计
    # row (高院 18,570.82, 检察院 13,979.92).
    basic = across.answer("2018年江苏各部门一般公共预算安排的基本支出排名")
    assert basic.route == "calc"
    found = {r["publisher"]: r["value"] for r in basic.table["rows"] if r["status"] == "found"}
    assert found == {"江苏省高级人民法院": "18570.82", "江苏省人民检察院": "13979.92"}
    assert all("一般公共预算基本支出" in c.table for c in basic.citations)


def test_names_and_years_separated_by_spaces(across, store):
    # 公务接待费 (万元): 2017 p.16 156.55, 2018 p.19 116.50; no 2019 document.
    answer = across.answer("省检察院17 18 19三年的招待费加一块多少")
    assert (answer.route, answer.value) == ("calc", Decimal("273.05"))
    assert "未收录2019年" in answer.text
    ranked = across.answer("2017年江苏那几个 检察院 法院 哪家招待费多")
    assert ranked.route == "calc" and {r["publisher"] for r in ranked.table["rows"]} == {
        "江苏省人民检察院", "江苏省高级人民法院"}
    assert asked_years("江苏高院17、18、19三年", ()) == (2017, 2018, 2019)
    assert asked_years("2023、2024、2025这几年", ()) == (2023, 2024, 2025)


def test_a_count_over_two_years_keeps_its_unit(across):
    # "车辆7辆" (2023 p.29), "共有车辆8辆" (2025 p.30).
    answer = across.answer("万里街道的公车数量，2025年预算里报的比2023年预算里报的多了几辆？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("1"), "辆")
    assert all(c.kind == "passage" and "车辆" in c.text for c in answer.citations)
    assert "比2023年增加1辆" in answer.text


def test_the_biggest_move_between_two_years(across):
    # 公务接待费 2017 → 2018 (万元): 检察院 156.55 → 116.50, 高院 185.72 → 183.95.
    answer = across.answer("2018年比2017年，江苏这两家省级部门里公务接待费预算压得最狠的是哪家？少了多少？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("40.05"), "万元")
    assert "江苏省人民检察院" in answer.text.split("\n")[0]
    fell = across.answer("2018年比2017年，江苏哪些部门的三公经费降了？一共降了多少？")
    assert fell.route == "calc" and fell.unit == "万元"
    down = [r for r in fell.table["rows"] if r["status"] == "减少"]
    assert fell.value == sum(-Decimal(r["change"]) for r in down)
    # Two years with a change word are never added up as one sum.
    mixed = across.answer("江苏高院和检察院2018年比2017年三公经费一共多少")
    assert mixed.value is None or mixed.route != "calc" or "合计" not in mixed.text.split("\n")[0]


def test_a_total_over_named_departments_says_which_one_is_not_held(across):
    answer = across.answer("2018年江苏高院、检察院和万里街道的三公经费合计")
    # Wanli's documents in this store are of 2023–2025: the total is of the two held.
    assert answer.route == "calc"
    held = {r["publisher"] for r in answer.table["rows"] if r["value"] is not None}
    assert held == {"江苏省高级人民法院", "江苏省人民检察院"}
    assert "未计入" in answer.text.split("\n")[0]
    assert answer.value == sum(Decimal(r["value"]) for r in answer.table["rows"]
                               if r["value"] is not None)


def test_meeting_and_training_costs_from_the_basic_expenditure_table(store, across):
    # 2025年部门一般公共预算基本支出部门预算经济分类预算表 (元): 万里 p.28 培训费 83,000,
    # 会议费 30,000; 财政局 p.20 30,000 / 10,000; 商务委 p.20 培训费 5,000, no 会议费 row.
    training = measure(store, "putuo-wanli-subdistrict-2025-dept-budget", "培训费")
    assert (training.value, training.unit, training.page) == (Decimal("83000"), "元", 28)
    assert measure(store, "putuo-commerce-commission-2025-dept-budget", "会议费").status == \
        "missing"
    answer = across.answer("2025年普陀区万里街道、商务委、财政局三个部门的会议费预算加起来多少？")
    assert (answer.value, answer.unit) == (Decimal("40000.00"), "元")
    assert "上海市普陀区商务委员会2025年部门预算（文件未列出）" in answer.text
    # Jiangsu's 三公 tables still give theirs (high court 2018 p.14: 培训费 1,666.25 万元).
    assert measure(store, "jiangsu-high-court-2018-dept-budget", "培训费").value == \
        Decimal("1666.25")


def test_english_names_of_offices_are_read_whole():
    assert english_scope("the NPC standing committee general office and the CPPCC office") == \
        "人大常委会办公厅、政协办公厅"
    assert english_scope("Chongqing government general office") == "重庆市人民政府办公厅"


def test_two_measures_compared_at_once_are_clarified_never_one_dropped(across):
    answer = across.answer("2018年江苏各部门三公经费和会议费合计")
    assert answer.route == "clarify" and answer.value is None
    assert [o.wording.split("：")[0] for o in answer.options] == ["只看三公经费", "只看会议费"]
    alone = across.answer("2018年江苏各部门三公经费合计")
    assert answer.options[0].value == alone.value
    nested = across.answer("2018年江苏各部门项目支出中的政府采购哪个最多")
    assert nested.route == "clarify" and nested.value is None


def test_a_measure_placed_inside_the_table_it_is_read_from(across):
    # Shanghai's 培训费 is read from the 基本支出 经济分类 table: "基本支出里的" says where it is.
    answer = across.answer("普陀区2025年万里街道、商务委、财政局三个部门的培训费预算（基本支出里的）合计多少？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("118000.00"), "元")
    # Named inside 基本支出, Jiangsu's 培训费 is each one's basic-expenditure row too
    # (qa.across_items), not its 三公 table's: the procuratorate's 2018 财政拨款基本支出预算表
    # (p.16–17) prints no 培训费 row, so only the 高院 states one and no winner is named.
    jiangsu = across.answer("2018年江苏各部门基本支出中的培训费排名")
    assert jiangsu.route == "none" and jiangsu.value is None
    assert "只有江苏省高级人民法院列出" in jiangsu.text
    assert "江苏省人民检察院2018年部门预算（文件未列出）" in jiangsu.text
