"""Cross-document questions of the sixth blind round's failure classes, over real corpus files
in a real SQLite store: a measure the narrative names by its head noun under an item headed by
its full name, a document stating it has none (a stated 0, not a lack), a share named whole
first, "所有资金来源", a department's 部门预算 against its own 单位预算, a collective word for
departments the question names one by one, and counts of equipment worth 100万元 or more.
Expected figures are the ones printed on the pages named in each test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calc.operations import display
from qa.across import AcrossAnswerer
from tests.test_across import corpus_store, measure

FILES = ("chongqing/chongqing-gov-general-office-2026-dept-budget.pdf",
         "beijing/beijing-finance-bureau-2026-dept-budget.pdf",
         "shanghai/shanghai-jiaotong-vocational-college-2026-unit-budget.pdf",
         "shanghai/putuo-justice-bureau-2026-dept-budget.pdf",
         "shanghai/putuo-justice-bureau-2026-unit-budget.pdf",
         "shanghai/shanghai-finance-bureau-2025-unit-budget.pdf",
         "shanghai/putuo-finance-bureau-2025-dept-budget.pdf",
         "shanghai/putuo-social-work-dept-2024-final-account.pdf",
         "guangdong/foshan-rail-transit-bureau-2019-final-account.pdf")

COLLEGE = "shanghai-jiaotong-vocational-college-2026-unit-budget"
CHONGQING = "chongqing-gov-general-office-2026-dept-budget"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return corpus_store(tmp_path_factory, "across-round6", FILES)


@pytest.fixture(scope="module")
def across(store):
    return AcrossAnswerer(store)


def test_a_measure_named_by_its_head_noun_under_its_item(store):
    # p.4, 五、其他重要事项的情况说明: "（一）机关运行经费。2026 年一般公共预算财政拨款运行经费
    # 1,815 万元，比 2025 年增加 21.99万元" — the item's heading names it, the sentence says 运行经费.
    found = measure(store, CHONGQING, "机关运行经费")
    assert (found.status, found.value, found.unit, found.page, found.source) == (
        "found", Decimal("1815"), "万元", 4, "narrative")
    assert "运行经费 1,815 万元" in found.text


def test_a_document_stating_it_has_none_is_a_stated_zero(store):
    # p.21, 其他相关情况说明 二、机关运行经费预算: "本单位无机关运行经费。" (its table's cell is empty).
    none = measure(store, COLLEGE, "机关运行经费")
    assert (none.status, none.value, none.source, none.page) == ("found", Decimal(0),
                                                                  "narrative", 21)
    assert "本单位无机关运行经费" in none.text
    # A document that says nothing of an item still lacks it (Chongqing prints no 会议费).
    assert measure(store, CHONGQING, "会议费").status == "missing"


def test_ranking_lists_the_headed_figure_and_the_stated_none(across):
    answer = across.answer("2026年北京市财政局、重庆市政府办公厅、普陀区司法局（部门预算）、"
                           "上海交通职业技术学院，机关运行经费预算谁最多？有没有哪家没有这项？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("1815"), "万元")
    rows = {r["publisher"]: r for r in answer.table["rows"]}
    assert rows["上海交通职业技术学院"]["value"] == "0" and rows["上海交通职业技术学院"]["place"] == 4
    assert "文件写明：无机关运行经费" in answer.text
    assert any(c.kind == "passage" and "本单位无机关运行经费" in c.text for c in answer.citations)


def test_equipment_of_a_million_yuan_or_more_is_counted(store, across):
    # College p.21 "单价100万元（含）以上设备（不含车辆）16台（套）"; Beijing p.9 "单位价值 100
    # 万元以上的设备 4 台（套）" (not the "购置…0 台（套）" after it); the justice bureau p.22 0;
    # Chongqing counts only its vehicles.
    counts = {doc: measure(store, doc, "百万元以上设备数") for doc in (
        COLLEGE, "beijing-finance-bureau-2026-dept-budget", "putuo-justice-bureau-2026-dept-budget",
        CHONGQING)}
    assert [(m.status, m.value) for m in counts.values()] == [
        ("found", Decimal(16)), ("found", Decimal(4)), ("found", Decimal(0)), ("missing", None)]
    assert counts[COLLEGE].unit == "台（套）" and counts[COLLEGE].page == 21
    answer = across.answer("2026年北京市财政局、重庆市政府办公厅、普陀区司法局、上海交通职业技术学院，"
                           "单价100万元以上的设备谁家最多？有几台？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal(16), "台（套）")
    assert "上海交通职业技术学院" in answer.text.split("\n")[0]
    assert "重庆市人民政府办公厅" in answer.text and "文件未列出" in answer.text


def test_an_english_share_named_whole_first_is_part_over_whole(store, across):
    answer = across.answer(
        "Across the final accounts of the Putuo social work department 2024 and the Foshan rail "
        "transit bureau 2019, which spent the largest share of its total expenditure (本年支出合计) "
        "on projects (项目支出)? Give that share.")
    doc = "putuo-social-work-dept-2024-final-account"
    part, whole = measure(store, doc, "项目支出").value, measure(store, doc, "本年支出合计").value
    # p.8 支出决算表: 202.24 of 307.82 万元.
    assert (part, whole) == (Decimal("202.24"), Decimal("307.82"))
    assert answer.route == "calc" and answer.value == Decimal(display(part / whole * 100))
    assert "项目支出占本年支出合计" in answer.text


def test_all_funding_sources_qualify_the_measure_or_are_the_revenue(across):
    # "所有资金来源的基本支出" is 基本支出 over every fund: no clarify with 收入总计.
    basic = across.answer("2026年北京市财政局、普陀区司法局（部门）、上海交通职业技术学院，算上所有"
                          "资金来源的基本支出预算，哪家最大？多少？")
    assert basic.route == "calc" and basic.reading["measures"] == ["基本支出"], basic.text
    # College p.11 支出预算总表 合计/基本支出 336,310,530 元.
    assert basic.value == Decimal("33631.053") and basic.unit == "万元"
    revenue = across.answer("2026年普陀区司法局（部门）和上海交通职业技术学院，所有资金来源加起来哪家多？")
    assert revenue.route == "calc" and revenue.reading["measures"] == ["收入总计"], revenue.text


def test_a_department_budget_against_its_own_unit_budget(across):
    # 财务收支预算总表 收入总计: 部门 p.9/10 96,282,213.44 元, 单位 p.8 86,959,408.34 元.
    total = across.answer("普陀区司法局2026年的部门预算和单位预算，收入总计差了多少钱？")
    assert (total.route, total.value, total.unit) == ("calc", Decimal("9322805.10"), "元")
    assert "部门预算比上海市普陀区司法局单位预算多" in total.text
    assert {c.doc for c in total.citations} == {"putuo-justice-bureau-2026-dept-budget",
                                                "putuo-justice-bureau-2026-unit-budget"}
    # 三公经费和机关运行经费预算表: 部门 217.83, 单位 184.59 万元.
    running = across.answer("普陀司法局2026年部门预算里的机关运行经费比单位预算里的多多少？")
    assert (running.route, running.value, running.unit) == ("calc", Decimal("33.24"), "万元")
    # Without both kinds named, the department stands once, by its 部门预算.
    ranked = across.answer("2026年各部门机关运行经费排名")
    justice = [r for r in ranked.table["rows"] if r["publisher"] == "上海市普陀区司法局"]
    assert [r["kind"] for r in justice] == ["部门预算"]


def test_a_collective_word_for_departments_named_one_by_one(across):
    # 政府采购 2025: Shanghai p.21 1,708.03 万元, Putuo p.22 117.00 万元.
    answer = across.answer("市里和区里两个财政局——上海市财政局和普陀区财政局——2025年的政府采购预算"
                           "加起来是多少？")
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("1825.03"), "万元")
    # With only one of them named by itself, the word still names two departments: asked.
    alone = across.answer("2025年财政局和上海市财政局的政府采购预算加起来是多少？")
    assert alone.route == "none" and "可以指" in alone.text


def test_a_fund_word_before_the_whole_a_part_is_named_in(store, across):
    # "一般公共预算财政拨款基本支出里的公用经费": 公用经费 of the general budget's appropriations,
    # no 财政拨款支出 of its own; "语料里的两份部门决算" names the collection, not a measure.
    answer = across.answer("语料里的两份部门决算（普陀区委社会工作部2024、佛山市轨道交通局2019），"
                           "一般公共预算财政拨款基本支出里的公用经费，哪家实际花得最多？")
    assert answer.route == "calc", answer.text
    # 一般公共预算财政拨款基本支出决算表 公用经费合计: Foshan p.20 97.19, social work p.13 10.23.
    assert (answer.value, answer.unit) == (Decimal("97.19"), "万元")
    assert answer.value == measure(store, "foshan-rail-transit-bureau-2019-final-account",
                                   "公用经费").value
    assert [r["publisher"] for r in answer.table["rows"]] == ["佛山市轨道交通局",
                                                             "中共上海市普陀区委社会工作部"]
