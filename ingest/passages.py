"""Group narrative paragraphs into passages of a quotable size, one section at a time; a
paragraph longer than that size is cut at sentence ends, so no passage is unbounded."""

from __future__ import annotations

from budgetqa.domain import Passage

# Long enough to hold a finding with its reason, short enough to quote in an answer.
TARGET_CHARS = 500
# Where a long paragraph may be cut: after a sentence or clause.
_SENTENCE_ENDS = "。！？；!?;"


def split_long(text: str, limit: int = TARGET_CHARS) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut after the last sentence end in
    each window (or at the limit when a window has none in its second half).

    One pass over the text: a 5 MB one-line paragraph becomes passages of quotable size,
    never a single passage whose embedding or tokenizing takes gigabytes.
    """
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind(mark) for mark in _SENTENCE_ENDS) + 1
        if cut <= limit // 2:
            cut = limit
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


class PassageBuilder:
    """Collects paragraphs under the current section path and cuts passages at paragraph ends."""

    def __init__(self, doc_id: str, target_chars: int = TARGET_CHARS):
        self.doc_id = doc_id
        self.target = target_chars
        self.section = ""
        self._paragraphs: list[str] = []
        self._chars = 0  # characters in _paragraphs, kept so adding costs no re-count
        self._page: int | None = None
        self._passages: list[Passage] = []

    def start_section(self, section: str) -> None:
        self._flush()
        self.section = section

    def add_paragraph(self, text: str, page: int | None) -> None:
        for piece in split_long(text, self.target):
            if self._paragraphs and self._chars + len(piece) > self.target:
                self._flush()
            if not self._paragraphs:
                self._page = page
            self._paragraphs.append(piece)
            self._chars += len(piece)

    def finish(self) -> list[Passage]:
        self._flush()
        return self._passages

    def _flush(self) -> None:
        if self._paragraphs:
            self._passages.append(Passage(
                doc_id=self.doc_id, section=self.section, text="\n".join(self._paragraphs),
                page=self._page, index=len(self._passages)))
        self._paragraphs = []
        self._chars = 0
