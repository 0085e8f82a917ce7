"""Audit rule for amounts the narrative lists as parts of a whole: "政府采购预算总额 X 万元，
其中：货物 A 万元、工程 B 万元、服务 C 万元" or "支出预算总计 X 万元。包括：1．… A 万元 2．… B 万元",
whose parts must add up to the whole.

Pure: Passages in, Findings out; Decimal only. A list is found from its structure, not
its words: an amount followed by a colon, 其中, 包括 or 主要用于 opens it; its items are the
chunks after it (split at 、，；) in the same sentence, or, when the opener ends its line,
the numbered lines that follow. Each item gives its first amount that is not a change
against last year, a share or last year's figure. A list whose parts fall short of the
whole may name only some parts ("其中：财政拨款 A"), so a shortfall is reported only for
lists that look complete (an item named 其他…, a known complete family such as 货物/工程/服务,
or parts within 5% of the whole); parts above the whole are always reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_findings import (MONEY, ROUNDING, UNIT_SLIP, Finding, Rule, finding_id, is_exact,
                                 passage_citation, plain, quantum, severity)
from ingest.numbers import parse_amount

RULES = (
    Rule("narrative.parts_sum", "说明中列出的各部分金额（其中/包括/冒号后的列举）之和等于其总数"),
    Rule("narrative.change_parts", "说明中总增减额等于其后列出的各部分增减额（主要原因是/其中…）之和"),
)

# A part may be negative ("上级补助收入-268332万元", "上解上级支出-463万元"); the text layer
# may put a space inside the unit ("货物支出 268 万 元").
_AMOUNT = re.compile(r"(?<![\d.])(?P<number>-?\d[\d,，]*(?:\.\d+)?)\s*"
                     r"(?P<unit>万\s?元|亿\s?元|千元|元)")
# "…1.00万元，与2024年预算持平。其中：" — a short remark may stand before 其中.
_OPENER = re.compile(r"^\s*[，,。]?\s*(其中|包括|主要包括|具体包括|分别为|分别是|主要用于以下方面|"
                     r"主要用于)?\s*[:：]|^\s*[，,]\s*(其中|包括|分别为)\s*[，,]?|"
                     r"^[，,](?:(?!万元|元)[^。]){0,24}。\s*其中\s*[:：]|"
                     # "…总额 4,542.69 万元，均为一般公共预算拨款，其中：": a short remark.
                     r"^[，,](?:(?!万元|元)[^。，,；;]){2,16}[，,]\s*其中\s*[:：]|"
                     r"^\s*[，,]\s*(较|比|与)[^。；;：:]{0,30}?(万元|持平|一致)\s*[，,。]\s*其中\s*[:：]|"
                     # "转移支付资金930.6亿元,同比下降7.6%。分结构看，返还性…43.3亿元…".
                     r"^\s*(?:[，,][^。元]{0,24}。)?\s*(?:分结构看|从结构看)\s*[，,:：]|"
                     # "采购预算总金额为 2889.8 万元。其中拟购买货物 334 万元；…": 其中 opening
                     # the next sentence without a colon.
                     r"^\s*。\s*其中\s*[，,]?(?=[^\d，,：:]|$)|"
                     # "总支出 1668.14 万元。具体情况如下：" over numbered lines.
                     r"^\s*。\s*(?:具体情况|具体|主要内容|明细情况)?如下\s*[:：]\s*$")
# "新增地方政府债务123.7亿元（一般债券88.3亿元，专项债券34亿元，政府外贷1.4亿元）": the
# brackets right after a figure list its parts.
_BRACKET_LIST = re.compile(r"^\s*[（(](?P<items>[^（）()]*)[）)]")
_ITEM_MARK = re.compile(r"^\s*(\d{1,2}\s*[、.．]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[）)]|"
                        r"[一二三四五六七八九十]{1,3}\s*[、.．])")
# Item separators; an ASCII comma between digits is a thousands separator.
_CHUNK = re.compile(r"[、，；;]|,(?!\d)")
# Words that make an item's figure something other than a part of the whole.
# ("上年结余收入 85835 万元" is a part: last year's balance carried into this year.)
_NOT_PART = re.compile(r"增加|减少|增长|下降|降低|持平|比上年|较上年|与上年|上年(?!结余|结转)|去年|占|"
                       r"执行数|决算数|其中|同比|压减|节约|以上|以下|单价")
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
# A chunk that starts a new statement ends the list ("…，2019 年本部门财政拨款支出…").
_NEW_STATEMENT = re.compile(r"20\d{2}\s*年|本部门|本单位")
# Complete families: a list naming two of one family names all of it.
_FAMILIES = (("货物", "工程", "服务"), ("人员经费", "公用经费"), ("基本支出", "项目支出"),
             ("出国", "公务用车", "接待"), ("拨款", "事业收入", "其他收入"),
             # "包括公务用车购置费预算 A、公务用车运行维护费预算 B": the car's two costs
             # ("公务车购置及运行费" alone names both and is one part).
             ("购置费", "运行维护费"))
SHORTFALL_SHARE = Decimal("0.95")
_CATCH_ALL = re.compile(r"(^|[、，,：:）)\s])其[他它].{0,4}$")


@dataclass(frozen=True)
class Amount:
    """A money figure in a passage, with the words before it in its chunk."""

    value: Decimal
    unit: str
    printed: str
    label: str  # the chunk's words before the figure
    sentence: str
    passage: Passage

    @property
    def yuan(self) -> Decimal:
        return self.value * MONEY[self.unit]

    @property
    def number(self) -> str:
        """The printed figure without its unit ("268 万 元" → "268")."""
        return _AMOUNT.match(self.printed).group("number")


@dataclass(frozen=True)
class ListedParts:
    """A whole and the parts a list gives of it."""

    whole: Amount
    parts: tuple[Amount, ...]
    among: bool = False  # opened by 其中 ("among which"): it may name only some parts
    whole_list: bool = False  # opened by 具体包括/分别为: it names every part
    numbered: bool = False  # the parts are the numbered lines below the whole


def _amount(m: re.Match, label: str, sentence: str, passage: Passage) -> Amount | None:
    value = parse_amount(m.group("number").replace("，", ","))
    if value is None:
        return None
    return Amount(value, re.sub(r"\s", "", m.group("unit")), m.group(0), label.strip(), sentence,
                  passage)


def _first_part(chunk: str, sentence: str, passage: Passage) -> Amount | None:
    """The chunk's figure when it is a part: its first amount, not a change or a share."""
    m = _AMOUNT.search(chunk)
    if m is None or _NOT_PART.search(chunk[: m.start()]):
        return None
    return _amount(m, chunk[: m.start()], sentence, passage)


