"""Project self-evaluation forms (项目支出绩效自评表) read from their ruled grid.

Such a form prints one project on a page:

    项目名称 | X                     主管部门 | …   实施单位 | …
    项目资金（万元） | 年初预算数 | 全年预算数（A） | 全年执行数（B） | 分值 | 执行率（B/A） | 得分
        年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金 (one row each)
    绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因…
    总分 | … | 100 | 94.5

The line-based table reader folds the money block into run-on labels ("项目资金（万元）
年度资金总额 其中：当年财政拨款") and column headers prefixed by the project name, so "X项目
全年执行数" finds nothing. pdfplumber's grid of the form keeps every cell apart; this module
reads that grid into:

* money rows labelled as printed (年度资金总额, 其中：当年财政拨款 …), one cell per named
  column (年初预算数, 全年预算数（A）, 全年执行数（B）, 分值, 执行率（B／A）, 得分);
* indicator rows (level 3) labelled by the 三级指标, with 一级指标 and 二级指标 as
  qualifiers and the cells 年度指标值 (measure 指标值, with its comparator and own unit),
  实际完成值, 分值 and 得分;
* the 总分 row (分值, 得分).

Every row carries the qualifiers 项目名称, 主管部门 and 实施单位, and `body` = 实施单位, so
questions can filter by project or by the unit that carried it out. No row is another's
parent: 其中：当年财政拨款 is a part of 年度资金总额 beside 上年结转资金 and 其他资金, and an
indicator's 分值 are no part of the money's 分值, so a parent would only make the
totals check report sums the form never meant.
"""

from __future__ import annotations

import re
from dataclasses import replace

from budgetqa.domain import BBox, ParsedCell, ParsedRow, ParsedTable
from ingest.numbers import parse_amount, parse_percent
from ingest.pdf_table_text import squash
from ingest.performance_targets import ACTUAL_COLUMN, TARGET_COLUMN, is_target_table, parse_target

__all__ = ["FORM_MARK", "read_form", "replace_forms"]

FORM_MARK = "年度资金总额"  # the first money row: only a self-evaluation form prints it
_HEAD_FIELDS = ("项目名称", "主管部门", "实施单位")
_POINTS = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分\s*[）)]$")  # "产出指标（50分）"
_NAME_NUMBER = re.compile(r"^指标\s*\d+\s*[:：]")  # "指标1：群众满意率"
_NAME_UNIT = re.compile(r"[（(]([^（）()\d]{1,4})[）)]$")  # "预计运营收入（亿元）"
_DATE_UNIT = re.compile(r"^年.+")  # the rest of a date read as a unit: "年12月底", "年7月"
_SCORE_COLUMNS = re.compile(r"^(分值|得分)$")
_MONEY_HEADERS = ("年初预算", "全年预算", "全年执行", "分值", "执行率", "得分")
_NAME_HEADERS = ("三级指标", "指标内容", "指标名称")  # the column naming each indicator
_DEPARTMENT = "部门（单位）名称"  # a department-wide form names the department, not a project
_OPENING = ("年度资金总额", "任务名称")  # a form's first grid prints one of them
# The money block's rows: 年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金 …
_MONEY_LABEL = re.compile(r"^(年度资金总额|其中|当年财政|财政拨款|上年结转|其他资金|.{0,8}资金$)")

Grid = list[list[tuple[str, BBox | None]]]  # rows of (text, cell box); merged cells are ("", None)


def _grid(table) -> Grid:
    """A pdfplumber table as rows of (squashed text, cell box)."""
    texts = table.extract()
    out = []
    for row, cells in zip(table.rows, texts):
        out.append([(squash(text or ""), box) for text, box in zip(cells, row.cells)])
    return out


def _after(row, label: str) -> str:
    """The first filled cell after the cell printing `label`."""
    for k, (text, _) in enumerate(row):
        if text == label:
            return next((t for t, _ in row[k + 1:] if t), "")
    return ""


