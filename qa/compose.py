"""Putting an answer into words: one Chinese sentence, its formula and its citations."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import Answer, Citation, Option, Passage
from calc.operations import MONEY, Operand, Result, display, plain

# Longest passage text quoted in a text answer.
QUOTE_CHARS = 360
# How many shared words a sentence with the answer's cue word (原因 for a why) is worth.
CUE_FIT = 2


def grouped(value) -> str:
    """An amount with thousands separators, as budget tables print it (99,706,020)."""
    text = plain(value)
    whole, dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}{dot}{fraction}"


def amount_text(value, unit: str) -> str:
    """An amount with its unit, and its 万元 equivalent when the table prints 元."""
    text = f"{grouped(value)}{unit}"
    if unit == "元":
        text += f"（合{plain(value / MONEY['万元'])}万元）"
    return text


def _source(operand: Operand) -> str:
    c = operand.citation
    page = f"第{c.page}页" if c.page else ""
    if c.kind == "cell":
        # A table printed without a title is cited by its page alone.
        return f"《{c.table}》{page}" if c.table else f"{page}的表格"
    return f"“{c.section.split(' > ')[-1]}”{page}" if c.section else page


def quoted(question: str, doc: str, operand: Operand, others: list[Operand],
           support: Citation | None = None) -> Answer:
    """A figure quoted as printed; `support` is the narrative sentence stating the same figure."""
    c = operand.citation
    what = operand.label
    if c.kind == "cell" and c.column and c.row and what == c.row and "/" in c.column:
        what = f"{c.row}（{c.column}）"
    text = f"{what}为{amount_text(operand.value, operand.unit)}，见{_source(operand)}。"
    for other in others:
        text += (f"同名项目在{_source(other)}为{amount_text(other.value, other.unit)}"
                 f"（口径不同）。")
    citations = (operand.citation,)
    if support is not None:
        text += f"说明部分{('第' + str(support.page) + '页') if support.page else ''}也写明：{support.text}"
        citations += (support,)
    return Answer(question=question, doc=doc, route="lookup", text=text, value=operand.value,
                  unit=operand.unit, citations=citations)


# "少了多少" asks the size of a decrease, "差多少" (also after "多了还是少了") the size of a gap:
# the amount, its direction in the words.
ASKS_SIZE = re.compile(r"(少|减少|下降|降低|降|压减|节约)(收|花|支|用|拿|给)?了?多少|差(了|距)?多少|相差|差额|差距")


def changed(question: str, doc: str, subject: str, change: Operand, against: str = "上年") -> Answer:
    """A change as the narrative states it (比上年增加/减少 N, or 比年初预算… in a final
    account)."""
    word = "增加" if change.value >= 0 else "减少"
    text = (f"{subject}比{against}{word}{amount_text(abs(change.value), change.unit)}，"
            f"见{_source(change)}。")
    value = abs(change.value) if change.value < 0 and ASKS_SIZE.search(question) else change.value
    return Answer(question=question, doc=doc, route="lookup", text=text, value=value,
                  unit=change.unit, citations=(change.citation,))


_SENTENCES = {
    "share": "{a}占{b}的比重为{v}%",
    "ratio": "{a}是{b}的{v}倍",
    "growth": "{a}比上年{direction}{abs_v}%",
    "relative": "{a}比{b}{higher}{abs_v}%",
    "diff": "{a}与{b}相差{amount}",
    "sum": "{names}合计{amount}",
    "previous": "上年{a}为{amount}",
}


def computed(question: str, doc: str, result: Result, kind: str) -> Answer:
    """A figure computed from cited operands, with its formula."""
    operands = result.operands
    names = "、".join(o.label for o in operands)
    percent_like = result.unit in ("%", "倍")
    value = result.value
    shown_value = display(value) if percent_like else plain(value)
    sentence = _SENTENCES[kind].format(
        a=operands[0].label, b=operands[1].label if len(operands) > 1 else "",
        v=display(value), abs_v=display(abs(value)),
        direction="增长" if value >= 0 else "下降", higher="高" if value >= 0 else "低", names=names,
        amount=amount_text(value, result.unit) if not percent_like else shown_value)
    if kind == "share" and result.label:
        # A share of figures added up names its sides as the result does ("A、B合计占C").
        sentence = f"{result.label}的比重为{display(value)}%"
    if kind == "diff" and value < 0:
        sentence = f"{operands[0].label}比{operands[1].label}少{amount_text(-value, result.unit)}"
    elif kind == "diff":
        sentence = f"{operands[0].label}比{operands[1].label}多{amount_text(value, result.unit)}"
    sources = "；".join(f"{o.label}{grouped(o.value)}{o.unit}见{_source(o)}" for o in operands)
    text = f"{sentence}。（{sources}）"
    stored = Decimal(display(value)) if percent_like else value
    return Answer(question=question, doc=doc, route="calc", text=text, value=stored,
                  unit=result.unit, formula=result.formula,
                  citations=tuple(o.citation for o in operands))


def ranked(question: str, doc: str, best: Operand, result: Result) -> Answer:
    """The largest or smallest of comparable figures, with the comparison."""
    word = result.formula.split("：")[0].replace("最大", "最多").replace("最小", "最少")
    word = word if word.startswith("最") else "排" + word.replace("大", "多").replace("小", "少")
    text = (f"{best.label}{word}，为{amount_text(best.value, best.unit)}，见{_source(best)}。"
            f"比较的项目：{'、'.join(o.label for o in result.operands)}。")
    others = tuple(o.citation for o in result.operands if o is not best)
    return Answer(question=question, doc=doc, route="calc", text=text, value=best.value,
                  unit=best.unit, formula=result.formula,
                  citations=(best.citation,) + others)


def _sentences(text: str) -> list[str]:
    return re.findall(r"[^。；\n]+[。；]?", text)


def _fit(sentence: str, terms: str) -> int:
    """How many of the question's bigrams a sentence contains."""
    return sum(1 for gram in {terms[i:i + 2] for i in range(len(terms) - 1)} if gram in sentence)