def _inline_items(rest: str) -> str:
    """The list text after an opener in its line: up to the sentence's end, or further
    while the next sentence opens a numbered item; bracketed sub-lists left out."""
    out, text = "", _BRACKETED.sub("", rest)
    while True:
        stop = text.find("。")
        if stop < 0:
            return out + text
        out += text[:stop]
        text = text[stop + 1:]
        if not _ITEM_MARK.match(text):
            return out


def _style(mark: str) -> tuple[int, str]:
    """A numbering mark's depth and punctuation: "（1）" and "（二）" are different styles."""
    return _depth(mark), re.sub(r"[\d一二三四五六七八九十\s]", "", mark)


# An unnumbered item line: a short line with an amount, closed by ；, ; or 。
# ("基本支出10403.11万元，占42.53%；"); the passage's last line may lack the stop.
# (A line may run long when it lists what the item covers: "人员经费 1462.07 万元，主要包括：
# 基本工资、津贴补贴、…、奖励金；".)
_ITEM_LINE = re.compile(r"^[^。；;]{2,160}[；;。]\s*$")
_LAST_ITEM_LINE = re.compile(r"^[^。；;]{2,160}$")
MAX_ITEM_LINES = 12


def _plain_items(lines: list[str], start: int) -> list[str]:
    """Unnumbered item lines from `start` on, each short and with an amount. Items closed
    by ；/; end with the first line closed by 。; items each closed by 。 run on while
    the lines look alike."""
    out = []
    for n, line in enumerate(lines[start:start + MAX_ITEM_LINES], start):
        last = n == len(lines) - 1
        if not (_ITEM_LINE.match(line) or (last and _LAST_ITEM_LINE.match(line))) \
                or not _AMOUNT.search(line) or _ITEM_MARK.match(line):
            break
        out.append(line)
        if line.rstrip().endswith("。") and not out[0].rstrip().endswith("。"):
            break
    return out if len(out) >= 2 else []


