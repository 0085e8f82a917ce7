"""What a reader can click after an answer that is not one figure: questions the document can
answer (after `none` or `clarify`), and the readings a `clarify` answer offers.

A clarify answer lists its readings as options, each with its wording, value, unit and
citations, already read from the document; choosing one asks the option's own question when it
has one, else shows that figure as an answer of its own, with no second trip through the router.
"""

from __future__ import annotations

import re

from budgetqa.domain import Answer, Citation, Option
from qa.compose import amount_text
from qa.suggestions import suggest_questions

CHOICES = 3  # two or three choices are read; six are skipped


def options_of(answer: Answer) -> list[Option]:
    """The readings of a clarify answer ([] for any other answer)."""
    return list(answer.options) if answer.route == "clarify" else []


def option_answer(answer: Answer, option: Option) -> Answer:
    """The chosen reading as an answer: its figure and citations, quoted."""
    return Answer(question=option.wording, doc=answer.doc, route="lookup",
                  text=f"{option.wording}：{_amount(option)}。",
                  value=option.value, unit=option.unit, citations=option.citations)


def questions_to_offer(store, answer: Answer, doc_id: str | None) -> list[str]:
    """Two or three questions the document answers: the answer's own suggestions, else ones
    drawn from the document's tables; never the question just asked."""
    offered = list(answer.suggestions)
    if not offered and doc_id:
        offered = suggest_questions(store.parsed_tables(doc_id))
    return [q for q in offered if q != answer.question][:CHOICES]


def _amount(option: Option) -> str:
    if option.value is None:
        return "文件中没有数字"
    if option.unit in ("元", "万元", "亿元"):
        return amount_text(option.value, option.unit)
    return f"{format(option.value, 'f')}{option.unit}"


def shown_text(answer: Answer) -> str:
    """A none or clarify answer's text without its list of the document's tables (the reader
    is offered questions to click instead), and saying "文件中没有" once."""
    if answer.route not in ("none", "clarify"):
        return answer.text
    text = re.sub(r"本文件包括：[^。]*(。|$)", "", answer.text).strip()
    return re.sub(r"^文件中没有这个问题的答案：(?=文件中?没有)", "", text)


def answer_from_json(data: dict) -> Answer:
    """An answer object of the contract (as the API sent it) back as an Answer; its citations
    are only what the JSON says, to be matched against the store again."""
    return Answer(question=str(data.get("question") or ""), doc=data.get("doc"),
                  route=str(data.get("route") or ""), text=str(data.get("answer") or ""),
                  unit=data.get("unit") or "", formula=data.get("formula") or "",
                  citations=tuple(_citation(c) for c in data.get("citations") or ()
                                  if isinstance(c, dict)))


def _citation(data: dict) -> Citation:
    box = data.get("bbox")
    return Citation(kind=data.get("kind", "cell"), doc=data.get("doc", ""), page=data.get("page"),
                    table=data.get("table", ""), row=data.get("row", ""),
                    column=data.get("column", ""), value=data.get("value", ""),
                    unit=data.get("unit") or "", section=data.get("section", ""),
                    text=data.get("text", ""), bbox=tuple(box) if box else None,
                    item=data.get("item", ""))
