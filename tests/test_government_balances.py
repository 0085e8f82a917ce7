"""A government final account's debt table, asked by class (blind rounds 1, 2, 7 and 12 over the
Ningxia 2024 政府决算).

Classes: a table whose columns (本地区 | 本级) and title name no measure takes it from its rows
("五、2024年地方政府债务付息决算数" and the rows under it are 决算数), so a question that says
决算数 finds them; a balance printed as two year-end rows ("一、2023年末…余额", "六、2024年末…
余额决算数") answers its change and growth, at the level asked and for a part named. Real corpus
PDF, a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NINGXIA = "ningxia-2024-gov-final-account"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("balances")
    return ingested_app(home, [CORPUS / "ningxia" / f"{NINGXIA}.pdf"])


def _debt_table(app):
    return next(t for t in app.store.parsed_tables(NINGXIA) if "还本付息情况表" in t.title)


def _value(app, question):
    answer = app.ask(question, NINGXIA)
    assert answer.route not in ("none", "clarify"), answer.text
    return answer.value


def test_rows_name_the_measure_their_columns_do_not(app):
    table = _debt_table(app)
    measures = {r.label: {c.measure for c in r.cells} for r in table.rows}
    assert measures["五、2024年地方政府债务付息决算数"] == {"决算数"}
    # A row nested under a 决算数 row is that measure too.
    assert measures["置换一般债券发行额"] == {"决算数"}
    # A row that names no measure keeps none: the balance at last year's end is no 决算数.
    assert measures["一、2023年末地方政府债务余额"] == {""}


def test_a_measure_asked_finds_the_row_that_names_it(app):
    assert _value(app, "2024年全区地方政府债务付息决算数是多少？") == Decimal("770879")
    assert _value(app, "2024年全区地方政府债务还本决算数是多少？") == Decimal("4315560")


def test_a_balances_change_between_two_year_ends(app):
    asked = "全区政府债务余额2024年末比2023年末增加了多少？"
    assert _value(app, asked) == Decimal("2449984")  # 24,894,728 − 22,444,744
    assert round(_value(app, "全区地方政府债务余额同比增长了多少"), 2) == Decimal("10.92")


def test_a_balances_growth_at_the_level_asked(app):
    # The 本级 column: 6,978,762 against 6,209,820.
    assert round(_value(app, "2024年本级债务余额比上年增长了百分之几"), 2) == Decimal("12.38")


def test_a_part_of_the_balance_named(app):
    answer = app.ask("专项债务余额2024年末比2023年末增加了多少？", NINGXIA)
    assert answer.value == Decimal("1647279")  # 7,229,030 − 5,581,751
    assert "2024年末专项债务" in answer.text


def test_a_balance_against_its_limit_is_no_change_over_time(app):
    answer = app.ask("2024年末全区政府债务余额比限额少多少？", NINGXIA)
    # Whatever it answers, it is not the change between the two year-ends.
    assert answer.value != Decimal("2449984")


def test_a_balance_asked_without_a_year_is_the_documents_own_years_end(app):
    # Rows "一、2023年末…余额" and "六、2024年末…余额决算数": no year named asks 2024's.
    assert _value(app, "全区政府债务余额是多少") == Decimal("24894728")


def test_an_issue_asked_with_the_verb_finds_its_amount_row(app):
    # Row "置换一般债券发行额", printed 0: "发行了多少" names it as well as "发行额".
    answer = app.ask("2024年全区置换一般债券发行了多少？", NINGXIA)
    assert answer.route == "lookup" and answer.value == Decimal("0")
    assert answer.citations[0].row == "置换一般债券发行额"
