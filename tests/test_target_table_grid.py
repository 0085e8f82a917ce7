"""The Beijing finance bureau's 2026 项目支出绩效目标表 (预算12表, pp.17–43) against what its
pages print: every project its own row with its own money and its own indicators.

The ground truth below was read off the pages (rendered and checked by eye, names and figures
as printed), not taken from the parser. Each project is one tall merged cell (项目名称, 项目总额,
财政资金, 其他资金, 绩效目标) beside one ruled row per indicator; 30 of the 39 cross a page
break, where the name and money are printed again on the next page, often above the page's
top edge or below the table's last rule (out of view). 其他资金 is empty for every project.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from ingest.pdf_tables import read_tables

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
BEIJING = CORPUS / "beijing" / "beijing-finance-bureau-2026-dept-budget-tables.pdf"

# (项目名称 as printed, 项目总额 = 财政资金 in 万元, number of indicator rows), in page order.
PROJECTS = [
    ("11000022T000000455794-评审工作经费", "839.000000", 10),
    ("11000022T000000456408-企业财务会计决算报表工作服务", "67.700000", 8),
    ("11000022T000000456476-财政监督业务服务", "316.976900", 9),
    ("11000022T000000456725-决算管理工作服务", "54.320000", 14),
    ("11000022T000000456772-北京市政府财务报告工作服务", "40.600000", 14),
    ("11000022T000000457120-预算绩效管理服务", "670.428000", 11),
    ("11000022T000000457136-会计职称评审考试服务", "148.840000", 8),
    ("11000022T000000457145-全国注册会计师统一考试考务服务", "983.388000", 7),
    ("11000022T000000457160-会计人才培养服务", "205.580000", 16),
    ("11000022T000000457215-会计管理业务服务", "37.400000", 15),
    ("11000022T000000457568-信息化监理项目", "31.000000", 11),
    ("11000022T000000457755-金融管理服务", "201.904000", 14),
    ("11000022T000000493544-部门预算编制管理服务", "46.322000", 10),
    ("11000022T000001287746-绩效管理综合评价服务", "85.000000", 9),
    ("11000022T000001287753-重点领域绩效评价分析服务", "12.000000", 6),
    ("11000022T000001287759-重点支出成本绩效分析服务", "75.000000", 6),
    ("11000022Y000000452314-非税收入系统运维服务项目", "96.937500", 10),
    ("11000022Y000000454386-财政票据电子化系统维护服务项目", "62.400000", 14),
    ("11000022Y000000454514-北京财政政务办公系统运维服务项目", "175.200000", 12),
    ("11000022Y000000454519-市财政局电子政务运维总服务商项目", "182.300000", 12),
    ("11000024T000002862294-预算管理一体化系统（对标财政部标准规范）本地化定制服务", "168.000000", 11),
    ("11000024T000002961548-会计师事务所专项检查服务", "127.280000", 14),
    ("11000024Y000002959212-人员经费管理系统及相关系统运维服务项目", "149.685000", 12),
    ("11000024Y000002959381-北京市政府采购电子化交易服务项目", "287.970000", 11),
    ("11000025T000003283625-评审业务管理系统升级改造服务", "21.000000", 13),
    ("11000025T000003349358-会计专业技术资格考试考务服务", "340.643000", 16),
    ("11000025T000003354288-电子会计凭证综合服务平台建设服务", "148.800000", 11),
    ("11000025T000003354320-非税收入系统升级改造服务", "48.750000", 11),
    ("11000025T000003354339-财政票据电子化管理系统升级改造服务", "165.000000", 10),
    ("11000025T000003564654-北京市财政局业务系统能力提升服务", "255.000000", 11),
    ("11000025T000003564747-北京市财政局能力提升设备采购", "537.644000", 13),
    ("11000025T000003638392-北京财政业务应急保障中心建设项目", "400.000000", 11),
    ("11000025Y000003346055-预算管理一体化（对标财政部标准规范）实施保障及相关系统运维服务",
     "682.370000", 10),
    ("11000026T000003668350-北京市财政局跨省报销入账应用服务", "99.375000", 10),
    ("11000026T000003747901-行政事业单位国有资产数据审核服务", "351.860000", 16),
    ("11000026Y000003686521-政务外网、互联网安全运维及运行保障及第三方安全测评服务", "279.900000", 11),
    ("11000026Y000003686968-终端运行及统一身份认证保障服务", "260.310000", 15),
    ("11000026Y000003687521-财政数据资源与数据安全风险评估服务", "23.500000", 12),
    ("11000022T000000456502-政府采购管理服务", "115.900000", 9),
]

# (project, 三级指标, 性质, 指标值, 度量单位, page), as printed; the same indicator name in
# two projects (培训人数, 会审单位数) with each project's own target.
INDICATORS = [
    ("11000022T000000455794-评审工作经费", "评审项目数量", "≥", "420", "个", 17),
    ("11000022T000000455794-评审工作经费", "单个5000万以下一般预算项目付费金额", "≤", "1.5", "万元", 17),
    ("11000022T000000456408-企业财务会计决算报表工作服务", "审核一级决算单位数量", "≥", "100", "家", 18),
    ("11000022T000000456476-财政监督业务服务", "被检查人员满意度", "≥", "90", "%", 18),
    ("11000022T000000456725-决算管理工作服务", "培训人数", "≥", "1500", "人次", 19),
    ("11000022T000000456772-北京市政府财务报告工作服务", "培训人数", "≥", "1475", "人次", 19),
    ("11000022T000000456725-决算管理工作服务", "会审单位数", "≥", "6741", "家", 19),
    ("11000022T000000456772-北京市政府财务报告工作服务", "会审单位数", "≥", "5000", "家", 19),
    ("11000022T000000457145-全国注册会计师统一考试考务服务", "报名参加考试科次", "≥", "163898", "科", 21),
    ("11000022T000000457160-会计人才培养服务", "会计人才培养人员每年人均成本", "≤", "0.8", "万元", 22),
    ("11000022T000000457215-会计管理业务服务", "内控报告数据结构分析报告", "=", "1", "份", 23),
    ("11000022T000000457215-会计管理业务服务",
     "北京市行政事业单位内控报告编报及结构性数据分析服务费", "≤", "21.52", "万元", 23),
]


class _Pages:
    """A pdfplumber document cut to the table's pages."""

    def __init__(self, pdf, first: int, last: int):
        self.pages = pdf.pages[first - 1:last]


