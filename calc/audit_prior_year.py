"""Audit rule across two years of one publisher: a change against last year that the
narrative states without last year's figure ("公务接待费预算支出 86.95 万元，比上年预算减少
97 万元", with or without a rate after it) is tied to last year's disclosure, when the
corpus holds it: this year's figure − the figure last year's disclosure states under the
same name = the change.

Pure: Passages in, Findings out; Decimal only. Last year's figure is taken from last year's
narrative (the same clause, publisher and year words stripped) and only when that names
one value; a name last year's narrative states twice with different figures is skipped.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_findings import (MONEY, Finding, Rule,
                                 finding_id, passage_citation, plain, quantum, severity)
from calc.audit_narrative import _label_key, _lead
from ingest.label_text import norm
from ingest.narrative_facts import Fact, extract_facts

RULES = (
    Rule("narrative.prior_year_change",
         "说明中“比上年增加/减少X”：本年数 − 上年公开中同一项目的数字 = X（上年公开已入库时）"),
)

# The change must be against last year's budget (or last year, in a budget): "比上年预算减少",
# "与上年相比增加", "本年数小于上年预算数", "比2023年预算增加" (the year checked below).
_AGAINST = re.compile(r"(比|较|与|同|于)\s*(上年|去年|上一年|(?P<year>20\d{2})\s*年)"
                      r"(\s*[（(][^）)]{0,12}[）)])?(预算数?|相比|年初预算)?")
# Words after a name that say which figure of it is meant ("…预算支出", "…预算为").
_TAIL = re.compile(r"(预算数|预算|支出|安排|为|是|共计|合计|总额|数)$")
_OPENS_WITH_COMPARISON = re.compile(r"^\s*(与|比|较|同)\s*(上年|去年|上一年|20\d{2}\s*年)")
# Clauses naming last year's (执行数) or another measure: not this year's budget figure.
_NOT_THIS_YEAR = re.compile(r"上年|去年|执行|决算|调整|结转|结余|增加|减少|其中|增长|下降")


def _name(fact: Fact, bodies: tuple[str, ...]) -> str:
    """The name a figure is stated under: its clause without numbering, the publisher,
    the year and the trailing 预算/支出 words ("江苏省政协办公厅 2018 年度一般公共预算拨款
    安排的会议费预算支出" → 会议费)."""
    text = _lead(_label_key(fact.clause), bodies)
    for _ in range(4):
        text = _TAIL.sub("", text)
    return text


def _this_year(facts: list[Fact], i: int) -> Fact | None:
    """The amount a change at index i is a change of: the amount just before it in its own
    sentence ("…预算支出 86.95 万元，比上年预算减少 97 万元"), with nothing else between."""
    change = facts[i]
    k = i - 1
    if k < 0:
        return None
    current = facts[k]
    if current.kind != "amount" or current.unit not in MONEY:
        return None
    # "3．住房保障（类）支出 3301.2 万元，主要用于…。与上年相比增加 1178.82 万元": a change
    # opening the next sentence is read with that sentence before it.
    if not change.sentence.startswith(current.sentence):
        return None
    # "X 万元，比上年…": the change follows at once (a clause break and its comparison
    # words), or opens the next sentence ("…X 万元，主要用于…。与上年相比增加 Y 万元").
    pattern = (r"(?<![\d.,])" + re.escape(current.printed)
               + r"(?P<between>(?:[^；;\d]|20\d{2}\s*年){0,40}?)" + re.escape(change.printed))
    m = re.search(pattern, change.sentence)
    if m is None:
        return None
    between = m.group("between")
    if "。" in between and (between.count("。") > 1 or not _OPENS_WITH_COMPARISON.match(
            between.split("。", 1)[1])):
        return None
    if "。" not in between and len(between) > 24:
        return None
    return current


def _last_year_figures(passages: list[Passage], bodies: tuple[str, ...]
                       ) -> dict[str, list[Fact]]:
    """Last year's stated amounts by name."""
    out: dict[str, list[Fact]] = {}
    for passage in passages:
        for fact in extract_facts(passage):
            if fact.kind != "amount" or fact.unit not in MONEY or _NOT_THIS_YEAR.search(
                    fact.clause):
                continue
            name = _name(fact, bodies)
            if len(name) >= 3:
                out.setdefault(name, []).append(fact)
    return out


def _cite(fact: Fact):
    return passage_citation(fact.passage, fact.sentence, fact.printed, fact.unit)


def _quantum(fact: Fact) -> Decimal:
    """One unit of the fact's printed precision, in 元."""
    return quantum(fact.printed.rstrip(fact.unit).strip()) * MONEY[fact.unit]


def check_prior_year_changes(passages: list[Passage], year: int | None,
                             last_year: list[Passage], bodies: tuple[str, ...] = ()
                             ) -> list[Finding]:
    """Changes against last year (neither a rate nor last year's figure in the sentence)
    tied to last year's disclosure: this year's amount − last year's amount of the same
    name = the stated change, within the rounding of the three printed figures.

    passages: this year's narrative; year: this year; last_year: the narrative of the same
    publisher's disclosure of the year before (same kind); bodies: the publisher's names."""
    if not last_year or year is None:
        return []
    bodies = tuple(sorted({norm(b) for b in bodies if b}, key=len, reverse=True))
    previous = _last_year_figures(last_year, bodies)
    out = []
    for passage in passages:
        facts = extract_facts(passage)
        for i, change in enumerate(facts):
            if change.kind != "change" or change.unit not in MONEY:
                continue
            against = _AGAINST.search(change.clause)
            if against is None or (against.group("year") and int(against.group("year")) != year - 1):
                continue
            if "执行" in change.clause or "决算" in change.clause:
                continue  # against last year's outturn, which last year's budget does not print
            if any(f.sentence == change.sentence and f.kind == "previous" for f in facts):
                continue  # last year's figure in the sentence: the stated-rate rules' case
            current = _this_year(facts, i)
            if current is None or _NOT_THIS_YEAR.search(current.clause):
                continue
            name = _name(current, bodies)
            candidates = previous.get(name, [])
            if len({f.value * MONEY[f.unit] for f in candidates}) > 1:
                # Named more than once last year: the figure stated in the same words
                # ("3．公务接待费预算支出", not a 公务接待费 in a list of 基本支出 items).
                words = _lead(_label_key(current.clause), bodies)
                candidates = [f for f in candidates
                              if _lead(_label_key(f.clause), bodies) == words]
            values = {f.value * MONEY[f.unit] for f in candidates}
            if len(name) < 3 or len(values) != 1:
                continue  # last year's narrative names no figure, or several, under this name
            before = candidates[0]
            c, p = current.value * MONEY[current.unit], before.value * MONEY[before.unit]
            x = change.value * MONEY[change.unit]
            expected = c - p
            # A figure printed with fewer places beside figures to the fen ("427.5" beside
            # "384.75") dropped its trailing zeros: the finest precision of the three is
            # taken for all, and three rounded figures may be that many half units apart.
            q = min(_quantum(f) for f in (current, before, change))
            scale = MONEY[change.unit]
            level = severity(x / scale, expected / scale, 3, q / scale)
            if level is None:
                continue
            unit = change.unit
            out.append(Finding(
                id=finding_id("narrative.prior_year_change", passage.doc_id,
                              change.sentence, change.printed),
                rule="narrative.prior_year_change", doc=passage.doc_id, severity=level,
                message=(f"说明称“{name}”比上年变动 {plain(change.value)}{unit}，"
                         f"上年公开为 {plain(before.value)}{before.unit}、本年 "
                         f"{plain(current.value)}{current.unit}，应为 "
                         f"{plain(expected / scale)}{unit}"),
                formula=(f"{plain(current.value)}{current.unit} − {plain(before.value)}"
                         f"{before.unit} = {plain(expected / scale)}{unit}"
                         f"（说明为 {plain(change.value)}{unit}）"),
                expected=expected / scale, found=change.value,
                operands=(_cite(change), _cite(current), _cite(before))))
    return out

