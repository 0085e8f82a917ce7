"""Deciding whether an answer may be given: how much of the question its evidence explains.

A reading that leaves a content word of the question unexplained ("两个财政票据电子化的项目
加起来", answered with 项目支出) answered another question. Coverage counts the question's
content characters — without the publisher's name, years, question words and operation words —
that some cited row, column, table title, section or sentence repeats (in pieces of at least two
characters; a measure word such as 决算数 only whole). Below `MIN_COVERAGE`, or with a content
word of two or more characters unexplained, the router says what it understood and what not
instead of giving a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.domain import Citation
from qa.lexicon import FILLER_CHARS, FILLER_WORDS, MEASURES
from retrieval.bm25 import words as segmented
from qa.text import norm

# Share of the question's content an answer's evidence must explain (calibrated on the
# development questions and the first blind round: see tests/questions/README.md).
MIN_COVERAGE = 0.75
# An unexplained run of content this long (行政 in "行政单位和事业单位离退休", answered with the
# 事业单位 row) is a thing the question names that the answer lacks.
MAX_UNEXPLAINED_RUN = 2

# Jieba's parts of speech that name no thing: verbs, adverbs, pronouns, particles,
# prepositions, conjunctions, modal words, interjections, onomatopoeia, adjectives, measure
# words, locality and time words. Nouns, verbal nouns (vn), numerals (一半, 三千: an amount
# the answer must match), English letters (eng) and unknown marks (x) may name something.
_NAMING_NOTHING = frozenset("v vd vg vi vq d dg r rr rz rg u ud ug uj ul uv uz p c y e o z zg "
                            "a ad ag q f t tg".split())
# Question words ask for something: "由谁确定" is not said by a figure.
_ASKING = re.compile(r"谁|何|哪|什么|怎")
_LEVELS = "省市州县区盟旗镇乡"
_DATE = re.compile(r"(截[至止]|到)?(19|20)\d{2}年?度?(\d{1,2}月)?(\d{1,2}日)?(底|末)?")
_NUMBER = re.compile(r"\d+(\.\d+)?")
_MONEY_SUFFIX = frozenset({"经费", "费用", "资金", "开支", "的钱", "款项"})


@dataclass(frozen=True)
class Coverage:
    """How much of a question an answer's evidence explains."""

    content: str  # the question's content characters, in order
    explained: tuple[bool, ...]  # per content character
    unexplained: tuple[str, ...]  # runs of unexplained content

    @property
    def share(self) -> float:
        return sum(self.explained) / len(self.explained) if self.explained else 1.0

    @property
    def sufficient(self) -> bool:
        return self.share >= MIN_COVERAGE and not any(
            len(run) >= MAX_UNEXPLAINED_RUN for run in self.unexplained)

    def to_json(self) -> dict:
        return {"share": round(self.share, 2), "unexplained": list(self.unexplained)}


def content_of(question: str) -> str:
    """The content of a (normalised, publisher-free) question: without years, numbers the
    question quotes, question words and operation words; measure words are kept whole."""
    text = _NUMBER.sub(" ", _DATE.sub(" ", question))
    out, at = [], 0
    for measure in MEASURES.finditer(text):
        out += [_without_filler(text[at:measure.start()]), measure.group(0)]
        at = measure.end()
    return "".join(out + [_without_filler(text[at:])])


def _without_filler(text: str) -> str:
    text = FILLER_WORDS.sub(" ", text)
    return "".join(" " if len(w) == 1 and w in FILLER_CHARS else w for w in _tokens(text))


def _tokens(text: str) -> list[str]:
    """The words of `text` with the spaces between them kept."""
    out = []
    for piece in re.split(r"( +)", text):
        out.extend([piece] if not piece.strip() else segmented(piece) or [piece])
    return out


# How far before a narrative figure its subject may stand (a clause or two).
FACT_SUBJECT_CHARS = 40


def _evidence(citations: tuple[Citation, ...], extra: tuple[str, ...]) -> list[str]:
    out = [norm(t) for t in extra if t]
    for c in citations:
        if c.kind == "passage" and c.value:
            # A narrative figure is what the words just before it say it is, under its section
            # headings (a project's write-up), not whatever else its paragraph mentions.
            out.append(_before_figure(norm(c.text), c.value))
            out.extend(norm(part) for part in c.section.split(" > "))
        else:
            out.extend(norm(t) for t in (c.row, c.column, c.table, c.section, c.text) if t)
    return out


def _before_figure(text: str, value: str) -> str:
    """What names the figure `value` in its sentence `text`: the words since the figure before
    it (at each place the sentence prints it), and the sentence's opening words up to its
    first figure (the subject of a list: "政府采购…共有262.90万元，其中：货物类116.87万元").
    The whole text if `value` is not printed in it."""
    plain = text.replace(",", "")
    number = re.escape(value.rstrip("0").rstrip(".") if "." in value else value)
    places = list(re.finditer(rf"(?<![\d.]){number}(\.?0*)(?!\d)", plain))
    if not places:
        return text
    # A figure ends a subject where a clause ends after it ("…18.60万元，其中…"), not where it
    # qualifies the next words ("单位价值50万元以上的通用设备").
    figure = re.compile(r"\d[\d.]*\s*(?:万元|亿元|元|%|个|辆|人|名|项)(?=[，,；;、。]|$)")
    lead = figure.split(plain, maxsplit=1)[0][-FACT_SUBJECT_CHARS:]
    # A listed item opens with its name ("9、城乡社区支出（类）城乡社区规划与管理（项）。主要
    # 用于：…年初预算为3110.14万元"): the words up to its first stop name its figures too.
    head = re.split(r"[。：:；;]", plain, maxsplit=1)[0][:FACT_SUBJECT_CHARS]
    windows = [figure.split(plain[max(0, p.start() - FACT_SUBJECT_CHARS):p.start()])[-1]
               for p in places]
    return " ".join([head, lead, *windows])

