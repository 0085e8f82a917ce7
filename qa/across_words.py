"""The words of a cross-document question: which measure it names, and what it asks of it.

Measures are the canonical ones of ingest.measures; everyday words map to them (公车 →
公务用车购置及运行费, 人头费 → 人员经费). 功能分类 类 are named by their printed label
("住房保障支出") as the documents print it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.lexicon import RANK_PLACE, rank_place, small_number

VEHICLES = "车辆数"
_VEHICLE_COUNT = (r"车辆数量?|公车数量?|公务用车数量?|(公车|公务用车|车辆)?保有量|多少辆|几辆|辆车|"
                  r"多少台车|几台车|车辆(?!购置|运行|维护|费)")
ALL_FUNDS = r"(所有|全部|各类|各项|一切)的?资金来源"
# (pattern over the normalised question, measure); more specific names first.
MEASURE_WORDS: tuple[tuple[str, str], ...] = (
    (r"公务用车购置及运行(维护)?费|公务用车购置和运行(维护)?费", "公务用车购置及运行费"),
    (r"公务用车购置(?!及|和)费?|公车购置|购置公务用车|购车费?", "公务用车购置费"),
    (r"公务用车运行(维护)?费?|公车运行(维护)?费?|公车运维费?", "公务用车运行费"),
    # A count of vehicles, not their cost ("多少辆公车", "公车数", "车辆保有量").
    (_VEHICLE_COUNT, VEHICLES),
    (r"公务用车|公车", "公务用车购置及运行费"),
    (r"人员编制|编制数|编制人数|编制", "编制数"),
    # Equipment held worth a million yuan or more each (国有资产占有使用情况), counted in 台（套）.
    (r"(单价|单位价值|价值)?(100|一百)万元?(\(含\))?(及|或)?以上的?(大型)?设备|百万元?以上的?设备|"
     r"百万级设备|大型设备", "百万元以上设备数"),
    (r"因公出国\(?境?\)?费?用?|出国\(?境?\)?经?费?", "因公出国(境)费"),
    (r"公务接待费?|接待费?", "公务接待费"),
    (r"三公经费|三公", "三公经费"),
    (r"会议费", "会议费"),
    (r"培训费", "培训费"),
    (r"机关运行经费|机关运行费|运行经费", "机关运行经费"),
    (r"(面向)?中小企业预留的?政府采购(项目)?(预算)?(金额)?|(面向)?中小企业预留", "中小企业预留政府采购"),
    (r"政府采购", "政府采购"),
    (r"人员经费|人员支出|人头费", "人员经费"),
    (r"公用经费|公用支出", "公用经费"),
    (r"基本支出", "基本支出"),
    (r"项目支出|项目经费", "项目支出"),
    (r"财政拨款收入", "财政拨款收入"),
    (r"财政拨款支出|财政拨款(?!收入)", "财政拨款支出"),
    (r"本年收入合计|本年收入", "本年收入合计"),
    (r"本年支出合计|本年支出", "本年支出合计"),
    # All the sources of funds together are the whole revenue ("所有资金来源加起来"); before
    # another measure they only say no fund is left out (fund_qualifier).
    (ALL_FUNDS, "收入总计"),
    (r"收入总计|总收入|收入总额|收入总预算|收入预算总额|收入合计|收入预算", "收入总计"),
    (r"收支预算总计|收支总计|收支预算总额|收支总预算|收支总额|预算总计|盘子|支出总计|总支出|支出总额|支出总预算|支出预算总额|支出合计|支出预算|预算总额|总预算|"
     r"预算规模|决算总额|总盘子|花了多少钱|总开支", "支出总计"),
    (r"年初结转(和结余)?|上年结转(和结余)?", "年初结转和结余"),
    (r"年末结转(和结余)?|结转下年", "年末结转和结余"),
)

_RANK = re.compile(r"排名|排序|排行|最多|最少|最高|最低|最大|最小|前[一二三三四五六七八九十\d]+|"
                   r"哪个|哪家|哪一个|谁|从高到低|从低到高|由高到低|由低到高|从多到少|从少到多|"
                   r"倒数|多到少|高到低|少到多|低到高|最省|最节约|最节省")
_SMALLEST = re.compile(r"最少|最低|最小|最省|最节约|最节省|花得最少|倒数|从低到高|由低到高|从少到多|少到多|"
                       r"低到高")
_SUM = re.compile(r"合计|总共|一共|加起来|加一块|加到一起|加到一块|总和|合起来|共计|加总|总计是|汇总|加一起|加在一起|"
                  r"算在一起|累计|总数是|总数多少")
_AVERAGE = re.compile(r"平均")
_SHARE = re.compile(r"占比|比重|比例|占.{0,16}(多少|几|百分)")
_CHANGE_LIST = re.compile(r"哪些.{0,16}(减少|下降|降低|增加|增长|上升|提高)|"
                          r"(减少|下降|降低|增加|增长|上升|提高)了?的.{0,4}(部门|单位)|"
                          r"哪些.{0,20}比.{0,12}(少|低|多|高)|"
                          # "下降的是哪几家", "谁的项目支出是减少的"
                          r"(减少|下降|降低|增加|增长|上升|提高)了?的(是|有)(谁|哪)|"
                          r"(谁|哪几家|哪几个)的?.{0,16}(减少|下降|降低|增加|增长|上升|提高)|"
                          # "哪些降了", "谁的减了": one character says the move
                          r"(哪些|谁|哪几家|哪几个)[^，,。？?]{0,16}(降|减|涨|增|跌)了|"
                          # "哪家是减少的": the department whose figure moved that way
                          r"(哪家|哪个|哪一家)(部门|单位)?是(减少|下降|降低|增加|增长|上升|提高)的|"
                          # "哪家的收入预算比上一年是减少的", "哪几家2019年的三公经费比2018年少了":
                          # against a year, not against another department.
                          r"(哪些|谁|哪几家|哪几个|哪家|哪个|哪一家)[^，,。？?]{0,24}(比|较)"
                          r"(上一?年|去年|前一年|(20)?[12]\d年)[^，,。？?]{0,6}"
                          r"(减少|下降|降低|增加|增长|上升|提高|少|低|多(?!少)|高)")
# "降得最多的是哪家", "压得最狠的是哪家": the department that moved most, and by how much.
_RANKED_MOVE = re.compile(r"(降|减|压|砍|跌|涨|增|少)[^，,。？?]{0,3}最(多|大|狠|厉害|快)|"
                          r"(降|增|涨)幅最大")
# "最多", "第二": a ranking of the changes, not the list of departments that moved.
_RANKED_CHANGE = re.compile(r"最|第[一二三四五六七八九十\d]")
# "一共少了多少", "减了多少": the amount that went, not only who.
_CHANGE_AMOUNT = re.compile(r"(少|减|降|多|增|涨|低|高)(少|加|长|低)?了?多少(?![个家])|一共|合计|总共|"
                            r"加起来")
_DOWN = re.compile(r"减少|下降|降低|压减|比.{0,12}((?<!多)少|低)")  # 多少 asks, it is no fall
_SERIES = re.compile(r"历年|逐年|各年|每年|趋势|变化|怎么变|如何变|变动|走势|几年|这些年|各年度|"
                     r"近[两二三四五六七八九十\d]+年|这[两二三四五\d]+年")
# ("谁最多？多少钱": the top figure asked, not a difference.)
_DIFFERENCE = re.compile(r"差多少|相差|差距|差额|差了|多出|高出|(?<!最)(多多少|少多少|低多少|高多少)")
# "有没有哪家没有这一项": asks which documents lack the measure, ranks nothing.
_LACK_ASKED = re.compile(r"有没有哪(家|个|一家)[^，,。？?]*|哪(家|个|一家)没有[^，,。？?]*")
_RATE = re.compile(r"增长率|增幅|降幅|百分之|百分比|%|幅度|增长了?多少百分|率")
_POSITION = re.compile(r"排第几|第几名|排名第几|排在第几|第几位|排第多少|排名多少|第几多|第几高")
_TIMES = re.compile(r"几倍|多少倍|倍数")
_YEAR_RANK = re.compile(r"哪(一|几)?年|哪个年度|哪年度")
# Each year against the year before it ("哪一年比上一年下降了", "逐年比较哪年涨了", "同比"):
# the steps of a series, not its first and last year.
_STEP = re.compile(r"比(上|前)一?年|较(上|前)一?年|同比|环比|上一年|前一年")
# "降得最多", "涨幅最大": the biggest move is asked, not every one.
_BIGGEST_MOVE = re.compile(r"(降|减|少|涨|增|多|升|跌|压|砍|幅)[^，,。？?]{0,3}最|最[^，,。？?]{0,2}(降|减|涨|增|压|砍)|"
                           r"最(多|大|狠|厉害)")
_MOVED = re.compile(r"涨|增|减|降|变|多了|少了|升|跌")
# Words that say a question is about several documents.
ACROSS_CUE = re.compile(r"各部门|各单位|哪个部门|哪些部门|哪家|哪个单位|哪些单位|部门间|部门之间|各家|"
                        r"排名|排序|排行|历年|逐年|各年|每年|趋势|几个部门|这些部门|这些单位|"
                        r"省级部门|区级部门|市级部门|所有部门|全部部门")
# With a document chosen on the page, only words about other departments or other years take
# a question away from it ("支出排名" ranks that document's own rows).
PINNED_CUE = re.compile(r"各部门|哪个部门|哪些部门|哪家部门|部门间|部门之间|这些部门|所有部门|"
                        r"全部部门|省级部门|区级部门|市级部门|历年|逐年|各年度?|每年|趋势")
TIME_CUE = re.compile(r"历年|逐年|各年度?|每年|趋势")


@dataclass(frozen=True)
class Asked:
    """What a cross-document question asks: its operation, measures and direction."""

    operation: str  # rank, position, sum, average, share, ratio, times, difference, series,
    # changes, list
    measures: tuple[str, ...]  # measure keys in the order the question names them
    smallest: bool = False
    down: bool | None = True  # for changes: which went down (else up); steps: None, either
    rate: bool = False  # a series or change asked as a percentage
    top: int | None = None  # "前三名"
    place: int | None = None  # "第二多的", "排第三": that place of the ranking
    over_years: str = ""  # for one publisher's years: "sum" (合计), "rank" (哪年最多), "times" (几倍)
    amount: bool = False  # for changes: the total moved is asked, not only who moved
    biggest: bool = False  # for changes and steps: only the biggest move is asked
    fund: str = ""  # a fund the measure is restricted to ("财政拨款的机关运行经费")
    # For ratio: the measures added up over the set first ("三个部门人员经费合计占它们基本
    # 支出合计的比例"): one share of the sums, not each department's own.
    pooled: bool = False


TABLE_PLACE = re.compile(r"[\u4e00-\u9fff]{2,16}?表(里|中|上|内)的?")


def named_measures(normalised: str, class_labels: dict[str, str]) -> list[str]:
    """Measure keys named in the question, in the order they appear, without overlaps.

    `class_labels` maps a 功能分类 类's normalised label ("住房保障支出") to its key
    ("功能分类:221")."""
    # "支出预算总表里的基本支出": the table named is where to look, not a measure asked.
    normalised = TABLE_PLACE.sub(lambda m: " " * len(m.group(0)), normalised)
    words = list(MEASURE_WORDS) + [(re.escape(label), key) for label, key in class_labels.items()]
    found = [(m.start(), m.end(), key) for pattern, key in words
             for m in re.finditer(pattern, normalised) if m.end() > m.start()]
    # The longest name wins where two overlap ("住房保障支出合计" is not 支出合计).
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    spans: list[tuple[int, int, str]] = []
    for start, end, key in found:
        if not any(s < end and start < e for s, e, _ in spans):
            spans.append((start, end, key))
    spans.sort()
    return list(dict.fromkeys(key for _, _, key in _parts_named(normalised, spans)))


# A fund source naming which money of a measure is asked ("财政拨款的机关运行经费",
# "一般公共预算安排的基本支出"), not the 财政拨款 total itself.
_FUND_WORD = re.compile(r"(财政拨款|一般公共预算(?:财政)?(?:拨款)?|财政资金)(安排|资金|拨款|口径)?的?(中的?|里的?)?")


def fund_qualifier(normalised: str, keys: list[str], class_labels: dict[str, str]
                   ) -> tuple[list[str], str]:
    """(measures, fund): a fund word right before another measure restricts it, and is no
    measure of its own. The fund is "财政拨款" or "一般公共预算" ("" when none). "所有资金来源的
    基本支出" asks for every fund, which is how measures are read: no 收入总计 of its own."""
    for m in re.finditer(ALL_FUNDS + r"的?", normalised):
        after = named_measures(normalised[m.end():m.end() + 16], class_labels)
        if after and after[0] != "收入总计":
            keys = [k for k in keys if k != "收入总计" or k in after]
    for m in _FUND_WORD.finditer(normalised):
        rest = normalised[m.end():m.end() + 16]
        if re.match(r"(收入|支出)(?!.{0,2}(经费|费))", rest) or not rest:
            continue  # "财政拨款收入", "财政拨款支出": the measure itself
        after = named_measures(rest, class_labels)
        first = next((k for k in after if k not in ("财政拨款支出", "财政拨款收入")), None)
        # The measure right after the fund word, or its whole naming where it stands
        # ("一般公共预算财政拨款基本支出里的公用经费").
        heads = {first} | {whole for whole, parts in PARTS.items() if first in parts}
        if first is None or not any(re.match(p, rest) for p, k in MEASURE_WORDS if k in heads) \
                and not any(rest.startswith(label) for label, k in class_labels.items()
                            if k == first):
            continue
        fund = "一般公共预算" if m.group(1).startswith("一般公共预算") else "财政拨款"
        # The fund word alone was read as the 财政拨款 total: it is the qualifier.
        return [k for k in keys if k != "财政拨款支出"], fund
    return keys, ""


