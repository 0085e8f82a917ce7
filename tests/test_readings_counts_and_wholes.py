"""Classes of questions found by the eleventh blind round, asked over real corpus files.

Each test names a class, not a phrasing: a count named by its noun, a change stated as 持平,
a money word added to a printed name, a table named as the place of a figure or as the
scope of a ranking, a share of several listed figures added up, a final account's printed
completion rate, the publisher's own offices (政协机关). The documents are the Shanghai
finance bureau's 2025 unit budget, the Jiangsu NPC office's 2017 budget, the Jiangsu CPPCC
office's 2019 budget tables and the Putuo social work department's 2024 final account,
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
FINANCE = "shanghai-finance-bureau-2025-unit-budget"
NPC = "jiangsu-npc-office-2017-dept-budget"
CPPCC = "jiangsu-cppcc-office-2019-dept-budget-tables"
SOCIAL_WORK = "putuo-social-work-dept-2024-final-account"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("counts")
    files = (("shanghai", FINANCE), ("jiangsu", NPC), ("jiangsu", CPPCC), ("shanghai", SOCIAL_WORK))
    return ingested_app(home, (CORPUS / folder / f"{stem}.pdf" for folder, stem in files))


# -- pure parts ----------------------------------------------------------------------------

@pytest.mark.parametrize("question, operation", [
    ("行政运行比事业运行多安排了多少钱", "diff"),
    ("财政拨款收入比上年涨了几成", "growth"),
    ("卫生健康支出那四百多万主要是干啥用的", "text"),
])
def test_the_operation_a_question_asks(question, operation):
    assert read_question(question).operation == operation


def test_an_english_stock_date_is_no_budget_year():
    chinese, _ = translate("How many vehicles did the office have at the end of 2023?")
    assert chinese.startswith("截至2023年底")
    assert read_question("How many vehicles did the office have at the end of 2023?").years == ()


@pytest.mark.parametrize("question, chinese", [
    # No verb before the first term: the second is that many times the first.
    ("How many times the basic expenditure is the project expenditure?", "项目支出是基本支出的几倍"),
    ("How many times the 离休费 is the 退休费 (retirement pay)?", "退休费是离休费的几倍"),
    # A verb first, or the first term as subject: the first is that many times the second.
    ("How many times is the project expenditure the basic expenditure?", "项目支出是基本支出的几倍"),
    ("Project expenditure is how many times basic expenditure?", "项目支出是基本支出的几倍"),
])
def test_english_how_many_times_reads_which_is_the_multiple(question, chinese):
    assert translate(question)[0] == chinese


# -- over the documents --------------------------------------------------------------------

def test_a_count_is_named_by_its_noun_and_takes_the_total(app):
    vehicles = app.ask("上海市财政局有几辆公车？", FINANCE)
    assert (vehicles.value, vehicles.unit) == (Decimal(0), "辆")
    assert "共有车辆" in vehicles.citations[0].text
    staff = app.ask("省人大常委会有多少编制？", NPC)
    assert (staff.value, staff.unit) == (Decimal(339), "名")


def test_a_recalled_size_names_no_figure(app):
    answer = app.ask("财政局有几台单价一百万以上的设备", FINANCE)
    assert (answer.value, answer.unit) == (Decimal(1), "台（套）")


def test_a_level_statement_is_a_change_of_nothing(app):
    answer = app.ask("三公经费比去年涨了多少百分比", FINANCE)
    assert answer.route == "calc" and answer.value == Decimal("0.00")


def test_a_money_word_added_to_a_printed_name_names_that_figure(app):
    answer = app.ask("人大会议经费占人大事务支出的百分之多少？", NPC)
    assert answer.value == Decimal("12.40")


def test_a_table_named_is_where_the_figure_is_and_what_a_ranking_ranks(app):
    total = app.ask("一般公共预算机关运行经费支出预算表里合计是多少？", NPC)
    assert total.value == Decimal("5619.31")
    assert total.citations[0].table == "一般公共预算机关运行经费支出预算表"
    ranked = app.ask("机关运行经费里哪一项花钱最多？", NPC)
    assert ranked.value == Decimal("1305.25") and "会议费" in ranked.text


def test_a_share_of_listed_figures_added_up(app):
    for question in ("培训费占三公经费、会议费和培训费合计的比例",
                     "What share of the combined budget for the three public expenses, "
                     "meetings and training goes to training?"):
        answer = app.ask(question, CPPCC)
        assert answer.value == Decimal("12.67"), (question, answer.text)
        assert "281.77 ÷ (660.10 + 1282.56 + 281.77)" in answer.formula


def test_a_share_of_listed_parts_added_up(app):
    answer = app.ask("三公经费和会议费合计占支出总计的比例", CPPCC)
    assert answer.formula.startswith("(660.10 + 1282.56) ÷ 13377.11 × 100%"), answer.formula
    assert answer.value == Decimal("14.52")


def test_the_publishers_own_offices_name_no_figure(app):
    answer = app.ask("政协机关水费电费加在一起预算多少？", CPPCC)
    assert answer.value == Decimal("100.00")


def test_a_final_accounts_completion_and_its_gap_to_the_budget(app):
    rate = app.ask("社工部一般公共预算拨款支出完成了预算的百分之几？", SOCIAL_WORK)
    assert rate.value == Decimal("95.89")
    gap = app.ask("一般公共预算拨款支出决算比全年预算少了多少？", SOCIAL_WORK)
    assert gap.value == Decimal("13.20")
