"""Canonical measures of one document (三公经费, 基本支出, 支出总计 …), each with its citation.

Questions across documents ("2026年各部门三公经费排名") compare one figure per document; this
module finds that figure once, at ingest, from the canonical table kinds (ingest.kinds) and
the `measure` and `scope` of each cell (ingest.column_measures), and from the narrative
(ingest.narrative_facts) only where no table states it. A measure the document does not state
is recorded as missing, never as zero; a cell printed as a dash is recorded as printed blank.

A cell names an item when its row is a total (合计/总计) and its column names the item
("“三公”经费/公务接待费"), when its column is a total and its row names the item ("30217 公务
接待费" in a 金额 column), or when row and column name the same item ("人员经费合计" in an
"人员经费/金额" column). Rules try table kinds and item names in order; the first cell that
names the item with this year's budget or final figure wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from budgetqa.domain import BBox, Document, ParsedCell, ParsedRow, ParsedTable, Passage
from ingest.label_text import norm, strip_numbering
from ingest.narrative_facts import extract_facts

# The canonical measures, in the order tables and exports list them.
MEASURES: tuple[str, ...] = (
    "收入总计", "支出总计", "本年收入合计", "本年支出合计", "财政拨款收入", "财政拨款支出",
    "基本支出", "项目支出", "人员经费", "公用经费", "三公经费", "因公出国(境)费", "公务接待费",
    "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "机关运行经费", "政府采购",
    "中小企业预留政府采购", "年初结转和结余", "年末结转和结余", "会议费", "培训费", "车辆数", "编制数",
    "百万元以上设备数")
# 功能分类 类 totals are measures named "功能分类" with the 类's three-digit 科目编码 as code.
FUNCTION_CLASS = "功能分类"
MONEY_UNITS = ("元", "万元", "亿元", "千元")

# Column header segments that say how a figure is counted, not what it is of.
_GENERIC_SEGMENT = re.compile(
    r"^(合计|总计|小计|金额|金额合计|数额|本年|本年数|本年预算|预算|预算数|决算|决算数|年初预算数?|"
    r"全年预算数?|本年预算数|本年决算数?|20\d{2}年(度)?(预算|决算)?数?|预算金额|决算金额|"
    r"收入|支出|项目|科目|预算安排|安排数|计|功能分类|支出功能分类|经济分类|支出用途|按功能分类|"
    r"按经济分类|科目名称|本年收入|本年支出|财政拨款收入|财政拨款支出|收入预算|支出预算|"
    # "第1栏": the parser's name for each side of a table printed in two halves
    # (人员经费 left, 公用经费 right), a place, not an item.
    r"第\d+栏)$")
_WHOLE_BASIC = re.compile(r"(一般公共预算|财政拨款)?(拨款)?基本支出")
_TOTAL_LABEL = re.compile(r"合计|合计数|本表合计")
_GRAND_LABEL = re.compile(r"总计|总合计")
_SIDE = re.compile(r"^(?:本年|财政拨款)?(收入|支出)")
# "2024年“三公”经费预算数" names 三公经费: the year and the kind of figure are not the item.
_YEAR_PREFIX = re.compile(r"^20\d{2}年度?")
_FIGURE_SUFFIX = re.compile(r"(预算数|决算数|预算|决算|安排数)$")
# Fund sources under an item's column ("因公出国(境)费/一般公共预算"): the item is the one
# above; only the general budget's column counts, the other funds are parts apart.
_FUND = re.compile(r"一般公共预算(拨款|资金)?|财政拨款")
_OTHER_FUND = re.compile(r"政府性基金预算?(拨款|资金)?|国有资本经营预算?(拨款|资金)?")
# Budget or final figures of this year; 上年预算, 完成%, 比上年增长% … are other figures.
_THIS_YEAR = {"预算": ("预算数", "年初预算", ""), "决算": ("决算数", "")}
# Carry-overs are this year's figures too, whatever the column is called.
_CARRIED = ("年初结转和结余", "年末结转和结余")
# Columns of a subordinate unit or of 市县 never stand for the document as a whole.
_OWN_SCOPES = ("", "部门", "本级", "全域")
# A narrative clause naming last year's figure, a change or a part is not this year's amount.
_NOT_THIS_AMOUNT = re.compile(r"上年|去年|上一年|比|较|增加|减少|增长|下降|同比|执行数|较上年")


@dataclass(frozen=True)
class Rule:
    """Where a measure stands: table kinds, item names in order of preference, and which
    side (收入/支出) of a 收支 table."""

    kinds: tuple[str, ...]
    items: tuple[str, ...]
    side: str = ""
    unless: str = ""  # the rule does not apply to a table with an item matching this
    # Tried only after the narrative: the narrative's whole-department figure is the one
    # meant where it is stated (a 基本支出 row is only the basic-expenditure part).
    after_narrative: bool = False


_THREE = r"(财政拨款|一般公共预算(财政拨款)?)?三公经费(合计|小计|支出)?"
# Tried in order, rule by rule and item by item; the first cell found wins. Items are
# normalised labels (regex, whole match); TOTAL is a 合计 row or column, GRAND a 总计 row.
RULES: dict[str, tuple[Rule, ...]] = {
    "收入总计": (Rule(("收支总表",), ("收入总计", "GRAND", "收入合计", "TOTAL"), "收入"),
                 Rule(("收入总表",), ("收入总计", "GRAND", "TOTAL"))),
    "支出总计": (Rule(("收支总表",), ("支出总计", "GRAND", "支出合计", "TOTAL"), "支出"),
                 Rule(("支出总表",), ("支出总计", "GRAND", "TOTAL"))),
    "本年收入合计": (Rule(("收支总表",), (r"本年收入合计|当年收入小计|本年收入小计|本年收入|收入本年合计",),
                          "收入"),),
    "本年支出合计": (Rule(("收支总表",), (r"本年支出合计|当年支出小计|本年支出小计|本年支出|支出本年合计",),
                          "支出"),),
    "财政拨款收入": (Rule(("财政拨款收支总表",), (r"本年收入合计|本年收入|当年收入小计|本年收入小计",),
                          "收入"),
                     Rule(("收入总表",), (r"财政拨款收入|财政拨款|财政拨款小计",)),
                     Rule(("财政拨款收支总表",), ("收入总计", "GRAND", "收入合计", "TOTAL"), "收入")),
    "财政拨款支出": (Rule(("财政拨款收支总表",), (r"本年支出合计|本年支出|当年支出小计|本年支出小计",),
                          "支出"),
                     Rule(("财政拨款支出表",), ("GRAND", "TOTAL")),
                     Rule(("财政拨款收支总表",), ("支出总计", "GRAND", "支出合计", "TOTAL"), "支出")),
    "基本支出": (Rule(("支出总表",), ("基本支出",)),
                 Rule(("收支总表", "财政拨款收支总表"), ("基本支出",), "支出"),
                 Rule(("基本支出表",), ("GRAND", "TOTAL"))),
    "项目支出": (Rule(("支出总表",), ("项目支出",)),
                 Rule(("收支总表", "财政拨款收支总表"), ("项目支出",), "支出"),
                 Rule(("项目支出",), ("GRAND", "TOTAL"))),
    "人员经费": (Rule(("基本支出表",), (r"人员经费|人员经费合计|人员支出",)),),
    "公用经费": (Rule(("基本支出表",), (r"公用经费|公用经费合计|日常公用经费|公用支出",)),),
    # The 合计 of a 三公 table that also lists 会议费 and 培训费 is not the 三公 total.
    "三公经费": (Rule(("三公经费表",), (_THREE, "GRAND", "TOTAL"), unless=r"会议费|培训费"),
                 Rule(("三公经费表",), (_THREE,))),
    "因公出国(境)费": (Rule(("三公经费表",), (r"因公出国\(境\)费用?|因公出国境费用?",)),),
    "公务接待费": (Rule(("三公经费表",), ("公务接待费",)),),
    "公务用车购置及运行费": (Rule(("三公经费表",), (r"公务用车购置及运行(维护)?费",)),),
    "公务用车购置费": (Rule(("三公经费表",), (r"公务用车购置费?", "购置费?")),),
    "公务用车运行费": (Rule(("三公经费表",), (r"公务用车运行(维护)?费", r"运行(维护)?费")),),
    "机关运行经费": (Rule(("机关运行经费",), ("GRAND", "TOTAL", r"机关运行经费(支出)?")),
                     Rule(("三公经费表",), (r"机关运行经费(支出)?",))),
    # Printed beside the 三公 items in the 三公经费、会议费、培训费 tables; where no such table
    # prints them (Shanghai), the 基本支出 经济分类 table's 30215/30216 rows.
    "会议费": (Rule(("三公经费表",), (r"会议费(支出)?",)),
               Rule(("基本支出表",), (r"会议费",), after_narrative=True)),
    "培训费": (Rule(("三公经费表",), (r"培训费(支出)?",)),
               Rule(("基本支出表",), (r"培训费",), after_narrative=True)),
    "政府采购": (Rule(("政府采购",), ("GRAND", "TOTAL", r"政府采购(预算|支出)?(合计|总额)?")),),
    "年初结转和结余": (Rule(("收支总表",), (r"年初结转和结余|上年结转(和结余)?(资金)?|上年结转结余|"
                                          r"上年结转和结余资金",), "收入"),),
    "年末结转和结余": (Rule(("收支总表",), (r"年末结转和结余|结转下年(资金)?|年末结转结余",), "支出"),),
}
# What the narrative calls each measure; only these are read from prose.
NARRATIVE_NAMES: dict[str, str] = {
    "三公经费": r"三公经费", "因公出国(境)费": r"因公出国\(境\)费", "公务接待费": r"公务接待费",
    "公务用车购置及运行费": r"公务用车购置及运行(维护)?费", "机关运行经费": r"机关运行经费",
    # Not the part reserved for small firms ("面向中小企业预留政府采购项目预算…").
    "政府采购": r"(?<!预留)(?<!企业的)(?<!企业)政府采购",
    # Stated only in the narrative (其他相关情况说明 > 政府采购预算情况).
    "中小企业预留政府采购": r"中小企业预留的?政府采购", "会议费": r"会议费", "培训费": r"培训费", "人员经费": r"人员经费", "公用经费": r"公用经费",
    "基本支出": r"基本支出", "项目支出": r"项目支出",
    # "2019年部门预算收入203091.65万元": a department whose 收支总表 is not printed as a table
    # states its whole budget in the 收支预算总体情况 paragraph only.
    "收入总计": r"收入(预算)?总计|收入总预算|部门(预算)?收入(预算)?(总额|合计)?",
    "支出总计": r"支出(预算)?总计|支出总预算|部门(预算)?支出(预算)?(总额|合计)?",
    # "2019年本部门财政拨款收入203091.65万元" (not its 一般公共预算 part, not 上年结转).
    "财政拨款收入": r"(?<!预算)财政拨款收入(预算)?(总计|合计)?",
    "财政拨款支出": r"(?<!预算)财政拨款支出(预算)?(总计|合计)?",
}
# Whole-budget totals: a figure named with a part after it is the part's.
_WHOLE_TOTALS = ("收入总计", "支出总计", "财政拨款收入", "财政拨款支出")
# Counts read from the narrative (the 国有资产占用 paragraph, the 机构设置 paragraph), by the
# words just before the figure: "本部门共有车辆66辆" (not "其中一般公务用车13辆", not "安排购置车辆1辆"), "公务用车
# 保有量为0辆", or a list item "车辆7辆（一般公务用车3辆…）". Vehicles are counted in 辆 or 台.
COUNTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "车辆数": (r"(共有(公务用)?车辆|(公务用车|车辆)保有量为?|^车辆)$", ("辆", "台")),
    # "人员编制138人，其中行政编制118人" gives 138; "规划编制工作" is no staffing.
    "编制数": (r"(?<!行政)(?<!事业)(?<!附属)(?<!规划)(?<!预算)编制(总数|数)?为?$", ("人", "名")),
    # "单价100万元（含）以上设备（不含车辆）16台（套）", "单位价值100万元以上的设备4台（套）":
    # equipment held (not "购置单价100万元以上设备", a purchase; not a 20万元 or 50万元
    # threshold, nor only the 专用设备 of a document that splits them).
    "百万元以上设备数": (r"(?<!购置)(单价|单位价值)100万元?(\(含\))?以上的?设备(\(不含车辆\))?$",
                         ("台（套）", "台", "套")),
}
# Where a narrative names a measure by its head noun only, under an item headed by the full
# name: "（一）机关运行经费。2026年一般公共预算财政拨款运行经费1,815万元" (Chongqing).
# (Not a vehicle's "公务用车运行经费".)
_SHORT_NAMES = {"机关运行经费": r"(?<!机关)(?<!车)运行经费$"}
# How far before such a clause the item's heading may stand.
_HEADING_REACH = 16
# "本单位无机关运行经费", "无“三公”经费财政拨款支出": the document states it has none.
_NONE_SUFFIX = r"(财政拨款|一般公共预算(财政拨款)?)?(拨款)?(支出|预算|安排)?"
# Tables whose coded rows give the 功能分类 类 totals, most complete first.
FUNCTION_KINDS = ("支出总表", "收入总表", "财政拨款支出表", "一般公共预算支出表", "财政拨款收支总表")


@dataclass(frozen=True)
class Measure:
    """One canonical figure of one document, with where it was read, or its absence.

    status: found (a value), blank (the cell is printed as a dash or left empty) or missing
    (no table or sentence of the document states it). source: table or narrative.
    """

    doc_id: str
    name: str
    status: str
    code: str = ""  # the 类 科目编码 of a 功能分类 measure
    label: str = ""  # the 类's printed name for a 功能分类 measure
    value: Decimal | None = None
    printed: str = ""
    unit: str = ""
    source: str = ""
    table: str = ""
    table_position: int | None = None
    row: str = ""
    row_code: str = ""
    column: str = ""
    page: int | None = None
    bbox: BBox | None = None
    section: str = ""
    text: str = ""  # the sentence a narrative measure was read from

    @property
    def key(self) -> str:
        """The measure's name, with its 科目编码 for a 功能分类 类."""
        return f"{self.name}:{self.code}" if self.code else self.name


