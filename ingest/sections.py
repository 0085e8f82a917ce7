"""Heading recognition shared by the PDF and the markdown/text ingest.

Chinese budget disclosures number their headings in a fixed hierarchy:

    第一部分 … / 第X部分        level 0
    一、 二、 … 十三、          level 1
    （一） (一)                 level 2
    1. 1、 1． （1） (1)         level 3

`heading_level` answers only from the numbering. Whether a numbered line is a
heading or a numbered paragraph ("（二）支出预算总计 37188.34 万元。包括：") is
a second question, answered by `looks_like_title`. Markdown '#' marks are left
to the caller: their depth is unreliable in the corpus (the Zhejiang text puts
"（一）" under both '##' and '####'), so callers should strip the '#' and ask
`heading_level` about the rest.
"""

from __future__ import annotations

import re

_CN_NUM = "一二三四五六七八九十百零〇"

_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^第[{_CN_NUM}\d]+部分")),
    (1, re.compile(rf"^[{_CN_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]")),
    # An ASCII "." marker must not be a decimal point ("1.5万元"); the full-width
    # "．" never is one ("5．2024年部门…预算表").
    (3, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))")),
    (3, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]")),
)

# Sentence punctuation that a title does not contain: its presence means the
# numbered line is a paragraph that happens to start with a number.
_SENTENCE_MARKS = re.compile(r"[。；;，,：:！？!?]")

TITLE_MAX_CHARS = 40


def _clean(line: str) -> str:
    # Markdown emphasis ("**三、名词解释**") and stray spaces are not part of the title.
    return line.strip().strip("*").strip()


def heading_level(line: str) -> int | None:
    """Level of the numbering that starts `line`, or None when it has none.

    0 for 第X部分, 1 for 一、, 2 for （一）/(一), 3 for 1./1、/1．/（1）.
    Level 0 is a heading too: test the result with `is not None`.
    """
    text = _clean(line)
    for level, pattern in _PATTERNS:
        if pattern.match(text):
            return level
    return None


def strip_numbering(line: str) -> str:
    """The title without its numbering: "十三、国有资产占用情况" -> "国有资产占用情况"."""
    text = _clean(line)
    for _, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            return text[m.end():].strip()
    return text


def looks_like_title(line: str, max_chars: int = TITLE_MAX_CHARS) -> bool:
    """True when `line` reads as a heading rather than a sentence.

    A title is short and carries no sentence punctuation; one final "。" is
    tolerated on very short titles because some tables of contents and
    headings print "一、主要职能。".
    """
    text = _clean(line)
    if not text or len(text) > max_chars:
        return False
    body = text[:-1] if text.endswith("。") and len(text) <= 12 else text
    return not _SENTENCE_MARKS.search(body)


class SectionPath:
    """The current heading path, updated as headings arrive in reading order.

    >>> path = SectionPath()
    >>> path.enter(0, "第三部分 2019 年度部门预算情况说明")
    >>> path.enter(1, "十三、国有资产占用情况")
    >>> str(path)
    '第三部分 2019 年度部门预算情况说明 > 十三、国有资产占用情况'
    >>> path.enter(1, "十四、预算绩效目标设置情况说明")
    >>> str(path)
    '第三部分 2019 年度部门预算情况说明 > 十四、预算绩效目标设置情况说明'
    """

    SEPARATOR = " > "

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        """A heading of `level` closes every open heading of the same or deeper level."""
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, _clean(title)))

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(title for _, title in self._stack)

    @property
    def depth(self) -> int:
        return len(self._stack)

    def __str__(self) -> str:
        return self.SEPARATOR.join(self.titles)