def _number_cell(column: str, text: str, box: BBox | None, page: int) -> ParsedCell:
    value, unit = parse_amount(text), ""
    if value is None and parse_percent(text) is not None:
        value, unit = parse_percent(text), "%"
    if _SCORE_COLUMNS.match(column) and value is not None:
        unit = "分"
    return ParsedCell(column=column, printed=text, value=value, page=page, bbox=box, unit=unit)


def _header_columns(row) -> dict[int, str]:
    """{grid column: header}; "/" separates the levels of a column path, so "执行率（B/A）"
    is kept as one level, "执行率（B／A）"."""
    return {k: text.replace("/", "／") for k, (text, _) in enumerate(row) if text}


def _task_columns(top_line, sub_line) -> dict[int, str]:
    """{grid column: "全年预算数（万元）/总额" …} of a department form's two header lines; a
    merged top cell (no box of its own) heads the sub-columns to its right."""
    out, top = {}, ""
    for k, ((text, box), (sub, _)) in enumerate(zip(top_line, sub_line)):
        if box is not None:
            top = text.replace("/", "／")
        if top.startswith(_MONEY_HEADERS):
            out[k] = f"{top}/{sub}" if sub else top
    return out


def read_form(grids: list[tuple[int, object]]) -> list[ParsedRow] | None:
    """The rows of one form, from its grids [(page, pdfplumber table)] in order, or None
    when they are no self-evaluation form (no 项目名称 or 部门名称, no money block)."""
    lines = [(n, page, line) for n, (page, table) in enumerate(grids) for line in _grid(table)]
    head = {}
    for _, _, row in lines:
        for field in _HEAD_FIELDS + (_DEPARTMENT,):
            if field not in head and _after(row, field):
                head[field] = _after(row, field)
    if "项目名称" not in head and _DEPARTMENT not in head:
        return None
    qualifiers = tuple((f, head[f]) for f in _HEAD_FIELDS if f in head)
    if _DEPARTMENT in head:
        qualifiers += (("部门名称", head[_DEPARTMENT]),)
    body = head.get("实施单位", head.get(_DEPARTMENT, ""))
    rows: list[ParsedRow] = []
    money_columns: dict[int, str] = {}
    indicator_columns: dict[int, str] = {}
    task_at = task_header = None
    level1 = level2 = ""
    has_total = False
    grid_of_money = None
    for grid_number, page, line in lines:
        texts = [t for t, _ in line]
        if grid_number != grid_of_money:
            money_columns = {}  # a money block ends with its grid
        if task_header is not None:  # the line under "任务名称 | 全年预算数（万元） …"
            money_columns, task_header = _task_columns(task_header, line), None
            grid_of_money = grid_number
            continue
        if "任务名称" in texts:
            task_at, task_header, indicator_columns = texts.index("任务名称"), line, {}
            continue
        if any(t.startswith("年初预算") for t in texts):
            money_columns = {k: t for k, t in _header_columns(line).items()
                             if t.startswith(_MONEY_HEADERS)}
            grid_of_money = grid_number
            continue
        if "一级指标" in texts and any(t in _NAME_HEADERS for t in texts):
            indicator_columns = _header_columns(line)
            continue
        if money_columns and not indicator_columns:
            if task_at is not None:  # a department form: one row per task
                label = texts[task_at]
            else:
                label_at = min(money_columns) - 1
                label = next((t for t in reversed(texts[:label_at + 1]) if t), "")
                if not _MONEY_LABEL.match(label):
                    continue  # the goals printed under the money block (预期目标 …)
            if not label or not any(texts[k] for k in money_columns):
                continue
            cells = tuple(_number_cell(name, line[k][0], line[k][1], page)
                          for k, name in sorted(money_columns.items()))
            has_total = has_total or label == FORM_MARK
            rows.append(ParsedRow(label=label, cells=cells, qualifiers=qualifiers, page=page,
                                  body=body))
            continue
        if indicator_columns:
            made = _indicator_row(line, indicator_columns, level1, level2, qualifiers, page, body)
            if made is None:
                continue
            level1, level2, row = made
            if row is not None:
                rows.append(row)
    money = has_total or task_at is not None and bool(rows)
    return rows if money else None


