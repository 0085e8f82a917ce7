"""The ingest quality check: money words in passages that kept their number."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.domain import Passage
from ingest.number_coverage import MIN_COVERAGE, number_coverage
from ingest.reader import read_document
from tests.corpus_cache import read_corpus_document

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def _passage(text: str) -> Passage:
    return Passage(doc_id="d", section="s", text=text, page=1, index=0)


def test_money_words_with_and_without_their_number():
    coverage = number_coverage([_passage(
        "2024年收入总计 1,234.56 万元，比上年增长 3.5%。支出总计 万元。"
        "采购 货物 支出 268 万 元、工程 1.5 万亿元。")])
    assert (coverage.words, coverage.with_number) == (5, 4)
    assert coverage.share == Decimal(4) / Decimal(5) and coverage.low
    assert coverage.percent() == "80.0%"
    assert "支出总计 万元" in coverage.examples[0]
    assert "4 of 5" in coverage.warning() and "95%" in coverage.warning()


@pytest.mark.parametrize("text", [
    "单位：万元", "本表以万元为单位", "本表金额转换为万元时，因四舍五入可能存在尾差",
    "决算公开表格中部分数据约值万元时显示为零", "元旦慰问", "多元化投入", "增长率（%）",
])
def test_captions_and_words_built_on_yuan_are_no_figures(text):
    coverage = number_coverage([_passage(text)])
    assert coverage.words == 0 and coverage.share is None and not coverage.low
    assert coverage.percent() == "-"


def test_the_threshold_is_95_percent():
    assert MIN_COVERAGE == Decimal("0.95")
    at = number_coverage([_passage("支出 1 万元。" * 19 + "支出 万元。")])
    assert at.share == MIN_COVERAGE and not at.low


def test_a_text_disclosure_that_lost_its_numbers_is_warned_about(tmp_path):
    # The words of a real sentence (Shaoxing 2024) with the figures gone, as a PDF with
    # digits off the baseline used to read.
    source = tmp_path / "lost-numbers-2024-dept-budget.md"
    source.write_text(
        "# 绍兴市政务服务办公室2024年部门预算\n\n## 一、部门收支总体情况\n\n"
        "2024年部门收入预算总计 万元，支出预算总计 万元，与上年相比减少 万元，下降 %。"
        "其中一般公共预算拨款收入 万元。\n", encoding="utf-8")
    parsed = read_document(source)
    warning = next(w for w in parsed.warnings if w.startswith("narrative numbers"))
    assert "only 0 of 5" in warning


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".pdf", ".md")
                   and p.name != "SOURCES.md"), ids=lambda p: p.stem)
def test_every_corpus_document_keeps_its_narrative_numbers(path):
    parsed = read_corpus_document(path)
    coverage = number_coverage(parsed.passages)
    assert not coverage.low, coverage.examples
    assert not any(w.startswith("narrative numbers") for w in parsed.warnings)
