"""Budget items that are not canonical measures, read per document as each prints them.

"财政拨款基本支出里的办公费谁最多", "一般公共预算基本支出里的物业管理费哪几家没列", "行政运行
加起来多少": an item of the economic classification of basic expenditure (30201 办公费, 303 对个人
和家庭的补助) or a 功能分类 款/项 (行政运行) has no canonical measure (ingest.measures). Each
selected document's own row of that item is looked up in the same table kind (the 基本支出表; the
功能分类 tables of ingest.measures.FUNCTION_KINDS), its figure the row's first figure of this
year (预算 in a budget, 决算 in a final account), its unit the table's. The figures are Measure
records (found, blank, or missing when the document prints no such row), so qa.across_compose
compares, sums and lists the lacking as it does for measures, every figure cited by its cell.

Where the question names the item inside 基本支出 ("基本支出里的会议费"), the printed row is
read even for an item a canonical measure holds (会议费, 培训费, 三公 items): the canonical
figure may come from the 三公 table or the narrative, not from the basic-expenditure row asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.domain import Cell
from ingest.label_text import norm, strip_numbering
from ingest.measures import FUNCTION_KINDS, MONEY_UNITS, Measure, basis_of

# Measure names of the items (a Measure's key is "name:label").
ECONOMIC = "基本支出经济分类"
FUNCTION_ITEM = "功能分类款项"
ITEM_NAMES = (ECONOMIC, FUNCTION_ITEM)

_BASIC_KINDS = ("基本支出表",)
# This year's figures only (ingest.measures): not 上年预算, 完成%, carry-overs.
_THIS_YEAR = {"预算": ("预算数", "年初预算", ""), "决算": ("决算数", "")}
_OWN_SCOPES = ("", "部门", "本级", "全域")
# Totals and the halves of basic expenditure are measures, not items.
_NOT_ITEM = re.compile(r"合计|总计|小计|(人员经费|公用经费|基本支出|项目支出|人员支出|公用支出)$")
# Canonical measures that basic expenditure prints as rows of its own: named inside
# 基本支出, the printed row is meant.
_ROWS_OF_BASIC = re.compile(r"会议费|培训费|公务接待费|因公出国\(境\)费|公务用车运行(维护)?费|差旅费")
# The question places the item inside basic expenditure ("基本支出里的", "基本支出预算表里的").
_INSIDE_BASIC = re.compile(r"基本支出(预算|决算)?表?(里面?|中|当中|之中|内)?的?")
_FUND_WORDS = {"财政拨款": ("财政拨款", "一般公共预算"), "一般公共预算": ("一般公共预算",)}
# A fund's column under a row split by fund (财政拨款 as a whole is its 小计).
_FUND_COLUMNS = {"财政拨款": ("财政拨款/小计", "财政拨款/合计", "一般公共预算"),
                 "一般公共预算": ("一般公共预算",)}


@dataclass(frozen=True)
class Item:
    """A printed item the question names: its measure name (ECONOMIC or FUNCTION_ITEM), its
    label as normalised ("办公费"), and the printed item it is named under, if any
    ("城乡社区管理事务里的行政运行": the 项 under that 款, not 行政运行 under another)."""

    name: str
    label: str
    within: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}:{self.label}" + (f"@{self.within}" if self.within else "")

    @property
    def title(self) -> str:
        """How answers name it."""
        if self.within:
            return f"{self.within}中的{self.label}"
        return f"基本支出中的{self.label}" if self.name == ECONOMIC else self.label


def item_of(key: str) -> Item:
    """The Item a measure key names (Item.key read back)."""
    name, rest = key.split(":", 1)
    label, _, within = rest.partition("@")
    return Item(name, label, within)


def is_item(key: str) -> bool:
    return key.split(":")[0] in ITEM_NAMES


def printed_label(text: str) -> str:
    """A printed label without numbering, code, spaces or quotes ("一、一般公共服务支出" →
    一般公共服务支出; Beijing's "50203-培训费", whose code is printed joined by a dash, →
    培训费)."""
    return re.sub(r"^\d*[-－—]?", "", norm(strip_numbering(norm(text))))


def item_label(cell: Cell) -> str:
    return printed_label(cell.row_label)


# A second economic classification printed beside the row's own ("部门支出经济分类科目"
# beside Beijing's 政府支出经济分类科目, 预算06表).
_BESIDE = re.compile(r"经济分类")


def beside_labels(cell: Cell) -> list[str]:
    """The labels of the economic classification printed beside the row label, in a
    basic-expenditure table that crosses two ("30216-培训费" beside "50502-商品和服务支出")."""
    return [printed_label(v) for k, v in cell.qualifiers if _BESIDE.search(k)]


@dataclass(frozen=True)
class SummedItem(Measure):
    """An item a basic-expenditure table prints on several rows because it crosses two
    economic classifications: Beijing's 预算06表 prints 30216-培训费 under 50203-培训费
    (100.821000, p.10) and under 50502-商品和服务支出 (10.000000, p.11). The item is the
    rows' sum, every row cited (`parts`, the first also the measure's own cell); `aside`
    gives the row-label classification's own figure where it differs."""

    parts: tuple[Measure, ...] = ()
    aside: str = ""


