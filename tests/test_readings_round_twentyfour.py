"""Classes of questions found by the twenty-third and twenty-fourth blind rounds, asked over
real corpus files.

Each test names a class, not a phrasing: a year the asked document cannot cover while the
same publisher's document for that year is ingested (this document does not say; that
one's figure is quoted beside it); one item as two tables print it ("A表里的X比B表里的X多多
少", in Chinese and in English); a table named by a short name before the item, or in an
aside after the question; the budget's two sides named as one total; a question asked again
in other words, or with its reason asked after it; what an activity costs (开会的钱); a
document's stated none as a zero; a sentence that names every word asked against a cell that
leaves one out; counts of vehicles and of a noun after its number; and asides in brackets on
what a figure holds. The documents are the Jiangsu high court's 2017 and 2018 budgets, the
Jiangsu NPC office's 2017 budget, the Jiangsu CPPCC office's 2018 tables file and the Beijing
finance bureau's 2026 narrative, ingested into real SQLite stores.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.english import translate
from qa.facts import key_terms
from qa.question import read_question
from qa.wording import context_prefix, counted_noun, scope_named
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURT_2017 = "jiangsu-high-court-2017-dept-budget"
COURT_2018 = "jiangsu-high-court-2018-dept-budget"
NPC = "jiangsu-npc-office-2017-dept-budget"
CPPCC = "jiangsu-cppcc-office-2018-dept-budget-tables"
BEIJING = "beijing-finance-bureau-2026-dept-budget"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round24")
    stems = (COURT_2017, COURT_2018, NPC, CPPCC)
    return ingested_app(home, (next(CORPUS.glob(f"*/{stem}.pdf")) for stem in stems))


@pytest.fixture(scope="module")
def beijing(tmp_path_factory):
    home = tmp_path_factory.mktemp("round24-beijing")
    return ingested_app(home, [next(CORPUS.glob(f"*/{BEIJING}.pdf"))])


# -- pure parts ----------------------------------------------------------------------------

def test_a_table_named_before_its_item_is_a_scope_even_with_de():
    assert context_prefix("机关运行经费表里的办公费是多少") == "机关运行经费表里的"
    assert scope_named("机关运行经费表里的") == "机关运行经费表"
    # Other scopes keep refusing 的 after the marker ("名下的" is no scope).
    assert context_prefix("街道名下的资产有多少") == ""


def test_an_english_comparison_keeps_each_sides_table():
    assert translate("How much larger is basic expenditure in the 支出预算总表 than basic "
                     "expenditure in the 财政拨款收支预算总表?")[0] \
        == "支出预算总表中的基本支出比财政拨款收支预算总表中的基本支出多多少"
    assert translate("How much more is office expenses in the 机关运行经费 table than office "
                     "expenses in the basic expenditure table?")[0] \
        == "机关运行经费表中的办公费比基本支出表中的办公费多多少"


# -- over the corpus -----------------------------------------------------------------------

def test_a_year_the_document_cannot_cover_is_declined_with_that_years_document_quoted(app):
    answer = app.ask("江苏高院2018年部门预算总额是多少？", COURT_2017)
    assert answer.route == "none" and answer.value is None
    assert "本文件是2017年的部门预算，没有2018年的数字" in answer.text
    assert "33,172.15万元" in answer.text
    assert {c.doc for c in answer.citations} == {COURT_2018}
    # Asked of its own year's document, the figure is the answer.
    own = app.ask("江苏高院2018年部门预算总额是多少？", COURT_2018)
    assert own.route == "lookup" and own.value == Decimal("33172.15")


def test_one_item_as_two_tables_print_it_is_compared_table_by_table(app):
    answer = app.ask("三公经费表里的培训费比基本支出表里的培训费多出多少？", COURT_2017)
    assert answer.value == Decimal("1640.88")
    assert "培训费（三公经费表）" in answer.text and "培训费（基本支出表）" in answer.text
    answer = app.ask("机关运行经费表里的办公费比财政拨款基本支出表里的办公费多多少？", NPC)
    assert answer.value == Decimal("400.50")
    assert [c.value for c in answer.citations] == ["770.50", "370.00"]
    answer = app.ask("As an auditor: how much larger is total basic expenditure in the "
                     "支出预算总表 than basic expenditure in the 财政拨款收支预算总表?", CPPCC)
    assert answer.value == Decimal("80.00")


def test_a_tables_short_name_before_the_item_scopes_it(app):
    answer = app.ask("机关运行经费表里的办公费是多少", NPC)
    assert answer.value == Decimal("770.50")
    assert "机关运行经费" in answer.citations[0].table


def test_a_question_asked_again_in_other_words_is_read_once():
    assert read_question("财政拨款基本支出里人员经费是多少？养人的钱到底多少").normalised \
        == "财政拨款基本支出里人员经费是多少"
    # A second question that asks another operation, or names another item, is kept.
    assert read_question("人员经费是多少？占总支出比例呢？").operation == "share"
    assert "公用经费" in read_question("人员经费是多少？公用经费呢？").normalised


def test_what_an_activity_costs_is_its_printed_fee():
    assert read_question("人大开会的钱今年预算多少啊").normalised.startswith("人大会议费")
    assert read_question("出差花的钱一年多少").normalised.startswith("差旅费")
    assert read_question("培训的费用安排了多少").normalised.startswith("培训费")


def test_english_table_names_listed_with_slashes_or_quoted_after_table_of():
    assert translate("What is the 2018 budget for meeting expenses (会议费) in the table of "
                     "'three public expenses', meeting and training costs?")[0] \
        == "2018年三公经费会议费培训费表中，会议费是多少"
    assert translate("In the 三公/meeting/training table, how many times the training fee is "
                     "the meeting fee?")[0] == "三公会议费培训费表中，会议费是培训费的几倍"
    assert "（" not in translate("What was the year-on-year growth rate of the office's total "
                                 "2018 revenue and expenditure budget?")[0], "rate is the shape"


def test_the_budgets_two_sides_named_as_one_total_are_the_total_a_question_names(app):
    answer = app.ask("江苏高院2017年收支预算总计比上年增长了多少？", COURT_2017)
    assert answer.value == Decimal("6.69") and answer.unit == "%"
    assert all(c.page == 19 for c in answer.citations)


def test_the_document_as_speaker_and_an_all_funds_aside_name_no_figure(app):
    answer = app.ask("机关运行经费比2016年增加了两倍多，文件说是什么原因？", NPC)
    assert answer.route == "text" and "口径" in answer.text
    answer = app.ask("收支预算总表里一般公共服务支出是多少万元？（含其他资金）", CPPCC)
    assert answer.value == Decimal("7827.46")


def test_a_sentence_that_names_every_word_asked_beats_a_cell_that_leaves_one_out(beijing):
    # The 政府采购预算明细表 prints goods and services only; the narrative states 工程 as 0.
    answer = beijing.ask("2026年政府采购工程预算是多少？", BEIJING)
    assert answer.value == Decimal("0") and answer.citations[0].kind == "passage"
    assert "政府采购工程预算 0" in answer.citations[0].text.replace("0万元", "0 万元")


def test_vehicles_counted_in_tai_and_a_count_of_the_noun_after_its_number(beijing):
    assert beijing.ask("北京市财政局有多少辆车？", BEIJING).value == Decimal("27")
    assert beijing.ask("How many vehicles did the Beijing Municipal Finance Bureau have at "
                       "the end of 2025?", BEIJING).value == Decimal("27")
    # "共 32 个内设机构、12 个直属事业单位": 12 counts the units after it.
    answer = beijing.ask("北京市财政局有几个内设机构？", BEIJING)
    assert answer.value == Decimal("32") and answer.text.startswith("内设机构")


def test_a_note_that_the_document_has_none_is_read_as_zero():
    # The notes under tables printed empty, and the narrative's "无…收支".
    from budgetqa.domain import Passage
    from ingest.narrative_facts import extract_facts

    def zero_items(text):
        passage = Passage(doc_id="x", section="s", page=1, text=text, index=0)
        return [f.clause for f in extract_facts(passage) if f.value == 0]

    assert zero_items("注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。") \
        == ["政府性基金预算财政拨款安排的预算"]
    assert zero_items("本部门2022年度无国有资本经营预算财政拨款收支，已公开空表。") \
        == ["国有资本经营预算财政拨款收支"]
    assert zero_items("我单位无2017年政府性基金支出安排。") == ["政府性基金支出"]
    assert zero_items("本单位无独立核算下属单位。") == []


def test_particles_name_no_figure():
    assert key_terms("公务用车有多少辆啊") == key_terms("公务用车有多少辆")


def test_a_particle_after_a_count_is_not_what_is_counted():
    assert counted_noun("规划局公务用车有几辆啊") == counted_noun("规划局公务用车有几辆")


def test_counted_official_vehicles_are_the_whole_fleet(beijing):
    # "共有车辆 27 台", not one kind of 用车 (the 国有资产 paragraph lists none at 0 here, but
    # the rule is the same one the Yantian and Putuo planning documents need).
    answer = beijing.ask("公车有几辆啊", BEIJING)
    assert answer.value == Decimal("27") and "共有车辆" in answer.citations[0].text


# -- classes of the twenty-fourth round ----------------------------------------------------

def test_an_aside_in_brackets_on_what_the_figure_holds_is_read_as_its_name():
    assert read_question("三工经费一共多少？（不算会议费培训费的那种）").normalised == "三公经费一共多少"
    assert read_question("2018年“三公”经费合计是多少？（只算出国、公车和接待三项）").normalised \
        == "2018年三公经费合计是多少"
    # A gloss that names the figure stays a gloss.
    assert read_question("养人的钱（人员经费）有多少").normalised == "人员经费有多少"


def test_a_table_named_in_an_aside_is_the_scope():
    assert read_question("会议费预算是培训费预算的几倍？（按三公经费、会议费、培训费支出预算表）") \
        .normalised.startswith("三公经费、会议费、培训费支出预算表中")


def test_a_figure_asked_with_its_reason_after_is_answered_as_the_figure():
    reading = read_question("机关运行经费比上年少了多少万元？为啥少这么多")
    assert reading.operation == "diff" and "为啥" not in reading.normalised
    # Asked only why, it stays a text question.
    assert read_question("机关运行经费为什么减少？").operation == "text"


def test_three_public_expenses_without_meetings_and_training_in_an_aside(app):
    answer = app.ask("三公经费（就是出国、公车、接待这三项，不算会议费培训费）2018年一共预算多少？",
                     COURT_2018)
    assert answer.route == "lookup" and "“三公”经费" in answer.text


def test_the_reason_asked_after_a_figure_is_quoted_from_its_paragraph(app):
    answer = app.ask("机关运行经费比上年增加了多少万元？为什么增加这么多", NPC)
    assert answer.value == Decimal("4032.99")
    assert "文件所说的原因" in answer.text and "口径" in answer.text
    # Not asked, not quoted.
    assert "原因" not in app.ask("机关运行经费比上年增加了多少万元？", NPC).text


# -- classes of the twenty-fifth round ------------------------------------------------------

def test_how_to_work_a_figure_out_said_before_or_after_the_question_names_no_figure():
    assert read_question("按说明里的增长数倒推，上年收支预算总计是多少万元？").normalised \
        == "上年收支预算总计是多少万元"
    assert read_question("行政运行科目上年是多少钱？按今年数和增加额算一下").normalised \
        == "行政运行科目上年是多少钱"
    assert translate("What was the previous year's budget for operating expenses (机关运行经费), "
                     "given the 2017 figure and the stated increase?")[0] == "上年机关运行经费是多少"


def test_last_years_figure_worked_back_from_the_stated_change(app):
    answer = app.ask("按说明里的增长数倒推，江苏高院上年收支预算总计是多少万元？", COURT_2017)
    assert answer.value == Decimal("27041.09")  # 28849.38 − 1808.29


def test_every_fund_counted_in_is_the_all_funds_figure_not_a_sum():
    reading = read_question("把财政拨款、事业收入、其他收入都算上，学院2026年教育支出一共安排了多少？")
    assert reading.normalised == "学院2026年教育支出一共安排了多少？".replace("？", "")