@pytest.fixture(scope="module")
def table():
    with pdfplumber.open(BEIJING) as pdf:
        tables, _, _ = read_tables(_Pages(pdf, 17, 43))
    [found] = [t for t in tables if t.title.endswith("项目支出绩效目标表")]
    return found


def _projects(table):
    return [r for r in table.rows if r.parent is None]


def _money(row, column):
    return next(c for c in row.cells if c.column == column)


def test_every_project_is_one_row_with_its_name_and_money(table):
    projects = _projects(table)
    assert [(r.label, str(_money(r, "项目总额").value)) for r in projects] == [
        (name, total) for name, total, _ in PROJECTS]
    for row in projects:
        assert _money(row, "其中：/财政资金").value == _money(row, "项目总额").value
        assert _money(row, "其中：/其他资金").value is None
    total = sum(_money(r, "项目总额").value for r in projects)
    assert total == sum(Decimal(t) for _, t, _ in PROJECTS) == Decimal("8795.2834")


def test_each_project_has_its_own_indicator_rows(table):
    rows = list(table.rows)
    counts = [sum(1 for r in rows if r.parent == rows.index(p)) for p in _projects(table)]
    assert counts == [n for _, _, n in PROJECTS]
    assert len(rows) == len(PROJECTS) + 443
    for row in rows:
        if row.parent is not None:
            assert dict(row.qualifiers)["项目名称"] == rows[row.parent].label
            assert row.level == 3 and [c.measure for c in row.cells] == ["指标值"]


@pytest.mark.parametrize("project, name, comparator, value, unit, page", INDICATORS)
def test_an_indicator_of_a_project_reads_as_printed(table, project, name, comparator, value,
                                                    unit, page):
    [row] = [r for r in table.rows if r.label == name and dict(r.qualifiers)["项目名称"] == project]
    [target] = row.cells
    assert (target.comparator, target.value, target.unit, target.page) == (
        comparator, Decimal(value), unit, page)
    assert target.bbox is not None


def test_money_of_a_project_cut_by_pages_is_cited_where_it_shows(table):
    # 会计管理业务服务 spans pp.22–24; its name and money show on p.23 only (on p.22 they are
    # printed below the last rule, on p.24 above the page).
    row = next(r for r in _projects(table) if r.label.endswith("会计管理业务服务"))
    money = _money(row, "项目总额")
    assert (row.page, money.page) == (23, 23)
    top, bottom = money.bbox[1], money.bbox[3]
    assert 0 < top < bottom < 595
    goal = dict(row.qualifiers)["绩效目标"]
    assert goal.startswith("为北京市会计人员提供政策咨询") and goal.endswith("会计人才培养等工作。")
