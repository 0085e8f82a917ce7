"""Scoring (qa/evaluation.py) with the four rules of ../shared/eval/README.md, on hand-made cases."""

from __future__ import annotations

import json

import pytest

from qa.evaluation import load_gold, score, summarise


def case(**fields) -> dict:
    base = {"id": "c1", "doc": "d", "question": "q", "category": "lookup", "value": None,
            "unit": None, "tol": None, "contains": [], "cite": [], "alt_values": [],
            "none": False}
    return base | fields


def answer(**fields) -> dict:
    base = {"question": "q", "doc": "d", "route": "lookup", "answer": "", "value": None,
            "unit": None, "formula": None, "citations": []}
    return base | fields


CELL = {"kind": "cell", "doc": "d", "table": "2024年部门支出预算总表", "row": "合计",
        "column": "基本支出/人员支出", "value": "1462.07", "unit": "万元", "page": 14}
PASSAGE = {"kind": "passage", "doc": "d", "section": "三、名词解释",
           "text": "项目支出：是预算单位为完成特定行政工作任务…", "page": None}


# -- rule 1: none cases --------------------------------------------------------------------

def test_none_case_passes_with_route_none_and_null_value():
    verdict = score(case(category="none", none=True), answer(route="none", answer="文件未说明。"))
    assert verdict.passed and verdict.reasons == ()


@pytest.mark.parametrize("given", [answer(route="lookup", value="12.5"),
                                   answer(route="none", value="0"),
                                   answer(route="calc", value=None)])
def test_none_case_fails_otherwise(given):
    verdict = score(case(category="none", none=True), given)
    assert not verdict.passed
    assert "expected route none" in verdict.reasons[0]


def test_answering_none_fails_a_case_that_has_an_answer():
    verdict = score(case(contains=["持平"]), answer(route="none", answer="持平"))
    assert not verdict.passed and "answered none" in verdict.reasons


# -- rule 2: value within tol, or an alt value ---------------------------------------------

@pytest.mark.parametrize("given, passed", [
    ("37.75", True), ("37.80", True), ("37.69", True), ("37.82", False), ("37.68", False),
    (None, False), ("abc", False), ("NaN", False)])
def test_value_within_tolerance(given, passed):
    verdict = score(case(category="share", value="37.75", unit="%", tol=0.06),
                    answer(route="calc", value=given))
    assert verdict.passed is passed


def test_tolerance_is_exact_at_the_edge():
    # 0.06 as a float is 0.0599999…; the comparison must not lose the edge to binary floats.
    verdict = score(case(value="37.75", tol=0.06), answer(value="37.81"))
    assert verdict.passed


def test_no_tolerance_means_exact():
    assert score(case(value="2", tol=None), answer(value="2")).passed
    assert score(case(value="2", tol=0), answer(value="2.00")).passed
    assert not score(case(value="2", tol=0), answer(value="2.001")).passed


def test_alt_values_are_accepted():
    gold = case(value="37188.34", unit="万元", tol=0.005,
                alt_values=[{"value": "371883400", "unit": "元"}])
    assert score(gold, answer(value="371883400", unit="元")).passed
    assert score(gold, answer(value="37188.34", unit="万元")).passed
    failed = score(gold, answer(value="37188", unit="万元"))
    assert not failed.passed
    assert "['37188.34', '371883400']" in failed.reasons[0]


def test_alt_values_written_with_their_unit_are_read_as_numbers():
    gold = case(value="15621.11", unit="万元", tol=0.005, alt_values=["156211123 元", "1.5621亿元"])
    assert score(gold, answer(value="156211123", unit="元")).passed
    assert score(gold, answer(value="1.5621", unit="亿元")).passed
    assert not score(gold, answer(value="156211124", unit="元")).passed


# -- rule 3: contains ----------------------------------------------------------------------

def test_contains_every_string():
    gold = case(category="rank", value="544.08", tol=0.005, contains=["办公用房租赁费", "544.08"])
    assert score(gold, answer(value="544.08", answer="办公用房租赁费最高，544.08万元。")).passed
    verdict = score(gold, answer(value="544.08", answer="办公用房最高，544.08万元。"))
    assert not verdict.passed
    assert verdict.reasons == ("answer lacks '办公用房租赁费'",)


def test_contains_with_a_null_answer_text():
    assert not score(case(contains=["持平"]), answer(answer=None)).passed


# -- rule 4: cite --------------------------------------------------------------------------

@pytest.mark.parametrize("wanted, passed", [
    (["1462.07"], True), (["人员支出"], True), (["支出预算总表"], True),
    (["项目支出：是预算单位"], True), (["三公", "名词解释"], True),
    (["公用经费"], False), (["3873.19"], False)])
def test_cite_some_citation_field_contains_one_string(wanted, passed):
    verdict = score(case(cite=wanted), answer(citations=[CELL, PASSAGE]))
    assert verdict.passed is passed
    if not passed:
        assert verdict.reasons == (f"no citation contains any of {wanted}",)


def test_cite_fails_without_citations():
    assert not score(case(cite=["1462.07"]), answer(citations=[])).passed
    assert not score(case(cite=["1462.07"]), answer(citations=None)).passed


def test_every_rule_must_hold_and_every_failure_is_listed():
    gold = case(category="share", value="37.75", tol=0.06, contains=["37.75%"], cite=["1462.07"])
    good = answer(route="calc", value="37.75", answer="占37.75%。", citations=[CELL])
    assert score(gold, good).passed
    bad = score(gold, answer(route="calc", value="3.77", answer="占3.77%。", citations=[]))
    assert not bad.passed and len(bad.reasons) == 3


# -- summary and gold files ----------------------------------------------------------------

def test_summarise_per_category_and_overall():
    verdicts = [score(case(category="lookup", value="1"), answer(value="1")),
                score(case(category="lookup", value="1"), answer(value="2")),
                score(case(category="share", value="5", tol=0.06), answer(value="5.01"))]
    summary = summarise(verdicts)
    assert summary["overall"] == {"passed": 2, "total": 3, "right": 2, "wrong": 1,
                                  "abstained": 0, "accuracy": 2 / 3}
    assert summary["categories"]["lookup"] == {"passed": 1, "total": 2, "right": 1, "wrong": 1,
                                               "abstained": 0, "accuracy": 0.5}
    assert list(summary["categories"]) == ["lookup", "share"]
    assert summarise([])["overall"]["total"] == 0


@pytest.mark.parametrize("route,value,outcome", [
    ("none", None, "abstained"), ("clarify", None, "abstained"),
    ("lookup", "2", "wrong"), ("text", None, "wrong"), ("lookup", "1", "right")])
def test_outcome_separates_wrong_from_abstained(route, value, outcome):
    verdict = score(case(value="1"), answer(route=route, value=value))
    assert verdict.outcome == outcome
    if outcome != "right":
        assert verdict.reasons


def test_load_gold(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(case(id="a"), ensure_ascii=False) + "\n\n"
                    + json.dumps(case(id="b"), ensure_ascii=False) + "\n", encoding="utf-8")
    assert [c["id"] for c in load_gold([path])] == ["a", "b"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken.jsonl:2: not JSON"):
        load_gold([broken])


def test_the_shared_gold_file_loads():
    from pathlib import Path

    gold = Path(__file__).resolve().parents[2] / "shared" / "eval" / "D_shaoxing_2024.jsonl"
    cases = load_gold([gold])
    assert len(cases) == 25
    assert all(c["doc"] == "shaoxing-gov-service-office-2024-dept-budget" for c in cases)
