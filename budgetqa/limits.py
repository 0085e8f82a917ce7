"""Limits on what a person sends, checked before any work is done on it.

Every face calls these first: a question is measured and its characters checked before it is
rewritten, parsed or searched, so no later step ever sees unbounded or malformed text.
"""

from __future__ import annotations

import re

from budgetqa import settings
from budgetqa.errors import BadQuestion

# C0/C1 control characters other than tab and line breaks, and lone UTF-16 surrogates (which
# JSON can carry but UTF-8 cannot encode). A character class: the search is linear.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_question(text: str | None, field: str = "question") -> str:
    """The question (or the previous question of a chat) stripped, if it may be worked on.

    Raises BadQuestion when it is empty, longer than BUDGETQA_MAX_QUESTION characters, or
    holds a control character or a lone surrogate. The length is checked first, on the raw
    text, so an over-long question costs nothing more than its length.
    """
    limit = settings.max_question()
    raw = text or ""
    if len(raw) > limit:
        raise BadQuestion(f"the {field} has {len(raw)} characters; the limit is {limit}",
                          field=field, length=len(raw), limit=limit)
    if _FORBIDDEN.search(raw):
        raise BadQuestion(f"the {field} holds a control character or an invalid one; "
                          "type it again as plain text", field=field)
    stripped = raw.strip()
    if not stripped:
        raise BadQuestion(f"the {field} is empty", field=field)
    return stripped
