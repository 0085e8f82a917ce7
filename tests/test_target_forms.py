"""One-project performance-target forms read from their grid, against what the pages print.

Wanli subdistrict 2023 prints five 财政项目支出绩效目标填报表 (pp.31–35), one project a page, its
money in 元 ("项目资金（元）") on two sides (项目资金总额 / 年度资金申请总额, each with its own
其他资金); Beijing's finance bureau 2026 prints one 专项转移支付绩效目标表 (预算14表, p.48),
its money in 万元 ("资金情况（万元）"). The expected figures, names and targets below were read
off the pages, not taken from the parser.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from ingest.pdf_tables import read_tables
from ingest.target_forms import worded_target

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
WANLI = CORPUS / "shanghai" / "putuo-wanli-subdistrict-2023-dept-budget.pdf"
BEIJING = CORPUS / "beijing" / "beijing-finance-bureau-2026-dept-budget-tables.pdf"


class _Pages:
    """A pdfplumber document cut to some of its pages."""

    def __init__(self, pdf, first: int, last: int):
        self.pages = pdf.pages[first - 1:last]


def _forms(path: Path, first: int, last: int):
    with pdfplumber.open(path) as pdf:
        tables, warnings, _ = read_tables(_Pages(pdf, first, last))
    return [t for t in tables if "绩效目标" in t.title], warnings


@pytest.fixture(scope="module")
def wanli():
    return _forms(WANLI, 31, 35)


@pytest.fixture(scope="module")
def beijing():
    return _forms(BEIJING, 48, 48)


def _q(row, key):
    return dict(row.qualifiers).get(key, "")


def _money(table):
    return {(_q(r, "资金"), r.label): r.cells[0] for r in table.rows if r.level != 3}


def _indicator(table, name):
    [row] = [r for r in table.rows if r.level == 3 and r.label == name]
    return row


# (项目名称, 项目资金总额, 年度资金申请总额's 其中：当年财政拨款), in 元 as printed.
WANLI_PROJECTS = [
    ("新建万里街道社区公共服务中心", "4100000.00", "4100000.00"),
    ("就业援助基地补贴", "6351000.00", "6351000.00"),
    ("社区环境整治和建设经费", "4563800.00", "4563800.00"),
    ("各类工作经费", "7595500.00", "7595500.00"),
    ("公共服务设施运行经费", "10903043.00", "11419043.00"),
]


def test_each_wanli_form_is_one_project_with_its_money_in_yuan(wanli):
    tables, warnings = wanli
    assert [(_q(t.rows[0], "项目名称"), t.pages, t.unit) for t in tables] == [
        (name, (page,), "元") for (name, _, _), page in zip(WANLI_PROJECTS, range(31, 36))]
    for table, (name, total, grant) in zip(tables, WANLI_PROJECTS):
        money = _money(table)
        assert money[("", "项目资金总额")].value == Decimal(total)
        assert money[("项目资金总额", "其中：财政资金")].value == Decimal(total)
        assert money[("年度资金申请总额", "其中：当年财政拨款")].value == Decimal(grant)
        # Both sides print a 其他资金 (0.00): each keeps its side.
        assert money[("项目资金总额", "其他资金")].value == 0
        assert money[("年度资金申请总额", "其他资金")].value == 0
        assert money[("年度资金申请总额", "上年结转资金")].value == 0
        assert all(r.body == "上海市普陀区人民政府万里街道办事处" for r in table.rows)
    assert not [w for w in warnings if "no unit stated" in w]


def test_wanli_indicators_have_their_levels_targets_units_and_comparators(wanli):
    tables, _ = wanli
    area = _indicator(tables[0], "规划建筑面积")
    assert (_q(area, "一级指标"), _q(area, "二级指标")) == ("产出指标", "数量指标")
    cell = area.cells[0]
    assert (cell.comparator, cell.value, cell.unit, cell.measure) == ("≥", Decimal("13459.00"),
                                                                      "平方米", "指标值")
    satisfied = _indicator(tables[0], "居民满意度")
    assert (_q(satisfied, "一级指标"), _q(satisfied, "二级指标")) == ("满意度指标", "服务对象满意度指标")
    assert (satisfied.cells[0].comparator, satisfied.cells[0].value) == ("定性", None)
    assert satisfied.cells[0].printed == "满意度"
    better = _indicator(tables[1], "补贴对象生活改善度")  # "补贴对象生活改善度不低于80%"
    assert (better.cells[0].comparator, better.cells[0].value, better.cells[0].unit) == (
        "≥", Decimal(80), "%")
    quality = _indicator(tables[1], "补贴对象审核达标率")
    assert _q(quality, "二级指标") == "质量指标" and _q(quality, "一级指标") == "产出指标"
    assert (quality.cells[0].comparator, quality.cells[0].value) == ("=", Decimal("100.00"))
    visits = _indicator(tables[3], "日常走访企业")
    assert (visits.cells[0].comparator, visits.cells[0].value, visits.cells[0].unit) == (
        ">", Decimal("150.00"), "家")
    assert [len([r for r in t.rows if r.level == 3]) for t in tables] == [5, 4, 4, 43, 9]


def test_the_beijing_transfer_form_in_ten_thousand_yuan(beijing):
    [table], _ = beijing
    assert table.unit == "万元" and table.pages == (48,)
    money = _money(table)
    assert money[("", "年度金额")].value == Decimal("5612.000000")
    assert money[("", "市级财政资金")].value == Decimal("5612.000000")
    assert money[("", "其中：中央财政资金")].value is None  # printed blank
    assert all(_q(r, "项目名称") == "普惠金融发展专项资金" for r in table.rows)
    loans = _indicator(table, "本年度创业担保贷款发放额")
    assert (_q(loans, "一级指标"), _q(loans, "二级指标")) == ("产出指标", "数量指标")
    assert (loans.cells[0].comparator, loans.cells[0].value, loans.cells[0].unit) == (
        "≥", Decimal(50), "亿元")
    rate = _indicator(table, "创业担保贷款利率上限")
    assert _q(rate, "二级指标") == "质量指标"
    assert rate.cells[0].comparator == "定性" and rate.cells[0].printed == "上限LPR+50BPs"
    small = _indicator(table, "申报创业担保贷款贴息小微企业满意度")
    assert (_q(small, "一级指标"), _q(small, "二级指标")) == ("满意度指标", "服务对象满意度指标")
    assert (small.cells[0].comparator, small.cells[0].value) == ("≥", Decimal(80))
    assert len([r for r in table.rows if r.level == 3]) == 7


@pytest.mark.parametrize("printed, expected", [
    ("不低于50%", ("≥", Decimal(50), "%")),
    ("居民参与率不低于100%", ("≥", Decimal(100), "%")),
    ("满意率100%", ("=", Decimal(100), "%")),
    ("不超过3天", ("≤", Decimal(3), "天")),
    ("开展不低于5次的社区法治宣传活动", None),  # the figure is not the target's end
    ("提升", None),
])
def test_a_target_in_words_is_read_only_when_it_ends_with_its_figure(printed, expected):
    assert worded_target(printed) == expected
