"""reconcile_table: totals and parent rows against their parts (pure, Decimal)."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from calc.reconcile import Mismatch, reconcile_summary, reconcile_table
from tests.corpus_cache import read_corpus_pdf

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def _row(label, *values, code="", level=0, parent=None, column="金额"):
    cols = [column] if isinstance(column, str) else column
    cells = tuple(ParsedCell(c, v, None if v == "" else Decimal(v.replace(",", "")))
                  for c, v in zip(cols, values))
    return ParsedRow(label=label, cells=cells, code=code, level=level, parent=parent)


def _table(*rows):
    return ParsedTable(title="测试表", unit="万元", pages=(1,), columns=("金额",), rows=tuple(rows))


def test_total_first_and_parents_reconcile():
    table = _table(
        _row("合计", "30.00"),
        _row("一般公共服务支出", "20.00", code="201", level=1),
        _row("人大事务", "20.00", code="20101", level=2, parent=1),
        _row("行政运行", "12.00", code="2010101", level=3, parent=2),
        _row("一般行政管理事务", "8.00", code="2010102", level=3, parent=2),
        _row("住房保障支出", "10.00", code="221", level=1),
    )
    assert reconcile_table(table) == []
    assert reconcile_summary([table]) == (1, 1)


def test_mismatch_names_row_column_and_parts():
    table = _table(
        _row("合计", "31.00"),
        _row("甲", "20.00", code="201", level=1),
        _row("乙", "10.00", code="221", level=1),
    )
    [m] = reconcile_table(table)
    assert isinstance(m, Mismatch)
    assert (m.row, m.column, m.found, m.expected, m.difference) == (
        "合计", "金额", Decimal("31.00"), Decimal("30.00"), Decimal("1.00"))
    assert m.parts == ("甲", "乙")
    assert reconcile_summary([table]) == (1, 0)


def test_every_gap_is_returned_graded_and_only_errors_fail_the_self_check():
    rounded = _table(_row("合计", "10.01"), _row("甲", "5.00"), _row("乙", "5.00"))
    [m] = reconcile_table(rounded)  # 万元 to two decimals: two parts may be 0.01 off
    assert (m.difference, m.severity) == (Decimal("0.01"), "rounding")
    assert reconcile_summary([rounded]) == (1, 1)
    minor = _table(_row("合计", "10.02"), _row("甲", "5.00"), _row("乙", "5.00"))
    assert [m.severity for m in reconcile_table(minor)] == ["minor"]
    whole = _table(_row("合计", "100"), _row("甲", "50"), _row("乙", "53"))
    assert [m.severity for m in reconcile_table(whole)] == ["error"]
    assert reconcile_summary([whole]) == (1, 0)
    # 元 printed to the fen were never rounded: a 0.01 gap is not rounding.
    fen = replace(rounded, unit="元")
    assert [m.severity for m in reconcile_table(fen)] == ["minor"]


def test_subset_rows_are_not_addends_and_total_closes_rows_above():
    table = _table(
        _row("一、财政拨款收入", "100", level=1),
        _row("其中：专项", "40", parent=0),
        _row("二、事业收入", "20", level=1),
        _row("本年收入合计", "120"),
        _row("上年结转", "5"),
        _row("收入总计", "125"),
    )
    assert reconcile_table(table) == []


def test_blank_parts_are_skipped():
    table = _table(_row("合计", "12.00"), _row("甲", ""), _row("乙", ""))
    assert reconcile_table(table) == []


def test_real_tables_add_up():
    tables = list(read_corpus_pdf(CORPUS / "jiangsu" / "jiangsu-high-court-2019-dept-budget.pdf").tables)
    checked, reconciled = reconcile_summary(tables)
    assert checked >= 8
    assert reconciled == checked, [m for t in tables for m in reconcile_table(t)]


def test_total_printed_after_a_larger_row_closes_the_rows_below():
    # Ningxia 2024 final account p.106 (债务限额 合计 and 一般债务, first two cities):
    # "宁夏回族自治区" and "自治区本级" stand above "市县合计", whose cities follow it.
    cols = ("合计", "一般债务")

    def table(*rows):
        return ParsedTable(title="测试表", unit="万元", pages=(1,), columns=cols, rows=rows)

    rows = [_row("宁夏回族自治区", "28,891,044", "18,402,033", column=cols),
            _row("自治区本级", "9,933,024", "5,089,994", column=cols),
            _row("市县合计", "7,357,904", "4,293,773", column=cols),
            _row("银川市", "5,013,653", "3,238,400", column=cols),
            _row("永宁县", "2,344,251", "1,055,373", column=cols)]
    assert reconcile_table(table(*rows)) == []
    rows[3] = _row("银川市", "5,031,653", "3,238,400", column=cols)
    [m] = reconcile_table(table(*rows))
    assert m.row == "市县合计" and m.parts == ("银川市", "永宁县")
    # A part above made larger than the total in one column only is a slip, not a grand total.
    rows = [_row("一般公共预算", "3,078.20", "100.00", column=cols),
            _row("政府性基金", "0.00", "0.00", column=cols),
            _row("本年收入合计", "307.82", "100.00", column=cols)]
    [m] = reconcile_table(table(*rows))
    assert m.parts == ("一般公共预算", "政府性基金")


def test_numbered_items_after_a_subset_row_stay_parts_of_its_row():
    # Diqing 2026 1-8 "三公" table: "其中：（1）公务用车购置费 600 / （2）公务用车运行费 915"
    # under "3.公务用车购置及运行费 1515"; 合计 2,490 = 80 + 895 + 1515.
    rows = [_row("合计", "2,490"), _row("1.因公出国（境）费", "80", level=3),
            _row("2.公务接待费", "895", level=3), _row("3.公务用车购置及运行费", "1515", level=3),
            _row("其中：（1）公务用车购置费", "600", parent=3), _row("（2）公务用车运行费", "915", level=3)]
    assert reconcile_table(_table(*rows)) == []
    rows[2] = _row("2.公务接待费", "859", level=3)
    [m] = reconcile_table(_table(*rows))
    assert m.expected == Decimal(2454)


def test_numbered_rows_after_an_unnumbered_row_are_its_parts():
    # Yantian 2026 表6: "财政拨款 4,373.87 / 1.一般公共预算拨款 4,363.87 / 2.政府性基金预算拨款
    # 10.00 / 本年收入合计 4,373.87".
    rows = [_row("财政拨款", "4,373.87"), _row("1.一般公共预算拨款", "4,363.87", level=3),
            _row("2.政府性基金预算拨款", "10.00", level=3), _row("本年收入合计", "4,373.87")]
    assert reconcile_table(_table(*rows)) == []
    slipped = rows[:2] + [_row("2.政府性基金预算拨款", "0.00", level=3)] + rows[3:]
    [m] = reconcile_table(_table(*slipped))
    assert m.row == "财政拨款" and m.parts == ("1.一般公共预算拨款", "2.政府性基金预算拨款")
    rows[0] = _row("财政拨款", "4,337.87")
    assert {(m.row, m.parts) for m in reconcile_table(_table(*rows))} == {
        ("本年收入合计", ("财政拨款",)),
        ("财政拨款", ("1.一般公共预算拨款", "2.政府性基金预算拨款"))}


def test_subtotal_printed_first_over_rows_below_the_first_level():
    # Jiangsu procuratorate 2018 公开02表: "小计 21,940.96" printed over "一般公共预算资金
    # 公共财政拨款(补助)资金 21,940.96" (read one level down) and a blank "专项收入".
    rows = [_row("收入总计", "21,955.35"), _row("小计", "21,940.96"),
            _row("一般公共预算资金 公共财政拨款(补助)资金", "21,940.96", level=2),
            _row("专项收入", "", level=1), _row("政府性基金 小计", ""),
            _row("小计", "14.39"), _row("其他收入", "14.39", level=1)]
    assert reconcile_table(_table(*rows)) == []
    rows[2] = _row("一般公共预算资金 公共财政拨款(补助)资金", "21,490.96", level=2)
    [m] = reconcile_table(_table(*rows))
    assert m.row == "小计" and m.found == Decimal("21940.96")


def _xian_basic_spending():
    """Xi'an health commission 2022 final account pp.157–158: the 一般公共预算财政拨款基本支出
    决算表 in three side-by-side 栏 (人员经费 | 商品和服务支出 … | 资本性支出 …)."""
    import pdfplumber

    from ingest.pdf_tables import extract_tables
    path = CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf"
    with pdfplumber.open(path, pages=[157, 158]) as pdf:
        tables, _ = extract_tables(pdf)
    return next(t for t in tables if "基本支出" in t.title)


def test_total_closing_two_side_by_side_bands_adds_both():
    # "公用经费合计 2,093.08" printed in 第3栏 = 商品和服务支出 2,085.91 (第2栏) + 资本性
    # 支出 7.17 (第3栏): 第2栏 has no total of its own; 第1栏 closes with 人员经费合计.
    table = _xian_basic_spending()
    assert [m for m in reconcile_table(table) if m.severity in ("error", "unit_slip")] == []
    k = next(i for i, r in enumerate(table.rows) if r.label == "公用经费合计")
    row = table.rows[k]
    cell = replace(row.cells[0], printed="2,093.80", value=Decimal("2093.80"))
    changed = replace(table, rows=table.rows[:k] + (replace(row, cells=(cell,)),)
                      + table.rows[k + 1:])
    [m] = [m for m in reconcile_table(changed) if m.row == "公用经费合计"]
    assert (m.expected, m.found, m.severity) == (Decimal("2093.08"), Decimal("2093.80"), "error")
    assert {"商品和服务支出", "资本性支出"} <= set(m.parts)
    assert {m.part_column(n) for n in range(len(m.parts))} == {"第2栏/决算数", "第3栏/决算数"}
    # 人员经费合计 still closes its own 栏 only.
    assert all(not m.part_columns for m in reconcile_table(changed) if m.row == "人员经费合计")
