"""Narrative passages from real corpus PDFs: gold sentences whole, no contents or page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from ingest.pdf_text import text_layer_ratio
from ingest.sections import SectionPath, heading_level, looks_like_title
from tests.corpus_cache import read_corpus_pdf

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
HIGH_COURT_2019 = CORPUS / "jiangsu" / "jiangsu-high-court-2019-dept-budget.pdf"
WANLI_2024 = CORPUS / "shanghai" / "putuo-wanli-subdistrict-2024-dept-budget.pdf"


def _passages(path: Path):
    """extract_passages of a corpus PDF (read once per run, tests/corpus_cache.py)."""
    return list(read_corpus_pdf(path).passages)


@pytest.fixture(scope="module")
def high_court():
    return _passages(HIGH_COURT_2019)


@pytest.fixture(scope="module")
def wanli():
    return _passages(WANLI_2024)


def _squash(text: str) -> str:
    # pdfplumber prints "共有车辆 66 辆" on one line and "1134.33 万" + "元" across two;
    # compare without spaces so a gold sentence matches however it was spaced.
    return re.sub(r"\s+", "", text)


def _holding(passages, sentence: str):
    found = [p for p in passages if _squash(sentence) in _squash(p.text)]
    assert found, f"no passage holds {sentence!r}"
    return found[0]


@pytest.mark.parametrize(
    "sentence, page, heading",
    [
        ("本部门共有车辆 66 辆，其中，一般公务用车 13 辆、执法执勤用车 38 辆、特种专业技术用车 15 辆。",
         25, "十三、国有资产占用情况"),
        ("项目支出预算数为 10208.94 万元。与上年相比减少 1134.33 万元，减少 10%。"
         "主要原因是根据国务院通知要求运转类项目预算较上年压减 10%。", 18, "一、收支预算总体情况说明"),
        ("从预算单位构成看，纳入本部门 2019 年度部门汇总预算编制范围的预算单位共 2 家，具体包括："
         "江苏省高级人民法院机关（本级）、徐州铁路运输法院。", 5, "二、部门机构设置和预算单位构成情况"),
    ],
)
def test_high_court_gold_sentences(high_court, sentence, page, heading):
    passage = _holding(high_court, sentence)
    assert passage.page == page
    assert heading in passage.section


@pytest.mark.parametrize(
    "sentence, page, heading",
    [
        ("2024年本部门政府采购预算1662.44万元，其中：政府采购货物预算93.98万元、"
         "政府采购工程预算815.87万元、政府采购服务预算752.59万元。", 32, "三、政府采购预算情况"),
        ("截至2023年8月31日，上海市普陀区人民政府万里街道办事处（部门）共有车辆7辆", 32, "五、国有资产占有使用情况"),
        ("万里街道社区公共服务中心新建工程，位于普陀区真金路与交通路路口", 33, "项目经费情况说明"),
    ],
)
def test_wanli_gold_sentences(wanli, sentence, page, heading):
    passage = _holding(wanli, sentence)
    assert passage.page == page
    assert heading in passage.section


def test_contents_and_page_numbers_are_not_passages(high_court, wanli):
    for passage in high_court + wanli:
        assert "目 录" not in passage.text and "目录" not in passage.text.splitlines()
        assert "……" not in passage.text
        for line in passage.text.splitlines():
            assert not re.fullmatch(r"[-—\s]*\d{1,3}[-—\s]*", line), line
    # The contents page (p.2) lists headings only; its text must not become a passage.
    assert not [p for p in high_court if p.page == 2]
    assert not [p for p in wanli if p.page == 2]


def test_table_text_is_left_out(wanli):
    # p.30 is a table of 经济分类 rows; none of its figures is narrative.
    assert not [p for p in wanli if "99,706,020" in p.text]


def test_passages_are_sized_and_ordered(high_court):
    assert [p.index for p in high_court] == list(range(len(high_court)))
    pages = [p.page for p in high_court]
    assert pages == sorted(pages)
    # Long sections are split at paragraph or sentence boundaries near the target size.
    assert max(len(p.text) for p in high_court) <= 1000
    for p in high_court:
        last = p.text.splitlines()[-1]
        # A passage ends a sentence, or a short list item ("27、司法警察总队").
        assert last[-1] in "。；：！？）”%" or len(last) <= 20, last


def test_lines_are_joined_without_breaking_words(high_court):
    passage = _holding(high_court, "项目支出预算数为 10208.94 万元。")
    assert "1134.33 万元" in passage.text  # printed as "1134.33 万" / "元" over two lines


def test_heading_levels():
    assert heading_level("第三部分 2019 年度部门预算情况说明") == 0
    assert heading_level("十三、国有资产占用情况") == 1
    assert heading_level("（一）机关内设机构") == 2
    assert heading_level("(一) 主要职能") == 2
    assert heading_level("1、办公室") == 3
    assert heading_level("1. 机关运行经费") == 3
    assert heading_level("5．2024年部门一般公共预算支出功能分类预算表") == 3
    assert heading_level("（1）公务用车购置预算支出 0 万元") == 3
    assert heading_level("2023年预算增加25万元") is None
    assert heading_level("1.5万元用于") is None
    assert looks_like_title("十三、国有资产占用情况")
    assert not looks_like_title("（二）支出预算总计 37188.34 万元。包括：")


def test_section_path_closes_deeper_headings():
    path = SectionPath()
    path.enter(0, "第一部分 部门概况")
    path.enter(1, "二、部门机构设置")
    path.enter(2, "（一）机关内设机构")
    path.enter(1, "三、2019 年部门主要工作任务及目标")
    assert str(path) == "第一部分 部门概况 > 三、2019 年部门主要工作任务及目标"


def test_narrative_only_jiangsu_file_yields_passages():
    passages = _passages(CORPUS / "jiangsu" / "jiangsu-cppcc-office-2019-dept-budget.pdf")
    assert len(passages) >= 10
    assert any("名词解释" in p.section for p in passages)


def test_text_layer_ratio_of_a_text_pdf():
    with pdfplumber.open(HIGH_COURT_2019) as pdf:
        assert text_layer_ratio(pdf) == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*/*.pdf")), ids=lambda p: p.stem)
def test_every_corpus_pdf(path):
    passages = _passages(path)
    for passage in passages:
        assert passage.text.strip()
        assert "……" not in passage.text
        assert len(passage.text) <= 1500, (passage.section, passage.text[:80])
    if not path.stem.endswith("-tables"):
        assert len(passages) >= 5