def basis_of(kind: str | None) -> str:
    """预算 or 决算: what a document's figures are (plans or outturns)."""
    return "决算" if "决算" in (kind or "") else "预算"


def document_measures(document: Document, tables: Sequence[ParsedTable],
                      passages: Iterable[Passage]) -> list[Measure]:
    """Every canonical measure of a document (found, blank or missing), then its 功能分类
    类 totals."""
    accepted = _THIS_YEAR[basis_of(document.kind)]
    # A table whose unit is doubtful (ingest.stated_units) gives no measure: a figure of it
    # may be 10,000 times off, and another table or the narrative may state it surely.
    items = [_TableItem(document, pos, t, accepted) for pos, t in enumerate(tables)
             if not t.unit_doubtful]
    facts: list | None = None

    def narrative() -> list:
        nonlocal facts
        if facts is None:  # read once, and only when some measure needs the narrative
            facts = [f for p in passages for f in extract_facts(p)]
        return facts

    out = []
    for name in MEASURES:
        if name in COUNTED:
            found = _count_from_narrative(document.id, name, narrative())
        else:
            found = _from_tables(document.id, name, items)
            if found is None and name in NARRATIVE_NAMES:
                found = _from_narrative(document.id, name, narrative(), basis_of(document.kind))
            if found is None:
                found = _from_tables(document.id, name, items, after_narrative=True)
            if (found is None or found.status == "blank") and name in NARRATIVE_NAMES:
                # A dash or no figure, where the narrative says there is none: a stated 0.
                found = _stated_none(document.id, name, narrative()) or found
        out.append(found or Measure(doc_id=document.id, name=name, status="missing"))
    return out + _function_classes(document.id, items)


