"""The audit rules and readings added in the fourth round for the classes the planted-error
benchmark still missed, each on a real corpus document: quiet on the document as printed
(as far as the rule goes) and firing on a copy with one figure changed in the test.

Documents parsed once into a temporary store: the Jiangsu High Court 2017, 2018 and 2019 budgets
(changes against last year tied across the two disclosures, a change split into its
parts), the Jiangsu procuratorate 2018 budget (a 款 total over numbered 项 lines whose
names hold 、, a purchase total whose part is printed "268 万 元"), the Shaoxing 2024
budget (人员经费/公用经费 lines that run long) and the Foshan rail transit 2019 final
account ("本年收入" for the 收支总表's 本年收入合计), the Jiangsu CPPCC 2017 budget (a
类 line over its numbered 款 lines) and the Chongqing general office 2026 budget (a
purchase total with a remark before 其中).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calc.audit import audit_disclosure, group_disclosures, neighbour_disclosure
from store.store import Store
from tests.test_audit_families import _cites, _find, _rule, _set_cell
from tests.corpus_cache import read_corpus_document
from tests.test_audit_rules import _edit_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURT_2017 = "jiangsu-high-court-2017-dept-budget"
COURT_2018 = "jiangsu-high-court-2018-dept-budget"
COURT_2019 = "jiangsu-high-court-2019-dept-budget"
PROCURATORATE = "jiangsu-procuratorate-2018-dept-budget"
SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
FOSHAN = "foshan-rail-transit-bureau-2019-final-account"
CPPCC = "jiangsu-cppcc-office-2017-dept-budget"
CHONGQING = "chongqing-gov-general-office-2026-dept-budget"
FILES = {COURT_2017: "jiangsu", COURT_2018: "jiangsu", COURT_2019: "jiangsu", PROCURATORATE: "jiangsu",
         SHAOXING: "zhejiang", FOSHAN: "guangdong", CPPCC: "jiangsu", CHONGQING: "chongqing"}
ANY = ("error", "unit_slip", "minor", "rounding")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('round4') / 'round4.sqlite'}")
    for doc, folder in FILES.items():
        path = CORPUS / folder / f"{doc}.pdf"
        store.replace_document(read_corpus_document(path if path.exists() else path.with_suffix(".md")))
    return store


def _audit(store, doc, passages=None, last_year=None, next_year=None):
    return audit_disclosure([store.document(doc)], {doc: store.parsed_tables(doc)},
                            {doc: passages if passages is not None else store.passages(doc)},
                            last_year=last_year, next_year=next_year)


# -- changes against last year, tied to last year's disclosure ------------------------------

def test_the_two_court_years_are_neighbours(store):
    groups = group_disclosures(store.documents())
    court_2019 = next(g for g in groups if g[0].id == COURT_2019)
    court_2018 = next(g for g in groups if g[0].id == COURT_2018)
    assert [d.id for d in neighbour_disclosure(court_2019, groups, -1)] == [COURT_2018]
    assert [d.id for d in neighbour_disclosure(court_2018, groups, +1)] == [COURT_2019]
    assert neighbour_disclosure(court_2019, groups, +1) == []


def test_change_against_last_year_is_tied_to_last_years_disclosure(store):
    # 2019: "公务接待费预算支出 86.95 万元，比上年预算减少 97 万元"; 2018 printed 183.95.
    last_year = store.passages(COURT_2018)
    report = _audit(store, COURT_2019, last_year=last_year)
    assert not _rule(report, "narrative.prior_year_change", ANY)
    changed = _edit_text(store.passages(COURT_2019), "比上年预算减少 97 万元",
                         "比上年预算减少 79 万元")
    found = _rule(_audit(store, COURT_2019, changed, last_year=last_year),
                  "narrative.prior_year_change")
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].expected == Decimal("-97.00") and found[0].found == Decimal(-79)
    assert _cites(found[0], "79 万元") and _cites(found[0], "183.95")
    # Without last year's disclosure the rule has nothing to tie the change to.
    assert not _rule(_audit(store, COURT_2019, changed), "narrative.prior_year_change", ANY)


def test_a_change_with_its_rate_is_tied_too_and_the_printed_slip_found(store):
    # 2018: "法院（款）一般行政事务管理（项）支出 6049.97 万元，与上年相比减少 392.92 万元，
    # 减少 5.95%"; 2017 printed 6432.89: the change is 382.92 (which the 5.95% fits).
    found = _rule(_audit(store, COURT_2018, last_year=store.passages(COURT_2017)),
                  "narrative.prior_year_change")
    slip = [f for f in found if _cites(f, "392.92")]
    assert len(slip) == 1 and slip[0].expected == Decimal("-382.92")
    assert _cites(slip[0], "6432.89") and _cites(slip[0], "6049.97")


def test_last_years_figure_is_checked_from_next_years_change(store):
    # Auditing 2018 with 2019 beside it: 2018's own 会议费 271.26 changed to 217.26 no longer
    # fits 2019's "271.02 万元，比上年预算减少 0.24 万元".
    next_year = store.passages(COURT_2019)
    assert not _rule(_audit(store, COURT_2018, next_year=next_year),
                     "narrative.prior_year_change", ANY)
    changed = _edit_text(store.passages(COURT_2018), "会议费预算支出 271.26 万元",
                         "会议费预算支出 217.26 万元")
    found = _rule(_audit(store, COURT_2018, changed, next_year=next_year),
                  "narrative.prior_year_change")
    assert len(found) == 1 and _cites(found[0], "217.26")


def test_a_unit_slip_in_the_change_is_graded_as_one(store):
    last_year = store.passages(COURT_2018)
    changed = _edit_text(store.passages(COURT_2019), "比上年预算减少 10万元", "比上年预算减少 10元")
    found = _rule(_audit(store, COURT_2019, changed, last_year=last_year),
                  "narrative.prior_year_change")
    assert [f.severity for f in found] == ["unit_slip"]


# -- listed parts ---------------------------------------------------------------------------

def test_numbered_items_of_a_total_add_up_to_it(store):
    # "检察（款）: 2018 年预算支出合计 16,444.36 万元。其中：1．行政运行… 10,883.36 …
    # 2．…3,666 … 3．公诉、审判、侦查、执行等检察监督支出（项） 1,895万元"
    report = _audit(store, PROCURATORATE)
    assert not [f for f in _rule(report, "narrative.parts_sum", ANY) if _cites(f, "16,444.36")]
    changed = _edit_text(store.passages(PROCURATORATE), "16,444.36", "16,944.36")
    found = [f for f in _rule(_audit(store, PROCURATORATE, changed), "narrative.parts_sum")
             if _cites(f, "16,944.36")]
    assert len(found) == 1 and found[0].expected == Decimal("16444.36")
    # Items printed to the 万元 leave a slip in the last place within their rounding.
    changed = _edit_text(store.passages(PROCURATORATE), "16,444.36", "16,444.37")
    found = [f for f in _rule(_audit(store, PROCURATORATE, changed), "narrative.parts_sum", ANY)
             if _cites(f, "16,444.37")]
    assert [f.severity for f in found] == ["rounding"]


def test_a_part_printed_with_a_space_inside_its_unit_is_read(store):
    # "政府采购支出预算总额 3,096.24 万元。其中：…货物支出 268 万 元、…服务支出2,828.24 万元"
    report = _audit(store, PROCURATORATE)
    assert not [f for f in _rule(report, "narrative.parts_sum", ANY) if _cites(f, "3,096.24")]
    for slip in ("3,906.24", "3,069.24"):  # above and below its parts (货物 and 服务: all)
        changed = _edit_text(store.passages(PROCURATORATE), "3,096.24", slip)
        found = [f for f in _rule(_audit(store, PROCURATORATE, changed), "narrative.parts_sum")
                 if _cites(f, slip)]
        assert len(found) == 1 and _cites(found[0], "268 万 元")


def test_long_item_lines_are_parts(store):
    # "基本支出 1730.10 万元，其中：" over "人员经费 1462.07 万元，主要包括：…；" and
    # "公用经费 268.03 万元，主要包括：…。"
    report = _audit(store, SHAOXING)
    assert not [f for f in _rule(report, "narrative.parts_sum", ANY) if _cites(f, "1730.10")]
    changed = _edit_text(store.passages(SHAOXING), "公用经费 268.03", "公用经费 2680.30")
    found = [f for f in _rule(_audit(store, SHAOXING, changed), "narrative.parts_sum")
             if _cites(f, "2680.30")]
    assert len(found) == 1 and found[0].severity == "error"


def test_change_parts_count_project_funds_as_project_spending(store):
    # "财政拨款支出增加 4016.19万元…主要原因是基本支出增加…3397.18 万元、项目经费支出安排减少
    # 1134.33 万元、单位预留机动经费增加 1753.34 万元"
    report = _audit(store, COURT_2019)
    assert not [f for f in _rule(report, "narrative.change_parts", ANY) if _cites(f, "1753.34")]
    changed = _edit_text(store.passages(COURT_2019), "1753.34", "17533.40")
    found = [f for f in _rule(_audit(store, COURT_2019, changed), "narrative.change_parts")
             if _cites(f, "17533.40")]
    assert len(found) == 1 and found[0].severity == "error"


# -- a total row under its name without 合计 ------------------------------------------------

def test_this_years_income_is_the_tables_income_total(store):
    # "总收入 1668.14 万元，其中本年收入 1668.14 万元" and the 收支总表's 本年收入合计.
    report = _audit(store, FOSHAN)
    assert not [f for f in _rule(report, "narrative.amount", ANY) if _cites(f, "1668.14")]
    changed = _edit_text(store.passages(FOSHAN), "其中本年收入 1668.14", "其中本年收入 1661.84")
    found = [f for f in _rule(_audit(store, FOSHAN, changed), "narrative.amount")
             if _cites(f, "1661.84")]
    assert len(found) == 1 and found[0].expected == Decimal("1668.14")


def test_an_unnumbered_line_ending_with_its_amount_heads_the_numbered_lines(store):
    # "商品和服务支出（类）1,131.92 万元" over "（1）办公费（款）支出 110 万元。…" … (13 items).
    report = _audit(store, CPPCC)
    assert not [f for f in _rule(report, "narrative.parts_sum", ANY) if _cites(f, "1,131.92")]
    changed = _edit_text(store.passages(CPPCC), "办公费（款）支出 110 万元", "办公费（款）支出 1100 万元")
    found = [f for f in _rule(_audit(store, CPPCC, changed), "narrative.parts_sum")
             if _cites(f, "1100 万元")]
    assert len(found) == 1 and found[0].found == Decimal("1131.92")


def test_a_remark_may_stand_between_a_total_and_its_list(store):
    # "政府采购预算总额 4,542.69 万元，均为一般公共预算拨款，其中：货物 110 万元、工程 0 万元、
    # 服务 4,432.69 万元"
    report = _audit(store, CHONGQING)
    assert not [f for f in _rule(report, "narrative.parts_sum", ANY) if _cites(f, "4,542.69")]
    changed = _edit_text(store.passages(CHONGQING), "4,432.69", "4,423.69")
    found = [f for f in _rule(_audit(store, CHONGQING, changed), "narrative.parts_sum")
             if _cites(f, "4,423.69")]
    assert len(found) == 1 and found[0].expected == Decimal("4533.69")


# -- code-less purchase tables: the row that closes a block ---------------------------------

def test_a_row_larger_than_its_section_is_cited_as_the_block_breaks(store):
    # 政府采购预算表: "三、服务C 3,139.76" over pairs such as "物业管理费 470.00 / 物业管理服务
    # 430.00 / 其他服务 40.00"; 470 → 4700 ends the block early, and the block no longer adds up.
    tables = store.parsed_tables(COURT_2018)
    t = _find(tables, title="政府采购预算表")
    report = _audit(store, COURT_2018)
    assert not _rule(report, "table.inferred_groups")
    row = next(k for k, r in enumerate(tables[t].rows) if r.label == "物业管理费")
    changed = _set_cell(tables, t, row, "总计", "4700.00")
    report = audit_disclosure([store.document(COURT_2018)], {COURT_2018: changed},
                              {COURT_2018: store.passages(COURT_2018)})
    found = [f for f in _rule(report, "table.inferred_groups") if _cites(f, "4700.00")]
    assert len(found) == 1 and found[0].found == Decimal("3139.76")
