"""Project, performance-target, 决算 and 政府决算 tables on real corpus PDFs: measures, scopes,
units of projects and indicator targets (no mocks; only the pages of the table are read)."""

from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from calc.reconcile import reconcile_errors
from ingest.column_measures import annotate_measures, column_measure, scope_of
from ingest.hierarchy import assign_bodies, is_body_table
from ingest.performance_targets import parse_target
from ingest.pdf_tables import read_tables
from store.store import Store

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
BEIJING = CORPUS / "beijing" / "beijing-finance-bureau-2026-dept-budget-tables.pdf"
CHONGQING = CORPUS / "chongqing" / "chongqing-gov-general-office-2026-dept-budget.pdf"
NINGXIA = CORPUS / "ningxia" / "ningxia-2024-gov-final-account.pdf"
SHENZHEN = CORPUS / "guangdong" / "shenzhen-planning-resources-yantian-office-2026-dept-budget.pdf"


class _Pages:
    """A pdfplumber document cut to some pages, so a test reads only the table it checks."""

    def __init__(self, pdf, first: int, last: int):
        self.pages = pdf.pages[first - 1:last]


@lru_cache(maxsize=None)
def tables_of(path: Path, first: int, last: int):
    """Tables of pages first..last as ingest annotates them (bodies, measures, scopes)."""
    with pdfplumber.open(path) as pdf:
        tables, _, _ = read_tables(_Pages(pdf, first, last))
    return [annotate_measures(replace(t, rows=tuple(assign_bodies(list(t.rows)))
                                      if is_body_table(t.title) else t.rows)) for t in tables]


def find(tables, title_part):
    found = [t for t in tables if title_part in t.title]
    assert found, [t.title for t in tables]
    return found[0]


def row_named(table, label):
    found = [r for r in table.rows if r.label == label]
    assert found, [r.label for r in table.rows]
    return found[0]


def cell_of(row, column_leaf):
    found = [c for c in row.cells if c.column.split("/")[-1] == column_leaf]
    assert found, [c.column for c in row.cells]
    return found[0]


# -- measures of column headers -------------------------------------------------------------

@pytest.mark.parametrize("path, title, measure", [
    ("决算数", "2024年全区一般公共预算收入决算表", "决算数"),
    ("调整预算数", "2024年自治区本级一般公共预算收入决算表", "调整预算"),
    ("决算数为调整预算数的%", "2024年自治区本级一般公共预算收入决算表", "完成%"),
    ("决算数为上年决算数的%", "2024年全区一般公共预算收入决算表", "为上年%"),
    ("比上年增长%", "2026年州本级一般公共预算支出预算表", "比上年增长%"),
    ("2025年执行数", "2026年州本级一般公共预算收入预算表", "上年决算"),
    ("2026年预算数/合计", "2026年部门支出预算表", "预算数"),
    ("上年结余、结转", "2026年部门收支预算表", "年初结转和结余"),
    ("年末结转和结余", "2024年部门收入支出决算表", "年末结转和结余"),
    ("基本支出/人员经费", "2024年部门支出决算表", "决算数"),
    ("支出/一般公共预算", "2024年部门支出决算表", "决算数"),  # a fund, not a measure
    ("年初预算数/合计", "2024年财政拨款支出决算表", "年初预算"),
    ("比上年增、减情况/增、减金额", "2026年州本级“三公”经费预算财政拨款情况统计表", "比上年增减"),
    ("执行率（B/A）", "2022年病媒生物防制项目绩效自评表", "完成%"),
])
def test_column_measure_reads_the_header_then_the_title(path, title, measure):
    assert column_measure(path, title) == measure


@pytest.mark.parametrize("text, scope", [
    ("2024年全区一般公共预算收入决算表", "全域"),
    ("2024年自治区本级一般公共预算收入决算表", "本级"),
    ("2024年各市县一般公共预算收入决算表", "市县"),
    ("2026年部门收支总表", ""),
])
def test_scope_of_titles(text, scope):
    assert scope_of(text) == scope