# A measure and the measures it is made of, for "三公经费里出国那块", "基本支出中的人员经费".
PARTS: dict[str, tuple[str, ...]] = {
    "三公经费": ("因公出国(境)费", "公务接待费", "公务用车购置及运行费", "公务用车购置费",
                 "公务用车运行费"),
    "公务用车购置及运行费": ("公务用车购置费", "公务用车运行费"),
    "基本支出": ("人员经费", "公用经费"),
}
# Totals and what they are made of, beyond PARTS (where "X里Y" only says where Y is): a share
# is of the part in the whole. 财政拨款 is one source of the totals, 基本/项目 their halves.
_SPENDING = ("基本支出", "项目支出", "人员经费", "公用经费", "三公经费", "机关运行经费")
WITHIN: dict[str, tuple[str, ...]] = {
    "收入总计": ("本年收入合计", "财政拨款收入"),
    "本年收入合计": ("财政拨款收入",),
    "支出总计": ("本年支出合计", "财政拨款支出") + _SPENDING,
    "本年支出合计": ("财政拨款支出",) + _SPENDING,
    "财政拨款支出": _SPENDING,
}


def contains(whole: str, part: str) -> bool:
    """Whether the measure `whole` is a total that `part` is a part of."""
    return part in PARTS.get(whole, ()) or part in WITHIN.get(whole, ())


