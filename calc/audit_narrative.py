"""Audit rules for the narrative against itself and the tables: stated amounts against the
table figure of the same label, stated shares ("占X%") recomputed from their operands,
shares of one whole summing to 100%, and "比上年增加X，增长Y%" checked for Y and direction.

Pure: Passages and SourcedTables in, Findings out; Decimal only. Narrative figures are
read by ingest.narrative_facts.extract_facts. A share or growth is judged against the interval its
rounded operands allow, so that rounding of the operands never raises a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_cross import table_figures
from calc.audit_findings import (ERROR, MINOR, MONEY, ROUNDING, UNIT_SLIP, Finding, Rule,
                                 SourcedTable, cell_citation, finding_id, is_exact, passage_citation, plain,
                                 quantum, severity)
from calc.audit_stated_base import check_stated_bases
from calc.gaps import judge_stated
from ingest.label_text import norm, strip_numbering
from ingest.narrative_facts import Fact, extract_facts
from ingest.pdf_table_text import squash

RULES = (
    Rule("narrative.amount", "说明中的金额与表中同名项目的数字一致（仅在名称唯一对应时判断）"),
    Rule("narrative.share", "说明中的“占X%”可由其分子、分母重新算出"),
    Rule("narrative.shares_sum", "同一总数的各部分占比之和为100%"),
    Rule("narrative.share_of_listed", "各部分占同一总数（未写出金额）的比例合计为100%时，总数即各部分之和，"
                                      "每个占比 = 该部分 ÷ 各部分之和"),
    Rule("narrative.growth", "“比上年增加X，增长Y%”：Y = X ÷（本年 − X），且增减方向一致"),
    Rule("narrative.restated", "同一项目说明中先后列出的本年金额一致（项目开头金额 = “本年预算安排”金额）"),
    Rule("narrative.variance", "预决算差异：说明称“决算数小于/大于/等于预算数”及所列差额与所列预算数、决算数一致"),
    Rule("narrative.stated_rate", "“上年执行数P，本年安排C，增长Y%”：Y = (C − P) ÷ P；"
                                  "“预算数B，执行数E，完成Y%”：Y = E ÷ B；称“持平”时 C = P"),
)

HUNDRED = Decimal(100)
# Words between a label and its figure ("…职业年金缴费支出预算为 87.36 万元").
_FILLER = re.compile(r"(的|预算数|预算|支出|安排|共计|合计|总额|为|是|数|金额|共|计|资金|"
                     r"当年|本年|年初|财政拨款|达|约|科目|经费)$")
_SHARE = re.compile(r"占(?P<whole>[^占]{0,16}?)(的)?(比重|比例|份额)?(为|是|约)?$")
# Tables whose rows name projects or purchases, not the figures the narrative sums up.
_NOT_INDEXED = ("政府采购", "绩效", "项目支出", "其他")
# A clause that talks about a change or a comparison does not state the figure itself.
_CHANGE_TALK = re.compile(r"增加|减少|增长|下降|降低|压减|上升|比上年|与上年|较上年|上年|去年|执行数|决算数|调整|年初|全年预算")
# What may stand before a label in its clause: numbering, a year, the body itself.
# ("一般公共预算拨款安排的会议费预算支出", "2024年安排公务接待费预算": what pays for it.)
_LEAD = re.compile(r"^(20\d{2}年度?|年度|\d+\.?|[一二三四五六七八九十]+、|其中|本部门|本单位|部门|单位|"
                   r"(一般公共预算)?(财政)?拨款安排的|安排|年(?=安排|预算))*")
# "省检察院2017年度…": a body's name before the year.
# (_label_key drops a year's digits before 年: "省委办公厅年度…" is "省委办公厅 2017 年度…".)
_BODY_BEFORE_YEAR = re.compile(r"^[\u4e00-\u9fff]{2,20}?(?=20\d{2}年|年度)")
_RATE_WORD = re.compile(r"(降幅|减幅|增幅|涨幅)(为|是)?$")
_CLAUSE_END = re.compile(r"[，,；;：:。]")
_SUBTOTALS = ("合计", "小计", "总计", "金额", "预算数", "决算数", "执行数")
# 三公 items are compared with the 三公 table only: a 基本支出表 row of the same name
# (经济分类 30217 公务接待费) holds only the basic-expenditure part.
_THREE_PUBLIC = re.compile(r"三公|出国|公务用车|接待")
# The 会议费 and 培训费 columns a "“三公”经费、会议费、培训费" table prints beside the 三公.
_MEETINGS = re.compile(r"^(会议费|培训费)$")


@dataclass(frozen=True)
class Figure:
    """A table figure under a label, in 元, with where it stands."""

    value: Decimal  # in 元
    source: SourcedTable
    row: object
    cell: object
    path: str = ""  # the label keys of the row's 类/款 parents, outermost first, joined


# "公共安全支出（204类）司法（06款）" prints the code with the level mark.
_CODED_LEVEL = re.compile(r"\(\d*(类|款|项)\)|\d{3,7}(?=[\u4e00-\u9fff])")
_ARABIC_ITEM = re.compile(r"^\(\d{1,2}\)")


def _label_key(text: str) -> str:
    key = strip_numbering(_ARABIC_ITEM.sub("", norm(text)))
    # "一般公共预算财政拨款收入" and the table's "一般公共预算拨款收入" are one name.
    return _CODED_LEVEL.sub("", key).replace("其它", "其他").replace("预算财政拨款", "预算拨款")


# Names the narrative gives a table's summary figures (calc.audit_cross.table_figures):
# "收入、支出预算总计", "本年支出预算合计", "一般公共预算财政拨款支出预算".
TOTAL_NAMES: dict[str, tuple[str, ...]] = {
    "收入总计": ("收入总计", "收入预算总计", "收入合计", "总收入", "收入总额", "收入总预算",
             "收入预算", "收入预算合计", "收支总计", "收支预算总计", "收入、支出预算总计",
             "收入支出预算总计", "收入支出总计", "收、支预算总计", "收支预算"),
    "支出总计": ("支出总计", "支出预算总计", "支出合计", "总支出", "支出总额", "支出总预算",
             "支出预算", "支出预算合计", "本年支出预算合计", "本年支出合计", "本年支出预算"),
    "财政拨款收入总计": ("财政拨款收入总计", "财政拨款收支总计", "财政拨款收支预算总计",
                 "财政拨款收入支出预算总计", "财政拨款收入支出总计", "财政拨款收入预算总计",
                 "财政拨款收入", "财政拨款收支总预算"),
    "财政拨款支出总计": ("财政拨款支出总计", "财政拨款支出预算总计", "财政拨款支出预算",
                 "财政拨款支出", "财政拨款预算支出"),
    "基本支出": ("基本支出", "基本支出预算"),
    "项目支出": ("项目支出", "项目支出预算"),
    "一般公共预算支出": ("一般公共预算支出", "一般公共预算拨款支出", "一般公共预算财政拨款支出",
                 "一般公共预算支出预算", "一般公共预算财政拨款支出预算", "一般公共预算拨款支出预算"),
    "一般公共预算基本支出": ("一般公共预算基本支出", "一般公共预算拨款基本支出",
                   "一般公共预算财政拨款基本支出"),
    "财政拨款基本支出": ("财政拨款基本支出", "财政拨款基本支出预算"),
}


# The names of a table's wholes (收入预算总计, 支出预算 …): after a row's name they say which
# of its figures is meant, they do not make the row a part of that whole.
_MEASURE_WORDS = frozenset(_label_key(a) for names in TOTAL_NAMES.values() for a in names)


def _ancestors(rows, row) -> str:
    """The label keys of a row's parents, outermost first, joined."""
    chain, parent, seen = [], row.parent, set()
    while parent is not None and parent not in seen and 0 <= parent < len(rows):
        seen.add(parent)
        chain.append(_label_key(rows[parent].label))
        parent = rows[parent].parent
    return "".join(reversed(chain))


