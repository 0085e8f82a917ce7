"""Normalising printed wording so that labels, narrative clauses and questions compare.

Below calc/ and qa/: narrative fact extraction (ingest.narrative_facts) and the audit
need the same normal form as the router.
"""

from __future__ import annotations

import re
import unicodedata

# 、 is kept: it separates the items of a list.
_DROP = re.compile(r"[\s“”‘’\"'「」『』《》〈〉:：,，。；;？?！!·]")
_LEVEL_MARK = re.compile(r"\((类|款|项)\)")
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]|[A-Za-z]\b)")


def norm(text: str) -> str:
    """NFKC, no spaces, quotes or punctuation, no (类)/(款)/(项) marks, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _DROP.sub("", text)
    return _LEVEL_MARK.sub("", text).lower()


def strip_numbering(label: str) -> str:
    """A label without its leading 一、/(一)/1./A numbering."""
    return _NUMBERING.sub("", label)