# Between a whole and its part: "里", "中的", "里面", "当中" … ("三公经费里出国那块").
_WITHIN = re.compile(r"(的)?(里面?|中|当中|之中|其中|内)?(的)?")
_SHARE_OF = re.compile(r"占|比重|比例")


def _parts_named(normalised: str, spans: list[tuple[int, int, str]]
                 ) -> list[tuple[int, int, str]]:
    """The spans without a whole that only says where its part is: "三公经费里出国那块" asks
    for 因公出国(境)费, not for 三公经费. A question comparing the two ("出国费占三公经费
    多少") keeps both."""
    if _SHARE_OF.search(normalised):
        return spans
    kept = []
    for i, (start, end, key) in enumerate(spans):
        after = spans[i + 1] if i + 1 < len(spans) else None
        before = spans[i - 1] if i > 0 else None
        if after is not None and after[2] in PARTS.get(key, ()) and \
                _WITHIN.fullmatch(normalised[end:after[0]]):
            continue
        if before is not None and before[2] in PARTS.get(key, ()) and \
                _PART_IN.fullmatch(normalised[before[1]:start]):
            continue  # "人员经费（在）基本支出里", "personnel costs in basic expenditure"
        if before is not None and key in _WHOLE_BUDGET_KEYS and \
                _TOTAL_OF_NAMED.fullmatch(normalised[start:end]) and \
                re.fullmatch(r"的?", normalised[before[1]:start]):
            continue  # "政府采购预算总额": the named measure's total, not the whole budget's
        kept.append((start, end, key))
    return kept