def _line_items(lines: list[str], start: int) -> list[str]:
    """The numbered lines from `start` on that share the first one's numbering style, or
    else the unnumbered item lines (see _plain_items)."""
    if start >= len(lines):
        return []
    first = _ITEM_MARK.match(lines[start])
    if not first:
        return _plain_items(lines, start)
    style = _style(first.group(0))
    out = []
    for line in lines[start:]:
        m = _ITEM_MARK.match(line)
        if not m or _style(m.group(0)) != style:
            break
        out.append(line[m.end():])
    return out


def _item_chunk(item: str) -> str:
    """An item line's part: up to its first amount when no clause ends before it (the
    name may list words with 、: "公诉、审判、侦查、执行等检察监督支出（项）1,895万元"),
    else its first chunk."""
    m = _AMOUNT.search(item)
    if m and not re.search(r"[，,；;。：:]", item[:m.start()]):
        return item[:m.end()]
    return _CHUNK.split(item)[0]


class _LineEnd:
    """An opener that is the rest of the line: the items are the lines below."""

    def __init__(self, line: str, m: re.Match):
        self._end = len(line) - m.end()

    def end(self) -> int:
        return self._end


# The longest unnumbered line read as a heading over numbered lines.
HEADING_LINE = 40


def _opens_sublist(lines: list[str], n: int, m: re.Match):
    """A numbered line's first amount heads the more deeply numbered lines below it
    ("1、工资福利支出（类）2,097.51 万元" over "（1）基本工资（款）支出 737.94 万元" …); so
    does an unnumbered line that ends with its one amount ("商品和服务支出（类）1,131.92 万元"
    over "（1）办公费（款）支出 110 万元。…")."""
    own = _ITEM_MARK.match(lines[n])
    if n + 1 >= len(lines) or _AMOUNT.search(lines[n], 0, m.start()):
        return None
    below = _ITEM_MARK.match(lines[n + 1])
    if not below:
        return None
    if own and _depth(below.group(0)) <= _depth(own.group(0)):
        return None
    if not own and (lines[n][m.end():].strip() or len(lines[n].strip()) > HEADING_LINE):
        return None  # a sentence ("…涉及预算金额 51552.9 万元。"), not a heading line
    return _LineEnd(lines[n], m)


def _depth(mark: str) -> int:
    """How deep a numbering mark sits: 一、 1, （一） 2, 1、 or 1． 3, （1） 4."""
    mark = re.sub(r"\s", "", mark)
    if re.match(r"[一二三四五六七八九十]", mark):
        return 1
    if re.match(r"[（(][一二三四五六七八九十]", mark):
        return 2
    if re.match(r"\d", mark):
        return 3
    return 4


# "财政拨款支出主要内容如下：" — a heading line with no amount over numbered lines; its
# whole is the amount stated earlier under the same name ("其中：财政拨款支出预算30,441万元").
_NAMED_HEADING = re.compile(r"^\s*(?P<name>[\u4e00-\u9fff“”\"]{2,16}?)\s*"
                            r"(?:主要内容|具体情况|构成情况|明细)?如下\s*[:：]\s*$")
