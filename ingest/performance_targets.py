"""Performance-target tables (项目支出绩效目标表, 部门整体绩效目标表 …): one row per indicator.

Such a table lists projects with their money (项目总额 / 财政资金 / 当年财政拨款 …) and,
for each, indicator rows: 一级指标 | 二级指标 | 三级指标 | 指标性质 (≥, ≤, ＝, 定性) |
指标值 | 计量单位. The generic table reader leaves those as text qualifiers; this module
turns each indicator into a row the router can name:

* `label` is the indicator's name (the 三级指标, or 指标名称), `level` the level of that
  name (3 for a 三级指标, 2 for a 二级指标, 0 when the table names no level);
* `qualifiers` keep 一级指标 and 二级指标 and 项目名称 (the project it belongs to);
* `parent` is the project's row, which keeps its money cells with their headers;
* one cell, column "指标值", measure "指标值": `value` the target as a Decimal (None for a
  text target such as "优"), `unit` its own unit (%, 篇, 人次, 万元 …), `comparator` one of
  ≥ ≤ = > < or 定性 (a target in words), `printed` the value as printed, with page and box.

Tables printed as forms (one project per page, "≥13459.00(平方米)" in one cell) keep their
rows; a text field that prints a comparator, a number and a unit is read as an indicator too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from budgetqa.domain import BBox, ParsedCell, ParsedRow
from ingest.numbers import parse_amount
from ingest.pdf_table_text import squash

TARGET_COLUMN = "指标值"
ACTUAL_COLUMN = "实际完成值"  # a self-evaluation's achieved value, beside the target

_TITLE = re.compile(r"绩效(目标|指标|自评)")
_COMPARATORS = (("大于等于", "≥"), ("小于等于", "≤"), (">=", "≥"), ("<=", "≤"), ("≧", "≥"),
                ("≦", "≤"), ("＞", ">"), ("＜", "<"), ("＝", "="), ("等于", "="), ("大于", ">"),
                ("小于", "<"))
_TARGET = re.compile(r"^(?P<cmp>[≥≤=><])?\s*(?P<num>[+-]?\d[\d,]*(\.\d+)?)\s*[(（]?\s*(?P<unit>[^\d()（）\s][^()（）]{0,7}?)?\s*[)）]?$")

# Header leaves naming each field of an indicator row.
_FIELDS: tuple[tuple[str, re.Pattern], ...] = (
    ("level1", re.compile(r"^一级指标")),
    ("level2", re.compile(r"^二级指标")),
    ("name", re.compile(r"^(三级指标|指标名称|绩效指标名称|指标内容)|^绩效指标$")),
    ("activity", re.compile(r"^(活动|部门职能|履职内容)$")),
    ("comparator", re.compile(r"(指标性质|绩效指标性质|符号|运算符)$")),
    ("actual", re.compile(r"(实际完成值|实际值|完成值|实际完成情况)$")),
    ("value", re.compile(r"(指标值|目标值|绩效指标值|标准值)$")),
    ("unit", re.compile(r"(计量单位|度量单位)$")),
    ("project", re.compile(r"^(项目名称|项目)$|、项目名称$")),
)
_CATEGORY = re.compile(r"^\S{2,8}指标$")  # 产出指标, 数量指标, 社会效益指标 …
_TITLE_PROJECT = re.compile(r"(项目)?(支出)?绩效(目标|自评)(填报)?表$")  # "…防制项目绩效自评表"
_NOT_MONEY = re.compile(r"权重|分值|得分|序号|行次")  # numbers that are not a project's money
_NAME_NUMBER = re.compile(r"^指标\s*\d+\s*[:：]")  # "指标1：群众满意率"
# "产出指标数量指标财政评审项目数量": the 一级 and 二级 indicator printed before the name.
_NAME_LEVELS = re.compile(r"^((?:产出|效益|成本|满意度)指标)"
                          r"((?:数量|质量|时效|经济成本|社会成本|生态环境成本|社会效益|经济效益|"
                          r"生态效益|可持续影响|服务对象满意度)指标)?(.+)$")

# One field of a row: its pieces as printed (one per line block), each with the box to cite,
# the box of its text, and the box of its ruled cell.
Piece = tuple[str, BBox | None, BBox | None, BBox | None]
Field = list[Piece]


@dataclass(frozen=True)
class Target:
    """A performance target as printed: "≥ 98 %" is Target("≥", Decimal(98), "%")."""

    comparator: str  # ≥ ≤ = > < , or 定性 when the target is words
    value: Decimal | None
    unit: str


def is_target_table(title: str) -> bool:
    """Whether a table title names a performance-target (or self-evaluation) table."""
    return bool(_TITLE.search(squash(title)))


def normalise_comparator(text: str) -> str:
    """≥ ≤ = > < for the ways publishers print them (＝, >=, 大于等于 …); 定性 stays 定性."""
    text = squash(text)
    for printed, canonical in _COMPARATORS:
        text = text.replace(printed, canonical)
    return text


def parse_target(printed: str, unit: str = "", comparator: str = "") -> Target:
    """Read a target as printed ("≥13459.00(平方米)", "98", "优") with its separate unit and
    comparator cells, when the table has them."""
    text = normalise_comparator(printed)
    comparator = normalise_comparator(comparator)
    m = _TARGET.match(text)
    if not m:
        return Target("定性", None, squash(unit))
    value = parse_amount(m.group("num"))
    own_unit = (m.group("unit") or "").strip()
    cmp = m.group("cmp") or (comparator if comparator in ("≥", "≤", "=", ">", "<") else "=")
    return Target(cmp, value, squash(unit) or own_unit)


def role_of_header(header: str) -> str:
    """The field a column holds, from the deepest level of its header path that names one
    (a first data row read into the header, "度量单位/%/年", still names 度量单位)."""
    for level in reversed([squash(p) for p in header.split("/")]):
        role = next((role for role, pattern in _FIELDS if pattern.search(level)), "")
        if role:
            return role
    return ""


def _pieces(fields: dict[str, Field], role_of: dict[str, str], role: str) -> Field:
    return [p for name, pieces in fields.items() if role_of.get(name) == role for p in pieces]


def _middle(box: BBox | None) -> float | None:
    return None if box is None else (box[1] + box[3]) / 2


def _aligned(value: Piece, pieces: Field) -> str:
    """The text of the piece printed level with a target: its name, unit or comparator.

    A row read from merged cells can hold several indicators; each target takes the piece
    whose middle is nearest its own, within half the taller of the two.
    """
    if len(pieces) == 1 and (value[2] is None or pieces[0][2] is None):
        return pieces[0][0]
    mid = _middle(value[2])
    best, gap = "", None
    for text, _, box, _ in pieces:
        if mid is None or box is None:
            continue
        reach = max(box[3] - box[1], value[2][3] - value[2][1]) / 2 + 2
        distance = abs(_middle(box) - mid)
        if distance <= reach and (gap is None or distance < gap):
            best, gap = text, distance
    return best


def indicator_row(name: str, level: int, context: list[tuple[str, str]], value: Piece,
               unit: str, comparator: str, page: int | None, parent: int | None,
               actual: Piece | None = None) -> ParsedRow:
    target = parse_target(value[0], unit, comparator)
    if comparator and normalise_comparator(comparator) == "定性":
        target = Target("定性", None, "")
    cells = [ParsedCell(column=TARGET_COLUMN, printed=value[0].strip(), value=target.value,
                        page=page, bbox=value[1], measure=TARGET_COLUMN,
                        unit=target.unit, comparator=target.comparator)]
    if actual is not None and actual[0].strip():
        done = parse_target(actual[0], unit)
        cells.append(ParsedCell(column=ACTUAL_COLUMN, printed=actual[0].strip(), value=done.value,
                                page=page, bbox=actual[1], measure=ACTUAL_COLUMN, unit=done.unit,
                                comparator="" if done.value is not None else "定性"))
    name = _NAME_NUMBER.sub("", squash(name))
    levels = _NAME_LEVELS.match(name)
    if levels:
        context = [("一级指标", levels.group(1)), ("二级指标", levels.group(2) or "")] + [
            (k, v) for k, v in context if k not in ("一级指标", "二级指标")]
        name = levels.group(3)
    return ParsedRow(label=name, cells=tuple(cells),
                     qualifiers=tuple((k, v) for k, v in context if v),
                     page=page, level=level, parent=parent)


def _inner_header(fields: dict[str, Field]) -> dict[str, tuple[str, str]] | None:
    """{column: (role, header text)} when a row is a header printed inside a form.

    A self-evaluation form (项目绩效自评表) prints its money block first, then a row
    "一级指标 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分" that heads the
    indicator rows below it; the table's own header names other things.
    """
    mapping = {}
    for name, pieces in fields.items():
        text = squash("".join(p[0] for p in pieces))
        if "二级指标" in text:
            role = "level2"
        else:
            role = next((r for r, pattern in _FIELDS if pattern.search(text) and r != "project"), "")
        if role:
            mapping[name] = (role, text)
    roles = {r for r, _ in mapping.values()}
    return mapping if "name" in roles and ("value" in roles or "actual" in roles) else None


def level_of(name_header: str) -> int:
    levels = [squash(p) for p in name_header.split("/")]
    return 3 if any(p.startswith("三级") for p in levels) else 2 if any(
        p.startswith("二级") for p in levels) else 0


def _money(row: ParsedRow) -> bool:
    """Whether a row prints a project's money (not a target or a weight)."""
    return any(c.value is not None and not role_of_header(c.column) and not _NOT_MONEY.search(c.column)
               for c in row.cells)


