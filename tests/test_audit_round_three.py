"""The audit rules and readings added for the classes the planted-error benchmark still
missed and for the misreadings AUDIT.md listed, each on a real corpus document: quiet on
the document as printed (as far as the rule goes) and firing on a copy with one figure
changed in the test.

Documents parsed once into a temporary store: the Diqing 2026 government budget (a 三公
table with rate columns and a "其中：（1）…（2）…" list), the Shenzhen Yantian office 2026
budget (a 基本支出总表 whose 工资福利 group is linked and whose other groups are not), the
Jiangsu CPPCC 2018 tables (a code-less 政府采购 table), the Shaoxing 2024 budget (a 绩效指标
table with weights), the Putuo finance bureau 2025 budget and the Beijing finance bureau 2026
budget narrative.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calc.audit import audit_disclosure
from store.store import Store
from tests.corpus_cache import read_corpus_document
from tests.test_audit_families import _cites, _find, _rule, _set_cell
from tests.test_audit_rules import _edit_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DIQING = "diqing-prefecture-2026-gov-budget"
YANTIAN = "shenzhen-planning-resources-yantian-office-2026-dept-budget"
CPPCC = "jiangsu-cppcc-office-2018-dept-budget-tables"
SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
FINANCE = "putuo-finance-bureau-2025-dept-budget"
BEIJING = "beijing-finance-bureau-2026-dept-budget"
FILES = {DIQING: "yunnan", YANTIAN: "guangdong", CPPCC: "jiangsu", SHAOXING: "zhejiang",
         FINANCE: "shanghai", BEIJING: "beijing"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('round3') / 'round3.sqlite'}")
    for doc, folder in FILES.items():
        path = CORPUS / folder / f"{doc}.pdf"
        store.replace_document(read_corpus_document(path if path.exists() else path.with_suffix(".md")))
    return store


def _audit(store, doc, tables=None, passages=None):
    return audit_disclosure([store.document(doc)],
                            {doc: tables if tables is not None else store.parsed_tables(doc)},
                            {doc: passages if passages is not None else store.passages(doc)})


def _row(table, label):
    return next(k for k, row in enumerate(table.rows) if row.label == label)


# -- 三公 statistics table: rate columns, and a numbered 其中 list -------------------------

def test_three_public_rates_and_listed_items_are_no_addends(store):
    # "合计 2,490 = 80 + 895 + 1515"; "其中：（1）公务用车购置费 600 / （2）公务用车运行费 915"
    # are parts of the 1515, and the 增、减幅度 column holds rates.
    tables = store.parsed_tables(DIQING)
    t = _find(tables, "三公经费表")
    report = _audit(store, DIQING)
    assert not [f for f in _rule(report, "table.three_public") + _rule(report, "table.total")
                if f.operands[0].table.endswith(tables[t].title)]
    run = _row(tables[t], "（2）公务用车运行费")
    changed = _set_cell(tables, t, run, "2026年预算数", "951")
    found = _rule(_audit(store, DIQING, changed), "table.three_public")
    assert [f.found for f in found] == [Decimal(1515)] and _cites(found[0], "951")
    reception = _row(tables[t], "2.公务接待费")
    changed = _set_cell(tables, t, reception, "2026年预算数", "859")
    found = _rule(_audit(store, DIQING, changed), "table.total")
    assert any(f.found == Decimal(2490) and f.expected == Decimal(2454) for f in found)


# -- code-less groups: linked groups inside a block, rounding inside groups ---------------

def _group_rules(report, severities=None):
    """Findings of the two rules that add a code-less group up: table.inferred_groups where
    the rows' levels are inferred from the figures, table.hierarchy where the parser linked
    them (by indentation since ingest version 2026.12.01-7)."""
    return [f for rule in ("table.inferred_groups", "table.hierarchy")
            for f in (_rule(report, rule, severities) if severities else _rule(report, rule))]


def test_body_row_adds_up_over_linked_and_inferred_groups(store):
    # 2,895.86 = 工资福利支出 2,165.21 + 商品和服务支出 425.88 (items adding to 425.89) +
    # 对个人和家庭的补助 304.77.
    tables = store.parsed_tables(YANTIAN)
    t = _find(tables, title="基本支出总表")
    assert not _group_rules(_audit(store, YANTIAN))
    rounding = _group_rules(_audit(store, YANTIAN), ("rounding",))
    assert any(f.operands[0].row == "商品和服务支出" and f.operands[0].table.endswith(tables[t].title)
               for f in rounding)
    r = _row(tables[t], "电费")
    changed = _set_cell(tables, t, r, "总计", "94.50")
    found = _group_rules(_audit(store, YANTIAN, changed))
    assert found and all(_cites(f, "94.50") for f in found)


def test_figure_larger_than_its_class_inside_the_block(store):
    # "一、货物A" over its items; "其他货物 40.51" made 405.10 is larger than the 类 but the
    # block goes on to "三、服务C": it is a slip inside the block, not a row after it.
    tables = store.parsed_tables(CPPCC)
    t = _find(tables, "政府采购")
    assert not _rule(_audit(store, CPPCC), "table.inferred_groups")
    r = _row(tables[t], "其他货物")
    changed = _set_cell(tables, t, r, tables[t].columns[0], "405.10")
    found = _rule(_audit(store, CPPCC, changed), "table.inferred_groups")
    assert found and all(_cites(f, "405.10") for f in found)


# -- 绩效指标 weights -----------------------------------------------------------------------

def test_indicator_weights_add_up_to_the_projects_weight(store):
    # Each project line prints 100 in 年度绩效指标权重 and its indicators' weights add up to it
    # (the first project prints no weight for 数据库维护次数: 95, a minor finding as printed).
    tables = store.parsed_tables(SHAOXING)
    t = _find(tables, title="部门绩效指标表")
    assert not _rule(_audit(store, SHAOXING), "table.performance_weights", ("error",))
    r = _row(tables[t], "食堂就餐人员")
    changed = _set_cell(tables, t, r, "年度绩效指标权重", "100")
    [finding] = _rule(_audit(store, SHAOXING, changed), "table.performance_weights", ("error",))
    assert finding.expected == Decimal(190)
    assert _cites(finding, "100")


# -- narrative: a change stated twice, project funds, asset thresholds --------------------

def test_one_amount_against_one_base_has_one_change(store):
    # "财政拨款收入3,121.42万元，比2024年预算增加107.62万元" and the 支出 sentences alike.
    passages = store.passages(FINANCE)
    assert not _rule(_audit(store, FINANCE), "narrative.restated_change")
    changed = _edit_text(passages, "比2024年预算增加107.62万元", "比2024年预算增加107.26万元")
    [finding] = _rule(_audit(store, FINANCE, passages=changed), "narrative.restated_change")
    assert _cites(finding, "107.26万元") and finding.expected == Decimal("107.62")


def test_project_funds_under_targets_within_the_project_spending(store):
    # "编报绩效目标的项目共4个，涉及项目预算资金598.46万元", below the 项目支出 total.
    passages = store.passages(FINANCE)
    assert not _rule(_audit(store, FINANCE), "narrative.project_funds")
    changed = _edit_text(passages, "涉及项目预算资金598.46万元", "涉及项目预算资金5984.60万元")
    [finding] = _rule(_audit(store, FINANCE, passages=changed), "narrative.project_funds")
    assert _cites(finding, "5984.60万元") and any(c.kind == "cell" for c in finding.operands)


def test_project_funds_of_all_projects_equal_the_project_spending(store):
    # "所有项目支出预算纳入部门预算绩效管理，涉及预算资金 1,732.21 万元" = 项目支出 1,732.21.
    passages = store.passages(YANTIAN)
    assert not _rule(_audit(store, YANTIAN), "narrative.project_funds")
    changed = _edit_text(passages, "涉及预算资金 1,732.21 万元", "涉及预算资金 1,732.12 万元")
    [finding] = _rule(_audit(store, YANTIAN, passages=changed), "narrative.project_funds")
    assert finding.expected == Decimal("1732.21")


def test_asset_thresholds_of_the_reporting_forms(store):
    # "单位价值 100 万元以上的设备 4 台（套）… 购置单位价值 100 万元以上的设备 0 台（套）".
    passages = store.passages(BEIJING)
    assert not _rule(_audit(store, BEIJING), "label.asset_threshold")
    changed = _edit_text(passages, "单位价值 100 万元以上的设备 0", "单位价值 1000 万元以上的设备 0")
    [finding] = _rule(_audit(store, BEIJING, passages=changed), "label.asset_threshold")
    assert finding.found == Decimal(1000) and _cites(finding, "1000万元")


# -- readings of totals and parents ----------------------------------------------------------

def test_parent_block_with_rows_whose_codes_were_lost(store):
    # 表1 收支总表: "三、城乡社区支出 279.43" over 21201 (15.23), two code-less rows
    # "城乡社区规划与管理 254.20" (a 款 and its 项) and 21208 (10.00).
    tables = store.parsed_tables(YANTIAN)
    t = _find(tables, title="收支总表")
    assert tables[t].title == "收支总表"
    report = _audit(store, YANTIAN)
    assert not [f for f in _rule(report, "table.hierarchy") if "城乡社区支出" in f.message]
    r = _row(tables[t], "城乡社区规划与管理")
    changed = _set_cell(tables, t, r, "支出/2026年预算数", "245.20")
    found = [f for f in _rule(_audit(store, YANTIAN, changed), "table.hierarchy")
             if "城乡社区支出" in f.message]
    assert found and _cites(found[0], "245.20")


def test_numbered_rows_after_an_unnumbered_row_are_its_parts(store):
    # 表6 财政拨款收支总表: "财政拨款 4,373.87 / 1.一般公共预算拨款 4,363.87 / 2.政府性基金
    # 预算拨款 10.00 / 3.… 0.00 / 本年收入合计 4,373.87".
    tables = store.parsed_tables(YANTIAN)
    t = _find(tables, title="财政拨款收支总表")
    assert not [f for f in _rule(_audit(store, YANTIAN), "table.total")
                if f.operands[0].table.endswith("财政拨款收支总表")]
    changed = _set_cell(tables, t, _row(tables[t], "财政拨款"), "收入/2026年预算数", "4,337.87")
    found = [f for f in _rule(_audit(store, YANTIAN, changed), "table.total")
             if f.operands[0].table.endswith("财政拨款收支总表")]
    assert found and _cites(found[0], "4,337.87")


def test_three_public_paragraph_adds_up(store):
    # "“三公”经费预算数为0.95万元，与2024年预算持平 … 因公出国（境）费0万元 … 公务用车购置费0万元
    # … 运行费0万元 … 公务接待费0.95万元，与2024年预算持平".
    passages = store.passages(FINANCE)
    assert not _rule(_audit(store, FINANCE), "narrative.three_public_parts")
    changed = _edit_text(passages, "公务接待费0.95万元", "公务接待费0.59万元")
    [finding] = _rule(_audit(store, FINANCE, passages=changed), "narrative.three_public_parts")
    assert finding.found == Decimal("0.95") and finding.expected == Decimal("0.59")
    assert _cites(finding, "0.59万元")
