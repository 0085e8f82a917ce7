"""Group narrative paragraphs into passages of a quotable size, one section at a time."""

from __future__ import annotations

from budgetqa.domain import Passage

# Long enough to hold a finding with its reason, short enough to quote in an answer.
TARGET_CHARS = 500


class PassageBuilder:
    """Collects paragraphs under the current section path and cuts passages at paragraph ends."""

    def __init__(self, doc_id: str, target_chars: int = TARGET_CHARS):
        self.doc_id = doc_id
        self.target = target_chars
        self.section = ""
        self._paragraphs: list[str] = []
        self._page: int | None = None
        self._passages: list[Passage] = []

    def start_section(self, section: str) -> None:
        self._flush()
        self.section = section

    def add_paragraph(self, text: str, page: int | None) -> None:
        if self._paragraphs and sum(map(len, self._paragraphs)) + len(text) > self.target:
            self._flush()
        if not self._paragraphs:
            self._page = page
        self._paragraphs.append(text)

    def finish(self) -> list[Passage]:
        self._flush()
        return self._passages

    def _flush(self) -> None:
        if self._paragraphs:
            self._passages.append(Passage(
                doc_id=self.doc_id, section=self.section, text="\n".join(self._paragraphs),
                page=self._page, index=len(self._passages)))
        self._paragraphs = []
