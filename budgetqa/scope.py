"""Which document a chat question is about: the one it names, else the one the page has chosen.

The page's document picker is only the default. A question that names another year of the
same publisher is asked of that year's document; one that names two years is asked with no
document pinned (the library then compares the years); one that names another publisher is
left to the library to resolve. The note says which document was used and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from budgetqa.domain import Document
from qa.question import read_question
from qa.text import longest_shared, norm

# Characters of a publisher's name a question must repeat to name it ("万里街道" → 4).
MIN_PUBLISHER_MATCH = 3


@dataclass(frozen=True)
class Scope:
    """What to ask the library: the question (maybe with the publisher added) and the document
    id, None to let the question name it; `note` is for the reader, "" when nothing changed."""

    question: str
    doc: str | None
    note: str = ""


def scope_question(documents: list[Document], question: str, selected: str | None) -> Scope:
    """The document (or none) a question should be asked of, given the page's selection."""
    chosen = next((d for d in documents if d.id == selected), None)
    if chosen is None:
        return Scope(question, selected)
    reading = read_question(question)
    named = _named_publisher(documents, reading.normalised)
    if named and named != chosen.publisher:
        return Scope(question, None, f"问题指明了“{named}”，已按问题选择该单位的文件")
    years = sorted(set(reading.years))
    if not years or years == [chosen.year]:
        return Scope(question, chosen.id)
    series = {d.year: d for d in documents
              if d.publisher == chosen.publisher and d.kind == chosen.kind}
    if len(years) >= 2:
        asked = question if named else f"{chosen.publisher}{question}"
        listed = "、".join(f"{y}年" for y in years)
        return Scope(asked, None, f"问题比较{listed}，使用{chosen.publisher}各年度的文件")
    other = series.get(years[0])
    if other is None:
        return Scope(question, chosen.id)  # the library says which years this document covers
    return Scope(question, other.id, f"问题问的是{years[0]}年，已改用《{other.title}》")


def _named_publisher(documents: list[Document], normalised: str) -> str | None:
    """The publisher whose name the question repeats most of, if any repeats enough."""
    best, score = None, 0
    for publisher in {d.publisher for d in documents}:
        shared = longest_shared(norm(publisher), normalised)
        if shared > score:
            best, score = publisher, shared
    return best if score >= MIN_PUBLISHER_MATCH else None
