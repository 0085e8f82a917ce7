"""The optional LLM path (qa/llm*.py) with langchain's fake chat models: no network, no key.

Plans must name only what the document's vocabulary holds; rewording must keep every number
the answer already states; with BUDGETQA_LLM empty nothing imports langchain_openai.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import (FakeListChatModel,
                                                            FakeMessagesListChatModel,
                                                            GenericFakeChatModel)
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import JsonOutputParser
from langchain_core.runnables import RunnableLambda

from budgetqa.domain import Answer, Citation
from budgetqa.errors import SettingsError
from qa.linking import DocumentView
from qa.llm import (AnswerPhraser, Plan, QuestionPlanner, amounts_in, make_chat_model,
                    make_phraser, make_planner, number_guard, numbers_in, parse_json_object,
                    plan_to_question, validate_plan, vocabulary_from_view)
from qa.llm_plan import MAX_ROWS
from tests.ingested import ingest_corpus_file

ROOT = Path(__file__).resolve().parent.parent
DOC = "shaoxing-gov-service-office-2024-dept-budget"
SECRET = "sk-test-never-print-me"


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shaoxing(tmp_path_factory):
    """The Shaoxing 2024 text disclosure ingested into its own home (no embeddings):
    (BudgetQA app, its DocumentView). The environment is restored afterwards."""
    from budgetqa.pipeline import BudgetQA

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BUDGETQA_HOME", str(tmp_path_factory.mktemp("budgetqa-llm")))
        mp.setenv("BUDGETQA_EMBEDDER", "none")
        app = BudgetQA.from_settings()
        report = ingest_corpus_file(app, ROOT / "data" / "corpus" / f"{DOC}.md")
        assert report.status != "failed", report.error
        view = DocumentView(app.store.cells(DOC),
                            {t["id"]: t["unit"] for t in app.store.tables(DOC)})
        yield app, view


@pytest.fixture(scope="module")
def vocabulary(shaoxing):
    return vocabulary_from_view(shaoxing[1])


def plan_model(*replies: str) -> FakeListChatModel:
    return FakeListChatModel(responses=list(replies))


def failing_model(exc: Exception) -> GenericFakeChatModel:
    def boom():
        raise exc
        yield  # pragma: no cover - makes this a generator

    return GenericFakeChatModel(messages=boom())


STRUCTURED_CALLS: list[str] = []


class StructuredFake(GenericFakeChatModel):
    """A fake that, like ChatOpenAI, offers with_structured_output (JSON mode)."""

    def with_structured_output(self, schema=None, *, method="json_schema", **kwargs):
        STRUCTURED_CALLS.append(method)
        return self | JsonOutputParser()


def cell_value(view: DocumentView, table_kind: str, row_label: str, column: str) -> Decimal:
    for row in view.rows:
        if row.table_kind == table_kind and row.label == row_label:
            cell = row.cell(column)
            if cell is not None and cell.value is not None:
                return cell.value
    raise AssertionError(f"no {row_label} / {column} in {table_kind}")


# -- settings -------------------------------------------------------------------------------


def test_off_by_default_nothing_imports_langchain_openai():
    code = ("import sys\n"
            "from qa.llm import make_chat_model, make_planner, make_phraser\n"
            "import budgetqa.pipeline, qa.router\n"
            "assert make_chat_model() is None and make_planner() is None "
            "and make_phraser() is None\n"
            "assert 'langchain_openai' not in sys.modules, 'langchain_openai imported'\n"
            "assert 'openai' not in sys.modules, 'openai imported'\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETQA_LLM")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_empty_setting_gives_no_model(monkeypatch):
    monkeypatch.setenv("BUDGETQA_LLM", "  ")
    assert make_chat_model() is None


@pytest.mark.parametrize("spec", ["qwen-plus", "@http://localhost:8000/v1", "qwen@localhost:8000",
                                  "qwen@ftp://host/v1", "qwen @http://h/v1"])
def test_malformed_setting_names_the_value(monkeypatch, spec):
    monkeypatch.setenv("BUDGETQA_LLM", spec)
    monkeypatch.setenv("BUDGETQA_LLM_API_KEY", SECRET)
    with pytest.raises(SettingsError) as caught:
        make_chat_model()
    assert "MODEL@BASE_URL" in caught.value.message
    assert caught.value.context["name"] == "BUDGETQA_LLM"
    assert SECRET not in str(caught.value) and SECRET not in json.dumps(caught.value.context)


def test_missing_package_is_a_settings_error(monkeypatch):
    monkeypatch.setenv("BUDGETQA_LLM", "qwen2.5:7b@http://localhost:11434/v1")
    monkeypatch.setitem(sys.modules, "langchain_openai", None)  # import fails
    with pytest.raises(SettingsError, match=r"budgetqa\[llm\]"):
        make_chat_model()


def test_openai_compatible_model_from_settings(monkeypatch, caplog):
    pytest.importorskip("langchain_openai")
    monkeypatch.setenv("BUDGETQA_LLM", "qwen2.5:7b@http://127.0.0.1:9/v1/")
    monkeypatch.setenv("BUDGETQA_LLM_API_KEY", SECRET)
    with caplog.at_level(logging.DEBUG):
        chat = make_chat_model()
    assert chat.model_name == "qwen2.5:7b"
    assert chat.openai_api_base == "http://127.0.0.1:9/v1"
    assert chat.openai_api_key.get_secret_value() == SECRET
    assert SECRET not in repr(chat) and SECRET not in caplog.text
    assert isinstance(make_planner(), QuestionPlanner)


# -- planning -------------------------------------------------------------------------------


def test_vocabulary_lists_tables_rows_and_columns_capped(vocabulary):
    titles = {t["title"]: t["kind"] for t in vocabulary["tables"]}
    assert titles["2024年部门支出预算总表"] == "支出总表"
    assert {"支出总计", "行政运行", "政府办公厅（室）及相关机构事务"} <= set(vocabulary["rows"])
    assert "基本支出/人员支出" in vocabulary["columns"]
    assert len(vocabulary["rows"]) <= MAX_ROWS
    assert len(json.dumps(vocabulary, ensure_ascii=False)) < 8000


def test_valid_plan_from_reply_text(vocabulary):
    planner = QuestionPlanner(plan_model(
        '{"operation": "share", "figures": ["人员支出", "支出总计"], "scope": "", "largest": true}'))
    assert planner.plan("人员那块钱在全部花销里算几成", vocabulary) == Plan(
        "share", ("人员支出", "支出总计"))


def test_plan_json_inside_fences_and_prose(vocabulary):
    reply = '好的，计划如下：\n```json\n{"operation": "sum", "figures": ["行政运行", "事业运行"]}\n```'
    planner = QuestionPlanner(FakeMessagesListChatModel(responses=[AIMessage(content=reply)]))
    assert planner.plan("行政和事业运行一共花多少", vocabulary) == Plan("sum", ("行政运行", "事业运行"))


def test_plan_names_are_matched_after_normalising(vocabulary):
    plan = validate_plan({"operation": "rank", "figures": [],
                          "scope": "政府办公厅(室)及相关机构事务", "largest": "false"}, vocabulary)
    assert plan == Plan("rank", (), "政府办公厅（室）及相关机构事务", False)


def test_structured_output_is_used_when_the_model_offers_it(vocabulary):
    STRUCTURED_CALLS.clear()
    model = StructuredFake(messages=iter([AIMessage(
        content='{"operation": "lookup", "figures": ["住房公积金"]}')]))
    assert QuestionPlanner(model).plan("公积金这块给了多少", vocabulary) == Plan(
        "lookup", ("住房公积金",))
    assert STRUCTURED_CALLS == ["json_mode"]


class JsonModeRefused(GenericFakeChatModel):
    """A fake whose JSON mode the server refuses, as some OpenAI-compatible servers do."""

    def with_structured_output(self, schema=None, *, method="json_schema", **kwargs):
        def refuse(_):
            raise RuntimeError("response_format is not supported")

        return RunnableLambda(refuse)


def test_plain_replies_when_json_mode_is_refused(vocabulary):
    model = JsonModeRefused(messages=iter([AIMessage(
        content='{"operation": "lookup", "figures": ["提租补贴"]}')]))
    assert QuestionPlanner(model).plan("提租补贴给了多少", vocabulary) == Plan("lookup", ("提租补贴",))


def test_json_mode_reply_that_is_not_json_gives_none(vocabulary):
    model = StructuredFake(messages=iter([AIMessage(content="抱歉，我无法回答。")]))
    assert QuestionPlanner(model).plan("提租补贴给了多少", vocabulary) is None


@pytest.mark.parametrize("reply", [
    '{"operation": "share", "figures": ["人头费", "支出总计"]}',  # unknown row
    '{"operation": "lookup", "figures": ["不存在的科目"]}',
    '{"operation": "share", "figures": ["人员支出"]}',  # too few figures
    '{"operation": "sum", "figures": ["行政运行", "事业运行", "提租补贴", "购房补贴", "住房公积金"]}',
    '{"operation": "diff", "figures": ["行政运行", "行政运行"]}',  # the same figure twice
    '{"operation": "average", "figures": ["行政运行"]}',  # not an operation
    '{"operation": "none", "figures": []}',  # the model declines
    '{"operation": "lookup", "figures": ["行政运行"], "scope": "不存在的表"}',
    '{"operation": "rank", "figures": []}',  # rank without a scope
    '{"operation": "lookup", "figures": ["行政运行"], "largest": "maybe"}',
    '{"figures": ["行政运行"]}',
    '["lookup", "行政运行"]',
])
def test_invalid_plans_are_rejected(vocabulary, reply):
    assert QuestionPlanner(plan_model(reply)).plan("随便问问", vocabulary) is None


@pytest.mark.parametrize("reply", ["", "我不知道", '{"operation": "share", "figures": ["人员支出",',
                                   "```json\n{operation: share}\n```"])
def test_malformed_json_gives_none(vocabulary, reply):
    assert QuestionPlanner(plan_model(reply)).plan("人员支出占多少", vocabulary) is None


@pytest.mark.parametrize("figures", [["1462.07", "3873.19"], ["人员支出1462.07万元", "支出总计"],
                                    [1462.07, "支出总计"], ["37.75%", "支出总计"]])
def test_numbers_as_figures_are_rejected(vocabulary, figures):
    data = {"operation": "share", "figures": figures}
    assert validate_plan(data, vocabulary) is None


def test_numbers_beside_the_plan_are_ignored(vocabulary):
    reply = json.dumps({"operation": "lookup", "figures": ["行政运行"], "value": 9999.99,
                        "answer": "行政运行为9999.99万元"}, ensure_ascii=False)
    plan = QuestionPlanner(plan_model(reply)).plan("行政运行给了多少钱", vocabulary)
    assert plan == Plan("lookup", ("行政运行",))
    assert "9999" not in repr(plan) and "9999" not in plan_to_question(plan)


def test_names_beyond_the_cap_are_not_accepted():
    vocabulary = {"tables": [], "rows": [f"科目{i:04d}" for i in range(MAX_ROWS + 5)],
                  "columns": []}
    assert validate_plan({"operation": "lookup", "figures": ["科目0001"]}, vocabulary)
    assert validate_plan({"operation": "lookup", "figures": [f"科目{MAX_ROWS + 1:04d}"]},
                         vocabulary) is None


def test_model_errors_give_no_plan(vocabulary):
    planner = QuestionPlanner(failing_model(ConnectionError("endpoint down")))
    assert planner.plan("人员支出占多少", vocabulary) is None


def test_parse_json_object():
    assert parse_json_object('x {"a": 1} y {"b": 2}') == {"a": 1}
    assert parse_json_object("{bad} {\"a\": [1, {\"b\": 2}]}") == {"a": [1, {"b": 2}]}
    assert parse_json_object("[1, 2]") is None


# -- plans back into questions ---------------------------------------------------------------


@pytest.mark.parametrize("plan, question", [
    (Plan("share", ("基本支出/人员支出", "支出总计")), "人员支出占支出总计的比重是多少"),
    (Plan("ratio", ("人员支出", "公用经费")), "人员支出是公用经费的多少倍"),
    (Plan("sum", ("一、财政拨款", "三、事业收入")), "财政拨款、事业收入合计是多少"),
    (Plan("diff", ("事业运行", "行政运行")), "事业运行比行政运行多多少"),
    (Plan("growth", ("收入总计",)), "收入预算比上年增长了百分之几"),
    (Plan("growth", ("公务接待费",)), "公务接待费比上年增长了百分之几"),
    (Plan("rank", (), "住房改革支出", False), "住房改革支出中哪个最少"),
    (Plan("rank", (), "2024年部门一般公共预算基本支出表"), "部门一般公共预算基本支出表中哪个最多"),
    (Plan("lookup", ("住房公积金",)), "住房公积金是多少"),
    (Plan("lookup", ("人员经费",), "2024年部门一般公共预算基本支出表"),
     "部门一般公共预算基本支出表中人员经费是多少"),
    (Plan("none"), ""),
])
def test_plan_to_question(plan, question):
    assert plan_to_question(plan) == question


def test_awkward_question_answered_through_a_plan(shaoxing, vocabulary):
    """The hook as the router will use it: rules say none → plan → canonical question →
    the rules answer with cited cells and calc's formula."""
    app, view = shaoxing
    awkward = "人员那块钱在全部花销里算几成"
    assert app.ask(awkward, DOC).route == "none"
    planner = QuestionPlanner(plan_model(
        '{"operation": "share", "figures": ["人员支出", "支出总计"], "largest": true}'))
    plan = planner.plan(awkward, vocabulary)
    answer = app.ask(plan_to_question(plan), DOC)
    part = cell_value(view, "支出总表", "合计", "基本支出/人员支出")
    whole = cell_value(view, "收支总表", "支出总计", "支出/预算数")
    assert (part, whole) == (Decimal("1462.07"), Decimal("3873.19"))
    expected = (part / whole * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert answer.route == "calc" and answer.value == expected == Decimal("37.75")
    assert answer.unit == "%"
    assert answer.formula == "1462.07 ÷ 3873.19 × 100% = 37.75%"
    assert [c.value for c in answer.citations] == ["1462.07", "3873.19"]


@pytest.mark.parametrize("reply, value, cited", [
    ('{"operation": "rank", "figures": [], "scope": "住房改革支出", "largest": false}',
     Decimal("0.09"), "提租补贴"),
    ('{"operation": "sum", "figures": ["行政运行", "事业运行"]}', Decimal("1432.26"), "事业运行"),
    ('{"operation": "ratio", "figures": ["人员支出", "公用经费"]}', Decimal("4.23"), "合计"),
])
def test_other_plans_reach_the_cited_figures(shaoxing, vocabulary, reply, value, cited):
    app, _ = shaoxing
    plan = QuestionPlanner(plan_model(reply)).plan("说不清楚的问法", vocabulary)
    answer = app.ask(plan_to_question(plan), DOC)
    assert answer.route == "calc" and answer.value == value
    assert cited in {c.row for c in answer.citations}


# -- rewording and the number guard ---------------------------------------------------------

SHARE_ANSWER = Answer(
    question="人员支出占支出总计的比重是多少", doc=DOC, route="calc",
    text="人员支出占支出总计的比重为37.75%。（人员支出1462.07万元见《2024年部门支出预算总表》；"
         "支出总计3873.19万元见《2024年部门收支预算总表》）",
    value=Decimal("37.75"), unit="%", formula="1462.07 ÷ 3873.19 × 100% = 37.75%",
    citations=(Citation(kind="cell", doc=DOC, page=None, table="2024年部门支出预算总表",
                        row="合计", column="基本支出/人员支出", value="1462.07", unit="万元"),
               Citation(kind="cell", doc=DOC, page=None, table="2024年部门收支预算总表",
                        row="支出总计", column="支出/预算数", value="3873.19", unit="万元")))


def phraser(text: str) -> AnswerPhraser:
    return AnswerPhraser(GenericFakeChatModel(messages=iter([AIMessage(content=text)])))


@pytest.mark.parametrize("text", [
    "2024年，人员支出1462.07万元，占支出总计3873.19万元的37.75%。",
    "人员支出1,462.07万元在全部支出3,873.19万元中约占37.750%。",
    "“人员支出占支出总计的百分之三十七点七五（1462.07÷3873.19）。”",
])
def test_phrasing_that_keeps_the_numbers_is_used(text):
    new = phraser(text).phrase(SHARE_ANSWER)
    assert new.text == text.strip("“”")
    assert replace(new, text=SHARE_ANSWER.text) == SHARE_ANSWER  # nothing else changed


@pytest.mark.parametrize("text", [
    "人员支出占支出总计的37.8%。",  # rounded differently
    "人员支出1462.07万元，占37.75%，比上年增长5%。",  # an invented figure
    "人员支出约1462万元，占37.75%。",  # a changed figure
    "人员支出占一千四百六十二点零八万元的37.75%。",  # a changed figure in Chinese numerals
    "人员支出在支出总计中占比较高。",  # the figure dropped
    "人员支出1462.07元，占37.75%。",  # the same number in another unit
    "人员支出占支出总计的37.75个百分点。",
    "人员支出占支出总计的37.75倍。",
    "",
])
def test_phrasing_that_changes_a_number_keeps_the_original(text):
    assert phraser(text).phrase(SHARE_ANSWER) == SHARE_ANSWER


def test_model_errors_keep_the_original_answer():
    assert AnswerPhraser(failing_model(TimeoutError("slow"))).phrase(SHARE_ANSWER) == SHARE_ANSWER


def test_quoted_and_refused_answers_are_not_reworded():
    quoted = Answer(question="q", doc=DOC, route="text", text="据“说明”：原文。")
    model = GenericFakeChatModel(messages=iter([AIMessage(content="改写。")]))
    assert AnswerPhraser(model).phrase(quoted) == quoted
    assert make_phraser(model).phrase(replace(quoted, route="none")).route == "none"


def test_real_answer_reworded_through_the_guard(shaoxing):
    app, _ = shaoxing
    answer = app.ask("行政运行、事业运行合计是多少", DOC)
    assert answer.value == Decimal("1432.26")
    good = phraser("行政运行423.43万元与事业运行1008.83万元合计1432.26万元。").phrase(answer)
    assert good.text.startswith("行政运行423.43万元") and good.citations == answer.citations
    assert phraser("两项合计约1432万元。").phrase(answer) == answer


def test_number_guard_and_numbers_in():
    assert numbers_in("1,462.07万元，占37.750％，下降-1.40%") == {"1462.07", "37.75", "1.4"}
    assert numbers_in("百分之三十七点七五，一千四百六十二点零七万元，二〇二四年，两倍") == {
        "37.75", "1462.07", "2024", "2"}
    assert numbers_in("一般公共预算、三公经费、千万、一一对应") == set()
    bare = replace(SHARE_ANSWER, value=Decimal("25.00"), unit="万元", text="", formula="",
                   citations=())
    assert number_guard("共25万元", bare) and number_guard("共25.0", bare)
    assert not number_guard("共25元", bare) and not number_guard("共25%", bare)
    assert not number_guard("十三五期间37.75%", SHARE_ANSWER)
    assert amounts_in("一千四百六十二点零七万元，占百分之三十七点七五，4.23倍，2024年") == {
        ("1462.07", "万元"), ("37.75", "%"), ("4.23", "倍"), ("2024", "")}