def _project_spans(rows: list[ParsedRow], fields: list[dict[str, Field]]) -> list[tuple[int, tuple]]:
    """(row index, (page, top, bottom)) of each project row: where its name cell is ruled.

    Where projects print money, a project row is one with money (a name alone is the rest of
    a name cut by the page); in a table without money, a row naming a project.

    A project's name cell spans all its indicator rows, and its text (with the money) is
    printed in the middle of them; indicators above that middle still belong to it.
    """
    spans = []
    with_money = any(_money(row) for row in rows)
    for i, (row, row_fields) in enumerate(zip(rows, fields)):
        named = [p for name, field in row_fields.items() if role_of_header(name) == "project" for p in field]
        if not (_money(row) if with_money else named and not _has_target(row_fields)):
            continue
        boxes = [p[3] for p in named]
        boxes = [b for b in boxes if b is not None]
        if boxes:
            spans.append((i, (row.page, min(b[1] for b in boxes), max(b[3] for b in boxes))))
        else:
            spans.append((i, (row.page, None, None)))
    return spans


def _has_target(fields: dict[str, Field]) -> bool:
    return any(role_of_header(name) in ("value", "name") and field for name, field in fields.items())


def _owner(spans, index: int, page: int | None, middle: float | None) -> int | None:
    """The project row an indicator belongs to: the one whose name cell spans it, else the last before."""
    for i, (p, top, bottom) in spans:
        if p == page and top is not None and middle is not None and top - 1 <= middle <= bottom + 1:
            return i
    before = [i for i, _ in spans if i <= index]
    return before[-1] if before else None