def _indexed_name(key: str, row) -> bool:
    """Whether a row's name is kept in the index: three characters or more, or two for a
    row with its 科目 code ("30206 电费", "30205 水费"), which names a classification item,
    not a fragment of a wrapped label; never "其他", which every level has."""
    return len(key) >= 3 or (len(key) == 2 and bool(row.code) and key != "其他")


def table_labels(sources: list[SourcedTable]) -> dict[str, list[Figure]]:
    """Table figures by normalised label: each row's main figure, and the named columns of
    one-row tables (三公, 机关运行经费, the totals of a 支出总表)."""
    index: dict[str, list[Figure]] = {}
    for source in sources:
        scale = MONEY.get(source.table.unit)
        if scale is None or source.table.kind in _NOT_INDEXED:
            continue
        columns = source.table.columns
        main = next((c for c in columns if squash(c.rsplit("/", 1)[-1]) in _SUBTOTALS),
                    columns[0] if columns else None)
        own = _this_year_spending(source)
        for name, (row, cell) in own.items():
            index.setdefault(name, []).append(Figure(cell.value * scale, source, row, cell))
        for name, (row, cell) in _this_year_income(source, main).items():
            index.setdefault(name, []).append(Figure(cell.value * scale, source, row, cell))
        for name, (row, cell) in table_figures(source).items():
            for alias in TOTAL_NAMES.get(name, (name,)):
                if _label_key(alias) in own:
                    continue  # the table prints this year's spending apart from its 总计
                index.setdefault(_label_key(alias), []).append(
                    Figure(cell.value * scale, source, row, cell))
        for row in source.table.rows:
            key = _label_key(row.label)
            cells = {c.column: c for c in row.cells if c.value is not None}
            if _indexed_name(key, row) and main in cells:
                index.setdefault(key, []).append(Figure(
                    cells[main].value * scale, source, row, cells[main],
                    _ancestors(source.table.rows, row)))
            if source.table.kind in ("三公经费表", "机关运行经费"):
                for column, cell in cells.items():
                    parts = [p for p in column.split("/") if squash(p) not in _SUBTOTALS]
                    name = _label_key(parts[-1]) if parts else ""
                    # Only the items' own columns: a 三公 table may also print its funds
                    # ("政府性基金预算") or last year's figures as columns.
                    if len(name) >= 3 and (source.table.kind == "机关运行经费"
                                           or _THREE_PUBLIC.search(name)
                                           or _MEETINGS.search(name)):
                        index.setdefault(name, []).append(Figure(cell.value * scale, source,
                                                                 row, cell))
    # "其中本年收入 1668.14 万元" names the 收支总表's "本年收入合计": a total row also
    # answers to its name without 合计, when no row has that name.
    for key in [k for k in index if k.endswith("合计") and len(k) >= 5]:
        index.setdefault(key[:-2], index[key])
    return index


_THIS_YEAR_SPENDING = ("本年支出合计", "本年支出预算合计", "本年支出预算")


def _this_year_spending(source: SourcedTable) -> dict[str, tuple]:
    """A 收支总表's 本年支出合计 (row, cell), under each name the narrative gives it: printed
    apart from the 总计 that adds the carry-over ("本年支出合计 2,074,962.01" beside "总计
    2,480,372.70"), on its own row or on the 本年收入合计 row's 支出 side. (The 财政拨款
    收支总表's is a part of it, named with 财政拨款.)"""
    if source.table.kind != "收支总表":
        return {}
    for row in source.table.rows:
        if squash(row.label) not in ("本年收入合计", "本年支出合计"):
            continue
        for cell in row.cells:
            leaf = squash(cell.column.rsplit("/", 1)[-1])
            if cell.value is not None and "支出" in cell.column and leaf in (
                    "合计", "金额", "预算数", "决算数", "支出"):
                return {_label_key(name): (row, cell) for name in _THIS_YEAR_SPENDING}
    return {}


# This year's income without the carry-over, as a 收支总表 prints it ("当年收入小计",
# "本年收入合计") and as the narrative names it ("本年收入预算合计").
_THIS_YEAR_INCOME_ROW = re.compile(r"^(本年|当年)收入(预算)?(合计|小计)$")
_THIS_YEAR_INCOME = ("本年收入合计", "本年收入预算合计", "当年收入合计", "当年收入小计")


def _this_year_income(source: SourcedTable, main: str | None) -> dict[str, tuple]:
    """A 收支总表's income of this year (row, cell) under each name it goes by."""
    if source.table.kind != "收支总表":
        return {}
    for row in source.table.rows:
        if _THIS_YEAR_INCOME_ROW.match(squash(row.label)):
            cell = next((c for c in row.cells if c.column == main and c.value is not None), None)
            if cell is not None:
                return {_label_key(name): (row, cell) for name in _THIS_YEAR_INCOME}
    return {}


# "财政拨款收、支总预算": the 、 inside 收、支 shortens two words of one name ("收支");
# it separates no items, so the clause goes on before it.
_PAIRED_WORDS = re.compile(r"收\s*、\s*$")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。、]")


def _clause_before(fact: Fact) -> str:
    """The normalised clause just before the figure, as printed up to the last comma,
    colon, semicolon or 、 ("" when the figure opens its sentence)."""
    clause = fact.clause
    head = fact.local[: len(fact.local) - len(clause)] if fact.local.endswith(clause) else ""
    if clause.startswith("支") and _PAIRED_WORDS.search(head):
        clause = _CLAUSE_BREAK.split(_PAIRED_WORDS.sub("收", head))[-1] + clause
    return _label_key(clause)


# The year after a publisher's name, its digits dropped by _label_key ("省委办公厅 2017 年
# 一般公共预算…" is "省委办公厅年一般公共预算…"); not 年初/年末/年终/年底.
_YEAR_AFTER_BODY = re.compile(r"^年(度|(?![初末终底]))")
# The shortest last words of a publisher's name that still name it ("省委办公厅" of
# "江苏省委办公厅").
_SHORT_NAME = 4


def _body_at_start(text: str, bodies: tuple[str, ...]) -> int:
    """The length of the publisher's name (whole, or its last words) opening the text, or 0."""
    for body in filter(None, bodies):
        for k in range(len(body), min(_SHORT_NAME, len(body)) - 1, -1):
            if text.startswith(body[-k:]):
                return k
    return 0


def _lead(text: str, bodies: tuple[str, ...]) -> str:
    """The text without what may stand before a label: numbering, a year, 本部门, or the
    name of the publisher, whole or by its last words, with its year ("江苏省委办公厅2019年度…",
    "省委办公厅 2017 年…")."""
    for _ in range(4):
        before = text
        text = _LEAD.sub("", _BODY_BEFORE_YEAR.sub("", text))
        named = _body_at_start(text, bodies)
        if named:
            text = _YEAR_AFTER_BODY.sub("", text[named:])
        if text == before:
            break
    return text