@pytest.mark.parametrize("printed, unit, comparator, expected", [
    ("≥13459.00(平方米)", "", "", ("≥", Decimal("13459.00"), "平方米")),
    ("≥50亿元", "", "", ("≥", Decimal("50"), "亿元")),
    ("98", "%", "≥", ("≥", Decimal("98"), "%")),
    ("100", "%", "＝", ("=", Decimal("100"), "%")),
    ("优", "", "定性", ("定性", None, "")),
])
def test_parse_target(printed, unit, comparator, expected):
    target = parse_target(printed, unit, comparator)
    assert (target.comparator, target.value, target.unit) == expected


# -- 政府决算: Ningxia 表一 -------------------------------------------------------------------

def test_ningxia_table_one_measures_scope_and_hierarchy_reconcile():
    table = find(tables_of(NINGXIA, 3, 3), "全区一般公共预算收入决算表")
    assert table.scope == "全域"
    assert reconcile_errors(table) == []
    taxes, vat = row_named(table, "税收收入"), row_named(table, "增值税")
    assert table.rows[vat.parent] is taxes and vat.level == taxes.level + 1
    # 全区一般公共预算收入 is printed after its parts 税收收入 and 非税收入: their parent.
    whole = row_named(table, "全区一般公共预算收入")
    # 税收收入 and 非税收入 have parts of their own: they stay the 类 (level 1) and the
    # subtotal over them stands apart from the levels, as a total does.
    assert (whole.level, taxes.level) == (0, 1) and table.rows[taxes.parent] is whole
    assert table.rows[row_named(table, "非税收入").parent] is whole
    final = cell_of(taxes, "决算数")
    assert (final.measure, final.value, final.page) == ("决算数", Decimal("3589402"), 3)
    assert final.bbox is not None
    assert cell_of(taxes, "预算数").measure == "预算数"
    done = cell_of(taxes, "决算数为预算数的%")
    assert (done.measure, done.value, done.unit) == ("完成%", Decimal("94.6"), "%")
    # The children of 税收收入 add up to it in the 决算数 column, to the 万元.
    children = [r for r in table.rows if r.parent == table.rows.index(taxes)]
    assert sum(cell_of(r, "决算数").value or 0 for r in children) == final.value


def test_ningxia_levels_of_government_are_table_scopes():
    tables = tables_of(NINGXIA, 4, 5)
    assert find(tables, "自治区本级一般公共预算收入决算表").scope == "本级"
    county = find(tables, "各市县一般公共预算收入决算表")
    assert county.scope == "市县"
    assert cell_of(row_named(county, "税收收入"), "调整预算数").measure == "调整预算"


# -- project tables: the unit as the row's body -------------------------------------------------

def test_shenzhen_projects_carry_their_unit_across_pages():
    table = find(tables_of(SHENZHEN, 24, 25), "项目支出总表")
    assert table.pages == (24, 25)  # the title printed again on p.25 continues the table
    unit = "深圳市规划和自然资源局盐田管理局"
    forestry = row_named(table, "林业管理")
    assert forestry.body == unit and table.rows[forestry.parent].label == unit
    grant = cell_of(forestry, "一般公共预算拨款")
    assert (grant.value, grant.page, grant.column) == (
        Decimal("174.82"), 24, "2026年预算/财政拨款/一般公共预算拨款")
    assert row_named(table, "综合管理").body == unit  # on the next page
    assert reconcile_errors(table) == []


# -- performance-target tables --------------------------------------------------------------

