"""Normalising printed wording so that labels, narrative clauses and questions compare.

Below calc/ and qa/: narrative fact extraction (ingest.narrative_facts) and the audit
need the same normal form as the router.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# 、 is kept: it separates the items of a list.
_DROP = re.compile(r"[\s“”‘’\"'「」『』《》〈〉:：,，。；;？?！!·]")
_LEVEL_MARK = re.compile(r"\((类|款|项)\)")
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]|[A-Za-z]\b)")


# Labels and clauses are short; a passage may be megabytes and is not worth keeping. Kept:
# at most 32768 texts of at most 200 characters and their normal forms, about 25 MB at worst.
_KEPT_LENGTH = 200


def norm(text: str) -> str:
    """NFKC, no spaces, quotes or punctuation, no (类)/(款)/(项) marks, lower case."""
    text = text or ""
    return _kept_norm(text) if len(text) <= _KEPT_LENGTH else _norm(text)


@lru_cache(maxsize=32768)
def _kept_norm(text: str) -> str:
    # The router normalises the same row labels and fact clauses for every question.
    return _norm(text)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _DROP.sub("", text)
    return _LEVEL_MARK.sub("", text).lower()


def strip_numbering(label: str) -> str:
    """A label without its leading 一、/(一)/1./A numbering."""
    return _NUMBERING.sub("", label)
