"""Document facts read from real corpus covers, and the key joining two-file disclosures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.doc_facts import KINDS, canonical_publisher, disclosure_key, document_facts
from tests.corpus_cache import read_corpus_pdf

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def _facts(relative: str, with_body: bool = False) -> dict:
    """document_facts of a corpus PDF's first pages (and, with_body, the pages after the
    third), from pdfplumber's text read once per run (tests/corpus_cache.py)."""
    path = CORPUS / relative
    reading = read_corpus_pdf(path)
    return document_facts(reading.first_pages, path.stem,
                          body_text=reading.body if with_body else "")


@pytest.mark.parametrize(
    "relative, publisher, year, kind",
    [
        ("jiangsu/jiangsu-high-court-2019-dept-budget.pdf", "江苏省高级人民法院", 2019, "部门预算"),
        ("jiangsu/jiangsu-high-court-2017-dept-budget.pdf", "江苏省高级人民法院", 2017, "部门预算"),
        ("jiangsu/jiangsu-cppcc-office-2018-dept-budget.pdf", "江苏省政协办公厅", 2018, "部门预算"),
        ("jiangsu/jiangsu-npc-2019-dept-budget.pdf", "江苏省人大常委会办公厅", 2019, "部门预算"),
        ("shanghai/putuo-wanli-subdistrict-2024-dept-budget.pdf", "上海市普陀区人民政府万里街道办事处", 2024, "部门预算"),
        ("shanghai/putuo-justice-bureau-2026-unit-budget.pdf", "上海市普陀区司法局", 2026, "单位预算"),
        ("shanghai/shanghai-finance-bureau-2025-unit-budget.pdf", "上海市财政局", 2025, "单位预算"),
        ("shanghai/putuo-planning-resources-2024-final-account.pdf", "上海市普陀区规划和自然资源局", 2024, "部门决算"),
        ("shanghai/putuo-social-work-dept-2024-final-account.pdf", "中共上海市普陀区委社会工作部", 2024, "部门决算"),
        # Whole governments: the finance bureau publishes; a 预算执行情况 of 2025 comes with
        # the 2026 budget, which is the document's year.
        ("ningxia/ningxia-2024-gov-final-account.pdf", "宁夏回族自治区财政厅", 2024, "政府决算"),
        ("yunnan/diqing-prefecture-2026-gov-budget.pdf", "迪庆州财政局", 2026, "政府预算"),
    ],
)
def test_facts_from_the_cover(relative, publisher, year, kind):
    facts = _facts(relative)
    assert (facts["publisher"], facts["year"], facts["kind"]) == (publisher, year, kind)
    # These covers state every fact: nothing came from the file name.
    assert "file_stem" not in facts["sources"].values()


def test_a_government_account_without_a_cover_is_no_department_account():
    # Pingdingshan opens with its title and then the body's first heading; it names no
    # publisher, so the file name gives it.
    facts = _facts("henan/pingdingshan-2019-gov-final-account.pdf")
    assert facts["title"] == "2019 年全市及市本级决算草案的说明"
    assert (facts["year"], facts["kind"]) == (2019, "政府决算")
    assert facts["sources"]["kind"] == "title"


def test_tables_file_reads_publisher_from_its_caption():
    facts = _facts("jiangsu/jiangsu-npc-office-2019-dept-budget-tables.pdf")
    assert facts["publisher"] == "江苏省人大常委会办公厅"
    assert facts["sources"]["publisher"] == "text"
    # The tables file prints no year; the file name supplies it and says so.
    assert facts["year"] == 2019 and facts["sources"]["year"] == "file_stem"


@pytest.mark.parametrize(
    "narrative, tables",
    [
        ("jiangsu/jiangsu-npc-2019-dept-budget.pdf", "jiangsu/jiangsu-npc-office-2019-dept-budget-tables.pdf"),
        ("jiangsu/jiangsu-party-office-2018-dept-budget.pdf", "jiangsu/jiangsu-party-office-2018-dept-budget-tables.pdf"),
        ("jiangsu/jiangsu-party-office-2017-dept-budget.pdf", "jiangsu/jiangsu-party-office-2017-dept-budget-tables.pdf"),
        ("jiangsu/jiangsu-cppcc-office-2017-dept-budget.pdf", "jiangsu/jiangsu-cppcc-office-2017-dept-budget-tables.pdf"),
    ],
)
def test_narrative_and_tables_files_share_a_disclosure_key(narrative, tables):
    assert _facts(narrative)["disclosure"] == _facts(tables)["disclosure"]


def test_cover_without_text_falls_back_to_the_body():
    # The 2019 CPPCC cover is an image; the body names the publisher.
    facts = _facts("jiangsu/jiangsu-cppcc-office-2019-dept-budget.pdf", with_body=True)
    assert facts["publisher"] == "江苏省政协办公厅" and facts["sources"]["publisher"] == "body"
    assert facts["disclosure"] == _facts("jiangsu/jiangsu-cppcc-office-2019-dept-budget-tables.pdf")["disclosure"]


def test_different_disclosures_have_different_keys():
    dept = _facts("shanghai/putuo-justice-bureau-2026-dept-budget.pdf")["disclosure"]
    unit = _facts("shanghai/putuo-justice-bureau-2026-unit-budget.pdf")["disclosure"]
    assert dept != unit
    assert disclosure_key("江苏省高级人民法院", 2018, "部门预算") != disclosure_key("江苏省高级人民法院", 2019, "部门预算")


def test_publisher_variants_normalise_to_one_name():
    assert canonical_publisher("江苏省人大常委会办公厅") == canonical_publisher("江苏省人大常委会")
    assert canonical_publisher("江苏省人民代表大会常务委员会") == "江苏省人大常委会"
    assert canonical_publisher("中国共产党江苏省委员会办公厅") == canonical_publisher("江苏省委办公厅")
    assert canonical_publisher("上海市普陀区人民政府万里街道办事处") == "上海市普陀区万里街道办事处"


def test_file_stem_fallback_when_text_says_nothing():
    facts = document_facts("", "putuo-welfare-home-2024-unit-budget")
    assert (facts["year"], facts["kind"]) == (2024, "单位预算")
    assert facts["sources"]["year"] == facts["sources"]["kind"] == "file_stem"


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*/*.pdf")), ids=lambda p: p.stem)
def test_every_corpus_pdf_has_facts(path):
    facts = _facts(str(path.relative_to(CORPUS)), with_body=True)
    assert facts["publisher"] and facts["year"] and facts["kind"] in KINDS
    # The year in the file name is the budget year (or the year accounted for).
    assert str(facts["year"]) in path.stem