# Words that do not change what a figure is ("财政拨款支出预算" is "财政拨款支出").
_NAME_FILLER = re.compile(r"预算数?|决算数?|安排|的|为|是|[“”\"]|^\s*20\d{2}\s*年度?")


def _bare_name(text: str) -> str:
    return _NAME_FILLER.sub("", re.sub(r"\s", "", text))


def _named_whole(lines: list[str], n: int, passage: Passage) -> Amount | None:
    """The last amount above line n whose own words name the heading's subject."""
    m = _NAMED_HEADING.match(lines[n])
    if not m or _AMOUNT.search(lines[n]):
        return None
    name = _bare_name(m.group("name"))
    if len(name) < 3:
        return None
    for line in reversed(lines[:n]):
        for a in reversed(list(_AMOUNT.finditer(line))):
            start = max(line.rfind("。", 0, a.start()), line.rfind("；", 0, a.start())) + 1
            label = re.split(r"[，,、：:；;]", line[start: a.start()])[-1]
            if _bare_name(label) == name and not _NOT_PART.search(label):
                return _amount(a, label, line[start:], passage)
    return None


def find_lists(passage: Passage) -> list[ListedParts]:
    """Every whole the passage opens a list of, with the listed parts."""
    lines = [line for line in passage.text.split("\n") if line.strip()]
    out = []
    for n, line in enumerate(lines):
        named = _named_whole(lines, n, passage)
        if named is not None:
            parts = [p for p in (_first_part(_item_chunk(item), item, passage)
                                 for item in _line_items(lines, n + 1)) if p]
            if len(parts) >= 2:
                out.append(ListedParts(named, tuple(parts),
                                       numbered=bool(_ITEM_MARK.match(lines[n + 1]))))
        for m in _AMOUNT.finditer(line):
            bracket = _BRACKET_LIST.match(line[m.end():])
            opener = _OPENER.match(line[m.end():]) or _opens_sublist(lines, n, m) or bracket
            if not opener:
                continue
            sentence_start = max(line.rfind("。", 0, m.start()), line.rfind("；", 0, m.start())) + 1
            label = re.split(r"[，,、：:；;]", line[sentence_start: m.start()])[-1]
            if _NOT_PART.search(label):
                continue
            rest = line[m.end() + opener.end():]
            sentence = line[sentence_start:]
            whole = _amount(m, label, sentence, passage)
            if whole is None:
                continue
            if opener is bracket:
                chunks = [(c, sentence) for c in _CHUNK.split(bracket.group("items"))]
            elif rest.strip():
                chunks = [(c, sentence) for c in _CHUNK.split(_inline_items(rest))]
            else:
                chunks = [(_item_chunk(item), item) for item in _line_items(lines, n + 1)]
            parts = []
            for chunk, where in chunks:
                if rest.strip() and _NEW_STATEMENT.search(chunk):
                    break
                part = _first_part(chunk, where, passage)
                if part:
                    parts.append(part)
            if opener is bracket and len(parts) < 2:
                continue  # "（其中地方债务还本支出12110万元在线下支出中反映）": an aside
            if len(parts) >= 2 or (len(parts) == 1 and parts[0].yuan > whole.yuan):
                words = opener.group(0) if isinstance(opener, re.Match) else ""
                out.append(ListedParts(whole, tuple(parts), "其中" in words,
                                       bool(re.search("具体包括|分别为|分别是", words)),
                                       not rest.strip() and bool(_ITEM_MARK.match(lines[n + 1]))))
    return out


