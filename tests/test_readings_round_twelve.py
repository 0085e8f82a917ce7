"""Classes of questions found by the twelfth blind round, asked over real corpus files.

Each test names a class, not a phrasing: the whole budget and each side's total, a figure the
document does not print (a score asked as money, a measure its sentence does not state), which
class is largest, rankings of items a heading names as columns or as one column's rows, a
shortened publisher, a sum whose names are one printed row, words that name no item, and
English verbs of spending and funding. The documents are the Foshan rail transit bureau's 2019
final account, the Jiangsu procuratorate's 2017 budget and the Jiangsu party office's 2017
budget tables, ingested into a real SQLite store.

The eighteenth round's classes follow at the end, with the party office's and the CPPCC
office's 2017 narratives: the amount asked before a yes-or-no about its change, a bare name
as the all-funds row whatever its numbering, the whole budget not one fund's part, last
year's figure as the narrative prints it, a why quoting the reason, posts counted, English
lists in brackets.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.english import translate
from qa.question import read_question
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FOSHAN = "foshan-rail-transit-bureau-2019-final-account"
PROCURATORATE = "jiangsu-procuratorate-2017-dept-budget"
PARTY_TABLES = "jiangsu-party-office-2017-dept-budget-tables"
PARTY = "jiangsu-party-office-2017-dept-budget"
CPPCC = "jiangsu-cppcc-office-2017-dept-budget"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round12")
    files = (("guangdong", FOSHAN), ("jiangsu", PROCURATORATE), ("jiangsu", PARTY_TABLES),
             ("jiangsu", PARTY), ("jiangsu", CPPCC))
    return ingested_app(home, (CORPUS / folder / f"{stem}.pdf" for folder, stem in files))


# -- pure parts ----------------------------------------------------------------------------

def test_a_fund_asked_with_a_verb_of_spending_is_its_spending():
    chinese, _ = translate("How much did the social insurance funds spend in total in 2024?")
    assert "社会保险基金支出" in chinese
    chinese, _ = translate("How much did the office spend on travel?")
    assert "差旅费" in chinese and "差旅费支出" not in chinese


def test_what_a_figure_is_funded_by_qualifies_it():
    chinese, _ = translate("What share of the basic expenditure funded by fiscal appropriations "
                           "goes to personnel costs (人员经费)?")
    assert chinese == "人员经费占财政拨款基本支出的比例是多少"


def test_which_class_is_largest_is_a_ranking_even_where_it_asks_where_money_goes():
    assert read_question("钱主要花在哪一类支出上，哪类最多").operation == "rank"
    assert read_question("为什么交通运输支出最多").operation == "text"


# -- over the documents ---------------------------------------------------------------------

def test_the_whole_budget_is_the_total_table_and_only_when_nothing_qualifies_it(app):
    answer = app.ask("总预算是多少", PARTY_TABLES)
    assert answer.value == Decimal("20849.45")
    assert answer.citations[0].table == "收支预算总表"
    qualified = app.ask("三公经费总预算多少", PARTY_TABLES)
    assert qualified.value == Decimal("509.20")


def test_a_total_tables_bare_grand_total_is_named_by_its_side(app):
    answer = app.ask("2019年总收入是多少？", FOSHAN)
    assert answer.value == Decimal("1668.14")
    assert answer.citations[0].kind == "cell" and answer.citations[0].column.startswith("收入")
    assert answer.text.startswith("收入总计")
    # An item before the total's name makes it that item's total, stated in the narrative.
    bought = app.ask("2019年政府采购支出总额是多少？", FOSHAN)
    assert bought.value == Decimal("0") and bought.citations[0].kind == "passage"


def test_a_score_is_no_answer_to_how_much_was_spent(app):
    answer = app.ask("“广佛两市轨道交通系统一体化规划”这个项目2019年花了多少钱？", FOSHAN)
    assert answer.route == "none"
    score = app.ask("广佛两市轨道交通系统一体化规划自评得了多少分", FOSHAN)
    assert score.value == Decimal("100") and score.citations[0].unit == "分"


def test_a_measure_the_sentence_does_not_state_is_not_its_figure(app):
    # "1668.14万元，比年初预算数增加1668.14万元": 1668.14 is the final figure, not the budget.
    answer = app.ask("一般公共预算财政拨款支出年初预算是多少", FOSHAN)
    assert answer.value != Decimal("1668.14")


def test_which_class_is_largest_ranks_the_classes(app):
    answer = app.ask("钱主要花在哪一类支出上 哪类最多", FOSHAN)
    assert answer.route == "calc" and answer.value == Decimal("1531.04")
    assert "交通运输支出" in answer.text


def test_items_a_heading_names_as_columns_are_ranked(app):
    answer = app.ask("三公经费三项里面哪项最多", PROCURATORATE)
    assert answer.value == Decimal("317.80") and "公务用车购置及运行维护费" in answer.text


def test_the_rows_of_one_named_column_are_ranked_without_their_parents(app):
    answer = app.ask("公用经费的各项明细里（不算大类合计），哪一项花得最多？", FOSHAN)
    assert answer.value == Decimal("23.94") and answer.text.startswith("差旅费")


def test_a_shortened_publisher_names_no_figure(app):
    answer = app.ask("省检察院养人的钱（人员经费）一年要多少？", PROCURATORATE)
    assert answer.value == Decimal("9710.42")


def test_a_whole_printed_row_label_is_one_part_of_a_sum(app):
    answer = app.ask("公诉和审判监督、侦查监督这两项一共安排多少钱", PROCURATORATE)
    assert answer.value == Decimal("250.00")
    assert {c.row for c in answer.citations} == {"公诉和审判监督", "侦查监督"}


def test_words_that_name_no_item_get_no_figure(app):
    assert app.ask("经费是多少？", PROCURATORATE).route == "none"


# -- classes found by the eighteenth blind round (the party office's and CPPCC's 2017 narratives
# -- joined the fixture for them) ---------------------------------------------------------------

def test_a_yes_or_no_about_the_change_after_the_amount_leaves_the_amount_asked():
    reading = read_question("公车运行费今年预算多少 比去年多了还是少了")
    assert reading.operation == "lookup" and "多了还是少了" not in reading.normalised


def test_posts_are_counted_and_english_lists_in_brackets_are_the_parts():
    from qa.wording import count_unit

    assert count_unit(read_question("What is the authorized staff size (编制) of the department?")) \
        == "名"
    chinese, _ = translate("What is the combined budget of the two medical insurance items "
                           "(行政单位医疗 plus 事业单位医疗)?")
    assert chinese.startswith("行政单位医疗、事业单位医疗") and "保险" not in chinese
    assert translate("Which functional category gets the most money?")[0] == "功能分类中哪一类最多"
    assert "合计" in translate("What do office costs and printing costs add up to?")[0]


def test_the_amount_asked_before_a_yes_or_no_about_its_change(app):
    answer = app.ask("公车运行费今年预算多少 比去年多了还是少了", PARTY_TABLES)
    assert answer.value == Decimal("411.20")


def test_a_bare_name_is_the_all_funds_row_whatever_its_numbering(app):
    # "一、一般公共服务支出" of the 收支预算总表 (all funds), not the 财政拨款 tables' 16845.17.
    assert app.ask("一般公共服务支出2017年预算是多少", PARTY_TABLES).value == Decimal("16992.37")


def test_the_whole_budget_is_not_one_funds_part(app):
    answer = app.ask("What is the total 2017 budget of the Jiangsu Provincial Party Committee "
                     "General Office?", PARTY)
    assert answer.value == Decimal("20849.45")  # not 财政拨款收、支总预算 20702.25


def test_last_years_figure_as_the_narrative_prints_it(app):
    # "（2016年度部门支出预算安排为8,648.07万元）": quoted, never taken as this year's.
    answer = app.ask("2016年度部门支出预算安排是多少？", CPPCC)
    assert answer.value == Decimal("8648.07") and answer.citations[0].kind == "passage"


def test_a_why_quotes_the_reason(app):
    answer = app.ask("一般公共服务支出为什么比上年增加了？", PARTY)
    assert answer.route == "text" and "大院管理费" in answer.text

