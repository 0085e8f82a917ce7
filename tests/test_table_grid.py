"""Text grids into tables: headers, merged columns, split codes, side-by-side blocks, levels,
units inferred from other tables, and table kinds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from ingest.hierarchy import assign_levels, is_total, numbering_level
from ingest.kinds import KINDS, table_kind
from ingest.table_grid import column_paths, grid_to_table, join_code, split_header
from ingest.units import infer_missing_units

# The shape of a 支出总表 as disclosures print it: 科目编码 over 类/款/项, 基本支出 merged over
# 人员支出/公用经费, a "**/1/2/3" numbering row, 款 and 项 printed without their 类 prefix.
SPENDING_GRID = [
    ["科目编码", "", "", "科目名称", "总计", "基本支出", "", "项目支出"],
    ["类", "款", "项", "", "", "人员支出", "公用经费", ""],
    ["**", "", "", "", "1", "2", "3", "4"],
    ["", "", "", "合计", "1,500.00", "1,000.00", "300.00", "200.00"],
    ["201", "", "", "一般公共服务支出", "1500.00", "1000.00", "300.00", "200.00"],
    ["", "03", "", "政府办公厅（室）及相关机构事务", "1500.00", "1000.00", "300.00", "200.00"],
    ["", "", "01", "行政运行", "1300.00", "1000.00", "300.00", "-"],
    ["", "", "50", "事业运行", "200.00", "", "", "200.00"],
]

SUMMARY_GRID = [  # 收支总表: 收入 and 支出 side by side
    ["收入", "", "支出", ""],
    ["项目", "预算数", "项目", "预算数"],
    ["一般公共预算", "100.00", "一般公共服务支出", "80.00"],
    ["事业收入", "20.00", "住房保障支出", "40.00"],
    ["收入总计", "120.00", "支出总计", "120.00"],
]


def test_split_header_drops_the_numbering_row():
    header, body = split_header(SPENDING_GRID)
    assert header == SPENDING_GRID[:2]
    assert body[0][3] == "合计" and len(body) == 5


def test_column_paths_fold_merged_cells():
    paths = column_paths(SPENDING_GRID[:2], 8)
    assert paths[4:] == ["总计", "基本支出/人员支出", "基本支出/公用经费", "项目支出"]


@pytest.mark.parametrize("parts, previous, expected", [
    (["201", "", ""], [], "201"),
    (["", "03", ""], ["201"], "20103"),
    (["", "", "01"], ["201", "03"], "2010301"),
    (["208", "05", "05"], ["201", "03", "01"], "2080505"),
    (["2080505"], [], "2080505"),
])
def test_join_code(parts, previous, expected):
    assert join_code(parts, previous)[0] == expected


def test_join_code_keeps_the_prefix_for_the_next_row():
    code, inherited = join_code(["", "03", ""], ["201"])
    assert (code, inherited) == ("20103", ["201", "03"])
    assert join_code(["", "", ""], inherited) == ("", inherited)


def test_grid_to_table_spending():
    table = grid_to_table(SPENDING_GRID, title="2024年部门支出预算总表", unit="万元", pages=(3,))
    assert table.columns == ("总计", "基本支出/人员支出", "基本支出/公用经费", "项目支出")
    assert [(r.code, r.label, r.level, r.parent) for r in table.rows] == [
        ("", "合计", 0, None),
        ("201", "一般公共服务支出", 1, None),
        ("20103", "政府办公厅（室）及相关机构事务", 2, 1),
        ("2010301", "行政运行", 3, 2),
        ("2010350", "事业运行", 3, 2),
    ]
    total = {c.column: c for c in table.rows[0].cells}
    assert total["总计"].printed == "1,500.00" and total["总计"].value == Decimal("1500.00")
    assert type(total["总计"].value) is Decimal
    dash = {c.column: c for c in table.rows[3].cells}["项目支出"]
    assert (dash.printed, dash.value) == ("-", None)
    blank = {c.column: c for c in table.rows[4].cells}["基本支出/人员支出"]
    assert (blank.printed, blank.value) == ("", None)
    assert all(c.page == 3 for r in table.rows for c in r.cells)


def test_grid_to_table_splits_side_by_side_blocks():
    table = grid_to_table(SUMMARY_GRID, title="收支总表", unit="万元", pages=())
    assert table.columns == ("收入/预算数", "支出/预算数")
    assert [(r.label, r.cells[0].column, r.cells[0].value) for r in table.rows] == [
        ("一般公共预算", "收入/预算数", Decimal("100.00")),
        ("事业收入", "收入/预算数", Decimal("20.00")),
        ("收入总计", "收入/预算数", Decimal("120.00")),
        ("一般公共服务支出", "支出/预算数", Decimal("80.00")),
        ("住房保障支出", "支出/预算数", Decimal("40.00")),
        ("支出总计", "支出/预算数", Decimal("120.00")),
    ]


def test_grid_without_amounts_is_no_table():
    assert grid_to_table([["项目", "说明"], ["甲", "无"]], title="x", unit="", pages=()) is None


def test_unit_names_as_labels_and_qualifiers():
    grid = [["单位名称", "总计", "一般公共预算"],
            ["合计", "30.00", "20.00"],
            ["绍兴市行政审批服务中心", "10.00", "10.00"],
            ["绍兴市公共资源交易中心", "20.00", "10.00"]]
    table = grid_to_table(grid, title="收入预算总表", unit="万元", pages=())
    assert [r.label for r in table.rows] == ["合计", "绍兴市行政审批服务中心", "绍兴市公共资源交易中心"]


def test_whitespace_inside_cells_is_collapsed():
    grid = [["项目", "金 额"], ["行政 运行", "1, 234.50"]]
    table = grid_to_table(grid, title="t", unit="元", pages=())
    assert table.columns == ("金额",)
    assert table.rows[0].label == "行政运行"
    assert table.rows[0].cells[0].value == Decimal("1234.50")


# -- hierarchy -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, level", [
    ("一、财政拨款", 1), ("（一）主要职能", 2), ("(二) 部门机构", 2), ("1. 机关运行经费", 3),
    ("3、国有资产", 3), ("行政运行", 0)])
def test_numbering_level(text, level):
    assert numbering_level(text) == level


@pytest.mark.parametrize("label", ["合计", "总计", "本年收入合计", "支出总计", "收 入 总 计",
                                   "“三公”经费合计"])
def test_totals(label):
    assert is_total(label)


def test_assign_levels_by_numbering_and_totals_reset():
    rows = [ParsedRow(label=label, cells=()) for label in
            ("一、基本支出", "（一）人员经费", "1.工资", "2.津贴", "（二）公用经费", "合计", "（一）孤儿")]
    out = assign_levels(rows)
    assert [(r.level, r.parent) for r in out] == [
        (1, None), (2, 0), (3, 1), (3, 1), (2, 0), (0, None), (2, None)]


def test_assign_levels_checks_code_prefix():
    rows = [ParsedRow(label="一般公共服务支出", cells=(), code="201"),
            ParsedRow(label="行政事业单位养老支出", cells=(), code="20805")]
    # 20805 does not start with 201, so 201 is not its parent.
    assert [r.parent for r in assign_levels(rows)] == [None, None]


# -- units ---------------------------------------------------------------------------------

def _table(title: str, unit: str, figures: dict[str, str]) -> ParsedTable:
    rows = tuple(ParsedRow(label=label, cells=(ParsedCell("预算数", printed, Decimal(
        printed.replace(",", ""))),)) for label, printed in figures.items())
    return ParsedTable(title=title, unit=unit, pages=(), columns=("预算数",), rows=rows)


FIGURES = {"合计": "3,873.19", "一般公共服务支出": "3497.74", "住房保障支出": "136.72",
           "卫生健康支出": "82.44"}


def test_unit_inferred_from_a_table_printing_the_same_figures():
    stated = _table("支出总表", "万元", FIGURES)
    unstated = _table("收支总表", "", dict(list(FIGURES.items())[:3]))
    tables, warnings = infer_missing_units([unstated, stated])
    assert [t.unit for t in tables] == ["万元", "万元"]
    assert len(warnings) == 1
    assert "'收支总表' prints no unit; 万元 taken from '支出总表'" in warnings[0]
    assert "3 of the same figures" in warnings[0]


def test_unit_not_guessed_without_evidence():
    stated = _table("支出总表", "万元", FIGURES)
    unstated = _table("绩效表", "", dict(list(FIGURES.items())[:2]))  # only two in common
    tables, warnings = infer_missing_units([stated, unstated])
    assert tables[1].unit == ""
    assert warnings == ["table '绩效表' prints no unit and none could be inferred"]


def test_zero_figures_are_no_evidence():
    stated = _table("支出总表", "万元", {"a": "0.00", "b": "0.00", "c": "0.00"})
    unstated = _table("x表", "", {"a": "0.00", "b": "0.00", "c": "0.00"})
    assert infer_missing_units([stated, unstated])[0][1].unit == ""


# -- kinds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("title, kind", [
    ("2024年部门收支预算总表", "收支总表"),
    ("部门财务收支预算总表", "收支总表"),
    ("2024年部门收入预算总表", "收入总表"),
    ("2024年部门支出预算总表", "支出总表"),
    ("2024年部门财政拨款收支预算总表", "财政拨款收支总表"),
    ("2024年部门一般公共预算支出表", "一般公共预算支出表"),
    ("2024年部门一般公共预算基本支出表", "基本支出表"),
    ("2024年部门一般公共预算“三公”经费支出表", "三公经费表"),
    ("2024年部门政府性基金预算支出表", "政府性基金"),
    ("2024年部门国有资本经营预算支出表", "国有资本经营"),
    ("2024年部门项目支出预算表", "项目支出"),
    ("2024年部门项目支出绩效表", "绩效"),
    ("2024 年部门 支出 预算 总表", "支出总表"),
    ("未命名表格", "其他"),
])
def test_table_kind(title, kind):
    assert table_kind(title) == kind
    assert kind in KINDS or kind == "其他"
