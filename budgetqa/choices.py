"""What a reader can click after an answer that is not one figure: questions the document can
answer (after `none`), and the readings a `clarify` answer offers.

A clarify answer lists its readings as options, each with its wording, value, unit and
citations, already read from the document; choosing one shows that figure as an answer of
its own, with no second trip through the router.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from budgetqa.domain import Answer, Citation
from qa.suggestions import suggest_questions

CHOICES = 3  # two or three choices are read; six are skipped


@dataclass(frozen=True)
class Option:
    """One reading of an ambiguous question, as the answer contract lists it."""

    wording: str
    value: str | None
    unit: str
    citations: tuple[Citation, ...]


def options_of(answer: Answer) -> list[Option]:
    """The readings of a clarify answer ([] for any other answer, or one without options)."""
    if answer.route != "clarify":
        return []
    listed = answer.to_json().get("options") or []
    return [Option(wording=str(o.get("wording") or ""), value=o.get("value"),
                   unit=o.get("unit") or "",
                   citations=tuple(_citation(c) for c in o.get("citations") or ()))
            for o in listed if o.get("wording")]


def option_answer(answer: Answer, option: Option) -> Answer:
    """The chosen reading as an answer: its figure and citations, quoted."""
    try:
        value = Decimal(option.value) if option.value is not None else None
    except InvalidOperation:
        value = None
    shown = f"{option.value}{option.unit}" if option.value is not None else "文件中没有数字"
    return Answer(question=option.wording, doc=answer.doc, route="lookup",
                  text=f"{option.wording}：{shown}。", value=value, unit=option.unit,
                  citations=option.citations)


def questions_to_offer(store, doc_id: str | None, asked: str = "") -> list[str]:
    """Two or three questions the document answers (from its own tables), not the one asked."""
    if not doc_id:
        return []
    return [q for q in suggest_questions(store.parsed_tables(doc_id)) if q != asked][:CHOICES]


def shown_text(answer: Answer) -> str:
    """A none or clarify answer's text without its list of the document's tables: the reader
    is offered questions to click instead."""
    if answer.route not in ("none", "clarify"):
        return answer.text
    return re.sub(r"本文件包括：[^。]*(。|$)", "", answer.text).strip()


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
                    text=data.get("text", ""), bbox=tuple(box) if box else None)