def test_beijing_project_money_and_its_indicators():
    table = find(tables_of(BEIJING, 17, 17), "项目支出绩效目标表")
    project = row_named(table, "11000022T000000455794-评审工作经费")
    money = cell_of(project, "财政资金")
    assert (money.value, money.page, money.column) == (Decimal("839.000000"), 17, "其中：/财政资金")
    count = row_named(table, "评审项目数量")
    target = count.cells[0]
    assert (target.value, target.unit, target.comparator, target.measure) == (
        Decimal("420"), "个", "≥", "指标值")
    assert target.page == 17 and target.bbox is not None
    assert count.level == 3 and table.rows[count.parent] is project
    assert dict(count.qualifiers) == {"一级指标": "产出指标", "二级指标": "数量指标",
                                      "项目名称": "11000022T000000455794-评审工作经费"}
    # Printed level with the project's own row, three indicators were once one row.
    period = row_named(table, "项目持续发挥作用的期限").cells[0]
    assert (period.comparator, period.value, period.unit) == ("=", Decimal("1"), "年")
    words = [r for r in table.rows if r.label.startswith("提高财政资金使用效益")][0].cells[0]
    assert (words.comparator, words.value, words.printed) == ("定性", None, "优")


def test_beijing_project_cut_by_the_page_keeps_its_name_and_money():
    # "11000022T000000456408-企业财务会计决算报表工作服务 67.700000" spans pp.17–18: on p.17
    # it is printed below the last rule (out of view), on p.18 again, where it shows.
    table = find(tables_of(BEIJING, 17, 18), "项目支出绩效目标表")
    project = row_named(table, "11000022T000000456408-企业财务会计决算报表工作服务")
    money = cell_of(project, "财政资金")
    assert (money.value, money.page) == (Decimal("67.700000"), 18)
    time = row_named(table, "审核汇总数据完成时间")
    assert table.rows[time.parent] is project
    assert [r.label for r in table.rows if r.parent is None] == [
        "11000022T000000455794-评审工作经费", "11000022T000000456408-企业财务会计决算报表工作服务",
        "11000022T000000456476-财政监督业务服务", "11000022T000000456725-决算管理工作服务"]


def test_chongqing_indicator_with_its_own_unit():
    table = find(tables_of(CHONGQING, 24, 24), "一般性项目绩效目标表")
    visits = row_named(table, "市政府门户网站和政务新媒体访问量").cells[0]
    assert (visits.comparator, visits.value, visits.unit) == ("≥", Decimal("2000"), "万人次")
    project = table.rows[row_named(table, "市政府网络可用率").parent]
    assert cell_of(project, "当年财政拨款预算金额").value == Decimal("8534.17")


def test_new_fields_survive_the_store(tmp_path):
    from budgetqa.domain import Document, ParsedDocument

    tables = tuple(find(tables_of(*args), part) for args, part in (
        ((NINGXIA, 3, 3), "全区一般公共预算收入决算表"),
        ((SHENZHEN, 24, 25), "项目支出总表"),
        ((BEIJING, 17, 17), "项目支出绩效目标表")))
    doc = Document(id="t", title="t", publisher="p", year=2024, kind="部门决算",
                   source_file="t.pdf", sha256="0", pages=1)
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.replace_document(ParsedDocument(document=doc, tables=tables, passages=()))
    def facts(table):  # boxes are stored to 0.1 pt; a cell's unit is its own, else the table's
        return [(r.label, r.body, r.level, r.parent, r.qualifiers,
                 [(c.column, c.value, c.measure, c.scope, c.unit or table.unit, c.comparator)
                  for c in r.cells])
                for r in table.rows]

    assert [facts(t) for t in store.parsed_tables("t")] == [facts(t) for t in tables]
    assert [t.scope for t in store.parsed_tables("t")] == ["全域", "", ""]
    cells = store.cells("t")
    done = next(c for c in cells if c.row_label == "税收收入" and c.measure == "完成%")
    assert (done.unit, done.scope, done.value) == ("%", "全域", Decimal("94.6"))
    assert next(c for c in cells if c.row_label == "林业管理").row_body == "深圳市规划和自然资源局盐田管理局"
    target = next(c for c in cells if c.row_label == "评审项目数量")
    assert (target.comparator, target.unit) == ("≥", "个")


# -- 部门决算: Foshan rail transit bureau ----------------------------------------------------

