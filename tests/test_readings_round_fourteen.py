"""Classes of questions found by the fourteenth blind round, asked over real corpus files.

Each test names a class, not a phrasing: a column of money carried over (上年结余、结转) is not
last year's figure; a rate asked in brackets (变化了多少（百分比）); the figure whose own words
name the asked item among figures a sentence lists; the change of the measure asked against
(比上年执行数); a part's change is not the asked whole's; two figures of a scope the narrative
lists; a reason asked of a passage that gives one; English units, months and procurement
kinds; and across documents, "谁最多？多少钱" as a ranking and "合计…有没有哪家没有" as a sum.
The documents are the Shenzhen Yantian planning office's 2026 budget, the Shaoxing government
service office's 2024 budget (a text disclosure), the Putuo justice bureau's 2026 department
budget and the Jiangsu high court's 2019 budget, ingested into a real SQLite store.

The seventeenth round's classes over the same documents follow at the end: a classification
named in a ranking, a column named by its last part, a printed name with 和 inside, the
asker's gloss after a sum, an item printed per fund, vehicle upkeep in everyday words.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.across_words import read_asked
from qa.english import translate
from qa.question import read_question
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
YANTIAN = "shenzhen-planning-resources-yantian-office-2026-dept-budget"
SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
JUSTICE = "putuo-justice-bureau-2026-dept-budget"
COURT = "jiangsu-high-court-2019-dept-budget"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round14")
    return ingested_app(home, (CORPUS / "guangdong" / f"{YANTIAN}.pdf",
                               CORPUS / "zhejiang" / f"{SHAOXING}.md",
                               CORPUS / "shanghai" / f"{JUSTICE}.pdf",
                               CORPUS / "jiangsu" / f"{COURT}.pdf"))


# -- pure parts ----------------------------------------------------------------------------

def test_a_rate_asked_in_brackets_is_a_growth():
    assert read_question("其他城乡社区支出比2023年执行数变化了多少（百分比）？").operation == "growth"
    assert read_question("其他城乡社区支出比2023年执行数变化了多少？").operation == "diff"


def test_english_units_months_and_procurement_kinds():
    chinese, _ = translate("Of the three budget units, which one has the largest 2024 revenue budget?")
    assert "哪个单位最多" in chinese and "three" not in chinese
    chinese, _ = translate("How many vehicles did the office have as of 31 August 2023?")
    assert chinese.startswith("截至2023年底") and "august" not in chinese
    chinese, _ = translate("What percentage of the government procurement budget is for service projects?")
    assert chinese == "服务类占政府采购的比例是多少"
    chinese, _ = translate("How much is budgeted for general public services?")
    assert "一般公共服务支出" in chinese


def test_across_the_top_figure_asked_with_its_ranking_is_no_difference():
    asked = read_asked("培训费预算谁最多多少钱", ["培训费"], (2017,), False)
    assert asked.operation == "rank"


def test_across_a_sum_that_also_asks_which_lack_it_is_a_sum():
    asked = read_asked("机关运行经费预算合计是多少有没有哪家没有这一项", ["机关运行经费"], (2024,), False)
    assert asked.operation == "sum"


# -- over the documents ---------------------------------------------------------------------

def test_money_carried_over_is_not_last_years_figure(app):
    # 物业管理费 prints 总计 and 上年结余、结转 (0.00) side by side, and no 2025 figure.
    answer = app.ask("物业管理费比2025年多了还是少了？多多少", YANTIAN)
    assert answer.route == "none"


def test_the_figure_a_list_names_by_its_own_words(app):
    # "包括在职人员经费2,140.21万元、公用经费425.88万元…": 公用经费's words follow 在职人员经费.
    assert app.ask("在职人员经费安排了多少？", YANTIAN).value == Decimal("2140.21")
    assert app.ask("在职人员经费是公用经费的几倍？", YANTIAN).value == Decimal("5.03")


def test_a_growth_against_the_measure_asked(app):
    # "收入预算3873.19万元，比上年执行数增加383.08万元，增长11.0%，主要是…交易中心的事业收入预算比
    # 2023年执行数增加425.19万元": the first change is the 收入预算's.
    answer = app.ask("收入预算比上年执行数增长了多少百分比？", SHAOXING)
    assert abs(answer.value - Decimal("10.98")) <= Decimal("0.06")


def test_a_parts_change_is_not_the_wholes(app):
    # "三公经费预算支出中因公出国（境）费支出160万元…比上年减少10万元": not the 三公's change.
    answer = app.ask("三公经费比上年增长了百分之几", COURT)
    assert answer.value != Decimal("-5.88")


def test_two_figures_a_scope_lists(app):
    answer = app.ask("政府采购里服务比货物多多少", JUSTICE)
    assert answer.value == Decimal("1442.66")


def test_a_reason_asked_of_a_passage_that_gives_it(app):
    answer = app.ask("人大代表问：一般公共预算拨款比上年执行数减少的主要原因是什么？", SHAOXING)
    assert answer.route == "text" and "弱电" in answer.text


def test_the_units_of_a_department_are_ranked_in_english(app):
    answer = app.ask("Of the three budget units, which one has the largest 2024 revenue budget?", SHAOXING)
    assert answer.text.startswith("绍兴市行政审批服务中心")


# -- classes found by the seventeenth blind round (same documents) -------------------------

def test_a_classification_named_in_a_ranking_ranks_its_items(app):
    answer = app.ask("基本支出按经济科目明细看，哪一项钱最多？", COURT)
    assert answer.value == Decimal("8252.03") and "津贴补贴" in answer.text


def test_a_column_named_by_its_last_part_ranks_rows(app):
    answer = app.ask("按功能科目看，项目支出最多的是哪一项？", COURT)
    assert answer.route == "calc" and "项目支出" not in answer.text.split("比较的项目")[-1]


def test_a_printed_name_with_and_inside_stays_one_part(app):
    answer = app.ask("按经济分类看，一般公共预算里的商品和服务支出一共多少？", YANTIAN)
    assert answer.value == Decimal("1781.06")


def test_the_askers_gloss_after_a_sum_names_the_same_parts(app):
    answer = app.ask("在职人员经费加公用经费，养人和维持运转的钱一共多少？", YANTIAN)
    assert answer.value == Decimal("2566.09")


def test_an_item_printed_per_fund_is_named_by_its_one_fund_with_figures(app):
    answer = app.ask("盐田规划局2026年因公出国出境的钱安排了多少？", YANTIAN)
    assert answer.value == Decimal("0.00") and "三公" in answer.citations[0].table


def test_vehicle_upkeep_in_everyday_words(app):
    assert app.ask("高院公车一年养车要花多少钱", COURT).value == Decimal("266.80")