class _TableItem:
    """A table's cells with the item each names (see the module docstring)."""

    def __init__(self, document: Document, position: int, table: ParsedTable,
                 accepted: tuple[str, ...]):
        self.position, self.table = position, table
        self.named: list[tuple[str, str, ParsedRow, ParsedCell]] = []  # (item, side, row, cell)
        self.first: dict[int, ParsedCell] = {}  # id(row) → its first figure of this year
        publisher = norm(document.publisher)
        # Shenzhen's tables total the department on a row named after it; its 三公 table
        # then prints a row per year, and this year's row is the one meant.
        this_year = f"{document.year}年"
        by_year = any(norm(r.label) == this_year for r in table.rows)
        for row in table.rows:
            label = norm(row.label)
            if by_year:
                row_item = "TOTAL" if label == this_year else ""
            elif len(publisher) >= 4 and label == publisher:
                row_item = "TOTAL"
            else:
                row_item = _row_item(row.label)
            if not row_item:
                continue
            for cell in row.cells:
                if cell.measure not in accepted + _CARRIED or cell.scope not in _OWN_SCOPES:
                    continue
                if cell.unit and cell.unit not in MONEY_UNITS:
                    continue
                if cell.value is not None and cell.measure not in _CARRIED:
                    self.first.setdefault(id(row), cell)
                side, column_item = _column_item(cell.column)
                if table.kind == "基本支出表" and _WHOLE_BASIC.fullmatch(column_item) and \
                        norm(cell.column).endswith("合计"):
                    # "一般公共预算基本支出/合计" is the table's own total column: its
                    # 30215 会议费 row gives the 会议费.
                    column_item = "TOTAL"
                if not column_item:
                    continue
                for item in _items(row_item, column_item):
                    self.named.append((item, side, row, cell))

    def has(self, pattern: str) -> bool:
        return any(re.fullmatch(pattern, item) for item, _, _, _ in self.named)

    def find(self, pattern: str, side: str):
        """The first (row, cell) naming an item that matches, a value before a dash."""
        hits = [(row, cell) for item, s, row, cell in self.named
                if re.fullmatch(pattern, item) and (not side or s in (side, ""))]
        valued = [h for h in hits if h[1].value is not None]
        return (valued or hits or [None])[0]