def _complete(listed: ListedParts, total: Decimal) -> bool:
    # The text layer may put spaces inside words ("拟购 买服 务支出").
    labels = [re.sub(r"\s", "", p.label) for p in listed.parts]
    if listed.whole_list:
        return True
    # "检察（款）：预算支出合计 X 万元。其中：" over numbered lines "1．行政运行（项）…": a
    # total's numbered breakdown lists every item.
    if listed.numbered and re.search("合计|总计", listed.whole.label):
        return True
    # A catch-all item ("其他收入", "其他资金") closes a list; "其他发展与改革事务支出" is one 项.
    if any(_CATCH_ALL.search(label) for label in labels):
        return True
    for family in _FAMILIES:
        if sum(any(word in label for label in labels) for word in family) >= 2:
            return True
    # "其中：（1）行政运行…（5）其他发展与改革事务支出…" may list one 类's items only.
    return not listed.among and total >= listed.whole.yuan * SHORTFALL_SHARE


def sections(passages: list[Passage]) -> list[Passage]:
    """Consecutive passages of one document and section joined into one: a list that the
    passage limit cut ("（五）项目支出 1,732.21 万元，具体包括：1.… 2.… 3.…" | "4.… 5.…")
    is read whole. The joined passage keeps the first one's page."""
    out: list[Passage] = []
    for passage in passages:
        last = out[-1] if out else None
        if last is not None and (last.doc_id, last.section) == (passage.doc_id, passage.section) \
                and passage.section:
            out[-1] = replace(last, text=last.text + "\n" + passage.text)
        else:
            out.append(passage)
    return out


_OTHER_UNIT = {"元": MONEY["万元"], "万元": MONEY["元"]}


def _unit_slip(listed: ListedParts, total: Decimal) -> Amount | None:
    """The one figure of a list (a part or the whole) printed in 元 where 万元 is meant, or
    the other way round, when read in the other unit it makes the parts add up to the whole
    within their rounding ("债务转贷收入 80762 元" among parts in 万元); None otherwise."""
    whole, scale = listed.whole, MONEY[listed.whole.unit]
    q = max([quantum(whole.number)] + [quantum(p.number) * MONEY[p.unit] / scale
                                       for p in listed.parts])
    n = len(listed.parts)
    if severity(whole.value, total / scale, n, q) in (None, ROUNDING):
        return None  # the list adds up as printed
    fits = []
    for figure in (whole, *listed.parts):
        if figure.unit not in _OTHER_UNIT or not figure.value:
            continue  # 0 元 is 0 万元
        read = figure.value * _OTHER_UNIT[figure.unit]
        if figure is whole:
            found, expected = read / scale, total / scale
        else:
            found, expected = whole.value, (total - figure.yuan + read) / scale
        if severity(found, expected, n, q) in (None, ROUNDING):
            fits.append(figure)
    return fits[0] if len(fits) == 1 else None


def check_parts_sum(passages: list[Passage]) -> list[Finding]:
    """Listed parts that do not add up to their whole (see the module docstring); a list
    that adds up once one figure is read in the other unit (元/万元) is a unit slip, even
    where a shortfall is otherwise allowed (a 其中 list may name only some parts, but not
    parts that then add up to the whole exactly)."""
    out = []
    for passage in sections(passages):
        for listed in find_lists(passage):
            whole = listed.whole
            scale = MONEY[whole.unit]
            total = sum((p.yuan for p in listed.parts), Decimal(0))
            slipped = _unit_slip(listed, total)
            if slipped is not None:
                out.append(_unit_slip_finding(passage, listed, slipped, total))
                continue
            if total < whole.yuan and not _complete(listed, total):
                continue
            q = max([quantum(whole.number)] + [
                quantum(p.number) * MONEY[p.unit] / scale for p in listed.parts])
            level = severity(whole.value, total / scale, len(listed.parts), q,
                             is_exact(q, whole.unit))
            if level is None:
                continue
            formula = (" + ".join(f"{plain(p.value)}{p.unit}" for p in listed.parts)
                       + f" = {plain(total / scale)}{whole.unit}；说明总数 {plain(whole.value)}"
                       f"{whole.unit}（差 {plain(whole.value - total / scale)}）")
            out.append(Finding(
                id=finding_id("narrative.parts_sum", passage.doc_id, whole.sentence,
                              whole.printed, *(p.printed for p in listed.parts)),
                rule="narrative.parts_sum", doc=passage.doc_id, severity=level,
                message=(f"说明中“{whole.label}”{plain(whole.value)}{whole.unit}，所列 "
                         f"{len(listed.parts)} 项之和为 {plain(total / scale)}{whole.unit}"),
                formula=formula, expected=total / scale, found=whole.value,
                operands=tuple(passage_citation(passage, a.sentence, a.printed, a.unit)
                               for a in (whole, *listed.parts))))
    return out


