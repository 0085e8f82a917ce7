"""Each audit rule of issue 13 on a real corpus document, quiet on the original and firing
on a copy with one figure or label changed in the test (dataclasses.replace / str.replace).

Three documents are parsed once into a temporary store: the Jiangsu High Court 2019 budget
(tables and narrative), the Putuo Wanli subdistrict 2024 budget and the Putuo social-work
department 2024 final account.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from calc.audit import audit_disclosure
from calc.audit_labels import corpus_code_names
from store.store import Store
from tests.corpus_cache import read_corpus_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURT = "jiangsu-high-court-2019-dept-budget"
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
SOCIAL = "putuo-social-work-dept-2024-final-account"
FILES = {COURT: "jiangsu", WANLI: "shanghai", SOCIAL: "shanghai"}
SERIOUS = ("error", "unit_slip", "minor")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'rules.sqlite'}")
    for doc, folder in FILES.items():
        store.replace_document(read_corpus_document(CORPUS / folder / f"{doc}.pdf"))
    return store


def _audit(store, doc, tables=None, passages=None, code_names=None):
    return audit_disclosure([store.document(doc)],
                            {doc: store.parsed_tables(doc) if tables is None else tables},
                            {doc: store.passages(doc) if passages is None else passages},
                            code_names=code_names)


def _serious(report, rule):
    return [f for f in report.findings if f.rule == rule and f.severity in SERIOUS]


def _edit_text(passages, old, new):
    """A copy of the passages with the first passage containing `old` changed."""
    out = list(passages)
    i = next(k for k, p in enumerate(out) if old in p.text)
    out[i] = replace(out[i], text=out[i].text.replace(old, new, 1))
    return out


def _set_cell(tables, t, r, column, printed):
    tables = list(tables)
    table = tables[t]
    rows = list(table.rows)
    rows[r] = replace(rows[r], cells=tuple(
        replace(c, printed=printed, value=Decimal(printed.replace(",", "")))
        if c.column == column else c for c in rows[r].cells))
    tables[t] = replace(table, rows=tuple(rows))
    return tables


def _cites(finding, text):
    return any(text in (c.value or "") or text in (c.text or "") for c in finding.operands)


# -- narrative ↔ tables ------------------------------------------------------------------

def test_narrative_total_tied_to_the_table_total_by_the_name_its_kind_implies(store):
    # "（二）支出预算总计 37188.34 万元" is the 收支总表's 支出总计.
    assert not _serious(_audit(store, COURT), "narrative.amount")
    passages = _edit_text(store.passages(COURT), "（二）支出预算总计 37188.34", "（二）支出预算总计 37188.43")
    found = _serious(_audit(store, COURT, passages=passages), "narrative.amount")
    assert any(_cites(f, "37188.43") and any(c.kind == "cell" for c in f.operands) for f in found)


def test_narrative_item_named_by_its_coded_path_is_tied_to_that_row(store):
    old = "城乡社区管理事务（款）行政运行（项）”1660.32万元"
    assert not [f for f in _serious(_audit(store, WANLI), "narrative.amount") if _cites(f, "1660.32")]
    passages = _edit_text(store.passages(WANLI), old, old.replace("1660.32", "1606.32"))
    found = _serious(_audit(store, WANLI, passages=passages), "narrative.amount")
    assert any(_cites(f, "1606.32") for f in found)


def test_share_of_a_named_whole_the_narrative_does_not_state(store):
    # "财政拨款预算支出 37188.34 万元，占本年支出合计的 100%": the whole is the table's.
    assert not _serious(_audit(store, COURT), "narrative.share")
    passages = _edit_text(store.passages(COURT), "占本年支出合计的 100%", "占本年支出合计的 90%")
    assert any(_cites(f, "90%") for f in
               _serious(_audit(store, COURT, passages=passages), "narrative.share"))


def test_listed_parts_add_up_to_their_whole(store):
    old = "政府采购工程预算815.87万元"
    assert not _serious(_audit(store, WANLI), "narrative.parts_sum")
    passages = _edit_text(store.passages(WANLI), old, "政府采购工程预算815.78万元")
    [finding] = _serious(_audit(store, WANLI, passages=passages), "narrative.parts_sum")
    assert finding.found == Decimal("1662.44") and finding.expected == Decimal("1662.35")
    assert _cites(finding, "815.78")


def test_rate_from_last_years_figure_and_this_years(store):
    old = "2023年当年预算执行数为20.30万元，2024年预算安排24.31万元，比2023年预算执行数增加19.75%"
    before = [f for f in _serious(_audit(store, WANLI), "narrative.stated_rate")
              if _cites(f, "19.75")]
    assert not before
    passages = _edit_text(store.passages(WANLI), old, old.replace("19.75%", "17.95%"))
    found = _serious(_audit(store, WANLI, passages=passages), "narrative.stated_rate")
    assert any(_cites(f, "17.95") and f.expected == Decimal("19.75") for f in found)


def test_final_account_variance_direction(store):
    old = "支出决算为 11.31 万元"
    assert not _serious(_audit(store, SOCIAL), "narrative.variance")
    passages = _edit_text(store.passages(SOCIAL), old, "支出决算为 19.31 万元")
    [finding] = _serious(_audit(store, SOCIAL, passages=passages), "narrative.variance")
    assert "小于" in finding.message and finding.found == Decimal("19.31")


# -- tables --------------------------------------------------------------------------------

def _purchases(tables):
    return next(i for i, t in enumerate(tables) if t.kind == "政府采购")


def test_code_less_groups_read_from_the_figures(store):
    tables = store.parsed_tables(COURT)
    assert not _serious(_audit(store, COURT, tables), "table.inferred_groups")
    t = _purchases(tables)
    row = next(i for i, r in enumerate(tables[t].rows) if r.label == "PC服务器")
    changed = _set_cell(tables, t, row, tables[t].columns[0], "86.00")  # printed 68.00
    found = _serious(_audit(store, COURT, changed), "table.inferred_groups")
    assert any(any(c.row == "PC服务器" and c.value == "86.00" for c in f.operands) for f in found)


def test_title_year_and_body(store):
    tables = store.parsed_tables(COURT)
    report = _audit(store, COURT, tables)
    assert not _serious(report, "label.title_year") and not _serious(report, "label.title_body")
    copied = list(tables)  # a title copied from another body's last edition
    copied[0] = replace(tables[0], title="2018年江苏省人民检察院收支预算总表")
    report = _audit(store, COURT, copied)
    assert [f.rule for f in _serious(report, "label.title_year")] == ["label.title_year"]
    assert [f.rule for f in _serious(report, "label.title_body")] == ["label.title_body"]


def test_code_name_against_the_rest_of_the_corpus(store):
    # Other documents of the same year: the court's own 2019 tables under two other ids.
    tables = store.parsed_tables(COURT)
    names = corpus_code_names({"a": (2019, tables), "b": (2019, tables), COURT: (2019, tables)})
    assert not _serious(_audit(store, COURT, tables, code_names=names), "label.code_name")
    t, r = next((i, k) for i, x in enumerate(tables) for k, row in enumerate(x.rows)
                if row.code == "2210201")  # 住房公积金
    copied = list(tables)
    rows = list(tables[t].rows)
    rows[r] = replace(rows[r], label="提租补贴")
    copied[t] = replace(tables[t], rows=tuple(rows))
    found = _serious(_audit(store, COURT, copied, code_names=names), "label.code_name")
    assert any("2210201" in f.message and "住房公积金" in f.message for f in found)


def test_unit_mislabel_between_tables(store):
    tables = store.parsed_tables(COURT)
    assert not _serious(_audit(store, COURT, tables), "cross.unit_mislabel")
    t = next(i for i, x in enumerate(tables) if x.kind == "一般公共预算支出表")
    table = tables[t]
    scaled = replace(table, rows=tuple(replace(r, cells=tuple(
        replace(c, value=c.value * 10000, printed=format(c.value * 10000, "f"))
        if c.value is not None else c for c in r.cells)) for r in table.rows))
    copied = list(tables)
    copied[t] = scaled  # figures in 元 under the 万元 unit line
    assert _serious(_audit(store, COURT, copied), "cross.unit_mislabel")


def test_item_heading_names_the_figure_its_sentence_states(store):
    # "（二）公务接待费。2019年预算数 86.95 万元": the clause names nothing, the heading does;
    # the 三公 table prints 公务接待费 86.95.
    passages = store.passages(COURT)
    right = passages + [replace(passages[-1], index=passages[-1].index + 1,
                                text="（二）公务接待费。2019年预算数 86.95 万元，主要用于公务接待。")]
    assert not [f for f in _serious(_audit(store, COURT, passages=right), "narrative.amount")
                if _cites(f, "86.95")]
    wrong = right[:-1] + [replace(right[-1], text=right[-1].text.replace("86.95", "68.95"))]
    found = _serious(_audit(store, COURT, passages=wrong), "narrative.amount")
    assert any(_cites(f, "68.95") and "公务接待费" in f.message for f in found)
