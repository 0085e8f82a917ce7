"""Linking the words of a question to rows, columns and cells of a document's tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from budgetqa.domain import Cell
from ingest.hierarchy import is_total
from ingest.kinds import GENERALITY
from qa.text import is_generic, longest_shared, norm, strip_numbering, variants

# Words in a question that point at a kind of table.
TABLE_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("一般公共预算", ("一般公共预算支出表", "基本支出表", "财政拨款支出表", "三公经费表", "机关运行经费")),
    ("财政拨款", ("财政拨款收支总表", "财政拨款支出表", "一般公共预算支出表")),
    ("基本支出", ("基本支出表",)),
    ("经济分类", ("基本支出表",)),
    ("功能分类", ("支出总表", "收支总表", "一般公共预算支出表", "财政拨款支出表")),
    ("三公", ("三公经费表",)),
    ("政府采购", ("政府采购",)),
    ("机关运行", ("机关运行经费",)),
    ("项目", ("项目支出",)),
    ("收入", ("收入总表", "收支总表")),
    ("部门预算", ("收支总表",)),
    ("政府性基金", ("政府性基金",)),
)


# Words for the whole budget, the 收支总表's grand total when nothing stands before them.
WHOLE_BUDGET_NAMES = ("总预算", "预算总额", "预算总计", "收支预算总计", "收支总预算")
# What may stand before a name of the whole budget: nothing, a year, the publisher (its last
# character), 的.
WHOLE_MAY_FOLLOW = "年度的门位局厅院委会办室处部所校心"

# Columns that number or code the rows (行次, 栏次, 序号): their cells are not figures.
NOT_FIGURES = re.compile(r"(行次|栏次|行号|序号|编号|科目编码|项目编码)$")
# Columns that hold another year's figure (上年, 2025年预算数 in a 2026 budget) or a rate.
_RATE = re.compile(r"%|百分比|比例|增长|增减|完成|为.*的")


# Column words that say which measure a figure is (budget, adjusted, final, executed).
COLUMN_MEASURE = re.compile(r"年初预算|调整预算|全年预算|预算数|决算数|执行数|决算|预算")


def measured(found: list["Candidate"], word: str) -> list["Candidate"]:
    """Candidates that are the measure a question names (决算数, 年初预算 …): the cell's column
    says so, or another cell of its row does (that cell is taken), or — where no column of the
    row names a measure — the table's title does."""
    core = word.rstrip("数")
    out = []
    for c in found:
        def says(cell: Cell) -> bool:
            column = norm(cell.column)
            if cell.measure and _SIDE_MEASURES.search(cell.measure) and "上年" not in word:
                return False
            return (core in column or core in cell.measure) and not (
                "调整" in column + cell.measure and "调整" not in word)
        if says(c.cell) or (MEASURE_ROW.fullmatch(norm(c.row.label)) and core in c.row.label):
            out.append(c)  # the cell's own column, or its row of measures (预算数), says so
            continue
        other = next((x for x in c.row.cells if x.value is not None and says(x)
                      and not _RATE.search(x.column)), None)
        if other is not None:
            out.append(Candidate(c.row, other, c.score, c.mention, c.hint))
        elif not any(COLUMN_MEASURE.search(norm(x.column)) for x in c.row.cells) \
                and core in norm(c.row.table_title):
            out.append(c)
    return out


# A row that is a measure, not an item: 预算数, 决算数, 年初预算数, 执行数 …
MEASURE_ROW = re.compile(r"(年初|全年|调整)?(预算|决算)数?|(预算)?执行数")
_UNIT_NAME = re.compile(r"(局|委|委员会|院|厅|办公室|街道|办事处|部|中心|学院|学校|政府)$")


