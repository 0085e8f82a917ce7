"""Normalising Chinese budget wording so that questions and printed labels compare."""

from __future__ import annotations

import re

# The normal form is shared with ingest and the audit (ingest.label_text); the synonyms with
# the rest of the question vocabulary (qa.lexicon).
from ingest.label_text import norm, strip_numbering
from qa.lexicon import SYNONYMS

# Words that name no figure by themselves; as mentions they would match any question.
_GENERIC = re.compile(
    r"^(收入|支出|预算数|预算|决算数|金额|合计|总计|小计|本年|上年|项目|科目|科目名称|"
    r"科目编码|单位|万元|元|数|年度|第\d+栏|列\d+|\d+|本年收入|本年支出|栏次|"
    r"功能分类科目|经济分类科目|预算数合计|全年预算数|年初预算数|其他|其中)$")


def is_generic(text: str) -> bool:
    return bool(_GENERIC.match(norm(text)))


def variants(label: str) -> set[str]:
    """The ways a question may name a printed label (all normalised)."""
    base = norm(label)
    out = {base, strip_numbering(base)}
    # 政府采购 tables mark categories with a letter: "货物A", "工程B".
    out.update(re.sub(r"(?<=[\u4e00-\u9fff])[a-z]$", "", form) for form in list(out))
    for form in list(out):
        for suffix in ("合计", "小计", "总计"):
            if form.endswith(suffix) and len(form) > len(suffix) + 1:
                out.add(form[: -len(suffix)])
        if form.endswith("费用"):
            out.add(form[:-1])
        # "置换一般债券发行额" is asked with the verb: "置换一般债券发行了多少".
        if re.search(r"(发行|还本|付息|拨付|下达)额$", form) and len(form) >= 6:
            out.add(form[:-1])
        # Column heads such as "2024年机关运行经费预算数" name a figure asked without the
        # year and the 预算数 suffix.
        core = re.sub(r"^20\d{2}年(度|末)?", "", form)
        core = re.sub(r"(预计执行数|预计数|预算数|决算数|执行数|预算|决算)$", "", core)
        if len(core) >= 4:
            out.add(core)
        # "政府性基金预算支出" is asked as 政府性基金支出; so the other funds' budgets.
        fund = re.sub(r"(政府性基金|国有资本经营|社会保险基金)预算(?=收入|支出)", r"\1", core)
        if fund != core:
            out.add(fund)
        # "财政拨款安排的“三公”经费": the fund that pays names no other item (三公经费).
        paid = re.sub(r"^(财政拨款|一般公共预算(财政)?(拨款)?)(安排|拨款)?的", "", core)
        if paid != core and len(paid) >= 3:
            out.add(paid)
        # "中医（民族）医院" is asked as 中医医院: a qualifier in brackets inside a name.
        bare = re.sub(r"\([^()]{1,6}\)(?=.)", "", form)
        if bare != form and len(bare) >= 4:
            out.add(bare)
        # Government debt rows print "地方政府债务…"; people say "政府债务…".
        if core.startswith("地方政府") and len(core) >= 6:
            out.add(core[2:])
        # "迪庆州本级", "自治区本级" are asked as 州本级, 区本级.
        own_level = re.match(r"^.{1,8}?(省|市|州|县|区|盟)本级$", form)
        if own_level:
            out.add(own_level.group(1) + "本级")
        # Unit names printed with their place ("绍兴市行政审批服务中心") are often asked
        # without it ("行政审批服务中心").
        place = re.match(r"^(.{2,8}?(省|市|区|县))(.{4,})$", form)
        if place:
            out.add(place.group(3))
    for group in SYNONYMS:
        normed = [norm(g) for g in group]
        for form in list(out):
            if form in normed:
                out.update(normed)
    return {v for v in out if len(v) >= 2 and not _GENERIC.match(v)}


def sides_joined(text: str) -> str:
    """A sentence naming both sides of the budget as one ("收入、支出预算总计", "收、支预算
    总计") in a question's wording: 收支预算总计."""
    return re.sub(r"收入?[、和与及]支出?", "收支", text)


def longest_shared(a: str, b: str, shortest: int = 1) -> int:
    """Length of the longest piece of `a` that appears whole in `b` (0 when none is at least
    `shortest` characters long)."""
    # Grown from the shortest size up: a piece of `a` found in `b` has every shorter prefix
    # found too, so only the starts whose piece of one size was found can give one a size
    # longer. Most pairs share nothing: one pass over `a` instead of one per size.
    size = max(shortest, 1)
    starts = [i for i in range(len(a) - size + 1) if a[i:i + size] in b]
    if not starts:
        return 0
    while True:
        longer = [i for i in starts if i + size < len(a) and a[i:i + size + 1] in b]
        if not longer:
            return size
        starts, size = longer, size + 1