FOSHAN = CORPUS / "guangdong" / "foshan-rail-transit-bureau-2019-final-account.pdf"


def test_foshan_final_account_row_numbers_are_not_amounts_and_totals_reconcile():
    tables = tables_of(FOSHAN, 5, 11)
    summary = find(tables, "收入支出决算总表")
    assert not any("栏" in r.label for r in summary.rows)  # the spaced-out "栏 次" row is dropped
    income = row_named(summary, "一、一般公共预算财政拨款收入")
    assert dict(income.qualifiers)["收入/行次"] == "1"  # 行次 is a row number, not a column of money
    assert [c.column for c in income.cells] == ["收入/决算数"]
    spending = find(tables, "支出决算表")
    assert spending.pages == (10, 11)
    assert [r.label for r in spending.rows].count("合计") == 1  # printed again on p.11
    housing = row_named(spending, "住房改革支出")
    assert spending.rows[housing.parent].label == "住房保障支出"
    for table in (summary, spending, find(tables, "收入决算表")):
        assert reconcile_errors(table) == [], table.title


# -- 政府预算: Diqing prefecture -----------------------------------------------------------

DIQING = CORPUS / "yunnan" / "diqing-prefecture-2026-gov-budget.pdf"


def test_diqing_revenue_over_two_pages_nests_by_indent_and_subtotal():
    table = find(tables_of(DIQING, 4, 5), "迪庆州一般公共预算收入情况表")
    assert table.pages == (4, 5)  # title and header printed again on p.5
    assert reconcile_errors(table) == []
    # printed letter-spaced ("各 项 收 入 合 计"), stored as written: a total like any other
    assert any(r.label == "各项收入合计" for r in table.rows)
    assert not any("全 州" in r.label for t in tables_of(DIQING, 4, 5) for r in t.rows)
    transfers = row_named(table, "转移性收入")
    surplus = row_named(table, "上年结余收入")
    assert table.rows[surplus.parent] is transfers
    last_year = cell_of(surplus, "2025年执行数")
    assert (last_year.measure, last_year.value) == ("上年决算", Decimal("273719"))
    growth = cell_of(transfers, "预算数比上年执行数增长%")
    assert (growth.measure, growth.unit, growth.value) == ("比上年增长%", "%", Decimal("-5.1"))
    # a row whose name wraps to a second line further left keeps its place under its parent
    state = tables_of(DIQING, 47, 47)[0]
    assert reconcile_errors(state) == []


# -- 部门决算 of a commission over 28 units: Xi'an health commission ---------------------------

XIAN = CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf"


def test_xian_carry_over_row_is_the_parent_of_its_funds():
    table = find(tables_of(XIAN, 153, 153), "财政拨款收入支出决算总表")
    carried = row_named(table, "年初结转和结余")
    funds = [r for r in table.rows if r.parent == table.rows.index(carried)]
    assert [r.label for r in funds][:2] == ["一般公共预算财政拨款", "政府性基金预算财政拨款"]
    assert sum(cell_of(r, "金额").value or 0 for r in funds) == cell_of(carried, "金额").value
    assert reconcile_errors(table) == []


def test_diqing_place_named_tables_cover_the_whole_territory():
    from ingest.column_measures import whole_territory

    tables = whole_territory(tables_of(DIQING, 4, 9))
    assert find(tables, "迪庆州一般公共预算收入情况表").scope == "全域"
    assert find(tables, "州本级一般公共预算收入情况表").scope == "本级"


def test_ningxia_rows_listed_under_qizhong_are_parts_of_their_fund():
    table = find(tables_of(NINGXIA, 102, 102), "全区社会保险基金收入决算表")
    fund = row_named(table, "企业职工基本养老保险基金")
    parts = [r.label for r in table.rows if r.parent == table.rows.index(fund)]
    assert parts == ["其中：保险费收入", "财政补贴收入", "利息收入", "委托投资收益"]
    assert all(r.level == 0 for r in table.rows if r.parent == table.rows.index(fund))
    assert reconcile_errors(table) == []  # the 合计 counts each fund once, not its parts


