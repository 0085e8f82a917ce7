"""Classes of questions found by the fifteenth blind round, asked over real corpus files.

Each test names a class, not a phrasing: "一共预算了多少" as the whole budget, one item against
another in percent (高出百分之多少), what a final account's budget left unspent (没花完的), a
measure named after the last part of a sum being every part's, a hint after the question
(可以倒推) and homophone typos (招代费). The documents are Putuo Wanli's 2025 budget,
the Jiangsu NPC office's 2019 tables, and the Putuo planning bureau's and social work
department's 2024 final accounts, ingested into a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.question import read_question
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WANLI = "putuo-wanli-subdistrict-2025-dept-budget"
NPC_TABLES = "jiangsu-npc-office-2019-dept-budget-tables"
PLANNING = "putuo-planning-resources-2024-final-account"
SOCIAL_WORK = "putuo-social-work-dept-2024-final-account"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round15")
    files = (("shanghai", WANLI), ("jiangsu", NPC_TABLES), ("shanghai", PLANNING),
             ("shanghai", SOCIAL_WORK))
    return ingested_app(home, (CORPUS / folder / f"{stem}.pdf" for folder, stem in files))


# -- pure parts ----------------------------------------------------------------------------

def test_one_item_above_another_in_percent_is_a_rate():
    assert read_question("基本支出比项目支出高出百分之多少？").operation == "growth"
    assert read_question("基本支出比项目支出多多少").operation == "diff"


def test_a_hint_after_the_question_is_not_read_as_the_question():
    reading = read_question("万里街道2024年财政拨款预算是多少？跟今年比增加了多少可以倒推")
    assert reading.operation == "lookup" and "倒推" not in reading.normalised


def test_the_whole_budget_asked_as_how_much_was_budgeted_in_all():
    assert "总预算" in read_question("万里街道2025年总共预算了多少钱？").normalised
    # An item before it keeps it that item's.
    assert "总预算" not in read_question("三公经费一共预算了多少").normalised


# -- over the documents ---------------------------------------------------------------------

def test_whole_budget_in_everyday_words(app):
    assert app.ask("万里街道2025年总共预算了多少钱？", WANLI).value == Decimal("189767551")
    assert app.ask("江苏省人大常委会办公厅2019年一共预算了多少钱？", NPC_TABLES).value \
        == Decimal("18330.37")


def test_one_item_against_another_in_percent(app):
    answer = app.ask("基本支出比项目支出高出百分之多少？", NPC_TABLES)
    assert answer.value == Decimal("44.17") and "比项目支出高" in answer.text


def test_what_a_final_accounts_budget_left_unspent(app):
    answer = app.ask("三工经费预算没花完的有多少", PLANNING)
    assert answer.value == Decimal("2.46")


def test_a_measure_named_last_is_every_parts(app):
    answer = app.ask("住房公积金和购房补贴的全年预算合计是多少？", SOCIAL_WORK)
    assert answer.value == Decimal("29.84")
    assert "住房公积金全年预算" in answer.text
    # Without it, the final account's own figures.
    assert app.ask("住房公积金和购房补贴合计是多少？", SOCIAL_WORK).value == Decimal("29.42")


def test_last_years_figure_from_the_change_with_a_hint(app):
    answer = app.ask("万里街道2024年财政拨款预算是多少？跟今年比增加了多少可以倒推", WANLI)
    assert answer.value == Decimal("15621.11")


def test_a_homophone_typo_of_a_cost_word(app):
    assert app.ask("规划局去年招代费花了多少钱", PLANNING).value == Decimal("0.39")
