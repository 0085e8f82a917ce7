"""Reading a question (qa/question.py): the operation asked for, years and cues."""

from __future__ import annotations

import pytest

from qa.question import read_question

OPERATIONS = [
    # share: 占…比例/比重/百分之几, 占比
    ("人员支出占支出总预算的比例是多少？", "share"),
    ("一般公共服务支出占财政拨款支出的比重？", "share"),
    ("事业收入占收入总计的百分之几？", "share"),
    ("人员支出占比多少", "share"),
    # ratio: 是…的多少倍 / 几倍
    ("项目支出是人员支出的多少倍？", "ratio"),
    ("一般公共预算拨款是事业收入的几倍", "ratio"),
    # growth: 比上年下降/增长了百分之几 / 多少%
    ("三公经费比上年下降了百分之几？", "growth"),
    ("收入预算比上年增长了多少%", "growth"),
    ("支出预算的增长率是多少", "growth"),
    # diff: 比…多/少多少, 减少了多少
    ("住房公积金比购房补贴多多少？", "diff"),
    ("事业收入比一般公共预算收入少多少", "diff"),
    ("一般公共预算拨款比上年执行数减少了多少？", "diff"),
    ("人员支出和公用经费相差多少", "diff"),
    # sum: 合计 / 一共
    ("行政审批服务中心和公共资源交易中心的收入合计是多少？", "sum"),
    ("医疗方面的三项支出（行政单位医疗、事业单位医疗、公务员医疗补助）一共多少？", "sum"),
    ("住房公积金和购房补贴加起来是多少", "sum"),
    # rank: 最多 / 最少 / 最高
    ("哪一项支出最多？", "rank"),
    ("哪个单位的收入最少？", "rank"),
    ("行政审批服务中心哪个项目的预算最高？", "rank"),
    # count: 几辆 / 多少个 / 几台
    ("公务用车有几辆？", "count"),
    ("机关运行经费涉及多少个单位", "count"),
    ("单位价值50万元以上的通用设备有几台？", "count"),
    # text: 原因 / 为什么 / 什么是
    ("三公经费减少的原因是什么？", "text"),
    ("三公经费预算为什么与上年持平？", "text"),
    ("什么是项目支出？", "text"),
    ("公共资源交易中心负责哪些交易活动的现场监督？", "text"),
    # otherwise lookup
    ("一般公共服务支出预算是多少？", "lookup"),
    ("购房补贴是多少？", "lookup"),
    ("2023年支出预算执行数是多少？", "lookup"),
]


@pytest.mark.parametrize("question, operation", OPERATIONS)
def test_operation(question, operation):
    reading = read_question(question)
    assert reading.operation == operation
    assert reading.question == question
    assert reading.numeric == (operation != "text")


@pytest.mark.parametrize("question, years", [
    ("2024年三公经费是多少", (2024,)),
    ("2024 年三公经费是多少", (2024,)),
    ("2023年和2024年的项目支出分别是多少", (2023, 2024)),
    ("三公经费是多少", ()),
    ("单位价值50万元以上的设备", ()),
    ("截至2023年12月31日，公务用车有几辆", ()),  # a stock date, not a budget year
    ("2024年预算比2023年底的资产多多少", (2024,)),
])
def test_years(question, years):
    assert read_question(question).years == years


def test_years_in_full_width_digits():
    assert read_question("２０２４年三公经费是多少").years == (2024,)


@pytest.mark.parametrize("question, largest", [("哪一项支出最多？", True), ("哪项支出最高", True),
                                               ("哪个单位的收入最少？", False),
                                               ("预算最小的是哪一项", False)])
def test_rank_direction(question, largest):
    reading = read_question(question)
    assert reading.operation == "rank" and reading.largest is largest


@pytest.mark.parametrize("question, previous", [("上年三公经费是多少", True),
                                                ("去年的项目支出", True),
                                                ("三公经费比上年下降了百分之几", True),
                                                ("2024年三公经费是多少", False)])
def test_asks_previous(question, previous):
    assert read_question(question).asks_previous is previous


def test_normalised_drops_spaces_and_punctuation():
    reading = read_question("  “三公”经费 是多少？ ")
    assert reading.normalised == "三公经费是多少"


def test_lookup_without_number_words_is_not_numeric():
    assert read_question("部门概况").numeric is False
    assert read_question("部门概况").operation == "lookup"


# -- figures stated in the narrative (qa/facts.py), on the Shaoxing passages ----------------

@pytest.fixture(scope="module")
def shaoxing_facts():
    from pathlib import Path

    from ingest.reader import read_document
    from qa.facts import extract_facts

    parsed = read_document(Path(__file__).resolve().parent.parent / "data" / "corpus"
                           / "shaoxing-gov-service-office-2024-dept-budget.md")
    return [f for p in parsed.passages for f in extract_facts(p)]


def _fact(facts, printed, context):
    return next(f for f in facts if f.printed == printed and context in f.sentence)


def test_fact_increase_is_a_positive_change(shaoxing_facts):
    from decimal import Decimal

    fact = _fact(shaoxing_facts, "53.02 万元", "支出预算 3873.19 万元")
    assert (fact.kind, fact.value, fact.unit) == ("change", Decimal("53.02"), "万元")
    assert fact.passage.section.endswith("支出预算情况说明")


def test_fact_decrease_is_a_negative_change(shaoxing_facts):
    from decimal import Decimal

    fact = _fact(shaoxing_facts, "42.12 万元", "一般公共预算拨款 3105.12 万元")
    assert (fact.kind, fact.value) == ("change", Decimal("-42.12"))
    rate = _fact(shaoxing_facts, "1.3%", "一般公共预算拨款 3105.12 万元")
    assert (rate.kind, rate.value, rate.unit) == ("change", Decimal("-1.3"), "%")


def test_fact_amount_keeps_its_subject(shaoxing_facts):
    from decimal import Decimal

    fact = _fact(shaoxing_facts, "136.72 万元", "按支出功能分类")
    assert (fact.kind, fact.value) == ("amount", Decimal("136.72"))
    assert fact.local.endswith("住房保障支出")
    assert type(fact.value) is Decimal


def test_key_terms_drop_years_and_question_words():
    from qa.facts import key_terms

    assert key_terms("2024年三公经费预算是多少？") == "三公经费"
