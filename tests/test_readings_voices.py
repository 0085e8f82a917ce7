"""Questions in the voices of people who are not budget clerks: the asker's framing, everyday
verbs, English names of the publisher, narrative pairs of measures.

Each class was found by blind questions over documents the team had not tuned on; the tests
ask it in other words over real corpus files (a Shanghai college's 2026 unit budget, the Putuo
planning bureau's 2024 final account) in a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.english import translate
from qa.lexicon import canonical
from qa.question import read_question, without_preamble
from tests.ingested import ingested_app

SHANGHAI = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "shanghai"
COLLEGE = "shanghai-jiaotong-vocational-college-2026-unit-budget"
PLANNING = "putuo-planning-resources-2024-final-account"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("voices")
    return ingested_app(home, (SHANGHAI / f"{stem}.pdf" for stem in (COLLEGE, PLANNING)))


# -- pure parts ----------------------------------------------------------------------------

@pytest.mark.parametrize("question, rest", [
    ("记者问：人员经费是多少？", "人员经费是多少？"),
    ("作为一名审计人员，我想核实项目支出", "我想核实项目支出"),
    # A framing that names a budget word or a year is part of the question.
    ("三公经费：公车占多少？", "三公经费：公车占多少？"),
    ("2024年：人员经费是多少", "2024年：人员经费是多少"),
    # Nothing left to ask: kept whole.
    ("人大代表问：多少", "人大代表问：多少"),
])
def test_the_askers_framing_is_not_read_as_the_question(question, rest):
    assert without_preamble(question) == rest


def test_an_everyday_word_already_inside_the_printed_term_is_not_rewritten():
    assert canonical("政府采购预算是多少")[0] == "政府采购预算是多少"
    assert canonical("采购预算是多少")[0] == "政府采购是多少"
    assert canonical("今年买新公车花多少钱")[0] == "今年公务用车购置费花多少钱"


@pytest.mark.parametrize("question, chinese", [
    ("Of the 2026 'three public expenses', what percentage goes to official overseas trips?",
     "2026年因公出国(境)费占三公经费的比例是多少"),
    ("How many vehicles does Shanghai Jiaotong Vocational College have?", "车辆有多少辆车"),
    ("Which category took the largest share of general public budget spending?",
     "一般公共预算支出中哪一类最多"),
    # The measure in brackets says which figures are added, it is not one of them.
    ("How much did official-vehicle purchase and official-vehicle running costs add up to "
     "(final accounts)?", "公务用车购置费、公务用车运行维护费合计多少"),
])
def test_english_shapes(question, chinese):
    assert translate(question)[0] == chinese


def test_a_growth_in_percent_is_read_as_growth():
    assert read_question("会议费比上年预算增长了百分之多少？").operation == "growth"
    assert read_question("实际支出比年初预算超出多少万元？").operation == "diff"
    assert read_question("地方政府债务限额是由谁确定的？").operation == "text"


# -- the router on real documents ------------------------------------------------------------

def test_a_verb_the_document_never_prints_says_how_not_what(app):
    answer = app.ask("学校今年事业收入打算收多少钱", COLLEGE)
    assert answer.route == "lookup"
    assert answer.value == Decimal("50000000")
    assert answer.citations[0].unit == "元"


def test_a_noun_the_document_never_prints_still_declines(app):
    # 杭州 names a place this college's budget is not about.
    answer = app.ask("杭州今年事业收入打算收多少钱", COLLEGE)
    assert answer.route == "none"
    assert "杭州" in answer.text


def test_the_askers_framing_and_self_reference_do_not_hide_a_narrative_figure(app):
    answer = app.ask("作为审计人员，我想知道学校2026年政府采购预算总额是多少？", COLLEGE)
    assert answer.value == Decimal("3402.01")
    assert answer.citations[0].kind == "passage"


def test_english_names_of_the_publisher_are_not_unexplained_words(app):
    answer = app.ask("How much has the college budgeted for official hospitality in 2026?", COLLEGE)
    assert answer.value == Decimal("12.49")
    vehicles = app.ask("How many vehicles does Shanghai Jiaotong Vocational College have?", COLLEGE)
    assert vehicles.value == Decimal("12")


def test_a_share_within_a_scope_asked_as_x_li_y_zhan_le(app):
    answer = app.ask("三公经费里出国费占了百分之几", COLLEGE)
    assert answer.route == "calc"
    assert answer.value == Decimal("51.78")


def test_a_name_holding_he_before_its_figure_is_not_a_list_of_parts(app):
    # "上海市普陀区规划和自然资源局2024年度政府采购金额…为2319.21万元，其中：货物采购金额…"
    answer = app.ask("2024年政府采购金额是多少", PLANNING)
    assert answer.value == Decimal("2319.21")


def test_two_measures_one_sentence_states_are_subtracted(app):
    # "城乡社区规划与管理（项）。…年初预算为3110.14万元，支出决算为2739.56万元"
    answer = app.ask("城乡社区规划与管理这一项，决算比年初预算少了多少？", PLANNING)
    assert answer.route == "calc"
    assert answer.value == Decimal("370.58")
    assert {c.value for c in answer.citations} == {"3110.14", "2739.56"}
    total = app.ask("一般公共预算财政拨款支出决算比年初预算少了多少？", PLANNING)
    assert total.value == Decimal("463.84")
    # In a final account, the figure set against a budget is the final one.
    implied = app.ask("一般公共预算财政拨款支出比年初预算少花了多少？", PLANNING)
    assert implied.value == Decimal("463.84")


def test_a_name_holding_he_is_one_part_of_a_sum(app):
    answer = app.ask("工资福利支出和商品和服务支出合计多少", COLLEGE)
    assert answer.route == "calc"
    assert len(answer.citations) == 2
    assert {c.row for c in answer.citations} == {"工资福利支出", "商品和服务支出"}


def test_a_share_the_narrative_prints_is_the_publishers_figure(app):
    # "一般公共预算财政拨款支出 9746.50 万元，占本年支出合计的 99.86%" (9746.50 / 9759.38
    # divides to 99.87: the document's own rounding is quoted).
    answer = app.ask("一般公共预算财政拨款支出占本年支出合计的比例是多少", PLANNING)
    assert answer.value == Decimal("99.86")
    assert answer.citations[0].kind == "passage"


def test_a_change_in_percent_is_a_growth(app):
    # "机关运行经费支出 142.80 万元，比 2023 年度减少 13.52 万元"
    answer = app.ask("机关运行经费比上年变化了百分之几", PLANNING)
    assert answer.route == "calc"
    assert answer.value == Decimal("-8.65")


def test_budget_asked_of_a_final_account_is_its_budget_column(app):
    assert app.ask("三工经费预算多少", PLANNING).value == Decimal("2.85")
    assert app.ask("三公经费花了多少", PLANNING).value == Decimal("0.39")


@pytest.fixture(scope="module")
def xian_three_public(tmp_path_factory):
    """Page 161 of the Xi'an health commission's 2022 final account alone: its 三公 table has
    a row per measure (预算数, 决算数) and a column per item (公务接待费, 会议费, 培训费 …)."""
    import pypdfium2

    folder = tmp_path_factory.mktemp("xian-161")
    source = pypdfium2.PdfDocument(str(SHANGHAI.parent / "shaanxi" /
                                       "xian-health-commission-2022-final-account.pdf"))
    page = pypdfium2.PdfDocument.new()
    page.import_pages(source, [160])
    path = folder / "xian-health-commission-2022-final-account-p161.pdf"
    page.save(str(path))
    return ingested_app(folder, [path]), path.stem


def test_an_item_printed_as_a_column_over_measure_rows(xian_three_public):
    app, doc = xian_three_public
    spent = app.ask("招待费花了多少", doc)
    assert spent.value == Decimal("0.11")
    assert spent.citations[0].row == "决算数"
    assert "公务接待费" in spent.text
    budgeted = app.ask("招待费预算多少", doc)
    assert budgeted.value == Decimal("1.86")
    total = app.ask("会议费和培训费一共花了多少", doc)
    assert total.value == Decimal("2882.59")


def test_last_year_in_a_final_account_is_the_year_it_reports(app):
    # Asked the year after the account closed, "去年" is the account's own year.
    assert app.ask("去年招待费花了多少钱", PLANNING).value == Decimal("0.39")


def test_the_broad_areas_are_the_classes(app):
    answer = app.ask("哪个功能大类的支出最多？", PLANNING)
    assert answer.route == "calc"
    assert answer.citations[0].row == "自然资源海洋气象等支出"