def read_indicators(rows: list[ParsedRow], fields: list[dict[str, Field]],
                    title: str = "") -> list[ParsedRow]:
    """The rows of a performance-target table with each indicator as its own row.

    `fields` holds, for every row, its columns by header path with the printed pieces and
    boxes. Rows that hold no indicator (a project with its money, 合计) stay as they are;
    an indicator's `parent` is its project's row. Indicators of a form about one project
    (a 项目绩效自评表) are named by the project its title names.
    """
    form_project = _TITLE_PROJECT.sub("", squash(title)) if _TITLE_PROJECT.search(squash(title)) else ""
    spans = _project_spans(rows, fields)
    kept: list[int] = []  # indices of rows kept as they are
    found: dict[int | None, list[ParsedRow]] = {}  # project row index → its indicators
    level1 = level2 = ""
    inner: dict[str, tuple[str, str]] = {}  # roles set by a header row inside the table
    held: dict[str, Field] = {}  # comparator and unit of the next row, printed above it
    for index, (row, row_fields) in enumerate(zip(rows, fields)):
        if (found_inner := _inner_header(row_fields)) is not None:
            inner = found_inner
            continue
        role_of = {name: inner[name][0] if name in inner else role_of_header(name) for name in row_fields}
        get = {role: _pieces(row_fields, role_of, role)
               for role in ("level1", "level2", "name", "comparator", "value", "unit", "actual",
                            "activity")}
        for role, pieces in held.items():  # a comparator and unit printed a line above
            if not get[role]:
                get[role] = [(text, None, None, None) for text, *_ in pieces]
        held = {}
        if not get["name"] and not get["value"] and (get["comparator"] or get["unit"]):
            held = {role: get[role] for role in ("comparator", "unit") if get[role]}
            continue
        made = []
        if get["name"] and get["value"]:
            name_header = next(inner[n][1] if n in inner else n
                               for n, r in role_of.items() if r == "name")
            for value in get["value"]:
                name = _aligned(value, get["name"])
                if not name:
                    continue
                level1 = _aligned(value, get["level1"]) or level1
                level2 = _aligned(value, get["level2"]) or level2
                owner = _owner(spans, index, row.page, _middle(value[2]))
                context = [("一级指标", level1), ("二级指标", level2),
                           ("活动", _aligned(value, get["activity"]))]
                actual = next((p for p in get["actual"] if p[0] == _aligned(value, get["actual"])), None)
                made.append((owner, indicator_row(name, level_of(name_header), context, value,
                                               _aligned(value, get["unit"]),
                                               _aligned(value, get["comparator"]), row.page, None,
                                               actual)))
        elif (loose := _loose_target(row.label, row_fields)) is not None:
            name, category, value = loose
            owner = _owner(spans, index, row.page, _middle(value[2]))
            made.append((owner, indicator_row(name, 0, [("二级指标", category)], value, "", "",
                                           row.page, None)))
        is_project = any(i == index for i, _ in spans)
        if not made or (is_project and not inner):  # under a form's inner header, rows are indicators
            kept.append(index)
        for owner, indicator in made:
            if inner and form_project:
                owner = None
                indicator = replace(indicator, qualifiers=indicator.qualifiers + (("项目名称", form_project),))
            found.setdefault(owner, []).append(indicator)
    return _with_indicators(rows, kept, found)


