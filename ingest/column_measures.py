"""What each amount column measures, and which level of government or department it covers.

A 决算 or 政府预算/决算 table prints the same rows under several measures: 预算数 | 调整预算数 |
决算数 | 决算数为调整预算数的% | 决算数为上年决算数的%. Publishers word them differently
("执行数", "完成预算%", "比上年增长%", "上年结余、结转"); this module maps each column header path
(with the table title for context) to one canonical measure, stored on every cell
(`ParsedCell.measure`):

=============  ==================================================================
measure        headers that say it
=============  ==================================================================
年初预算        年初预算(数)
调整预算        调整预算(数), 调整后预算(数), 变动预算
预算数          预算数, 预算金额, 预算; a 20XX年预算数 of the table's year
上年预算        20XX年预算数 of the year before the table's
决算数          决算数, 执行数, 完成数, 决算; a 20XX年决算数 of the table's year
上年决算        上年决算(数), 上年执行数, 20XX年决算数 of the year before
完成%          决算数为(年初/调整)预算数的%, 完成预算%, 为预算%, 执行率, 完成率
为上年%         决算数为上年决算数的%, 为上年%
比上年增长%      比上年增长%, 增长%, 增减%, 增幅
比上年增减      比上年增减, 增减额 (an amount)
年初结转和结余   年初结转和结余, 上年结转(结余), 上年结余、结转
年末结转和结余   年末结转和结余, 结转下年, 年末结余
结余分配        结余分配
=============  ==================================================================

A column whose header names none of these (基本支出, 人员经费, 合计 …) takes the measure of
its table: 决算数 for a 决算表, 预算数 for a 预算表. Where neither names one — a debt table
"…债务发行及还本付息情况表" with columns 本地区 | 本级 — the rows do: "五、2024年地方政府债务
付息决算数" and the rows nested under it are 决算数 (`row_measure`). Percent measures (完成%, 为上年%,
比上年增长%) give their cells the unit "%" (`ParsedCell.unit`), whatever the table's unit.

The scope (`ParsedCell.scope`, `ParsedTable.scope`) is the level a column or a table covers:
全域 (全市, 全区, 全省, 全州, 全县: the whole territory), 本级 (市本级, 自治区本级, 机关本级),
市县 (各市县, 县区: the levels below), 部门 (部门汇总, 部门合计) and 下属单位. A column header
that names one wins over the title. In a government budget that has 本级 tables, a table
named after the place alone ("2026年迪庆州一般公共预算收入情况表") covers the whole
territory: 全域 (`whole_territory`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from budgetqa.domain import ParsedTable
from ingest.pdf_table_text import squash

PERCENT_MEASURES = frozenset({"完成%", "为上年%", "比上年增长%"})

# First match wins, most specific first. Each pattern reads one level of a header path.
_MEASURES: tuple[tuple[str, re.Pattern], ...] = (
    ("为上年%", re.compile(r"为上年.*[%％]|为上年(决算|执行)")),
    ("比上年增长%", re.compile(r"(增长|增减|增幅).*[%％]|增长率|增幅")),
    ("完成%", re.compile(r"为.*预算.*[%％]|完成.*[%％]|执行率|完成率|为预算")),
    ("比上年增减", re.compile(r"比上年增减|增减额|增减变动")),
    ("年初结转和结余", re.compile(r"年初.*结[转余]|上年结[转余]|上年结余、?结转")),
    ("年末结转和结余", re.compile(r"年末.*结[转余]|结转下年|年末结余")),
    ("结余分配", re.compile(r"结余分配")),
    ("上年决算", re.compile(r"上年(决算|执行|完成)")),
    ("年初预算", re.compile(r"年初预算")),
    ("调整预算", re.compile(r"调整(后)?预算|变动预算")),
    ("决算数", re.compile(r"决算|执行数|完成数|实际支出|实际收入")),
    # Not "一般公共预算" or "政府性基金预算": those name a fund, not a measure.
    ("预算数", re.compile(r"预算(数|金额|额|安排)|^(20\d{2}年)?(全年)?预算$")),
)
_YEAR = re.compile(r"(20\d{2})年")
# Measures a row label may name for its cells (`row_measure`): amounts only.
_LABEL_MEASURES = frozenset({"预算数", "决算数", "年初预算", "调整预算", "上年预算", "上年决算"})

_SCOPES: tuple[tuple[str, re.Pattern], ...] = (
    ("本级", re.compile(r"本级|^(20\d{2}年)?(省|市|州|县|区)级")),
    ("市县", re.compile(r"各?(市县|县市|县区|区县)|下级")),
    ("全域", re.compile(r"全(市|区|省|州|县|盟|地区)|本地区")),
    ("下属单位", re.compile(r"下属单位|所属单位")),
    ("部门", re.compile(r"部门(汇总|合计)")),
)

_PLACE = re.compile(r"^(20\d{2}年)?[\u4e00-\u9fa5]{1,8}?(自治区|省|市|州|盟|县|地区)(?!本级|级)")
# A table number kept in the title: "1-1 2026年迪庆州…", or "2-12026年…" printed without a space.
_NUMBER = re.compile(r"^\s*(\d{1,2}[-－]\d{1,2}(?=20\d{2}年)|[\d\-－.]+\s+)")


def _year_shift(text: str, table_year: int | None) -> int | None:
    """How many years before the table's year a header's "20XX年" lies, or None."""
    m = _YEAR.search(text)
    if not m or table_year is None:
        return None
    return table_year - int(m.group(1))


def column_measure(path: str, title: str = "") -> str:
    """The canonical measure of a column from its header path ("决算数/合计") and table title.

    The deepest header level that names a measure wins ("2024年预算数/调整预算数" is
    调整预算); a header naming none takes the title's (决算表 → 决算数, 预算表 → 预算数).
    """
    table_year = None
    m = _YEAR.search(title)
    if m:
        table_year = int(m.group(1))
    # "增、减金额", "上年结余、结转": the enumeration comma is not part of the words.
    for level in reversed([squash(p).replace("、", "") for p in path.split("/") if p]):
        for measure, pattern in _MEASURES:
            if pattern.search(level):
                shift = _year_shift(level, table_year)
                if shift == 1 and measure in ("预算数", "决算数"):
                    return "上年预算" if measure == "预算数" else "上年决算"
                return measure
    compact = squash(title)
    if "决算" in compact:
        return "决算数"
    if "预算" in compact:
        return "预算数"
    return ""


def row_measure(table: ParsedTable, position: int) -> str:
    """The measure a row's label (or, failing that, its parent's) names, for a table whose
    columns and title name none; "" when neither does. Only amount measures are read from
    labels: a row "比上年增长%" is not in a table of this kind."""
    title = f"{table.number} {table.title}"
    seen: set[int] = set()
    index: int | None = position
    while index is not None and index not in seen and 0 <= index < len(table.rows):
        seen.add(index)
        row = table.rows[index]
        # (The label is read as a header of the table's year: "2023年决算数" in a 2024
        # table is 上年决算.)
        measure = column_measure(row.label, title)
        if measure in _LABEL_MEASURES:
            return measure
        index = row.parent
    return ""


def scope_of(text: str) -> str:
    """The scope a header or a title names (全域, 本级, 市县, 部门, 下属单位), or ""."""
    compact = squash(_NUMBER.sub("", text))
    for scope, pattern in _SCOPES:
        if pattern.search(compact):
            return scope
    return ""


def annotate_measures(table: ParsedTable) -> ParsedTable:
    """The table with `measure` and `scope` on every cell and `scope` on the table.

    Cells of a percent measure get the unit "%": a 完成% column of a 万元 table is not in 万元.
    """
    title = f"{table.number} {table.title}"
    table_scope = scope_of(table.title)
    per_column: dict[str, tuple[str, str]] = {}
    for column in {c.column for r in table.rows for c in r.cells}:
        measure = column_measure(column, title)
        scope = scope_of(column)
        per_column[column] = (measure, "" if scope == table_scope else scope)
    rows = []
    for position, row in enumerate(table.rows):
        cells = []
        for cell in row.cells:
            measure, scope = per_column[cell.column]
            if not measure:
                measure = row_measure(table, position)
            if cell.measure:  # set by a more specific reader (performance targets)
                cells.append(cell)
                continue
            unit = "%" if measure in PERCENT_MEASURES else cell.unit
            cells.append(replace(cell, measure=measure, scope=scope, unit=unit))
        rows.append(replace(row, cells=tuple(cells)))
    return replace(table, rows=tuple(rows), scope=table_scope)




def whole_territory(tables: list[ParsedTable]) -> list[ParsedTable]:
    """Tables named after the place alone get the scope 全域 when others are 本级.

    A 政府预算 prints each table twice, for the whole territory and for the 本级 government,
    and names only the second; without this, "全州" could not tell the first from a
    department table.
    """
    if not any(t.scope == "本级" for t in tables):
        return tables
    return [replace(t, scope="全域") if not t.scope and _PLACE.search(squash(_NUMBER.sub("", t.title)))
            else t for t in tables]
