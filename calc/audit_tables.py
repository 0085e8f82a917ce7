"""Audit rules within one table: totals and 科目 parents (via calc.reconcile), and the
column identities 合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费,
三公 = 出国 + 公务用车 + 接待, and 收入总计 = 支出总计 of a 收支总表.

Pure: SourcedTables in, Findings out; Decimal only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow
from calc.audit_findings import (ERROR, SERIOUS, Finding, Rule, SourcedTable, cell_citation, finding_id,
                                 is_exact, parts_finding, plain, quantum, severity)
from calc.audit_groups import grouped_sums
from calc.reconcile import is_column_numbers, reconcile_table
from ingest.pdf_table_text import is_total, squash

RULES = (
    Rule("table.total", "合计/总计行等于其各行之和"),
    Rule("table.hierarchy", "类 = Σ款，款 = Σ项（按科目编码）"),
    Rule("table.basic_plus_project", "每行：合计 = 基本支出 + 项目支出（及同级其他支出列）"),
    Rule("table.basic_split", "每行：基本支出 = 人员经费 + 公用经费"),
    Rule("table.three_public", "“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费；"
                               "公务用车 = 购置费 + 运行费；合计 = “三公”经费 + 会议费 + 培训费"),
    Rule("table.income_expense", "收支总表：收入总计 = 支出总计"),
    Rule("table.performance_funds", "绩效目标/自评表：项目（年度）资金总额 = 财政拨款（财政资金）+ 其他资金"),
    Rule("table.performance_rate", "绩效指标：以率或满意度计的指标值、完成值不超过100%（增长率除外）；"
                                   "绩效自评表的总分不超过100分"),
    Rule("table.performance_weights", "绩效指标表：每个项目各项指标的权重（分值）之和等于项目行所列权重（100）"),
    Rule("table.classification_sides", "收支总表：按功能分类列示的各类支出之和 = 按支出用途列示的支出小计"),
)

# Sibling columns that are not addends of a row's 合计 (comparisons with last year, ratios).
_NOT_ADDEND = re.compile(r"上年|比上|增减|增长|变动|%|％|占比|执行数|决算数|扣除|剔除|其中")
_SUBTOTAL = ("合计", "小计", "总计")
# Columns of rates or shares ("比上年增、减幅度", "增长%"): never sums.
_RATE_COLUMN = re.compile(r"幅度|%|％|率|占比")
# The column of a 收支总表 side that holds its total (not a breakdown column).
_TOTAL_COLUMNS = ("合计", "金额", "预算数", "决算数", "支出", "收入")


def _leaf(column: str) -> str:
    return squash(column.rsplit("/", 1)[-1])


def _prefix(column: str) -> str:
    return column.rsplit("/", 1)[0] if "/" in column else ""


def _sum_finding(rule: str, source: SourcedTable, row: ParsedRow, total: ParsedCell,
                 parts: list[ParsedCell], what: str, location: str) -> Finding | None:
    """A finding when the total cell differs from the sum of the part cells (None when equal)."""
    values = [c.value for c in parts if c.value is not None]
    if total.value is None or not values:
        return None
    expected = sum(values, Decimal(0))
    q = max([quantum(total.printed)] + [quantum(c.printed) for c in parts if c.value is not None])
    level = severity(total.value, expected, len(values), q, is_exact(q, source.table.unit))
    if level is None:
        return None
    formula = (" + ".join(plain(v) for v in values) + f" = {plain(expected)}；"
               f"表列 {plain(total.value)}（差 {plain(total.value - expected)}）")
    message = (f"《{source.name}》{what}：各部分之和 {plain(expected)}{source.table.unit}，"
               f"表列 {plain(total.value)}{source.table.unit}")
    operands = tuple(cell_citation(source, row, c) for c in [total, *parts] if c.value is not None)
    return Finding(id=finding_id(rule, source.doc, source.name, location),
                   rule=rule, doc=source.doc, severity=level, message=message, formula=formula,
                   expected=expected, found=total.value, operands=operands)


def _grouped_reading_adds_up(table, m) -> bool:
    """True when a total's parts are code-less rows of one level that add up once read as
    groups and their items ("国有资本经营收入 627 / 其中一项 617 / …"), as
    calc.audit_groups reads them; the parser could not tell a 款 from its 项 there."""
    rows = [table.rows[k] for k in m.part_indices]
    if len(rows) < 2 or any(r.code or r.parent is not None or r.level for r in rows):
        return False
    values = []
    for n, r in enumerate(rows):
        cell = next((c for c in r.cells if c.column == m.part_column(n)), None)
        values.append(cell.value if cell is not None and cell.value is not None else Decimal(0))
    return m.found in grouped_sums(values)


# A label that opens with a figure's digit groups (",413,900一、教育支出"): the reader put a
# figure of the row above into this label, and left that row's cell blank.
_LEAKED_FIGURE = re.compile(r"^[,，]\d{3}|^\d{1,3}[,，]\d{3}")


def _cell_value(row: ParsedRow, column: str):
    cell = next((c for c in row.cells if c.column == column), None)
    return None if cell is None else cell.value


def _uncoded_rows_within(table, m) -> list[int]:
    """Code-less rows the parser linked to nothing inside a 科目 parent's block (up to the
    next row of its level): a 款 and its 项 whose codes were lost ("城乡社区规划与管理
    254.20" twice under "三、城乡社区支出" between the coded 款)."""
    rows = table.rows
    parent = rows[m.row_index]
    if not parent.level:
        return []
    out = []
    for k in range(m.row_index + 1, len(rows)):
        r = rows[k]
        if (0 < r.level <= parent.level and r.parent is None) or is_total(r.label):
            break
        if not r.code and not r.level and r.parent is None and not is_column_numbers(r.label) \
                and not squash(r.label).startswith("其中"):
            out.append(k)
    return out


def _loose_cells(table, rows: list[int], column: str) -> list[tuple[ParsedRow, ParsedCell]]:
    out = []
    for k in rows:
        cell = next((c for c in table.rows[k].cells if c.column == column), None)
        if cell is not None and cell.value is not None:
            out.append((table.rows[k], cell))
    return out


def check_reconcile(source: SourcedTable) -> list[Finding]:
    """Totals and 科目 parents that do not add up, from calc.reconcile, as findings. A
    parent whose block holds code-less rows linked to nothing adds up when those rows,
    read as groups (calc.audit_groups), make up the gap; else they are cited too."""
    out = []
    table = source.table
    leaked = any(_LEAKED_FIGURE.match(squash(r.label)) for r in table.rows)
    for m in reconcile_table(table):
        if _grouped_reading_adds_up(table, m):
            continue
        if leaked and any(_cell_value(table.rows[k], m.part_column(n)) is None
                          for n, k in enumerate(m.part_indices)):
            continue  # a part's figure was read into a label: the sum is not the table's
        row = table.rows[m.row_index]
        rule = "table.total" if not row.code and is_total(row.label) else "table.hierarchy"
        # Only a gap beyond rounding can be rows the parser left unlinked.
        loose = _loose_cells(table, _uncoded_rows_within(table, m), m.column) \
            if rule == "table.hierarchy" and m.severity in SERIOUS else []
        if loose and m.found - m.expected in grouped_sums([c.value for _, c in loose]):
            continue
        total = next(c for c in row.cells if c.column == m.column)
        parts = []
        for n, k in enumerate(m.part_indices):
            part_row = table.rows[k]
            cell = next((c for c in part_row.cells if c.column == m.part_column(n)), None)
            if cell is not None and cell.value is not None:
                parts.append((part_row, cell))
        level = m.severity
        what = f"行“{m.row}”列“{m.column}”"
        formula = (" + ".join(plain(c.value) for _, c in parts) + f" = {plain(m.expected)}；"
                   f"表列 {plain(m.found)}（差 {plain(m.difference)}）")
        out.append(Finding(
            id=finding_id(rule, source.doc, source.name, m.row, row.code, m.column), rule=rule,
            doc=source.doc, severity=level,
            message=(f"《{source.name}》{what}：{len(m.parts)} 个组成部分之和 "
                     f"{plain(m.expected)}{table.unit}，表列 {plain(m.found)}{table.unit}"),
            formula=formula, expected=m.expected, found=m.found,
            operands=(cell_citation(source, row, total),
                      *(cell_citation(source, r, c) for r, c in parts + loose))))
    return out


def _addend_columns(columns: tuple[str, ...], total: str) -> list[str] | None:
    """The sibling columns a row-total column adds up, or None when they cannot be told."""
    prefix = _prefix(total)
    depth = total.count("/")
    groups: dict[str, list[str]] = {}
    for column in columns:
        if column == total or (prefix and not column.startswith(prefix + "/")):
            continue
        segments = column.split("/")
        if len(segments) <= depth:
            continue
        groups.setdefault(squash(segments[depth]), []).append(column)
    out = []
    for name, members in groups.items():
        if _NOT_ADDEND.search(name) or name in _SUBTOTAL:
            continue
        # "项目支出/扣除基建项目后预算数" restates its group, it does not add to it.
        members = [c for c in members if not _NOT_ADDEND.search(_leaf(c))]
        if not members:
            continue
        if len(members) == 1:
            out.append(members[0])
            continue
        sub = [c for c in members if _leaf(c) in _SUBTOTAL and c.count("/") == depth + 1]
        if len(sub) > 1:
            return None
        # A group without its own subtotal column adds up through its leaf columns.
        out += sub or members
    return out


def check_basic_plus_project(source: SourcedTable) -> list[Finding]:
    """Every row: the 合计 column equals 基本支出 + 项目支出 (+ other sibling spending columns)."""
    columns = source.table.columns
    out = []
    for total in columns:
        if _leaf(total) not in _SUBTOTAL:
            continue
        addends = _addend_columns(columns, total)
        if not addends:
            continue
        names = [squash(c) for c in addends]
        if not (any("基本支出" in n for n in names) and any("项目支出" in n for n in names)):
            continue
        for row in source.table.rows:
            cells = {c.column: c for c in row.cells}
            if total not in cells:
                continue
            parts = [cells[c] for c in addends if c in cells]
            found = _sum_finding("table.basic_plus_project", source, row, cells[total], parts,
                                 f"行“{row.label or row.code}”合计 ≠ " + " + ".join(
                                     _leaf(c) for c in addends), f"{row.label}|{row.code}|{total}")
            if found:
                out.append(found)
    return out


def _find(columns, pattern: str, exclude: str = "") -> list[str]:
    return [c for c in columns if re.search(pattern, squash(c))
            and not (exclude and re.search(exclude, squash(c)))]


def check_basic_split(source: SourcedTable) -> list[Finding]:
    """Every row: 基本支出 equals 人员经费 + 公用经费, where the three columns are printed."""
    columns = source.table.columns
    people = _find(columns, "人员经费")
    public = _find(columns, "公用经费")
    basic = [c for c in columns if "基本支出" in squash(c) and
             (_leaf(c) in _SUBTOTAL or _leaf(c) == "基本支出")]
    if len(people) != 1 or len(public) != 1 or len(basic) != 1:
        return []
    out = []
    for row in source.table.rows:
        cells = {c.column: c for c in row.cells}
        if basic[0] not in cells:
            continue
        parts = [cells[c] for c in (people[0], public[0]) if c in cells]
        found = _sum_finding("table.basic_split", source, row, cells[basic[0]], parts,
                             f"行“{row.label or row.code}”基本支出 ≠ 人员经费 + 公用经费",
                             f"{row.label}|{row.code}")
        if found:
            out.append(found)
    return out


def _split(key: str) -> tuple[str, str]:
    """(parent, leaf) of a column path or a row label, squashed."""
    parts = squash(key).split("/")
    return ("/".join(parts[:-1]), parts[-1])


def _three_public_role(key: str, has_meetings: bool) -> str:
    """The role of a 三公 item named by a column path or row label, or ""."""
    parent, leaf = _split(key)
    if "出国" in leaf:
        return "abroad"
    if "接待" in leaf:
        return "reception"
    if "购置及运行" in leaf or (leaf in _SUBTOTAL and "公务用车" in parent) or leaf == "公务用车":
        return "car"
    if "购置" in leaf and "运行" not in leaf:
        return "car_buy"
    if "运行" in leaf and "购置" not in leaf and "机关" not in leaf:
        return "car_run"
    if "三公" in leaf and not re.search("会议|培训", leaf) or (
            leaf in _SUBTOTAL and "三公" in parent and "公务用车" not in parent) or (
            leaf in _SUBTOTAL and not parent and not has_meetings):
        return "total"
    return ""


def _three_public_items(items: dict[str, ParsedCell]) -> dict[str, ParsedCell] | None:
    """Map roles (total, abroad, car, car_buy, car_run, reception) to cells, or None."""
    has_meetings = any(re.search("会议|培训", k) for k in items)
    by_role: dict[str, list[str]] = {}
    for key in items:
        role = _three_public_role(key, has_meetings)
        if role:
            by_role.setdefault(role, []).append(key)
    roles = {role: items[keys[0]] for role, keys in by_role.items() if len(keys) == 1}
    if "abroad" not in roles or "reception" not in roles or not (
            "car" in roles or ("car_buy" in roles and "car_run" in roles)):
        return None
    return roles


def check_three_public(source: SourcedTable) -> list[Finding]:
    """三公 = 出国 + 公务用车 + 接待 and 公务用车 = 购置 + 运行, in column or row layout."""
    table = source.table
    if table.kind != "三公经费表":
        return []
    out = []
    layouts: list[tuple[ParsedRow | None, dict[str, tuple[ParsedRow, ParsedCell]]]] = []
    for row in table.rows:  # column layout: the items are the columns of a row
        layouts.append((row, {squash(c.column): (row, c) for c in row.cells}))
    for column in table.columns:  # row layout: the items are the rows of a column
        if _RATE_COLUMN.search(squash(column)):
            continue  # "增、减幅度": rates of change do not add up
        items = {}
        for row in table.rows:
            cell = next((c for c in row.cells if c.column == column), None)
            if cell is not None and squash(row.label):
                items.setdefault(squash(row.label), (row, cell))
        layouts.append((None, items))
    for _, items in layouts:
        roles = _three_public_items({k: c for k, (_, c) in items.items()})
        if roles is None:
            continue
        rows = {role: next(r for r, c in items.values() if c is cell) for role, cell in roles.items()}
        checks = []
        if "car" in roles and "car_buy" in roles and "car_run" in roles:
            checks.append(("car", ["car_buy", "car_run"], "公务用车购置及运行费 ≠ 购置费 + 运行费"))
        if "total" in roles:
            car = ["car"] if "car" in roles else ["car_buy", "car_run"]
            checks.append(("total", ["abroad", *car, "reception"],
                           "“三公”经费 ≠ 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费"))
        for total, parts, what in checks:
            row = rows[total]
            found = _sum_finding("table.three_public", source, row, roles[total],
                                 [roles[p] for p in parts], what,
                                 f"{total}|{row.label}|{roles[total].column}")
            if found:
                found = replace(found, operands=tuple(
                    cell_citation(source, rows[r], roles[r]) for r in [total, *parts]
                    if roles[r].value is not None))
                out.append(found)
    return out


def check_three_public_total(source: SourcedTable) -> list[Finding]:
    """A "“三公”经费、会议费、培训费" table: its 合计 column equals the 三公 subtotal plus
    the 会议费 and 培训费 columns (the sibling groups of the 合计 column)."""
    table = source.table
    if table.kind != "三公经费表":
        return []
    out = []
    for total in (c for c in table.columns if "/" not in c and _leaf(c) in _SUBTOTAL):
        addends = _addend_columns(table.columns, total)
        if not addends or len(addends) < 2 or not any("三公" in squash(c) for c in addends):
            continue
        for row in table.rows:
            cells = {c.column: c for c in row.cells}
            if total not in cells:
                continue
            found = _sum_finding("table.three_public", source, row, cells[total],
                                 [cells[c] for c in addends if c in cells],
                                 f"行“{row.label or row.code}”合计 ≠ " + " + ".join(
                                     squash(c.split("/")[0]) for c in addends),
                                 f"total|{row.label}|{total}")
            if found:
                out.append(found)
    return out


_FUNDS_TOTAL = re.compile(r"^(项目|年度)?(资金)?总额$")
_FUNDS_PART = re.compile(r"^(当年)?财政(拨款|资金)$|^其他资金$|^上年结转(资金)?$")


def check_performance_funds(source: SourcedTable) -> list[Finding]:
    """A performance table (绩效目标表, 绩效自评表) that prints a project's funds: every row's
    资金总额 equals its 财政拨款 (财政资金) plus 其他资金, the columns beside it or under
    its "其中" heading."""
    table = source.table
    if table.kind != "绩效":
        return []
    out = []
    for total in (c for c in table.columns if _FUNDS_TOTAL.match(_leaf(c))):
        prefix = _prefix(total)
        addends = [c for c in table.columns if _FUNDS_PART.match(_leaf(c)) and squash(
            _prefix(c)) in (squash(prefix), squash(prefix + "/其中：" if prefix else "其中："),
                            squash(prefix + "/其中" if prefix else "其中"))]
        if len(addends) < 2:
            continue
        for row in table.rows:
            cells = {c.column: c for c in row.cells}
            if total not in cells:
                continue
            found = _sum_finding("table.performance_funds", source, row, cells[total],
                                 [cells[c] for c in addends if c in cells],
                                 f"行“{row.label or row.code}”{_leaf(total)} ≠ "
                                 + " + ".join(_leaf(c) for c in addends),
                                 f"funds|{row.label}|{total}")
            if found:
                out.append(found)
    return out


# The weight column of a 绩效指标 table ("年度绩效指标权重", "分值"), not a score (得分).
_WEIGHT_COLUMN = re.compile(r"权重|分值")


def check_performance_weights(source: SourcedTable) -> list[Finding]:
    """A 绩效指标 table: each project's indicator weights add up to the weight printed on
    the project's own line (100), a line with no indicator name that opens the project's
    block of indicators."""
    table = source.table
    if table.kind != "绩效":
        return []
    out = []
    for column in (c for c in table.columns if _WEIGHT_COLUMN.search(_leaf(c))
                   and "得分" not in _leaf(c)):
        cells = [(row, next((c for c in row.cells if c.column == column and c.value is not None),
                            None)) for row in table.rows]
        # A project line may print its weight in another column (read as a target): it
        # still closes the block before it.
        heads = [k for k, row in enumerate(table.rows) if not squash(row.label)
                 and any(c.value is not None for c in row.cells)]
        for n, k in enumerate(heads):
            end = heads[n + 1] if n + 1 < len(heads) else len(cells)
            parts = [(row, cell) for row, cell in cells[k + 1:end] if cell is not None]
            row, head = cells[k]
            if head is None or len(parts) < 2:
                continue
            expected = sum((c.value for _, c in parts), Decimal(0))
            # Weights are set, not rounded: any gap is a slip (minor up to 1 per part).
            level = severity(head.value, expected, len(parts), quantum(head.printed), True)
            if level is None:
                continue
            out.append(parts_finding(
                "table.performance_weights", source, (str(k), column), level,
                f"《{source.name}》第 {k + 1} 行起的项目：{len(parts)} 项指标的"
                f"{_leaf(column)}之和 {plain(expected)}，项目行列 {plain(head.value)}",
                (row, head), parts, expected))
    return out


# Indicators measured as a share of a whole: 合格率, 执行率, 覆盖率, 满意度 … (a growth
# rate or an increase may exceed 100%).
_SHARE_INDICATOR = re.compile(r"(率|满意度)$")
_GROWTH_INDICATOR = re.compile(r"增长|增幅|增速|提高|上升|下降|降低|减少|变化|回报|倍")
_TARGET_COLUMN = re.compile(r"指标值|完成值|实际值|目标值")
# "总分 | 分值 100 | 得分 98": a self-evaluation scores out of 100.
_TOTAL_SCORE = re.compile(r"^总分")
_SCORE_COLUMN = re.compile(r"分值|得分|评分")
HUNDRED = Decimal(100)


def check_performance_rates(source: SourcedTable) -> list[Finding]:
    """A performance table: an indicator measured as a share (合格率, 满意度 …) cannot
    target or reach more than 100%, nor can a self-evaluation's 总分 score more than 100."""
    table = source.table
    if table.kind != "绩效":
        return []
    out = []
    for row in table.rows:
        label = squash(row.label)
        score = bool(_TOTAL_SCORE.match(label))
        if not score and (not _SHARE_INDICATOR.search(label) or _GROWTH_INDICATOR.search(label)):
            continue
        columns = _SCORE_COLUMN if score else _TARGET_COLUMN
        for cell in row.cells:
            if (cell.value is None or cell.value <= HUNDRED
                    or not columns.search(_leaf(cell.column))):
                continue
            out.append(Finding(
                id=finding_id("table.performance_rate", source.doc, source.name, row.label,
                              cell.column),
                rule="table.performance_rate", doc=source.doc, severity=ERROR,
                message=(f"《{source.name}》指标“{row.label}”的{_leaf(cell.column)}为 "
                         f"{cell.printed}，" + ("总分不能超过100分" if score
                                                else "以率计的指标不能超过100%")),
                formula=f"{plain(cell.value)} > 100", expected=HUNDRED, found=cell.value,
                operands=(cell_citation(source, row, cell),)))
    return out


def _numbered_class(row: ParsedRow) -> bool:
    return row.level == 1 and row.parent is None and bool(_CLASS_MARK.match(squash(row.label)))


_CLASS_MARK = re.compile(r"^[一二三四五六七八九十]+、")


def check_classification_sides(source: SourcedTable) -> list[Finding]:
    """A 收支总表 that lists the spending twice, by function (一般公共服务支出 …) and by use
    (基本支出, 项目支出 …), in two columns: when one column prints no subtotal of its own,
    its numbered classes must add up to the subtotal the other column prints on the row of
    the same name ("当年支出小计")."""
    table = source.table
    if table.kind not in ("收支总表", "财政拨款收支总表"):
        return []
    out = []
    expense = [c for c in table.columns if "支出" in c.split("/")[0]]
    totals = {}  # label → (row, cell) of a printed spending subtotal
    for row in table.rows:
        if not row.code and is_total(squash(row.label)) and "支出" in squash(row.label):
            for cell in row.cells:
                if cell.column in expense and cell.value is not None:
                    totals.setdefault(squash(row.label), (row, cell))
    for column in expense:
        classes, blank_totals = [], []
        for row in table.rows:
            cell = next((c for c in row.cells if c.column == column), None)
            if cell is None:
                continue
            if not row.code and is_total(squash(row.label)):
                if cell.value is None and "支出" in squash(row.label):
                    blank_totals.append(squash(row.label))
            elif _numbered_class(row) and cell.value is not None:
                classes.append(cell)
        label = next((t for t in blank_totals
                      if t in totals and totals[t][1].column != column), None)
        if label is None or not classes:
            continue
        row, cell = totals[label]
        if any(c is cell for c in classes):
            continue
        class_rows = {id(c): r for r in table.rows for c in r.cells if c.column == column}
        found = _sum_finding("table.classification_sides", source, row, cell, classes,
                             f"按功能分类的各类支出之和 ≠ “{label}”", f"sides|{column}|{label}")
        if found:
            out.append(replace(found, operands=(cell_citation(source, row, cell), *(
                cell_citation(source, class_rows[id(c)], c) for c in classes))))
    return out


def check_income_expense(source: SourcedTable) -> list[Finding]:
    """A 收支总表: the 收入总计 equals the 支出总计 (each expense column against the income)."""
    table = source.table
    if table.kind not in ("收支总表", "财政拨款收支总表"):
        return []
    income, expense = [], []
    for row in table.rows:
        label = squash(row.label)
        if not label.endswith("总计"):
            continue
        for cell in row.cells:
            if cell.value is None:
                continue
            side = "收入" if label.startswith("收入") else "支出" if label.startswith("支出") else (
                "收入" if "收入" in cell.column else "支出" if "支出" in cell.column else "")
            if side == "收入" and not re.search(r"上年|比上", cell.column):
                income.append((row, cell))
            elif side == "支出" and (_leaf(cell.column) in _TOTAL_COLUMNS or "/" not in cell.column):
                expense.append((row, cell))
    if len(income) != 1 or not expense:
        return []
    in_row, in_cell = income[0]
    out = []
    for ex_row, ex_cell in expense:
        q = max(quantum(in_cell.printed), quantum(ex_cell.printed))
        level = severity(ex_cell.value, in_cell.value, 1, q, is_exact(q, table.unit))
        if level is None:
            continue
        out.append(Finding(
            id=finding_id("table.income_expense", source.doc, source.name, ex_cell.column),
            rule="table.income_expense", doc=source.doc, severity=level,
            message=(f"《{source.name}》收入总计 {plain(in_cell.value)} ≠ 支出总计"
                     f"（{ex_cell.column}）{plain(ex_cell.value)}{table.unit}"),
            formula=(f"收入总计 {plain(in_cell.value)} − 支出总计 {plain(ex_cell.value)} = "
                     f"{plain(in_cell.value - ex_cell.value)}"),
            expected=in_cell.value, found=ex_cell.value,
            operands=(cell_citation(source, in_row, in_cell), cell_citation(source, ex_row, ex_cell))))
    return out


def audit_table(source: SourcedTable) -> list[Finding]:
    """Every within-table rule on one table. Rows that number the columns ("栏次 1 2 3")
    hold no figures and take part in no rule."""
    out: list[Finding] = []
    for check in (check_reconcile, check_basic_plus_project, check_basic_split,
                  check_three_public, check_three_public_total, check_income_expense,
                  check_classification_sides, check_performance_funds,
                  check_performance_rates, check_performance_weights):
        out += check(source)
    return [f for f in out if not any(
        c.kind == "cell" and is_column_numbers(c.row or "") for c in f.operands)]