def _with_indicators(rows: list[ParsedRow], kept: list[int],
                     found: dict[int | None, list[ParsedRow]]) -> list[ParsedRow]:
    """Kept rows in their order, each project's indicators right after it, parents re-pointed."""
    out: list[ParsedRow] = list(found.get(None, []))
    new_index: dict[int, int] = {}
    for index in kept:
        new_index[index] = len(out)
        out.append(rows[index])
        project = rows[index].label
        out += [replace(ind, parent=new_index[index],
                        qualifiers=ind.qualifiers + (("项目名称", project),) if project else ind.qualifiers)
                for ind in found.get(index, [])]
    return [replace(r, parent=new_index.get(r.parent)) if i in kept_at and r.parent is not None else r
            for kept_at in [set(new_index.values())] for i, r in enumerate(out)]


def _loose_target(label: str, fields: dict[str, Field]) -> tuple[str, str, Piece] | None:
    """(name, category, value) of a form row that prints its target whole ("≥13459.00(平方米)").

    The name is the last words printed before the target that are not a category
    (数量指标 …), else the row's label.
    """
    pieces = [p for field in fields.values() for p in field]
    for k, piece in enumerate(pieces):
        printed = normalise_comparator(piece[0])
        if printed[:1] not in ("≥", "≤", "=", ">", "<") or not _TARGET.match(printed):
            continue
        words = " ".join(p[0] for p in pieces[:k] if p[0].strip()).split() or label.split()
        category = next((w for w in words if _CATEGORY.match(w)), "")
        names = [w for w in words if not _CATEGORY.match(w)]
        if not names:
            return None
        return names[-1], category, piece
    return None
