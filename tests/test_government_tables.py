"""Whole-government budgets and final accounts (政府预算 / 政府决算), asked by class.

Classes from the blind rounds over the Ningxia 2024 政府决算, the Diqing 2026 政府预算 and the
Pingdingshan 2019 政府决算 (prose only): a total printed below its items ranks its items; a
debt table's whole-area row totals its places; a 本级 question takes a row's 本级 column; a
fund's budget (政府性基金预算支出) is asked without 预算; formula letters over debt columns
(A=B+C) are no column names; 增值税 is never 土地增值税. Real corpus PDFs, a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.contained_names import bare_name, inside_longer_name
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NINGXIA = "ningxia-2024-gov-final-account"
DIQING = "diqing-prefecture-2026-gov-budget"
PINGDINGSHAN = "pingdingshan-2019-gov-final-account"


# -- pure part -----------------------------------------------------------------------------

def test_a_name_inside_a_longer_name_of_another_item():
    names = {bare_name(n) for n in ("1、增值税", "9、土地增值税收入", "企业所得税",
                                    "截至2019年底全市地方政府性债务余额")}
    # The document names 增值税 on its own: 土地增值税 is another tax.
    assert inside_longer_name("增值税收入", "9、土地增值税收入", names)
    assert not inside_longer_name("增值税收入", "1、增值税", names)
    assert not inside_longer_name("土地增值税收入", "9、土地增值税收入", names)
    # No name of the document is 债务余额 alone: the longer name is its full name.
    assert not inside_longer_name("全市债务余额", "截至2019年底全市地方政府性债务余额", names)


# -- over the documents --------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("government")
    files = (("ningxia", NINGXIA), ("yunnan", DIQING), ("henan", PINGDINGSHAN))
    return ingested_app(home, (CORPUS / folder / f"{stem}.pdf" for folder, stem in files))


def _value(app, question, doc):
    answer = app.ask(question, doc)
    assert answer.route not in ("none", "clarify"), answer.text
    return answer


@pytest.mark.slow
def test_formula_letters_are_no_column_names(app):
    debt = next(t for t in app.store.parsed_tables(DIQING) if "债务限额及余额" in t.title)
    columns = {c.column for r in debt.rows for c in r.cells}
    assert "2025年债务限额" in columns and "2025年债务余额预计执行数/一般债务" in columns
    assert not any("=" in c or c.endswith(("/B", "/C", "/E", "/F")) for c in columns)
    # The prefecture's row holds its own level and counties, which add up to it.
    top, *places = debt.rows
    assert all(r.parent == 0 for r in places)
    column = "2025年债务余额预计执行数"
    total = next(c.value for c in top.cells if c.column == column)
    assert sum(next(c.value for c in r.cells if c.column == column) for r in places) == total


@pytest.mark.slow
def test_a_total_printed_below_its_items_ranks_them(app):
    answer = _value(app, "2026年全州一般公共预算支出里哪一类花钱最多？", DIQING)
    assert answer.value == Decimal("232576") and "教育支出" in answer.text


@pytest.mark.slow
def test_the_whole_areas_row_of_a_debt_table_is_its_total(app):
    assert _value(app, "截至2025年底迪庆全州政府债务余额预计有多少亿元？", DIQING).value == \
        Decimal("227.33")
    share = _value(app, "州本级的债务余额占全州债务余额的比例是多少", DIQING)
    assert share.value == Decimal("35.52") and share.unit == "%"


@pytest.mark.slow
def test_a_level_named_beside_an_item_takes_the_items_level_column(app):
    answer = _value(app, "自治区本级2024年政府债务付息花了多少？", NINGXIA)
    assert answer.value == Decimal("213392")
    assert answer.citations[0].column == "本级"


@pytest.mark.slow
def test_a_funds_budget_is_asked_without_the_word_budget(app):
    assert _value(app, "宁夏2024年政府性基金支出决算是多少", NINGXIA).value == Decimal("1639638")
    growth = _value(app, "全区政府性基金支出比上年增长了百分之几", NINGXIA)
    assert growth.value == Decimal("20.3")


@pytest.mark.slow
def test_value_added_tax_is_not_land_value_added_tax(app):
    answer = _value(app, "全市增值税收入是企业所得税的多少倍？", PINGDINGSHAN)
    assert answer.value == Decimal("6.65")
    assert [c.item for c in answer.citations] == ["增值税", "企业所得税"]


@pytest.mark.slow
def test_places_listed_before_the_measure_taken_of_each(app):
    answer = _value(app, "上级给新华区、卫东区、湛河区、石龙区这四个区的税收返还和转移支付一共多少？",
                    PINGDINGSHAN)
    assert answer.value == Decimal("243593")
    assert [c.item for c in answer.citations] == ["新华区", "卫东区", "湛河区", "石龙区"]


@pytest.mark.slow
def test_a_final_accounts_change_is_the_actual_figures(app):
    # "调整后支出预算为1458831万元，实际完成1414057万元，…比上年增加285553万元，增长25.3%".
    answer = _value(app, "全市政府性基金支出比上年增长多少", PINGDINGSHAN)
    assert answer.value == Decimal("25.30")
    assert "1414057" in answer.formula.replace(",", "")


@pytest.mark.slow
def test_places_nested_under_the_numbered_row_they_add_up_to(app):
    table = next(t for t in app.store.parsed_tables(DIQING) if "分地区税收返还" in t.title)
    head = next(i for i, r in enumerate(table.rows) if "提前下达" in r.label)
    places = [r for r in table.rows if r.parent == head]
    assert [r.label for r in places][:3] == ["迪庆州本级", "香格里拉产业园区", "香格里拉市"]
    total = next(c.value for c in table.rows[head].cells if c.column == "合计")
    assert sum(next(c.value for c in r.cells if c.column == "合计") for r in places) == total
