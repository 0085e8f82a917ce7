"""Figures stated in the narrative, read out of passages as cited facts.

A fact is a number with its unit and the words before it in the same sentence
("本部门共有车辆 66 辆", "公务接待费预算支出 86.95 万元，比上年预算减少 97 万元"), with what
kind of figure it is (an amount, a change against last year, last year's figure). It sits
below calc/ and qa/: the audit ties these facts to tables, the router answers from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.domain import Passage
from ingest.label_text import norm
from ingest.numbers import parse_amount

UNITS = ("万元", "亿元", "千元", "元", "%", "辆", "个", "台(套)", "台（套）", "台", "套", "家",
         "人次", "批次", "人", "名", "项", "次", "平方米", "户")
# "项目总预算1170.00万，其中…" writes 万元 as 万.
_NUMBER = re.compile(
    r"(?P<number>-?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>" + "|".join(re.escape(u) for u in UNITS)
    + r"|万(?![\u4e00-\u9fff]))")
# Longest paragraph head quoted with a fact.
QUOTE_LIMIT = 300
_SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")
_CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|降低|提高|上升|增|减|节约|压减)了?\s*$")
# "主要原因是基本支出增加人员经费1,408.29万元": a change verb, then the item changed, then
# the figure — the size of a change, not the item's amount.
_VERB_THEN_ITEM = re.compile(r"(增加|减少|增长|下降|降低|压减|节约)了?"
                             r"[\u4e00-\u9fff“”（）()]{2,14}$")
_ITEM = re.compile(r"^\s*(\d{1,2}[、.．]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+、)")
_OPENS_WITH_COMPARISON = re.compile(r"^(与|比|较|同)\s*(上年|去年|上一年|20\d{2}\s*年)")
# "本年数小于上年预算数 40.05 万元": a change against last year stated as a comparison.
_LESS_THAN = re.compile(r"(小于|低于|少于)(上年|去年|上一年)[^，,。；]{0,8}\s*$")
_MORE_THAN = re.compile(r"(大于|高于|多于|超过)(上年|去年|上一年)[^，,。；]{0,8}\s*$")
_AGAINST_BUDGET = re.compile(r"(比|较|与)\s*(年初|调整后?的?)?预算数?(相比)?[^，,。；]{0,4}$")
_DOWN = re.compile(r"(减少|下降|降低|减|节约|压减)了?\s*$")
_COMPARED = re.compile(r"(比|较|与|同)\s*(上年|去年|上一年|20\d{2}\s*年)")
# Last year's figure: "上年预算数为X", or a year's 执行数/决算数 (never this year's budget).
_PREVIOUS_VALUE = re.compile(r"((上年|去年)[^，,。；]{0,16}(执行数|预算数|决算数|预算)|"
                             r"20\d{2}\s*年[^，,。；]{0,16}(执行数|决算数))\s*为?\s*$")


@dataclass(frozen=True)
class Fact:
    """A figure the narrative states, with its subject and the sentence it stands in."""

    # amount, change (signed, vs last year), against_budget (signed, a final figure vs the
    # year's budget), previous (last year's), delta (other), level (a change of 0 stated in
    # words, "与上年持平": the router reads it as a change; the audit's rate rules, which
    # pair a rate with the change before it, do not)
    kind: str
    clause: str  # the words just before the figure, as printed ("公务接待费预算支出")
    subject: str  # the paragraph up to the figure, normalised
    local: str  # the sentence up to the figure, normalised
    value: Decimal
    unit: str
    printed: str
    sentence: str
    passage: Passage
    lead: str = ""  # the sentence before, when this one opens with 与上年相比 (its subject)
    heading: str = ""  # the passage's section path, normalised ("人民调解项目经费情况说明…")
    after: str = ""  # for counts, the words after the unit ("2个预算单位开展…" → 预算单位开展…)
    # Items the figure is the total of, when its clause names several ("“三公”经费及会议费、
    # 培训费预算支出共263.72万元" → 三公经费, 会议费, 培训费预算支出共).
    listed: tuple[str, ...] = ()


def _paragraphs(text: str) -> list[str]:
    """The passage's lines, a line that opens with a comparison ("与上年相比增加…") joined to
    the line before it: the PDF broke one sentence there, and the subject is before the break."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and _OPENS_WITH_COMPARISON.match(line.strip()):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
    return out


def _unit(unit: str) -> str:
    return {"台(套)": "台（套）", "万": "万元"}.get(unit, unit)


