"""English questions read as the Chinese questions they mean.

The budget terms of an English question are named in the lexicon (`qa.lexicon.ENGLISH_TERMS`);
here the question's shape (a share, a difference, a growth rate, a sum, a ranking, a count, a
reason) is recognised from its English wording and the terms are put in the Chinese order the
question reader knows ("What share of total spending goes to personnel?" → 人员经费占支出总计的
比例是多少). Chinese names written inside the English (一般公共服务支出) are kept as they are.
"""

from __future__ import annotations

import re

from qa.lexicon import ENGLISH_ADVERB, ENGLISH_GLUE, ENGLISH_MARKS, ENGLISH_TERMS, Tag

_CHINESE = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff()（）“”]*")
_YEAR = re.compile(r"\b(?:fy ?|fiscal year )?((?:19|20)\d{2})\b")
_BASE_YEAR = re.compile(r"(compared (with|to)|than|from|since|over|versus|vs\.?)\s+(the\s+)?(fy ?)?"
                        r"((?:19|20)\d{2})\b")
_SLOT = re.compile(r"<(\d+)>")
_STOCK_DATE = re.compile(r"\b(?:at|by|as of) (?:the )?end of (?:fy ?)?((?:19|20)\d{2})\b|"
                         r"\b(?:year[- ])?end[- ]((?:19|20)\d{2})\b|"
                         r"\bas (?:of|at) (?:[a-z]+ (?:\d{1,2},? )?|\d{1,2} [a-z]+,? )?((?:19|20)\d{2})\b")
# Words that never belong to the English gloss of a bracketed Chinese name: where a gloss
# ("the wage and welfare spending (工资福利支出)") starts. "and", "spending" and "budget" may
# stand inside one.
_GLUE = {"of", "the", "to", "on", "for", "in", "is", "was", "are", "were", "what", "which", "how",
         "much", "many", "did", "does", "do", "a", "an", "by", "than", "goes", "go", "went",
         "share", "percentage", "percent", "proportion", "its", "their", "from", "with",
         "budgeted", "as", "at", "more", "less", "times", "between", "compared", "combined",
         # A superlative ranks what the gloss names: "the largest general transfer payment
         # (一般性转移支付)" keeps "largest".
         "largest", "biggest", "highest", "greatest", "most", "smallest", "lowest", "least", "top",
         "exceed", "exceeds", "exceeded", "surpass", "surpasses", "outstrip", "outstrips"}
_MEASURE_TERMS = {"完成率", "年初预算", "调整预算", "决算数"}
# Verbs and nouns of spending or receiving left after the terms were read, and the names they
# make a side of (a fund or a budget, not an item that is already spending: 差旅费).
_SPENT = re.compile(r"\b(spend|spends|spent|spending|expenditures?|outlays?|paid out|pay out)\b")
_RECEIVED = re.compile(r"\b(revenues?|income|collect(ed|s)?|earn(ed|s)?|raised?|take in|took in)\b")
_FUNDED_BY = re.compile(r"<(\d+)>\s+(?:(?:that|which) (?:is|are|was|were) )?(?:funded|financed|paid for|paid|covered)"
                        r"\s+(?:by|from|through|with|out of)\s+(?:the\s+)?<(\d+)>")
# "appropriation-funded basic expenditure": the fund before the item, one figure.
_FUNDED_ITEM = re.compile(r"<(\d+)>\s+(?:funded|financed)\s+<(\d+)>")
# "In the economic classification table of basic expenditure, …", "… in the 支出预算总表":
# the table the figures are read from, said as the Chinese reader's scope (…表中).
# Its name may list items with slashes ("the 三公/meeting/training table") or follow "table of"
# in quotes and commas ("the table of 'three public expenses', meeting and training costs").
_TABLE = re.compile(r"\b(?:in|from|within|on|per|according to)\s+(?:the\s+)?"
                    r"((?:(?:[a-z'-]+|<\d+>|[\u4e00-\u9fff]+)\s*(?:/\s*)?){0,8}?)"
                    r"(?:table|sheet|statement|schedule)s?\b(?:\s+(?:of|for|on)\s+(?:the\s+)?"
                    r"((?:<\d+>|['\"‘’“”]|,\s*and\b|,|\band\b|\s)*<\d+>['\"‘’“”]?))?")
