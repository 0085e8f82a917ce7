"""Reading questions: the lexicon, English questions, coverage, clarify and years.

Pure parts are tested on their own; the router on the real small corpus (the Shaoxing text
disclosure and the Wanli 2024 PDF) in a real SQLite store.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetqa.domain import Citation
from budgetqa.pipeline import BudgetQA
from qa.decide import content_of, coverage
from qa.english import translate
from qa.lexicon import canonical, is_english
from qa.question import read_question

SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"


# -- the lexicon ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, read", [
    ("三工经费多少钱啊", "三公经费多少钱啊"),
    ("一般公共预算拔款收入", "一般公共预算拨款收入"),
    ("其他收如有多少", "其他收入有多少"),
    ("公车一年花多少钱", "公务用车购置及运行费一年花多少钱"),
    ("财政局现在有几辆公车", "财政局现在有几辆公务用车"),
    ("今年买公车花了多少", "今年公务用车购置费花了多少"),
    ("招待费是多少", "公务接待费是多少"),
    ("养人的钱占多少", "人员经费占多少"),
])
def test_lexicon_reads_typos_and_everyday_words(written, read):
    text, tags = canonical(written)
    assert text == read
    assert tags and all(t.written in written for t in tags)


def test_printed_wording_is_left_alone():
    for printed in ("公务接待费是多少", "因公出国(境)团组数", "三公经费"):
        assert canonical(printed) == (printed, ())


@pytest.mark.parametrize("question, chinese", [
    ("What share of total spending goes to personnel expenses?", "人员经费占支出总计的比例是多少"),
    ("How much was spent on official receptions in 2019?", "2019年公务接待费是多少"),
    ("By what percentage did the three public expenses change compared with 2025?",
     "三公经费比上年增长了百分之几"),
    ("How much more was spent on 一般行政管理事务 (general administrative affairs) than on "
     "行政运行 (administrative operation) in 2019?", "2019年一般行政管理事务比行政运行多多少"),
    ("How many times larger were general transfer payments than special transfer payments?",
     "一般性转移支付是专项转移支付的几倍"),
    ("Why did project expenditure decrease?", "项目支出为什么减少"),
    ("How many official vehicles does the bureau have?", "公务用车有多少辆车"),
    # A gloss may hold "and" and "spending"; the part of "what percentage of W is P" is P.
    ("What percentage of the wage and welfare spending (工资福利支出) was basic salary (基本工资)?",
     "基本工资占工资福利支出的比例是多少"),
    # A year inside a term leaves the term whole; a unit written in Chinese is no term.
    ("By what percentage did the office's total 2017 budget grow compared with the previous year?",
     "2017年收支总预算比上年增长了百分之几"),
    ("By how many 万元 did the 2026 budget increase over the start-of-year budget?",
     "2026年年初预算比上年增加了多少"),
    ("What is the combined budget for basic pension insurance contributions and occupational "
     "annuity contributions?", "基本养老保险缴费、职业年金缴费合计多少"),
    ("What was the completion rate of the budget for general public services?",
     "一般公共服务支出完成率是多少"),
])
def test_english_questions_are_read_in_chinese_wording(question, chinese):
    assert is_english(question)
    assert translate(question)[0] == chinese


def test_english_without_budget_terms_is_not_guessed():
    assert translate("Hello, how are you today?")[0] == ""
    assert not is_english("三公经费是多少")


# -- coverage ------------------------------------------------------------------------------

def test_content_leaves_out_question_words_years_and_numbers():
    assert content_of("2024年人员经费占支出总计的比例是多少").split() == ["人员经费", "支出总计"]
    # A measure word is kept whole: it must be explained whole.
    assert "决算数" in content_of("全区一般公共预算收入决算数是多少")


def test_coverage_names_what_the_evidence_leaves_unexplained():
    cell = Citation(kind="cell", doc="d", page=1, table="2024年支出预算总表",
                    row="事业单位离退休", column="合计", value="284.98", unit="万元")
    covered = coverage("行政单位和事业单位离退休加起来", (cell,))
    assert not covered.sufficient and covered.unexplained == ("行政",)
    assert coverage("事业单位离退休是多少", (cell,)).sufficient


def test_a_measure_word_is_explained_only_whole():
    budget = Citation(kind="cell", doc="d", page=1, table="一般公共预算收入表",
                      row="税收收入", column="预算数", value="1", unit="万元")
    assert not coverage("税收收入决算数是多少", (budget,)).sufficient


# -- the router on real documents ----------------------------------------------------------

@pytest.fixture(scope="module")
def app(small_corpus_home) -> BudgetQA:
    return BudgetQA.from_settings()


def test_a_typo_is_read_and_said(app):
    answer = app.ask("三工经费多少钱啊", SHAOXING)
    assert answer.value == Decimal("5.56") and answer.route == "lookup"
    assert {"written": "三工", "meaning": "三公", "source": "typo"} in answer.reading["read_as"]
    assert answer.reading["coverage"]["share"] == 1.0


def test_an_english_question_is_answered_from_the_table(app):
    answer = app.ask("How much is budgeted for official receptions?", SHAOXING)
    assert answer.value == Decimal("3.06")
    assert answer.citations[0].kind == "cell" and "三公" in answer.citations[0].table


def test_the_readme_share_question(app):
    answer = app.ask("人员支出占总支出多少？", SHAOXING)
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("37.75"), "%")
    assert answer.formula == "1462.07 ÷ 3873.19 × 100% = 37.75%"


def test_a_short_form_of_a_printed_label_finds_its_row(app):
    answer = app.ask("养老保险缴费是多少", SHAOXING)
    assert answer.value == Decimal("104.19")
    assert answer.citations[0].row == "机关事业单位基本养老保险缴费支出"


def test_a_part_of_the_question_nothing_explains_gets_no_figure(app):
    answer = app.ask("行政单位医疗和宇宙飞船维护费加起来是多少？", WANLI)
    assert answer.route == "none" and answer.value is None
    assert "宇宙飞船" in answer.text
    assert answer.suggestions  # questions the document can answer


def test_a_zero_divisor_is_said_not_raised(app):
    answer = app.ask("一般公共预算拨款收入是上年结转的几倍？", SHAOXING)
    assert answer.route == "none" and "不能计算" in answer.text


def test_last_years_share_is_not_computed_from_this_years_cells(app):
    answer = app.ask("2023年人员支出占总支出多少？", SHAOXING)
    assert answer.route == "none" and answer.value is None
    assert "2023" in answer.text


def test_the_reading_is_on_every_answer(app):
    for question in ("三公经费是多少？", "2024年城乡社区支出的预算是多少？", "什么是三公经费？"):
        answer = app.ask(question, WANLI).to_json()
        assert answer["reading"]["operation"] == read_question(question).operation


def test_a_section_headed_by_the_asked_term_answers_it_from_its_start(app):
    # "（一）主要职能" heads the duties; its text never repeats the heading's words.
    answer = app.ask("政务服务办公室的主要职能是什么？", SHAOXING)
    assert answer.route == "text"
    assert answer.citations[0].section.endswith("主要职能")
    assert "1、贯彻执行" in answer.text