def test_xian_self_evaluation_form_reads_target_and_achieved_value():
    table = find(tables_of(XIAN, 55, 55), "病媒生物防制项目绩效自评表")
    cost = row_named(table, "全年项目经费支出")  # printed "指标1：全年项目经费支出"
    target, done, points, score = cost.cells
    assert (target.column, target.measure, target.value, target.unit) == (
        "年度指标值", "指标值", Decimal("240"), "万元")
    assert (done.measure, done.value, done.unit) == ("实际完成值", Decimal("229.19"), "万元")
    assert (points.column, points.value, score.column, score.value) == (
        "分值", Decimal("12.5"), "得分", Decimal("12.5"))
    assert dict(cost.qualifiers)["项目名称"] == "2022年病媒生物防制"
    assert dict(cost.qualifiers)["二级指标"] == "成本指标" and cost.level == 3
    satisfied = row_named(table, "群众满意率").cells[0]
    assert (satisfied.comparator, satisfied.value, satisfied.unit, satisfied.page) == ("≥", Decimal("90"), "%", 55)


def test_diqing_comparator_printed_a_line_above_its_indicator():
    table = tables_of(DIQING, 66, 66)[0]
    count = row_named(table, "学生享受数")
    target = count.cells[0]
    assert (target.comparator, target.value, target.unit) == ("=", Decimal("43628"), "人")
    assert dict(count.qualifiers) == {"一级指标": "产出指标", "二级指标": "数量指标",
                                      "项目名称": "学生平安保险经费"}
    assert row_named(table, "政策知晓率").cells[0].comparator == "≥"  # printed ">="


def test_xian_self_evaluation_money_block_is_rows_with_named_columns():
    table = find(tables_of(XIAN, 60, 60), "采供血人员经费项目绩效自评表")
    total = row_named(table, "年度资金总额")
    assert dict(total.qualifiers)["项目名称"] == "采供血人员经费项目"
    assert dict(total.qualifiers)["实施单位"] == total.body == "西安市中心血站"
    assert cell_of(total, "年初预算数").value == Decimal("3800")
    budget, spent = cell_of(total, "全年预算数（A）"), cell_of(total, "全年执行数（B）")
    assert (budget.value, spent.value, spent.measure) == (Decimal("5166.99"), Decimal("5166.99"), "决算数")
    rate = cell_of(total, "执行率（B／A）")  # one level of the column path, not two
    assert (rate.value, rate.unit, rate.measure) == (Decimal("100"), "%", "完成%")
    assert (cell_of(total, "得分").value, cell_of(total, "得分").unit) == (Decimal("10"), "分")
    grant = row_named(table, "其中：当年财政拨款")
    assert cell_of(grant, "年初预算数").value == Decimal("3800")
    # no row is another's parent: the totals check finds nothing the form never meant to add up
    assert all(r.parent is None for r in table.rows) and reconcile_errors(table) == []
    satisfied = row_named(table, "全站职工满意度")
    assert (satisfied.level, dict(satisfied.qualifiers)["项目名称"]) == (3, "采供血人员经费项目")
    assert cell_of(satisfied, "得分").value == Decimal("9")
    # the 总分 row holds the project's score
    assert cell_of(row_named(table, "总分"), "得分").value == Decimal("99")
    # no goal text or header folded into a row
    assert not any("项目资金" in r.label or "预期目标" in r.label for r in table.rows)


def test_xian_self_evaluation_indicator_takes_the_unit_its_name_prints():
    table = find(tables_of(XIAN, 132, 132), "高铁新城院区")
    income = row_named(table, "预计运营收入（亿元）").cells[0]
    assert (income.value, income.unit) == (Decimal("21.59"), "亿元")