def extract_facts(passage: Passage) -> list[Fact]:
    """Every number with a unit in a passage, classified as amount, change or previous.

    A fact's subject is its paragraph up to the figure, so that an enumerated item
    ("22. “…行政单位医疗（项）”142.22万元。2023年当年预算执行数为95.16万元…") keeps its name;
    whether it is a change or last year's figure is read from its own sentence.
    """
    facts: list[Fact] = []
    for paragraph in _paragraphs(passage.text):
        previous_sentence = ""
        first = _SENTENCE.match(paragraph)
        item_head = first.group(0) if first and _ITEM.match(paragraph) else ""
        for sentence_match in _SENTENCE.finditer(paragraph):
            sentence = sentence_match.group(0).strip()
            quoted, lead = sentence, ""
            if item_head and sentence_match.start() > 0:
                # "9、…城乡社区规划与管理（项）。…年初预算为3110.14万元": an enumerated item's
                # first sentence names what every later sentence of the item speaks of.
                lead = item_head
            if _OPENS_WITH_COMPARISON.match(sentence) and previous_sentence:
                # "…基本支出预算数为21968万元。与上年相比增加3397.18万元": the subject is in
                # the sentence before; quote both and match against both.
                lead, quoted = previous_sentence, previous_sentence + sentence
            head = paragraph[: sentence_match.end()].strip()
            if sentence_match.start() > 0 and len(head) <= QUOTE_LIMIT:
                # An enumerated item names its subject in its first sentence: quote from there.
                quoted = head
            previous_sentence = sentence
            for match in _NUMBER.finditer(sentence):
                value = parse_amount(match.group("number").replace("，", ","))
                if value is None:
                    continue
                before = sentence[: match.start()]
                kind = "amount"
                if _LESS_THAN.search(before) or _MORE_THAN.search(before):
                    kind = "change"
                    if _LESS_THAN.search(before):
                        value = -value
                elif _CHANGE_WORD.search(before):
                    # "比上年减少97万元" is a change; "比年初预算数增加1668.14万元" (a final
                    # account) a change against the year's own budget; "项目支出安排减少200万元"
                    # in a list of reasons is a delta of unstated scope.
                    kind = "change" if _COMPARED.search(before) or "上年" in before else \
                        "against_budget" if _AGAINST_BUDGET.search(before) else "delta"
                    if _DOWN.search(before):
                        value = -value
                elif verb_then_item := _VERB_THEN_ITEM.search(before.strip()):
                    kind = "change" if _COMPARED.search(before) else "delta"
                    if _DOWN.match(verb_then_item.group(1)):
                        value = -value
                elif _PREVIOUS_VALUE.search(before):
                    kind = "previous"
                # The section path names project write-ups ("人民调解项目经费情况说明 >
                # 六、年度预算安排" over a bare "795万元").
                subject = passage.section + "：" + paragraph[: sentence_match.start()] + before
                clause = re.split(r"[，,、：:；;]", before)[-1].strip()
                # Counts name what they count after the unit: "共 6 个项目实行绩效目标管理".
                after = ""
                if _unit(match.group("unit")) not in ("万元", "亿元", "千元", "元", "%"):
                    after = re.split(r"[，,。；;：:（(、]", sentence[match.end():])[0]
                local = before + after
                if len(norm(paragraph[: sentence_match.start()] + before)) < 4:
                    local = passage.section.split(" > ")[-1] + local  # a figure under its heading
                named = re.split(r"[，,：:；;。]", before)[-1]
                listed = tuple(n for n in (norm(x) for x in re.split(r"及|、|和|与|以及", named)) if n)
                if any(_NUMBER.search(item) for item in listed[:-1]):
                    # "部级领导干部用车0辆、…、执法执勤用车": items with figures of their own
                    # are a run of figures, not one figure's list of items.
                    listed = ()
                facts.append(Fact(kind=kind, clause=clause, subject=norm(subject + after),
                                  listed=listed if len(listed) > 1 else (),
                                  local=norm(local), lead=norm(lead),
                                  heading=norm(passage.section), after=norm(after), value=value,
                                  unit=_unit(match.group("unit")), printed=match.group(0),
                                  sentence=quoted, passage=passage))
            facts.extend(_level_statement(sentence, quoted, lead, paragraph[: sentence_match.start()],
                                          passage))
        facts.extend(_zero_statements(paragraph, passage))
    return facts


# "…346.30万元，与2024年预算持平": a change of nothing, stated in words.
_LEVEL = re.compile(r"(与|和|同|较|比)\s*(上年|去年|上一年|20\d{2}\s*年)[^，,。；;\d]{0,10}持平")


def _level_statement(sentence: str, quoted: str, lead: str, earlier: str,
                     passage: Passage) -> list[Fact]:
    """A change fact of value 0 for a sentence that says its figure stayed level, in the
    unit of the figure it follows (万元 when it follows none)."""
    found = _LEVEL.search(sentence)
    if found is None:
        return []
    before = sentence[: found.start()]
    figures = list(_NUMBER.finditer(before))
    unit = _unit(figures[-1].group("unit")) if figures else "万元"
    named = before[: figures[-1].start()] if figures else before
    clause = re.split(r"[，,、：:；;]", named.rstrip("，, "))[-1].strip()
    return [Fact(kind="level", clause=clause, subject=norm(passage.section + "：" + earlier + before),
                 local=norm(before + found.group(0)), lead=norm(lead),
                 heading=norm(passage.section), value=Decimal(0), unit=unit,
                 printed=found.group(0), sentence=quoted, passage=passage)]


# "本部门2024年无“三公”经费财政拨款支出" / "没有政府性基金预算拨款安排的支出": a stated nothing;
# also the notes under tables printed empty ("本部门2025年无政府性基金预算财政拨款安排的预算，
# 故本表为空表", "本部门2022年度无国有资本经营预算财政拨款收支", "我单位无2017年政府性基金支出安排").
_NOTHING = re.compile(r"(没有|无)(?:20\d{2}年度?)?(?P<what>[^，。；;,0-9]{2,30}?(支出|经费|收支|收入|车辆|"
                      r"公务用车|项目|预算安排|资金安排|安排的预算))")
_NOTHING_UNIT = {"车辆": "辆", "公务用车": "辆", "项目": "个"}


def _zero_statements(paragraph: str, passage: Passage) -> list[Fact]:
    """Facts of value 0 for what a paragraph says there is none of."""
    out = []
    for match in _NOTHING.finditer(paragraph):
        sentence = next((m.group(0).strip() for m in _SENTENCE.finditer(paragraph)
                         if m.start() <= match.start() < m.end()), match.group(0))
        what = match.group("what")
        unit = next((u for k, u in _NOTHING_UNIT.items() if what.endswith(k)), "万元")
        out.append(Fact(kind="amount", clause=what,
                        subject=norm(passage.section.split(" > ")[-1] + "：" +
                                     paragraph[: match.end()]),
                        local=norm(what), value=Decimal(0), unit=unit, printed=match.group(0),
                        sentence=sentence, passage=passage))
    return out