def coverage(question: str, citations: tuple[Citation, ...], extra: tuple[str, ...] = (),
             publisher: str = "", rewritten: tuple[str, ...] = (),
             printed=None) -> Coverage:
    """The share of `question`'s content that the citations (and `extra` names: parent rows,
    the words that name the cited tables' kinds) repeat. A short form of the publisher's name
    (卫健委 for 卫生健康委员会) names the document, not a figure. `printed(word)` tells whether
    the document prints a word in its tables: a verb, adverb or pronoun it never prints
    ("打算收", "拿到") says how the question asks, not what."""
    content = content_of(question)
    evidence = _evidence(citations, extra)
    explained = [False] * len(content)
    # Measure words count only whole: 决算 is not explained by a 预算数 column.
    for measure in MEASURES.finditer(content):
        word = measure.group(0).rstrip("数")
        if any(word in e for e in evidence) or (word.startswith("上年") and any(
                # "比上年预算下降" against "比2025年预算减少": last year's budget by its year.
                re.search(r"(比|较|与)(上年|去年|上一年|20\d{2}年)(年初)?" + word[2:], e)
                for e in evidence)):
            for i in range(measure.start(), measure.end()):
                explained[i] = True
    masked = MEASURES.sub(lambda m: "\x00" * len(m.group(0)), content)
    for size in range(min(len(masked), 24), 1, -1):
        for i in range(len(masked) - size + 1):
            piece = masked[i:i + size]
            if " " in piece or "\x00" in piece or all(explained[i:i + size]):
                continue
            if any(piece in e for e in evidence):
                for j in range(i, i + size):
                    explained[j] = True
    for run in re.finditer(r"[^ ]+", _unexplained(content, explained)):
        # A run of one or two characters that the evidence prints apart (辆车 for 车辆, a
        # typo's other half) or that abbreviates the publisher (卫健委) is explained too.
        # Question characters glued to it ("几辆车" read as one word) do not count.
        core = "".join(ch for ch in run.group(0) if ch not in FILLER_CHARS) or run.group(0)
        short = len(core) <= 2 and all(any(ch in e for e in evidence) for ch in core)
        # "政协机关": the publisher's short name and its own offices.
        named = re.sub(r"(?<=.{2})机关$", "", run.group(0))
        if named == "机关":
            named = (content[:run.start()].split() or [""])[-1]
        if short or abbreviates(named, norm(publisher)) \
                or _whole_jurisdiction(run.group(0), norm(publisher)) \
                or (printed is not None and _names_nothing(run.group(0), printed)):
            for i in range(run.start(), run.end()):
                explained[i] = True
    # A money word the asker adds to a printed name ("人大会议经费" for the row 人大会议)
    # names that figure, not another one.
    # (Not for a definition: "结转资金是啥意思" asks that very term.)
    figures = all(c.value for c in citations) or not re.search(r"意思|是指|指的是|是什么|定义|含义",
                                                                question)
    for run in re.finditer(r"[^ ]+", _unexplained(content, explained)):
        if figures and run.group(0) in _MONEY_SUFFIX and run.start() > 0 \
                and explained[run.start() - 1] and content[run.start() - 1] != " ":
            for i in range(run.start(), run.end()):
                explained[i] = True
    # A name the lexicon put in the question's place (部门预算总共 → 收入总计) is the reader's
    # guess at the printed wording: explained when part of it is.
    for meaning in rewritten:
        for found in re.finditer(re.escape(norm(meaning)), content):
            if any(explained[found.start():found.end()]):
                for i in range(found.start(), found.end()):
                    explained[i] = True
    # Question words the segmenter glued to a name ("费是" in 因公出国费是公务接待费的几倍)
    # name nothing either.
    explained = [ok or ch in FILLER_CHARS for ch, ok in zip(content, explained)]
    runs = re.findall(r"[^ ]+", _unexplained(content, explained))
    kept = [(ch, ok) for ch, ok in zip(content, explained) if ch != " "]
    return Coverage("".join(ch for ch, _ in kept), tuple(ok for _, ok in kept),
                    tuple(r for r in runs if len(r) >= 2))


def _unexplained(content: str, explained: list[bool]) -> str:
    """`content` with its explained characters blanked."""
    return "".join(" " if ok or ch == " " else ch for ch, ok in zip(content, explained))


def _whole_jurisdiction(word: str, publisher: str) -> bool:
    """"全州" in a 迪庆州 budget, "全市" in a city's: the whole area the publisher governs."""
    return (len(word) == 2 and word[0] == "全" and word[1] in _LEVELS
            and word[1] in publisher)


def _names_nothing(run: str, printed) -> bool:
    """Every word of `run` is a verb, adverb, pronoun, particle or the like (jieba's parts
    of speech) that the document's tables never print: it says how the question asks."""
    import jieba.posseg

    words = [(w.word, w.flag) for w in jieba.posseg.lcut(run)]
    # A single character (收, 交, 花) stands in many printed labels; only longer words are
    # looked up.
    return bool(words) and all(flag in _NAMING_NOTHING and not _ASKING.search(word)
                               and (len(word) == 1 or not printed(word)) for word, flag in words)


def abbreviates(short: str, name: str) -> bool:
    """"卫健委" abbreviates "卫生健康委员会": its characters stand in the name in order."""
    if len(short) < 2 or not name:
        return False
    at = 0
    for ch in short:
        at = name.find(ch, at) + 1
        if at == 0:
            return False
    return True