def _economic_row(cell: Cell) -> bool:
    return cell.table_kind in _BASIC_KINDS and not re.sub(r"\D", "", cell.row_code)[:1] == "2"


def _function_row(cell: Cell) -> bool:
    code = re.sub(r"\D", "", cell.row_code)
    return cell.table_kind in FUNCTION_KINDS and len(code) in (5, 7) and code.startswith("2")


def labels_of(cells: tuple[Cell, ...]) -> dict[str, set[str]]:
    """The item labels a document prints: {label: {ECONOMIC and/or FUNCTION_ITEM}}."""
    out: dict[str, set[str]] = {}
    for cell in cells:
        for name, fits in ((ECONOMIC, _economic_row), (FUNCTION_ITEM, _function_row)):
            if fits(cell):
                beside = beside_labels(cell) if name == ECONOMIC else []
                for label in [item_label(cell)] + beside:
                    if len(label) >= 3 and not _NOT_ITEM.search(label):
                        out.setdefault(label, set()).add(name)
    return out


def named_item(normalised: str, labels: dict[str, set[str]], measures: list[str],
               canonical: re.Pattern, class_labels) -> Item | None:
    """The printed item the question names, or None. The longest label found in the question
    wins; a label a canonical measure or 功能分类 类 names is no item, unless the question
    places it inside 基本支出 and basic expenditure prints it as a row (会议费, 培训费 …)."""
    inside_basic = bool(_INSIDE_BASIC.search(normalised))
    found = sorted((label for label in labels if label in normalised),
                   key=lambda label: (-len(label), normalised.index(label)))
    holders = found + [label for label in class_labels if label in normalised]
    for label in found:
        if label in class_labels:
            continue
        kinds = labels[label]
        if canonical.fullmatch(label) and not (
                inside_basic and ECONOMIC in kinds and _ROWS_OF_BASIC.fullmatch(label)):
            continue
        if any(label in other and label != other for other in found):
            continue  # "工资福利支出" inside a longer printed label asked
        if any(_holds(normalised, label, other) for other in found if other != label):
            continue  # "城乡社区管理事务里的行政运行": the 款 says where the 项 is
        name = ECONOMIC if ECONOMIC in kinds and (inside_basic or FUNCTION_ITEM not in kinds) \
            else FUNCTION_ITEM
        within = next((other for other in holders if other != label
                       and _holds(normalised, other, label)), "")
        return Item(name, label, within)
    return None


# Between a printed item and one printed under it ("城乡社区管理事务里的行政运行").
_UNDER = r"(里面?|中|下|之中|当中|项下)?的?"


def _holds(normalised: str, holder: str, part: str) -> bool:
    """Whether the question names `part` right under `holder` ("holder里的part")."""
    return re.search(re.escape(holder) + _UNDER + re.escape(part), normalised) is not None