def _unit_slip_finding(passage: Passage, listed: ListedParts, slipped: Amount,
                       total: Decimal) -> Finding:
    whole = listed.whole
    scale = MONEY[whole.unit]
    other = "万元" if slipped.unit == "元" else "元"
    return Finding(
        id=finding_id("narrative.parts_sum", passage.doc_id, whole.sentence, whole.printed,
                      *(p.printed for p in listed.parts)),
        rule="narrative.parts_sum", doc=passage.doc_id, severity=UNIT_SLIP,
        message=(f"说明中“{whole.label}”{plain(whole.value)}{whole.unit}，所列 "
                 f"{len(listed.parts)} 项之和为 {plain(total / scale)}{whole.unit}；"
                 f"“{slipped.printed}”按{other}计时两者相符（元/万元错位）"),
        formula=(" + ".join(f"{plain(p.value)}{p.unit}" for p in listed.parts)
                 + f" = {plain(total / scale)}{whole.unit}；说明总数 {plain(whole.value)}"
                 f"{whole.unit}"),
        expected=total / scale, found=whole.value,
        operands=tuple(passage_citation(passage, a.sentence, a.printed, a.unit)
                       for a in (whole, *listed.parts)))


# "增加 4322.77 万元。主要原因是基本支出增加 1447.63 万元、项目支出安排减少 200 万元、单位预留机动
# 经费增加 3075.14 万元": a change, then its parts after 主要原因是/主要是/其中.
# "基本支出增加人员工资、住房公积金、提租补贴等 3397.18 万元": what changed may stand between.
_CHANGE = re.compile(r"(?P<word>增加|减少|增长|下降|压减|节约|降低)了?[^，,。；;\d]{0,20}?\s*"
                     r"(?P<number>\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|亿元|千元|元)")
_CHANGE_OPENER = re.compile(r"^(\s*[，,]\s*(增长|下降|增幅|降幅)[^。，,；;]{0,12}?%)?"
                            r"[^。；;\d]{0,12}?[，,。]?\s*(主要原因是|主要原因为|主要是|原因是|其中)\s*[:：]?")
_DOWNWARD = ("减少", "下降", "压减", "节约", "降低")
# Families of components that make a list of changes complete.
_CHANGE_FAMILIES = (("基本支出", "项目支出"), ("基本支出", "项目经费"), ("人员经费", "公用经费"),
                    ("财政拨款", "事业收入"), ("一般公共预算", "政府性基金"),
                    ("出国", "公务用车", "接待"))
# A part stated unchanged ("公务接待费 10 万元，与 2025 持平", "项目支出…与上年数一致") is a
# part whose change is 0.
_UNCHANGED = re.compile(r"持平|一致")
# "增加498.72万元，增长5.77%。按功能分类，A 减少 a，B 增加 b。按支出用途分类，C 增加 c，D 与上年数
# 一致。": each 按…分类 sentence after a change breaks the same change down.
_BREAKDOWN = re.compile(r"^(\s*[，,]\s*(增长|下降|增幅|降幅)[^。，,；;]{0,12}?%)?\s*。\s*"
                        r"(?=按[^。，,；;\d]{0,8}分类\s*[，,:：])")
_BREAKDOWN_SENTENCE = re.compile(r"按[^。，,；;\d]{0,8}分类\s*[，,:：](?P<body>[^。]*)。?")