def _row_item(label: str) -> str:
    """"TOTAL" for a 合计/总计 row, else the label without numbering, spaces or quotes."""
    text = norm(strip_numbering(norm(label)))
    text = re.sub(r"^其中", "", text)
    if _GRAND_LABEL.fullmatch(text):
        return "GRAND"
    return "TOTAL" if _TOTAL_LABEL.fullmatch(text) else text


def _column_item(column: str) -> tuple[str, str]:
    """(side, item) of a column header path: side 收入/支出 when the path starts with it;
    item "TOTAL" when every segment is generic, else the last specific segment."""
    segments = [norm(s) for s in column.split("/") if norm(s)]
    segments = [_item_words(s) for s in segments]
    side = ""
    if segments and _SIDE.match(segments[0]):
        side = _SIDE.match(segments[0]).group(1)
    specific = [s for s in segments if not _GENERIC_SEGMENT.fullmatch(s)]
    if len(specific) > 1 and _OTHER_FUND.fullmatch(specific[-1]):
        return side, ""
    if specific and _FUND.fullmatch(specific[-1]):
        specific.pop()
    return side, (specific[-1] if specific else "TOTAL")


def _item_words(segment: str) -> str:
    """"2024年三公经费预算数" → 三公经费; "一般公共预算" stays (no year before it)."""
    bare = _YEAR_PREFIX.sub("", segment)
    if bare != segment:
        bare = _FIGURE_SUFFIX.sub("", bare)
    else:
        bare = re.sub(r"(预算数|决算数)$", "", bare)
    return bare or segment


