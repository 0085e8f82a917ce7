"""Classes of questions found by the nineteenth blind round, asked over real corpus files.

Each test names a class, not a phrasing: a bare kind (服务) of a whole whose sentence lists
it, a government's level (州本级) choosing the table that names it, "哪一笔" as "which item",
the area money is spent on (教育上花多少钱), the asker's gloss running into the question
(养人的钱，也就是…有多少), English growth "in percent", asides (anything, round to two
decimals), a publisher's bracketed note (（汇总）) and a fund that pays before an item's name
(财政拨款安排的“三公”经费). The documents are the Putuo justice bureau's 2026 unit budget,
the Jiangsu high court's 2018 budget and Diqing prefecture's 2026 government budget, ingested
into a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.english import translate
from qa.question import read_question
from qa.text import variants
from qa.wording import without_publisher
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
JUSTICE = "putuo-justice-bureau-2026-unit-budget"
COURT = "jiangsu-high-court-2018-dept-budget"
DIQING = "diqing-prefecture-2026-gov-budget"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round19")
    stems = (JUSTICE, COURT, DIQING)
    return ingested_app(home, (next(CORPUS.glob(f"*/{stem}.pdf")) for stem in stems))


# -- pure parts ----------------------------------------------------------------------------

def test_a_fund_that_pays_before_a_name_is_no_part_of_it():
    assert "三公经费" in variants("财政拨款安排的“三公”经费")


def test_a_publishers_bracketed_note_is_no_part_of_its_name():
    reading = without_publisher(read_question("卫健委三公经费花了多少"),
                                "西安市卫生健康委员会（汇总）")
    assert "卫健委" not in reading.normalised


def test_the_askers_gloss_may_run_into_the_question():
    assert read_question("养人的钱，也就是基本支出里的人员经费有多少？").normalised \
        .startswith("基本支出里的人员经费")


def test_an_english_gloss_of_a_list_of_printed_names_holds_its_own_and():
    chinese, _ = translate("What is the combined 2025 budget for trade union funds and welfare "
                           "expenses (工会经费 and 福利费)?")
    assert chinese == "2025年工会经费、福利费合计多少"
    # "economic classification" after an item says where it stands, it is no second item.
    chinese, _ = translate("What share of the 2019 general public budget spending goes to "
                           "'other expenditure' (399) under the government economic classification?")
    assert chinese.startswith("2019年其他支出占")


def test_english_growth_in_percent_and_asides():
    assert "增长了百分之几" in translate(
        "How much did the basic expenditure budget grow compared with last year, in percent?")[0]
    assert "decimals" not in translate(
        "Basic expenditure is how many times the project expenditure? Round to two decimals.")[0]


# -- over the documents ---------------------------------------------------------------------

def test_a_bare_kind_of_a_whole_whose_sentence_lists_it(app):
    # "政府采购服务预算1446.32万元" of 1484.2, not the 公共法律服务 item (116).
    for question in ("服务占政府采购的比例是多少",
                     "What share of the 2026 government procurement budget goes to services?"):
        assert app.ask(question, JUSTICE).value == Decimal("97.45")


def test_which_item_asked_as_which_sum_of_money(app):
    answer = app.ask("商品和服务支出里面哪一笔最大", JUSTICE)
    assert answer.route == "calc" and "其他商品和服务支出" in answer.text


def test_a_governments_level_chooses_the_table_that_names_it(app):
    answer = app.ask("州本级2026年哪一类一般公共预算支出最多？", DIQING)
    assert answer.value == Decimal("57446") and "州本级" in answer.citations[0].table


def test_the_area_money_is_spent_on(app):
    assert app.ask("迪庆州今年教育上花多少钱？", DIQING).value == Decimal("232576")


def test_the_gloss_and_english_over_the_court(app):
    assert app.ask("养人的钱，也就是基本支出里的人员经费有多少？", COURT).value == Decimal("15163.44")
    assert app.ask("How much did the basic expenditure budget grow compared with last year, "
                   "in percent?", COURT).value == Decimal("8.45")
    assert app.ask("Does the Justice Bureau budget anything for official overseas trips in 2026?",
                   JUSTICE).value == Decimal("0.00")
