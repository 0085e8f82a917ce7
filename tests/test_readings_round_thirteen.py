"""Classes of questions found by the thirteenth blind round, asked over real corpus files.

Each test names a class, not a phrasing: an abbreviated publisher (发改委), 上年结转 as an item
rather than last year, a growth rate with no base year, the change a sentence states for the
asked item rather than the last amount before it, a bare item name that the narrative states
for all funds, a share whose whole is a listed total the narrative states or that leads the
question, a share of 收入总计 from another table than the part's own, 加 and an everyday
compound (水电费) as sums, a restated question, a level word after a name (司法款下面), and
English wording of change, vehicle upkeep, budget units and slices. The documents are the
Xi'an development and reform commission's 2019 budget, the Chongqing general office's 2026
budget, the Shanghai Jiaotong vocational college's 2026 unit budget and the Putuo justice
bureau's 2026 unit budget, ingested into a real SQLite store.

The seventeenth round's classes over the same documents follow at the end: a table titled by
one fund's side names its 合计, a share's whole from the part's own fund scope, a narrative
under a 财政拨款 heading not deciding a bare name, a 基本支出表 cell against the narrative's
whole figure (asked back), counts of people, a reason asked with 是什么, everyday and English
names.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.english import translate
from qa.facts import key_terms
from qa.lexicon import canonical
from qa.question import read_question
from qa.wording import count_unit, without_publisher
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
XIAN = "xian-development-reform-commission-2019-dept-budget"
CHONGQING = "chongqing-gov-general-office-2026-dept-budget"
COLLEGE = "shanghai-jiaotong-vocational-college-2026-unit-budget"
JUSTICE = "putuo-justice-bureau-2026-unit-budget"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round13")
    files = (("shaanxi", XIAN), ("chongqing", CHONGQING), ("shanghai", COLLEGE),
             ("shanghai", JUSTICE))
    return ingested_app(home, (CORPUS / folder / f"{stem}.pdf" for folder, stem in files))


# -- pure parts ----------------------------------------------------------------------------

def test_an_abbreviated_publisher_is_taken_out_of_the_question():
    reading = without_publisher(read_question("西安市发改委2019年会议费预算是多少？"),
                                "西安市发展和改革委员会")
    assert "发改委" not in reading.normalised and "会议费" in reading.normalised
    # An item that happens to share characters with the name stays.
    kept = without_publisher(read_question("委托业务费是多少"), "西安市发展和改革委员会")
    assert "委托业务费" in kept.normalised


def test_carried_over_from_last_year_is_an_item_not_last_years_figure():
    assert not read_question("上年结转财政拨款有多少？").asks_previous
    assert read_question("上年结转比上年增加多少").asks_previous
    assert read_question("去年会议费多少").asks_previous


def test_words_of_a_rate_of_growth_ask_a_growth():
    for question in ("行政运行增幅是多少", "行政运行今年增速多少", "社保支出涨幅多少"):
        assert read_question(question).operation == "growth", question


def test_plus_between_two_names_adds_them_and_other_plus_words_do_not():
    assert read_question("水费加电费是多少").operation == "sum"
    assert read_question("比上年增加多少").operation != "sum"
    assert read_question("追加预算多少").operation != "sum"


def test_a_question_restated_after_its_question_mark_is_read_once():
    assert "加" not in read_question("水电费一年预算多少？就是水费加电费").normalised
    assert "就是" in read_question("人员经费就是工资吗？").normalised  # no question before it


def test_money_in_how_much_money_names_no_figure():
    assert key_terms("部门预算收入一共多少钱") == key_terms("部门预算收入多少")


def test_an_inline_gloss_names_the_printed_item():
    reading = read_question("养人的钱，也就是工资福利支出，2019年安排了多少？")
    assert reading.normalised.startswith("工资福利支出")


def test_a_level_word_after_a_name_is_the_names_row():
    assert "司法下面" in read_question("司法款下面哪个项目的钱最多？").normalised
    assert "拨款" in read_question("财政拨款下面哪一项最多").normalised


def test_english_change_by_how_much_is_an_amount_and_which_largest_growth_ranks():
    chinese, _ = translate("By how much did the 行政运行 budget change from 2025 to 2026?")
    assert chinese.endswith("比上年变化了多少")
    chinese, _ = translate("Which spending item has the largest percentage increase in 2026?")
    assert "哪一项增幅最大" in chinese
    chinese, _ = translate("How much is budgeted for running and maintaining official vehicles?")
    assert "公务用车运行维护费" in chinese
    chinese, _ = translate("How many vehicles did the office's budget units have as of December 2025?")
    assert chinese.startswith("截至2025年底") and "预算单位" in chinese and "vehicles" not in chinese


# -- over the documents ---------------------------------------------------------------------

def test_an_abbreviated_publisher_names_no_figure(app):
    answer = app.ask("记者想问：西安市发改委2019年会议费预算是多少？", XIAN)
    assert answer.value == Decimal("174.6")


def test_carried_over_funds_are_answered(app):
    answer = app.ask("审计问：上年结转财政拨款有多少？", XIAN)
    assert answer.value == Decimal("16.49")


def test_a_growth_with_no_base_is_against_last_year(app):
    answer = app.ask("社保和就业支出增长率多少", CHONGQING)
    assert answer.route == "calc" and answer.value == Decimal("2.52")


def test_a_change_is_the_change_of_the_amount_its_words_name(app):
    # "收入19,230.18万元，其中一般公共预算拨款18,417.70万元、事业收入812.48万元…其中一般公共预算
    # 财政拨款增加2,781.90万元": the growth of 18,417.70, not of the last amount before.
    answer = app.ask("一般公共预算拨款比上年增长了百分之几？", CHONGQING)
    assert answer.value == Decimal("17.79")
    # A change larger than the amount it would be of is another item's: no answer.
    assert app.ask("收入比上年增长了百分之几？", CHONGQING).value != Decimal("-141.20")


def test_a_bare_item_is_the_figure_the_narrative_states_for_it(app):
    # 一般公共服务支出 is printed for all funds (15,958.96) and for the 一般公共预算 part
    # (15,146.48); the narrative states the first for the bare name.
    answer = app.ask("一般公共服务支出2026年预算多少？", CHONGQING)
    assert answer.value == Decimal("15958.96")
    part = app.ask("一般公共预算里一般公共服务支出多少", CHONGQING)
    assert part.value == Decimal("15146.48")


def test_a_share_of_a_listed_total_the_narrative_states(app):
    answer = app.ask("三公经费占三公经费及会议费、培训费总额的比例是多少？", XIAN)
    assert answer.value == Decimal("7.05")


def test_a_share_whose_whole_leads_the_question(app):
    answer = app.ask("政府采购里面服务类占了多大比例", JUSTICE)
    assert answer.value == Decimal("97.45")


def test_a_share_of_the_grand_total_when_the_part_is_another_tables_total(app):
    answer = app.ask("财政拨款收入占学校收入总计的比例是多少？", COLLEGE)
    assert answer.value == Decimal("74.48")
    # Both from the all-funds 收入预算总表: its 合计 row prints the 财政拨款收入 column and the
    # total beside it.
    assert {c.table for c in answer.citations} == {"2026年预算单位收入预算总表"}


def test_an_everyday_compound_of_two_printed_items_is_their_sum(app):
    answer = app.ask("水电费一年预算多少？就是水费加电费", COLLEGE)
    assert answer.value == Decimal("4750000")
    assert {c.row for c in answer.citations} == {"水费", "电费"}


def test_whom_a_payment_is_for_names_no_figure(app):
    answer = app.ask("学校给职工交的住房公积金一共安排了多少钱？", COLLEGE)
    assert answer.value == Decimal("17717000")


def test_the_rows_under_a_named_level_are_ranked(app):
    answer = app.ask("司法款下面哪个项目的钱最多？", JUSTICE)
    assert answer.text.startswith("其他司法支出")


def test_english_counts_of_the_budget_units_vehicles(app):
    answer = app.ask("How many vehicles did the office's budget units have as of December 2025?",
                     CHONGQING)
    assert answer.value == Decimal("46")


# -- classes found by the seventeenth blind round (same documents) -------------------------

def test_everyday_names_of_classifications_and_running_money():
    assert "经济分类" in canonical("基本支出按经济科目明细看，哪一项钱最多？")[0]
    assert "公用经费" in canonical("养人和维持运转的钱一共多少")[0]
    assert "公务用车运行维护费" in canonical("高院公车一年养车要花多少钱")[0]
    # One side of the whole budget after the publisher; 本年支出合计 is a printed row.
    assert "收入总计" in canonical("学校收入一共多少钱")[0]
    assert "支出总计" not in canonical("2024年度本年支出一共多少")[0]


def test_people_counted_without_a_measure_word():
    assert count_unit(read_question("发改委退休的人有多少")) == "人"
    assert count_unit(read_question("退休的人花了多少钱")) is None


def test_english_names_of_it_projects_units_and_performance_targets():
    assert "信息化建设" in translate("What is the budget of the IT construction item?")[0]
    assert "所属单位" in translate("How many vehicles did the office and its units have?")[0]
    assert "绩效目标" in translate("How much project funding is covered by performance targets?")[0]


# -- over the documents ---------------------------------------------------------------------


def test_a_table_titled_by_a_funds_side_names_its_total(app):
    answer = app.ask("一般公共预算支出是多少", CHONGQING)
    assert answer.value == Decimal("18417.70") and answer.citations[0].kind == "cell"
    # Last year's figure printed beside it: the change and the rate come from the table.
    change = app.ask("一般公共预算支出比2025年多了多少？", CHONGQING)
    assert change.value == Decimal("2781.90")
    assert {c.column for c in change.citations} == {"2026年预算数/总计", "2025年预算数"}
    growth = app.ask("By what percentage did the general public budget expenditure grow in 2026 "
                     "compared with the 2025 budget?", CHONGQING)
    assert growth.value == Decimal("17.79") and growth.citations[0].kind == "cell"


def test_a_shares_whole_comes_from_the_parts_fund_scope(app):
    answer = app.ask("一般公共服务支出占支出总计的比例是多少", CHONGQING)
    assert answer.value == Decimal("82.99")  # 15,958.96 ÷ 19,230.18, both all funds


def test_a_narrative_under_a_fund_heading_does_not_decide_a_bare_name(app):
    # "三、财政拨款情况说明" states the 一般公共预算 part (9,399.23); the bare name is all funds.
    assert app.ask("2026年部门项目支出总共有多少？", CHONGQING).value == Decimal("10211.71")


def test_a_basic_spending_cell_against_the_narratives_whole_is_asked_back(app):
    answer = app.ask("委托业务费一共安排了多少钱？", CHONGQING)
    assert answer.route == "clarify"
    assert {o.value for o in answer.options} == {Decimal("94.34"), Decimal("6265.73")}
    # Named as the basic part, the table answers.
    assert app.ask("基本支出里委托业务费多少", CHONGQING).value == Decimal("94.34")


def test_one_side_of_the_whole_budget_in_everyday_words(app):
    assert app.ask("学校收如一共多少钱", COLLEGE).value == Decimal("408696000")


def test_last_years_budget_named_by_its_year_in_the_narrative(app):
    answer = app.ask("今年三公经费比上年预算下降了百分之多少？", COLLEGE)
    assert answer.value == Decimal("-25.47")


def test_people_counted_by_their_own_words(app):
    # "离退休人员78人，其中：离休3人，退休72人".
    assert app.ask("发改委退休的人有多少", XIAN).value == Decimal("72")
    assert app.ask("离退休人员有多少人", XIAN).value == Decimal("78")


def test_a_reason_asked_with_shi_shenme_is_not_a_definition(app):
    answer = app.ask("会议费比上年增加的主要原因是什么？", XIAN)
    assert answer.route == "text" and "会议次数" in answer.text


def test_last_year_asked_with_shang_yi_nian(app):
    answer = app.ask("上一年（2018年）发改委的部门预算收入是多少？", XIAN)
    assert answer.value == Decimal("134080.66")


def test_a_write_up_without_tables_ranks_the_items_it_lists_with_codes(app):
    # "（5）其他发展与改革事务支出（2010499）195284.3万元" among the 功能分类 items.
    functional = app.ask("按功能科目看，发改委哪一项支出最多？", XIAN)
    assert functional.value == Decimal("195284.3") and "其他发展与改革事务支出" in functional.text
    # The 政府 economic classification's list (5xx), not the department one's (3xx).
    economic = app.ask("按政府预算经济分类，哪个科目金额最大？", XIAN)
    assert economic.value == Decimal("119010") and "机关工资福利支出" in economic.text
