"""Matching a question against the figures the narrative states.

The facts themselves are read by ingest.narrative_facts (below calc/ and qa/, since the
audit uses them too); this module scores how well a fact fits a question.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.narrative_facts import QUOTE_LIMIT, UNITS, Fact, extract_facts
from qa.text import longest_shared, norm, sides_joined

__all__ = ["QUOTE_LIMIT", "UNITS", "Fact", "extract_facts", "key_terms", "match_score",
           "own_words"]

_STOP = re.compile(r"截[至止]20\d{2}年\d{1,2}月(\d{1,2}日)?|截[至止]|20\d{2}年度?|"
                   r"(根据|按照|按|依据)(20\d{2}年度?)?的?(预算|决算)?说明(推算)?|一共|总共|共计|一起|"
                   r"(多少|几)(个|名|辆|台|人次|人|家|项|套|张|件|次)|百分之几|百分之多少|百分比|"
                   r"比重|比例|占比|几倍|多少倍|倍数|多少钱|是多少|有多少|多少|是几|有几|几|本部门|本单位|该院|该部门|"
                   # The asker naming the publisher or themselves names no figure.
                   r"(这个|这家|该|本|我)(单位|部门|学校|校|院|局|委|办)|学校|我想知道|想知道|"
                   r"(花|用)?的钱|[啊呀呢吗吧嘛]|今年度?|本年度|预算数|预算|万元|元|请问|安排了|安排|的|是|为|"
                   # Not the 有 of 国有, the 共 of 公共, the 中 of 中央/中心/中小企业/中医.
                   r"(?<!国)有|(?<!公)共|其中|中(?![央心小医])")


@lru_cache(maxsize=16384)
def key_terms(question: str) -> str:
    """The question without years, question words, brackets and budget boilerplate (kept:
    the router takes the key terms of every fact's clause for every question)."""
    return re.sub(r"[^\w\u4e00-\u9fff]", "", _STOP.sub("", norm(question)))


@lru_cache(maxsize=16384)
def said_terms(text: str) -> str:
    """The key terms of a fact's own words, both sides of the budget written as one
    ("收入、支出预算总计" → 收支总计), to compare with a question's key terms (kept: the router
    asks it of every narrative figure for every question)."""
    return key_terms(sides_joined(text))


_LISTED_ITEM = re.compile(r"\s*(\d{1,2}[、.．]|[（(]\d{1,2}[）)])[^。；;]{0,40}[（(](款|项)[)）]")
_PREVIOUS_FIGURE = re.compile(r"\d[\d,.]*\s*(?:万元|亿元|元|%)")


@lru_cache(maxsize=65536)
def _bigrams(text: str) -> frozenset[str]:
    # Facts' subjects are matched against every question: worked out once each.
    return frozenset(text[i:i + 2] for i in range(len(text) - 1))


def own_words(fact: Fact) -> str:
    """The words that name a narrative figure: its sentence since the figure before it."""
    return _since_last_figure(fact.local)


@lru_cache(maxsize=8192)
def _since_last_figure(local: str) -> str:
    # Kept by the sentence itself: the router asks it of every fact for every question.
    return _PREVIOUS_FIGURE.split(local)[-1]


def match_score(question_terms: str, fact: Fact) -> float:
    """How well a fact's subject fits the question's key terms, from 0 to 1.

    Bigrams found in the fact's own sentence count double, those only elsewhere in its
    paragraph once; the longest piece of the question found whole in the subject
    separates items that share words ("其他城乡社区支出" vs "其他城乡社区管理事务支出").
    """
    if len(question_terms) <= 3:
        # Few words left ("辆车"): compare characters, since order varies ("车辆").
        chars = set(question_terms)
        if not chars:
            return 0.0
        hits = sum(2.0 if c in fact.local else 1.0 if c in fact.subject else 0.0 for c in chars)
        # "培训费" is not the 263.72 that "“三公”经费及会议费、培训费预算支出共" totals.
        total = re.search(r"(共|合计|总计)$", fact.clause)
        return 0.8 * hits / (2.0 * len(chars)) * (_listed_fit(question_terms, fact) if total else 1.0)
    wanted = _bigrams(question_terms)
    # "收入、支出预算总计" and "收、支预算总计" are the 收支预算总计 a question names.
    local, lead, paragraph = (_bigrams(sides_joined(t)) for t in (fact.local, fact.lead, fact.subject))
    # "1．住房改革支出（款）住房公积金（项）支出…" under the heading "（三）住房保障支出": an
    # item listed by its own 款/项 name is not what its heading names.
    heading = frozenset() if _LISTED_ITEM.match(fact.sentence) else _bigrams(fact.heading)
    # Own sentence first; the sentence a change follows and the section heading (a project's
    # name over its write-up) next; the rest of the paragraph last.
    hits = sum(2.0 if b in local else 1.5 if b in lead or b in heading else
               1.0 if b in paragraph else 0.0 for b in wanted)
    overlap = hits / (2.0 * len(wanted))
    whole = longest_shared(question_terms, sides_joined(fact.subject), shortest=2) / len(question_terms)
    return (0.7 * overlap + 0.3 * whole) * _listed_fit(question_terms, fact)


def _listed_fit(question_terms: str, fact: Fact) -> float:
    """A total of several named items answers a question that names them all, not one."""
    # Items are words, not the numbering before a list item ("3、培训费预算").
    items = [item for item in fact.listed if re.search(r"[\u4e00-\u9fff]{2}", item)]
    if len(items) < 2 or any(re.search(r"20\d{2}年", item) for item in items[1:]):
        # "上海市普陀区规划和自然资源局2024年度政府采购金额为": a name holding 和 before a
        # dated subject is not a list of items (a date opening the first item is the list's).
        return 1.0
    if sides_joined("、".join(items)).count("、") < len(items) - 1:
        return 1.0  # "收入、支出预算总计": the budget's two sides named as one total
    named = sum(1 for item in items if longest_shared(item, question_terms, 2) >= 2)
    return 1.0 if named == len(items) else 0.5