# Between a part and the whole it sits in, named after it ("人员经费在基本支出中").
_PART_IN = re.compile(r"(在|属于)?的?(里面?|中|当中|之中|内)?的?")
_WHOLE_BUDGET_KEYS = ("支出总计", "收入总计")
# A total word with no measure of its own, after a measure it totals.
_TOTAL_OF_NAMED = re.compile(r"(支出)?预算(总额|总计)?|总预算|(支出)?(总额|总计|合计)")


# Words that make 公车 its cost: money, spending, or the car's budget line.
_VEHICLE_MONEY = re.compile(r"费|钱|经费|花|支出|开支|开销|运行|购置|维护|万元|元|金额|数额|"
                            r"(公车|公务用车)的?(预算|决算)")


def vehicles_counted(typed: str, keys: list[str]) -> list[str]:
    """公车 is the vehicles themselves where the question counts them ("各有多少辆公车",
    "公车数") or ranks them with no word of money ("谁家公车最多"); else the
    公务用车购置及运行费. `typed` is the question as typed, normalised: the budget rewording
    has already made every 公车 a 公务用车购置及运行费."""
    car_cost = "公务用车购置及运行费"
    if car_cost not in keys or _VEHICLE_MONEY.search(typed):
        return keys
    if re.search(_VEHICLE_COUNT, typed) or _RANK.search(typed):
        return list(dict.fromkeys(VEHICLES if k == car_cost else k for k in keys))
    return keys


