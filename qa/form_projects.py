"""The projects of a document's performance forms, and which of them a question names.

A project self-evaluation form (项目支出绩效自评表) prints one project: money rows
(年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金) with the columns 年初预算数,
全年预算数, 全年执行数, 分值, 执行率, 得分; indicator rows (三级指标 with 年度指标值,
实际完成值, 分值, 得分); and a 总分 row. A department-wide form prints the same for the
department, its money split by function. A performance-target table (项目支出绩效目标表)
prints each project's row (项目总额, 其中：财政资金 …) and its indicator rows with a target.
`ingest/self_evaluation_forms.py` and `ingest/performance_targets.py` store them so; this
module groups the stored rows back into `FormProject`s and finds the project a question
names by a short or partial name and the unit (实施单位) it names, as askers type them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from qa.linking import DocumentView, RowView
from qa.text import norm

# A project's name printed with its code: "11000022T000000455794-评审工作经费", "08-…".
_CODE = re.compile(r"^[0-9A-Za-z]{1,24}\s*[-－—]\s*|^\d{6,}[A-Z]\d+\s*")
_MONEY_LABELS = ("年度资金总额", "金额合计")  # the money total of a project / department form
# Words every project name or question may share: a match of them names no project. Among
# them the words of a department's own name and budget categories: "市财政局2026年培训费" is
# no question about "市财政局电子政务运维总服务商项目", nor "行政单位和事业单位离退休"
# about "行政事业单位国有资产数据审核服务".
_GENERIC = re.compile(r"项目|经费|资金|专项|建设|工作|服务|购置|设备|市级|"
                      r"绩效|自评|目标|支出|预算|年度|资金|费用|工程|20\d{2}年?|"
                      r"财政|行政|事业单位|局|厅")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2}(市|省)(级)?")  # "西安市第三医院": the city first
# A performance table's project row: its first money column.
_PROJECT_MONEY = re.compile(r"^(项目总额|项目资金|资金总额|年度资金总额)")


@dataclass
class FormProject:
    """One project (or a department) of a performance form, with its rows."""

    name: str  # as printed (项目名称 / 部门名称 / the project row's label, without its code)
    unit: str  # the unit that carried it out (实施单位), "" when the form names none
    table_title: str
    department: bool  # a department-wide form (部门整体支出绩效自评表), not a project
    self_evaluation: bool  # a self-evaluation (执行数, 得分), not a target table
    money: list[RowView] = field(default_factory=list)
    indicators: list[RowView] = field(default_factory=list)
    total: RowView | None = None  # the 总分 row

    @property
    def complete(self) -> bool:
        """Whether the form's money was read: a target table's project row whose figures
        were lost (its name cut by a page break, its indicators listed under a fragment of
        text) is a project this module cannot answer about, and a sign the table's list of
        projects is not whole."""
        return bool(self.money or self.total)

    @cached_property
    def core(self) -> str:
        """The name as a question would say it: without a trailing 项目 and the brackets."""
        name = norm(self.name)
        name = _PLACE.sub("", re.sub(r"[（()）]", "", name))
        return re.sub(r"项目$", "", name) or name


def _qualifier(row: RowView, key: str) -> str:
    return next((v for k, v in row.qualifiers if k == key), "")


def _read_as_forms(rows: list[RowView]) -> bool:
    """Whether a performance table has the layout this module reads: a self-evaluation
    form's money block (年度资金总额 / 金额合计), or a target table's project rows (项目总额)
    above indicator rows whose target is a 指标值 cell."""
    if any(norm(r.label) in _MONEY_LABELS for r in rows):
        return True
    projects = any(not _qualifier(r, "项目名称") and any(_PROJECT_MONEY.match(c.column)
                                                       for c in r.cells) for r in rows)
    targets = any(c.measure == "指标值" for r in rows if _qualifier(r, "项目名称") for c in r.cells)
    return projects and targets


def form_projects(view: DocumentView) -> list[FormProject]:
    """The projects of the view's performance tables (table kind 绩效), in table order."""
    projects: dict[tuple[str, str], FormProject] = {}
    for table_id, rows in view.tables.items():
        if not rows or rows[0].table_kind != "绩效":
            continue
        title = rows[0].table_title
        if not _read_as_forms(rows):
            continue  # a performance table of another layout: the router reads its rows
        evaluation = "自评" in title or any(c.column.startswith("全年执行") for r in rows
                                              for c in r.cells)
        for row in rows:
            department = bool(_qualifier(row, "部门名称")) and not _qualifier(row, "项目名称")
            name = _qualifier(row, "项目名称") or _qualifier(row, "部门名称")
            is_project_row = not name and any(_PROJECT_MONEY.match(c.column) for c in row.cells)
            if is_project_row:
                name = row.label
            if not name:
                continue
            key = (table_id, name)
            project = projects.get(key)
            if project is None:
                project = projects[key] = FormProject(
                    name=_CODE.sub("", name).strip(), unit=_qualifier(row, "实施单位") or (
                        _qualifier(row, "部门名称") if department else ""),
                    table_title=title, department=department, self_evaluation=evaluation)
            if norm(row.label) == "总分":
                project.total = row
            elif row.level == 3 or any(c.measure in ("指标值", "实际完成值") for c in row.cells):
                project.indicators.append(row)
            elif any(c.value is not None for c in row.cells):
                project.money.append(row)
    return list(projects.values())


