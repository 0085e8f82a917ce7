"""Consistency audit (calc/audit*.py) on real corpus documents and modified copies of them.

Each rule is shown to fire on a copy of a real parsed table or passage changed with
dataclasses.replace, and to stay quiet on the original. Two documents are ingested once
into a temporary store (no embeddings, no network).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from calc.audit import audit_disclosure, summarise
from calc.audit_findings import ERROR, MINOR, ROUNDING, UNIT_SLIP, severity
from store.store import Store
from tests.corpus_cache import read_corpus_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
JUSTICE = "putuo-justice-bureau-2026-unit-budget"
PROCURATORATE = "jiangsu-procuratorate-2018-dept-budget"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "audit.sqlite"
    store = Store(f"sqlite:///{path}")
    for name in (f"shanghai/{JUSTICE}.pdf", f"jiangsu/{PROCURATORATE}.pdf"):
        store.replace_document(read_corpus_document(CORPUS / name))
    return store


def _audit(store, doc_id, tables=None, passages=None, reviewed=None):
    doc = store.document(doc_id)
    return audit_disclosure([doc], {doc_id: store.parsed_tables(doc_id) if tables is None else tables},
                            {doc_id: store.passages(doc_id) if passages is None else passages},
                            reviewed or store.reviewed(doc_id))


def _rules(report, severity_=None):
    return {f.rule for f in report.findings if severity_ is None or f.severity == severity_}


def _table(tables, kind):
    return next(i for i, t in enumerate(tables) if t.kind == kind)


def _set_cell(table, row_index, column_word, value):
    """A copy of the table with one cell of a row set to a new printed value."""
    row = table.rows[row_index]
    cells = tuple(replace(c, value=Decimal(value), printed=value) if column_word in c.column
                  else c for c in row.cells)
    rows = list(table.rows)
    rows[row_index] = replace(row, cells=cells)
    return replace(table, rows=tuple(rows))


def _first_row(table, label):
    return next(i for i, r in enumerate(table.rows) if r.label.replace(" ", "") == label)


# -- severity by size ---------------------------------------------------------------------

def test_severity_by_size_not_rule():
    assert severity(Decimal("10.01"), Decimal("10.00"), 2, Decimal("0.01")) == ROUNDING
    assert severity(Decimal("10.02"), Decimal("10.00"), 2, Decimal("0.01")) == MINOR
    assert severity(Decimal("10.01"), Decimal("10.00"), 2, Decimal("0.01"), exact=True) == MINOR
    assert severity(Decimal("10.03"), Decimal("10.00"), 2, Decimal("0.01")) == ERROR
    assert severity(Decimal("1234500"), Decimal("123.45"), 1, Decimal("0.01")) == UNIT_SLIP
    assert severity(Decimal("5"), Decimal("5"), 1, Decimal("1")) is None


# -- real publication errors ------------------------------------------------------------

def test_justice_row_prints_project_spending_by_mistake(store):
    """行政运行 prints 项目支出 64,840,547 (tables p.11 and p.14): 合计 ≠ 基本 + 项目."""
    report = _audit(store, JUSTICE)
    hits = [f for f in report.findings if f.rule == "table.basic_plus_project"
            and f.severity == ERROR]
    assert {f.operands[0].page for f in hits} == {11, 14}
    for f in hits:
        assert f.operands[0].row == "行政运行"
        assert any(o.value == "64,840,547.00" for o in f.operands)
    assert report.findings == _audit(store, JUSTICE).findings  # stable ids and order


def test_procuratorate_growth_rates_off_by_ten(store):
    """"增加21.8万元，增长0.06%" (should be 0.60%) and "减少134万元，降幅0.66%" (6.60%)."""
    report = _audit(store, PROCURATORATE)
    found = {f.found: f.expected for f in report.findings if f.rule == "narrative.growth"
             and f.severity == ERROR}
    assert found[Decimal("0.06")] == Decimal("0.60")
    assert found[Decimal("-0.66")] == Decimal("-6.60")


# -- within a table ---------------------------------------------------------------------

def test_total_row_rule(store):
    tables = store.parsed_tables(JUSTICE)
    i = _table(tables, "基本支出表")
    assert "table.total" not in _rules(_audit(store, JUSTICE, tables), ERROR)
    table = tables[i]
    total = _first_row(table, "合计")
    tables[i] = _set_cell(table, total, "人员经费", "1.00")
    assert "table.total" in _rules(_audit(store, JUSTICE, tables), ERROR)


def test_basic_split_rule(store):
    tables = store.parsed_tables(JUSTICE)
    assert "table.basic_split" not in _rules(_audit(store, JUSTICE, tables), ERROR)
    i = _table(tables, "基本支出表")
    tables[i] = _set_cell(tables[i], 1, "公用经费", "5000.00")
    assert "table.basic_split" in _rules(_audit(store, JUSTICE, tables), ERROR)


def test_three_public_rule(store):
    tables = store.parsed_tables(JUSTICE)
    assert "table.three_public" not in _rules(_audit(store, JUSTICE, tables))
    i = _table(tables, "三公经费表")
    tables[i] = _set_cell(tables[i], 0, "公务接待费", "5.73")
    [f] = [f for f in _audit(store, JUSTICE, tables).findings if f.rule == "table.three_public"]
    assert f.severity == ERROR and f.expected == Decimal("15.71") and f.found == Decimal("10.71")


def test_income_equals_expense_rule(store):
    tables = store.parsed_tables(JUSTICE)
    assert "table.income_expense" not in _rules(_audit(store, JUSTICE, tables))
    i = _table(tables, "财政拨款收支总表")
    row = next(k for k, r in enumerate(tables[i].rows) if r.label.replace(" ", "") == "支出总计")
    tables[i] = _set_cell(tables[i], row, "合计", "86959418.34")
    assert "table.income_expense" in _rules(_audit(store, JUSTICE, tables), ERROR)


def test_unit_slip_is_its_own_severity(store):
    tables = store.parsed_tables(JUSTICE)
    i = _table(tables, "三公经费表")
    tables[i] = _set_cell(tables[i], 0, "公务接待费", "7300.00")  # 0.73 万元 printed in 元
    report = _audit(store, JUSTICE, tables)
    # The narrative's 公务接待费 0.73 万元 against the table's 7300: a slip, not an error;
    # the 三公 total no longer adds up by an amount that is no ×10,000 ratio: an error.
    slips = {f.rule for f in report.findings if f.severity == UNIT_SLIP}
    assert slips == {"narrative.amount"}
    assert "table.three_public" in _rules(report, ERROR)


# -- across tables and completeness ------------------------------------------------------

def test_same_figure_across_tables(store):
    tables = store.parsed_tables(JUSTICE)
    assert "cross.same_figure" not in _rules(_audit(store, JUSTICE, tables), ERROR)
    i = _table(tables, "基本支出表")
    total = _first_row(tables[i], "合计")
    tables[i] = _set_cell(tables[i], total, "合计", "22000000.34")
    hits = [f for f in _audit(store, JUSTICE, tables).findings if f.rule == "cross.same_figure"]
    assert hits and "一般公共预算基本支出" in hits[0].message
    assert {o.kind for o in hits[0].operands} == {"cell"}


def test_completeness_rules(store):
    tables = store.parsed_tables(JUSTICE)
    quiet = _audit(store, JUSTICE, tables)
    assert not _rules(quiet) & {"completeness.missing_table", "completeness.empty_table"}
    i = _table(tables, "政府性基金")
    changed = [t for t in tables if t.kind != "三公经费表"]
    changed[i] = replace(tables[i], note="")
    rules = _rules(_audit(store, JUSTICE, changed))
    assert {"completeness.missing_table", "completeness.empty_table"} <= rules


# -- narrative ---------------------------------------------------------------------------

def _with_sentence(passages, sentence):
    return passages + [replace(passages[-1], text=sentence, index=passages[-1].index + 1)]


def test_narrative_amount_against_table(store):
    passages = store.passages(JUSTICE)
    right = _with_sentence(passages, "“三公”经费预算数为10.71万元。")
    assert "narrative.amount" not in _rules(_audit(store, JUSTICE, passages=right))
    wrong = _with_sentence(passages, "“三公”经费预算数为17.10万元。")
    [f] = [f for f in _audit(store, JUSTICE, passages=wrong).findings
           if f.rule == "narrative.amount"]
    assert f.found == Decimal("17.10") and f.expected == Decimal("10.71")
    assert [o.kind for o in f.operands] == ["passage", "cell"]


def test_narrative_share_and_sum(store):
    passages = store.passages(PROCURATORATE)
    text = ("本年支出预算合计 200.00 万元，其中：基本支出 150.00 万元，占 75.00%；"
            "项目支出 50.00 万元，占 25.00%。")
    report = _audit(store, PROCURATORATE, passages=_with_sentence(passages, text))
    assert not [f for f in report.findings if f.rule.startswith("narrative.share")
                and any("200.00" in (c.text or "") for c in f.operands)]
    bad = text.replace("占 25.00%", "占 2.50%")
    rules = _rules(_audit(store, PROCURATORATE, passages=_with_sentence(passages, bad)), ERROR)
    assert "narrative.share" in rules


def test_narrative_growth_direction(store):
    passages = store.passages(PROCURATORATE)
    text = "机关运行经费预算支出 110.00 万元，与上年相比增加 10.00 万元，增长 10.00%。"
    report = _audit(store, PROCURATORATE, passages=_with_sentence(passages, text))
    assert not [f for f in report.findings if f.rule == "narrative.growth"
                and any("110.00" in o.text for o in f.operands)]
    flipped = text.replace("增长 10.00%", "下降 10.00%")
    report = _audit(store, PROCURATORATE, passages=_with_sentence(passages, flipped))
    assert any("方向" in f.message for f in report.findings if f.rule == "narrative.growth")


# -- review and summary -----------------------------------------------------------------

def test_reviewed_findings_are_kept_not_reopened(store):
    report = _audit(store, JUSTICE)
    target = next(f for f in report.findings if f.severity == ERROR)
    store.mark_reviewed(target.id, JUSTICE, "确为原文错误")
    again = _audit(store, JUSTICE)
    kept = next(f for f in again.findings if f.id == target.id)
    assert kept.reviewed == "确为原文错误" and kept not in again.open
    assert len(again.open) == len(report.open) - 1
    text = summarise([again])
    assert text.startswith("核对了") and "错误" in text