def _best_window(text: str, terms: str, cue: re.Pattern | None = None) -> str:
    """The part of a passage around the sentence that shares most wording with the question;
    a sentence with the answer's `cue` word (原因, 位于 …) counts two shared words more."""
    sentences = _sentences(text)
    if not sentences:
        return text[:QUOTE_CHARS]
    best = max(range(len(sentences)), key=lambda i: _fit(sentences[i], terms)
               + (CUE_FIT if cue is not None and cue.search(sentences[i]) else 0))
    start, end = best, best + 1
    while end < len(sentences) and len("".join(sentences[start:end + 1])) <= QUOTE_CHARS:
        end += 1
    while start > 0 and len("".join(sentences[start - 1:end])) <= QUOTE_CHARS:
        start -= 1
    return "".join(sentences[start:end]).strip()


def tidy(text: str) -> str:
    """Text without the spaces PDF extraction puts between Chinese and digits ("2024 年")."""
    return re.sub(r"(?<=[\u4e00-\u9fff\d%，。、：；（）])[ \t]+(?=[\u4e00-\u9fff\d（）])|"
                  r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\d.])", "", text)


def _sentence_fit(text: str, terms: str) -> int:
    """The best fit of any sentence of a passage to the question."""
    return max((_fit(s, terms) for s in _sentences(text)), default=0)


def quoted_passages(question: str, doc: str, passages: list[Passage], terms: str,
                    cue: re.Pattern | None = None) -> Answer:
    """An extractive answer: the passage (among the first retrieved) whose best sentence fits
    the question most, quoted around that sentence (or the one giving the asked `cue`) with
    its section and page."""
    best = max(passages[:3], key=lambda p: _sentence_fit(p.text, terms)
               - 1.5 * passages.index(p))
    quote = tidy(_best_window(best.text, terms, cue))
    page = f"第{best.page}页" if best.page else ""
    text = f"据“{best.section.split(' > ')[-1] if best.section else '正文'}”{page}：{quote}"
    others = [p for p in passages[:2] if p is not best]
    citations = tuple(Citation(kind="passage", doc=p.doc_id, page=p.page, section=p.section,
                               text=tidy(_best_window(p.text, terms, cue) if p is best
                                         else p.text[:200]),
                               ocr=p.ocr)
                      for p in [best] + others[:1])
    return Answer(question=question, doc=doc, route="text", text=text, citations=citations)


def not_stated(question: str, doc: str | None, reason: str, coverage: list[str]) -> Answer:
    """The documents do not say: why, and what they do cover."""
    covered = "、".join(coverage[:8])
    text = f"文件中没有这个问题的答案：{reason}。" + (f"本文件包括：{covered}。" if covered else "")
    return Answer(question=question, doc=doc, route="none", text=text)


def option(answer: Answer, chosen: Operand) -> Option:
    """One reading of an ambiguous question: the figure it rests on and what it gives."""
    c = chosen.citation
    column = f"（{c.column}）" if c.column and "/" in c.column else ""
    wording = f"{_source(chosen)}中的“{c.row}”{column}" if c.kind == "cell" else \
        f"{_source(chosen)}所说的“{chosen.label}”"
    return Option(wording=wording, value=answer.value, unit=answer.unit,
                  citations=answer.citations)


def clarify(question: str, doc: str | None, options: list[Option], reading: dict | None
            ) -> Answer:
    """Route clarify: the question has readings with different figures; the reader chooses."""
    listed = "；".join(
        f"{i}. {o.wording}：{amount_text(o.value, o.unit) if o.unit not in ('%', '倍') else display(o.value) + o.unit}"
        for i, o in enumerate(options, 1))
    text = f"这个问题可以有{len(options)}种理解，得到的数字不同，请问您指的是哪一个？{listed}。"
    return Answer(question=question, doc=doc, route="clarify", text=text,
                  options=tuple(options), reading=reading)


def audited(question: str, doc: str, reports: list) -> Answer:
    """The consistency audit as an answer: how many findings, the main ones with their
    arithmetic, and the cells or sentences each one rests on."""
    from calc.audit import summarise
    from calc.audit_findings import ERROR, UNIT_SLIP

    findings = [f for r in reports for f in r.open]
    serious = [f for f in findings if f.severity in (ERROR, UNIT_SLIP)]
    shown = (serious or findings)[:3]
    citations = tuple(dict.fromkeys(c for f in shown for c in f.operands))
    return Answer(question=question, doc=doc, route="calc", text=summarise(reports),
                  value=Decimal(len(serious)), unit="处",
                  formula="；".join(f.formula for f in shown if f.formula),
                  citations=citations)
