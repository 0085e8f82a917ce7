"""The query router: quote a cell, compute from cells and facts, quote passages, or say "not stated".

Evidence is found here; numbers are computed only by calc/; words are put together by
qa/compose.py. When nothing fits, the router answers route `none` rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from budgetqa.domain import Answer, Citation, Document
from budgetqa.errors import CalcError, UnitMismatch
from calc import operations as ops
from calc.operations import Operand
from qa import compose
from ingest.doc_facts import same_disclosure
from ingest.kinds import GENERALITY, table_kind
from qa.contained_names import bare_name, inside_longer_name
from qa.decide import abbreviates, coverage
from qa.facts import Fact, extract_facts, key_terms, match_score, own_words, said_terms
from qa.lexicon import SUM_WORDS
from qa.linking import (FUND_SIDE, TABLE_CUES, Candidate, DocumentView, Mention, candidates,
                        level_rows_yield, measured)
from qa.listed_places import places_and_measure
from qa.operands import (Context, cell_operand, coverage_of, fact_label, fact_operand, one_block,
                         other_tables, table_fit)
from qa.across_names import places_named
from qa.question import Reading, read_question
from qa.text import is_generic, longest_shared, norm, strip_numbering
from qa.year_ends import year_end_pair
from qa.wording import (AND_WORDS, AND_WORDS_KEPT, ANSWER_CUES, AUDIT_QUESTION, COMPARISON,
                        ASKED_LEVEL, CUE_LIFT, DEFINED, LEVEL_WORDS, MEASURE_WORDS, NAMED_MEASURE, ORDINAL,
                        ORGANISATION, PLACE, QUOTED_TERM, SAME_COUNT, WHICH_UNIT, context_prefix,
                        count_unit, counted_noun, counts_noun, jieba_words, scope_named,
                        without_publisher)

# Said of every answer that rests on a scanned page.
OCR_MARK = "（此数字由扫描页识别，请以原件为准。）"
# The words after a share's whole that ask for the share.
SHARE_ASK = re.compile(r"(的)?(比例|比重|百分之几|百分之多少|百分比|多少|多大|几成|占比).*$")
# A question asking one of the whole budget's totals.
WHOLE_ASKED = re.compile(r"总预算|总计|收支|^(收入|支出)(合计|总额)?$")
# Funds a figure's own words may limit it to.
FUND_WORDS = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营|财政专户")
# How much less well a whole of the part's fund scope may be named than another whole and
# still be taken for a share or ratio (a table's own 合计 against a side-named 支出合计).
LIKE_SCOPE_BONUS = 1.5
# Two table figures whose scores differ by less than this are named equally well by the
# question; when their values differ the router asks which is meant (route clarify). Smaller
# than one step of table generality (0.1 a rank), so "the most general table" still decides.
TIE_MARGIN = 0.05
# How much less well a cell may be named than the best and still be preferred because the
# narrative states its figure for the same words.
NARRATED_MARGIN = 0.5
# A question that asks for a rate may be answered by a percentage the narrative states.
RATE_ASKED = re.compile(r"百分|%|比例|比重|率|几成|占")
# Key terms that name a kind of money, not an item ("经费是多少"; 支出 and 收入 alone are
# the whole budget's sides).
VAGUE_TERMS = {"经费", "资金", "费用", "钱", "金额", "费", "款"}
# A question that asks for money: a figure in 分, 篇 or % is no answer to it.
MONEY_ASKED = re.compile(r"多少钱|花了多少|花多少|几个钱|多少万|多少元|金额|how much")
# A sentence that gives a reason ("主要原因是…", "主要是…", "由于…").
REASON_GIVEN = re.compile(r"[^。；;\n]*(原因|主要是|由于|因为)[^。；;\n]*[。；;]?")
# A narrative fact must share at least this much of the question's wording to be used.
MIN_FACT_MATCH = 0.5
# A narrative figure matched at least this well needs no further check that its sentence
# names the item in one piece.
CLEAR_FACT_MATCH = 0.6
# A sentence naming (nearly) every word asked, against a cell naming at most this share.
WHOLE_FACT_MATCH = 0.95
PARTIAL_COVERAGE = 0.75
# "两项", "三个": how many parts a sum has, said between the parts and their shared name.
PARTS_COUNT = re.compile(r"(?<=[\u4e00-\u9fff])[两二三四五六七八九]+(项|个|样|类|块|部分)(?=[\u4e00-\u9fff])")
# "收入合计减去支出合计": a difference written as a subtraction.
SUBTRACTED = re.compile(r"减去|减掉|扣除|扣掉")
# "购房补贴和住房公积金哪个多，差多少": two figures compared without 比.
WHICH_MORE = re.compile(r"^(?P<first>.+?)(和|与|跟|同)(?P<second>[^，,]+?)(相比|比较|比)?[，,]?"
                        r"(哪个|哪一个|哪项|哪一项|谁)(更)?(多|大|高|少|低)")
# How much of an item's name a sentence stating two of its measures must repeat.
STATED_ITEM_SHARE = 0.8
# How names of figures end: 商品和服务支出, 城乡社区规划与管理 (not 基本工资和津贴补贴).
NAME_END = re.compile(r"(支出|费|经费|收入|事务|资金|管理|服务)$")
# How a sentence states a measure: the final figure as 决算, 实际完成 or 执行数.
STATED_MEASURES = {"决算": r"决算|实际完成|执行数|实际支出", "调整预算": r"调整预算|调整为|调整后"}
# "预算" as a measure, not inside a name (一般公共预算, 预算单位, 年初预算 …).
BARE_BUDGET = re.compile(r"(?<!公共)(?<!基金)(?<!经营)(?<![年初全整])预算(?!拨款|单位|部门|执行|表|外|内|收入|管理|绩效|数)")
# A level that opens a name in a government budget: 全市, 市本级, 本级 …
LEVEL_PREFIX = re.compile(r"全[省市州县区]|[省市州县区]?本级")
# How fully a printed "A占B的x%" must name the asked whole to be quoted first.
PRINTED_SHARE_FIT = 1.0
# How much less well the whole of a share may be named than the part's own cell (the 财政拨款
# table's 收入总计, when the part is that very cell) and still be the whole.
OTHER_WHOLE_MARGIN = 2.0
# A count's unit (辆, 个, 名) already narrows the facts, so less wording must agree.
MIN_COUNT_MATCH = 0.35
# "占A、B和C合计的比例": a share whose whole is several listed figures added up.
_LISTED = r"[^，,。？?]{2,40}?[、和及与][^，,。？?]{2,40}?"
_ADDED_UP = r"(?:合计|之和|总和|加起来|加在一起|总额|总共|一共)"
LISTED_WHOLE = re.compile(rf"占(?P<whole>{_LISTED})的?{_ADDED_UP}|"
                          rf"在(?P<scope>{_LISTED}){_ADDED_UP}(?:里|中|当中|之中)?[^，,。？?]{{0,4}}占|"
                          # "三公经费、会议费、培训费合计里，会议费占多大比例": the whole leads.
                          rf"^(?P<lead>{_LISTED}){_ADDED_UP}(?:里面|里|中|当中|之中)[，,]?"
                          rf"(?P<part>[^，,。？?]{{2,24}}?)占")
UNMARKED_WHOLE = re.compile(rf"占(?P<whole>[^，,。？?、和及与]{{4,40}}?)的?{_ADDED_UP}")
# "A和B合计占C的比例": a share whose part is several listed figures added up.
LISTED_PART = re.compile(rf"^(?P<parts>{_LISTED}){_ADDED_UP}(?:的|后)?(?:数|金额)?占")


def _as_narrated(found: list[Candidate], fact: Fact | None) -> list[Candidate]:
    """`found` with the cell the narrative states first, among cells named almost as well:
    "一般公共服务支出" printed for all funds and for the 一般公共预算 part, and the narrative
    giving the all-funds figure for the bare name, means the bare name is that figure."""
    if fact is None or len(found) < 2 or fact.unit not in ops.MONEY or found[0].cell.value is None \
            or re.search(r"财政拨款|一般公共预算|政府性基金|国有资本",
                         fact.lead + fact.sentence + fact.passage.section.split(" > ")[-1]):
        # A sentence about one fund's part (or under a heading that names it: "三、财政拨款
        # 情况说明") states no bare name's figure.
        return found
    stated = _amount(fact_operand(fact, ""))
    if _amount(cell_operand(found[0])) == stated:
        return found
    narrated = next((c for c in found[1:] if found[0].score - c.score < NARRATED_MARGIN
                     and c.cell.value is not None and _amount(cell_operand(c)) == stated), None)
    if narrated is None:
        return found
    first = replace(narrated, score=found[0].score + 2 * TIE_MARGIN)  # no tie with the best
    return [first] + [c for c in found if c is not narrated]


def _named_better(terms: str, fact: Fact, best: Fact) -> bool:
    """Whether `fact`'s own words name the asked `terms` better than `best`'s: for a change
    or a count, the words they share less half the words they add; for an amount of money,
    only when its clause holds the terms whole and the other's does not."""
    if fact.kind == "change" or (fact.unit not in ops.MONEY and fact.unit != "%"):
        # (Counts too: "离退休人员78人，其中：离休3人，退休72人" — 退休 is the 72.)
        return _own_fit(terms, fact) > _own_fit(terms, best)
    return terms in key_terms(fact.clause) and terms not in key_terms(best.clause)


def _own_fit(terms: str, fact: Fact) -> float:
    """How well a figure's own words (its clause) name the asked `terms`: the words they share,
    less half the words they add."""
    own = key_terms(COMPARISON.sub("", strip_numbering(fact.clause)))
    shared = longest_shared(terms, own, 2)
    return shared - 0.5 * (len(own) - shared)


def _amount(operand: Operand):
    """A figure comparable across units: money in 元, anything else as printed."""
    if operand.unit in ops.MONEY:
        return ops.convert(operand, "元")[0].value, "元"
    return operand.value, operand.unit


def _printed_name(ctx: Context, name: str) -> bool:
    """Whether the document prints `name` as the name of a figure: as it stands, ending as
    names end (商品和服务支出), or as a 类 written without its 支出 (社会保障和就业), or
    as a whole row's label (公诉和审判监督)."""
    if any(strip_numbering(norm(r.label)) == norm(name) for r in ctx.view.rows if r.label):
        return True
    if NAME_END.search(name):
        return ctx.prints(name)
    return ctx.prints(name + "支出")


# A question asking why, and its words that name no item.
REASON_ASKED = re.compile(r"为什么|为何|为啥|(的)?(主要)?原因是?什么|什么原因|咋回事|怎么回事|"
                          r"是零|为零|(多|少|涨|降|增加|减少)了?(这么多|那么多|很多|不少)?")


def _written_short(short: str, text: str, slack: int = 3) -> bool:
    """Whether `text` prints `short` with at most `slack` characters left out of it
    ("一般公共预算拨款" in "一般公共预算财政拨款"): the asker's shorter form of that name."""
    return len(short) >= 4 and any(abbreviates(short, text[start:start + len(short) + slack])
                                   for start, ch in enumerate(text) if ch == short[0])


def _reason_fit(text: str, item: str) -> tuple[int, int]:
    """How much of `item` a passage names just before it gives a reason (原因), and how
    close to the reason (negated, so that larger is better)."""
    plain = norm(text)
    fits = [(0, -10_000)]
    for reason in re.finditer(r"原因", plain):
        # The sentence giving the reason and the one before it (the item and its change).
        start = max(plain.rfind("。", 0, plain.rfind("。", 0, reason.start())), reason.start() - 150, 0)
        # An item among what something is spent on ("主要用于…检察教育培训费等") is not
        # the subject the reason is given for.
        window = re.sub(r"(主要)?用于[^。；;]*", "", plain[start:reason.start()])
        shared = longest_shared(item, window, 2)
        if shared:
            piece = next(item[i:i + shared] for i in range(len(item) - shared + 1)
                         if item[i:i + shared] in window)
            fits.append((shared, window.rfind(piece) - len(window)))
    return max(fits)


def _stated_year(fact: Fact) -> int | None:
    """The year a figure's own words give it ("…相比（2016年度部门支出预算安排为"), if any."""
    own = re.split(r"[（(，,；;：:]|相比", norm(fact.clause))[-1]
    year = re.match(r"(20\d{2})年", own)
    return int(year.group(1)) if year else None


def _all_funds(kind: str) -> bool:
    """Whether a table's figures cover all the department's funds (收支总表, 支出总表,
    收入总表), not one fund's part."""
    return GENERALITY.get(kind, 9) <= 1


def _cue_fit(text: str, item: str, cue: re.Pattern) -> int:
    """How much of `item` a sentence of `text` names before the answer's cue word (位于,
    用于, 负责 …) in the same sentence."""
    plain = norm(text)
    best = 0
    for found in cue.finditer(plain):
        start = max(plain.rfind("。", 0, found.start()), plain.rfind("；", 0, found.start()), 0)
        best = max(best, longest_shared(item, plain[start:found.start()], 2))
    return best


