"""Suggested questions come from a document's own tables, and the library can answer them."""

from decimal import Decimal

import pytest

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from qa.suggestions import figure_name, suggest_questions

SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"


@pytest.mark.parametrize("column, name", [
    ("基本支出/人员支出", "人员支出"),
    ("支出预算/合计", ""),
    ("2024年“三公”经费预算数/公务用车购置及运行费/小计", "公务用车购置及运行费"),
    ("因公出国/（境）费", ""),  # a broken header fragment is not a name
])
def test_figure_name(column, name):
    assert figure_name(column) == name


def _cell(column, value):
    return ParsedCell(column=column, printed=value, value=Decimal(value) if value else None)


def test_suggestions_name_printed_figures_only():
    spending = ParsedTable(
        title="支出总表", unit="万元", pages=(1,), kind="支出总表",
        columns=("总计", "基本支出/人员支出", "项目支出"),
        rows=(ParsedRow("合计", (_cell("总计", "10"), _cell("基本支出/人员支出", "4"),
                                 _cell("项目支出", "")), level=0),
              ParsedRow("一般公共服务支出", (_cell("总计", "10"),), code="201", level=1)))
    assert suggest_questions([spending]) == [
        "人员支出是多少？", "人员支出占支出总预算的比例是多少？", "一般公共服务支出是多少？"]
    assert suggest_questions([]) == []


@pytest.mark.parametrize("doc", [SHAOXING, WANLI])
def test_suggestions_from_real_documents_are_answered(small_corpus_home, doc):
    from budgetqa.pipeline import BudgetQA

    app = BudgetQA.from_settings()
    questions = suggest_questions(app.store.parsed_tables(doc))
    assert len(questions) >= 4
    assert any("公务用车" in q for q in questions)  # the citizen's question about cars
    answers = [app.ask(q, doc) for q in questions]
    assert all(a.route != "none" and a.citations for a in answers), [
        (a.question, a.route) for a in answers]
