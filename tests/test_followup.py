"""Follow-up questions are rewritten into whole questions, visibly and only when they are follow-ups."""

import pytest

from qa.followup import resolve_followup, split_question


@pytest.mark.parametrize("question, parts", [
    ("基本支出是多少？", ("", "基本支出", "是多少？")),
    ("2024年公务用车购置及运行费是多少？", ("2024年", "公务用车购置及运行费", "是多少？")),
    ("人员支出占支出总预算的比例是多少？", ("", "人员支出", "占支出总预算的比例是多少？")),
    ("上年三公经费有多少", ("上年", "三公经费", "有多少")),
])
def test_split_question(question, parts):
    assert split_question(question) == parts


@pytest.mark.parametrize("followup, previous, doc_year, expected, reason", [
    ("那上年呢？", "2024年公务用车购置及运行费是多少？", None,
     "2023年公务用车购置及运行费是多少？", "period"),
    ("那上年呢？", "公务用车购置及运行费是多少？", 2024, "2023年公务用车购置及运行费是多少？", "period"),
    ("那上年呢？", "公务用车购置及运行费是多少？", None, "上年公务用车购置及运行费是多少？", "period"),
    ("2022年呢", "2024年基本支出是多少？", None, "2022年基本支出是多少？", "period"),
    ("去年的预算数呢？", "2019年基本支出是多少？", None, "2018年基本支出是多少？", "period"),
    ("其中人员经费呢？", "基本支出是多少？", None, "基本支出中人员经费是多少？", "part"),
    ("那公用经费呢？", "人员支出占支出总预算的比例是多少？", None,
     "公用经费占支出总预算的比例是多少？", "figure"),
    ("公务接待费呢", "2024年因公出国(境)费是多少？", None, "2024年公务接待费是多少？", "figure"),
])
def test_followups_are_rewritten(followup, previous, doc_year, expected, reason):
    result = resolve_followup(followup, previous, doc_year)
    assert (result.question, result.rewritten, result.reason) == (expected, True, reason)
    assert result.previous == previous


@pytest.mark.parametrize("question, previous", [
    ("公用经费是多少？", "基本支出是多少？"),  # names its own figure and asks
    ("那公用经费是多少？", "基本支出是多少？"),
    ("那上年呢？", None),  # nothing to follow
    ("那上年呢？", ""),
    ("", "基本支出是多少？"),
])
def test_whole_questions_stand_alone(question, previous):
    result = resolve_followup(question, previous, 2024)
    assert not result.rewritten
    assert result.question == question.strip()


def test_chains_follow_the_resolved_question():
    first = resolve_followup("那上年呢？", "2024年基本支出是多少？")
    second = resolve_followup("其中人员经费呢？", first.question)
    assert second.question == "2023年基本支出中人员经费是多少？"
