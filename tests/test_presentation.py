"""What the faces show, from the library: the document a question names (budgetqa.scope),
rankings with their parents (budgetqa.ranking), choices (budgetqa.choices) and the Chinese
message for every class of bad upload (budgetqa.messages_zh)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from budgetqa.domain import Document
from calc.operations import Operand
from budgetqa.messages_zh import GENERIC, ingest_message
from budgetqa.scope import scope_question
from tests.conftest import CORPUS

WANLI = "上海市普陀区人民政府万里街道办事处"
COURT = "江苏省高级人民法院"


def doc(id_: str, publisher: str, year: int) -> Document:
    return Document(id=id_, title=f"{year}年部门预算", publisher=publisher, year=year,
                    kind="部门预算", source_file="", sha256="", pages=1)


DOCS = [doc("w24", WANLI, 2024), doc("w25", WANLI, 2025), doc("c18", COURT, 2018)]


def test_the_selected_document_is_the_default():
    assert scope_question(DOCS, "三公经费是多少？", "w25").doc == "w25"
    assert scope_question(DOCS, "2025年三公经费是多少？", "w25").note == ""


def test_a_named_year_picks_that_years_document():
    scope = scope_question(DOCS, "2024年三公经费是多少", "w25")
    assert scope.doc == "w24" and "2024年" in scope.note and "《2024年部门预算》" in scope.note


def test_two_years_compare_across_documents_of_the_publisher():
    scope = scope_question(DOCS, "2025年城乡社区支出比2024年增加了多少万元？", "w25")
    assert scope.doc is None and scope.question.startswith(WANLI)
    named = scope_question(DOCS, "万里街道2025年城乡社区支出比2024年增加了多少？", "w25")
    assert named.doc is None and named.question.startswith("万里街道")


def test_another_publisher_is_left_to_the_library():
    scope = scope_question(DOCS, "江苏省高院2018年三公经费是多少？", "w25")
    assert scope.doc is None and COURT in scope.note


def test_a_year_no_document_has_stays_with_the_selection():
    assert scope_question(DOCS, "2030年三公经费是多少？", "w25").doc == "w25"


def test_rankings_list_items_best_first_with_their_parents(small_corpus_home):
    from budgetqa.pipeline import BudgetQA
    from budgetqa.ranking import headline, is_ranking, ranked_items

    qa = BudgetQA.from_settings()
    answer = qa.ask("哪一项支出最多？", "putuo-wanli-subdistrict-2024-dept-budget")
    assert is_ranking(answer)
    items = ranked_items(qa.store, answer)
    assert len(items) == len(answer.citations) and items[0].printed == answer.citations[0].value
    assert all(len(i.parents) >= 1 for i in items), "项 rows carry their 类/款"
    labels = [i.label for i in items]
    repeated = {label for label in labels if labels.count(label) > 1}
    assert repeated and len({i.path for i in items if i.label in repeated}) > 1
    assert "比较的项目" not in headline(answer) and headline(answer)


def test_questions_to_offer_answer_from_the_document(small_corpus_home):
    from budgetqa.choices import questions_to_offer
    from budgetqa.pipeline import BudgetQA

    qa = BudgetQA.from_settings()
    declined = qa.ask("办公楼面积是多少平方米？", "putuo-wanli-subdistrict-2024-dept-budget")
    assert declined.route == "none"
    offers = questions_to_offer(qa.store, declined, "putuo-wanli-subdistrict-2024-dept-budget")
    assert 2 <= len(offers) <= 3
    for question in offers:
        assert qa.ask(question, "putuo-wanli-subdistrict-2024-dept-budget").route != "none"
    bare = replace(declined, suggestions=())  # an answer without its own suggestions
    assert questions_to_offer(qa.store, bare, declined.doc), "drawn from the tables instead"


def clarify_answer(qa, doc: str):
    """A clarify answer built the way the router builds one, from two real answers' figures."""
    from qa.compose import clarify, option

    readings = [qa.ask(q, doc) for q in ("基本支出是多少？", "项目支出是多少？")]
    options = [option(a, Operand(a.value, a.unit, a.citations[0].row, a.citations[0]))
               for a in readings]
    return clarify("支出是多少？", doc, options, reading=None)


def test_a_chosen_reading_is_shown_as_its_figure(small_corpus_home):
    from budgetqa.choices import option_answer, options_of
    from budgetqa.pipeline import BudgetQA

    qa = BudgetQA.from_settings()
    answer = clarify_answer(qa, "putuo-wanli-subdistrict-2024-dept-budget")
    options = options_of(answer)
    assert len(options) == 2
    chosen = option_answer(answer, options[1])
    assert chosen.value == options[1].value and chosen.citations == options[1].citations
    assert chosen.text.startswith(options[1].wording) and "万元" in chosen.text


def _truncated_pdf(tmp_path):
    data = (CORPUS / "putuo-wanli-subdistrict-2024-dept-budget.pdf").read_bytes()
    return data[: len(data) // 3]


@pytest.mark.parametrize("name, content, expected", [
    ("empty.pdf", b"", "文件是空的"),
    ("renamed.pdf", b"PK\x03\x04 a zip, renamed", "不是真正的 PDF"),
    ("cut.pdf", _truncated_pdf, "已损坏或不完整"),
    ("notes.docx", b"whatever", "文件类型不支持"),
    ("gbk.txt", "预算公开".encode("gbk"), "不是 UTF-8 编码"),
    ("prose.md", "这是一段没有表格的文字。\n".encode(), "不是预算公开文件"),
])
def test_every_bad_file_class_has_a_chinese_message(small_corpus_home, tmp_path, name, content,
                                                   expected):
    from budgetqa.pipeline import BudgetQA

    path = tmp_path / name
    path.write_bytes(content(tmp_path) if callable(content) else content)
    report = BudgetQA.from_settings().ingest_file(path)
    assert report.status == "failed"
    message = ingest_message(report.error)
    assert expected in message and GENERIC not in message, (report.error, message)