def read_asked(normalised: str, measures: list[str], years: tuple[int, ...],
               one_publisher: bool) -> Asked:
    """The operation a cross-document question asks for."""
    top = re.search(r"前([一二两三四五六七八九十\d]+)", normalised)
    top_n = small_number(top.group(1)) if top else None
    rate = bool(_RATE.search(normalised))
    if _CHANGE_LIST.search(normalised) and not one_publisher and \
            not _RANKED_CHANGE.search(normalised):
        return Asked("changes", tuple(measures), down=bool(_DOWN.search(normalised)) or
                     bool(re.search(r"(降|减|跌)了", normalised)), rate=rate,
                     amount=bool(_CHANGE_AMOUNT.search(normalised)))
    if _RANKED_MOVE.search(normalised) and not one_publisher and (
            len(years) >= 2 or _STEP.search(normalised) or re.search(r"去年|上年", normalised)):
        # "2018年比2017年…压得最狠的是哪家？少了多少": the biggest move against the year before.
        return Asked("changes", tuple(measures), down=_direction(normalised) is not False,
                     rate=rate, amount=True, biggest=True)
    if len(measures) >= 2 and re.search(r"占", normalised):
        pair = measures[:2]
        if contains(pair[0], pair[1]):
            # "三公经费中出国费占多少", "share of its total expenditure on projects": a share
            # is the part over the whole, whichever the question names first.
            pair.reverse()
        # "本年收入合计" is a measure's name, not a sum over the set.
        summed = _SUM.search(re.sub(r"本年(收入|支出)合计|人员经费合计|公用经费合计", "", normalised))
        return Asked("ratio", tuple(pair), smallest=bool(_SMALLEST.search(normalised)),
                     top=top_n, pooled=bool(summed) and not _RANK.search(normalised))
    if one_publisher and (len(years) >= 2 or _SERIES.search(normalised) or
                          _YEAR_RANK.search(normalised)):
        over = ""
        moved = _MOVED.search(normalised)
        if _STEP.search(normalised) or _YEAR_RANK.search(normalised) and moved:
            # "哪一年比上一年下降了？降了多少": each year against the one before it.
            return Asked("series", tuple(measures[:1]), rate=rate, over_years="steps",
                         down=_direction(normalised),
                         amount=bool(_CHANGE_AMOUNT.search(normalised)),
                         biggest=bool(_BIGGEST_MOVE.search(normalised)))
        if _TIMES.search(normalised):
            over = "times"  # "2025年的是2023年的几倍"
        elif _SHARE.search(normalised):
            over = "share"  # "2023年的占三年合计的比重"
        elif _YEAR_RANK.search(normalised):
            over = "rank"
        elif _SUM.search(normalised) and not _MOVED.search(normalised):
            over = "sum"
        return Asked("series", tuple(measures[:1]), rate=rate, over_years=over,
                     smallest=bool(_SMALLEST.search(normalised)))
    if _POSITION.search(normalised):
        return Asked("position", tuple(measures[:1]), smallest=bool(_SMALLEST.search(normalised)))
    if _TIMES.search(normalised) and not one_publisher:
        return Asked("times", tuple(measures[:1]))
    if _DIFFERENCE.search(normalised) and not one_publisher:
        return Asked("difference", tuple(measures[:1]))
    if _SHARE.search(normalised):
        return Asked("share", tuple(measures[:1]), smallest=bool(_SMALLEST.search(normalised)),
                     top=top_n)
    if _AVERAGE.search(normalised):
        return Asked("average", tuple(measures[:1]))
    if _SUM.search(normalised) and not _RANK.search(_LACK_ASKED.sub("", normalised)):
        return Asked("sum", tuple(measures[:1]))
    if _RANK.search(normalised) or RANK_PLACE.search(normalised):
        return Asked("rank", tuple(measures[:1]), smallest=bool(_SMALLEST.search(normalised)),
                     top=top_n, place=rank_place(normalised))
    return Asked("list", tuple(measures[:1]))