_FUND = re.compile(r"(基金|预算)$")
_COUNTED = {"vehicles": "辆", "vehicle": "辆", "cars": "辆", "car": "辆", "units": "个",
            "projects": "个", "people": "人", "staff": "人", "employees": "人", "persons": "人",
            "institutions": "个", "departments": "个", "sittings": "科次"}
_COUNTED_NOUN = {"辆": "车", "个": "", "人": "", "科次": ""}


class _Terms:
    """The budget terms of one question, each replaced in the text by a numbered slot."""

    def __init__(self):
        self.names: list[str] = []

    def slot(self, chinese: str) -> str:
        self.names.append(chinese)
        return f" <{len(self.names) - 1}> "

    def within(self, text: str) -> list[str]:
        found = [self.names[int(i)] for i in _SLOT.findall(text)]
        # "spending … general public budget expenditure": a generic term inside a longer
        # one adds nothing.
        return [t for i, t in enumerate(found)
                if not any(t != o and t in o for o in found) and t not in found[:i]]

    def joined(self, text: str) -> str:
        # A measure follows the item it measures ("completion rate of general public services"
        # → 一般公共服务支出完成率).
        found = self.within(text)
        return "".join(sorted(found, key=lambda t: t in _MEASURE_TERMS))


def _table_named(text: str, terms: _Terms) -> re.Match | None:
    """The phrase naming a table: "in the economic classification table", or "in the
    支出预算总表" (a printed name ending in 表)."""
    return _TABLE.search(text) or next(
        (m for m in re.finditer(r"\b(?:in|from|within)\s+(?:the\s+)?<(\d+)>", text)
         if terms.names[int(m.group(1))].endswith("表")), None)


def _in_table(side: str, table: re.Match, terms: _Terms) -> list[str]:
    """One side of a comparison whose figure is read from a table it names: "X in the A
    table" → ["A表中的X"]; [] when the side names no figure besides the table."""
    named = terms.within(table.group(0))
    items = terms.within(side[:table.start()] + " " + side[table.end():])
    if not named or not items:
        return []
    scope = "".join(named)
    return [f"{scope}{'' if scope.endswith('表') else '表'}中的{items[-1]}"]


def _bracketed(text: str, terms: _Terms) -> str:
    """"general public services (一般公共服务支出)": the printed name replaces its gloss."""
    def gloss_dropped(gloss: str, listed: bool = False) -> str:
        # A gloss of a list of names holds its own "and" ("trade union funds and welfare
        # expenses (工会经费 and 福利费)").
        words = gloss.split()
        while words and (words[-1] not in _GLUE or listed and words[-1] in ("and", "of")) \
                and len(gloss.split()) - len(words) < (9 if listed else 5):
            words.pop()
        return " " + " ".join(words)

    def swap(match):
        return gloss_dropped(match.group(1)) + terms.slot(match.group(2))  # never glued to a mark

    def swap_list(match):
        # "the two medical insurance items (行政单位医疗 plus 事业单位医疗)": the names listed.
        names = re.split(r"\s*(?:plus|and|\+|,|，|、|&)\s*", match.group(2))
        return gloss_dropped(match.group(1), listed=True) \
            + " and ".join(terms.slot(n) for n in names) + " "
    listed = _CHINESE.pattern + r"(?:\s*(?:plus|and|\+|,|，|、|&)\s*" + _CHINESE.pattern + r")+"
    text = re.sub(r"([a-z'/ -]*?)\s*[(（]\s*(" + listed + r")\s*[)）]", swap_list, text)
    text = re.sub(r"([a-z'/ -]*?)\s*[(（]\s*(" + _CHINESE.pattern + r")\s*[)）]", swap, text)
    # Units written in Chinese ("by how many 万元") are units, not terms.
    text = re.sub(r"(?<![\u4e00-\u9fff])(万元|亿元|元)(?![\u4e00-\u9fff])", " ", text)
    # "一般行政管理事务 (general administrative affairs)": the English gloss after a printed
    # name says nothing more.
    text = re.sub(r"(" + _CHINESE.pattern + r")\s*[(（][a-z' ,-]+[)）]", r"\1", text)
    return _CHINESE.sub(lambda m: terms.slot(m.group(0)), text)