def _items(row_item: str, column_item: str) -> list[str]:
    if row_item in ("TOTAL", "GRAND"):
        return [row_item if column_item == "TOTAL" else column_item]
    if column_item == "TOTAL" or row_item == column_item:
        return [row_item]
    if row_item.endswith(("合计", "小计")) and row_item[:-2] == column_item:
        return [column_item]
    return []


def _from_tables(doc_id: str, name: str, items: list[_TableItem],
                 after_narrative: bool = False) -> Measure | None:
    for rule in RULES.get(name, ()):
        if rule.after_narrative != after_narrative:
            continue
        for pattern in rule.items:
            for kind in rule.kinds:
                for item in items:
                    if item.table.kind != kind or (rule.unless and item.has(rule.unless)):
                        continue
                    hit = item.find(pattern, rule.side)
                    if hit is not None:
                        return _cell_measure(doc_id, name, item, *hit)
    return None


def _cell_measure(doc_id: str, name: str, item: _TableItem, row: ParsedRow, cell: ParsedCell,
                  code: str = "", label: str = "") -> Measure:
    table = item.table
    return Measure(
        doc_id=doc_id, name=name, status="found" if cell.value is not None else "blank",
        code=code, label=label, value=cell.value, printed=cell.printed,
        unit=cell.unit or table.unit, source="table", table=table.title,
        table_position=item.position, row=row.label, row_code=row.code, column=cell.column,
        page=cell.page or row.page, bbox=cell.bbox)


