"""Names that contain each other: 增值税 inside 土地增值税, 所得税 inside 企业所得税, and
一般公共预算支出 inside 一般公共预算支出总计.

A question naming 增值税 shares more characters with "土地增值税收入" than with "增值税"
when it says "增值税收入"; counted by shared characters alone, the longer name would win.
A name that puts words of its own before the asked piece names another item when the
document also names that piece on its own; otherwise the longer name is the item's full
name ("地方政府性债务余额" asked as 债务余额).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.text import longest_shared, norm

# Words before a name that say when, where or which part, not what: "2019年市本级…",
# "其中：增值税", "1、增值税".
_LEAD = re.compile(r"^(其中[：:]?|本部门|本单位|20\d{2}年度?|截至20\d{2}年(底|末)?|全[省市区州县]|"
                   r"[省市区州县]?本级|[省市区州县]级|[一二三四五六七八九十\d]+[、.．]|"
                   r"[（(][一二三四五六七八九十\d]+[)）])+")
# Shorter pieces are common words (收入, 支出), not names.
_SHORTEST = 3


@lru_cache(maxsize=16384)
def bare_name(name: str) -> str:
    """`name` without the time, level and numbering words before it (kept: the router takes
    the bare name of every fact's clause for every question)."""
    return _LEAD.sub("", norm(name))


def inside_longer_name(question_terms: str, name: str, names: set[str]) -> bool:
    """Whether `name` holds the question's words only inside a longer name of its own: its
    characters right before the shared piece are not in the question there ("土地" before
    增值税收入, asked as "增值税收入"), and some other name of `names` (bare names, see
    bare_name) is that piece or its head ("增值税" for 增值税收入)."""
    name = bare_name(name)
    size = longest_shared(question_terms, name, shortest=_SHORTEST)
    if not size:
        return False
    total = re.fullmatch(r"(.+?)(总计|合计)", name)
    if total and total.group(1) in question_terms and not re.search(r"总计|合计", question_terms) \
            and total.group(1) in names:
        return True  # "支出总计" (with 上解, 还本) for the 一般公共预算支出 the document also states
    for start in range(1, len(name) - size + 1):
        piece = name[start:start + size]
        at = question_terms.find(piece)
        if at < 0:
            continue
        if not re.match(r"[\u4e00-\u9fff]", name[start - 1]) or (
                at and question_terms[at - 1] == name[start - 1]):
            return False
        return any(other != name and len(other) >= _SHORTEST
                   and piece.startswith(other) for other in names)
    return False