def item_measure(doc_id: str, kind: str | None, cells: tuple[Cell, ...], item: Item,
                 fund: str) -> Measure:
    """The document's figure of `item`: its row in the first table of the item's kind that
    prints it (with a fund asked, a table titled with that fund first); blank when printed
    as a dash; missing when no such row; "several" when one table prints it on several rows
    (行政运行 under several 款), which no single figure answers. An economic item a table
    prints beside a second classification on several rows is their sum (SummedItem)."""
    accepted = _THIS_YEAR[basis_of(kind)]
    fits = _economic_row if item.name == ECONOMIC else _function_row
    rows: dict[str, list[Cell]] = {}
    order: list[str] = []
    # The codes of the item it is named under, by table: its rows are those whose 科目编码
    # those codes begin.
    under: dict[str, set[str]] = {}
    if item.within:
        for cell in cells:
            code = re.sub(r"\D", "", cell.row_code)
            if code and item_label(cell) == item.within:
                under.setdefault(cell.table_id, set()).add(code)
    for cell in cells:
        if cell.unit_doubtful or not fits(cell) or (
                item_label(cell) != item.label and not _crossed(cell, item)):
            continue
        if item.within and not any(re.sub(r"\D", "", cell.row_code).startswith(code)
                                   for code in under.get(cell.table_id, ())):
            continue
        if cell.table_id not in rows:
            order.append(cell.table_id)
        rows.setdefault(cell.table_id, []).append(cell)
    if fund:
        words = _FUND_WORDS[fund]
        order.sort(key=lambda t: not any(w in rows[t][0].table_title for w in words))
    if item.name == FUNCTION_ITEM:
        kinds = {k: i for i, k in enumerate(FUNCTION_KINDS)}
        order.sort(key=lambda t: kinds[rows[t][0].table_kind])
    for table_id in order:
        cells_of = rows[table_id]
        crossed = list(dict.fromkeys(c.row_id for c in cells_of if _crossed(c, item)))
        if crossed:
            # The item as the classification beside the rows names it (the one the other
            # documents print: 302xx), on every row that names it.
            parts = [_row_figure(doc_id, item, [c for c in cells_of if c.row_id == r],
                                 accepted, fund, beside=True) for r in crossed]
            own = list(dict.fromkeys(c.row_id for c in cells_of if item_label(c) == item.label))
            own_figures = [_row_figure(doc_id, item, [c for c in cells_of if c.row_id == r],
                                       accepted, fund) for r in own]
            summed = _summed(item, [p for p in parts if p is not None], own_figures)
            if summed is not None:
                return summed
            continue
        if len({c.row_id for c in cells_of}) > 1:
            first = cells_of[0]
            return Measure(doc_id=doc_id, name=item.name, code=item.label, label=item.label,
                           status="several", source="table", table=first.table_title,
                           unit=first.unit, page=first.page)
        found = _row_figure(doc_id, item, cells_of, accepted, fund)
        if found is not None:
            return found
    return Measure(doc_id=doc_id, name=item.name, code=item.label, label=item.label,
                   status="missing")


def _crossed(cell: Cell, item: Item) -> bool:
    return item.name == ECONOMIC and item.label in beside_labels(cell)


def _row_figure(doc_id: str, item: Item, cells_of: list[Cell], accepted: tuple[str, ...],
                fund: str, beside: bool = False) -> Measure | None:
    """The figure of one row: this year's own figure, the asked fund's column first; blank
    when printed as a dash; None when the row has no such column. With `beside`, the row is
    cited with the classification printed beside its label, which names the item."""
    figures = [c for c in cells_of if c.measure in accepted and c.scope in _OWN_SCOPES
               and c.unit in MONEY_UNITS]
    if fund:
        # A row split by fund ("财政拨款/一般公共预算拨款", Shenzhen): the asked fund's
        # column, not the all-funds total before it.
        figures.sort(key=lambda c: not any(w in c.column for w in _FUND_COLUMNS[fund]))
    chosen = next((c for c in figures if c.value is not None), None) or \
        (figures[0] if figures else None)
    if chosen is None:
        return None
    return Measure(
        doc_id=doc_id, name=item.name, code=item.label, label=item.label,
        status="found" if chosen.value is not None else "blank", value=chosen.value,
        printed=chosen.printed, unit=chosen.unit, source="table",
        table=chosen.table_title, row=chosen.row_label + "".join(
            f"（{k}：{v}）" for k, v in chosen.qualifiers if beside and _BESIDE.search(k)),
        row_code=chosen.row_code, column=chosen.column, page=chosen.page, bbox=chosen.bbox)


