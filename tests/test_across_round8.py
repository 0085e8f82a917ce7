"""Cross-document questions of the eighth blind round's failure classes, over real corpus files
in a real SQLite store: one department's share of a set listed before it, "哪几家…比上年减少"
read as changes (against a held year, or against the change a document's own narrative states
when its previous year is not held), a year ranked in an English series, a part named before
its whole and a total word after a measure, one publisher's share over its years. Expected figures are the
ones printed on the pages named in each test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa.across import AcrossAnswerer
from qa.across_words import named_measures
from tests.test_across import corpus_store

FILES = ("chongqing/chongqing-gov-general-office-2026-dept-budget.pdf",
         "beijing/beijing-finance-bureau-2026-dept-budget.pdf",
         "shanghai/shanghai-jiaotong-vocational-college-2026-unit-budget.pdf",
         "shanghai/putuo-justice-bureau-2026-dept-budget.pdf",
         "guangdong/shenzhen-planning-resources-yantian-office-2026-dept-budget.pdf",
         "shanghai/shanghai-finance-bureau-2025-unit-budget.pdf",
         "shanghai/putuo-finance-bureau-2025-dept-budget.pdf",
         "jiangsu/jiangsu-cppcc-office-2017-dept-budget-tables.pdf",
         "jiangsu/jiangsu-cppcc-office-2018-dept-budget-tables.pdf",
         "jiangsu/jiangsu-cppcc-office-2019-dept-budget-tables.pdf",
         "jiangsu/jiangsu-party-office-2018-dept-budget-tables.pdf",
         "jiangsu/jiangsu-party-office-2019-dept-budget-tables.pdf",
         "shanghai/putuo-wanli-subdistrict-2023-dept-budget.pdf",
         "shanghai/putuo-wanli-subdistrict-2025-dept-budget.pdf")

FIVE = "北京市财政局、重庆市政府办公厅、深圳盐田管理局、普陀区司法局、上海交通职业技术学院"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def across(tmp_path_factory):
    return AcrossAnswerer(corpus_store(tmp_path_factory, "across-round8", FILES))


def test_a_department_named_again_after_the_list_is_its_share_of_the_list(across):
    # 三公 2026 (万元): 北京 223.80 (p.8), 重庆 394.49 (p.20), 盐田 6.10 (p.35), 司法局 10.81
    # (p.21), 交通职院 67.59 (p.20): 223.80 ÷ 702.79 = 31.84%, not 重庆's 56.13%.
    answer = across.answer(f"把{FIVE}2026年的“三公”经费预算加在一起，北京市财政局占了百分之几？")
    assert answer.route == "calc" and answer.unit == "%"
    assert round(answer.value, 2) == Decimal("31.84")
    assert "北京市财政局占31.84%" in answer.text


def test_which_went_down_uses_the_change_the_narrative_states(across):
    # Beijing p.8 "比 2025年…年初预算减少 32.23 万元", Chongqing p.3 "较 2025 年减少 2.48 万元",
    # the college p.21 "比2025年预算减少23.10万元", 司法局 p.22 "比2025年预算持平", 盐田 p.8
    # "较 2025 年年初预算增加 0.00 万元": three went down, 57.81 万元 in all.
    answer = across.answer(f"2026年的三公经费跟2025年比，{FIVE}里哪几家是减少的？一共少了多少？")
    assert answer.route == "calc"
    assert (answer.value, answer.unit) == (Decimal("57.81"), "万元")
    head = answer.text.splitlines()[0]
    for who in ("北京市财政局", "重庆市人民政府办公厅", "上海交通职业技术学院"):
        assert who in head
    assert "司法局" not in head and "盐田" not in head
    stated = [c for c in answer.citations if c.kind == "passage" and c.value == "减少32.23"]
    assert stated and stated[0].page == 8 and "32.23" in stated[0].text


def test_a_change_said_of_a_part_after_qizhong_is_not_the_totals(across):
    # Shanghai finance p.6: "收入预算17,192万元，其中：财政拨款收入17,192万元，比2024年预算减少990
    # 万元" — the change is of 财政拨款收入; neither it nor 普陀财政局's is of 收入总计.
    answer = across.answer("2025年上海市财政局、普陀区财政局，哪家的收入预算比上一年是减少的？")
    assert answer.route == "none" and answer.value is None
    assert "没有可以和上一年比较收入总计的部门" in answer.text and "上海市财政局" in answer.text


def test_which_of_several_went_down_against_a_held_year(across):
    # 三公 小计 (万元): 政协 2018 p.9 675.10 → 2019 p.9 660.10; 省委办公厅 508.20 both years.
    answer = across.answer("江苏省政协办公厅、省委办公厅，哪几家2019年的“三公”经费预算比2018年少了？")
    assert answer.route == "calc" and (answer.value, answer.unit) == (Decimal(1), "个")
    assert "江苏省政协办公厅：2018年675.10万元 → 2019年660.10万元，减少15.00万元" in answer.text


def test_an_english_which_year_ranks_the_years(across):
    # 会议费 (万元): 2017 p.11 1,094.62; 2018 p.9 884.16; 2019 p.9 1,282.56.
    answer = across.answer("For the Jiangsu CPPCC office, which year from 2017 to 2019 had the "
                           "biggest meeting-expense (会议费) budget, and how much was it?")
    assert (answer.value, answer.unit) == (Decimal("1282.56"), "万元")
    assert "2019年" in answer.text.splitlines()[0]


def test_a_part_before_its_whole_and_a_total_after_a_measure_name_one_measure():
    assert named_measures("2025年人员经费基本支出是多少", {}) == ["人员经费"]
    assert named_measures("哪个单位的政府采购预算总额最大", {}) == ["政府采购"]
    # Joined by a word, the two stay two ("人员经费和基本支出").
    assert named_measures("人员经费和基本支出", {}) == ["人员经费", "基本支出"]
    assert named_measures("人员经费占基本支出的比重", {}) == ["人员经费", "基本支出"]


def test_one_publishers_share_over_its_years_in_percentage_points(across):
    # 部门支出预算总表 合计 (元): 2023 p.18 项目支出 65,572,343 of 164,978,640 (支出总计, p.10)
    # = 39.75%; 2025 p.18 88,425,805 of 189,767,551 (p.9) = 46.60%: up 6.85 points.
    answer = across.answer("万里街道项目支出占支出总计的比重，2025年比2023年提高了几个百分点？")
    assert answer.route == "calc" and answer.unit == "个百分点"
    assert round(answer.value, 2) == Decimal("6.85")
    assert "2023年39.75%，2025年46.60%，提高6.85个百分点" in answer.text
    assert {c.value for c in answer.citations} == {"65,572,343", "164,978,640", "88,425,805",
                                                   "189,767,551"}


def test_a_subjects_own_place_is_no_set_of_one(across):
    # "占2026年五家单位合计": the set is the year's five budgets, not Beijing's departments
    # (which would make Beijing 100%); with no set beside the department, no share is given.
    answer = across.answer("北京市财政局的三公经费占2026年五家单位合计的百分之几")
    assert answer.route == "calc" and round(answer.value, 2) == Decimal("31.84")
    alone = across.answer("北京市财政局的三公经费占北京各部门合计的多少")
    assert alone.route == "none" and alone.value is None
    assert "只找到北京市财政局一家" in alone.text