def test_ningxia_expenditure_classes_by_indent_over_pages():
    """A 决算 without 科目编码: 类, 款 and 项 by indent, also on pages that begin under a 款."""
    table = find(tables_of(NINGXIA, 6, 9), "全区一般公共预算支出决算表")
    general = row_named(table, "一般公共服务支出")
    congress = row_named(table, "人大事务")
    assert (general.level, congress.level) == (1, 2) and table.rows[congress.parent] is general
    # 统计信息事务 is the first row of p.7, printed under 一般公共服务支出 of p.6
    statistics = row_named(table, "统计信息事务")
    assert (statistics.page, statistics.level) == (7, 2) and table.rows[statistics.parent] is general
    running = next(r for r in table.rows if r.label == "行政运行")
    assert running.level == 3 and table.rows[running.parent] is congress
    assert [r.label for r in table.rows if r.level == 1][:2] == ["一般公共服务支出", "国防支出"]


def test_xian_department_form_over_two_pages_tasks_indicators_and_total_score():
    tables = tables_of(XIAN, 30, 31)
    form = find(tables, "部门整体支出绩效自评表")
    assert form.pages == (30, 31) and all(t.title for t in tables)  # no untitled piece of p.31
    health = row_named(form, "公立医院")
    assert dict(health.qualifiers)["部门名称"] == "西安市卫生健康委员会"
    spent = next(c for c in health.cells if c.column == "全年执行数（万元）/总额")
    assert (spent.value, spent.measure) == (Decimal("1295897.69"), "决算数")
    assert cell_of(health, "执行率").value == Decimal("76.19")
    assert reconcile_errors(replace(form, rows=tuple(r for r in form.rows if r.level == 0))) == []
    talent = row_named(form, "引进高层次人次")  # printed "指标8：引进高层次人次", p.31
    assert (talent.page, cell_of(talent, "得分").value) == (31, Decimal("1.5"))
    assert cell_of(row_named(form, "总分"), "得分").value == Decimal("99.5")


def test_ningxia_dashes_are_blank_figures_not_a_text_column():
    """项 rows print "-" for 预算数 and 完成%: the columns stay amounts, one side, four columns."""
    table = find(tables_of(NINGXIA, 6, 9), "全区一般公共预算支出决算表")
    assert [c.split("/")[-1] for c in table.columns] == [
        "预算数", "决算数", "决算数为预算数的%", "决算数为上年决算数的%"]
    running = next(r for r in table.rows if r.label == "行政运行")
    budget = cell_of(running, "预算数")
    assert (budget.printed, budget.value) == ("-", None)
    assert cell_of(row_named(table, "人大事务"), "预算数").value == Decimal("23967")
    assert not any(r.label.endswith("%") or r.label == "-" for r in table.rows)


def test_ningxia_debt_issue_rows_are_labelled_rows_in_the_tables_unit():
    # 表三十一 (p.107): 新增/再融资/置换 bonds issued, 还本 and 付息, 本地区 and 本级, 单位：万元.
    table = find(tables_of(NINGXIA, 107, 107), "地方政府债务发行及还本付息情况表")
    assert table.unit == "万元"
    issued = row_named(table, "三、2024年地方政府债务发行决算数（含国际金融组织和外国政府贷款）")
    parts = [r for r in table.rows if r.parent is not None and table.rows[r.parent] is issued]
    assert [r.label for r in parts] == [
        "新增一般债券发行额", "再融资一般债券发行额", "新增专项债券发行额", "再融资专项债券发行额",
        "置换一般债券发行额", "置换专项债券发行额", "国际金融组织和外国政府贷款"]
    refinanced = cell_of(row_named(table, "再融资专项债券发行额"), "本级")
    assert (refinanced.value, refinanced.scope, refinanced.page) == (Decimal("440000"), "本级", 107)
    assert cell_of(row_named(table, "置换一般债券发行额"), "本地区").value == Decimal("0")
    interest = row_named(table, "五、2024年地方政府债务付息决算数")
    assert cell_of(interest, "本地区").value == Decimal("770879")
    assert sum(cell_of(r, "本地区").value for r in table.rows if r.parent is not None
               and table.rows[r.parent] is interest) == Decimal("770879")
