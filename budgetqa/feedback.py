"""Readers' 👍/👎 on answers, kept with the question and answer, and turned into gold-question
stubs for the eval (the format of ../shared/eval/README.md) so wrong answers become tests.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from budgetqa import settings
from budgetqa.errors import BadQuestion

RATINGS = ("up", "down")
SOURCES = ("widget", "page")
MAX_ANSWER = 200_000  # characters of answer JSON kept; a real answer is a few thousand
MAX_NOTE = 1000


def record_feedback(store, question: str, answer: dict, rating: str, doc: str | None = None,
                    note: str = "", source: str = "widget") -> int:
    """Store one rating; raises BadQuestion for an unknown rating or source, an empty or
    over-long question, or an answer too large to be one. Returns the record's id."""
    if rating not in RATINGS:
        raise BadQuestion(f"rating must be one of {', '.join(RATINGS)}; got {rating!r}",
                          rating=rating)
    if source not in SOURCES:
        raise BadQuestion(f"source must be one of {', '.join(SOURCES)}; got {source!r}",
                          source=source)
    question = (question or "").strip()
    if not question or len(question) > settings.max_question():
        raise BadQuestion("the question is empty or too long", length=len(question))
    text = json.dumps(answer or {}, ensure_ascii=False)
    if len(text) > MAX_ANSWER or len(note or "") > MAX_NOTE:
        raise BadQuestion("the answer or note is too large to be feedback", length=len(text))
    return store.add_feedback({
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "doc_id": doc or answer.get("doc") or "", "question": question, "answer": text,
        "rating": rating, "note": note or "", "source": source})


def gold_stubs(records: list[dict]) -> list[dict]:
    """Gold-question stubs from feedback records: the question and document are known; the
    expected value, unit and evidence are left for a person to fill in from the document."""
    stubs = []
    for record in records:
        answer = json.loads(record["answer"] or "{}")
        stubs.append({
            "id": f"feedback-{record['id']}", "doc": record["doc_id"] or answer.get("doc"),
            "question": record["question"], "category": None, "value": None, "unit": None,
            "contains": [], "cite": [], "none": False,
            "evidence": "TODO: read the document and give the right figure and where it stands",
            "feedback": {"rating": record["rating"], "note": record["note"],
                         "created": record["created"], "answered": answer.get("answer"),
                         "answered_value": answer.get("value"),
                         "answered_unit": answer.get("unit")}})
    return stubs