def _signed(m: re.Match) -> Decimal | None:
    value = parse_amount(m.group("number").replace("，", ","))
    if value is None:
        return None
    return (-value if m.group("word") in _DOWNWARD else value) * MONEY[m.group("unit")]


def check_change_parts(passages: list[Passage]) -> list[Finding]:
    """A change whose parts the next words list ("…增加 X 万元，主要原因是 A 增加 a、B 减少 b",
    or each "按…分类，A 减少 a，B 增加 b" sentence after it; a part "与上年持平" changes by 0)
    must be their sum, when the list looks complete (a known family such as 基本支出 and
    项目支出, or parts within 5% of the change)."""
    out = []
    for passage in passages:
        for line in passage.text.split("\n"):
            for m in _CHANGE.finditer(line):
                for segment, stop in _change_segments(line, m):
                    out += _change_parts_finding(passage, line, m, segment, stop)
    return out


def _change_segments(line: str, m: re.Match) -> list[tuple[str, int]]:
    """(words listing the parts, where their sentence ends) of the change m: the rest of the
    sentence after 主要原因是/其中, or each 按…分类 sentence right after it."""
    opener = _CHANGE_OPENER.match(line[m.end():])
    if opener:
        start = m.end() + opener.end()
        stop = line.find("。", start)
        return [(line[start: stop if stop >= 0 else len(line)], stop)]
    breakdown = _BREAKDOWN.match(line[m.end():])
    sentence_start = line.rfind("。", 0, m.start()) + 1
    if not breakdown or _CHANGE.search(line, sentence_start).start() != m.start():
        return []  # only the sentence's first change is broken down by what follows
    out, at = [], m.end() + breakdown.end()
    while (sentence := _BREAKDOWN_SENTENCE.match(line, at)) is not None:
        out.append((sentence.group("body"), sentence.start("body") + len(sentence.group("body"))))
        at = sentence.end()
    return out


def _change_parts_finding(passage: Passage, line: str, m: re.Match, segment: str,
                          stop: int) -> list[Finding]:
    """The finding of the change m against the changes its segment lists, or none."""
    out = []
    parts = [p for p in _CHANGE.finditer(segment) if _signed(p) is not None]
    unchanged = len(_UNCHANGED.findall(segment))
    if not parts or len(parts) + unchanged < 2:
        return out
    whole = _signed(m)
    total = sum((_signed(p) for p in parts), Decimal(0))
    labels = segment
    complete = any(all(w in labels for w in family) for family in _CHANGE_FAMILIES)
    if not complete and not (whole and abs(total - whole) <= abs(whole) * (
            1 - SHORTFALL_SHARE)):
        return out
    scale = MONEY[m.group("unit")]
    q = max([quantum(m.group("number"))] + [
        quantum(p.group("number")) * MONEY[p.group("unit")] / scale for p in parts])
    level = severity(whole / scale, total / scale, len(parts), q,
                     is_exact(q, m.group("unit")))
    if level is None:
        return out
    sentence = line[max(0, line.rfind("。", 0, m.start()) + 1): stop if stop >= 0
                    else len(line)]
    out.append(Finding(
        id=finding_id("narrative.change_parts", passage.doc_id, sentence,
                      m.group(0), *(p.group(0) for p in parts)),
        rule="narrative.change_parts", doc=passage.doc_id, severity=level,
        message=(f"说明中变动 {m.group(0)}，所列 {len(parts)} 项变动之和为 "
                 f"{plain(total / scale)}{m.group('unit')}"),
        formula=(" + ".join(f"({plain(_signed(p) / scale)})" for p in parts)
                 + f" = {plain(total / scale)}；说明 {plain(whole / scale)}"
                 f"（差 {plain((whole - total) / scale)}）"),
        expected=total / scale, found=whole / scale,
        operands=tuple(passage_citation(passage, sentence, x.group("number")
                                        + x.group("unit"), x.group("unit"))
                       for x in (m, *parts))))
    return out
