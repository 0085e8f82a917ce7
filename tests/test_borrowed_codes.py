"""Code-less summary tables borrow 科目编码 from the same document, and then reconcile."""

from pathlib import Path

from calc.reconcile import reconcile_errors
from ingest.reader import read_document
from tests.corpus_cache import read_corpus_document

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def test_summary_table_rows_get_codes_levels_and_reconcile():
    parsed = read_document(CORPUS / "shaoxing-gov-service-office-2024-dept-budget.md")
    summary = next(t for t in parsed.tables if t.kind == "收支总表")
    rows = {r.label: r for r in summary.rows}
    assert rows["一般公共服务支出"].code == "201" and rows["一般公共服务支出"].level == 1
    assert rows["行政运行"].code == "2010301" and rows["行政运行"].level == 3
    # 住房公积金 is 2210201 in 功能分类 tables and 30113 in 经济分类 ones: the 类 above decides.
    assert rows["住房公积金"].code == "2210201"
    assert summary.rows[rows["住房公积金"].parent].label == "住房改革支出"
    assert reconcile_errors(summary) == []


def test_tables_that_print_codes_or_mix_kinds_are_left_alone():
    parsed = read_corpus_document(CORPUS / "jiangsu-high-court-2019-dept-budget.pdf")
    purchases = next(t for t in parsed.tables if t.kind == "政府采购")
    assert not any(r.code for r in purchases.rows if r.label == "会议费")
    assert all(reconcile_errors(t) == [] for t in parsed.tables)