def translate(question: str) -> tuple[str, tuple[Tag, ...]]:
    """The Chinese question an English one asks, and the terms it was read with; "" when it
    names no budget term the lexicon knows."""
    tags: list[Tag] = []
    text = " " + question.lower().replace("’", "'") + " "
    base = _BASE_YEAR.search(text)
    years = [y for y in _YEAR.findall(text) if not base or y != base.group(5)]
    stock = _STOCK_DATE.search(text)
    text = re.sub(r"\s+", " ", _YEAR.sub(" ", text))  # "total 2017 budget": one phrase again
    # An English aside in brackets ("the total budget (revenue and expenditure)") glosses
    # what it follows; read as terms it would turn one figure into a sum of several.
    # An aside naming the measure ("(final accounts)", "(actual)") is kept: it says which.
    text = re.sub(r"\s+", " ", re.sub(
        r"\s*[(（](?![^)）]*\b(final|actual|adjusted|initial)\b)[a-z0-9' ,/-]+[)）]", " ", text))
    # ", given the 2017 figure and the stated increase": how to work it out, no figure asked.
    text = re.sub(r",?\s*\bgiven (the |its )?[^?]*?(figure|increase|decrease|change|rate)s?\b[^?]*", " ", text)
    # "Including non-appropriation funds, …": all funds, as a table's 合计 already is.
    text = re.sub(r"\b(including|incl\.?) (non[- ]appropriation|all|other|every) (funds?|funding|sources?)"
                  r"( sources)?,?", " ", text)
    count = re.search(r"how many (?:[a-z]+ ){0,2}?(" + "|".join(_COUNTED) + r")\b", text)
    for pattern, mark in ENGLISH_MARKS:
        text = re.sub(pattern, mark, text)
    terms = _Terms()
    # A unit in brackets ("(万元)") says how to answer, it names no figure.
    text = re.sub(r"[(（]\s*(万元|亿元|元)\s*[)）]", " ", text)
    text = _bracketed(text, terms)
    # "public (公用) expenses": the bracketed Chinese glosses the adjective only; with the
    # noun after it, it names the 经费.
    def with_noun(match):
        name = terms.names[int(match.group(1))]
        if len(name) > 3 or re.search(r"[费出金款入]$", name):
            return match.group(0)
        terms.names[int(match.group(1))] = name + "经费"
        return f" <{match.group(1)}> "
    text = re.sub(r"<(\d+)>\s+(?:expenses|costs|funds|funding)\b", with_noun, text)
    # "general-public-budget": words again (after a gloss before brackets went whole), unless
    # the compound is itself a known word (region-wide, catch-all).
    text = re.sub(r"\b[a-z]+(?:-[a-z]+)+\b",
                  lambda m: m.group(0) if m.group(0) in ENGLISH_GLUE else m.group(0).replace("-", " "),
                  text)
    for pattern, chinese in ENGLISH_TERMS:
        def swap(match, chinese=chinese):
            tags.append(Tag(match.group(0).strip(), chinese, "english"))
            return terms.slot(chinese)
        text = re.sub(rf"(?<![a-z]){pattern}(?![a-z])", swap, text)
    # "basic expenditure funded by fiscal appropriations": one figure, the fund first
    # (财政拨款基本支出).
    text = _FUNDED_BY.sub(lambda m: terms.slot(terms.names[int(m.group(2))] + terms.names[int(m.group(1))]),
                          text)
    text = _FUNDED_ITEM.sub(lambda m: terms.slot(("财政拨款" if terms.names[int(m.group(1))] == "拨款"
                                                  else terms.names[int(m.group(1))])
                                                 + terms.names[int(m.group(2))]), text)
    than = re.search(r"\bthan\b", text)
    # "X in the A table than Y in the B table": each side keeps its own table (_shaped).
    each_side = than is not None and all(_table_named(side, terms) for side in (
        text[:than.start()], text[than.end():]))
    table = None if each_side else _table_named(text, terms)
    scope = ""
    if table:
        named = terms.within(table.group(0))
        classified = re.search(r"\b(economic|functional) classification\b", table.group(0))
        if named:
            scope = "".join(named) + ({"economic": "经济分类", "functional": "功能分类"}[classified.group(1)]
                                      if classified else "")
            scope += "中，" if scope.endswith("表") else "表中，"
        text = text[:table.start()] + " " + text[table.end():]
    # "How much did the social insurance funds spend": a fund (or a budget) asked with a
    # verb of spending or receiving is that fund's 支出 or 收入.
    side = "支出" if _SPENT.search(_SLOT.sub(" ", text)) else (
        "收入" if _RECEIVED.search(_SLOT.sub(" ", text)) else "")
    if side:
        terms.names = [n + side if _FUND.search(n) else n for n in terms.names]
    if count and _COUNTED[count.group(1)] == "辆" and not any("车" in n for n in terms.names):
        # "How many vehicles does the office have": the vehicles are the term.
        text = text.replace(count.group(1), terms.slot("车辆"), 1)
    if not terms.names:
        return "", tuple(tags)
    chinese = _shaped(text, terms, count)
    # Words the lexicon does not know are kept, so the answer must explain them or decline
    # ("individual" of an unknown tax is not dropped to answer about all income).
    # Capitalised words inside the question are names (Ningxia, Pingdingshan, Xi'an): they name
    # the publisher, not a figure.
    names = {re.sub(r"'s$", "", w.lower())
             for w in re.findall(r"(?<=[a-z,] )([A-Z][a-zA-Z']+)", question)}
    said = re.sub(r"\b(table|sheet|statement|schedule)s?\b", " ", text) if each_side else text
    # "growth rate" is the question's shape (_shaped), no figure's name.
    said = re.sub(r"\b(growth|increase|decrease) rates?\b|\brates? of (growth|increase|decrease)\b",
                  " ", said)
    unknown = [w for w in re.findall(r"[a-z][a-z'-]{2,}", _SLOT.sub(" ", said))
               if re.sub(r"'s$", "", w) not in ENGLISH_GLUE | names
               and not ENGLISH_ADVERB.fullmatch(w)
               and w not in ("why", "usedfor", "define", "lastyear")]
    if unknown:
        chinese += "（" + " ".join(dict.fromkeys(unknown)) + "）"
    chinese = scope + chinese
    if " LASTYEAR " in text and not base and not re.search(r"比上年|为什么", chinese):
        chinese = "上年" + chinese
    elif years and stock and years[0] in stock.groups():
        # "at the end of 2023" dates a stock (vehicles, assets), it is no budget year.
        chinese = f"截至{years[0]}年底" + chinese
    elif years:
        chinese = f"{years[0]}年" + chinese
    return chinese, tuple(tags)