def _label_of(clause: str, labels: dict[str, list[Figure]],
              bodies: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(label, parent path) the clause names: the clause is the label, after dropping filler
    words at its end and numbering, a year or the body's name at its start, and optionally
    a path of parent labels before it (“社会保障和就业支出行政事业单位养老支出机关事业单位…”)."""
    if not clause or _CHANGE_TALK.search(clause):
        return None
    text = clause
    for _ in range(8):
        for key in sorted(labels, key=len, reverse=True):
            if text.endswith(key):
                prefix = _lead(text[: -len(key)], bodies)
                # The parents may have short names no index keeps ("司法（06款）").
                if _is_path(prefix, labels) or any(f.path.endswith(prefix) for f in labels[key]):
                    return key, prefix
        stripped = _FILLER.sub("", text)
        if stripped == text:
            return None
        text = stripped
    return None


def _is_path(prefix: str, labels: dict[str, list[Figure]]) -> bool:
    """True when the text is empty or a chain of known labels (a 类/款 path)."""
    if not prefix:
        return True
    return any(prefix.endswith(key) and _is_path(prefix[: -len(key)], labels)
               for key in labels if len(key) <= len(prefix))


def _paragraph_facts(passages: list[Passage]) -> list[list[Fact]]:
    """The facts of every passage, in order, one list per passage."""
    return [extract_facts(p) for p in passages]


def _cite(fact: Fact):
    return passage_citation(fact.passage, fact.sentence, fact.printed, fact.unit)


def _fact_id(rule: str, fact: Fact, *more: str) -> str:
    return finding_id(rule, fact.passage.doc_id, fact.sentence, fact.printed, *more)


def _by_scope(fact: Fact, figures: list[Figure]) -> list[Figure]:
    """The figures of the table whose scope the passage names (its section or paragraph
    says 一般公共预算 or 财政拨款), or [] when it names none."""
    context = norm(fact.passage.section + fact.subject)
    for word, kinds in (("一般公共预算", ("一般公共预算支出表",)),
                        ("财政拨款", ("财政拨款支出表", "财政拨款收支总表"))):
        if word in context:
            return [f for f in figures if f.source.table.kind in kinds]
    return []


def scope_gaps(sources: list[SourcedTable]) -> set[Decimal]:
    """Differences (in 元) between the grand totals of the disclosure's tables: a narrative
    figure that differs from a table by one of them speaks of another scope (all funds
    against 财政拨款), not of a wrong figure."""
    totals = set()
    for source in sources:
        scale = MONEY.get(source.table.unit)
        for row in source.table.rows:
            if scale and not row.code and squash(row.label) in ("合计", "总计", "收入总计", "支出总计"):
                totals |= {c.value * scale for c in row.cells if c.value}
    return {abs(a - b) for a in totals for b in totals if a != b}


_HEADING = re.compile(r"^\s*([（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|"
                      r"\d{1,2}[.、．])\s*(?P<name>[^。\d]{2,25})。")


def _says_nothing(clause: str, bodies: tuple[str, ...]) -> bool:
    """True for a clause that names no figure: a year, 预算数, 安排 and the like only
    (not "年初预算为" or "支出决算为": those name another measure than the table's)."""
    if _CHANGE_TALK.search(clause) or "决算" in clause:
        return False
    text = clause
    for _ in range(6):
        text = _FILLER.sub("", _lead(text, bodies))
    return text in ("", "年", "数")


# "…（项）。年初预算为 A 万元，支出决算为 B 万元": a final account's figure for the 科目 its
# item line opens with.
_FINAL_FIGURE = re.compile(r"^(支出)?决算数?(为|是)?$")
_ITEM_PATH = re.compile(r"\s*(\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)])?\s*"
                        r"(?P<path>[^。\n:：]{2,90}?[（(]项[）)])")
_APPROPRIATIONS = "一般公共预算财政拨款"


def _final_item(fact: Fact) -> str:
    """The 科目 path a final account's item line opens with, for the 决算 figure of that
    line ("9、城乡社区支出（类）城乡社区规划与管理（款）城乡社区规划与管理（项）。主要用于：…。
    年初预算为 3110.14 万元，支出决算为 2739.56 万元"), or ""."""
    text = fact.passage.text
    at = text.find(fact.sentence)
    if at < 0:
        return ""
    m = _ITEM_PATH.match(text, text.rfind("\n", 0, at) + 1)
    return _label_key(m.group("path")) if m and m.end() <= at + len(fact.sentence) else ""


def _heading(fact: Fact) -> str:
    """The name an item's heading sentence gives ("（二）公务接待费。" → 公务接待费), or ""."""
    m = _HEADING.match(fact.sentence)
    return _label_key(m.group("name")) if m else ""


# Beyond this ratio (and not the ×10,000 of a unit slip) two figures of one name are taken
# for two things, not for one figure misprinted.
FAR_APART = Decimal(100)


def _far_apart(a: Decimal, b: Decimal) -> bool:
    small, big = sorted((abs(a), abs(b)))
    return small == 0 or big / small > FAR_APART


def check_amounts(paragraphs: list[list[Fact]], labels: dict[str, list[Figure]],
                  gaps: set[Decimal] = frozenset(), bodies: tuple[str, ...] = ()
                  ) -> list[Finding]:
    """Narrative amounts whose label names one table figure that differs from the amount."""
    out = []
    for facts in paragraphs:
        for fact in facts:
            if fact.kind != "amount" or fact.unit not in MONEY or re.search(r"上年|去年", fact.local[-12:]):
                continue
            clause = _clause_before(fact)
            named = _label_of(clause, labels, bodies)
            if named is None and _says_nothing(clause, bodies):
                # "（三）公务用车购置和运行维护费。2026 年预算数 84.42 万元": the item's
                # heading sentence names the figure.
                heading = _heading(fact)
                named = _label_of(heading, labels, bodies) if heading else None
            final = None
            if named is None and _FINAL_FIGURE.match(clause) and _APPROPRIATIONS in fact.heading:
                # In the 一般公共预算财政拨款支出决算 section: that table's row for the item.
                final = _final_item(fact)
                named = _label_of(final, labels, bodies) if final else None
            if named is None:
                continue
            label, path = named
            scale = MONEY[fact.unit]
            q = quantum(fact.printed.rstrip(fact.unit))
            figures = labels[label]
            if path:  # "…（类）…（款）行政运行（项）": the row under those parents
                figures = [f for f in figures if f.path.endswith(path)]
                if not figures and label in _MEASURE_WORDS and path in labels:
                    # "其他资金收入预算总计 80 万元": the row 其他资金, whose 收入预算 the
                    # words after it name, not a part of the 收入总计.
                    label, path = path, ""
                    figures = labels[label]
                if not figures:
                    continue  # the words before are no parents
            if final:
                figures = [f for f in figures if _APPROPRIATIONS in squash(f.source.table.title)
                           and "决算" in f.source.table.title]
            # 会议费/培训费 beside the 三公 are the 三公 table's columns too (a 基本支出表 row
            # of that name holds only the basic-expenditure part).
            three_public = _THREE_PUBLIC.search(label) or _MEETINGS.search(label)
            if three_public and "三公" in norm(fact.passage.section + fact.subject):
                # A 三公 paragraph speaks of the 三公 table's items; a 基本支出 list's
                # "公务接待费（款）" may quote the 基本支出表 row of that name instead.
                figures = [f for f in figures if f.source.table.kind == "三公经费表"]
            if any(abs(f.value / scale - fact.value) <= q / 2 for f in figures):
                continue  # the narrative quotes (or rounds) one of the figures
            if "结转" not in clause and "结余" not in clause:
                # "（一）一般公共预算拨款" under "二、上年结转" is last year's carry-over.
                figures = [f for f in figures if not re.search("结转|结余", f.path)]
            if three_public:
                figures = [f for f in figures if f.source.table.kind == "三公经费表"]
            if not figures:
                continue
            if len({f.value for f in figures}) != 1:
                figures = _by_scope(fact, figures)
            if len({f.value for f in figures}) != 1:
                continue  # the label names different figures: ambiguous
            if any(abs(abs(fact.value - figures[0].value / scale) - g / scale) <= q / 2 for g in gaps):
                continue  # the narrative speaks of another scope (all funds vs appropriations)
            figure = figures[0]
            table_value = figure.value / scale
            level = severity(fact.value, table_value, 1, q, is_exact(q, unit=fact.unit))
            if level is None:
                continue
            if level == ERROR and _far_apart(fact.value, table_value):
                continue  # a figure of the same name but another thing (a region's transfer)
            unit = fact.unit
            out.append(Finding(
                id=_fact_id("narrative.amount", fact, label), rule="narrative.amount",
                doc=fact.passage.doc_id, severity=level,
                message=(f"说明中“{label}”为 {plain(fact.value)}{unit}，"
                         f"《{figure.source.name}》为 {plain(table_value)}{unit}"),
                formula=f"{plain(fact.value)} − {plain(table_value)} = "
                        f"{plain(fact.value - table_value)}{unit}",
                expected=table_value, found=fact.value,
                operands=(_cite(fact), cell_citation(figure.source, figure.row, figure.cell))))
    return out


def _interval_share(part: Fact, whole: Fact) -> tuple[Decimal, Decimal, Decimal]:
    """(low, mid, high) of part ÷ whole × 100 given the rounding of both printed figures."""
    a, b = part.value * MONEY[part.unit], whole.value * MONEY[whole.unit]
    qa = quantum(part.printed.rstrip(part.unit)) * MONEY[part.unit] / 2
    qb = quantum(whole.printed.rstrip(whole.unit)) * MONEY[whole.unit] / 2
    return ((a - qa) / (b + qb) * HUNDRED, a / b * HUNDRED, (a + qa) / (b - qb) * HUNDRED)


# A whole found by size must be at least this share of its parts' sum.
NEAR_WHOLE = Decimal("0.999")


def _whole_for(i: int, facts: list[Fact], name: str) -> Fact | None:
    """The amount a share at index i is taken of: the nearest earlier amount the share names
    ("占“三公”经费的" → "“三公”经费预算 X 万元"), or, unnamed, the nearest earlier total."""
    amounts = [f for f in facts[:i] if f.kind == "amount" and f.unit in MONEY]
    if name:
        named = [f for f in amounts if _FILLER.sub("", _FILLER.sub("", f.local)).endswith(name)
                 or f.local.endswith(name)]
        return named[-1] if named else None
    # Unnamed: the figure a "其中：" breakdown opens with ("支出预算合计 X 万元，其中：").
    for f in reversed(amounts):
        at, opens = f.sentence.find(f.printed), f.sentence.find("其中")
        later = [g for g in amounts if g.sentence == f.sentence
                 and at < g.sentence.find(g.printed) < opens]
        if 0 <= at < opens and not later:
            return f
    # A list with shares and no stated whole ("包括人员支出 A，占 x%；公用支出 B，占 y%"):
    # the nearest earlier amount at least the sum of the list's parts (each amount that a
    # share follows, in one run).
    run = _share_run(facts, i)
    need = sum((f.value * MONEY[f.unit] for f in run), Decimal(0)) * NEAR_WHOLE
    first = min(facts.index(f) for f in run) if run else i
    return next((f for f in reversed(amounts) if facts.index(f) < first and not _bracketed(f)
                 and f.value * MONEY[f.unit] >= need), None)


def _is_share(fact: Fact) -> bool:
    return fact.unit == "%" and bool(_SHARE.search(fact.local[-24:]))


def _share_run(facts: list[Fact], i: int) -> list[Fact]:
    """The amounts of the list the share at index i belongs to: amount, share, amount,
    share, … in a row (a change or another figure between them ends the run)."""
    amounts = [k for k, f in enumerate(facts) if f.kind == "amount" and f.unit in MONEY
               and not _bracketed(f)]
    pairs = [k for k in range(1, len(facts)) if _is_share(facts[k])
             and any(a < k for a in amounts)]
    owner = {k: max(a for a in amounts if a < k) for k in pairs}
    if i not in pairs:
        return []
    start = end = pairs.index(i)
    # Consecutive pairs: the next share's amount is the first amount after this share.
    def follows(a: int, b: int) -> bool:
        return owner[b] > a and not any(a < k < owner[b] for k in amounts)

    while start > 0 and follows(pairs[start - 1], pairs[start]):
        start -= 1
    while end + 1 < len(pairs) and follows(pairs[end], pairs[end + 1]):
        end += 1
    return [facts[owner[pairs[k]]] for k in range(start, end + 1)]


def _bracketed(fact: Fact) -> bool:
    """True for a figure inside brackets ("（上年结转0.00万元）"): an aside, not a part."""
    return fact.local.count("(") > fact.local.count(")")


def _table_whole(name: str, fact: Fact, labels: dict[str, list[Figure]],
                 bodies: tuple[str, ...]):
    """(whole as a Fact, its cell citation) for a share of a whole the narrative names but
    does not state ("占本年支出合计的 100%"): the one table figure of that name."""
    named = _label_of(_label_key(name), labels, bodies)
    if named is None or named[1]:
        return None, None
    figures = labels[named[0]]
    if _THREE_PUBLIC.search(named[0]):
        figures = [f for f in figures if f.source.table.kind == "三公经费表"]
    if len({f.value for f in figures}) != 1:
        figures = _by_scope(fact, figures)
    if len({f.value for f in figures}) != 1:
        return None, None
    figure = figures[0]
    unit = figure.source.table.unit
    whole = replace(fact, kind="amount", value=figure.cell.value, unit=unit,
                    printed=figure.cell.printed + unit)
    return whole, cell_citation(figure.source, figure.row, figure.cell)


def _whole_share(share: Fact, part: Fact, whole: Fact, whole_cite) -> list[Finding]:
    """"合计 X 万元，其中：一般公共预算收入 Y 万元，占100%": a part said to be all of its
    whole is the whole, to the printed precision of the two amounts. A gap the printed
    100% still rounds away (99.5% and up) is at most minor; a larger one below the whole
    is the share check's (check_shares), a part above the whole is judged here."""
    a, b = part.value * MONEY[part.unit], whole.value * MONEY[whole.unit]
    q = max(quantum(part.printed.rstrip(part.unit)) * MONEY[part.unit],
            quantum(whole.printed.rstrip(whole.unit)) * MONEY[whole.unit])
    level = severity(a, b, 1, q, is_exact(q, "元"))
    if level is None or b == 0:
        return []
    low, mid, high = _interval_share(part, whole)
    rounds = judge_stated(share.value, low, high, quantum(share.printed.rstrip("%"))) is None
    if a < b and not rounds:
        return []
    if level == ERROR and rounds:
        level = MINOR
    return [Finding(
        id=_fact_id("narrative.share", share, "whole"), rule="narrative.share",
        doc=share.passage.doc_id, severity=level,
        message=f"说明称 {part.printed} 占 {whole.printed} 的 100%，两数却不相等",
        formula=f"{plain(part.value)}{part.unit} ≠ {plain(whole.value)}{whole.unit}（占100%）",
        expected=whole.value, found=part.value,
        operands=(_cite(share), _cite(part), whole_cite))]


def _shares_of_listed(run: tuple[Fact, ...], pairs: list[tuple[Fact, Fact]]) -> list[Finding]:
    """"出国 A 万元，占“三公”经费的 x%；公务用车 B 万元，占 y%；接待 C 万元，占 z%" with the
    whole stated nowhere: when the printed shares make 100% (to their rounding), the listed
    parts are the whole, so each share is its part ÷ the parts' sum. A part changed moves
    every share; a share changed within the 100% rounding is off its part."""
    if len(pairs) != len(run) or len(run) < 2:
        return []
    shares = [share for share, _ in pairs]
    q = max(quantum(f.printed.rstrip("%")) for f in shares)
    total = sum((f.value for f in shares), Decimal(0))
    if severity(total, HUNDRED, len(shares), q) not in (None, ROUNDING):
        return []  # not a full breakdown (or a share slipped: narrative.shares_sum's)

    def half(f: Fact) -> Decimal:
        return quantum(f.printed.rstrip(f.unit)) * MONEY[f.unit] / 2

    whole = sum((a.value * MONEY[a.unit] for a in run), Decimal(0))
    if whole <= sum((half(a) for a in run), Decimal(0)):
        return []
    unit = run[0].unit
    out = []
    for share, part in pairs:
        # share = a ÷ (a + r), r the other parts: rising in a, falling in r.
        a, qa = part.value * MONEY[part.unit], half(part)
        r = whole - a
        qr = sum((half(f) for f in run if f is not part), Decimal(0))
        low = (a - qa) / (a - qa + r + qr) * HUNDRED if a - qa > 0 else Decimal(0)
        high = (a + qa) / (a + qa + max(r - qr, Decimal(0))) * HUNDRED
        mid = a / whole * HUNDRED
        level = judge_stated(share.value, low, high, quantum(share.printed.rstrip("%")))
        if level is None:
            continue
        listed = " + ".join(f.printed for f in run)
        out.append(Finding(
            id=_fact_id("narrative.share_of_listed", share), rule="narrative.share_of_listed",
            doc=share.passage.doc_id, severity=level,
            message=(f"说明称 {part.printed} 占 {plain(share.value)}%；所列各部分之和为 "
                     f"{plain(whole / MONEY[unit])}{unit}，应为 {mid:.2f}%"),
            formula=(f"{part.printed} ÷ ({listed}) × 100% = {mid:.2f}%"
                     f"（说明为 {plain(share.value)}%）"),
            expected=mid.quantize(Decimal("0.01")), found=share.value,
            operands=(_cite(share), _cite(part),
                      *(_cite(f) for f in run if f is not part))))
    return out


def check_shares(paragraphs: list[list[Fact]], labels: dict[str, list[Figure]] | None = None,
                 bodies: tuple[str, ...] = ()) -> list[Finding]:
    """Each "占X%" recomputed from the amount before it and its whole; shares of one whole
    that look like a full breakdown (2+ parts summing to 90–110%) must make 100%."""
    out = []
    for facts in paragraphs:
        groups: dict[tuple, list[Fact]] = {}
        runs: dict[tuple, tuple[tuple[Fact, ...], list[tuple[Fact, Fact]]]] = {}
        for i, fact in enumerate(facts):
            m = _SHARE.search(fact.local[-24:]) if fact.unit == "%" and fact.kind == "amount" else None
            if not m:
                continue
            if fact.value > HUNDRED and not re.search(r"\d", m.group("whole") or ""):
                # (No figure between: "耕地占用税 125187 万元，为预算的 165.0%" is no share.)
                out.append(_share_above_whole(fact, facts[:i]))
                continue
            name = _FILLER.sub("", _FILLER.sub("", m.group("whole") or ""))
            whole = _whole_for(i, facts, name)
            whole_cite = None if whole is None else _cite(whole)
            if whole is None and name and labels:
                whole, whole_cite = _table_whole(m.group("whole"), fact, labels, bodies)
            part = next((f for f in reversed(facts[:i]) if f.kind == "amount" and f.unit in MONEY
                         and f.sentence == fact.sentence and not _bracketed(f)), None)
            if whole is None and part is not None:
                run = _share_run(facts, i)
                if len(run) >= 2 and part in run:
                    # "A 万元，占 x%；B 万元，占 y%…" with no whole stated: the shares of one
                    # breakdown still make 100% together.
                    key = ("run", run[0].sentence, run[0].printed)
                    groups.setdefault(key, []).append(fact)
                    runs.setdefault(key, (tuple(run), []))[1].append((fact, part))
                continue
            if whole is not None and part is not None and part is not whole \
                    and fact.value == HUNDRED:
                out += _whole_share(fact, part, whole, whole_cite)
            if (whole is None or part is None or part is whole or whole.value == 0
                    or part.value * MONEY[part.unit] > whole.value * MONEY[whole.unit]):
                continue  # no whole found, or not a whole of this part
            # Keyed by what the whole is, not by object: a table whole is rebuilt per share.
            groups.setdefault((whole.printed, whole.unit, whole.sentence), []).append(fact)
            low, mid, high = _interval_share(part, whole)
            q = quantum(fact.printed.rstrip("%"))
            level = judge_stated(fact.value, low, high, q)
            if level is None:
                continue
            out.append(Finding(
                id=_fact_id("narrative.share", fact), rule="narrative.share",
                doc=fact.passage.doc_id, severity=level,
                message=(f"说明称占 {plain(fact.value)}%，按所列数字应为 {mid:.2f}%"),
                formula=(f"{plain(part.value)}{part.unit} ÷ {plain(whole.value)}{whole.unit} "
                         f"× 100% = {mid:.2f}%（说明为 {plain(fact.value)}%）"),
                expected=mid.quantize(Decimal("0.01")), found=fact.value,
                operands=(_cite(fact), _cite(part), whole_cite)))
        for run, pairs in runs.values():
            out += _shares_of_listed(run, pairs)
        for shares in groups.values():
            if len(shares) < 2:
                continue
            total = sum((f.value for f in shares), Decimal(0))
            q = max(quantum(f.printed.rstrip("%")) for f in shares)
            if not Decimal(90) <= total <= Decimal(110):
                continue
            level = severity(total, HUNDRED, len(shares), q)
            if level is None:
                continue
            out.append(Finding(
                id=_fact_id("narrative.shares_sum", shares[0], *(f.printed for f in shares)),
                rule="narrative.shares_sum", doc=shares[0].passage.doc_id, severity=level,
                message=f"同一总数的 {len(shares)} 个占比之和为 {plain(total)}%，不是 100%",
                formula=" + ".join(plain(f.value) for f in shares) + f" = {plain(total)}%",
                expected=HUNDRED, found=total, operands=tuple(_cite(f) for f in shares)))
    return out


def _share_above_whole(share: Fact, before: list[Fact]) -> Finding:
    """"占…总额的 1000%": a part's share of its whole is at most 100%, whatever the whole."""
    part = next((f for f in reversed(before) if f.kind == "amount" and f.unit in MONEY
                 and f.sentence == share.sentence and not _bracketed(f)), None)
    return Finding(
        id=_fact_id("narrative.share", share), rule="narrative.share",
        doc=share.passage.doc_id, severity=ERROR,
        message=f"说明称占 {plain(share.value)}%，部分占总数的比重不会超过 100%",
        formula=f"{plain(share.value)}% > 100%",
        expected=HUNDRED, found=share.value,
        operands=(_cite(share),) + ((_cite(part),) if part is not None else ()))


def _between(rate: Fact, change: Fact) -> str | None:
    """The text of the sentence between the change's figure and the rate's, or None."""
    a = _find_figure(rate.sentence, change.printed)
    b = _find_figure(rate.sentence, rate.printed, a + 1) if a >= 0 else -1
    return None if a < 0 or b < 0 else rate.sentence[a + len(change.printed): b]


def _fits_growth(stated: Decimal, change: Fact, current: Fact, q: Decimal) -> bool:
    """True when the stated rate is change ÷ (current − change), given both roundings."""
    c, x = current.value * MONEY[current.unit], change.value * MONEY[change.unit]
    qc = quantum(current.printed.rstrip(current.unit)) * MONEY[current.unit] / 2
    qx = quantum(change.printed.rstrip(change.unit)) * MONEY[change.unit] / 2
    if c - x <= qc + qx:
        return False
    bounds = sorted((x + dx) / (c + dc - x - dx) * HUNDRED for dx in (-qx, qx) for dc in (-qc, qc))
    return judge_stated(stated, bounds[0], bounds[-1], q) is None


def _rate_follows(rate: Fact, change: Fact) -> bool:
    """True when the rate stands right after the change: "增加 1131 万元，增长 23.6%"."""
    gap = _between(rate, change)
    return gap is not None and re.fullmatch(r"\s*[，,（(]?\s*(增长|下降|增加|减少|增幅|降幅|"
                                            r"上升|降低)(了|为)?\s*", gap) is not None


def _find_figure(text: str, printed: str, start: int = 0) -> int:
    """Where a printed figure stands in the text, not inside a longer number ("110.00")."""
    m = re.compile(r"(?<![\d.,])" + re.escape(printed)).search(text, start)
    return m.start() if m else -1


def _rate_bounds(change: Fact, previous: Fact) -> tuple[Decimal, Decimal]:
    """|change| ÷ previous × 100 as an interval allowing for the rounding of both."""
    x = abs(change.value) * MONEY[change.unit]
    p = previous.value * MONEY[previous.unit]
    qx = quantum(change.printed.rstrip(change.unit)) * MONEY[change.unit] / 2
    qp = quantum(previous.printed.rstrip(previous.unit)) * MONEY[previous.unit] / 2
    if p - qp <= 0:
        return Decimal(0), Decimal(10 ** 9)
    return (x - qx) / (p + qp) * HUNDRED, (x + qx) / (p - qp) * HUNDRED


def check_growth(paragraphs: list[list[Fact]]) -> list[Finding]:
    """"比上年增加X，增长Y%": Y recomputed as X ÷ (current − X), and the two directions agree."""
    out = []
    for facts in paragraphs:
        for i, rate in enumerate(facts):
            if rate.unit != "%":
                continue
            if rate.kind == "delta":
                rate = replace(rate, kind="change")  # "增长71.6%" after "增加 417 万元"
            if rate.kind != "change":
                word = _RATE_WORD.search(rate.local)
                if not word:
                    continue
                # "降幅 0.66%": a rate that facts reads as an amount; its word gives the sign.
                rate = replace(rate, kind="change",
                               value=-rate.value if word.group(1) in ("降幅", "减幅") else rate.value)
            change = next((f for f in reversed(facts[:i]) if f.kind in ("change", "delta")
                           and f.unit in MONEY and f.sentence == rate.sentence), None)
            if change is None or change.value == 0:
                continue
            if change.kind == "delta" and not _rate_follows(rate, change):
                # "增加 X 万元，增长 Y%" with no 比上年 in the sentence (a list of items
                # under "与上年相比"): a change only when its rate follows it at once.
                continue
            current = next((f for f in reversed(facts[:facts.index(change)])
                            if f.kind == "amount" and f.unit in MONEY
                            and rate.sentence.startswith(f.sentence[:20])), None)
            gap = _between(rate, change)
            if current is None or gap is None or len(gap) > 12:
                continue  # the rate is not the change's own rate ("…压减10%")
            ops = (_cite(rate), _cite(change), _cite(current))
            if (change.value > 0) != (rate.value > 0):
                out.append(Finding(
                    id=_fact_id("narrative.growth", rate, "direction"), rule="narrative.growth",
                    doc=rate.passage.doc_id, severity=ERROR,
                    message=f"增减方向不一致：金额变动 {plain(change.value)}{change.unit}，"
                            f"比率 {plain(rate.value)}%",
                    formula=f"{change.printed} 与 {rate.printed} 方向相反",
                    expected=-rate.value, found=rate.value, operands=ops))
                continue
            c = current.value * MONEY[current.unit]
            x = change.value * MONEY[change.unit]
            qc = quantum(current.printed.rstrip(current.unit)) * MONEY[current.unit] / 2
            qx = quantum(change.printed.rstrip(change.unit)) * MONEY[change.unit] / 2
            if x > 0 and x - qx > c + qc:
                # "999 万元，…增加 4170 万元": an increase larger than this year's figure
                # leaves last year below zero.
                out.append(Finding(
                    id=_fact_id("narrative.growth", rate, "exceeds"), rule="narrative.growth",
                    doc=rate.passage.doc_id, severity=ERROR,
                    message=f"增加额 {plain(change.value)}{change.unit} 大于本年数 "
                            f"{plain(current.value)}{current.unit}，上年数将为负",
                    formula=f"上年 = {plain(current.value)} − {plain(change.value)} < 0",
                    expected=None, found=change.value, operands=ops))
                continue
            if c - x <= qc + qx:
                continue
            bounds = sorted((x + dx) / (c + dc - x - dx) * HUNDRED
                            for dx in (-qx, qx) for dc in (-qc, qc))
            mid = x / (c - x) * HUNDRED
            q = quantum(rate.printed.rstrip("%"))
            stated = rate.value
            level = judge_stated(stated, bounds[0], bounds[-1], q)
            # The sentence may print last year's figure itself ("上年预算安排为 P，增加 X，增长 Y%").
            # This year's figure is not last year's ("支出376.88万元，…减少41.87万元，减少11%"
            # must not pass as 41.87 ÷ 376.88), unless it was taken for this year's by mistake:
            # an aside in brackets ("（2016 年度部门支出预算安排为8,648.07万元）").
            stated_previous = [f for f in facts if f.unit in MONEY and f.sentence == rate.sentence
                               and f.kind in ("amount", "previous") and f.value
                               and (f is not current or _bracketed(f)
                                    or re.search(r"上年|去年", f.local[-16:]))]
            if level is not None and any(judge_stated(abs(stated), *_rate_bounds(change, f), q) is None
                                         for f in stated_previous):
                level = None
            if level is None:
                continue
            message = f"说明称变动 {plain(stated)}%，按所列数字应为 {mid:.2f}%"
            other = {"元": "万元", "万元": "元"}.get(change.unit)
            if level == ERROR and other and _fits_growth(stated, replace(change, unit=other),
                                                         current, q):
                # "减少 16158 元，下降 14.1%" beside 98505 万元: the rate fits 万元.
                level = UNIT_SLIP
                message = (f"变动额印为 {change.printed}，说明的 {plain(stated)}% 按"
                           f" {plain(change.value)}{other} 计算：单位印错")
            out.append(Finding(
                id=_fact_id("narrative.growth", rate), rule="narrative.growth",
                doc=rate.passage.doc_id, severity=level,
                message=message,
                formula=(f"上年 = {plain(current.value)} − {plain(change.value)}；"
                         f"{plain(change.value)} ÷ ({plain(current.value)} − {plain(change.value)})"
                         f" × 100% = {mid:.2f}%（说明为 {plain(stated)}%）"),
                expected=mid.quantize(Decimal("0.01")), found=stated, operands=ops))
    return out


_COMPLETION = re.compile(r"(完成(年初|年度|全年)?预算数?的?|预算执行率|执行率|完成率)(为|是|达到?)?$")


def _signed_rate(rate: Fact) -> Fact | None:
    """A change rate with its sign ("增长 Y%", "降幅 Y%"), or None for other percentages."""
    if rate.unit != "%":
        return None
    if rate.kind == "change":
        return rate
    word = _RATE_WORD.search(rate.local)
    if not word:
        return None
    return replace(rate, kind="change",
                   value=-rate.value if word.group(1) in ("降幅", "减幅") else rate.value)


def _ratio_bounds(a: Fact, b: Fact) -> tuple[Decimal, Decimal, Decimal] | None:
    """(low, mid, high) of a ÷ b × 100 allowing for the rounding of both, or None."""
    x, y = a.value * MONEY[a.unit], b.value * MONEY[b.unit]
    qx = quantum(a.printed.rstrip(a.unit)) * MONEY[a.unit] / 2
    qy = quantum(b.printed.rstrip(b.unit)) * MONEY[b.unit] / 2
    if y - qy <= 0:
        return None
    return (x - qx) / (y + qy) * HUNDRED, x / y * HUNDRED, (x + qx) / (y - qy) * HUNDRED


def check_stated_rates(paragraphs: list[list[Fact]]) -> list[Finding]:
    """Rates the narrative states with both figures printed before them:
    "上年执行数为 P，本年预算安排 C，比上年执行数增加 Y%" (Y = (C − P) ÷ P) and
    "全年预算数 B，执行数 E，完成预算的 Y%" (Y = E ÷ B)."""
    out = []
    for facts in paragraphs:
        for i, fact in enumerate(facts):
            if fact.unit != "%":
                continue
            earlier = [f for f in facts[max(0, i - 4):i] if f.unit in MONEY]
            if _COMPLETION.search(fact.local):
                budget = next((f for f in reversed(earlier) if "预算" in f.clause), None)
                done = next((f for f in reversed(earlier)
                             if re.search("执行|决算|支出|完成", f.clause) and f is not budget), None)
                if budget is None or done is None:
                    continue
                bounds = _ratio_bounds(done, budget)
                stated, what = fact.value, "完成比例"
                ops = (_cite(fact), _cite(done), _cite(budget))
                formula_ops = f"{plain(done.value)} ÷ {plain(budget.value)}"
            else:
                current = None
                rate = _signed_rate(fact)
                if rate is None or any(f.kind == "change" for f in earlier):
                    continue  # a change amount before it: check_growth's case
                previous = next((k for k in range(len(earlier) - 1, -1, -1)
                                 if earlier[k].kind == "previous"), None)
                if previous is None:
                    continue
                current = next((f for f in earlier[previous + 1:] if f.kind == "amount"), None)
                before = earlier[previous]
                if current is None or before.value == 0:
                    continue
                bounds = _interval_change(current, before)
                stated, what = rate.value, "变动比率"
                ops = (_cite(fact), _cite(current), _cite(before))
                formula_ops = (f"({plain(current.value)} − {plain(before.value)}) ÷ "
                               f"{plain(before.value)}")
            if bounds is None:
                continue
            low, mid, high = bounds
            q = quantum(fact.printed.rstrip("%"))
            level = judge_stated(stated, low, high, q)
            if level is None:
                continue
            message = f"说明称{what} {plain(stated)}%，按所列数字应为 {mid:.2f}%"
            head = _item_head(facts, i)
            if (what == "变动比率" and head is not None and head is not current
                    and head.value != current.value
                    and judge_stated(stated, *_interval_change(head, before)[::2], q) is None):
                # The rate fits the amount the item opens with: the restated amount is off.
                message = (f"同一项目先称 {head.printed}，后称本年安排 {current.printed}；"
                           f"说明的{what} {plain(stated)}% 按前者计算")
                ops = ops + (_cite(head),)
            out.append(Finding(
                id=_fact_id("narrative.stated_rate", fact), rule="narrative.stated_rate",
                doc=fact.passage.doc_id, severity=level,
                message=message,
                formula=f"{formula_ops} × 100% = {mid:.2f}%（说明为 {plain(stated)}%）",
                expected=mid.quantize(Decimal("0.01")), found=stated, operands=ops))
    return out


_LEVEL_CLAIM = re.compile(r"^\s*[，,]?[^，。；]{0,20}?持平")


def check_level_claims(paragraphs: list[list[Fact]]) -> list[Finding]:
    """"上年执行数为 P 万元，本年预算安排 C 万元，比上年执行数持平": C equals P."""
    out = []
    for facts in paragraphs:
        for i, current in enumerate(facts):
            if current.kind != "amount" or current.unit not in MONEY:
                continue
            before = next((f for f in reversed(facts[max(0, i - 3):i]) if f.kind == "previous"
                           and f.unit in MONEY and f.sentence == current.sentence), None)
            if before is None:
                continue
            # The quoted sentence may open with the item's own amount: look after last year's.
            start = _find_figure(current.sentence, before.printed)
            at = _find_figure(current.sentence, current.printed, start + len(before.printed))
            if start < 0 or at < 0 or not _LEVEL_CLAIM.match(
                    current.sentence[at + len(current.printed):]):
                continue
            c, p = current.value * MONEY[current.unit], before.value * MONEY[before.unit]
            q = max(quantum(current.printed.rstrip(current.unit)) * MONEY[current.unit],
                    quantum(before.printed.rstrip(before.unit)) * MONEY[before.unit])
            level = severity(c, p, 1, q, is_exact(q, "元"))
            if level is None:
                continue
            out.append(Finding(
                id=_fact_id("narrative.stated_rate", current, "level"),
                rule="narrative.stated_rate", doc=current.passage.doc_id, severity=level,
                message=(f"说明称与上年持平，但上年 {before.printed}、本年 {current.printed}"),
                formula=f"{plain(current.value)} − {plain(before.value)} ≠ 0",
                expected=before.value, found=current.value,
                operands=(_cite(current), _cite(before))))
    return out


_THIS_YEARS = re.compile(r"(20\d{2}\s*年)?(预算安排|预算数为?|安排)$")


def check_restated(paragraphs: list[list[Fact]]) -> list[Finding]:
    """"…行政运行（项）”13.52万元。…2024年预算安排13.52万元，比…": an item's amount
    restated later in the item must be the amount the item opens with."""
    out = []
    for facts in paragraphs:
        for i, fact in enumerate(facts):
            if fact.kind != "amount" or fact.unit not in MONEY \
                    or not _THIS_YEARS.search(squash(fact.clause)):
                continue
            head = _item_head(facts, i)
            if head is None or head is fact or head.unit not in MONEY \
                    or head.sentence == fact.sentence and head.printed == fact.printed \
                    and facts.index(head) == i:
                continue
            if not any(f.kind == "previous" for f in facts[facts.index(head) + 1:i]):
                continue  # only the "上年执行数 P，本年安排 C" pattern restates the head
            a, b = fact.value * MONEY[fact.unit], head.value * MONEY[head.unit]
            q = max(quantum(fact.printed.rstrip(fact.unit)) * MONEY[fact.unit],
                    quantum(head.printed.rstrip(head.unit)) * MONEY[head.unit])
            level = severity(a, b, 1, q, is_exact(q, "元"))
            if level is None:
                continue
            out.append(Finding(
                id=_fact_id("narrative.restated", fact, head.printed),
                rule="narrative.restated", doc=fact.passage.doc_id, severity=level,
                message=f"同一项目先列 {head.printed}，后称本年安排 {fact.printed}",
                formula=f"{plain(fact.value)} − {plain(head.value)} = "
                        f"{plain(fact.value - head.value)}{fact.unit}",
                expected=head.value, found=fact.value, operands=(_cite(fact), _cite(head))))
    return out


def _item_head(facts: list[Fact], i: int) -> Fact | None:
    """The amount an enumerated item opens with ("6、…其他司法支出（99项）3845.49万元。…")."""
    return next((f for f in facts[:i] if f.kind == "amount" and f.unit in MONEY
                 and facts[i].sentence.startswith(f.sentence)), None)


def _interval_change(current: Fact, previous: Fact) -> tuple[Decimal, Decimal, Decimal]:
    """(low, mid, high) of (current − previous) ÷ previous × 100 given both roundings."""
    c, p = current.value * MONEY[current.unit], previous.value * MONEY[previous.unit]
    qc = quantum(current.printed.rstrip(current.unit)) * MONEY[current.unit] / 2
    qp = quantum(previous.printed.rstrip(previous.unit)) * MONEY[previous.unit] / 2
    values = sorted((c + dc - p - dp) / (p + dp) * HUNDRED
                    for dc in (-qc, qc) for dp in (-qp, qp) if p + dp > 0)
    return values[0], (c - p) / p * HUNDRED, values[-1]


# Either figure may be printed in 元 ("支出决算为 202.24 元"): the units are compared too;
# the budget is the last one named before the final figure ("年初预算为 0 万元，全年预算为
# 321.02 万元，支出决算为 307.82 万元").
_VARIANCE = re.compile(
    r"(?P<budget_words>(全年|年初|调整)?预算(数)?为?)\s*(?P<budget>\d[\d,]*(\.\d+)?)\s*"
    r"(?P<budget_unit>万元|元)"
    r"(?:(?!预算)[^。]){0,30}?决算(数)?为?\s*(?P<final>\d[\d,]*(\.\d+)?)\s*(?P<final_unit>万元|元)"
    r"[^。]{0,24}。?[^。]{0,40}?决算数?(?P<word>小于|大于|等于|低于|高于|持平|[与同][^。，]{0,10}持平)")
_VARIANCE_SIGN = {"小于": -1, "低于": -1, "大于": 1, "高于": 1, "等于": 0, "持平": 0}


# "公务接待费预算1.86万元，支出决算0.11万元，完成预算的5.91%，决算数较预算数减少1.75万元":
# the stated difference of the final figure from the budget.
_VARIANCE_AMOUNT = re.compile(
    r"预算(数)?为?\s*(?P<budget>\d[\d,]*(\.\d+)?)\s*(?P<budget_unit>万元|元)"
    r"(?:(?!预算)[^。]){0,30}?决算(数)?为?\s*(?P<final>\d[\d,]*(\.\d+)?)\s*(?P<final_unit>万元|元)"
    r"[^。]{0,40}?决算数?[较比]预算数?(?P<word>减少|增加)\s*(?P<diff>\d[\d,]*(\.\d+)?)\s*"
    r"(?P<diff_unit>万元|元)")


def _variance_amounts(passage: Passage) -> list[Finding]:
    """The stated difference between a final figure and its budget (A − B, or B − A for
    增加) agrees with the two figures, within their rounding."""
    out = []
    for m in _VARIANCE_AMOUNT.finditer(passage.text):
        figures = {k: Decimal(m.group(k).replace(",", "")) * MONEY[m.group(k + "_unit")]
                   for k in ("budget", "final", "diff")}
        sign = 1 if m.group("word") == "增加" else -1
        scale = MONEY[m.group("diff_unit")]
        expected = sign * (figures["final"] - figures["budget"]) / scale
        q = max(quantum(m.group(k)) * MONEY[m.group(k + "_unit")] / scale
                for k in ("budget", "final", "diff"))
        level = severity(figures["diff"] / scale, expected, 2, q,
                         is_exact(q, m.group("diff_unit")))
        if level is None:
            continue
        sentence = m.group(0)
        out.append(Finding(
            id=finding_id("narrative.variance", passage.doc_id, sentence, "difference"),
            rule="narrative.variance", doc=passage.doc_id, severity=level,
            message=(f"说明称决算数较预算数{m.group('word')} {m.group('diff')}{m.group('diff_unit')}，"
                     f"按所列预算数 {m.group('budget')}{m.group('budget_unit')}、决算数 "
                     f"{m.group('final')}{m.group('final_unit')} 应为 {plain(expected)}"
                     f"{m.group('diff_unit')}"),
            formula=(f"{plain(figures['budget'] / scale)} − {plain(figures['final'] / scale)} = "
                     f"{plain(-sign * expected)}{m.group('diff_unit')}（说明为 {m.group('diff')}）"),
            expected=expected, found=figures["diff"] / scale,
            operands=tuple(passage_citation(passage, sentence, m.group(k) + m.group(k + "_unit"),
                                            m.group(k + "_unit"))
                           for k in ("budget", "final", "diff"))))
    return out


def check_variance(passages: list[Passage]) -> list[Finding]:
    """"全年预算为 A 万元，支出决算为 B 万元。决算数小于全年预算数的主要原因…": the stated
    direction of the 预决算差异 agrees with A and B; a stated difference ("决算数较预算数减少
    C 万元") agrees with its amount."""
    out = [f for passage in passages for f in _variance_amounts(passage)]
    for passage in passages:
        for m in _VARIANCE.finditer(passage.text):
            budget_unit, final_unit = m.group("budget_unit"), m.group("final_unit")
            budget = Decimal(m.group("budget").replace(",", "")) * MONEY[budget_unit]
            final = Decimal(m.group("final").replace(",", "")) * MONEY[final_unit]
            word = m.group("word")
            stated = _VARIANCE_SIGN.get(word, 0)
            actual = (final > budget) - (final < budget)
            if stated == actual:
                continue
            sentence = m.group(0)
            # "预算为 202.24 万元，决算为 202.24 元。决算数与预算数持平": a unit printed wrong;
            # "持平" over figures a last digit apart is a minor slip.
            q = max(quantum(m.group("budget")) * MONEY[budget_unit],
                    quantum(m.group("final")) * MONEY[final_unit])
            level = severity(final, budget, 1, q, is_exact(q, "元"))
            if level != UNIT_SLIP and (stated != 0 or level == ERROR):
                level = ERROR
            scale = MONEY[budget_unit]
            out.append(Finding(
                id=finding_id("narrative.variance", passage.doc_id, sentence),
                rule="narrative.variance", doc=passage.doc_id, severity=level,
                message=(f"说明称决算数“{word}”预算数，但所列预算数 {m.group('budget')}"
                         f"{budget_unit}、决算数 {m.group('final')}{final_unit}"),
                formula=(f"{plain(final / scale)} − {plain(budget / scale)} = "
                         f"{plain((final - budget) / scale)}{budget_unit}"),
                expected=budget / scale, found=final / scale,
                operands=(passage_citation(passage, sentence, m.group("budget") + budget_unit,
                                           budget_unit),
                          passage_citation(passage, sentence, m.group("final") + final_unit,
                                           final_unit))))
    return out


def audit_narrative(passages: list[Passage], sources: list[SourcedTable],
                    bodies: tuple[str, ...] = ()) -> list[Finding]:
    """Every narrative rule over a disclosure's passages and tables; bodies are the names
    of the publisher, which may stand before a label."""
    paragraphs = _paragraph_facts(passages)
    bodies = tuple(sorted({norm(b) for b in bodies if b}, key=len, reverse=True))
    labels = table_labels(sources)
    return (check_amounts(paragraphs, labels, scope_gaps(sources), bodies)
            + check_shares(paragraphs, labels, bodies)
            + check_growth(paragraphs)
            + check_stated_rates(paragraphs)
            + check_level_claims(paragraphs)
            + check_restated(paragraphs)
            + check_stated_bases(paragraphs)
            + check_variance(passages))