def _places(name: str, text: str):
    """Where `name` stands in `text` (plain string search: a document has thousands of names,
    too many for the regex cache). A 科目编码 must stand alone: 201 is not inside "2019年"."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not name.isdigit() or ((start == 0 or not text[start - 1].isdigit())
                                  and (end == len(text) or not text[end].isdigit())):
            yield start
        start = text.find(name, start + 1)


def _numbers_columns(row: "RowView") -> bool:
    values = [c.value for c in row.cells if c.value is not None]
    return bool(re.fullmatch(r"(栏次|行次|栏号)?", norm(row.label))) and len(values) >= 3 and (
        values == [Decimal(i) for i in range(int(values[0]), int(values[0]) + len(values))])


# Measures (ingest.column_measures) that are another year's figure or a rate, not the row's own.
_SIDE_MEASURES = re.compile(r"上年|为上年%|比上年|完成%|%$")


# The funds a table may print an item's figure under, one column each.
_FUND = re.compile(r"一般公共预算(拨款)?|政府性基金(预算)?(拨款)?|国有资本经营(预算)?(拨款)?|财政专户"
                   r"|社会保险基金(预算)?|事业收入|其他(资金|收入)")
# One fund's one side, as a table's title names what its 合计 row prints.
FUND_SIDE = re.compile(r"(一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|财政拨款)"
                        r"(支出|收入)")


def _side_total_names(row: "RowView") -> set[str]:
    """A 收支总表 prints its grand totals as a bare "总计" under the 收入 columns and again
    under the 支出 columns; each is that side's total (收入总计, 总收入 …) as a question
    names it. Only the all-funds table: "总收入" is not its 财政拨款 part."""
    if row.table_kind != "收支总表" or norm(row.label) not in ("总计", "合计"):
        return set()
    sides = {c.column.split("/")[0] for c in row.cells}
    if len(sides) != 1 or not sides <= {"收入", "支出"}:
        return set()
    return variants(f"{sides.pop()}总计")


def main_figure(cells: list[Cell], year: int | None, final: bool) -> Cell | None:
    """A row's main figure: this year's, as a final account reports it (决算数) or a budget
    plans it; a rate or another year's column only when the row has nothing else."""
    valued = [c for c in cells if c.value is not None]

    def this_year(c: Cell) -> bool:
        years = re.findall(r"(?:19|20)\d{2}", c.column)
        return not re.search(r"上年|上一年|去年", c.column) and (
            not years or year is None or str(year) in years) and not _SIDE_MEASURES.search(
            c.measure)

    plain = [c for c in valued if this_year(c) and not _RATE.search(c.column)] or valued
    if final:
        plain = ([c for c in plain if c.measure == "决算数"]
                 or [c for c in plain if "决算" in c.column and "预算" not in c.column] or plain)
    return plain[0] if plain else None


# A piece of a printed label names its row when it is at least this long and stands in at
# most this many rows (a short form, not a common word such as 支出).
SHORT_FORM_MIN = 4
SHORT_FORM_ROWS = 12

# Kinds of table whose total is the figure of the table's own name.
SINGLE_FIGURE_KINDS = {"机关运行经费": "机关运行经费", "政府采购": "政府采购预算",
                       "三公经费表": "三公经费"}