def _from_narrative(doc_id: str, name: str, facts, basis: str) -> Measure | None:
    """The first amount the narrative states for `name`, in a sentence of its own figure
    (not last year's, not a change). In a final account only an outturn counts: "年初预算为
    2.85万元，支出决算为0.39万元" gives 0.39, named by the sentence it stands in."""
    pattern = re.compile(NARRATIVE_NAMES[name])
    for fact in facts:
        if fact.kind != "amount" or fact.unit not in MONEY_UNITS or \
                not re.search(r"\d", fact.printed):
            continue
        clause = norm(fact.clause)
        if basis == "决算":
            if "预算" in clause or "决算" not in clause and "支出" not in clause:
                continue
            if not pattern.search(clause):
                # "…三公经费…年初预算为X，支出决算为Y": the sentence names it.
                local = norm(fact.local)
                head = re.split(r"万元|元", local)[0]
                clause = head if pattern.search(head) and clause.startswith(("支出决算", "决算")) \
                    else clause
        named = pattern.search(clause) or _headed(name, clause, fact.subject)
        if not named or _NOT_THIS_AMOUNT.search(clause):
            continue
        # "会议费（款）支出X" is a 功能分类 款 line; "三公经费及会议费、培训费共X" the list's sum.
        if re.search(r"[（(](类|款|项)[)）]", fact.clause) or \
                re.search(r"[、及和与]$", clause[:named.start()]) or \
                re.search(rf"[、及和与](?:{pattern.pattern})[^。，]{{0,12}}(共|合计)",
                          norm(fact.sentence)):
            continue
        # "三公经费…其中公务接待费X": the figure after another measure's name is that one's.
        tail = clause[named.end():]
        if any(re.search(other, tail) for other in NARRATIVE_NAMES.values()):
            continue
        if name in _WHOLE_TOTALS and (re.search(r"其中|拨款|收入|支出|资金", tail) or
                                      re.search(r"政府性基金|国有资本", clause)):
            # "部门收入中一般公共预算拨款收入X", "全市政府性基金支出总计X": a part of the
            # total (one fund), not the total
            continue
        return Measure(doc_id=doc_id, name=name, status="found", value=fact.value,
                       printed=fact.printed, unit=fact.unit, source="narrative",
                       page=fact.passage.page, section=fact.passage.section,
                       text=fact.sentence)
    return None


def _headed(name: str, clause: str, subject: str) -> re.Match | None:
    """The short name in `clause` ("…财政拨款运行经费") when the item it stands under is headed
    by the measure's full name just before ("（一）机关运行经费。"); else None."""
    short = _SHORT_NAMES.get(name)
    found = re.search(short, clause) if short else None
    if found is None:
        return None
    before = subject[:subject.rfind(clause)] if clause in subject else ""
    return found if re.search(NARRATIVE_NAMES[name], before[-_HEADING_REACH:]) else None


def _stated_none(doc_id: str, name: str, facts) -> Measure | None:
    """A sentence saying the document has none of `name` ("本单位无机关运行经费"): the
    measure is 0, cited by that sentence (not missing: the document states it)."""
    whole = re.compile(f"(?:{NARRATIVE_NAMES[name]}){_NONE_SUFFIX}")
    for fact in facts:
        if fact.kind == "amount" and fact.value == 0 and \
                re.match(r"(没有|无)", fact.printed) and whole.fullmatch(norm(fact.clause)):
            return Measure(doc_id=doc_id, name=name, status="found", value=Decimal(0),
                           printed=fact.printed, unit=fact.unit, source="narrative",
                           page=fact.passage.page, section=fact.passage.section,
                           text=fact.sentence)
    return None


def _count_from_narrative(doc_id: str, name: str, facts) -> Measure | None:
    """The first count the narrative states as the whole (COUNTED), with its sentence."""
    pattern, units = COUNTED[name]
    for fact in facts:
        if fact.kind == "amount" and fact.unit in units and \
                re.search(pattern, norm(fact.local)):
            return Measure(doc_id=doc_id, name=name, status="found", value=fact.value,
                           printed=fact.printed, unit=fact.unit, source="narrative",
                           page=fact.passage.page, section=fact.passage.section,
                           text=fact.sentence)
    return None


def _function_classes(doc_id: str, items: list[_TableItem]) -> list[Measure]:
    """The 类 (three-digit 科目编码) totals of the first table kind that lists them."""
    out: dict[str, Measure] = {}
    for kind in FUNCTION_KINDS:
        for item in items:
            if item.table.kind != kind:
                continue
            for row in item.table.rows:
                code = re.sub(r"\D", "", row.code)
                if len(code) != 3 or not code.startswith("2") or code in out:
                    continue
                # The first column of a coded table is the row's total (合计/总计/金额).
                cell = item.first.get(id(row))
                if cell is not None:
                    out[code] = _cell_measure(doc_id, FUNCTION_CLASS, item, row, cell, code=code,
                                              label=strip_numbering(row.label).strip())
        if out:
            break
    return [out[c] for c in sorted(out)]