def _shared_runs(text: str, name: str, least: int = 2) -> list[str]:
    """Greedy longest common substrings of `text` and `name` (each at least `least` chars),
    each character of either used once (a used run becomes a mark neither can match)."""
    runs = []
    while True:
        best = ""
        for i in range(len(name) - least + 1):
            j = i + max(least, len(best) + 1)  # only a longer run can replace the best
            if j > len(name) or name[i:j] not in text:
                continue
            while j < len(name) and name[i:j + 1] in text:
                j += 1
            best = name[i:j]
        if not best:
            return runs
        runs.append(best)
        text = text.replace(best, "\0", 1)
        name = name.replace(best, "\1", 1)


def _distinct(run: str) -> int:
    """Characters of a shared run that are not generic words, nor digits (a year or a
    number shared by chance: 2021年 and 2022年 share 202; the 年 of "去年事业收入" and of
    "2022年事业单位…"), nor joining words ("和培训" of "会议费和培训费" names no "…和培训综合楼")."""
    return len(re.sub(r"[和及与的之、，]", "", _GENERIC.sub("", re.sub(r"[\d.]+年?|^年度?", "", run))))


def name_fit(question: str, name: str) -> tuple[int, float, list[str]]:
    """How well a question names `name`: distinctive characters shared, the share of the
    name's distinctive characters they cover, and the shared runs."""
    runs = _shared_runs(question, name)
    shared = sum(_distinct(r) for r in runs)
    whole = _distinct(name) or 1
    return shared, shared / whole, runs


def unit_aliases(unit: str) -> set[str]:
    """Ways people name a unit: without its city ("西安市第三医院" → 第三医院), an ordinal
    hospital by its number (三院), a 疾病预防控制中心 as 疾控中心."""
    core = _PLACE.sub("", norm(unit))
    out = {norm(unit), core}
    ordinal = re.fullmatch(r"(第)?([一二三四五六七八九十]+)(人民)?医院", core)
    if ordinal:
        out |= {ordinal.group(2) + "院", "第" + ordinal.group(2) + "医院"}
    if "疾病预防控制" in core:
        out.add(core.replace("疾病预防控制", "疾控"))
    if core.startswith("市"):
        out.add(core[1:])
    return {a for a in out if len(a) >= 2}


def unit_named(question: str, unit: str) -> str:
    """The alias of `unit` the question names ("" when none)."""
    for alias in sorted(unit_aliases(unit), key=len, reverse=True):
        if alias in question:
            return alias
    return ""


def _plain_shared(runs: list[str]) -> int:
    return sum(len(r) for r in runs)


@dataclass(frozen=True)
class Named:
    """A project a question names, with how well."""

    project: FormProject
    shared: int  # distinctive characters of the name the question repeats
    plain: int  # all characters of the name it repeats (generic words too)
    cover: float  # their share of the name's distinctive characters
    unit: str  # the unit alias the question names, or ""
    spans: tuple[str, ...]  # the question's words used for the project and its unit


def named_projects(question: str, projects: list[FormProject]) -> list[Named]:
    """The projects the question names best: those whose name it repeats in distinctive
    words (at least 3 characters and half the name's own, or the whole name), ranked by
    characters shared, then by the unit it names. Several on top: the question is ambiguous
    between them (the caller asks which)."""
    found = []
    cores = [p.core for p in projects if not p.department]
    for project in projects:
        if project.department or not project.complete:
            continue
        shared, cover, runs = name_fit(question, project.core)
        if shared < 2:
            continue
        # Most of the name ("中心血站采供血人员经费"), or a part only this project's name
        # prints ("三院DSA项目"); "卫生健康" alone is in several names and names none.
        bare = [re.sub(r"[\d.]+年?", "", r) for r in runs if _distinct(r)]
        own = all(sum(r in core for core in cores) == 1 for r in bare)
        if not (cover >= 0.75 or (max(map(_distinct, runs)) >= 3 and own)):
            continue
        unit = unit_named(question, project.unit) if project.unit else ""
        found.append(Named(project, shared, _plain_shared(runs), cover, unit, tuple(runs) + ((unit,) if unit else ())))
    if not found:
        return []
    # A unit the question names filters: "中医医院住院医师规范化培训" is not another
    # hospital's project of that name.
    if any(n.unit for n in found):
        found = [n for n in found if n.unit]
    best = max((n.shared, n.cover, n.plain) for n in found)
    return [n for n in found if (n.shared, n.cover, n.plain) == best]
