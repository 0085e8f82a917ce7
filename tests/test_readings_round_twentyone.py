"""Classes of questions found by the twentieth and twenty-first blind rounds, asked over real
corpus files.

Each test names a class, not a phrasing: an English question scoped to a table ("In the …
table, …", "… in the 支出预算总表"), an English adjective before a bracketed Chinese name
("public (公用) expenses"), a fund said as an adjective ("appropriation-funded"), a place of a
ranking ("排第二", "第二多"), years said short ("24年比23年"), a publisher's short name made
after its place's party committee (社工部 for 区委社会工作部), a difference whose direction is
asked in words ("多了还是少了，差多少": the size), and 社保 listed with other 类. The
documents are the Putuo welfare home's 2024 unit budget, the Putuo finance bureau's 2025
budget, the Putuo social work department's 2024 final account, the Jiangsu procuratorate's
2017 budget and the Shanghai finance bureau's 2025 unit budget, ingested into a real SQLite
store.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calc.operations import Operand, rank
from qa.across_names import places_named
from qa.across_scope import written_years
from qa.english import translate
from qa.lexicon import FILLER_WORDS, canonical
from qa.question import read_question
from qa.text import variants
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WELFARE = "putuo-welfare-home-2024-unit-budget"
FINANCE = "putuo-finance-bureau-2025-dept-budget"
SOCIAL = "putuo-social-work-dept-2024-final-account"
PROCURATORATE = "jiangsu-procuratorate-2017-dept-budget"
SHANGHAI = "shanghai-finance-bureau-2025-unit-budget"
PINGDINGSHAN = "pingdingshan-2019-gov-final-account"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("round21")
    stems = (WELFARE, FINANCE, SOCIAL, PROCURATORATE, SHANGHAI, PINGDINGSHAN)
    return ingested_app(home, (next(CORPUS.glob(f"*/{stem}.pdf")) for stem in stems))


# -- pure parts ----------------------------------------------------------------------------

def test_an_english_table_scope_becomes_the_chinese_readers_scope():
    assert translate("In the economic classification table of basic expenditure, how much is "
                     "budgeted for occupational annuity contributions (职业年金缴费)?")[0] \
        == "基本支出经济分类表中，职业年金缴费是多少"
    assert translate("What is the 2024 personnel spending in the 部门支出预算总表?")[0] \
        == "2024年部门支出预算总表中，人员经费是多少"


def test_an_english_adjective_glossed_in_chinese_names_its_funds():
    assert translate("Travel expenses as a percentage of total public (公用) expenses in the "
                     "basic expenditure table?")[0] == "基本支出表中，差旅费占公用经费的比例是多少"


def test_a_fund_said_as_an_adjective_is_one_figure_with_its_item():
    assert translate("In the appropriation-funded basic expenditure, how much more goes to "
                     "personnel costs than to public-use (operating) costs?")[0] \
        == "财政拨款基本支出中人员经费比公用经费多多少"


def test_an_english_gloss_of_listed_names_may_hold_of():
    assert translate("What is the combined 2025 budget for retirees of administrative units and "
                     "of public institutions (行政单位离退休 plus 事业单位离退休)?")[0] \
        == "2025年行政单位离退休、事业单位离退休合计多少"


def test_social_security_listed_with_another_class_is_the_class():
    assert "社会保障和就业" in canonical("社保和住房保障两类支出加在一起多少钱")[0]
    assert "社会保险缴费" in canonical("社保交了多少")[0]


def test_a_clause_after_the_question_leaving_items_out_names_no_item():
    reading = read_question("人大办公厅今年三工经费一共安排多少钱？不算会议费培训费的")
    assert "会议费" not in reading.normalised and "三公经费" in reading.normalised


def test_everyday_words_of_the_treasury_and_of_checking():
    assert "财政拨款" in canonical("检察院今年财政给了多少钱")[0]
    assert read_question("作为审计，想核一下：支出决算表里基本支出比项目支出多多少？").operation == "diff"
    assert "核" not in FILLER_WORDS.sub("", "想核对一下：")


def test_a_name_said_again_after_the_question_asks_it_once():
    reading = read_question("商务委养人的钱一年多少 人员经费")
    assert reading.operation == "lookup"  # 多少人员经费 counts no people
    assert reading.normalised.endswith("多少")


def test_where_money_went_asks_no_place():
    assert "地方" not in FILLER_WORDS.sub("", "接待费主要是用在什么地方了")


def test_a_qualifier_in_brackets_inside_a_name_may_be_left_out():
    assert "中医医院" in variants("中医（民族）医院")


def test_years_said_short_are_years():
    assert written_years("24年比23年执行数") == "2024年比2023年执行数"
    assert written_years("一七年到一九年") == "2017年到2019年"
    assert written_years("近12年") == "近12年"
    assert read_question("24年比23年下降了百分之几").years == (2024, 2023)


def test_a_place_of_a_ranking_is_read():
    assert read_question("这四类支出哪一类第二多？").place == 2
    assert read_question("排第三的是哪一项").place == 3
    assert read_question("哪一项最多").place is None


def test_rank_names_the_figure_at_the_place_asked():
    figures = [Operand(Decimal(v), "万元", name, None) for name, v in
               (("甲", "10"), ("乙", "30"), ("丙", "20"))]
    second, result = rank(figures, largest=True, place=2)
    assert second.label == "丙" and result.formula.startswith("第2大")
    with pytest.raises(ValueError):
        rank(figures, place=4)


# -- over the documents ---------------------------------------------------------------------

def test_english_questions_scoped_to_a_table(app):
    assert app.ask("In the general public budget basic expenditure table, personnel funds "
                   "(人员经费) are how many times public funds (公用经费)?", WELFARE).value \
        == Decimal("3.48")
    assert app.ask("In the economic classification table of basic expenditure, how much is "
                   "budgeted for occupational annuity contributions (职业年金缴费)?",
                   FINANCE).value == Decimal("873617.00")
    assert app.ask("In the appropriation-funded basic expenditure, how much more goes to "
                   "personnel costs than to public-use (operating) costs?",
                   PROCURATORATE).value == Decimal("7112.36")


def test_the_second_largest_of_listed_classes(app):
    answer = app.ask("一般公共服务、社保就业、卫生健康、住房保障这四类支出哪一类第二多？", SOCIAL)
    assert answer.value == Decimal("29.42") and "住房保障支出" in answer.text
    assert "排第2多" in answer.text


def test_a_publishers_short_name_after_its_party_committee(app):
    assert app.ask("社工部2024年三工经费花了多少", SOCIAL).value == Decimal("0")


def test_a_fall_asked_with_its_direction_in_words_is_its_size(app):
    answer = app.ask("财政局今年的财政拨款比去年预算多了还是少了，差多少？", SHANGHAI)
    assert answer.value == Decimal("990") and "减少" in answer.text


def test_a_short_year_growth_over_the_narrative(app):
    assert app.ask("事业单位离退休这一项，24年比23年执行数下降了百分之几？", WELFARE).value \
        == Decimal("-1.39")


def test_a_level_named_breaks_a_tie_between_levels(app):
    # 卫生健康支出 (类) against 其他卫生健康支出 (款 and 项), which hold the name too.
    assert app.ask("卫生健康这一类支出多少？", SHANGHAI).value == Decimal("4668000")
    assert app.ask("社会保障和就业、卫生健康、住房保障这三类支出合计多少？", SHANGHAI).value \
        == Decimal("44028320")


def test_places_a_question_names():
    assert places_named("南京市政协三公经费多少") == ["南京"]
    assert places_named("What is the Shanghai Municipal Finance Bureau's budget?",
                        with_organisation=True) == ["上海"]
    assert places_named("上海证券交易所的费用", with_organisation=True) == []


def test_another_places_publisher_is_not_this_document(app):
    # The Shanghai finance bureau's budget holds no Nanjing or Beijing figures; its own
    # name asks about it.
    for question in ("南京市财政局今年三公经费多少", "What is the Beijing Municipal Finance Bureau's "
                     "2025 three public expenses budget?"):
        answer = app.ask(question, SHANGHAI)
        assert answer.route == "none" and answer.value is None
    assert app.ask("上海市财政局今年三公经费多少", SHANGHAI).value is not None
    # A publisher stored under its file's pinyin stem still names its own place.
    assert app.ask("How much individual income tax did Pingdingshan collect in 2019?",
                   PINGDINGSHAN).route != "none"
