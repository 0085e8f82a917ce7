"""Round ten: narrative totals and items that the narrative names in ways the table index
missed, now tied to their tables (narrative.amount). Each on real corpus disclosures (the
narrative and the tables file of one Jiangsu budget) read into a real SQLite store: quiet as
printed, and reported on a copy with the narrative figure changed in the test.

* "江苏省委办公厅2019年度财政拨款收、支总预算27664.22万元": the clause was cut at the 、 of
  收、支, so it named nothing; it is the 财政拨款收支预算总表's total.
* "省委办公厅 2017 年一般公共预算财政拨款支出预算20702.25 万元": the publisher named by the
  last words of its name ("江苏省委办公厅"), then its year.
* "江苏省委办公厅本年收入预算合计27664.22万元": this year's income, which the 收支预算总表
  prints as "当年收入小计".
* "3.其他资金收入预算总计 80 万元": the row 其他资金, not a part of the 收入预算总计.
* "（3）电费（款）支出 10 万元": a two-character item of the 基本支出表, kept by its 科目 code
  ("30206 电费").

And narrative.project_funds: "共 6 个项目实行绩效目标管理，涉及财政性资金合计 4481.3 万元" (a
合计 between the words and the figure) is bounded by the 项目支出 the tables print, but not
"实行整体支出绩效目标管理，涉及财政性资金合计 37188.34 万元", which is all the spending.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from calc.audit import audit_disclosure
from store.store import Store
from tests.corpus_cache import read_corpus_document
from tests.test_audit_rules import _edit_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jiangsu"
PARTY_2019 = "jiangsu-party-office-2019-dept-budget"
PARTY_2017 = "jiangsu-party-office-2017-dept-budget"
CPPCC_2019 = "jiangsu-cppcc-office-2019-dept-budget"
CPPCC_2017 = "jiangsu-cppcc-office-2017-dept-budget"
NARRATIVES = (PARTY_2019, PARTY_2017, CPPCC_2019, CPPCC_2017)
COURT_2018 = "jiangsu-high-court-2018-dept-budget"  # narrative and tables in one file
COURT_2019 = "jiangsu-high-court-2019-dept-budget"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('round10') / 'round10.sqlite'}")
    for doc in NARRATIVES:
        for name in (doc, f"{doc}-tables"):
            store.replace_document(read_corpus_document(CORPUS / f"{name}.pdf"))
    for doc in (COURT_2018, COURT_2019):
        store.replace_document(read_corpus_document(CORPUS / f"{doc}.pdf"))
    return store


def _amounts(store, doc: str, old: str | None = None, new: str | None = None):
    """narrative.amount findings of the disclosure (narrative and tables files), with the
    narrative's `old` text printed as `new` when given."""
    docs = [store.document(doc), store.document(f"{doc}-tables")]
    passages = store.passages(doc)
    if old is not None:
        assert old in " ".join(p.text for p in passages)
        passages = _edit_text(passages, old, new)
    report = audit_disclosure(docs, {d.id: store.parsed_tables(d.id) for d in docs},
                              {doc: passages, f"{doc}-tables": []})
    return [f for f in report.findings if f.rule == "narrative.amount"]


def _figure(text: str) -> str:
    return re.findall(r"\d[\d,.]*", text)[-1]


def _citing(findings, printed: str):
    return [f for f in findings if any(printed in (c.value or "") for c in f.operands
                                       if c.kind == "passage")]


@pytest.mark.parametrize("doc, old, new, table, row", [
    (PARTY_2019, "收、支总预算27664.22万元", "收、支总预算27664.21万元", "财政拨款收支预算总表", None),
    (PARTY_2017, "财政拨款支出预算20702.25 万元", "财政拨款支出预算20702.24 万元", "一般公共预算支出预算表",
     None),
    (PARTY_2019, "本年收入预算合计27664.22万元", "本年收入预算合计27664.21万元", "收支预算总表", "当年收入小计"),
])
def test_a_total_named_otherwise_is_tied_to_its_table(store, doc, old, new, table, row):
    assert not _citing(_amounts(store, doc), _figure(old))
    [f] = _citing(_amounts(store, doc, old, new), _figure(new))
    assert f.expected - f.found == Decimal("0.01")
    [cell] = [c for c in f.operands if c.kind == "cell"]
    assert table in cell.table and (row is None or cell.row == row)


def test_a_total_named_otherwise_changed_tenfold_is_an_error(store):
    [f] = _citing(_amounts(store, PARTY_2017, "财政拨款支出预算20702.25 万元",
                           "财政拨款支出预算2070.23 万元"), "2070.23")
    assert f.severity == "error" and f.expected == Decimal("20702.25")


def test_a_row_named_before_a_measure_word_is_that_row(store):
    assert not _citing(_amounts(store, CPPCC_2019), "80 万元")
    [f] = _citing(_amounts(store, CPPCC_2019, "其他资金收入预算总计 80 万元",
                           "其他资金收入预算总计 800 万元"), "800")
    assert f.severity == "error" and (f.expected, f.found) == (Decimal("80"), Decimal("800"))
    [cell] = [c for c in f.operands if c.kind == "cell"]
    assert cell.row.endswith("其他资金")


def test_a_two_character_item_with_its_code_is_tied_to_its_row(store):
    assert not _citing(_amounts(store, CPPCC_2017), "10 万元")
    [f] = _citing(_amounts(store, CPPCC_2017, "（3）电费（款）支出 10 万元",
                           "（3）电费（款）支出 11 万元"), "11")
    assert (f.expected, f.found) == (Decimal("10"), Decimal("11"))
    [cell] = [c for c in f.operands if c.kind == "cell"]
    assert cell.row == "电费" and "基本支出" in cell.table


def _project_funds(store, doc: str, old: str | None = None, new: str | None = None):
    passages = store.passages(doc)
    if old is not None:
        passages = _edit_text(passages, old, new)
    report = audit_disclosure([store.document(doc)], {doc: store.parsed_tables(doc)},
                              {doc: passages})
    return [f for f in report.findings if f.rule == "narrative.project_funds"]


def test_project_funds_with_a_total_word_before_the_figure_are_bounded(store):
    assert "涉及财政性资金合计 4481.3 万元" in " ".join(p.text for p in store.passages(COURT_2018))
    assert not _project_funds(store, COURT_2018)
    [f] = _project_funds(store, COURT_2018, "资金合计 4481.3 万元", "资金合计 44813.0 万元")
    assert f.severity == "error" and f.found == Decimal("44813.0")
    [cell] = [c for c in f.operands if c.kind == "cell"]
    assert cell.value == "11,343.27"  # the 项目支出 of the 支出预算总表


def test_funds_of_the_whole_spending_are_no_project_funds(store):
    text = " ".join(p.text for p in store.passages(COURT_2019))
    assert "实行整体支出绩效目标管理，涉及财政性资金合计 37188.34 万元" in text
    assert not _project_funds(store, COURT_2019)