_UP = re.compile(r"增加|增长|上升|提高|涨|多了|升")


def _direction(normalised: str) -> bool | None:
    """True when a fall is asked about, False for a rise, None when any change is."""
    if _DOWN.search(normalised) or re.search(r"降|减|跌", normalised):
        return True
    return False if _UP.search(normalised) else None


_ENGLISH_CUES = (
    (r"\bin total\b|\baltogether\b|\bcombined\b|\bsum of\b|\badd(ed)? up\b|\btotal of\b|"
     r"\bwhat(?:'s| is| was) the total\b", "合计"),
    (r"\bshare\b|\bproportion\b|\bpercentage of\b|\bwhat part\b", "占比"),
    (r"\bchange[ds]?\b|\bgr[eo]w\b|\brise\b|\brose\b|\bfell\b|\bincrease[ds]?\b|"
     r"\bdecrease[ds]?\b|\bdifference\b", "变化"),
    (r"\bwhich\b( [\w'-]+){0,6} (departments?|units?|offices?)\b.*\b(fell|fall|decreas\w*|"
     r"dropp?\w*|declin\w*|went down|cut)\b", "哪些部门减少了"),
    (r"\bwhich\b( [\w'-]+){0,6} (departments?|units?|offices?)\b.*\b(rose|rise|increas\w*|"
     r"grew|grow|went up)\b", "哪些部门增加了"),
    # "which year had the biggest …": the years are ranked, not their first and last compared.
    (r"\b(which|what|in which) (fiscal |budget )?years?\b", "哪一年"),
    # "and by how much": the size of the move is asked, not only who moved.
    (r"\bby how much\b", "增减了多少"),
    (r"\b(highest|largest|most|biggest) to (the )?(lowest|smallest|least)\b|\bdescending\b",
     "从高到低"),
    (r"\b(lowest|smallest|least) to (the )?(highest|largest|most|biggest)\b|\bascending\b",
     "从低到高"),
    (r"\b(most|highest|largest|biggest|top)\b(?! to\b)", "最多"),
    (r"(?<!\bto )\b(least|lowest|smallest)\b(?! to\b)", "最少"),
    (r"\beach (department|unit)|\ball (the )?departments|\bdepartments\b", "各部门"),
    (r"\bfinal accounts?\b|\bactual(ly)?\b|\boutturn", "决算"),
)
_ENGLISH_RANGE = re.compile(r"(20\d{2})\s*(?:-|–|to|through|until|and)\s*(20\d{2})")


def english_cues(question: str) -> str:
    """The Chinese words for the set, the operation and the kind an English question asks."""
    lowered = question.lower()
    return "".join(word for pattern, word in _ENGLISH_CUES if re.search(pattern, lowered))


# A table named by its quoted Chinese title ("as printed in each '三公经费、会议费、培训费支出
# 预算表'"): where the figure stands, not measures asked.
_QUOTED_TITLE = re.compile(r"['‘“\"][^'’”\"]{2,40}表['’”\"]")


def without_table_titles(question: str) -> str:
    """The English question without the quoted Chinese titles of the tables it points at."""
    return _QUOTED_TITLE.sub(" ", question)


def english_years(question: str) -> tuple[int, ...]:
    """The years of an English question, a range "2023-2025" or "2023 to 2025" filled in."""
    found = {int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", question)}
    for start, end in _ENGLISH_RANGE.findall(question):
        low, high = sorted((int(start), int(end)))
        found.update(range(low, high + 1))
    return tuple(sorted(found))
