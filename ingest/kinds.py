"""Canonical kinds of the standard budget tables, so questions can name them loosely."""

from __future__ import annotations

import re

# Order matters: the first pattern that matches a title wins, most specific first.
_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    # Performance targets and self-evaluations of a project, whatever the project is about
    # ("采供血业务经费（政府采购部分）项目绩效自评表"): one row per indicator.
    ("绩效", re.compile(r"绩效(目标|自评|指标|评价)")),
    ("三公经费表", re.compile(r"三公")),
    ("机关运行经费", re.compile(r"机关运行经费")),
    ("政府性基金", re.compile(r"政府性基金")),
    ("国有资本经营", re.compile(r"国有资本经营")),
    ("政府采购", re.compile(r"政府采购")),
    ("绩效", re.compile(r"绩效")),
    ("社会保险基金", re.compile(r"社会保险基金")),
    ("政府债务", re.compile(r"债务|债券")),
    ("财政拨款收支总表", re.compile(r"财政拨款(收支|收入支出)")),
    ("收支总表", re.compile(r"(收支|收入支出).*(总表|总体情况表)|收支预算表|收支决算表")),
    ("收入总表", re.compile(r"收入.*(总表|预算表|决算表|情况表)")),
    ("项目支出", re.compile(r"项目支出|项目经费")),
    ("基本支出表", re.compile(r"基本支出")),
    ("一般公共预算支出表", re.compile(r"一般公共预算.*支出")),
    ("财政拨款支出表", re.compile(r"财政拨款.*支出")),
    ("支出总表", re.compile(r"支出.*(总表|预算表|决算表|情况表)")),
)

KINDS: tuple[str, ...] = tuple(dict.fromkeys(k for k, _ in _KINDS))

# How general a table is: when a label stands in several tables, prefer the lowest rank.
GENERALITY: dict[str, int] = {
    "支出总表": 0, "收支总表": 1, "收入总表": 1, "财政拨款收支总表": 2,
    "财政拨款支出表": 3, "一般公共预算支出表": 4,
    # The 三公 table prints 会议费, 培训费, 公务接待费 whole; the 基本支出表 only their basic part.
    "三公经费表": 4.5, "基本支出表": 5, "项目支出": 6, "机关运行经费": 6, "政府采购": 6, "政府性基金": 7, "国有资本经营": 7,
    "社会保险基金": 7, "政府债务": 7, "绩效": 8, "其他": 9,
}


def table_kind(title: str) -> str:
    """The canonical kind of a table from its title, or 其他."""
    compact = re.sub(r"\s+", "", title)
    for kind, pattern in _KINDS:
        if pattern.search(compact):
            return kind
    return "其他"