def _shaped(text: str, terms: _Terms, count) -> str:
    """The Chinese wording of the question's shape, with its terms in place."""
    everything = terms.joined(text)
    change_up = re.search(r"increas|rise|rose|grow|grew|\bup\b|more|higher|jump|surge|soar|leap|climb",
                          text)
    change_down = re.search(r"decreas|fall|fell|drop|\bdown\b|less|lower|cut|shr[iu]nk|shrank|plung"
                            r"|slump|declin", text)
    if " WHY " in text:
        word = "增加" if change_up else "减少" if change_down else "变化"
        return f"{everything}为什么{word}"
    if " USEDFOR " in text and not re.search(r"\bpercent(age)?\b|\bshare\b|\bproportion\b", text):
        # ("What percentage of … is spent on receptions?" asks a share, not a purpose.)
        return f"{everything}主要用于什么"
    if " DEFINE " in text:
        return f"{everything}是指什么"
    growth = re.search(r"by (what|how (many|much)) percent|how much percent|percentage (change|increase|decrease|growth|rise|fall)"
                       r"|(grow|grew|increas|decreas|ris|rose|fall|fell|drop|chang)\w*\b[^?]*\bin percent(age)?\b"
                       r"|growth rate|rate of (growth|increase|decrease)|(grow|grew|increas|decreas|ris|rose"
                       r"|fall|fell|drop|chang)\w* by (what|how much)(?! money)", text)
    share = re.search(r"\bpercent(age)?\b|\b(share|proportion|fraction|slice|portion|chunk)\b", text)
    if share and re.search(r"\bwhich\b", text) and re.search(
            r"(largest|biggest|highest|greatest|smallest|lowest) (share|proportion|part|slice|portion|chunk)",
            text):
        # "Which category took the largest share of spending?" ranks the categories.
        share = None
    if share and not growth:
        before, after = text[:share.start()], text[share.end():]
        whole = re.match(r"\s*of\s+(?:the\s+)?(?:[a-z'-]+\s+){0,4}?<(\d+)>(?:\s*<\d+>)*", after)
        # "Of the three public expenses, what percentage goes to overseas trips?"
        leading = re.match(r"\s*(?:out )?of\s+(?:the\s+)?(?:[a-z'\"]+\s+){0,3}?<(\d+)>[^<]*$", before)
        # "In the X fund, what share of the total goes to Y?": the whole is the leading scope.
        of_total = re.match(r"\s*of\s+(?:the\s+)?(?:total|whole|overall|money|funds?|budget)\s+"
                            r"(?:is\s+|was\s+)?(?:goes|go|went|spent|used|allocated)\s+(?:to|on|for)\b",
                            after)
        scope = re.match(r"\s*(?:in|within|for|of)\s+(?:the\s+)?[^<,]*?<(\d+)>[^<,]*,", before)
        if of_total and scope and terms.within(after[of_total.end():]):
            whole_term = terms.names[int(scope.group(1))]
            part = terms.joined(after[of_total.end():])
        elif whole and not re.search(r"\bas an?\b|account|make up|made up|represent|take up", before):
            # "of the general public budget basic expenditure": the slots in a row are one name.
            whole_term = "".join(terms.names[int(i)] for i in _SLOT.findall(whole.group(0)))
            listed = re.match(r"(?:\s*(?:,|and|&)\s*(?:the\s+)?<\d+>)+", after[whole.end():])
            rest = after[whole.end() + (listed.end() if listed else 0):]
            if listed and re.search(r"\b(combined|total|sum|together|altogether)\b", whole.group(0)):
                # "of the combined budget for A, B and C goes to C": the listed figures added up.
                names = [terms.names[int(i)] for i in _SLOT.findall(whole.group(0) + listed.group(0))]
                whole_term = "、".join(names) + "合计"
            part = terms.joined(rest + before)
        elif leading and terms.within(after):
            whole_term = terms.names[int(leading.group(1))]
            part = terms.joined(after)
        else:
            found = terms.within(text)
            part, whole_term = (found + ["", ""])[0], (found + ["", ""])[1]
        if re.fullmatch(r"(自治区|[省市州县区])?本级", part) and whole_term:
            # "What share of social insurance fund revenue was at the 区本级 level": the
            # same item at that level.
            part += whole_term
        if not part:
            return f"{whole_term}占比是多少"
        return f"{part}占{whole_term}的比例是多少" if whole_term else f"{part}占比是多少"
    if re.search(r"how many times|times (as|larger|bigger|more|higher|greater)", text):
        # "In the basic expenditure budget, personnel funding is how many times …": the
        # leading phrase is the scope of both figures.
        scope = re.match(r"\s*(in|within|among|of) (the )?[^<,]*?<(\d+)>[^<,]*,", text)
        found = terms.within(text[scope.end():] if scope else text)
        inside = f"{terms.names[int(scope.group(3))]}中" if scope and len(found) >= 2 else ""
        if len(found) >= 2 and re.search(r"how many times\s+(the\s+)?<\d+>[^<]*?\b(is|are|was|were)\b", text):
            # "How many times the basic expenditure is the project expenditure?": the project
            # expenditure is that many times the basic one (no verb before the first term).
            found = [found[1], found[0]] + found[2:]
        return f"{inside}{found[0]}是{(found + [''])[1]}的几倍"
    if growth and re.search(r"\bwhich\b", text) and re.search(
            r"\b(largest|biggest|most|highest|greatest|fastest|smallest|least|lowest)\b", text):
        return f"{everything}中哪一项增幅最大"  # growths ranked, not one growth
    if growth:
        return f"{everything}比上年增长了百分之几"
    if re.search(r"\bby how much\b.*\b(chang|increas|decreas|grow|grew|ris|rose|fall|fell|drop)", text):
        # "By how much did the 行政运行 budget change from 2025 to 2026?": the amount.
        return f"{everything}比上年变化了多少"
    than = re.search(r"\bthan\b", text)
    if than and re.search(r"how much (more|less|higher|lower|bigger|smaller|larger|greater|fewer)"
                          r"|difference|gap|exceed", text):
        left, right = terms.within(text[:than.start()]), terms.within(text[than.end():])
        tables = [_table_named(side, terms) for side in (text[:than.start()], text[than.end():])]
        if all(tables):
            left, right = (_in_table(side, table, terms)
                           for side, table in zip((text[:than.start()], text[than.end():]), tables))
        if left and right:
            scope = f"{left[0]}中" if len(left) > 1 else ""
            word = "少" if re.search(r"how much (less|lower|smaller|fewer)", text) else "多"
            return f"{scope}{left[-1]}比{right[0]}{word}多少"
    exceed = re.search(r"\b(exceeds?|exceeded|outstrips?|surpass(es)?)\b", text)
    if exceed:
        # "By how much does basic expenditure exceed project expenditure?"
        left, right = terms.joined(text[:exceed.start()]), terms.within(text[exceed.end():])
        if left and right:
            return f"{left}比{right[0]}多多少"
    between = re.search(r"difference between|gap between", text)
    if between and len(terms.within(text)) >= 2:
        first, second = terms.within(text[between.end():])[:2] or terms.within(text)[:2]
        return f"{first}比{second}多多少"
    if (change_up or change_down) and re.search(r"compar|from|than|over|since|LASTYEAR|versus", text):
        word = "减少" if change_down else "增加"
        return f"{everything}比上年{word}了多少"
    # The parts of a sum, apart from a measure ("(final accounts)"), joined by 、: printed
    # names may hold 和 themselves (商品和服务支出).
    parts = [t for t in terms.within(text) if t not in _MEASURE_TERMS]
    if re.search(r"\b(combined|together|in total|total of|sum of|add(ed)? up|plus|altogether)\b", text) \
            and len(parts) >= 2:
        return "、".join(parts) + "合计多少"
    if re.search(r"<\d+>\s+and\s+<\d+>", text) and re.search(r"how much|what (is|was|were)", text) \
            and not re.search(r"\bwhich\b", text):
        return "、".join(parts) + "合计多少"
    rank = re.search(r"\b(largest|biggest|most|highest|top|greatest|smallest|least|lowest)\b", text)
    if rank and re.search(r"\bwhich\b|\bwhat\b", text):
        word = "最少" if rank.group(1) in ("smallest", "least", "lowest") else "最多"
        # "Which functional category (类)…": the level named in brackets is what is ranked.
        level = next((t for t in terms.within(text) if t in ("类", "款", "项")),
                     "类" if re.search(r"\bcategor(y|ies)\b", text) else "项")
        ranked = "".join(t for t in terms.within(text) if t not in ("类", "款", "项"))
        if re.search(r"\bwhich (city|cities|county|counties|district|districts|region|area|place)\b", text):
            return f"{ranked}哪个市县{word}"  # places ranked, not items
        if "预算单位" in terms.within(text) or re.search(
                r"\bwhich (unit|units|institution|institutions|agency|agencies|department|departments)\b", text):
            # "Of the three budget units, which one has the largest revenue?": units ranked.
            ranked = "".join(t for t in terms.within(text) if t not in ("类", "款", "项", "预算单位"))
            return f"{ranked}哪个单位{word}"
        return f"{ranked}中哪一{level}{word}"
    if count:
        unit = _COUNTED[count.group(1)]
        # "how many official vehicles": the vehicles, not their costs.
        counted = re.sub(r"公务用车.*?费", "公务用车", everything)
        return f"{counted}有多少{unit}{_COUNTED_NOUN[unit]}"
    return f"{everything}是多少"
