"""One-project performance-target forms (绩效目标填报表, 专项转移支付绩效目标表) read from their grid.

Such a form prints one project (or one transfer payment) on a page:

    项目名称 | X        项目性质 | …     主管部门 | …     实施单位 | …
    项目资金（元） | 项目资金总额 | 4,100,000.00 | 年度资金申请总额 | 4,100,000.00
                   | 其中：财政资金 | 4,100,000.00 | 其中：当年财政拨款 | 4,100,000.00
                   |                |              | 上年结转资金 | 0.00
                   | 其他资金 | 0.00 | 其他资金 | 0.00
    一级指标 | 二级指标 | 三级指标 | 年度(/项目)指标值
    产出指标 | 数量指标 | 规划建筑面积 | ≥13459.00(平方米)

The line reader folds the money block's two sides into one run-on row and reads the
indicator rows as labels without targets. pdfplumber's grid keeps every cell apart; this
module reads it into:

* money rows labelled as printed (项目资金总额, 其中：财政资金 …), one cell each, in the unit
  the money block's head states ("项目资金（元）" → 元, "资金情况（万元）" → 万元). A form
  printing two sides (the project's money and the year's) gives each row of a side the
  qualifier 资金 = the side's first row, since both sides print a 其他资金;
* indicator rows (level 3) labelled by the 三级指标, with 一级指标 and 二级指标 as
  qualifiers and one cell 指标值 (measure 指标值) with its comparator and own unit; a target
  in words that ends with its figure ("不低于50%", "居民参与率不低于100%") is read with it.

Every row carries 项目名称 (a 转移支付名称 is the project of its form), 主管部门 and 实施单位
when printed, and `body` = 实施单位 (else 主管部门). Self-evaluation forms (年度资金总额 with
年初预算数 … columns) are `ingest.self_evaluation_forms`' business and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from budgetqa.domain import BBox, ParsedCell, ParsedRow, ParsedTable
from ingest.numbers import parse_amount
from ingest.pdf_table_text import squash
from ingest.performance_targets import TARGET_COLUMN, is_target_table, parse_target

__all__ = ["read_target_form", "replace_target_forms"]

_PROJECT_FIELDS = ("项目名称", "转移支付名称")
_AUTHORITY_FIELDS = ("主管部门", "市级主管部门", "区级主管部门", "县级主管部门")
_UNIT_FIELD = "实施单位"
# The money block's head: "项目资金（元）", "资金情况（万元）", "项目资金\n（万元）".
_MONEY_HEAD = re.compile(r"^(?P<name>.{0,8}资金.{0,4}?)[（(](?P<unit>万元|元|亿元)[）)]$")
# Self-evaluation forms print these; ingest.self_evaluation_forms reads them.
_SELF_EVALUATION = ("年度资金总额", "任务名称", "年初预算数")
# "不低于50%", "满意率不少于80%": a comparator word, then the figure and its unit, at the end.
_WORDED_TARGET = re.compile(
    r"^(?P<words>\D{0,10}?)(?P<cmp>不低于|不少于|不小于|至少|不超过|不高于|不大于|低于|少于|"
    r"高于|超过|大于|达到|达)?(?P<num>\d+(\.\d+)?)(?P<unit>%|[\u4e00-\u9fff]{1,3})?$")
_WORD_COMPARATORS = {"不低于": "≥", "不少于": "≥", "不小于": "≥", "至少": "≥", "达到": "≥",
                     "达": "≥", "不超过": "≤", "不高于": "≤", "不大于": "≤", "低于": "<",
                     "少于": "<", "高于": ">", "超过": ">", "大于": ">"}

Grid = list[list[tuple[str, BBox | None]]]  # rows of (squashed text, cell box)


def _grid(table) -> Grid:
    return [[(squash(text or ""), box) for text, box in zip(texts, row.cells)]
            for row, texts in zip(table.rows, table.extract())]


def _after(line, label: str) -> str:
    for k, (text, _) in enumerate(line):
        if text == label:
            return next((t for t, _ in line[k + 1:] if t), "")
    return ""


def _texts(grid: Grid) -> set[str]:
    return {text for line in grid for text, _ in line}


def _indicator_header(line) -> dict[str, int] | None:
    """{field: grid column} of the line "一级指标 | 二级指标 | 三级指标 | …指标值", else None."""
    at = {}
    for k, (text, _) in enumerate(line):
        if text in ("一级指标", "二级指标") and text not in at:
            at[text] = k
        elif text in ("三级指标", "指标名称") and "name" not in at:
            at["name"] = k
        elif text.endswith("指标值") and "value" not in at:
            at["value"] = k
    return at if "name" in at and "value" in at else None


def is_target_form(grid: Grid) -> bool:
    """Whether a grid opens a one-project target form: a project field, a money head with
    its unit, an indicator header, and nothing of a self-evaluation form."""
    texts = _texts(grid)
    return (bool(texts & set(_PROJECT_FIELDS)) and not texts & set(_SELF_EVALUATION)
            and any(_MONEY_HEAD.match(t) for t in texts)
            and any(_indicator_header(line) for line in grid))


def worded_target(printed: str):
    """(comparator, value, unit) of a target in words ending with its figure, else None."""
    m = _WORDED_TARGET.match(squash(printed))
    if not m or not (m.group("cmp") or m.group("words") or m.group("unit")):
        return None
    return (_WORD_COMPARATORS.get(m.group("cmp") or "", "="), Decimal(m.group("num")),
            m.group("unit") or "")


def _target_cell(printed: str, box: BBox | None, page: int) -> ParsedCell:
    target = parse_target(printed)
    comparator, value, unit = target.comparator, target.value, target.unit
    if value is None and (worded := worded_target(printed)) is not None:
        comparator, value, unit = worded
    return ParsedCell(column=TARGET_COLUMN, printed=printed, value=value, page=page, bbox=box,
                      measure=TARGET_COLUMN, unit=unit if value is not None else "",
                      comparator=comparator if value is not None else "定性")


def _money_pairs(line, start: int) -> list[tuple[int, str, str, BBox | None]]:
    """(grid column, label, printed amount, box) of each label printed with an amount after
    it on a money line, from grid column `start` on; a label followed by another label heads
    its block and is no pair."""
    filled = [(k, text, box) for k, (text, box) in enumerate(line) if k >= start and (text or box)]
    pairs = []
    for n, (k, text, _) in enumerate(filled):
        if not text or parse_amount(text) is not None:
            continue
        nxt = filled[n + 1] if n + 1 < len(filled) else None
        if nxt is None or (nxt[1] and parse_amount(nxt[1]) is None):
            continue  # a label with no amount cell after it
        pairs.append((k, text.rstrip("：:"), nxt[1], nxt[2]))
    return pairs


def read_target_form(grids: list[tuple[int, Grid]]) -> tuple[list[ParsedRow], str] | None:
    """(rows, money unit) of one form from its grids [(page, grid)], the first opening it;
    None when they are no one-project target form."""
    if not grids or not is_target_form(grids[0][1]):
        return None
    lines = [(page, line) for page, grid in grids for line in grid]
    head = {}
    for _, line in lines:
        for field in _PROJECT_FIELDS + _AUTHORITY_FIELDS + (_UNIT_FIELD,):
            if field not in head and _after(line, field):
                head[field] = _after(line, field)
    project = next((head[f] for f in _PROJECT_FIELDS if f in head), "")
    authority = next((head[f] for f in _AUTHORITY_FIELDS if f in head), "")
    qualifiers = tuple((k, v) for k, v in (("项目名称", project), ("主管部门", authority),
                                           (_UNIT_FIELD, head.get(_UNIT_FIELD, ""))) if v)
    body = head.get(_UNIT_FIELD) or authority
    rows: list[ParsedRow] = []
    unit, money_column, money_from = "", "", None
    sides: dict[int, tuple[str, int]] = {}  # grid column of a side's labels → (its head, row)
    columns = None
    level1 = level2 = ""
    for page, line in lines:
        texts = [t for t, _ in line]
        head_cell = next(((k, m) for k, t in enumerate(texts) if (m := _MONEY_HEAD.match(t))), None)
        if head_cell is not None and columns is None:
            unit, money_column = head_cell[1].group("unit"), head_cell[1].group("name")
            money_from = head_cell[0] + 1
        if (found := _indicator_header(line)) is not None:
            columns, money_from = found, None
            continue
        if money_from is not None:
            if any(t.endswith("目标") for t in texts):  # the goals close the money block
                money_from = None
                continue
            for k, label, printed, box in _money_pairs(line, money_from):
                side = sides.get(k)
                row_qualifiers = qualifiers
                if side is None:
                    sides[k] = (label, len(rows))
                elif len(sides) > 1:
                    row_qualifiers = (("资金", side[0]),) + qualifiers
                rows.append(ParsedRow(
                    label=label, page=page, body=body, qualifiers=row_qualifiers,
                    parent=side[1] if side is not None else None,
                    cells=(ParsedCell(column=money_column, printed=printed,
                                      value=parse_amount(printed), page=page, bbox=box),)))
            continue
        if columns is None:
            continue
        text = {f: line[k][0] if k < len(line) else "" for f, k in columns.items()}
        level1 = text.get("一级指标") or level1
        level2 = text.get("二级指标") or level2
        name, printed = text.get("name", ""), text.get("value", "")
        if not name or not printed:
            continue
        cell = _target_cell(printed, line[columns["value"]][1], page)
        context = tuple((k, v) for k, v in (("一级指标", level1), ("二级指标", level2)) if v)
        rows.append(ParsedRow(label=name, cells=(cell,), page=page, level=3, body=body,
                              qualifiers=context + qualifiers))
    if not any(r.level == 3 for r in rows) or not project:
        return None
    return rows, unit


def _form_grids(pdf, pages: tuple[int, ...]) -> list[list[tuple[int, Grid]]]:
    """The forms printed on the pages, each as its grids: one opening it, then grids that go
    on with its indicator rows (a form cut by a page break)."""
    by_number = {page.page_number: page for page in pdf.pages}
    forms: list[list[tuple[int, Grid]]] = []
    for number in pages:
        if number not in by_number:
            continue
        for table in by_number[number].find_tables():
            grid = _grid(table)
            if is_target_form(grid):
                forms.append([(number, grid)])
            elif forms and not _texts(grid) & set(_PROJECT_FIELDS + _SELF_EVALUATION):
                forms[-1].append((number, grid))
    return forms


def replace_target_forms(pdf, tables: list[ParsedTable]) -> list[ParsedTable]:
    """Tables with each one-project target form re-read from its grid, one table per form.

    Only a table titled as a performance table whose pages hold such forms is re-read; a
    table whose forms do not read (no project, no indicator) keeps the line reader's rows.
    An untitled table the line reader cut from the forms' pages goes with them.
    """
    out, taken = [], set()
    for table in tables:
        if not is_target_table(table.title):
            out.append(table)
            continue
        read = [(grids, made) for grids in _form_grids(pdf, table.pages)
                if (made := read_target_form(grids)) is not None]
        if not read:
            out.append(table)
            continue
        for grids, (rows, unit) in read:
            pages = tuple(dict.fromkeys(page for page, _ in grids))
            taken |= set(pages)
            columns = tuple(dict.fromkeys(c.column for r in rows for c in r.cells))
            out.append(replace(table, rows=tuple(rows), columns=columns, pages=pages,
                               unit=unit or table.unit))
    return [t for t in out if t.title or not set(t.pages) <= taken]
