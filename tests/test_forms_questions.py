"""Questions about the projects of performance forms, asked as people ask them: a short or
partial project name, perhaps its unit, and a column of the form (执行率, 得分, 年初预算,
全年预算, 全年执行), or a ranking over the projects.

Real corpus pages in a real SQLite store: eight project self-evaluation forms cut from the Xi'an
health commission's 2022 final account (two of them the same project name at two hospitals,
one printing an execution rate that is not its own B/A), and the first pages of the Beijing
finance bureau's 2026 project performance-target table.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.form_projects import FormProject, form_projects, named_projects
from qa.linking import RowView
from qa.question import read_question
from qa.text import norm
from tests.ingested import ingested_app

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
XIAN = CORPUS / "shaanxi" / "xian-health-commission-2022-final-account.pdf"
BEIJING = CORPUS / "beijing" / "beijing-finance-bureau-2026-dept-budget-tables.pdf"
# 1-based pages: 采供血业务经费 (非政府采购部分, 政府采购部分), 医用超声波 (children's
# hospital), DSA (third hospital), 医用超声波 and 住院医师规范化培训 (TCM hospital),
# 中医优势专科, 核磁共振, 移动式C型臂, 医用光学仪器.
XIAN_PAGES = (61, 62, 103, 107, 126, 128, 130, 131, 136, 138)
BEIJING_PAGES = tuple(range(17, 23))


def _cut_and_ingest(folder: Path, source: Path, pages: tuple[int, ...], stem: str):
    import pypdfium2

    cut = pypdfium2.PdfDocument.new()
    cut.import_pages(pypdfium2.PdfDocument(str(source)), [p - 1 for p in pages])
    path = folder / f"{stem}.pdf"
    cut.save(str(path))
    return ingested_app(folder, [path]), stem


@pytest.fixture(scope="module")
def xian(tmp_path_factory):
    return _cut_and_ingest(tmp_path_factory.mktemp("xian-forms"), XIAN, XIAN_PAGES,
                           "xian-health-commission-2022-final-account-forms")


@pytest.fixture(scope="module")
def beijing(tmp_path_factory):
    return _cut_and_ingest(tmp_path_factory.mktemp("beijing-targets"), BEIJING, BEIJING_PAGES,
                           "beijing-finance-bureau-2026-dept-budget-tables-p17")


def _projects(app, doc):
    ctx = app.router._context(read_question("x"), doc)
    return form_projects(ctx.view)


# -- which project a question names ---------------------------------------------------------

def test_each_form_is_one_project_with_its_unit(xian):
    app, doc = xian
    projects = _projects(app, doc)
    assert len(projects) == len(XIAN_PAGES)
    by_name = {(p.name, p.unit) for p in projects}
    assert ("复合手术室DSA项目", "西安市第三医院") in by_name
    assert ("住院医师规范化培训项目", "西安市中医医院") in by_name
    assert all(p.money and p.total is not None and p.indicators for p in projects)


@pytest.mark.parametrize("question, name", [
    ("三院DSA项目花了多少", "复合手术室DSA项目"),  # part of the name, the unit by its number
    ("c型臂那个项目", "移动式C型臂X光机购置"),
    ("阎良铁路医院的核磁共振项目", "核磁共振"),
])
def test_a_project_is_named_by_part_of_its_name(xian, question, name):
    app, doc = xian
    named = named_projects(read_question(question).normalised, _projects(app, doc))
    assert [n.project.name for n in named] == [name]


@pytest.mark.parametrize("question", [
    "会议费和培训费一共花了多少",  # "和培训" is no part of a project's name
    "2021年卫生健康支出是多少",  # a year shared by chance, a word several names print
    "项目支出占本年支出合计的比例",
])
def test_words_many_names_share_name_no_project(xian, question):
    app, doc = xian
    assert named_projects(read_question(question).normalised, _projects(app, doc)) == []


# -- answers ---------------------------------------------------------------------------------

def test_a_column_of_the_named_project_is_quoted_from_its_own_form(xian):
    app, doc = xian
    rate = app.ask("第三医院DSA那个项目执行率有多少", doc)
    assert (rate.route, rate.value, rate.unit) == ("lookup", Decimal("35"), "%")
    assert rate.citations[0].column.startswith("执行率")
    assert "DSA" in rate.citations[0].table
    start = app.ask("红会医院C型臂项目年初预算是多少", doc)
    assert (start.route, start.value) == ("lookup", Decimal("360"))
    assert start.citations[0].column == "年初预算数"
    score = app.ask("核磁共振项目自评总分多少", doc)
    assert (score.value, score.unit) == (Decimal("75.55"), "分")
    assert score.citations[0].row == "总分"


def test_an_indicator_of_the_named_project_its_target_or_what_was_achieved(xian):
    app, doc = xian
    target = app.ask("三院DSA项目患者满意度的目标值是多少", doc)
    assert (target.value, target.unit) == (Decimal("85"), "%")
    assert "≥" in target.text
    assert target.citations[0].row == "患者满意度提升"
    achieved = app.ask("三院DSA项目购置设备数量实际完成值", doc)
    assert achieved.value == Decimal("1")
    assert achieved.citations[0].column == "实际完成值"  # not 全年执行数 ("实际")


def test_what_was_not_spent_is_the_budget_less_the_execution(xian):
    app, doc = xian
    answer = app.ask("中医医院住院医师规范化培训项目预算还剩多少没执行", doc)
    assert answer.route == "calc"
    assert answer.value == Decimal("135.16")
    assert answer.formula == "600.00 − 464.84 = 135.16万元"
    assert [c.column for c in answer.citations] == ["全年预算数（A）", "全年执行数（B）"]


def test_a_part_of_a_projects_money_as_a_share_of_its_total(xian):
    app, doc = xian
    answer = app.ask("DSA项目全年预算中财政拨款所占比例", doc)
    assert answer.value == Decimal("31.07")
    assert answer.formula == "589 ÷ 1896 × 100% = 31.07%"


def test_one_name_at_two_units_is_asked_back_and_the_unit_decides(xian):
    app, doc = xian
    both = app.ask("医用超声波仪器及设备项目全年执行数多少", doc)
    assert both.route == "clarify"
    assert {o.wording.split("的")[0] for o in both.options} == {"西安市儿童医院", "西安市中医医院"}
    assert len({o.value for o in both.options}) == 2
    one = app.ask("中医医院的医用超声波仪器及设备项目全年执行数多少", doc)
    assert one.route == "lookup"
    assert one.value in {o.value for o in both.options}
    assert one.value == Decimal("461.00")  # the TCM hospital's form (p. 126 of the file)


def test_rankings_run_over_the_projects_and_skip_a_rate_that_is_not_b_over_a(xian):
    app, doc = xian
    lowest = app.ask("这几个项目里哪个执行率最低", doc)
    assert lowest.value == Decimal("34.36")
    assert "中医优势专科" in lowest.text
    highest = app.ask("哪个项目执行率最高", doc)
    assert highest.value <= 100  # 医用光学仪器 prints 1000%, its B/A is 100%
    printed_wrong = app.ask("医用光学仪器项目执行率是多少", doc)
    assert printed_wrong.route == "calc"
    assert printed_wrong.value == Decimal("100.00")
    worst = app.ask("自评得分最低的是哪个项目", doc)
    assert "核磁共振" in worst.text and worst.value == Decimal("75.55")


def test_a_sum_of_joined_projects_names_each_or_declines(xian):
    app, doc = xian
    both = app.ask("血站的采供血业务经费，非政府采购部分与政府采购部分合计执行多少", doc)
    assert both.route == "calc"
    assert both.value == Decimal("1669.04")
    assert len(both.citations) == 2
    assert {c.column for c in both.citations} == {"全年执行数（B）"}
    unknown = app.ask("DSA项目和无人机巡航项目加起来执行了多少", doc)
    assert unknown.route == "none"


def test_projects_counted_by_a_bound_on_one_column(xian):
    app, doc = xian
    low = app.ask("执行率不到50%的项目有几个", doc)
    assert (low.route, low.value, low.unit) == ("calc", Decimal("2"), "个")  # DSA, 中医优势专科
    assert {c.column for c in low.citations} == {"执行率（B／A）"}
    assert "未计入" in low.text  # 医用光学仪器's printed 1000% is no B/A
    scores = app.ask("哪些项目自评得分低于90分", doc)
    assert scores.value == len(scores.citations)
    assert all(Decimal(c.value) < 90 for c in scores.citations)
    assert any("核磁共振" in c.table for c in scores.citations)


def test_an_indicator_target_of_a_target_table_project(beijing):
    app, doc = beijing
    money = app.ask("评审工作经费项目安排了多少钱", doc)
    assert money.value == Decimal("839.000000")
    target = app.ask("注册会计师考试考务项目报名参加考试科次目标定了多少", doc)
    assert (target.value, target.unit) == (Decimal("163898"), "科")
    assert "≥" in target.text


def test_every_project_of_the_cut_target_table_is_one_project(beijing):
    app, doc = beijing
    projects = _projects(app, doc)
    # pp.17–22 print ten projects (the tenth, 会计管理业务服务, starts at the foot of p.22,
    # its name and money printed below the page's last rule, out of view).
    assert [p.name for p in projects] == [
        "评审工作经费", "企业财务会计决算报表工作服务", "财政监督业务服务", "决算管理工作服务",
        "北京市政府财务报告工作服务", "预算绩效管理服务", "会计职称评审考试服务",
        "全国注册会计师统一考试考务服务", "会计人才培养服务", "会计管理业务服务"]
    assert all(p.complete for p in projects)


@pytest.mark.parametrize("question, value, unit", [
    # once cut to "08-企业财务会计决算报表工作服务" with its money on a text fragment's row
    ("企业财务会计决算报表工作服务项目年度资金总额多少", "67.700000", "万元"),
    ("决算管理工作服务项目年度资金总额是多少？", "54.320000", "万元"),
    # one indicator name in two projects, each with its own target
    ("决算管理工作服务的培训人数目标是多少人次？", "1500", "人次"),
    ("北京市政府财务报告工作服务项目培训人数指标值是多少？", "1475", "人次"),
])
def test_a_project_of_a_target_table_its_money_or_an_indicator(beijing, question, value, unit):
    app, doc = beijing
    answer = app.ask(question, doc)
    assert (answer.route, answer.value, answer.unit) == ("lookup", Decimal(value), unit)
    assert all(c.table.endswith("项目支出绩效目标表") for c in answer.citations)


def _target_project(name: str) -> FormProject:
    """A project of a target table as qa.form_projects groups it: its row with its money."""
    row = RowView(table_id="t", table_title="预算12表 项目支出绩效目标表", table_kind="绩效",
                  unit="万元", row_id=name, label=name, code="", level=0, position=0,
                  qualifiers=())
    return FormProject(name=name, unit="", table_title=row.table_title, department=False,
                       self_evaluation=False, money=[row])


@pytest.mark.parametrize("question, name", [
    # the department's own name, and budget categories, name no project
    ("市财政局2026年培训费一共安排多少？", None),
    ("市财政局今年公务接待费预算是多少？", None),
    ("北京市财政科学研究所2026年预算是多少？", None),
    ("离退休的钱一共多少 行政单位和事业单位离退休加起来", None),
    ("市财政局电子政务运维总服务商项目安排了多少钱", "市财政局电子政务运维总服务商项目"),
    ("行政事业单位国有资产数据审核服务的年度资金总额", "行政事业单位国有资产数据审核服务"),
    ("财政监督业务服务项目多少钱", "财政监督业务服务"),
])
def test_words_of_the_department_name_no_project(question, name):
    # Project names of the Beijing finance bureau's 2026 target table (pp.18, 29, 37, 40).
    projects = [_target_project(n) for n in (
        "市财政局电子政务运维总服务商项目", "行政事业单位国有资产数据审核服务",
        "北京市财政局业务系统能力提升服务", "财政监督业务服务", "财政票据电子化系统维护服务项目")]
    found = [n.project.name for n in named_projects(norm(question), projects)]
    assert found == ([name] if name else [])