@dataclass
class RowView:
    """A table row with its cells, as the router sees it."""

    table_id: str
    table_title: str
    table_kind: str
    unit: str
    row_id: str
    label: str
    code: str
    level: int
    position: int  # order of the row in its table
    qualifiers: tuple[tuple[str, str], ...]
    cells: list[Cell] = field(default_factory=list)
    main: Cell | None = None  # the row's main figure (see main_figure), set by DocumentView
    opens: bool = False  # the unit's own row that opens a coded table: its total
    parent_id: str = ""  # the row ingest nested it under (Cell.row_parent)

    @property
    def is_total(self) -> bool:
        return self.opens or is_total(self.label) or (not self.label and not self.code)

    def cell(self, column: str) -> Cell | None:
        return next((c for c in self.cells if c.column == column), None)

    def primary(self) -> Cell | None:
        """The row's main figure: this year's, 决算数 in a final account (see main_figure)."""
        return self.main if self.main is not None else next(
            (c for c in self.cells if c.value is not None), None)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    rows: tuple[RowView, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()  # (table_id, column path)
    tables: tuple[str, ...] = ()  # tables named by their kind (机关运行经费, 政府采购 …)


@dataclass(frozen=True)
class Candidate:
    """One figure the question may mean, with why."""

    row: RowView
    cell: Cell
    score: float
    mention: Mention
    hint: Mention | None = None  # the other mention whose column was used, if any


class DocumentView:
    """A document's tables indexed by the names a question may use."""

    def __init__(self, cells: tuple[Cell, ...], table_units: dict[str, str],
                 year: int | None = None, final: bool = False):
        self.rows: list[RowView] = []
        by_row: dict[str, RowView] = {}
        positions: dict[str, int] = {}
        for cell in cells:
            if NOT_FIGURES.search(cell.column.split("/")[-1]):
                continue
            row = by_row.get(cell.row_id)
            if row is None:
                positions[cell.table_id] = positions.get(cell.table_id, -1) + 1
                row = RowView(cell.table_id, cell.table_title, cell.table_kind,
                              table_units.get(cell.table_id, cell.unit), cell.row_id,
                              cell.row_label, cell.row_code, cell.row_level,
                              positions[cell.table_id], cell.qualifiers,
                              parent_id=cell.row_parent)
                by_row[cell.row_id] = row
                self.rows.append(row)
            row.cells.append(cell)
        # A row that numbers the columns (栏次: 1, 2, 3 …) under a final account's heading
        # holds no figure.
        self.rows = [r for r in self.rows if not _numbers_columns(r)]
        self.year, self.final = year, final
        self.tables: dict[str, list[RowView]] = {}
        for row in self.rows:
            row.main = main_figure(row.cells, year, final)
            self.tables.setdefault(row.table_id, []).append(row)
        for rows in self.tables.values():
            # "深圳市…管理局 2,895.86" above the 功能分类 rows 208, 20805 …: a table of coded
            # items that opens with the unit's own uncoded row totals them in it.
            first = rows[0]
            if not first.code and _UNIT_NAME.search(first.label) and any(r.code for r in rows[1:]) \
                    and not any(r.is_total for r in rows):
                first.opens = True
        # Tables printed empty (every figure 0 or blank: "本单位无政府性基金预算") hold no
        # figure a question asks for.
        self.empty_tables = {t for t, rows in self.tables.items()
                             if all(not c.value for r in rows for c in r.cells)}
        self.row_names: dict[str, list[RowView]] = {}
        for row in self.rows:
            names = variants(row.label) if row.label else set()
            if row.code:
                names.add(row.code)
            for name in names:
                self.row_names.setdefault(name, []).append(row)
            for _, value in row.qualifiers:
                for name in variants(value):
                    self.row_names.setdefault(name, []).append(row)
            for name in _side_total_names(row):
                self.row_names.setdefault(name, []).append(row)
        # The whole budget's totals (收入总计, 支出总计; "总预算", "收支预算总计") are first
        # the 收支总表's: each side's grand total, printed last (after 本年收入合计 and the
        # carry-over).
        self.grand_totals: set[str] = set()
        for rows in self.tables.values():
            if rows[0].table_kind == "收支总表":
                for side in ("收入总计", "支出总计"):
                    totals = [r for r in rows if r in self.row_names.get(side, ())]
                    if totals:
                        self.grand_totals.add(totals[-1].row_id)
                        if side == "收入总计":  # (收入总计 = 支出总计: one row names it)
                            for name in WHOLE_BUDGET_NAMES:
                                self.row_names.setdefault(name, []).append(totals[-1])
        self.column_names: dict[str, list[tuple[str, str]]] = {}
        for table_id, rows in self.tables.items():
            for column in dict.fromkeys(c.column for r in rows for c in r.cells):
                parts = column.split("/")
                for i, part in enumerate(parts):
                    # A heading over sub-columns names this column only when everything
                    # below it is generic ("基本支出/小计"); "基本支出" over "人员支出" names
                    # the sum of its sub-columns, not 人员支出.
                    if is_generic(part) or not all(is_generic(p) for p in parts[i + 1:]):
                        continue
                    for name in variants(part):
                        self.column_names.setdefault(name, []).append((table_id, column))
        self._name_sum_columns()
        self._name_fund_split_columns()
        self._name_titled_totals()
        self._add_table_names()
        self._labels = [(r, norm(r.label)) for r in self.rows if r.label]
        self._all_labels = "\n".join(label for _, label in self._labels)
        self._printed = "\n".join([self._all_labels, *map(norm, self.column_names),
                                   *{norm(r.table_title) for r in self.rows}])

    def in_a_label(self, text: str) -> bool:
        """Whether some row's printed label holds `text` (normalised) whole."""
        return text in self._all_labels

    def prints(self, word: str) -> bool:
        """Whether a row label, column heading or table title of the document holds `word`."""
        return norm(word) in self._printed

    # -- finding what a question names ---------------------------------------------------

    def _name_sum_columns(self) -> None:
        """"合计 | 税收返还 | 转移支付": the 合计 column is also named "税收返还和转移支付", as
        a question names the two together."""
        for table_id, rows in self.tables.items():
            columns = list(dict.fromkeys(c.column for r in rows for c in r.cells))
            total = [c for c in columns if "/" not in c and is_total(c)]
            parts = [c for c in columns if "/" not in c and not is_total(c)
                     and not _RATE.search(c) and not NOT_FIGURES.search(c)]
            if len(total) != 1 or len(parts) != 2 or is_generic(parts[0]) or is_generic(parts[1]) \
                    or not _adds_up(rows, total[0], parts):
                # (The CPPCC 三公 table's 合计 also counts the grouped 三公 columns: it is not
                # "会议费和培训费".)
                continue
            for joiner in ("和", "及", "与"):
                name = norm(parts[0] + joiner + parts[1])
                self.column_names.setdefault(name, []).append((table_id, total[0]))

    def _name_fund_split_columns(self) -> None:
        """"因公出国(境)费 / 一般公共预算 | 政府性基金预算 | 国有资本经营预算": an item
        printed per fund is named by its one fund with figures, when every other fund's
        column under it is empty or zero throughout the table."""
        for table_id, rows in self.tables.items():
            columns = list(dict.fromkeys(c.column for r in rows for c in r.cells))
            headings: dict[str, list[str]] = {}
            for column in columns:
                head, _, fund = column.rpartition("/")
                if head and _FUND.fullmatch(fund):
                    headings.setdefault(head, []).append(column)
            for head, funded in headings.items():
                used = [c for c in funded if any(r.cell(c) is not None and r.cell(c).value
                                                 for r in rows)]
                if len(funded) < 2 or len(used) > 1:
                    continue
                name = head.split("/")[-1]
                if is_generic(name):
                    continue
                for variant in variants(name):
                    self.column_names.setdefault(variant, []).append((table_id, (used or funded)[0]))

    def _name_titled_totals(self) -> None:
        """A table titled by one fund's one side ("2026年一般公共预算支出情况表") prints that
        figure as its 合计 row: the title's name ("一般公共预算支出") names the row, where no
        printed label or heading already does."""
        for rows in self.tables.values():
            core = re.sub(r"^.*?20\d{2}年度?|^(公开)?\d+表|^表[一二三四五六七八九十\d]+|"
                          r"[（(].*?[）)]|(情况|总体情况|预算)?表$", "", norm(rows[0].table_title))
            if not FUND_SIDE.fullmatch(core):
                continue
            totals = [r for r in rows if r.is_total]
            if len(totals) != 1:
                continue
            for name in variants(core) - set(self.row_names) - set(self.column_names):
                self.row_names[name] = [totals[0]]

    def _add_table_names(self) -> None:
        """Tables that hold one figure under their own name (机关运行经费, 政府采购, 三公经费)
        can be named by it; their total row answers."""
        self.table_names: dict[str, list[str]] = {}
        for table_id, rows in self.tables.items():
            kind = rows[0].table_kind
            if kind in SINGLE_FIGURE_KINDS:
                for name in variants(SINGLE_FIGURE_KINDS[kind]):
                    self.table_names.setdefault(name, []).append(table_id)

    def mentions(self, text: str) -> list[Mention]:
        """Rows and columns named in a (normalised) text, longest names first, no overlaps."""
        found: list[Mention] = []
        # `name in text` first: a document has thousands of names, a question holds a few.
        for name, rows in self.row_names.items():
            if name in text:
                for start in _places(name, text):
                    found.append(Mention(start, start + len(name), name, rows=tuple(rows)))
        for name, columns in self.column_names.items():
            if name in text:
                for start in _places(name, text):
                    found.append(Mention(start, start + len(name), name,
                                         columns=tuple(dict.fromkeys(columns))))
        for name, table_ids in self.table_names.items():
            if name in text:
                for start in _places(name, text):
                    found.append(Mention(start, start + len(name), name,
                                         tables=tuple(table_ids)))
        # "总预算", "支出总额" name the whole budget only standing alone or after a year or
        # the publisher: "三公经费总预算", "政府采购支出总额" are those items'.
        found = [m for m in found if m.start == 0 or text[m.start - 1] in WHOLE_MAY_FOLLOW
                 or not (m.text in WHOLE_BUDGET_NAMES or (m.rows and all(
                     r.row_id in self.grand_totals for r in m.rows)))]
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[Mention] = []
        for mention in found:
            same_span = [k for k in kept if (k.start, k.end) == (mention.start, mention.end)]
            if same_span:  # a name that is both a row and a column: keep both readings
                k = same_span[0]
                kept[kept.index(k)] = Mention(k.start, k.end, k.text, rows=k.rows + mention.rows,
                                              columns=k.columns + mention.columns,
                                              tables=k.tables + mention.tables)
            elif not any(k.start < mention.end and mention.start < k.end for k in kept):
                kept.append(mention)  # each character of the question names one thing
        kept += self._short_forms(text, kept)
        return sorted(kept, key=lambda m: m.start)

    def _short_forms(self, text: str, named: list[Mention]) -> list[Mention]:
        """Rows named by a piece of their printed label ("养老保险缴费" for 机关事业单位基本
        养老保险缴费支出): in the parts of `text` no whole name covers, the longest pieces of
        at least four characters that stand inside some row's label."""
        from qa.lexicon import FILLER_WORDS

        taken = [False] * len(text)
        for m in named:
            taken[m.start:m.end] = [True] * (m.end - m.start)
        blanked = FILLER_WORDS.sub(lambda f: " " * len(f.group(0)), text)
        found: list[Mention] = []
        for size in range(min(len(text), 12), SHORT_FORM_MIN - 1, -1):
            for start in range(len(text) - size + 1):
                piece = blanked[start:start + size]
                if " " in piece or any(taken[start:start + size]) or re.search(r"\d", piece):
                    continue
                if piece not in self._all_labels:  # one fast search before the row loop
                    continue
                rows = tuple(r for r, label in self._labels if piece in label)
                if rows and len(rows) <= SHORT_FORM_ROWS:
                    found.append(Mention(start, start + size, piece, rows=rows))
                    taken[start:start + size] = [True] * size
        return found

    def children(self, parent: RowView) -> list[RowView]:
        """Rows one level below `parent` in its table, up to the next row at its level; else
        the rows ingest nested under it (a total printed below its items)."""
        rows = self.tables[parent.table_id]
        nested = [r for r in rows if r.parent_id and r.parent_id == parent.row_id]
        if parent.level == 0 and not parent.is_total:
            # A flat row has no parts; a level-0 heading over 类 rows is their total.
            return nested if len(nested) >= 2 else []
        out = []
        for row in rows[parent.position + 1:]:
            if row.level and row.level <= parent.level or row.is_total:
                break
            if row.level == parent.level + 1 or (parent.code and row.code.startswith(parent.code)
                                                 and len(row.code) > len(parent.code)
                                                 and row.level == parent.level + 1):
                out.append(row)
        if len(out) < 2 and len(nested) >= 2:
            # A total printed below its items ("全州一般公共预算支出" under 一、…二十五、).
            return nested
        return out

    def ancestors(self, row: RowView) -> list[str]:
        """Normalised labels of the rows above `row` by 科目编码 (类 and 款 of a 项), else
        the rows ingest nested it under, without numbering ("提前下达数" over 香格里拉市)."""
        if not row.code and row.parent_id:
            by_id = {r.row_id: r for r in self.tables[row.table_id]}
            out, up = [], by_id.get(row.parent_id)
            while up is not None and len(out) < 4:
                out.append(re.sub(r"(数|额)$", "", strip_numbering(norm(up.label))))
                up = by_id.get(up.parent_id)
            return [name for name in out if len(name) >= 2]
        if not row.code or len(row.code) <= 3:
            return []
        return [norm(r.label) for r in self.tables[row.table_id]
                if r.code and r.code != row.code and row.code.startswith(r.code) and r.label]

    def lineage(self, table_title: str, label: str) -> list[str]:
        """What stands above a cited row: its parents (by 科目编码, else by level) and the
        units it is qualified by, normalised."""
        row = next((r for r in self.rows if r.table_title == table_title and r.label == label),
                   None)
        if row is None:
            return []
        out = self.ancestors(row) + [norm(v) for _, v in row.qualifiers]
        level = row.level
        for above in reversed(self.tables[row.table_id][:row.position]):
            if level and above.level and above.level < level:
                out.append(norm(above.label))
                level = above.level
        return out

    def tables_named_in(self, text: str) -> list[str]:
        """Tables whose own title (without numbering, year and publisher) the text repeats."""
        named = []
        for table_id, rows in self.tables.items():
            core = re.sub(r"^.*?20\d{2}年度?|^[一二三四五六七八九十]+、|公开\d+表|"
                          r"[（(](功能|经济)(科目|分类)[）)]|(部门|单位)", "", norm(rows[0].table_title))
            if len(core) >= 6 and core in text:
                named.append(table_id)
        return named

    def measure_row(self, table_id: str, question: str) -> RowView | None:
        """In a table whose rows are measures and whose columns are items (a 三公 table of a
        final account: rows 预算数 and 决算数 under 公务接待费, 会议费 …), the row of the
        measure asked: a budget named in the question, else the final figure of a final
        account, else the first."""
        rows = self.tables.get(table_id, [])
        if not rows or not all(MEASURE_ROW.fullmatch(norm(r.label)) for r in rows):
            return None
        budget = re.search(r"年初预算|全年预算|调整预算|预算数", question) or (
            self.final and re.search(r"(?<!公共)(?<!基金)(?<!经营)预算(?!拨款|单位|部门|执行)",
                                     question))
        wanted = "预算" if budget or not self.final else "决算"
        return next((r for r in rows if wanted in r.label), rows[0])

    def total_row(self, table_id: str) -> RowView | None:
        """The table's 合计/总计 row; a one-row table's only row is its total."""
        rows = self.tables[table_id]
        return next((r for r in rows if r.is_total), rows[0] if len(rows) == 1 else None)

    def whole_area_row(self, table_id: str, question: str) -> RowView | None:
        """"迪庆州" over 迪庆州本级 and its counties: the one row ingest nested all the others
        in, when the question names it or the whole area (全州)."""
        rows = self.tables[table_id]
        tops = [r for r in rows if not r.parent_id]
        if len(tops) != 1 or len(rows) <= 2 or len(self.children(tops[0])) < 2:
            return None
        top = tops[0]
        named = norm(top.label) in question or any(
            norm(top.label).endswith(area.group(0)[1]) for area in _WHOLE_AREA.finditer(question))
        return top if named else None


# "本级" (the government's own level) against "全区/全市/全州…" (the whole area it governs).
_WHOLE_AREA = re.compile(r"全(省|市|区|州|县|盟|旗|国)")


def level_fit(question: str, row: RowView, cell: Cell) -> float:
    """How well a figure's level fits the level a question names: a 本级 question wants a
    本级 table, row or column; a 全区 question the table of the whole area, not the 本级 or
    the 市县 one; with no level named, the whole area comes first."""
    where = norm(row.table_title + row.label + cell.column)
    own = "本级" in where or cell.scope == "本级"
    parts = bool(re.search(r"市县|各市|各县|分地区", norm(row.table_title))) or cell.scope == "市县"
    if "本级" in question:
        return 1.0 if own else -1.0
    whole = _WHOLE_AREA.search(question)
    if whole:
        if own or parts:
            return -1.0
        return 0.6 if whole.group(0) in where else 0.3
    return -0.2 if ("本级" in norm(row.table_title) or parts) else 0.0


def level_cell(question: str, row: RowView) -> Cell:
    """The row's figure at the level the question names: its 本级 column ("本地区 | 本级" in
    a debt table) for a 本级 question, else its main figure."""
    if "本级" in question and row.primary().scope != "本级":
        own = next((c for c in row.cells if c.scope == "本级" and c.value is not None
                    and not _RATE.search(c.column) and not _SIDE_MEASURES.search(c.measure)),
                   None)
        if own is not None:
            return own
    return row.primary()


# A row that names only a level of government: "自治区本级", "迪庆州本级", "市本级".
_LEVEL_ROW = re.compile(r"^.{0,8}本级$")


def level_rows_yield(found: list["Candidate"], mentions: list[Mention],
                     text: str) -> list["Candidate"]:
    """"自治区本级…政府债务付息": where the question names an item besides a level, the
    level's own row (in a table of places) is a qualifier, not the figure; the item's 本级
    figure (level_cell) answers. Where the item is named by nothing ("州本级基本支出"),
    the level's row is no answer either."""
    from qa.lexicon import FILLER_WORDS

    def level_row(c: "Candidate") -> bool:
        return bool(_LEVEL_ROW.match(c.mention.text) and _LEVEL_ROW.match(norm(c.row.label)))

    items = [m for m in mentions if (m.rows or m.columns or m.tables)
             and not _LEVEL_ROW.match(m.text)]
    rest = text
    for m in mentions:
        rest = rest.replace(m.text, " ")
    rest = re.sub(r"(?:19|20)\d{2}年?|[的了是多少钱占比例比重多大几]", " ", FILLER_WORDS.sub(" ", rest))
    if not items and len(re.sub(r"[^\u4e00-\u9fff]", "", rest)) >= 3:
        return [c for c in found if not level_row(c)]
    if not items:
        return found
    return [replace(c, score=c.score - 1.5) if level_row(c) else c for c in found]


def year_fit(question: str, label: str, own_year: int | None = None) -> float:
    """A row that names a year ("2024年末地方政府债务余额") fits a question about that year;
    a question that names no year asks the document's own (`own_year`), not last year's end."""
    years = re.findall(r"(?:19|20)\d{2}", label)
    if not years:
        return 0.0
    if any(y in question for y in years):
        return 0.5
    named_none = not re.search(r"(?:19|20)\d{2}", question)
    return 0.0 if named_none and own_year and str(own_year) in years else -1.0


def column_fit(question: str, cell: Cell, view: DocumentView) -> float:
    """Columns of the same name under different measures: a final account's 决算数 before its
    预算数; this year's before another year's or a rate, unless the question names them."""
    column = norm(cell.column)
    score = 0.0
    if view.final and not _RATE.search(column):
        # A final account's 决算数 first, its 预算数 when the question asks the budget only.
        budget_asked = re.search(r"预算", question) and not re.search(r"决算|实际|花了", question)
        if ("预算" if budget_asked else "决算") in column:
            score += 0.2
    years = re.findall(r"(?:19|20)\d{2}", column)
    other_year = re.search(r"上年|上一年|去年", column) or (
        view.year and years and str(view.year) not in years)
    if other_year and not re.search(r"上年|去年|上一年", question) and not any(
            y in question for y in years):
        score -= 0.4
    if _RATE.search(column) and not re.search(r"%|百分|比例|比重|增长|完成", question):
        score -= 0.4
    # "债务余额" asked: the 债务余额 column before the 债务限额 one beside it.
    words = re.sub(r"(?:19|20)\d{2}年?|[A-Za-z=+\-]", "", column)
    return score + 0.05 * min(longest_shared(words, question, shortest=2), 6)


def table_cue_bonus(question: str, kind: str, title: str, around: str | None = None) -> float:
    """How well a table fits the words of the question (`around`: the question without the
    name of the figure, to compare with the title)."""
    bonus = 0.0
    compact_title = norm(title)
    for word, kinds in TABLE_CUES:
        if word in question:
            if kind in kinds:
                bonus += 1.0
            if word in compact_title:
                bonus += 1.0
    # A government's level named ("州本级", "全市") is the table's that names it too.
    for level in set(re.findall(r"[省市州区县]本级|全[省市州区县]", question)):
        if level in compact_title:
            bonus += 1.0
    # A question that names the table ("“三公”经费、会议费、培训费支出预算表中…") chooses it;
    # common endings such as 支出预算表 say nothing, so only longer shared pieces count.
    core = re.sub(r"^.*?20\d{2}年度?|^[一二三四五六七八九十]+、|公开\d+表|(部门|单位)", "", compact_title)
    shared = longest_shared(core, question if around is None else around, shortest=2)
    if shared >= 6:
        bonus += 0.3 * shared
    elif shared >= 4:
        bonus += 0.5
    return bonus


def candidates(view: DocumentView, question: str, mention: Mention,
               column_hints: list[Mention], cues: str | None = None) -> list[Candidate]:
    """Figures one mention may mean, scored by how much of the question they account for
    (the mention, and a hinted column in the same table), then by table cues and generality
    (`cues`: the words whose table cues count, when not the whole question's)."""
    out: list[tuple[RowView, Cell, float, Mention | None]] = []
    for row in mention.rows:
        # A list's numbering ("一、") is no part of the name.
        label = strip_numbering(norm(row.label))
        by_label = label == mention.text or row.code == mention.text or (
            mention.text in variants(row.label))
        score = 3.0 + len(mention.text) * 0.25 + (1.0 if label == mention.text else 0.0)
        # "城乡社区管理事务（款）行政运行（项）": the row under the named parent.
        score += 1.5 * sum(1 for name in view.ancestors(row) if name in question)
        if not by_label:
            score -= 1.5  # named through a qualifier (its unit), not its own label
        if re.fullmatch(r"20\d{2}年度?", mention.text) and not any(
                t == row.table_id for h in column_hints for t, _ in h.columns):
            score -= 2.0  # a row named by a year (a 三公 table's 2026年), no column named
        if row.row_id in view.grand_totals and mention.text in WHOLE_BUDGET_NAMES:
            score += 2.0  # the 收支总表 states the whole budget; a 收入总表 repeats its receipts
        if row.table_kind == "三公经费表" and re.search(r"接待|会议|培训|出国|公务用车|三公", row.label):
            score += 1.5  # its 公务接待费, 会议费 are whole (see the column case below)
        best_hint = None
        for hint in column_hints:
            for table_id, column in hint.columns:
                if table_id == row.table_id and row.cell(column) is not None:
                    if best_hint is None or len(hint.text) > len(best_hint[0].text):
                        best_hint = (hint, column)
        if best_hint is not None:
            out.append((row, row.cell(best_hint[1]),
                        score + 1.0 + len(best_hint[0].text) * 0.25, best_hint[0]))
        elif row.primary() is not None:
            out.append((row, level_cell(question, row), score, None))
    for table_id, column in mention.columns:
        total = view.total_row(table_id) or view.measure_row(table_id, question)
        if total is None and [t for t, _ in mention.columns].count(table_id) == 1:
            total = view.whole_area_row(table_id, question)  # one column of it is named
        if total is not None and total.cell(column) is not None:
            score = 2.5 + len(mention.text) * 0.25
            if total.table_kind == "三公经费表":
                # 会议费, 培训费, 公务接待费 in the 三公 table are whole; a 基本支出 table's row of
                # the same name holds only the part paid from basic spending.
                score += 2.0
            out.append((total, total.cell(column), score, None))
    for table_id in mention.tables:
        total = view.total_row(table_id)
        if total is not None and total.primary() is not None:
            out.append((total, total.primary(), 2.5 + len(mention.text) * 0.25, None))
    scored = []
    # The table's title is compared with the rest of the question: "一般公共服务支出" itself
    # shares 一般公共 with the title 一般公共预算支出预算表.
    around = question[:mention.start] + " " * (mention.end - mention.start) + question[mention.end:] \
        if question[mention.start:mention.end] == mention.text else question
    for row, cell, score, hint in out:
        score += table_cue_bonus(question if cues is None else cues, row.table_kind,
                                 row.table_title, around if cues is None else cues)
        score -= GENERALITY.get(row.table_kind, 9) * 0.1
        if cell.value is None:
            score -= 2.0
        elif cell.value == Decimal(0):
            score -= 0.5
        if row.table_id in view.empty_tables:
            score -= 3.0
        score += level_fit(question, row, cell) + column_fit(question, cell, view)
        score += year_fit(question, row.label, view.year)
        if row.qualifiers and not any(norm(v) in question for _, v in row.qualifiers):
            score -= 0.3
        scored.append(Candidate(row, cell, score, mention, hint))
    return sorted(scored, key=lambda c: -c.score)


def _adds_up(rows, total: str, parts: list[str]) -> bool:
    """Whether every row printing all three columns has total = part + part (and one does)."""
    checked = 0
    for row in rows:
        values = {c.column: c.value for c in row.cells if c.value is not None}
        if total in values and all(p in values for p in parts):
            if values[total] != values[parts[0]] + values[parts[1]]:
                return False
            checked += 1
    return checked > 0
