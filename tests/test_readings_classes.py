"""Classes of questions found by the eighth blind round, asked over real corpus files.

Each test names a class, not a phrasing: a change verb before an item, the asker's own gloss,
a share scoped to a stated whole, "A和B哪个多", a subtraction, a count of parts, a ranking of
places, a reason asked of one item. The documents are the Jiangsu High Court's 2017 budget,
the Putuo justice bureau's 2026 unit budget and the Diqing prefecture's 2026 government budget,
ingested into a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.english import translate
from qa.question import read_question
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURT = "jiangsu-high-court-2017-dept-budget"
JUSTICE = "putuo-justice-bureau-2026-unit-budget"
DIQING = "diqing-prefecture-2026-gov-budget"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("classes")
    files = (("jiangsu", COURT), ("shanghai", JUSTICE), ("yunnan", DIQING))
    return ingested_app(home, (CORPUS / folder / f"{stem}.pdf" for folder, stem in files))


# -- pure parts ----------------------------------------------------------------------------

@pytest.mark.parametrize("question, operation", [
    # Yes or no about what a thing is or does: an explanation, not a figure.
    ("超长期特别国债要地方还本付息吗？", "text"),
    ("这笔钱算在三公经费里吗", "text"),
    # "有…吗" asks for a figure, perhaps zero; a comparison asks for the change.
    ("今年有出国经费吗", "lookup"),
    ("三公经费比去年增加了吗", "lookup"),
    ("收入合计减去支出合计，能结余多少？", "diff"),
    ("三公经费比去年多了还是少了 变化多少", "diff"),
])
def test_the_operation_a_question_asks(question, operation):
    assert read_question(question).operation == operation


def test_the_askers_gloss_is_read_once():
    assert read_question("养人的钱（人员经费）有多少").wording == "人员经费有多少"
    # A bracket that says something else is kept.
    assert "（本级）" in read_question("人员经费（本级）有多少").wording


@pytest.mark.parametrize("question, chinese", [
    ("By how much does basic expenditure (基本支出) exceed project expenditure (项目支出)?",
     "基本支出比项目支出多多少"),
    # Terms in a row after "of" are one name.
    ("What share of the general-public-budget basic expenditure goes to personnel costs?",
     "人员经费占一般公共预算基本支出的比例是多少"),
    # A leading phrase scopes both figures of a ratio.
    ("In the basic expenditure budget, personnel funding is how many times the public "
     "(operating) funding?", "基本支出中人员经费是公用经费的几倍"),
    # "spent on" after a percentage asks a share, not a purpose.
    ("What percentage of the three public expenses is spent on official receptions?",
     "公务接待费占三公经费的比例是多少"),
    ("What are the official receptions used for?", "公务接待费主要用于什么"),
    ("Which city or county got the largest general transfer payment (一般性转移支付)?",
     "一般性转移支付哪个市县最多"),
])
def test_english_shapes(question, chinese):
    assert translate(question)[0] == chinese


# -- over the documents ----------------------------------------------------------------------

def _value(app, question, doc):
    answer = app.ask(question, doc)
    assert answer.route not in ("none", "clarify"), answer.text
    return answer


def test_a_change_verb_before_an_item_is_not_the_items_amount(app):
    # "主要原因是基本支出增加人员经费1,408.29万元" is a change, not 人员经费.
    assert _value(app, "人员经费有多少", COURT).value == Decimal("13594.82")
    assert _value(app, "基本支出当中人员经费占了百分之多少", COURT).value == Decimal("79.39")


def test_a_difference_asked_against_last_year_is_the_stated_change(app):
    # "多了还是少了，差多少" asks the direction in words and the size as the figure.
    answer = _value(app, "案件审判的钱比去年多了还是少了，差多少", COURT)
    assert answer.value == Decimal("200") and "减少200" in answer.text


def test_a_share_of_a_stated_whole_takes_its_part_from_the_same_passage(app):
    # "政府采购预算1484.2万元，其中政府采购服务预算1446.32万元"; not 公共法律服务.
    answer = _value(app, "政府采购预算里服务类占多少比例？", JUSTICE)
    assert answer.value == Decimal("97.45")


def test_which_of_two_is_more_and_by_how_much(app):
    answer = _value(app, "购房补贴和住房公积金哪个多，差多少", JUSTICE)
    assert answer.value == Decimal("278541.00") and answer.unit == "元"
    assert "购房补贴比住房公积金多" in answer.text


def test_an_exclusion_clause_frames_the_listed_parts(app):
    answer = _value(app, "除了公共安全支出以外，社保、卫生健康、住房保障这几类加一起多少钱？", JUSTICE)
    assert answer.value == Decimal("7770008.00")
    assert [c.row for c in answer.citations] == ["社会保障和就业支出", "卫生健康支出", "住房保障支出"]


def test_everyday_words_for_trips_abroad_and_money_spent(app):
    assert _value(app, "司法局今年出国出境的费用安排了多少？", JUSTICE).value == Decimal("0")
    assert _value(app, "普法宣传的钱比去年涨了百分之几", JUSTICE).value == Decimal("4.92")
    assert _value(app, "信息化建设今年预算比去年执行数多了多少钱？", JUSTICE).value == Decimal("167.47")


def test_a_subtraction_is_a_difference(app):
    answer = _value(app, "全州社保基金2026年预算收入合计减去支出合计，能结余多少？", DIQING)
    assert answer.value == Decimal("25715")


def test_a_count_of_parts_names_no_part(app):
    answer = _value(app, "全州2026年城镇职工和居民两项基本医疗保险基金收入预算加起来是多少？", DIQING)
    assert answer.value == Decimal("94918")


def test_a_ranking_of_places(app):
    answer = _value(app, "转移支付哪个县市拿得最多？", DIQING)
    assert answer.value == Decimal("153075") and "香格里拉市" in answer.text