def _summed(item: Item, parts: list[Measure], own: list[Measure | None]) -> Measure | None:
    """The rows' figures added up (one row: that row's), None when no row has a figure. A
    row whose own label is the item and whose figure differs from the sum is named aside:
    the other classification's figure, never silently the same thing."""
    found = [p for p in parts if p.status == "found"]
    if not found:
        return parts[0] if parts else None
    total = sum((p.value for p in found), Decimal(0))
    aside = ""
    own_found = [m for m in own if m is not None and m.status == "found"]
    if len(own_found) == 1 and own_found[0].value != total:
        m = own_found[0]
        aside = f"行名为“{m.row_code}{m.row}”的一行为{m.printed}{m.unit}（第{m.page}页）"
    if len(found) == 1 and not aside:
        return found[0]
    first = found[0]
    return SummedItem(
        doc_id=first.doc_id, name=item.name, code=item.label, label=item.label,
        status="found", value=total, printed=" + ".join(p.printed for p in found),
        unit=first.unit, source="table", table=first.table, row=first.row,
        row_code=first.row_code, column=first.column, page=first.page, bbox=first.bbox,
        parts=tuple(found), aside=aside)


# Tables printing each 类 as an uncoded row of their expenditure side ("一、一般公共服务支出"
# under "支出/预算数"), all funds first.
_SUMMARY_KINDS = ("收支总表", "财政拨款收支总表")


def class_row_measure(doc_id: str, kind: str | None, cells: tuple[Cell, ...], name: str,
                      code: str, label: str) -> Measure | None:
    """A 功能分类 类 the coded tables of a document do not give (ingest.measures reads 类 by
    their three-digit 科目编码), read from the expenditure side of its 收支总表 where the 类 is
    printed by name: Beijing's 预算01表 prints "一、一般公共服务支出 37,644.195492" (p.1) and no
    coded 类 total. Found, or blank when printed as a dash or empty; None when not printed."""
    accepted = _THIS_YEAR[basis_of(kind)]
    for table_kind in _SUMMARY_KINDS:
        rows = [c for c in cells if c.table_kind == table_kind and not c.unit_doubtful
                and item_label(c) == label and norm(c.column).startswith("支出")
                and c.measure in accepted and c.scope in _OWN_SCOPES and c.unit in MONEY_UNITS]
        if not rows:
            continue
        chosen = next((c for c in rows if c.value is not None), rows[0])
        return Measure(
            doc_id=doc_id, name=name, code=code, label=label,
            status="found" if chosen.value is not None else "blank", value=chosen.value,
            printed=chosen.printed, unit=chosen.unit, source="table",
            table=chosen.table_title, row=chosen.row_label, row_code=chosen.row_code,
            column=chosen.column, page=chosen.page, bbox=chosen.bbox)
    return None



# The columns of a fund's basic-expenditure table that give each half and the whole.
_FUND_TOTAL_COLUMNS = {"基本支出": re.compile(r"^(?!.*(人员|公用)).*(合计|总计|金额)$"),
                       "人员经费": re.compile(r"人员(经费|支出)$"),
                       "公用经费": re.compile(r"公用(经费|支出)$")}
FUND_TOTALS = tuple(_FUND_TOTAL_COLUMNS)


def fund_total(doc_id: str, kind: str | None, cells: tuple[Cell, ...], name: str,
               fund: str) -> Measure | None:
    """基本支出 (or its 人员经费, 公用经费) of one fund, from the total row of the document's
    basic-expenditure table titled with that fund: Wanli's 2025 一般公共预算基本支出部门预算经济
    分类预算表 prints 合计 101,341,746 (p.28), where the stored measure is the all-funds
    支出预算总表's. None when no such table prints it."""
    accepted = _THIS_YEAR[basis_of(kind)]
    column = _FUND_TOTAL_COLUMNS[name]
    for cell in cells:
        if cell.table_kind not in _BASIC_KINDS or cell.unit_doubtful or \
                not any(w in cell.table_title for w in _FUND_WORDS[fund]) or \
                item_label(cell) not in ("合计", "总计") or cell.measure not in accepted or \
                cell.scope not in _OWN_SCOPES or cell.unit not in MONEY_UNITS or \
                not column.search(norm(cell.column)):
            continue
        return Measure(
            doc_id=doc_id, name=name, status="found" if cell.value is not None else "blank",
            value=cell.value, printed=cell.printed, unit=cell.unit, source="table",
            table=cell.table_title, row=cell.row_label, row_code=cell.row_code,
            column=cell.column, page=cell.page, bbox=cell.bbox)
    return None
