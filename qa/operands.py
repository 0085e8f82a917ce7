"""Operands: cited figures from table cells and narrative facts, and how well they fit.

Each operand carries the citation of the cell or sentence it comes from, so a computed
answer can show where every figure stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from budgetqa.domain import Citation, Document
from calc import operations as ops
from calc.operations import Operand
from ingest.kinds import GENERALITY
from qa.facts import Fact, key_terms
from qa.linking import FUND_SIDE, MEASURE_ROW, Candidate, DocumentView, table_cue_bonus
from qa.question import Reading
from qa.text import is_generic, norm, strip_numbering
from qa.wording import context_prefix


@dataclass
class Context:
    """One question about one document, with what the router has loaded for it."""

    reading: Reading
    doc: Document
    view: DocumentView
    facts: list[Fact]
    # Figures named equally well by one piece of the question, with different values: the
    # piece and its candidates (see Router._operand); and a candidate chosen for a piece.
    ties: list[tuple[str, list[Candidate]]] = field(default_factory=list)
    forced: dict[str, Candidate] = field(default_factory=dict)
    # The files the view holds: the asked one, or every file of its disclosure.
    files: tuple[str, ...] = ()
    # The narrative of those files, normalised (what words the document uses).
    prose: str = ""

    def prints(self, word: str) -> bool:
        """Whether the document uses `word`: in a table's labels or in its narrative."""
        return self.view.prints(word) or norm(word) in self.prose


# Columns of points a self-evaluation gives (自评分数, 得分, 分值): never money, whatever
# unit the table's heading states for its other columns.
SCORE_COLUMN = re.compile(r"(得分|分数|评分|分值)$")


def cell_operand(candidate: Candidate) -> Operand:
    """A table cell as an operand, named by its row (or its column on a total row)."""
    cell, row = candidate.cell, candidate.row
    named = [part for part in cell.column.split("/")
             if not is_generic(part) and not re.fullmatch(r"第\d+栏|支出用途|功能分类", part)]
    label = strip_numbering(row.label) or (named[-1] if named else cell.column)
    if row.is_total and FUND_SIDE.fullmatch(candidate.mention.text) \
            and candidate.mention.text not in norm(row.label + cell.column):
        label = candidate.mention.text  # the 合计 of the table the question named by its title
    elif row.is_total and named and (is_generic(row.label) or row.opens):
        label = named[-1]  # "合计" row of column "基本支出/人员支出" is 人员支出
    elif named and MEASURE_ROW.fullmatch(norm(row.label)):
        # Row 决算数 of column "…/公务接待费": the item is the column, the row its measure.
        label = f"{named[-1]}{norm(row.label)}"
    if is_generic(label) and re.fullmatch(r"合计|总计|小计", norm(label)):
        # The 合计 of a 支出总表 is 支出合计: name the total by its side, the column's
        # heading first (a 收入支出总表 prints both sides' 总计).
        top = cell.column.split("/")[0]
        side = top if top in ("支出", "收入") else next(
            (w for w in ("支出", "收入") if w in row.table_title), "")
        label = side + norm(label) if side else label
    # A table without a money unit (a 绩效指标表) prints each row's unit in a column.
    # A cell's own unit first: a 完成% column or an indicator's 篇/人次 in a 万元 table.
    unit = cell.unit or row.unit or next(
        (v for k, v in row.qualifiers if re.search(r"(指标|计量)单位$", k)), "")
    if SCORE_COLUMN.search(cell.column.split("/")[-1]):
        unit = "分"  # a 自评得分 column in a 万元 table holds points, not money
    citation = Citation(kind="cell", doc=cell.doc_id, page=cell.page, table=cell.table_title,
                        row=row.label or "(未命名行)", column=cell.column, value=cell.printed,
                        unit=unit, bbox=cell.bbox)
    return Operand(value=cell.value, unit=unit, label=label, citation=citation)


def fact_operand(fact: Fact, label: str) -> Operand:
    """A narrative figure as an operand, cited to its sentence."""
    passage = fact.passage
    citation = Citation(kind="passage", doc=passage.doc_id, page=passage.page,
                        section=passage.section, text=fact.sentence,
                        value=ops.plain(abs(fact.value)), unit=fact.unit, ocr=passage.ocr,
                        item=printed_item(fact))
    return Operand(value=fact.value, unit=fact.unit, label=label, citation=citation)


