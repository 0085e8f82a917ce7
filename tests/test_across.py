"""Measures per document and questions across documents, over real corpus files in a real
SQLite store. Expected figures are the ones printed on the pages named in MEASURES.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.across import AcrossAnswerer
from store.store import Store
from tests.corpus_cache import read_corpus_document

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
FILES = ("shanghai/putuo-wanli-subdistrict-2024-dept-budget.pdf",
         "shanghai/putuo-wanli-subdistrict-2025-dept-budget.pdf",
         "shanghai/putuo-finance-bureau-2025-dept-budget.pdf",
         "shanghai/putuo-commerce-commission-2025-dept-budget.pdf",
         "shanghai/putuo-planning-resources-2024-final-account.pdf",
         "zhejiang/shaoxing-gov-service-office-2024-dept-budget.md",
         "jiangsu/jiangsu-high-court-2019-dept-budget.pdf")

pytestmark = pytest.mark.slow


def corpus_store(tmp_path_factory, name: str, files) -> Store:
    """A real SQLite store holding the corpus `files` (paths under the corpus folder)."""
    home = tmp_path_factory.mktemp(name)
    store = Store(f"sqlite:///{home / 'budgetqa.sqlite'}")
    for file in files:
        store.replace_document(read_corpus_document(CORPUS / file))
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return corpus_store(tmp_path_factory, "across", FILES)


@pytest.fixture(scope="module")
def across(store):
    return AcrossAnswerer(store)


def measure(store, doc_id, name):
    return next(m for m in store.measures() if m.doc_id == doc_id and m.key == name)


def test_measures_are_cells_with_their_page(store):
    wanli = "putuo-wanli-subdistrict-2024-dept-budget"
    # p.31, 部门“三公”经费和机关运行经费预算表, 单位:万元: 47.91 0 1.35 46.56 25 21.56 443.18
    expected = {"三公经费": "47.91", "因公出国(境)费": "0", "公务接待费": "1.35",
                "公务用车购置及运行费": "46.56", "公务用车购置费": "25",
                "公务用车运行费": "21.56", "机关运行经费": "443.18"}
    for name, value in expected.items():
        m = measure(store, wanli, name)
        assert (m.status, m.value, m.unit, m.page, m.source) == (
            "found", Decimal(value), "万元", 31, "table"), name
    # p.10, 财务收支预算总表 in 元.
    total = measure(store, wanli, "支出总计")
    assert (total.value, total.unit, total.page, total.row) == (
        Decimal("156211123"), "元", 10, "支出总计")
    assert measure(store, wanli, "功能分类:212").value == Decimal("119385303")


def test_a_measure_not_stated_is_missing_never_zero(store):
    shaoxing = "shaoxing-gov-service-office-2024-dept-budget"
    assert measure(store, shaoxing, "年末结转和结余").status == "missing"
    assert measure(store, shaoxing, "年末结转和结余").value is None
    # Printed as a dash: blank, not zero.
    assert measure(store, shaoxing, "因公出国(境)费").status == "blank"


def test_ranking_of_a_years_departments_converts_units_and_cites(across):
    answer = across.answer("2025年普陀区各部门人员经费排名")
    assert answer.route == "calc" and answer.unit == "元"
    rows = answer.table["rows"]
    assert [r["publisher"] for r in rows][:1] == ["上海市普陀区人民政府万里街道办事处"]
    values = [Decimal(r["value"]) for r in rows if r["value"] is not None]
    assert values == sorted(values, reverse=True) and len(values) == 3
    assert len(answer.citations) == 3
    assert all(c.kind == "cell" and c.page for c in answer.citations)
    # Without a year: the latest year with several documents, and the final account of the
    # district left out, both said.
    undated = across.answer("普陀区各部门人员经费排名")
    assert undated.reading["years"] == [2025]
    assert "上海市普陀区规划和自然资源局2024年部门决算" in undated.text


def test_units_are_converted_exactly_across_documents(across):
    answer = across.answer("2024年各部门三公经费哪个最多")
    # Shaoxing prints 5.56万元, Wanli 47.91万元; both 2024 budgets.
    assert (answer.value, answer.unit) == (Decimal("47.91"), "万元")
    mixed = across.answer("2024年各部门人员经费排名")
    # Wanli prints 元 (88537451), Shaoxing 万元 (1462.07): compared in 万元, exactly.
    assert mixed.unit == "万元"
    assert Decimal("8853.7451") in [Decimal(r["value"]) for r in mixed.table["rows"]
                                    if r["value"]]


def test_time_series_of_one_publisher(across):
    answer = across.answer("万里街道2024到2025年项目支出怎么变的")
    assert answer.route == "calc"
    assert [r["year"] for r in answer.table["rows"]] == [2024, 2025]
    assert answer.value == Decimal("88425805") - Decimal("56505103")
    assert len(answer.citations) == 2


def test_a_rate_over_years_is_given_as_the_answer_states_it(across):
    # (88425805 − 56505103) ÷ 56505103 = 56.4917…%: the value the text shows, two decimals.
    answer = across.answer("万里街道项目支出2024到2025年增长了百分之多少")
    assert answer.value == Decimal("56.49") and "56.49%" in answer.text


def test_one_publishers_year_as_a_multiple_of_another(across):
    # 88425805 ÷ 56505103 = 1.5649…: the year named first over the other.
    answer = across.answer("万里街道2025年的项目支出是2024年的几倍")
    assert answer.value == Decimal("1.56") and answer.unit == "倍"


def test_final_accounts_only_when_asked(across):
    answer = across.answer("2024年决算中各部门基本支出排名")
    assert {r["kind"] for r in answer.table["rows"]} == {"部门决算"}


def test_documents_lacking_the_measure_are_listed(across):
    answer = across.answer("2024年各部门年末结转和结余排名")
    assert answer.route == "none" or any(r["status"] != "found" for r in answer.table["rows"])
    assert "绍兴市政务服务办公室" in answer.text


def test_one_document_questions_are_left_to_the_router(across):
    assert across.answer("三公经费是多少？") is None
    assert across.answer("万里街道2025年城乡社区支出比2024年增加了多少万元？") is None
    assert across.answer("三公经费是多少？", "putuo-wanli-subdistrict-2024-dept-budget") is None


def test_the_router_asks_cross_document_questions_first(store):
    from qa.router import Router

    router = Router(store, None)
    answer = router.answer("2025年普陀区各部门三公经费排名", None)
    assert answer.table is not None and answer.to_json()["table"]["rows"]
    # Pinned to a document, a question about that document is the document's.
    pinned = router.answer("三公经费是多少？", "putuo-wanli-subdistrict-2024-dept-budget")
    assert pinned.table is None and pinned.value == Decimal("47.91")
    # Words about other departments take it across even with a document pinned.
    across = router.answer("2024年各部门三公经费哪个最多", "putuo-wanli-subdistrict-2024-dept-budget")
    assert across.table is not None


def test_meeting_and_training_costs_are_measures(store):
    court = "jiangsu-high-court-2019-dept-budget"
    # p.14, “三公”经费、会议费、培训费支出预算表, row 合计 (万元).
    assert (measure(store, court, "会议费").value, measure(store, court, "会议费").page) == (
        Decimal("271.02"), 14)
    assert measure(store, court, "三公经费").value == Decimal("513.75")


def test_departments_named_shortly_and_narrowed_by_place(across):
    answer = across.answer("普陀区2025年商务委、财政局、万里街道三个部门预算一共多少？")
    # p.9 of each 2025 部门预算: 371,514,655.00 + 189,767,551 + 31,214,205.80 元.
    assert (answer.route, answer.value, answer.unit) == ("calc", Decimal("592496411.80"), "元")
    assert len({c.doc for c in answer.citations}) == 3


def test_a_place_or_department_without_documents_is_refused(across):
    answer = across.answer("2025年杭州市各部门三公经费哪家最高？")
    assert answer.route == "none" and "杭州" in answer.text and not answer.citations
    answer = across.answer("2025年普陀区民政局和商务委三公经费一共多少")
    assert answer.route == "none" and "民政局" in answer.text


def test_one_departments_share_of_a_named_set(across):
    answer = across.answer("2025年普陀区万里街道的三公经费占这三个部门合计的比例是多少？")
    # 37.91 ÷ (37.91 + 1.00 + 0.95) = 95.11%
    assert (answer.route, round(answer.value, 2), answer.unit) == ("calc", Decimal("95.11"), "%")


def test_one_publishers_years_summed_ranked_and_missing_years_said(across):
    summed = across.answer("万里街道2023到2025年三公经费合计")
    # 2023 is not in this store: 47.91 (2024) + 37.91 (2025), and 2023 said to be missing.
    assert (summed.value, summed.unit) == (Decimal("85.82"), "万元")
    assert "未收录2023年" in summed.text
    ranked = across.answer("万里街道2024、2025哪年三公经费最高？")
    assert ranked.value == Decimal("47.91") and "2024年" in ranked.text.split("\n")[0]


def test_final_accounts_asked_as_actual_spending_or_excluded(across):
    actual = across.answer("2024年普陀区万里街道和规划资源局机关运行经费实际支出各是多少")
    # Only the planning bureau's 决算 (p.27 142.80 万元); Wanli has budgets only, said so.
    assert actual.value == Decimal("142.80")
    assert "上海市普陀区人民政府万里街道办事处：没有收录2024年决算" in actual.text
    # Their sum would leave Wanli out: refused, saying why.
    summed = across.answer("2024年普陀区万里街道和规划资源局机关运行经费实际支出一共多少")
    assert summed.route == "none" and "没有收录2024年决算" in summed.text
    budgets = across.answer("2024年普陀区各单位预算里的机关运行经费加起来多少？别把决算算进去")
    assert budgets.value == Decimal("443.18")


def test_one_publishers_two_years_of_a_measure_are_compared_from_the_measures(across):
    answer = across.answer("万里街道2025年三公经费比2024年减少了多少")
    # p.31 (2024) 47.91 and p.29 (2025) 37.91 万元, both cited; a decrease asked for is its size.
    assert (answer.value, answer.unit, len(answer.citations)) == (Decimal("10.00"), "万元", 2)
    # An item beyond the canonical measures stays with the one-document router.
    assert across.answer("万里街道2025年人员经费中的工资福利支出比2024年增加多少") is None


def test_a_sum_over_named_departments_missing_one_is_refused(across):
    answer = across.answer("2025年万里街道和规划资源局三公经费合计")
    assert answer.route == "none" and "上海市普陀区规划和自然资源局：没有收录2025年" in answer.text


def test_words_beyond_the_measure_are_refused_not_dropped(across):
    # 工资福利支出 is a part of 人员经费 no measure holds: each department's own printed row
    # of its basic-expenditure table is ranked (qa.across_items), never the 人员经费 totals.
    answer = across.answer("2025年普陀区各部门人员经费中的工资福利支出排名")
    assert answer.route == "calc" and "工资福利支出" in answer.text.splitlines()[0]
    assert answer.citations and all(c.row.endswith("工资福利支出") for c in answer.citations)
    # The goods part of 政府采购 is stated by no measure: not answered with the total.
    answer = across.answer("2025年普陀区各部门货物类政府采购预算加起来有多少")
    assert answer.route == "none" and answer.value is None and "货物" in answer.text
    # The part reserved for small firms is a measure of its own (中小企业预留政府采购),
    # stated by Wanli's narrative only: summed over those that state it, never the total.
    answer = across.answer("2025年普陀区各部门面向中小企业预留的政府采购预算加起来有多少")
    wanli = measure(across.store, "putuo-wanli-subdistrict-2025-dept-budget",
                    "中小企业预留政府采购")
    assert answer.route == "calc" and answer.value == wanli.value
    assert answer.value != measure(across.store, "putuo-wanli-subdistrict-2025-dept-budget",
                                   "政府采购").value
    # Several years of the same departments are not one ranking.
    answer = across.answer("2024年和2025年普陀区各部门三公经费排名")
    assert answer.route == "none" and "2024、2025" in answer.text
