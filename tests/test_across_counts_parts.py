"""Cross-document questions of the second blind round's failure classes, over real corpus files
in a real SQLite store: vehicle counts (not the vehicles' cost), a part named inside its whole,
the size of a decrease, "which went down and by how much in all", one department's share of a
set named before it, and 人员经费 of final accounts whose 基本支出 table prints two halves.
Expected figures are the ones printed on the pages named in each test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calc.operations import MONEY, display
from qa.across import AcrossAnswerer
from qa.across_names import english_scope
from tests.test_across import corpus_store, measure

FILES = ("shanghai/putuo-wanli-subdistrict-2024-dept-budget.pdf",
         "shanghai/putuo-wanli-subdistrict-2025-dept-budget.pdf",
         "shanghai/putuo-social-work-dept-2024-final-account.pdf",
         "shanghai/putuo-justice-bureau-2026-dept-budget.pdf",
         "shanghai/shanghai-jiaotong-vocational-college-2026-unit-budget.pdf",
         "jiangsu/jiangsu-high-court-2018-dept-budget.pdf",
         "jiangsu/jiangsu-high-court-2019-dept-budget.pdf",
         "jiangsu/jiangsu-cppcc-office-2019-dept-budget.pdf")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return corpus_store(tmp_path_factory, "across-counts", FILES)


@pytest.fixture(scope="module")
def across(store):
    return AcrossAnswerer(store)


def test_personnel_costs_of_a_two_half_final_account_table(store):
    # p.13, 一般公共预算财政拨款基本支出决算表 (万元): 人员经费合计 95.36 on the left half
    # ("第1栏"), 公用经费合计 10.23 on the right ("第2栏"); their sum is the 基本支出 105.58
    # up to the rounding of the printed parts.
    doc = "putuo-social-work-dept-2024-final-account"
    people, common = measure(store, doc, "人员经费"), measure(store, doc, "公用经费")
    assert (people.value, people.unit, people.page, people.source) == (
        Decimal("95.36"), "万元", 13, "table")
    assert (common.value, common.page) == (Decimal("10.23"), 13)
    basic = measure(store, doc, "基本支出").value
    assert abs(people.value + common.value - basic) <= Decimal("0.01")


def test_vehicle_counts_come_from_the_whole_not_a_part(store):
    # "截至2025年8月31日上海交通职业技术学院共有车辆12辆，其中…特种专业技术用车3辆…其他用车9辆"
    college = measure(store, "shanghai-jiaotong-vocational-college-2026-unit-budget", "车辆数")
    assert (college.value, college.unit, college.source, college.page) == (
        Decimal("12"), "辆", "narrative", 21)
    assert "共有车辆12辆" in college.text.replace(" ", "")
    # "2026年部门预算安排购置车辆0辆" is a purchase, not the count: the count is 3.
    assert measure(store, "putuo-justice-bureau-2026-dept-budget", "车辆数").value == 3
    # The 2018 high court disclosure states no count: missing, never zero.
    assert measure(store, "jiangsu-high-court-2018-dept-budget", "车辆数").status == "missing"


@pytest.mark.parametrize("question", ["2026年各家谁公车最多？", "2026年各部门公车数排名",
                                      "2026年各单位各有多少辆公车"])
def test_vehicles_counted_are_not_their_cost(across, question):
    answer = across.answer(question)
    assert answer.route == "calc" and answer.unit == "辆", answer.text
    rows = [r for r in answer.table["rows"] if r["value"] is not None]
    assert {r["publisher"] for r in rows} == {"上海交通职业技术学院", "上海市普陀区司法局"}
    assert all(c.kind == "passage" and "车辆" in c.text for c in answer.citations[:len(rows)])
    assert "车辆数" in answer.text and "万元" not in answer.text.split("\n")[0]


def test_vehicles_with_a_word_of_money_are_the_cost(across):
    answer = across.answer("2026年各部门公车花钱最多的是哪家")
    assert answer.unit == "万元" and "公务用车购置及运行费" in answer.text


def test_vehicle_count_sum_and_a_year_not_stated(across):
    total = across.answer("2026年这两家一共有多少辆车？上海交通职业技术学院和普陀区司法局")
    assert (total.route, total.value, total.unit) == ("calc", Decimal("15"), "辆")
    # 2018 states no count: the 2019 figure is given, the other year said to be lacking.
    both = across.answer("江苏高院2018年和2019年各有多少辆公车？")
    assert (both.route, both.value, both.unit) == ("calc", Decimal("66"), "辆")
    assert "2018年部门预算（文件未列出）" in both.text
    # A change needs both years: refused, with what is known.
    change = across.answer("江苏高院的车辆数2019年比2018年多了还是少了，差几辆？")
    assert change.route == "none" and change.value is None
    assert "66辆" in change.text


def test_a_part_named_inside_its_whole_is_the_part(store, across):
    # 因公出国（境）费: 2018 170.00 万元, 2019 160.00 万元 (三公 tables); asked as "三公经费里出国那块".
    answer = across.answer("江苏高院三工经费里出国那块 18年到19年少了多少")
    assert answer.route == "calc" and answer.unit == "万元"
    before = measure(store, "jiangsu-high-court-2018-dept-budget", "因公出国(境)费").value
    after = measure(store, "jiangsu-high-court-2019-dept-budget", "因公出国(境)费").value
    assert answer.value == before - after == Decimal("10.00")  # the size of the decrease
    assert "因公出国(境)费" in answer.text and "三公经费" not in answer.text.split("\n")[0]
    # "占" compares the two: the part over the whole.
    share = across.answer("2019年江苏各部门三公经费中出国费占多少")
    assert share.route == "calc" and "因公出国(境)费占三公经费" in share.text
    for row in share.table["rows"]:
        if row["value"] is not None:
            assert Decimal(row["value"]) <= Decimal(row["whole"])


def test_a_decrease_asked_for_is_its_size_and_a_rise_is_not(across):
    fall = across.answer("万里街道的公用经费2024到2025年少了多少？")
    rise = across.answer("万里街道的公用经费2024到2025年增加了多少？")
    assert fall.value > 0 and rise.value == -fall.value
    assert "减少" in fall.text


def test_which_went_down_and_by_how_much_in_all(store, across):
    answer = across.answer("和上年比，公用经费下降的是哪几家？一共少了多少？")
    assert answer.route == "calc"
    down = [r for r in answer.table["rows"] if r["status"] == "减少"]
    assert down and all(r["publisher"] in answer.text.split("\n")[0] for r in down)
    # The total is the sum of the falls of those that fell, in the answer's unit.
    expected = sum((-Decimal(r["change"]) * MONEY[r["unit"]] for r in down), Decimal(0))
    assert answer.value * MONEY[answer.unit] == expected
    # Without "多少" the answer stays the number of departments.
    who = across.answer("和上年比，公用经费下降的是哪几家？")
    assert (who.value, who.unit) == (Decimal(len(down)), "个")


def test_share_of_one_department_in_a_set_named_before_it(across):
    answer = across.answer("作为人大代表我想知道：2019年江苏那两家省级部门的人员经费里，省高院一家占了多少？")
    assert answer.route == "calc" and answer.unit == "%"
    assert answer.question.startswith("作为人大代表")
    values = {r["publisher"]: Decimal(r["value"]) for r in answer.table["rows"]}
    assert set(values) == {"江苏省高级人民法院", "江苏省政协办公厅"}
    assert answer.value == Decimal(display(values["江苏省高级人民法院"] / sum(values.values()) * 100))


def test_an_english_place_before_a_department_is_one_name():
    scope = english_scope("Beijing Finance Bureau's 2026 budget against Shanghai Finance Bureau's")
    assert scope == "北京市财政局、上海市财政局"
    assert english_scope("the Jiangsu party office and Putuo") == "江苏省委办公厅、普陀区"


def test_how_much_is_no_fall_and_a_bare_reception_is_the_reception_cost():
    from qa.across_words import named_measures, read_asked
    up = read_asked("2019年哪些部门三公经费比上年增加了一共增加多少", ["三公经费"], (2019,), False)
    assert (up.operation, up.down, up.amount) == ("changes", False, True)
    down = read_asked("2019年哪些部门三公经费比上年少了", ["三公经费"], (2019,), False)
    assert (down.operation, down.down, down.amount) == ("changes", True, False)
    assert named_measures("高院三公经费中接待那块2018年到2019年变化", {}) == ["公务接待费"]