def _last_year_cell(ctx: Context, row):
    """The cell of `row` that prints last year's figure (上年…, or the year before the
    document's), beside its main figure."""
    year = str((ctx.doc.year or 0) - 1)
    main = row.primary()
    return next((c for c in row.cells if c.value is not None and c is not main
                 and (re.search(r"上年|上一年|去年", c.column) or year in c.column)
                 # "上年结转" / "上年结余、结转" is this year's money carried in, not last year's.
                 and not re.search(r"%|增长|增减|比较|结转|结余", c.column)), None)


class Router:
    """Answers questions from the store's cells and the passage index."""

    def __init__(self, store, passage_index, planner=None, auditor=None):
        self.store = store
        self.index = passage_index
        self.auditor = auditor  # doc ids -> calc.audit.AuditReport list (BudgetQA.audit)
        self.planner = planner  # qa.llm.QuestionPlanner, or None when BUDGETQA_LLM is empty
        self._views: dict[str, DocumentView] = {}
        self._facts: dict[str, list[Fact]] = {}
        self._prose: dict[str, str] = {}
        self._suggested: dict[str, tuple[str, ...]] = {}
        self._across = None  # qa.across.AcrossAnswerer, made on the first question
        self._files: dict[str, tuple[str, ...]] = {}  # see _disclosure_files

    # -- loading, once per document ------------------------------------------------------

    def _context(self, reading: Reading, doc_id: str, whole: bool = False) -> Context:
        """`reading` over `doc_id`'s file, or over every file of its disclosure (`whole`)."""
        doc = self.store.document(doc_id)
        key = (doc_id, whole)
        files = self._disclosure_files(doc) if whole else (doc_id,)
        if key not in self._views:
            units = {t["id"]: t["unit"] for d in files for t in self.store.tables(d)}
            # Facts first: a view present means the document is fully loaded (parallel readers).
            passages = [p for d in files for p in self.store.passages(d)]
            self._prose[key] = norm("\n".join(p.text for p in passages))
            self._facts[key] = [f for p in passages for f in extract_facts(p)]
            self._views[key] = DocumentView(
                tuple(c for d in files for c in self.store.cells(d)), units, doc.year,
                final="决算" in (doc.kind or ""))
        return Context(reading, doc, self._views[key], self._facts[key], files=files,
                       prose=self._prose[key])

    def _disclosure_files(self, doc: Document) -> tuple[str, ...]:
        """`doc`'s id first, then the other files of its disclosure (found once per document:
        every question asks, and a router lives only until the store changes)."""
        if doc.id not in self._files:
            self._files[doc.id] = (doc.id,) + tuple(
                d.id for d in self.store.documents() if d.id != doc.id and same_disclosure(doc, d))
        return self._files[doc.id]

    # -- entry point ---------------------------------------------------------------------

    def answer(self, question: str, doc_id: str | None, _replanned: bool = False) -> Answer:
        """The answer to `question` about `doc_id` (None: the document the question names)."""
        across = self._across_documents(question, doc_id)
        if across is not None:
            return across
        reading = read_question(question)
        if doc_id is None:
            across = self._across_years(reading)
            if across is not None:
                return across
            doc_id = self.resolve_document(reading)
            if doc_id is None:
                return compose.not_stated(question, None, "没有找到问题所指的文件（发布单位或年度）",
                                          self._coverage(None))
        audit = AUDIT_QUESTION.search(reading.normalised)
        if audit and audit.group(0) in ("核对", "审核") and re.search(r"多少|几", reading.normalised):
            # "想核对一下：X安排了多少？" asks a figure to check it against; "要审核多少家单位"
            # asks a target whose name holds the word.
            audit = None
        if self.auditor is not None and audit:
            return compose.audited(question, doc_id, self.auditor([doc_id]))
        asked = self._asked_year(reading)
        if asked is not None:
            # "那2023年呢？" about the 2024 budget: that year's document of the same
            # publisher answers it, when it is ingested.
            other = self._same_publisher(doc_id, asked)
            if other and not self._year_covered(self.store.document(doc_id), asked):
                return self._in_other_year(question, doc_id, asked, other)
            doc_id = other or doc_id
        ctx = self._context(reading, doc_id)
        publisher = self._publisher_name(ctx.doc)
        ctx.reading = without_publisher(reading, publisher, ctx.view.in_a_label)
        if asked is not None and ctx.doc.year and asked == ctx.doc.year - 1 \
                and reading.operation in ("share", "ratio", "sum", "rank"):
            # This year's document prints last year's figures only here and there (上年数,
            # stated changes): a share or sum of them is not computed from this year's cells
            # under last year's label.
            return self._declined(ctx, f"本文件是{ctx.doc.year}年的{ctx.doc.kind}，"
                                       f"没有可用于这一计算的{asked}年数字，也没有收录{asked}年的文件", None)
        elsewhere = self._places_elsewhere(ctx, question, publisher)
        if elsewhere:
            # "南京市政协的三公经费" asked of the Jiangsu CPPCC's budget, "Shanghai …" of
            # Beijing's: another publisher's figures, which this document does not hold.
            return self._declined(ctx, f"本文件是{publisher}的{ctx.doc.kind}，"
                                       f"没有{'、'.join(elsewhere)}的数字", None)
        if reading.years and any(not self._year_covered(ctx.doc, y) for y in reading.years):
            years = "、".join(str(y) for y in reading.years)
            return compose.not_stated(question, doc_id,
                                      f"本文件是{ctx.doc.year}年的{ctx.doc.kind}，没有{years}年的数字",
                                      self._coverage(ctx))
        decided = self._answered(ctx, doc_id, _replanned)
        if decided.route == "none" and len(self._disclosure_files(ctx.doc)) > 1:
            # A disclosure published as a narrative file and a tables file is one document
            # to its reader: what the asked file does not say, its other file may, each
            # figure cited to its own file. The asked file's own wording comes first.
            whole = self._context(reading, doc_id, whole=True)
            whole.reading = ctx.reading
            again = self._answered(whole, doc_id, _replanned)
            if again.route != "none":
                return self._with_reason(reading, again)
        return self._with_reason(reading, decided)

    def _with_reason(self, reading: Reading, answer: Answer) -> Answer:
        """A figure asked with its reason ("…少了多少？为啥"): the reason its sentence's
        paragraph gives after it, quoted; the answer as it is when none is printed there."""
        if not reading.asks_reason or answer.route not in ("lookup", "calc"):
            return answer
        for c in answer.citations:
            if c.kind != "passage" or not c.text:
                continue
            passage = next((p for p in self.store.passages(c.doc)
                            if p.page == c.page and p.section == c.section and c.text in p.text), None)
            found = passage and REASON_GIVEN.search(passage.text[passage.text.index(c.text):])
            if found:
                return replace(answer, text=f"{answer.text}文件所说的原因：{found.group(0).strip()}")
        return answer

    def _answered(self, ctx: Context, doc_id: str, replanned: bool) -> Answer:
        # A project of a performance form, named by part of its name (qa.forms): its own
        # form's cells, or a clarify between projects; the router's row search would mix forms.
        from qa.forms import answer_from_forms

        # A form states its own year's money: another year asked ("2025年安排了多少" of a
        # 2026 project) is not on it.
        other_year = any(y != ctx.doc.year for y in ctx.reading.years) if ctx.doc.year else False
        form = None if other_year else answer_from_forms(ctx)
        if form is not None:
            return replace(form, reading=self._reading_json(ctx, None))
        answer = self._routed(ctx)
        if answer is None and ctx.reading.numeric and self.planner is not None and not replanned:
            answer = self._planned(ctx, doc_id)
        return self._decided(ctx, answer)

    def _across_documents(self, question: str, doc_id: str | None) -> Answer | None:
        """A question over several documents ("2026年各部门三公经费排名") is answered from the
        stored measures by qa.across; None when it is about one document."""
        from qa.across import AcrossAnswerer

        if self._across is None:
            self._across = AcrossAnswerer(self.store)
        return self._across.answer(question, doc_id)

    def _routed(self, ctx: Context) -> Answer | None:
        """The answer of the route the question's operation asks for, with its fallbacks."""
        reading = ctx.reading
        route = {"text": self._text, "share": self._share, "ratio": self._ratio,
                 "diff": self._diff, "growth": self._growth, "rank": self._rank,
                 "sum": self._sum}.get(reading.operation, self._lookup)
        try:
            answer = route(ctx)
            # "这三个项目加起来": parts counted; "项目一共有几个？" asks the count itself.
            counted_parts = re.search(r"[两二三四五六七八九十几]+(个|项|类|笔)(?![？?。!！]*$)",
                                      reading.normalised)
            if answer is None and (reading.operation == "count" or (
                    reading.operation == "sum" and not counted_parts
                    and not self._names_several(ctx))):
                # "一共多少" of a single figure, or a count the tables hold: quote it. (A
                # ranking is never answered by one figure.)
                answer = self._lookup(ctx)
        except CalcError as exc:
            # A share of a zero whole, a sum of 元 and 辆: say why, never a traceback.
            return compose.not_stated(reading.question, ctx.doc.id, f"无法计算：{exc.message}",
                                      self._coverage(ctx))
        if answer is None and not reading.numeric:
            answer = self._text(ctx)
        return answer

    def _decided(self, ctx: Context, answer: Answer | None) -> Answer:
        """Answer, clarify or decline: an answer whose evidence leaves part of the question
        unexplained, or that one of several equally named figures decided, is not given."""
        reading = ctx.reading
        if answer is None:
            return self._declined(ctx, "文件中没有找到问题所问的数字", None)
        if answer.route == "none":
            return replace(answer, suggestions=self._suggestions(ctx),
                           reading=self._reading_json(ctx, None))
        if answer.route == "clarify":
            return answer  # each option carries its own citations
        covered = coverage(reading.normalised, answer.citations, self._context_names(ctx, answer),
                           ctx.doc.publisher, tuple(t.meaning for t in reading.tags),
                           ctx.prints)
        if not covered.sufficient:
            return self._declined(ctx, "文件中没有与问题中“{}”对应的数字或说明".format(
                "、".join(covered.unexplained) or reading.wording), covered)
        if ctx.ties and answer.route in ("lookup", "calc"):
            clarified = self._clarified(ctx, answer)
            if clarified is not None:
                return clarified
        if any(c.ocr for c in answer.citations):
            # A figure read by OCR from a scanned page says so.
            answer = replace(answer, text=answer.text + OCR_MARK)
        return replace(answer, reading=self._reading_json(ctx, covered))

    @staticmethod
    def _context_names(ctx: Context, answer: Answer) -> tuple[str, ...]:
        """Names that stand around an answer's cells: the document's title and kind, each
        cited row's parents and units, and the words that name its table's kind (经济分类
        for a 基本支出表)."""
        names = [ctx.doc.title, ctx.doc.kind or ""]
        counted = counted_noun(ctx.reading.normalised)
        if counted and answer.unit and answer.unit not in ops.MONEY and any(
                c.kind == "passage" and counts_noun(norm(c.text), counted) for c in answer.citations):
            # "几辆公务用车" counted by "共有车辆0辆": the question's whole word (公务用车,
            # where the counted noun is read as 用车).
            names.append(next((w for w in jieba_words(ctx.reading.normalised) if counted in w),
                              counted))
        if re.search(r"原因", ctx.reading.normalised) and any(
                c.kind == "passage" and re.search(r"主要是|主要原因|原因是|由于|因为", c.text or "")
                for c in answer.citations):
            names.append("原因")  # "…减少的主要原因": a passage that gives its reason
        for c in answer.citations:
            if c.kind == "passage" and c.text:
                # Items listed with their 科目编码 name their classification.
                names += [kind for kind, pattern in (("功能分类", r"[（(]\d{7}[)）]"),
                                                     ("经济分类", r"[（(][35]\d{2}[)）]"))
                          if re.search(pattern, c.text)]
            if c.kind == "cell":
                names += ctx.view.lineage(c.table, c.row)
                kind = table_kind(c.table)
                names += [word for word, kinds in TABLE_CUES if kind in kinds]
        return tuple(names)

    @staticmethod
    def _places_elsewhere(ctx: Context, question: str, publisher: str) -> list[str]:
        """The places and organisations the question names that are not the document's
        publisher and that the document does not print."""
        own = norm(publisher)
        # A publisher stored as its file's pinyin stem ("pingdingshan") names its place too.
        own += "".join(places_named(own.replace("-", " ")))
        elsewhere = [p for p in places_named(question) if p not in own and not ctx.prints(p)]
        elsewhere += [p for p in places_named(question, with_organisation=True)
                      if p not in own and p not in elsewhere]
        return elsewhere

    def _publisher_name(self, doc: Document) -> str:
        """The publisher's printed name: a tables file whose cover gave none (its publisher
        stored as its file's stem, "beijing-finance-bureau") takes its narrative twin's."""
        names = [self.store.document(d).publisher for d in self._disclosure_files(doc)]
        return next((n for n in names if re.search(r"[\u4e00-\u9fff]", n)), doc.publisher)

    def _declined(self, ctx: Context, reason: str, covered) -> Answer:
        answer = compose.not_stated(ctx.reading.question, ctx.doc.id, reason, self._coverage(ctx))
        return replace(answer, suggestions=self._suggestions(ctx),
                       reading=self._reading_json(ctx, covered))

    def _clarified(self, ctx: Context, answer: Answer) -> Answer | None:
        """Route clarify: the question read once with each equally named figure."""
        piece, tied = ctx.ties[0]
        options = []
        for candidate in tied:
            again = replace(ctx, ties=[], forced={**ctx.forced, piece: candidate})
            chosen = self._routed(again)
            if chosen is None or chosen.value is None:
                continue
            options.append(compose.option(chosen, cell_operand(candidate)))
        # 1.35万元 and 13,500元 are one figure printed in two tables' units: no choice to offer.
        if len({_amount(Operand(o.value, o.unit, "", o.citations[0])) for o in options}) < 2:
            return None
        return compose.clarify(ctx.reading.question, ctx.doc.id, options,
                               reading=self._reading_json(ctx, None))

    def _reading_json(self, ctx: Context, covered) -> dict:
        """How the question was read: operation, wording, the words read through the
        lexicon, and how much of it the evidence explains."""
        out = {"operation": ctx.reading.operation, "wording": ctx.reading.wording,
               "years": list(ctx.reading.years)}
        if ctx.reading.tags:
            out["read_as"] = [{"written": t.written, "meaning": t.meaning, "source": t.source}
                              for t in ctx.reading.tags]
        if covered is not None:
            out["coverage"] = covered.to_json()
        return out

    def _suggestions(self, ctx: Context) -> tuple[str, ...]:
        """Three questions the document can answer, worked out once per document."""
        from qa.suggestions import suggest_questions

        if ctx.doc.id not in self._suggested:
            self._suggested[ctx.doc.id] = tuple(
                suggest_questions(self.store.parsed_tables(ctx.doc.id), limit=3))
        return self._suggested[ctx.doc.id]

    def _planned(self, ctx: Context, doc_id: str) -> Answer | None:
        """The rules again, on the canonical question of the model's checked plan: the model
        names figures the document has, never a number."""
        from qa.llm import plan_to_question, vocabulary_from_view  # only with an LLM configured

        plan = self.planner.plan(ctx.reading.question, vocabulary_from_view(ctx.view))
        canonical = plan_to_question(plan) if plan is not None else ""
        if not canonical:
            return None
        again = self.answer(canonical, doc_id, _replanned=True)
        return None if again.route == "none" else replace(again, question=ctx.reading.question)

    @staticmethod
    def _asked_year(reading: Reading) -> int | None:
        """The one year a question asks about, when it names one that is not a comparison's
        base ("比2023年增长" compares, "2023年人员经费" asks)."""
        years = set(reading.years)
        if len(years) != 1 or re.search(r"(比|较|与|同|跟)20\d{2}年", reading.normalised):
            return None
        if re.search(r"(上年|去年|上一年)[(（]?20\d{2}年|20\d{2}年[)）]?[(（]?(上年|去年|上一年)",
                     reading.normalised):
            return None  # "上年（2018年）": the year glosses 上年, this document's last year
        return years.pop()

    def _in_other_year(self, question: str, doc_id: str, year: int, other: str) -> Answer:
        """A year the asked document cannot cover ("2018年…" of the 2017 budget): this
        document does not say, and the same publisher's document for that year, which is
        ingested, is quoted beside it with its citations for the reader to open."""
        doc = self.store.document(doc_id)
        declined = compose.not_stated(question, doc_id, f"本文件是{doc.year}年的{doc.kind}，"
                                      f"没有{year}年的数字", [])
        there = self.answer(question, other)
        if there.route in ("none", "clarify"):
            return declined
        return replace(declined, text=f"{declined.text}已收录的《{self.store.document(other).title}》"
                                      f"中：{there.text}", citations=there.citations)

    def _same_publisher(self, doc_id: str, year: int) -> str | None:
        """The document of `doc_id`'s publisher and kind for `year`, if it is ingested (a
        tables file before its narrative twin)."""
        doc = self.store.document(doc_id)
        if doc.year == year:
            return None
        twins = [d for d in self.store.documents()
                 if d.year == year and norm(d.publisher) == norm(doc.publisher)
                 and (d.kind or "") == (doc.kind or "")]
        twins.sort(key=lambda d: not self.store.tables(d.id))
        return twins[0].id if twins else None

    @staticmethod
    def _year_covered(doc: Document, year: int) -> bool:
        return doc.year is None or doc.year - 1 <= year <= doc.year

    def _coverage(self, ctx: Context | None) -> list[str]:
        if ctx is None:
            return [f"{d.publisher}{d.year}年{d.kind}" for d in self.store.documents()][:8]
        return [t["title"] for d in self._disclosure_files(ctx.doc)
                for t in self.store.tables(d)][:12]

    def _publisher_documents(self, reading: Reading) -> list[Document]:
        """Documents of the publisher a question names (by shared wording), all years."""
        # The longest piece of the publisher's name the question repeats: "江苏省高院" shares
        # 江苏省高 with 江苏省高级人民法院, "万里街道" all of itself with …万里街道办事处.
        scored = [(longest_shared(norm(doc.publisher), reading.normalised), doc)
                  for doc in self.store.documents()]
        best = max((score for score, _ in scored), default=0)
        if best < 3:
            return []
        return [doc for score, doc in scored if score == best]

    def resolve_document(self, reading: Reading) -> str | None:
        """The document a question names by publisher and year, when no id is given: the
        named year's, else the latest; a tables file before its narrative twin."""
        docs = self._publisher_documents(reading)
        dated = [d for d in docs if d.year in reading.years] or docs
        if not dated:
            return None
        dated.sort(key=lambda d: (d.year or 0, bool(self.store.tables(d.id))), reverse=True)
        return dated[0].id

    def _across_years(self, reading: Reading) -> Answer | None:
        """"江苏省高院2019年比2018年增长多少": one figure from each year's document."""
        docs = self._publisher_documents(reading)
        years = sorted(set(reading.years))
        if len(years) != 2 or reading.operation not in ("growth", "diff", "lookup"):
            return None
        subject = re.sub(r"20\d{2}年度?|比|较|与|相比|(增长|下降|减少|增加|变化)了?(百分之几|多少|几)?.*$",
                         "", without_publisher(reading, docs[0].publisher).normalised
                         if docs else reading.normalised)
        operands = []
        for year in years:
            found = None
            for doc in sorted((d for d in docs if d.year == year),
                              key=lambda d: not self.store.tables(d.id)):
                ctx = self._context(replace(reading, normalised=subject, years=(year,)), doc.id)
                found, _ = self._operand(ctx, subject)
                if found is not None:
                    break
            if found is None:
                return None
            label = re.sub(r"^20\d{2}年度?", "", found.label)
            operands.append(replace(found, label=f"{year}年{label}"))
        previous, current = operands
        rate = reading.operation == "growth" or bool(re.search(r"增长|下降", reading.normalised)
                                                    and not re.search(r"多少(万元|元)", reading.normalised))
        result = ops.growth(current, previous) if rate else ops.difference(current, previous)
        return compose.computed(reading.question, None, result, "growth" if rate else "diff")

    # -- finding one figure --------------------------------------------------------------

    def _table_candidates(self, ctx: Context, text: str, own_cues: bool = False
                          ) -> list[Candidate]:
        """Table figures named in `text` (a part of the question), best first.

        Names inside a leading "X中 / X里" scope only narrow the choice (as column hints
        and table cues); the figure itself is named after the scope. With `own_cues`, only
        `text`'s words cue a table (a share's whole is not cued by its part's 财政拨款).
        """
        mentions = ctx.view.mentions(text)
        scope = len(context_prefix(text))
        targets = [m for m in mentions if m.start >= scope] or mentions
        found: list[Candidate] = []
        for mention in targets:
            hints = [m for m in mentions if m is not mention and m.columns]
            found.extend(candidates(ctx.view, ctx.reading.normalised, mention, hints,
                                    cues=text if own_cues else None))
        # "一般公共服务支出中人员经费": a row named in the scope and a column after it meet
        # in one cell.
        for mention in (m for m in mentions if m.start < scope and m.rows):
            columns = [m for m in targets if m.columns]
            found.extend(c for c in candidates(ctx.view, ctx.reading.normalised, mention, columns)
                         if c.hint is not None)
        found = level_rows_yield(found, targets, text)
        # A scope that names a kind of table ("“三公”经费中…") rules out other tables.
        scoped = [kinds for word, kinds in TABLE_CUES if word in text[:scope]]
        if scoped:
            found = [replace(c, score=c.score - (0 if any(c.row.table_kind in k for k in scoped)
                                                 else 2.0)) for c in found]
        # "财政拨款基本支出预算表里…": a table named by its title is where the figure is.
        named = ctx.view.tables_named_in(text)
        if named:
            inside = [c for c in found if c.row.table_id in named]
            if not inside:
                totals = [ctx.view.total_row(t) for t in named]
                inside = [Candidate(r, r.primary(), 5.0, Mention(0, 0, r.label))
                          for r in totals if r is not None and r.primary() is not None]
            found = inside or found
        return sorted(found, key=lambda c: -c.score)

    def _best_fact(self, ctx: Context, text: str, kinds=("amount",), unit: str | None = None,
                   within: Citation | None = None, year: int | None = None
                   ) -> tuple[Fact | None, float]:
        """The narrative figure `text` names best, with its score; `within`: only figures of
        that citation's passage; `year`: only figures whose own words name that year."""
        terms = key_terms(text)
        if terms in VAGUE_TERMS:
            return None, 0.0  # "经费是多少" names no item: any 经费 sentence would do
        counted = counted_noun(text) if unit and unit != "money" else None
        if counted == "用车" and "公务用车" in text:
            counted = "公务用车"  # "公车有几辆啊": its 用车 is the question's 公务用车
        if counted in ("公务用车", "车"):
            # Counted, 公务用车 is the whole fleet ("共有车辆2辆"), not one kind of 用车.
            terms = terms.replace(counted, "车辆")
        best, best_score = None, 0.0
        names = {bare_name(f.clause) for f in ctx.facts if f.kind == "amount"}
        for fact in ctx.facts:
            if fact.kind not in kinds or (year is not None and _stated_year(fact) != year):
                continue
            if within is not None and (fact.passage.page, fact.passage.section) != (
                    within.page, within.section):
                continue
            if counted and not counts_noun(fact.local, counted):
                continue  # "几个预算单位": a count of projects is no answer
            named = own_words(fact) or fact.local
            if any(ask in text and other in named and ask not in named
                   for ask, other in (("支出", "收入"), ("收入", "支出"))):
                # A question about 支出 is not answered by a 收入 figure (named by its own
                # words: "收入预算总计X万元，支出预算总计X万元").
                continue
            if unit == "money" and fact.unit not in ops.MONEY:
                continue
            if unit and unit != "money" and not fact.unit.startswith(SAME_COUNT.get(unit, unit)) \
                    and not fact.unit.startswith(unit):
                continue
            if not unit and fact.unit not in ops.MONEY and fact.unit != "%":
                continue
            if fact.unit == "%" and not RATE_ASKED.search(text):
                continue  # "三公经费预算多少" asks an amount, not the 43% it fell by
            clause = key_terms(strip_numbering(fact.clause))
            if fact.kind == "amount" and fact.unit in ops.MONEY and len(terms) >= 2 \
                    and len(clause) >= 2 and not longest_shared(terms, clause, 2):
                # "三公经费预算支出中，因公出国（境）费支出70万元": the asked words name the
                # figure's scope, not the figure, which its own words name otherwise.
                continue
            if fact.kind == "amount" and fact.unit in ops.MONEY and len(terms) >= 4 \
                    and longest_shared(terms, said_terms(fact.heading + fact.subject), 2) < 3:
                continue  # "事业运行" is not "事业单位…机关运行经费": its words apart
            score = match_score(terms, fact)
            if inside_longer_name(terms, fact.clause, names):
                score *= 0.5  # "增值税" asked, "土地增值税" stated
            fund = FUND_WORDS.search(named)
            if fund and fund.group(0) not in text and WHOLE_ASKED.search(terms) \
                    and fact.unit in ops.MONEY:
                # "财政拨款收、支总预算" is one fund's part of the 总预算 asked (a 三公经费 is
                # only ever 财政拨款's: the rule is for the budget's totals).
                score *= 0.5
            if unit and unit != "money" and re.search(r"共有|共计|合计|总计|总数", fact.clause):
                # A count question asks for the total, not a breakdown item (whose sentence
                # holds the total's 共有 too: "共有车辆0辆，其中部级领导干部用车0辆").
                score += 0.25
            if counted and (fact.after.startswith(counted) or not fact.after and counts_noun(
                    fact.local[len(fact.local) - 6:], counted)):
                # The counted word stands next to the number ("2个预算单位", "车辆2辆"); a
                # number followed by another noun counts that ("32个内设机构、12个直属事业单位").
                score += 0.5
            if score > best_score or (
                    best is not None and fact.kind == best.kind and abs(score - best_score) < 1e-9
                    and _named_better(terms, fact, best)):
                # Two figures named alike: the one whose own words name the item, and little
                # else ("收入比上年增加X，其中一般公共预算财政拨款增加Y": Y is 一般公共预算拨款's;
                # "包括在职人员经费A、公用经费B": A is 在职人员经费; "收入预算…比上年执行数增加X，
                # 主要是…交易中心的事业收入预算比2023年执行数增加Y": X is 收入预算's).
                best, best_score = fact, score
        return best, best_score

    def _operand(self, ctx: Context, text: str, unit: str | None = None,
                 same_table_as: Operand | None = None, own_cues: bool = False
                 ) -> tuple[Operand | None, list[Candidate]]:
        """The figure `text` names: a table cell when a row or column is named well enough,
        else a narrative fact; None when neither fits. With `same_table_as`, a figure from
        that operand's table is preferred, so a share or ratio compares like with like; with
        `own_cues`, only `text`'s own words cue a table (a share's whole)."""
        found = [] if unit and unit not in ops.MONEY else self._table_candidates(
            ctx, text, own_cues=own_cues)
        if same_table_as is not None and same_table_as.citation.kind == "cell":
            found = sorted((replace(c, score=c.score + 1.0)
                            if c.row.table_title == same_table_as.citation.table else c
                            for c in found), key=lambda c: -c.score)
            # Like with like: a part from an all-funds table is compared with the all-funds
            # total, not a 财政拨款 table's, when that is named nearly as well. (A part from a
            # 财政拨款 table may print the same figure as the all-funds one: no pull there.)
            if any(r.table_title == same_table_as.citation.table and _all_funds(r.table_kind)
                   for r in ctx.view.rows):
                found = sorted((replace(c, score=c.score + LIKE_SCOPE_BONUS)
                                if _all_funds(c.row.table_kind) else c
                                for c in found), key=lambda c: -c.score)
        fact, fact_score = self._best_fact(ctx, text[len(context_prefix(text)):], unit=unit)
        measure = NAMED_MEASURE.search(text)
        if measure is None and ctx.view.final:
            # "三公经费预算多少" of a final account asks its 预算数 column, not the 决算数.
            measure = BARE_BUDGET.search(text)
        if measure is None and ctx.view.final and fact is not None and fact.unit in ops.MONEY \
                and re.search(r"支出预算(为|是|数)?$|预算(数|安排)(为|是)?$", fact.clause) \
                and not re.search(r"决算|实际|完成", fact.clause):
            fact = None  # a final account reports what was spent; "…支出预算为X" is the budget
        if measure:
            # "年初预算" / "决算数" asked: a cell whose column (or table) does not say so is
            # another figure.
            found = measured(found, measure.group(0))
            # A sentence that does not say the measure states another figure: a budget's
            # narrative has no 决算 unless it says so.
            core = measure.group(0).rstrip("数")
            own = ("决算" in core) == ctx.view.final and core in ("决算", "预算")
            if fact is not None and not own and core not in norm(fact.local + fact.clause):
                fact = None
        asked_level = ASKED_LEVEL.search(ctx.reading.normalised)
        one_at_level = False
        if asked_level and text not in ctx.forced:
            # "卫生健康这一类支出", "…住房保障这三类支出": rows of that level before rows that
            # hold the name at another (其他卫生健康支出 款 and 项), which tie with them no more.
            at_level = [c for c in found if c.row.level == LEVEL_WORDS[asked_level.group(1)]
                        and found[0].score - c.score < TIE_MARGIN]
            if at_level:
                found = at_level + [c for c in found if c not in at_level]
                one_at_level = len(at_level) == 1
        if text in ctx.forced:
            found = [ctx.forced[text]] + [c for c in found if c is not ctx.forced[text]]
        else:
            found = _as_narrated(found, fact if fact_score >= CLEAR_FACT_MATCH else None)
            if len(found) > 1 and not one_at_level and found[0].cell.value is not None \
                    and found[1].cell.value is not None and found[0].score - found[1].score < TIE_MARGIN \
                    and _amount(cell_operand(found[0])) != _amount(cell_operand(found[1])):
                tied = [c for c in found if found[0].score - c.score < TIE_MARGIN][:4]
                ctx.ties.append((text, tied))
        if found and found[0].cell.value is not None:
            coverage = coverage_of(text, found[0])
            # "…支出预算表里合计": the question names the cell's table. But a sentence that
            # names every word asked ("政府采购工程预算0万元") states it better than a cell
            # that leaves one out (the 政府采购预算明细表's 合计, without 工程).
            stated_better = fact is not None and fact_score >= WHOLE_FACT_MATCH \
                and coverage < PARTIAL_COVERAGE \
                and strip_numbering(norm(found[0].row.label)) not in text
            if found[0].row.table_id in ctx.view.tables_named_in(text) and not stated_better:
                coverage = 1.0
            if not stated_better and (coverage >= 0.5 or fact is None
                                      or fact_score < max(MIN_FACT_MATCH, coverage)):
                return cell_operand(found[0]), found
        counting = unit is not None and unit not in ops.MONEY
        if fact is not None and fact_score >= (MIN_COUNT_MATCH if counting else MIN_FACT_MATCH):
            return fact_operand(fact, fact_label(fact, text)), []
        return None, found

    # -- routes --------------------------------------------------------------------------

    def _lookup(self, ctx: Context) -> Answer | None:
        question = ctx.reading.question
        previous_year = bool(ctx.doc.year) and ctx.doc.year - 1 in ctx.reading.years
        # A final account is read the year after it closes: "去年花了多少" with no year named
        # asks what the account itself reports.
        closed_year = ctx.view.final and not ctx.reading.years and "去年" in ctx.reading.normalised
        if (ctx.reading.asks_previous or previous_year) and not closed_year:
            # Last year's figure: the narrative states this year's and the change.
            answer = self._from_change(ctx, "previous")
            if answer is not None:
                return answer
            if ctx.reading.asks_previous or ctx.doc.year not in ctx.reading.years:
                # Only last year was asked about: this year's tables do not answer it.
                answer = self._previous_year_column(ctx, (ctx.doc.year or 1) - 1)
                if answer is not None or not (ctx.view.final and not ctx.reading.years):
                    return answer
        operand, found = self._operand(ctx, ctx.reading.normalised, count_unit(ctx.reading))
        if operand is None:
            return None
        if MONEY_ASKED.search(ctx.reading.normalised) and operand.unit not in ops.MONEY \
                and not RATE_ASKED.search(ctx.reading.normalised):
            return None  # "这个项目花了多少钱" where only its 自评分数 is printed
        whole = self._narrated_whole(ctx, operand, found)
        if whole is not None:
            return compose.clarify(question, ctx.doc.id, [
                compose.option(compose.quoted(question, ctx.doc.id, o, []), o)
                for o in (operand, whole)], reading=self._reading_json(ctx, None))
        others = other_tables(found, operand)
        support = self._narrative_support(ctx, operand) if operand.citation.kind == "cell" else None
        return compose.quoted(question, ctx.doc.id, operand, others, support)

    def _narrated_whole(self, ctx: Context, operand: Operand, found: list[Candidate]
                        ) -> Operand | None:
        """A larger figure the narrative states for the item a 基本支出表 cell holds only the
        basic part of ("委托业务费涉及财政拨款资金6,265.73万元" against the table's 94.34):
        the bare name may mean either."""
        if operand.citation.kind != "cell" or not found or found[0].row.table_kind != "基本支出表" \
                or re.search(r"基本|经济分类|公用经费|人员经费", ctx.reading.normalised) \
                or any(c.row.table_kind != "基本支出表" for c in found if c.cell.value is not None):
            return None
        fact, score = self._best_fact(ctx, ctx.reading.normalised, unit="money")
        item = strip_numbering(norm(found[0].row.label))
        if fact is None or score < MIN_FACT_MATCH or fact.kind != "amount" \
                or item not in norm(fact.clause) or _amount(fact_operand(fact, "")) <= _amount(operand):
            return None
        if re.search(r"[（(](类|款|项)[)）]", fact.clause):
            return None  # a 功能分类 item the narrative lists ("…职业年金缴费支出（项）") is another row
        return fact_operand(fact, item)

    def _previous_year_column(self, ctx: Context, year: int) -> Answer | None:
        """A figure from a column that holds last year's numbers (上年 / the year named)."""
        found = [c for c in self._table_candidates(ctx, ctx.reading.normalised)
                 if ("上年" in c.cell.column or str(year) in c.cell.column)
                 and not re.search(r"结转|结余", c.cell.column) and c.cell.value is not None]
        if not found:
            return None
        return compose.quoted(ctx.reading.question, ctx.doc.id, cell_operand(found[0]), [])

    def _narrative_support(self, ctx: Context, operand: Operand) -> Citation | None:
        """The narrative sentence that states the same figure as a table cell, if any: a
        reader sees the table and the explanation agree."""
        terms = key_terms(operand.label)
        best, best_score = None, 0.0
        for fact in ctx.facts:
            if fact.kind != "amount" or fact.unit not in ops.MONEY:
                continue
            try:
                same = ops.convert(fact_operand(fact, ""), operand.unit)[0].value == operand.value
            except UnitMismatch:
                continue
            if same:
                score = match_score(terms, fact) if terms else 0.0
                if score > best_score:
                    best, best_score = fact, score
        if best is None or best_score < 0.3:
            return None
        return fact_operand(best, operand.label).citation

    def _split_operands(self, ctx: Context, pattern: str, before: str | None = None
                        ) -> tuple[Operand, Operand] | None:
        """Two figures on either side of a word such as 占 / 是 / 比 (the second ending at
        `before` when given)."""
        text = ctx.reading.normalised
        match = re.search(pattern, text)
        if not match:
            return None
        left, right = text[: match.start()], text[match.end():]
        if before:
            right = re.split(before, right)[0]
        context = context_prefix(left)
        listed = self._listed_in_scope(ctx, context, (left[len(context):], right))
        if listed is not None:
            return listed
        first, _ = self._operand(ctx, left)
        if first is not None and len(key_terms(MEASURE_WORDS.sub("", right))) <= 1:
            # "…完成了年初预算的百分之几": the whole is the same item's 年初预算.
            right = norm(first.label) + right
        if context_prefix(right):
            context = ""  # "A表里的X比B表里的X": each side names its own table
        second, _ = self._operand(ctx, context + right, same_table_as=first,
                                  own_cues=pattern.startswith("占"))
        if first is not None and second is not None and second.citation == first.citation:
            # "财政拨款收入占收入总计": the 财政拨款 table's 收入总计 is the part itself; the
            # whole is the 收入总计 named best anywhere.
            again, found = self._operand(ctx, context + right)
            if again is not None and again.citation != first.citation:
                second = again
            else:
                other = next((c for c in found if c.cell.value is not None
                              and cell_operand(c).citation != first.citation
                              and _amount(cell_operand(c)) != _amount(first)
                              and norm(strip_numbering(c.row.label)) in norm(right)
                              and found[0].score - c.score < OTHER_WHOLE_MARGIN), None)
                if other is not None:
                    second = cell_operand(other)
        if second is None:
            second = self._grand_total(ctx, right)
        if first is None or second is None:
            return None
        second = self._from_same_table(ctx, second, first)
        if (first.citation, first.value) == (second.citation, second.value):
            return None  # both sides read as one figure: a misreading, not a comparison
        kinds = [table_kind(o.citation.table) if o.citation.kind == "cell" else ""
                 for o in (first, second)]
        if first.label == second.label and all(kinds) and kinds[0] != kinds[1]:
            # "三公经费表里的培训费比基本支出表里的培训费": each named with its kind of table.
            first, second = (replace(o, label=f"{o.label}（{kind}）")
                             for o, kind in zip((first, second), kinds))
        elif first.label == second.label:
            # Two 收入总计 rows of one table: each named with its column too.
            first, second = (replace(o, label=f"{o.label}（{o.citation.column}）")
                             if o.citation.kind == "cell" and o.citation.column else o
                             for o in (first, second))
        return first, second

    def _listed_in_scope(self, ctx: Context, scope: str, sides) -> tuple[Operand, ...] | None:
        """"政府采购里服务比货物多多少", "…里货物和工程合计", "…里服务类占多少": when the
        narrative states the scope's whole, the figures its passage lists ("其中：货物3.66万元…
        服务1446.32万元"), not like-named figures elsewhere."""
        if not scope:
            return None
        stated, _ = self._operand(ctx, scope_named(scope))
        if stated is None or stated.citation.kind != "passage":
            return None
        found = [self._best_fact(ctx, side, within=stated.citation) for side in sides]
        if any(f is None or score < MIN_FACT_MATCH or abs(f.value) > abs(stated.value)
               for f, score in found) or len({id(f) for f, _ in found}) < len(found):
            return None
        return tuple(fact_operand(f, fact_label(f, side)) for (f, _), side in zip(found, sides))

    def _table_total(self, ctx: Context, part: Operand) -> Operand | None:
        """The whole a share is of: the total row of `part`'s table in `part`'s column, or,
        when `part` stands on that total row (人员支出 of 合计), the row's first column."""
        if part.citation.kind != "cell":
            return None
        rows = next((rs for rs in ctx.view.tables.values()
                     if rs[0].table_title == part.citation.table), None)
        total = ctx.view.total_row(rows[0].table_id) if rows else None
        if total is None:
            return None
        on_total = part.citation.row == total.label
        cell = total.primary() if on_total else total.cell(part.citation.column)
        if cell is None or cell.value is None or (on_total and cell.column == part.citation.column):
            return None
        return cell_operand(Candidate(total, cell, 0.0, Mention(0, 0, total.label)))

    def _from_same_table(self, ctx: Context, operand: Operand, anchor: Operand) -> Operand:
        """The same figure as `operand` from `anchor`'s table, when that table's total row
        prints it: both operands then cite one table."""
        if anchor.citation.kind != "cell" or operand.citation.kind != "cell" \
                or operand.citation.table == anchor.citation.table:
            return operand
        for rows in ctx.view.tables.values():
            if rows[0].table_title != anchor.citation.table:
                continue
            for row in rows:
                cell = row.primary()
                if row.is_total and cell is not None and cell.value == operand.value \
                        and row.unit == operand.unit:
                    return cell_operand(Candidate(row, cell, 0.0, Mention(0, 0, row.label)))
        return operand

    def _grand_total(self, ctx: Context, text: str) -> Operand | None:
        """The document's 支出总计 or 收入总计 when a whole is named only loosely
        ("占2019年支出预算的比重")."""
        side = "支出" if "支出" in text else "收入" if "收入" in text else None
        if side is None:
            return None
        for kind in ("收支总表", "支出总表" if side == "支出" else "收入总表"):
            for table_id, rows in ctx.view.tables.items():
                if rows[0].table_kind != kind:
                    continue
                for row in rows:
                    label = norm(row.label)
                    if row.is_total and (side in label or kind != "收支总表"):
                        cell = next((c for c in row.cells if c.value is not None
                                     and (kind != "收支总表" or side in c.column)), None)
                        if cell is not None:
                            return cell_operand(Candidate(row, cell, 0.0, Mention(0, 0, label)))
        return None

    def _share(self, ctx: Context) -> Answer | None:
        if re.search(r"完成|执行率", ctx.reading.normalised):
            # "完成预算的百分比": a final account prints it (完成%).
            printed = self._printed_rate(ctx, ("完成%",))
            if printed is not None:
                return compose.quoted(ctx.reading.question, ctx.doc.id, printed[0], [])
            stated = self._stated_completion(ctx)
            if stated is not None:
                return compose.quoted(ctx.reading.question, ctx.doc.id, stated, [])
        # A share the narrative prints for exactly the asked part and whole is the publisher's
        # own figure: quoted before any division of figures that might be read otherwise.
        printed_share = self._stated_share(ctx, least_whole=PRINTED_SHARE_FIT)
        if printed_share is not None:
            return compose.quoted(ctx.reading.question, ctx.doc.id, printed_share, [])
        try:
            answer = self._share_reading(ctx)
        except UnitMismatch:
            answer = None  # the whole found was itself a percentage ("占三公经费的80.75%")
        if answer is None:
            # No figures to divide (a narrative file states the parts but not the whole):
            # the share the narrative itself prints, "A…万元，占B的x%".
            stated = self._stated_share(ctx)
            return None if stated is None else compose.quoted(
                ctx.reading.question, ctx.doc.id, stated, [])
        if answer.route != "calc":
            return answer
        parts = [c for c in answer.citations]
        same = len(parts) == 2 and parts[0] == parts[1]
        completion = re.search(r"完成|执行率", ctx.reading.normalised)
        if same or (answer.value is not None and answer.value > 100 and not completion):
            # A share of a figure in itself, or a part larger than its whole, is a misreading
            # (SEMPRE's well-formedness): no answer rather than a wrong one.
            return None
        return answer

    def _stated_completion(self, ctx: Context) -> Operand | None:
        """The completion rate the narrative prints for the asked item ("…支出决算为307.82万元，
        完成年初预算的95.89%"), of the budget the question names if it names one."""
        text = ctx.reading.normalised
        item = re.sub(r"[，,。？?]|支出$|的$", "", re.split(r"完成|执行率", text)[0])
        # "社工部一般公共预算…": the publisher's short name opens the question, not the item.
        cut = next((k for k in range(len(item) - 2, 1, -1)
                    if abbreviates(item[:k], norm(ctx.doc.publisher))), 0)
        item = item[cut:]
        asked = re.search(r"年初|全年|调整", text)
        if len(item) < 2:
            return None
        best, best_fit = None, 0.0
        for fact in ctx.facts:
            said = re.search(r"完成(年初|全年|调整后?的?)?预算数?的?$", fact.clause)
            if fact.unit != "%" or said is None:
                continue
            if asked and said.group(1) and asked.group(0) not in said.group(1):
                continue  # 完成年初预算 is not 完成全年预算
            named = norm(fact.lead + fact.local)
            fit = longest_shared(item, named, 2) / len(item)
            if _written_short(item, named):
                fit = max(fit, STATED_ITEM_SHARE)
            if fit > best_fit:
                best, best_fit = fact, fit
        if best is None or best_fit < STATED_ITEM_SHARE:
            return None
        return fact_operand(best, f"{item}{norm(best.clause).rstrip('的')}")

    def _stated_share(self, ctx: Context, least_whole: float = 0.75) -> Operand | None:
        """A percentage the narrative prints as "A…，占B的x%" where A and B are the
        question's part and whole, each naming most of its side of the question (the whole
        at least `least_whole` of it)."""
        asked = re.split(r"占|在", ctx.reading.normalised, maxsplit=1)
        if len(asked) != 2:
            return None
        part = key_terms(asked[0])
        part_written = norm(asked[0])
        whole_written = norm(re.sub(r"(的)?(比例|比重|百分之几|百分之多少|百分比|多少|几成|占比).*$", "",
                                    asked[1]))
        whole = key_terms(whole_written)
        if len(part) < 2 or len(whole) < 2:
            return None
        best, best_fit = None, 0.0
        for fact in ctx.facts:
            if fact.unit != "%" or "占" not in fact.clause:
                continue
            # The words since the previous percentage: "公务用车购置及运行费支出411.20万元占三公经费的".
            said = re.split(r"\d+(?:\.\d+)?%", fact.local)[-1]
            said_part, _, said_whole = said.rpartition("占")
            if len(said_part) < 2:
                # "其中税收收入1249407万元，为预算的99.5%，增长10%，占…的比重为": the part is
                # what the last amount before the rates names.
                amounts = re.split(r"\d[\d.,]*\s*(?:万元|亿元|元)", fact.local)
                said_part = amounts[-2] if len(amounts) >= 2 else said_part
            # The whole as written (key terms drop 预算, which names 一般公共预算收入).
            whole_fit = max(longest_shared(whole, norm(said_whole), shortest=2) / len(whole),
                            longest_shared(whole_written, norm(said_whole), shortest=2)
                            / max(len(whole_written), 1))
            if whole_fit < least_whole:
                continue
            # A level named first ("全市税收收入") may be said by the section ("全市一般公共
            # 预算收入决算情况") rather than the sentence.
            level = LEVEL_PREFIX.match(part)
            asked_part = part[level.end():] if level and level.group(0) in norm(
                fact.heading + fact.subject) and len(part) - level.end() >= 2 else part
            part_fit = max(longest_shared(asked_part, norm(said_part), shortest=2) / len(asked_part),
                           longest_shared(part_written, norm(said_part), shortest=2)
                           / max(len(part_written), 1))
            fit = min(part_fit, whole_fit)
            if fit > best_fit:
                best, best_fit = fact, fit
        if best is None or best_fit < 0.75:
            return None
        whole_said = re.sub(r"(的)?(比重|比例)?(为|是)?$", "", norm(best.clause))[1:]
        return fact_operand(best, f"{asked[0]}占{whole_said}的比重")

    def _stated_total(self, ctx: Context, listed: str) -> Operand | None:
        """The figure a narrative sentence states as the total of the listed items, named in
        its own words ("“三公”经费及会议费、培训费预算支出共263.72万元")."""
        fact, score = self._best_fact(ctx, listed)
        if fact is None or score < CLEAR_FACT_MATCH or not re.search(r"共|合计|总额|总计", fact.clause):
            return None
        asked = key_terms(listed)
        if longest_shared(asked, said_terms(fact.local), 2) < len(asked):
            return None
        return fact_operand(fact, fact_label(fact, listed))

    def _share_reading(self, ctx: Context) -> Answer | None:
        listed = LISTED_WHOLE.search(ctx.reading.normalised) or UNMARKED_WHOLE.search(ctx.reading.normalised)
        if listed and listed.re is UNMARKED_WHOLE:
            # "占三公经费会议费培训费合计": printed names one after another, nothing between.
            whole = listed.group("whole")
            named = [m for m in ctx.view.mentions(whole) if m.rows]
            # Only when the names fill the whole words: a name left out would leave a part out.
            parts = [m.text for m in named] if len(named) >= 2 and named[0].start == 0 \
                and named[-1].end == len(whole) and all(
                    a.end == b.start for a, b in zip(named, named[1:])) else []
        elif listed:
            parts = self._printed_parts(
                ctx, listed.group("whole") or listed.group("scope") or listed.group("lead"))
        if listed and len(parts) >= 2:
            # "培训费占三公经费、会议费和培训费合计的比例": the whole is the listed figures
            # added up, never the first of them alone.
            part, _ = self._operand(ctx, listed.groupdict().get("part")
                                    or ctx.reading.normalised[:listed.start()])
            wholes = [self._operand(ctx, p, same_table_as=part)[0] for p in parts]
            stated = self._stated_total(ctx, listed.group("whole") if listed.re is UNMARKED_WHOLE
                                        else listed.group("whole") or listed.group("scope")
                                        or listed.group("lead"))
            if stated is not None and part is not None:
                # "三公经费及会议费、培训费预算支出共263.72万元": the sum the narrative states.
                return compose.computed(ctx.reading.question, ctx.doc.id,
                                        ops.share(part, stated), "share")
            if part is None or any(w is None for w in wholes):
                return None
            return compose.computed(ctx.reading.question, ctx.doc.id,
                                    ops.share_of_totals([part], wholes), "share")
        listed = LISTED_PART.search(ctx.reading.normalised)
        if listed and len(parts := self._printed_parts(ctx, listed.group("parts"))) >= 2:
            # "三公经费和会议费合计占支出总计的比例": the part is the listed figures added up.
            numerators = [self._operand(ctx, p)[0] for p in parts]
            whole_text = re.sub(r"(的)?(比例|比重|百分之几|百分之多少|百分比|多少|几成|占比).*$", "",
                                ctx.reading.normalised[listed.end():])
            whole, _ = self._operand(ctx, whole_text, same_table_as=numerators[0])
            if whole is None or any(n is None for n in numerators):
                return None
            return compose.computed(ctx.reading.question, ctx.doc.id,
                                    ops.share_of_totals(numerators, [whole]), "share")
        inside = re.search(r"^(.+?)在(.+?)(之中|当中|中|里)(所)?占", ctx.reading.normalised)
        if inside:
            # "A在B中占多大比重"
            part, _ = self._operand(ctx, inside.group(1))
            whole, _ = self._operand(ctx, inside.group(2))
            if part is not None and whole is not None:
                return compose.computed(ctx.reading.question, ctx.doc.id,
                                        ops.share(part, whole), "share")
        text = ctx.reading.normalised
        word = r"占|完成了" if re.search(r"占|完成了", text) else r"是|为|相当于"
        after = re.split(word, text, maxsplit=1)[-1]
        if not key_terms(re.sub(r"^(了|到|据)|^比|比例|比重|百分之几|百分之多少|百分比|多少|多大|几成|占比",
                                "", after)):
            # "项目支出占比多少": the whole is the total of the part's own table; "X中A占比多少":
            # the whole is X.
            left = re.split(word, text, maxsplit=1)[0]
            scope = context_prefix(left)
            part, _ = self._operand(ctx, left)
            # "政府采购预算里服务类占多少": the part the scope's stated whole lists.
            listed = self._listed_in_scope(ctx, scope, (left[len(scope):],))
            if listed is not None:
                part = listed[0]
            whole = None
            if scope and part is not None:
                whole, _ = self._operand(ctx, scope_named(scope),
                                         same_table_as=part)
                if whole is not None and whole.citation == part.citation:
                    whole = None
            if whole is None and part is not None:
                whole = self._table_total(ctx, part)
            if part is None or whole is None:
                return None
            return compose.computed(ctx.reading.question, ctx.doc.id, ops.share(part, whole),
                                    "share")
        left = re.split(word, text, maxsplit=1)[0]
        if len(short := key_terms(left)) <= 3 and (listed := self._listed_in_scope(
                ctx, SHARE_ASK.sub("", after) + "里", (short,))) is not None:
            # "服务占政府采购的比例": a bare kind the whole's own sentence lists ("其中：…服务
            # 1446.32万元"), not any like-named figure (公共法律服务).
            whole, _ = self._operand(ctx, scope_named(SHARE_ASK.sub("", after) + "里"))
            if whole is not None:
                return compose.computed(ctx.reading.question, ctx.doc.id,
                                        ops.share(listed[0], whole), "share")
        pair = self._split_operands(ctx, word)
        if pair is None:
            return None
        return compose.computed(ctx.reading.question, ctx.doc.id, ops.share(*pair), "share")

    def _ratio(self, ctx: Context) -> Answer | None:
        pair = self._split_operands(ctx, r"是|为|相当于")
        if pair is None:
            return None
        return compose.computed(ctx.reading.question, ctx.doc.id, ops.ratio(*pair), "ratio")

    def _diff(self, ctx: Context) -> Answer | None:
        text = ctx.reading.normalised
        pair = year_end_pair(ctx) or self._measure_pair(ctx) or self._stated_measure_pair(ctx)
        if pair is None and ctx.view.final and re.search(r"比(年初|调整后?的?)?预算", text):
            # "支出比年初预算多多少" of a final account whose tables print no budget column:
            # the change against the budget its narrative states.
            subject = re.split(r"比", text)[0]
            change, score = self._best_fact(ctx, subject, kinds=("against_budget",), unit="money")
            if change is not None and score >= MIN_FACT_MATCH:
                against = re.search(r"比((年初|调整后?的?)?预算)", text).group(1)
                item = re.sub(r"^20\d{2}年度?|(的)?(决算数?|实际(支出)?)$", "", subject)
                return compose.changed(ctx.reading.question, ctx.doc.id, item,
                                       fact_operand(change, item), against=against)
        if pair is not None:
            result = ops.difference(*pair)
            if compose.ASKS_SIZE.search(text) and result.value < 0:
                result = ops.difference(pair[1], pair[0])
            return compose.computed(ctx.reading.question, ctx.doc.id, result, "diff")
        last_year = bool(ctx.doc.year) and ctx.doc.year - 1 in ctx.reading.years
        if ctx.reading.asks_previous or last_year or re.search(r"上年|20\d{2}年.*(执行数|预算数)", text):
            answer = self._from_change(ctx, "diff")
            if answer is not None:
                return answer
        # "X比上年增加了多少" names one item against its own past: never a second item.
        pair = None if re.search(r"比(上年|去年|上一年|前一年|20\d{2}年)", text) else \
            self._split_operands(ctx, r"比")
        if pair is None and SUBTRACTED.search(text):
            # "限额减去预计余额，还剩多少空间": the clause after the comma asks the result.
            pair = self._split_operands(ctx, SUBTRACTED.pattern, before=r"[，,]")
        if pair is None:
            pair = self._which_more(ctx)
        if pair is None:
            return None
        return compose.computed(ctx.reading.question, ctx.doc.id, ops.difference(*pair), "diff")

    def _which_more(self, ctx: Context) -> tuple[Operand, Operand] | None:
        """"A和B哪个多，差多少": the two figures, the larger first."""
        asked = WHICH_MORE.search(ctx.reading.normalised)
        if asked is None:
            return None
        first, _ = self._operand(ctx, asked.group("first"))
        second, _ = self._operand(ctx, context_prefix(asked.group("first")) + asked.group("second"),
                                  same_table_as=first)
        if first is None or second is None or first.citation == second.citation:
            return None
        second = self._from_same_table(ctx, second, first)
        return (first, second) if _amount(first) >= _amount(second) else (second, first)

    def _printed_rate(self, ctx: Context, measures: tuple[str, ...]
                      ) -> tuple[Operand, str] | None:
        """A rate the row of the question's subject prints (比上年增长%, 为上年%, 完成%)."""
        subject = COMPARISON.sub("", NAMED_MEASURE.sub("", ctx.reading.normalised))
        subject = re.sub(r"完成.*$|的?(百分比|比例|百分之.*|执行率|完成率).*$", "", subject)
        named = self._subject_row(ctx, subject)
        if named is None:
            return None
        cell = next((c for m in measures for c in named.row.cells
                     if c.measure == m and c.value is not None), None)
        if cell is None:
            return None
        return cell_operand(replace(named, cell=cell)), cell.measure

    def _subject_row(self, ctx: Context, subject: str) -> Candidate | None:
        """The best table figure `subject` names (its row holds the other measures)."""
        return next((c for c in self._table_candidates(ctx, subject) if c.cell.value is not None),
                    None)

    def _growth(self, ctx: Context) -> Answer | None:
        printed = self._printed_rate(ctx, ("比上年增长%", "为上年%"))
        if printed is not None:
            rate, measure = printed
            if measure == "为上年%":
                # "决算数为上年决算数的%": the growth is that figure less 100%.
                result = ops.growth_from_index(rate)
                return compose.computed(ctx.reading.question, ctx.doc.id, result, "growth")
            return compose.quoted(ctx.reading.question, ctx.doc.id, rate, [])
        pair = year_end_pair(ctx) or self._measure_pair(ctx)
        if pair is not None:
            return compose.computed(ctx.reading.question, ctx.doc.id, ops.growth(*pair), "growth")
        answer = self._from_change(ctx, "growth")
        text = ctx.reading.normalised
        if answer is None and "比" in text and not re.search(
                r"比(上年|去年|上一年|前一年|20\d{2}年|年初|调整|预算|决算)", text):
            # "基本支出比项目支出高出百分之多少": one item against another, in percent.
            pair = self._split_operands(ctx, r"比")
            if pair is not None:
                return compose.computed(ctx.reading.question, ctx.doc.id, ops.growth(*pair), "relative")
        return answer

    def _measure_pair(self, ctx: Context) -> tuple[Operand, Operand] | None:
        """Two measures of one item that its row prints side by side: 决算数 and 年初预算数,
        this year's and last year's (2025年执行数 / 上年决算数) — "X决算比年初预算多了多少",
        "X比上年增长了百分之几" answered from the table itself."""
        text = ctx.reading.normalised
        named = [m.group(0) for m in NAMED_MEASURE.finditer(text)]
        against = re.search(r"比(年初|调整|全年)?预算数?", text)
        if against and not any(against.group(0)[1:].startswith(n) for n in named):
            # "机关运行经费比预算多了多少" in a final account: 决算 against its 预算.
            named.append(against.group(0)[1:])
        previous = ctx.reading.asks_previous or bool(
            ctx.doc.year and ctx.doc.year - 1 in ctx.reading.years)
        if ctx.reading.operation == "growth" and not named and "比" not in text \
                and set(ctx.reading.years) <= {ctx.doc.year}:
            previous = True  # "社保和就业支出增长率多少": a growth with no base names last year
        if not named and not previous:
            return None
        subject = COMPARISON.sub("", NAMED_MEASURE.sub("", re.split(r"比|和|与|跟", text)[0]))
        candidates = [c for c in self._table_candidates(ctx, subject) if c.cell.value is not None]
        if not candidates:
            return None
        named_row = candidates[0]
        if previous and not named:
            # The same item in another table may print last year beside this year (a 支出
            # 总体情况表 does not, the 一般公共预算支出表 does).
            same = norm(strip_numbering(named_row.row.label))
            named_row = next((c for c in candidates if norm(strip_numbering(c.row.label)) == same
                              and _last_year_cell(ctx, c.row) is not None), named_row)
        row = named_row.row
        main = row.primary()

        def column(word: str):
            return next(iter(measured([replace(named_row, cell=main)], word)), None)


        if len(named) >= 2:
            first, second = column(named[0]), column(named[1])
            if first is None or second is None:
                return None
            cells = (first.cell, second.cell)
        elif previous:
            before = _last_year_cell(ctx, row)
            if before is None or main is None:
                return None
            cells = (main, before)
        else:
            other = column(named[0])
            if other is None or main is None or other.cell is main:
                return None
            cells = (main, other.cell)
        operands = [cell_operand(replace(named_row, cell=cell)) for cell in cells]
        # Both operands stand on one row: name each by its column too (a titled table's 合计
        # by the title's name).
        item = named_row.mention.text if row.is_total and FUND_SIDE.fullmatch(
            named_row.mention.text) else strip_numbering(row.label)
        return tuple(replace(o, label=f"{item}（{c.column.split('/')[0]}）")
                     for o, c in zip(operands, cells))

    def _stated_measure_pair(self, ctx: Context) -> tuple[Operand, Operand] | None:
        """Two measures of one item that one sentence of the narrative states ("城乡社区规划
        与管理（项）：年初预算为3110.14万元，支出决算为2739.56万元") when no table row prints
        both: "X决算比年初预算少了多少". The item must be named in that sentence or in the
        one before it (a listed item's heading)."""
        text = ctx.reading.normalised
        text = re.sub(r"调整后的?预算", "调整预算", text)
        found = list(NAMED_MEASURE.finditer(text))
        named = [m.group(0).rstrip("数") for m in found]
        if len(named) == 1 and ctx.view.final and "决算" not in named[0]:
            # "X（实际）比调整后的预算少花了多少" in a final account: the final figure
            # against the budget named.
            named.insert(0, "决算")
        if len(named) < 2 or named[0] == named[1]:
            return None
        # The item is named before its first measure (its own name may hold 与: 城乡社区规划
        # 与管理).
        item = re.sub(r"[，,。？?：:]|这一?项|这个|这块|实际(支出|完成)?|完成$|(比|和|与|跟)$|支出$", "",
                      text[:found[0].start()])
        if len(item) < 2:
            return None
        sentences: dict[tuple, list[Fact]] = {}
        for fact in ctx.facts:
            if fact.kind == "amount" and fact.unit in ops.MONEY:
                sentences.setdefault((id(fact.passage), fact.sentence), []).append(fact)
        best, best_score = None, 0.0
        for facts in sentences.values():
            # Each measure is named by the figure's own words, since the figure before it.
            picked = [next((f for f in facts if re.search(STATED_MEASURES.get(word, word),
                                                          own_words(f))), None)
                      for word in named[:2]]
            if None in picked or picked[0] is picked[1]:
                continue
            paragraph = norm(facts[0].subject)
            at = paragraph.find(norm(facts[0].sentence))
            before = paragraph[:max(at, 0)].rstrip("。")
            context = before[before.rfind("。") + 1:] + norm(facts[0].sentence)
            score = longest_shared(item, context, 2) / len(item)
            if _written_short(item, context):
                score = max(score, STATED_ITEM_SHARE)  # "一般公共预算拨款" for …财政拨款
            if score > best_score:
                best, best_score = picked, score
        if best is None or best_score < STATED_ITEM_SHARE:
            return None
        return tuple(fact_operand(f, f"{item}（{word}）") for f, word in zip(best, named))

    def _from_change(self, ctx: Context, asked: str) -> Answer | None:
        """Growth, the change or last year's figure (`asked`: "growth", "diff" or "previous")
        from what the narrative states about last year and the change."""
        growth = asked == "growth"
        text = ctx.reading.normalised
        # "上一年（2018年）的部门预算收入": the year asked names no item (上年结转 does).
        subject = re.sub(r"(上一?年|去年|前一年)(?!结转|结余)", "", COMPARISON.sub("", text))
        if asked == "previous" and ctx.doc.year:
            # "（2016年度部门支出预算安排为8,648.07万元）": the figure printed for last year.
            stated, score = self._best_fact(ctx, subject, unit="money",
                                            year=ctx.doc.year - 1)
            if stated is not None and score >= CLEAR_FACT_MATCH:
                label = f"{ctx.doc.year - 1}年{fact_label(stated, subject)}"
                return compose.quoted(ctx.reading.question, ctx.doc.id,
                                      fact_operand(stated, label), [])
        change, change_score = self._best_fact(ctx, subject, kinds=("change", "level"),
                                               unit="money")
        previous, previous_score = self._best_fact(ctx, subject, kinds=("previous",),
                                                   unit="money")
        # A change's sentence must name the item in one piece ("收入总计" is not the 收入 and
        # 总计 of "其他资金收入预算总计…增加9.45万元").
        terms = key_terms(subject)
        least = 3 if len(terms) >= 4 else max(2, len(terms) - 1)
        if change is not None and change_score < CLEAR_FACT_MATCH \
                and longest_shared(terms, said_terms(change.lead + change.local), 2) < least:
            change, change_score = None, 0.0
        if previous is not None and previous_score < CLEAR_FACT_MATCH \
                and longest_shared(terms, said_terms(previous.subject), 2) < least:
            previous, previous_score = None, 0.0
        if previous is not None and previous_score >= max(change_score, MIN_FACT_MATCH):
            current, _ = self._current_for(ctx, subject, previous)
            if current is None:
                return None
            prev = fact_operand(previous, f"上年{current.label}")
            if asked == "previous":  # the figure the narrative prints for last year itself
                return compose.quoted(ctx.reading.question, ctx.doc.id, prev, [])
            result = ops.growth(current, prev) if growth else ops.difference(current, prev)
            if not growth and re.search(r"减少|下降|(?<!多)少", text):  # not the 少 of 多少
                result = ops.difference(prev, current)
            return compose.computed(ctx.reading.question, ctx.doc.id, result,
                                    "growth" if growth else "diff")
        if change is None or change_score < MIN_FACT_MATCH:
            return None
        current, _ = self._current_for(ctx, subject, change)
        if growth and (current is None or current.citation.text != change.sentence):
            # A change and a figure from two places need not be one item's: the rate the
            # change's sentence prints ("比上年增加285553万元，增长25.3%") is the answer.
            rate = next((f for f in ctx.facts if f.sentence == change.sentence and f.unit == "%"
                         and f.passage == change.passage and len(f.local) > len(change.local)
                         and re.search(r"增长|下降|增加|减少|降低", f.clause)), None)
            return None if rate is None else compose.quoted(
                ctx.reading.question, ctx.doc.id,
                fact_operand(rate, f"{fact_label(change, subject)}比上年增长"), [])
        if current is None:
            return None
        delta = fact_operand(change, f"{current.label}比上年增减")
        if _amount(current) < _amount(delta):
            return None  # last year's figure would be below zero: the change is another item's
        if growth:
            result = ops.growth_from_change(current, delta)
            return compose.computed(ctx.reading.question, ctx.doc.id, result, "growth")
        if ctx.reading.operation == "diff" or re.search(r"(减少|增加|下降|增长|增减|变动|少|多|涨|降)了?多少",
                                                          text):
            # A difference asked ("…比去年多了还是少了，差多少") is the change itself.
            return compose.changed(ctx.reading.question, ctx.doc.id, current.label, delta)
        result = ops.previous_from_change(current, delta)
        return compose.computed(ctx.reading.question, ctx.doc.id, result, "previous")

    def _current_for(self, ctx: Context, subject: str, fact: Fact
                     ) -> tuple[Operand | None, list[Candidate]]:
        """This year's figure that a change statement refers to: the amount stated just
        before the change in the same sentence, else the figure the subject names."""
        same_sentence = [f for f in ctx.facts if f.sentence == fact.sentence and f.kind == "amount"
                         and f.unit == fact.unit and f.passage == fact.passage
                         and _stated_year(f) in (None, ctx.doc.year)]
        # "2023年当年预算执行数为X万元，2024年预算安排Y万元": this year's figure may follow.
        planned = [f for f in same_sentence if re.search(r"(预算安排|安排|预算数为|预算为)$", f.local)]
        before = [f for f in same_sentence if len(f.local) < len(fact.local)]
        actual = [f for f in before if re.search(STATED_MEASURES["决算"], f.clause)]
        if ctx.view.final and actual:
            # A final account's "调整后预算为X，实际完成Y，比上年增加Z": Z is Y's change.
            return fact_operand(actual[-1], fact_label(actual[-1], subject)), []
        if planned or before:
            # "收入19230.18万元，其中一般公共预算拨款18417.70万元、事业收入812.48万元…其中一般
            # 公共预算财政拨款增加2781.90万元": the amount the change's own words name, else the
            # nearest before it.
            named = key_terms(COMPARISON.sub("", strip_numbering(fact.clause)))
            amount = max(reversed(planned or before),
                         key=lambda f: longest_shared(named, key_terms(f.clause), 2))
            asked = key_terms(subject)
            items = [m.text for m in ctx.view.mentions(norm(amount.clause)) if m.rows or m.columns]
            if items and len(asked) >= 3 and not longest_shared(asked, key_terms(amount.clause), 2) \
                    and not any(longest_shared(asked, i, 2) for i in items):
                # "三公经费预算支出中因公出国（境）费支出160万元，比上年减少10万元": the change
                # of a part the sentence names, not of the 三公经费 asked.
                return None, []
            return fact_operand(amount, fact_label(amount, subject)), []
        return self._operand(ctx, subject)

    @staticmethod
    def _sum_body(text: str, wording: str = "") -> tuple[str, str, list[str]]:
        """The piece of a sum question naming its parts, its scope, and the parts (`wording`:
        the question as read, its commas kept)."""
        # "离退休的钱一共多少 行政单位和事业单位离退休加起来": the parts may stand in any
        # piece between the sum words.
        pieces = [p for p in re.split(SUM_WORDS, text) if p]
        body = next((p for p in pieces if len(AND_WORDS.split(p[len(context_prefix(p)):])) > 1),
                    pieces[0] if pieces else text)
        first = norm(re.split(r"[，,]", wording)[0]) if wording else body
        if first != body and body.startswith(first) \
                and len(AND_WORDS.split(first[len(context_prefix(first)):])) > 1:
            # "在职人员经费加公用经费，养人和维持运转的钱一共多少": the clause after the
            # comma says the same parts again in the asker's words.
            body = first
        context = context_prefix(body)
        return body, context, [p for p in AND_WORDS.split(body[len(context):]) if p]

    @staticmethod
    def _printed_parts(ctx: Context, text: str) -> list[str]:
        """The parts `text` names joined by 和/与/、…, where a name the document prints with
        such a word inside (商品和服务支出) stays one part."""
        pieces = AND_WORDS_KEPT.split(text)
        parts: list[str] = []
        at = 0
        while at < len(pieces):
            part = pieces[at]
            # Glue on the next piece while the longer name is printed and reads as one name
            # (和/与/及 inside, ending as names of figures end; 、 only ever lists).
            while at + 2 < len(pieces) and pieces[at + 1] in ("和", "与", "及") \
                    and (_printed_name(ctx, part + pieces[at + 1] + pieces[at + 2]) or any(
                        # "一般公共预算里的商品和服务支出": a row's label may start inside
                        # the piece before the 和 (at least two of its characters).
                        ctx.view.in_a_label(norm(part[start:] + pieces[at + 1] + pieces[at + 2]))
                        and NAME_END.search(pieces[at + 2])
                        for start in range(1, len(part) - 1))):
                part += pieces[at + 1] + pieces[at + 2]
                at += 2
            if part:
                parts.append(part)
            at += 2
        return parts

    def _names_several(self, ctx: Context) -> bool:
        """Whether a sum question names two or more parts that are not one printed label."""
        body, context, parts = self._sum_body(ctx.reading.normalised, ctx.reading.wording)
        parts = self._printed_parts(ctx, body[len(context):]) if len(parts) > 1 else parts
        return len(parts) > 1 and not ctx.view.in_a_label(norm(body[len(context):]))

    @staticmethod
    def _one_printed_row(ctx: Context, body: str) -> bool:
        """Whether the names a sum joins are one printed row: the whole body, or the words on
        both sides of its one 和/与/及 ("自治区给市县的税收返还和转移支付" — the row prints
        "…对市县税收返还和转移支付"), at least three characters each."""
        joined = norm(body)
        if ctx.view.in_a_label(joined):
            return True
        sides = re.split(r"(和|与|及)", joined)
        if len(sides) != 3:
            return False
        left, word, right = sides
        right = re.sub(r"(是|为|的|有)?$", "", right)
        return len(left) >= 3 and len(right) >= 3 and ctx.view.in_a_label(left[-3:] + word + right)

    def _sum(self, ctx: Context) -> Answer | None:
        # "城镇职工和居民两项基本医疗保险基金收入": the count of parts names no part.
        body, context, parts = self._sum_body(PARTS_COUNT.sub("", ctx.reading.normalised),
                                              PARTS_COUNT.sub("", ctx.reading.wording))
        listed = places_and_measure(body[len(context):])
        if listed is not None:
            # "新华区、卫东区…的税收返还和转移支付": the measure is taken of each place.
            operands = [self._operand(ctx, context + place + listed[1])[0] for place in listed[0]]
            if all(operands) and len({(o.citation, o.value) for o in operands}) == len(operands):
                return compose.computed(ctx.reading.question, ctx.doc.id, ops.total(operands), "sum")
        parts = self._printed_parts(ctx, body[len(context):]) if len(parts) > 1 else parts
        if len(parts) < 2:
            # "医疗方面的三项支出（A、B、C）" — the parts are in the parentheses.
            inner = re.search(r"\((.+?)\)", body)
            parts = [p for p in AND_WORDS.split(inner.group(1))] if inner else parts
        if len(parts) < 2:
            # "水费电费一共多少": names of rows that follow each other with no word between.
            named = [m for m in ctx.view.mentions(body) if m.rows]
            if len(named) >= 2 and all(a.end == b.start for a, b in zip(named, named[1:])):
                parts = [m.text for m in named]
        if len(parts) >= 2 and self._one_printed_row(ctx, body[len(context):]):
            return None  # "税收返还和转移支付" is one printed row: quote it (the lookup)
        shared = re.search(r"的?(全年预算|年初预算|调整预算|预算数|决算数|执行数)$", parts[-1]) \
            if len(parts) >= 2 else None
        if shared and len(parts[-1]) - len(shared.group(0)) >= 2:
            # "住房公积金和购房补贴的全年预算合计": the measure named last is each part's.
            parts = [p if p.endswith(shared.group(1)) else p + shared.group(1) for p in parts[:-1]] \
                + [parts[-1][:shared.start()] + shared.group(1)]
        if len(parts) < 2:
            # "四个季度用款计划合计": the narrative lists the parts in one sentence.
            operands = self._listed_parts(ctx, body)
        elif (listed := self._listed_in_scope(ctx, context, parts)) is not None:
            operands = list(listed)
        else:
            operands = []
            for i, part in enumerate(parts):
                operand = self._part(ctx, context, part, parts[i - 1] if i else "",
                                     parts[i + 1] if i + 1 < len(parts) else "")
                if operand is None:
                    return None
                operands.append(operand)
        if len(operands) < 2 or len({(o.citation, o.value) for o in operands}) < len(operands):
            return None  # two parts read as one figure: a misreading, not a sum
        if len({o.label for o in operands}) < len(operands) and len(parts) == len(operands):
            # Two narrative figures each called "全年预算": named by the parts asked.
            operands = [replace(o, label=part) for o, part in zip(operands, parts)]
        return compose.computed(ctx.reading.question, ctx.doc.id, ops.total(operands), "sum")

    def _part(self, ctx: Context, context: str, part: str, before: str, after: str
              ) -> Operand | None:
        """One part of a sum; a short part shares the head of the part before it ("地方政府
        债务还本和付息": 付息 is 地方政府债务付息) or the tail of the part after it ("行政单位和
        事业单位离退休": 行政单位 is 行政单位离退休)."""
        operand, _ = self._operand(ctx, context + part)
        if operand is not None:
            return operand
        tries = [before[:k] + part for k in range(len(before) - 1, 1, -1)]
        tries += [part + after[k:] for k in range(1, len(after) - 1)]
        for text in tries:
            operand, _ = self._operand(ctx, context + text)
            names = norm(operand.label + operand.citation.row + operand.citation.column) \
                if operand is not None else ""
            if operand is not None and norm(part) in names:
                return operand
        return None

    def _listed_parts(self, ctx: Context, text: str) -> list[Operand]:
        """Figures one sentence lists under the same name but for their ordinal ("第一季度
        用款计划…，第二季度用款计划…"), when the question names that name."""
        best, score = self._best_fact(ctx, text)
        if best is None:
            return []
        name = ORDINAL.sub("", best.clause)
        if score < MIN_FACT_MATCH and norm(name) not in text:
            return []  # the question must name the listed item ("季度用款计划") itself
        siblings = [f for f in ctx.facts if f.sentence == best.sentence and f.kind == "amount"
                    and f.unit == best.unit and ORDINAL.sub("", f.clause) == name
                    and ORDINAL.search(f.clause)]
        return [fact_operand(f, norm(f.clause)) for f in siblings] if len(siblings) > 1 else []

    def _rank(self, ctx: Context) -> Answer | None:
        text = ctx.reading.normalised
        scope = re.split(r"哪|最", text)[0]
        if WHICH_UNIT.search(text):
            operands = self._unit_operands(ctx, text)
        elif not ctx.view.tables and (coded := self._coded_items(ctx, text)):
            operands = coded  # a write-up without tables lists the classification's items
        elif len(by_column := self._column_ranked(ctx, scope, text)) >= 2:
            operands = by_column
        elif len(key_terms(scope)) >= 3 and not any(m.rows for m in ctx.view.mentions(scope)) \
                and (listed := self._listed_amounts(ctx, scope)):
            # "贸易高质量发展专项里哪一块最多": the write-up lists the parts (其中 A…, B…).
            operands = listed
        else:
            rows = self._rank_rows(ctx, text)
            rows = [r for r in rows if r.primary() is not None and r.primary().value is not None]
            # The whole being divided ("全州一般公共预算支出") is not one of its items.
            rows = [r for r in rows if len(norm(r.label)) < 4 or norm(r.label) not in scope]
            operands = [cell_operand(Candidate(r, r.primary(), 0.0, Mention(0, 0, r.label)))
                        for r in rows]
        place = ctx.reading.place or 1
        if len(operands) < max(2, place):
            return None
        if len({"money" if o.unit in ops.MONEY else o.unit for o in operands}) > 1:
            return None  # 篇, 人次 and 万元 of a target table are not ranked against each other
        best, result = ops.rank(operands, largest=ctx.reading.largest, place=place)
        return compose.ranked(ctx.reading.question, ctx.doc.id, best, result)

    def _coded_items(self, ctx: Context, text: str) -> list[Operand]:
        """The items of the classification a ranking names, as a narrative lists them with
        their 科目编码 ("（1）行政运行（2010401）2740.23万元", "机关工资福利支出（501）…"):
        功能分类 items by their seven-digit codes, 经济分类 items by their three-digit ones,
        one list (one passage) — the 政府 classification's (5xx) when the question says 政府."""
        functional = re.search(r"功能分类", text)
        if not functional and not re.search(r"经济分类", text):
            return []
        code = re.compile(r"[（(](\d{7})[)）]" if functional else r"[（(]([35]\d{2})[)）]")
        lists: dict[object, list[Fact]] = {}
        for fact in ctx.facts:
            if fact.kind == "amount" and fact.unit in ops.MONEY and code.search(fact.clause):
                # 功能分类 items are numbered paragraphs of one section, which may run on over
                # a page break; 经济分类 items one sentence's list ("其中：…（501）…（502）").
                key = fact.passage.section if functional else (
                    fact.passage.page, fact.passage.section, fact.passage.index)
                lists.setdefault(key, []).append(fact)
        if not functional:
            wanted = "5" if "政府" in text else "3"
            lists = {k: v for k, v in lists.items()
                     if sum(code.search(f.clause).group(1).startswith(wanted) for f in v) * 2 > len(v)}
        if not lists:
            return []
        chosen = max(lists.values(), key=len)
        # Named without the list's numbering ("（1）") and the code.
        return [fact_operand(f, norm(re.sub(r"^[（(]\d+[)）]|[（(]\d+[)）]$", "", f.clause)))
                for f in chosen]

    def _column_ranked(self, ctx: Context, scope: str, text: str) -> list[Operand]:
        """Items a heading names as a column, not a row: "三公经费三项里哪项最多" ranks the
        columns under the heading 三公经费 on its table's total row; "公用经费的各项明细里哪一
        项" ranks the items (rows without parts) with a figure in the 公用经费 column."""
        mentions = ctx.view.mentions(scope)
        if any(not r.is_total for m in mentions for r in m.rows):
            return []  # a row is named: its parts are rows (see _rank_rows)
        if re.search(r"(经济|功能)分类", text):
            return []  # "按经济分类看哪一项": a classification's items are rows
        for mention in reversed(mentions):
            if not mention.columns:
                continue  # (a row "公用经费合计" totals the column: the name is the column's)
            table_id, column = mention.columns[0]
            rows = ctx.view.tables[table_id]
            heading = column.split("/")[0]
            under = [c for c in dict.fromkeys(c.column for r in rows for c in r.cells)
                     if c.startswith(heading + "/") and c != column]
            total = ctx.view.total_row(table_id)
            # Only a heading named ranks its columns; a column named by its own last part
            # ("项目支出" of 支出预算/项目支出) ranks the rows by it.
            if under and total is not None and mention.text in norm(heading):
                # Each item once: a grouped item by its 小计, never its own parts.
                items = {}
                for name in under:
                    parts = name.split("/")
                    if len(parts) == 2 or (len(parts) == 3 and is_generic(parts[2])):
                        items.setdefault(parts[1], name)
                cells = [total.cell(name) for name in items.values()]
                return [cell_operand(Candidate(total, c, 0.0, mention)) for c in cells
                        if c is not None and c.value is not None]
            if "项目" in text[len(scope):]:
                return []  # "项目支出中哪个项目": projects, not the rows of a 项目支出 column
            leaves = [r for r in rows if not r.is_total and not ctx.view.children(r)
                      and r.cell(column) is not None and r.cell(column).value is not None]
            return [cell_operand(Candidate(r, r.cell(column), 0.0, mention)) for r in leaves]
        return []

    def _listed_amounts(self, ctx: Context, scope: str) -> list[Operand]:
        """The amounts a sentence lists after 其中 about what `scope` names."""
        best, score = self._best_fact(ctx, scope)
        if best is None or score < MIN_FACT_MATCH:
            return []
        listed = [f for f in ctx.facts if f.sentence == best.sentence and f.kind == "amount"
                  and f.unit in ops.MONEY and "其中" in f.local
                  and not re.search(r"合计|共计|总计", f.clause)]
        if any(len(norm(f.clause)) >= 4 and re.sub(r"^其中", "", norm(f.clause)) in scope
               for f in listed):
            return []  # the sentence lists the asked whole beside its siblings, not its parts
        return ([fact_operand(f, re.sub(r"^其中", "", norm(f.clause))) for f in listed]
                if len(listed) > 1 else [])

    def _unit_operands(self, ctx: Context, text: str) -> list[Operand]:
        """"哪个单位的三公经费最多": the units' rows of the table holding the named figure,
        each in the named column (not the department row they add up to)."""
        best: list[Operand] = []
        places = [(p, m) for m in ctx.view.mentions(text)
                  for p in list(m.columns) + [(t, None) for t in m.tables]]
        if not places:  # "哪个单位的收入最少": the table the question's words point to
            cued = {k for word, kinds in TABLE_CUES if word in text for k in kinds}
            places = [((t, None), Mention(0, 0, "")) for t, rows in ctx.view.tables.items()
                      if rows[0].table_kind in cued]
        # "哪个县市拿得最多" ranks places, "哪个单位" organisations.
        asked = WHICH_UNIT.search(text)
        kind = PLACE if asked and asked.group(2) not in ("单位", "部门", "机构") else ORGANISATION
        for (table_id, column), mention in places:
            rows = [r for r in ctx.view.tables[table_id]
                    if not r.is_total and (kind.search(norm(r.label)) or r.label.endswith("本级"))
                    and not (r.level == 1 and ctx.view.children(r))]
            cells = [(r, r.cell(column) if column else r.primary()) for r in rows]
            found = [cell_operand(Candidate(r, c, 0.0, mention)) for r, c in cells
                     if c is not None and c.value is not None]
            if len(found) > len(best):
                best = found
        return best

    def _rank_rows(self, ctx: Context, text: str):
        view = ctx.view
        level_word = re.search(r"(?:哪一?|各|按)(类|款|项)|(类|款|项)级", text)
        scope = re.split(r"哪|最", text)[0]
        mentions = [m for m in view.mentions(scope) if m.rows]
        # "X下的各项 / X中 / X里": the children of the last row named before the question word.
        for mention in reversed(mentions):
            ranked = sorted(candidates(view, text, mention, []), key=lambda c: -c.score)
            for cand in ranked:
                if cand.row.is_total:
                    break  # a table's total names the table, not a parent: rank its items below
                children = view.children(cand.row)
                if len(children) >= 2:
                    return children
            qualified = [r for r in view.rows if any(mention.text in norm(v) for _, v in r.qualifiers)
                         and not r.is_total]
            if len(qualified) >= 2:
                by_table: dict[str, list] = {}
                for row in qualified:
                    by_table.setdefault(row.table_id, []).append(row)
                return max(by_table.values(),
                           key=lambda rs: table_fit(text, rs[0]) * 100 + len(rs))
        # "哪一类支出": rows of one level in the best-fitting table.
        level = LEVEL_WORDS.get(level_word.group(1) or level_word.group(2)) if level_word else None
        if level is None and re.search(r"大类|哪一?块|哪(个|些|一)?(方面|领域)", text):
            level = 1  # "哪个功能大类 / 哪块花钱最多": the broad areas, i.e. the 类
        # "机关运行经费里哪一项": a scope naming a table (by its kind or title) ranks that
        # table's items.
        named = [t for m in view.mentions(scope) if not m.rows for t in m.tables] \
            + view.tables_named_in(scope)
        for table_id in named:
            items = [r for r in view.tables[table_id] if not r.is_total]
            # "哪一项" is any item to most askers; the 项 level only where the table has one.
            at_level = [r for r in items if level and r.level == level]
            rows = at_level if len(at_level) >= 2 else [r for r in items if not view.children(r)]
            if len(rows) >= 2:
                return rows
        best_rows: list = []
        best_fit = -1.0
        for table_id, rows in view.tables.items():
            chosen = [r for r in rows if not r.is_total and (r.level == level if level else
                                                            r.level and not view.children(r))]
            if len(chosen) < 2 and level == 3 and level_word and level_word.group(1):
                # "哪一项" of a table without a 项 level (经济分类: 类 and 款) is its items.
                chosen = [r for r in rows if not r.is_total and r.level and not view.children(r)]
            chosen = one_block(chosen, text)
            if len(chosen) < 2:
                continue
            fit = table_fit(text, rows[0])
            if fit > best_fit:
                best_rows, best_fit = chosen, fit
        return best_rows

    def _text(self, ctx: Context) -> Answer | None:
        hits = self.index.search(ctx.reading.wording, k=8, doc_ids=list(ctx.files or (ctx.doc.id,)))
        if not hits:
            return None
        passages = [h.passage for h in hits]
        quoted_terms = key_terms(ctx.reading.wording)
        stated = [n for n in re.findall(r"\d+(?:\.\d+)?", ctx.reading.normalised)
                  if not re.fullmatch(r"20\d{2}", n)]
        if stated:
            # "为什么增加了398.4万元": the passage that prints the figure explains it.
            passages.sort(key=lambda p: not all(n in p.text.replace(",", "") for n in stated))
        # "…增加的主要原因是什么" asks a reason, not what a term means.
        term = None if re.search(r"原因|为什么|为何|为啥", ctx.reading.normalised) \
            else DEFINED.search(ctx.reading.normalised)
        if term:
            # "什么是X": the passage that defines X ("X：是指…") beats one that only uses X.
            quoted = QUOTED_TERM.search(unicodedata.normalize("NFKC", ctx.reading.question))
            name = quoted.group(1) if quoted else next(g for g in term.groups() if g)
            # "办公室的主要职能是什么": the term is the last of its "的" pieces, and a
            # heading ("（一）主要职能") names it as well as the text does.
            named = {norm(name), norm(name).split("的")[-1]} - {""}
            # Sections headed by the term are its answer even when retrieval missed them.
            passages += [p for d in (ctx.files or (ctx.doc.id,)) for p in self.store.passages(d)
                         if p not in passages and p.text.strip()
                         and any(n in norm(p.section.split(" > ")[-1]) for n in named)]
            if len(name) <= 12 and not any(n in norm(p.section + p.text) for n in named for p in passages):
                return None  # no retrieved passage so much as names the term it defines
            defining = re.compile(re.escape(name) + r"\s*[:：]|" + re.escape(name) + r"\s*(是指|指)")
            # A passage that defines the term; else a section headed by it ("（一）主要职能"),
            # read from its start; else the passages as retrieved.
            defines = [p for p in passages if defining.search(unicodedata.normalize("NFKC", p.text))]
            headed = sorted((p for p in passages
                             if any(n in norm(p.section.split(" > ")[-1]) for n in named)),
                            key=lambda p: p.index)
            passages = defines + [p for p in passages if p not in defines] if defines else \
                headed or passages
        elif REASON_ASKED.search(ctx.reading.normalised) and not stated:
            # "培训费为啥比上年少了": the passage giving a reason right after naming the item
            # ("培训费预算支出700万元，本年数小于上年预算数220万元，主要原因是…"), searched in
            # the whole document since retrieval may rank a general passage higher.
            item = key_terms(REASON_ASKED.sub("", COMPARISON.sub("", ctx.reading.normalised)))
            if len(item) >= 2:
                pool = passages + [p for d in (ctx.files or (ctx.doc.id,))
                                   for p in self.store.passages(d) if p not in passages]
                fits = {id(p): _reason_fit(p.text, item) for p in pool}
                least = min(len(item), 3)
                explaining = sorted((p for p in pool if fits[id(p)][0] >= least),
                                    key=lambda p: fits[id(p)], reverse=True)
                # Retrieval's first passage stays first when it names the item as fully.
                if explaining and fits[id(passages[0])][0] < fits[id(explaining[0])][0]:
                    passages = explaining + [p for p in passages if p not in explaining]
                    quoted_terms = item  # the quote, too, is chosen for the item
        else:
            # What kind of answer is asked for (a reason, a place, a use, a duty) is written
            # with its own words; among the retrieved passages, those that use them come first.
            asked = [(ask, answer) for ask, answer in ANSWER_CUES
                     if ask.search(ctx.reading.normalised)]
            cues = [answer for _, answer in asked]
            if cues:  # a cue lifts a passage a few places, not over a far better match
                order = {id(p): i - (CUE_LIFT if any(c.search(p.text) for c in cues) else 0)
                         for i, p in enumerate(passages)}
                item = ctx.reading.normalised
                for ask, _ in asked:
                    item = ask.sub("", item)
                item = key_terms(item)
                # A sentence that names the item whole and then gives the cue ("…服务中心新建
                # 工程，位于…") answers it, wherever retrieval ranked its passage.
                least = min(len(item), 4)
                for i, p in enumerate(passages):
                    if least >= 2 and not stated and any(_cue_fit(p.text, item, c) >= least for c in cues):
                        order[id(p)] = i - len(passages) - CUE_LIFT
                passages.sort(key=lambda p: order[id(p)])
        cue = next((answer for ask, answer in ANSWER_CUES if ask.search(ctx.reading.normalised)),
                   None)
        return compose.quoted_passages(ctx.reading.question, ctx.doc.id, passages[:3],
                                       quoted_terms, cue)