def _indicator_row(line, columns: dict[int, str], level1: str, level2: str, qualifiers,
                   page: int, body: str):
    """(一级指标, 二级指标, row) for one line under the indicator header; the row is None
    for a line that only carries the levels; None for a line that is no indicator."""
    by_name = {}
    for k, name in columns.items():
        by_name.setdefault(name, k)
    text = {name: line[k][0] for name, k in by_name.items()}
    box = {name: line[k][1] for name, k in by_name.items()}
    first = next((t for t, _ in line if t), "")
    if first == "总分":
        cells = tuple(_number_cell(n, text[n], box[n], page) for n in ("分值", "得分") if n in text)
        return level1, level2, ParsedRow(label="总分", cells=cells, qualifiers=qualifiers,
                                         page=page, body=body)
    level1 = _POINTS.sub("", text.get("一级指标", "")) or level1
    level2 = text.get("二级指标", "") or level2
    name = _NAME_NUMBER.sub("", next((text[n] for n in _NAME_HEADERS if n in text), ""))
    target_name = next((n for n in text if n.endswith("指标值")), "")
    actual_name = next((n for n in text if "完成值" in n), "")
    if not name or not (text.get(target_name) or text.get(actual_name)):
        return level1, level2, None
    name_unit = _NAME_UNIT.search(name)
    cells = []
    for column, measure in ((target_name, TARGET_COLUMN), (actual_name, ACTUAL_COLUMN)):
        printed = text.get(column, "")
        if not column or not printed:
            continue
        target = parse_target(printed)
        if _DATE_UNIT.match(target.unit):  # "2021年12月底" is a date, not 2021 of a unit
            target = replace(target, comparator="定性", value=None, unit="")
        unit = target.unit or (name_unit.group(1) if name_unit and target.value is not None else "")
        cells.append(ParsedCell(column=column, printed=printed, value=target.value, page=page,
                                bbox=box[column], measure=measure, unit=unit,
                                comparator=target.comparator if target.value is not None
                                else "定性"))
    cells += [_number_cell(n, text[n], box[n], page) for n in ("分值", "得分") if n in text]
    context = (("一级指标", level1), ("二级指标", level2))
    return level1, level2, ParsedRow(
        label=name, cells=tuple(cells), page=page, level=3, body=body,
        qualifiers=tuple((k, v) for k, v in context if v) + qualifiers)


def _form_grids(pdf, pages: tuple[int, ...]) -> list[tuple[int, object]] | None:
    """(page, grid) of the form printed on the pages: the grid that opens it (its money
    block) and the indicator grids after it; None unless exactly one grid opens a form."""
    by_number = {page.page_number: page for page in pdf.pages}  # a test may pass a few pages
    found, opening = [], 0
    for number in pages:
        if number not in by_number:
            continue
        for grid in by_number[number].find_tables():
            texts = {squash(text or "") for row in grid.extract() for text in row}
            if texts & set(_OPENING):
                opening += 1
                found.append((number, grid))
            elif found and "一级指标" in texts and texts & set(_NAME_HEADERS):
                found.append((number, grid))
    return found if opening == 1 else None


def replace_forms(pdf, tables: list[ParsedTable]) -> list[ParsedTable]:
    """Tables with each self-evaluation form re-read from its grids.

    Only a table titled as a performance table whose pages hold exactly one grid opening a
    form (年度资金总额, or 任务名称 for a department-wide form) is re-read; anything else
    (two forms on a page, a form without a grid) keeps the line reader's rows. An untitled
    table the line reader cut from the form's pages goes with it.
    """
    out, taken = [], set()
    for table in tables:
        if not is_target_table(table.title):
            out.append(table)
            continue
        grids = _form_grids(pdf, table.pages)
        rows = read_form(grids) if grids else None
        if not rows:
            out.append(table)
            continue
        pages = tuple(dict.fromkeys(page for page, _ in grids))
        taken |= set(pages)
        columns = tuple(dict.fromkeys(c.column for r in rows for c in r.cells if c.value is not None))
        out.append(replace(table, rows=tuple(rows), columns=columns, pages=pages,
                           unit=table.unit or "万元"))
    return [t for t in out if t.title or not set(t.pages) <= taken]