def _named(fact: Fact) -> str:
    """The words that name a figure: its clause, or every item of a list it totals
    ("收入、支出预算总计X万元" names both totals, not only 支出预算总计)."""
    return "、".join(fact.listed) if fact.listed and "、" in fact.sentence else fact.clause


def printed_item(fact: Fact) -> str:
    """The name a sentence prints just before its figure, without numbering, level marks
    (（类）（款）（项）) and linking verbs; empty when those words name nothing."""
    return _printed_item(_named(fact))


@lru_cache(maxsize=16384)
def _printed_item(named: str) -> str:
    # Kept by the words themselves: every question's narrative support cites every fact.
    clause = re.sub(r"[（(](类|款|项)[）)]|[（(]\d+(类|款|项)[）)]", "", strip_numbering(norm(named)))
    clause = re.sub(r"^.*?20\d{2}年度?|(预算)?(为|是|共|共有|安排|达)$", "", clause)
    if re.search(r"相比|比上年|较上年|增加|减少|增长|下降", clause):
        return ""  # a change's words, not a name
    return clause if len(clause) >= 2 and re.search(r"[\u4e00-\u9fff]{2}", clause) else ""


def one_block(rows: list, question: str) -> list:
    """Rows of one column block: a 收支总表 lists 收入 items, 功能分类 and 支出用途 side by
    side, and a ranking compares like with like (the 支出 side when the question says 支出)."""
    blocks: dict[str, list] = {}
    for row in rows:
        cell = row.primary()
        blocks.setdefault(cell.column if cell else "", []).append(row)
    if len(blocks) < 2:
        return rows
    side = "支出" if "支出" in question else "收入" if "收入" in question else ""
    fitting = {c: rs for c, rs in blocks.items() if side in c} or blocks
    return max(fitting.values(), key=len)


def table_fit(question: str, row) -> float:

    return table_cue_bonus(question, row.table_kind, row.table_title) - GENERALITY.get(
        row.table_kind, 9) * 0.1


def coverage_of(text: str, candidate: Candidate) -> float:
    """How much of the question's own wording (after any scope) a table figure accounts for."""
    segment = text[len(context_prefix(text)):]
    terms = key_terms(segment)
    if not terms:
        return 1.0
    rest = segment
    for mention in (candidate.mention, candidate.hint):
        if mention is not None:
            rest = rest.replace(mention.text, "")
    return 1.0 - len(key_terms(rest)) / len(terms)


def fact_label(fact: Fact, question_text: str) -> str:
    """What a narrative figure is: the words just before it when they name something
    ("公务接待费预算支出"), else what the question asked about."""
    clause = strip_numbering(norm(_named(fact)))
    clause = re.sub(r"^.*?20\d{2}年度?", "", clause)
    clause = re.sub(r"(比|较|与)(上年|去年|20\d{2}年).*$|(为|是|共|共有|安排)$", "", clause)
    generic = re.fullmatch(r"(当年)?(预算|预算安排|预算执行数|执行数|决算数|预算数|合计|其中|共计)?", clause)
    if len(clause) >= 3 and not generic:
        # Whole when it is a name's length ("单价100万元(含)以上设备(不含车辆)"), else its end.
        return clause if len(clause) <= 24 else clause[-16:]
    asked = re.sub(r"(是多少|多少|是几|几|有几|有多少|比.*$|占.*$)", "", key_terms(question_text))
    asked = re.sub(r"^[个名辆台家项套张件次所]", "", asked)  # "有几个内设机构": 内设机构
    return asked[:16] or clause or "该数字"


def other_tables(found: list[Candidate], chosen: Operand) -> list[Operand]:
    """Same-named figures in other tables that differ from the one used, to mention them."""
    seen, out = {chosen.citation.table}, []
    for cand in found[1:]:
        if cand.row.table_title in seen or cand.cell.value is None:
            continue
        if norm(cand.row.label) != norm(chosen.citation.row) or cand.cell.value == chosen.value:
            continue
        seen.add(cand.row.table_title)
        out.append(cell_operand(cand))
    return out[:2]
