"""Reading a question: the operation it asks for, its years and its cues."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.across_scope import written_years
from qa.english import translate
from qa.lexicon import (FILLER_CHARS, FILLER_WORDS, RANK_PLACE, SUM_WORDS, Tag, canonical,
                        is_english, rank_place)
from qa.text import norm

# Checked in this order; the first operation whose pattern matches wins.
_OPERATIONS: tuple[tuple[str, re.Pattern], ...] = (
    ("text", re.compile(r"由谁|是谁|谁(来|负责|确定|决定|审批|批准|管)|原因|为什么|为何|为啥|咋回事|什么是|是什么|啥意思|什么意思|是指|指的是|哪[三两]|哪些|负责|职能|职责|位于|什么位置|"
                        r"用于|用途|用在|花在|如何|怎样|包括|主要内容|情况说明|解释|做什么|干什么|用来|"
                        r"什么用|干啥|做啥|啥用|哪些方面|哪里|何处|目标是|内容|哪几(个|家|项|类|位)(?!.*(最|排))|"
                        # "超长期特别国债要地方还本付息吗": yes or no about what a thing is or
                        # does, not about a figure ("有…吗" asks for one, perhaps zero).
                        r"^(?!.*(比|多少|几|增加|减少|增长|下降|降低|超过|超出|上涨)).*(要|会|能|可以|需要|需|算|属于|计入|纳入|由)"
                        r"[^，,。]{0,24}吗$")),
    ("share", re.compile(r"占.*(比例|比重|百分之|百分比|多少%|份额|几成)|占比|所占|"
                         r"占[^，,。？?]{0,24}?(多少|几)(?!钱|万|元|辆|个|人|名|台)|完成了.*百分之|"
                         r"完成率|执行率|完成.*(百分之|百分比|%|比例)|(是|为|相当于).*的(百分之几|百分之多少|百分比|几成)")),
    ("ratio", re.compile(r"(是|为|相当于).*的?(多少|几)倍|倍数")),
    ("growth", re.compile(r"(增长|下降|减少|增加|降低|提高|上升|变化|变动|减|涨|跌|降|多|少|高|低|变)出?了?(百分之几|百分之多少|多少%|几%|多少个?百分点|几成|"
                          r"的?幅度|的?比例|率|多少百分比|百分比)|增幅|降幅|涨幅|增速|增长率|下降率|增减率|"
                          # "变化了多少（百分比）": the bracket asks a rate.
                          r"(增长|下降|减少|增加|变化|变动)了?多少[（(](百分比|%|百分之几|百分数)[）)]|"
                          # "增长了多少" asks for a rate; "增加了多少" for an amount.
                          r"(增长|下降)了?多少(?!万|元)")),
    ("diff", re.compile(r"比.*(多|少|高|低|涨|降)(收|花|支出|支|用|拿|给|拨|安排|投入|预算)?(出|了)?(多少|几)|相差|差额|差多少|差了多少|"
                        r"(减少|增加|下降|增长|增减|变动|变化|涨|降)了?多少(万元|元)?|多出|高出|低出|"
                        r"(超出|超过|超支|节约|节省)了?多少|减去|减掉|扣除|扣掉")),
    ("rank", re.compile(r"最(多|少|高|低|大|小)|排名|第一|前三|哪(一|个)?(项|类|款|个|家)|" + RANK_PLACE.pattern)),
    # "水费加电费": 加 between two names adds them (not 增加, 追加, 参加, 附加, 加强 …).
    ("sum", re.compile(SUM_WORDS + r"|两项|三项|几项|[两二三四五六]样|"
                       r"[\u4e00-\u9fff]{2}(?<![增追参附])加上?(?![班强快大入速工])[\u4e00-\u9fff]{2}")),
    ("count", re.compile(r"几个|多少个|几家|多少家|多少辆|几辆|几台|多少台|多少人(?!员)|几人(?!员)|多少名|几名|"
                         r"多少项|几项|多少套|多少张|几张|多少件|几件|多少人次|几次|多少次|多少批次|几批")),
)
# The asker's framing before the question: "记者问：", "审计关注：", "作为审计人员，".
_PREAMBLE = re.compile(r"[^，,：:。？?！!]{1,16}[：:]|(作为|身为|我是)[^，,：:。？?！!]{1,14}[，,：:]")
_BUDGET_MORPHEME = re.compile(r"费|支出|收入|经费|资金|拨款|预算|决算|结转|结余|采购|工资|补贴|税|债")
# "除了公共安全支出以外，社保、卫生健康、住房保障这几类加一起": the exclusion only frames
# the items listed after it.
_EXCEPT_CLAUSE = re.compile(r"^除(了|去|掉)?[^，,。]{2,24}(以外|之外|外)[，,](?=[^，,。]*[、和])")
# "三工经费一共安排多少钱？不算会议费培训费的": a clause after the question that leaves out
# what the asked figure does not hold; the question before it names the figure.
_EXCLUDED_AFTER = re.compile(r"(?<=[？?，,。])\s*(不算|不含|不包括|不包含|除去|扣除|剔除)[^，,。？?]{2,24}[。？?]?$")
# "三工经费一共多少（不算会议费培训费的那种）", "（只算出国、公车和接待三项）": the asker's aside
# in brackets on what the figure holds or leaves out; the figure's own name says it.
_ASIDE = re.compile(r"[（(]\s*(不算|不含|不包括|不包含|除去|扣除|剔除|只算|只含|仅含|仅算|就是|也就是|即)"
                    r"[^（）()]{1,40}[)）]")
# "（按三公经费、会议费、培训费支出预算表）": a table named in an aside is the question's scope.
_TABLE_ASIDE = re.compile(r"[（(]\s*(按|根据|依据|以|看)(?P<table>[^（）()]{2,40}表)(为准|来看|计算)?\s*[)）]")
# "机关运行经费比上年少了多少万元？为啥少这么多": the figure is asked; its sentence gives the
# reason, the answer quotes it.
_WHY_AFTER = re.compile(r"(?<=[？?])\s*(为啥|为什么|为何|什么原因|啥原因|原因是什么|怎么回事|咋回事)[^？?]*[？?。]?$")
# "养人的钱（人员经费）": the asker's own gloss, the same words once everyday words are read.
_GLOSS = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,24})[（(](?P<gloss>[\u4e00-\u9fff]{2,24})[）)]")
# "水电费一年预算多少？就是水费加电费": the asker restating, after the question, what they
# asked; the question already names it.
_RESTATED = re.compile(r"(?<=[？?])\s*(就是|也就是|即|我是说|意思是|指的是)[^？?]*[？?。]?$|"
                       # "…是多少？跟今年比增加了多少可以倒推": a hint how to find it.
                       r"(?<=[？?])[^？?]*(倒推|推算|推出来|反推|算一下|算算)[^？?]*[？?。]?$|"
                       # "公车运行费今年预算多少 比去年多了还是少了": a yes-or-no about the
                       # change, after the amount asked; the amount is the answer.
                       r"(?<=多少)[\s，,？?]+(跟|和|与|同)?(比)?(去年|上年|上一年)(比|相比)?"
                       r"(多了还是少了|是多了还是少了|变了没有?|有没有变化?|变化大吗|涨了没有?|降了没有?)"
                       r"[？?。]?$")
# "人员经费是多少？养人的钱到底多少": the same figure asked again after the question, in other
# words that read as the same (see _asked_again).
_SECOND_QUESTION = re.compile(r"(?<=[？?])\s*(?P<again>[^？?]{2,30})[？?。！!]?$")
# "按说明里的增加额倒推，…上年预算是多少": how to work the figure out, said before the
# question; the question names the figure.
_METHOD_BEFORE = re.compile(r"^[^，,。？?]{0,24}(倒推|推算|反推|倒算|算一下|算算)[，,]|"
                            # "把财政拨款、事业收入、其他收入都算上，…": every fund, as a table's
                            # 合计 already is; the funds listed are no items to add.
                            r"^把[^，,。？?]{2,40}(都|全|全部)?(算上|算进去|算在内|计算在内|包括在内|包括进来)[，,]")
# "养人的钱，也就是工资福利支出，…": the asker's own gloss names the printed item.
# ("养人的钱，也就是基本支出里的人员经费有多少": the gloss may run on into the question.)
_SAID_AGAIN = re.compile(r"[\u4e00-\u9fff]{2,24}[，,]\s*(也就是|就是|即|亦即)(?P<gloss>[\u4e00-\u9fff]{2,24})[，,]|"
                         r"^[\u4e00-\u9fff]{2,12}[，,]\s*(也就是|就是|亦即)(?!多少|是|几)(?P<rest>[^，,]{4,40})$")
# "商务委养人的钱一年多少 人员经费": the name asked said again after the question.
_NAMED_AGAIN = re.compile(r"(?:(?<=多少)|(?<=[几啥]))[\s，,]+([\u4e00-\u9fff]{2,12})[？?。]?$")
# "司法款下面哪个项目", "教育类里": the level word after a name says which row, the name says
# it already (not the 款 of 拨款, 贷款 … nor the 类 of 分类, 哪类 …).
_LEVEL_AFTER_NAME = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![拨贷捐存欠罚借付汇公])款(?=下|里|中|底下)|"
                               r"(?<=[\u4e00-\u9fff]{2})(?<![分种门大这那哪各几同两三一])类(?=下|里|中|底下)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_DATE = re.compile(r"(截[至止]|到)?\s*20\d{2}\s*年\s*(\d{1,2}\s*月(\s*\d{1,2}\s*日)?|底|末)")
_WHICH_MOST = re.compile(r"哪(一|个)?(项|类|款|个|块|方面)[^，,。？?]{0,12}最(多|大|高|少|低)|"
                         r"最(多|大|高|少|低)的是哪(一|个)?(项|类|款|个|块|方面)")
_LARGEST = re.compile(r"最(多|高|大)|第一")
# "上年结转" names an item (the carry-over into this year), not last year's figures.
_PREVIOUS = re.compile(r"上年(?!结转|结余)|去年|上一年|前一年")
_NUMERIC = re.compile(r"多少|几|金额|数额|预算数|是多少|多大|多高|百分之|%|倍|比重|比例")


def without_preamble(question: str) -> str:
    """The question without the asker's framing before it ("记者问：", "作为审计人员，"): a
    leading clause ended by a colon, or opened by 作为/身为/我是 and ended by a comma, that
    names no budget word and no year."""
    found = _PREAMBLE.match(question)
    if found and not _BUDGET_MORPHEME.search(found.group(0)) and not re.search(r"\d", found.group(0)) \
            and len(question) - found.end() >= 4:
        return question[found.end():]
    return question


def _asked_again(text: str) -> str:
    """The question without a second one after its question mark that asks nothing new:
    the names it keeps, once asking words are dropped, all stand in the first, and it asks
    no other operation ("…是多少？占比呢" asks a share: kept)."""
    second = _SECOND_QUESTION.search(text)
    if second is None:
        return text
    again = second.group("again")
    names = "".join(c for c in FILLER_WORDS.sub("", norm(again)) if c not in FILLER_CHARS)
    if not names or names not in norm(text[:second.start()]) \
            or any(pattern.search(norm(again)) for _, pattern in _OPERATIONS):
        return text
    return text[:second.start()]


@dataclass(frozen=True)
class Reading:
    """What a question asks, before it is linked to the store."""

    question: str
    normalised: str
    operation: str  # lookup, sum, diff, share, ratio, growth, rank, count, text
    years: tuple[int, ...]
    largest: bool  # for rank
    asks_previous: bool  # asks about last year's figure
    numeric: bool  # wants a number rather than an explanation
    tags: tuple[Tag, ...] = ()  # words read through the lexicon (everyday, typo, English)
    wording: str = ""  # the question in printed budget wording, as it was read
    place: int | None = None  # for rank: the place asked ("排第二"), None for the head
    asks_reason: bool = False  # a figure asked with its reason after it ("…少了多少？为啥")


def read_question(question: str) -> Reading:
    """Operation, years and cues of a question, read in printed budget wording: typos,
    everyday words and English are first rewritten through `qa.lexicon`."""
    text, tags = question, ()
    if is_english(question):
        translated, tags = translate(question)
        text = translated or question
    text = _EXCLUDED_AFTER.sub("", _ASIDE.sub("", written_years(text)))
    table = _TABLE_ASIDE.search(text)
    if table:
        text = f"{table.group('table')}中，" + text[:table.start()] + text[table.end():]
    asks_reason = bool(_WHY_AFTER.search(text)) and bool(_NUMERIC.search(_WHY_AFTER.split(text)[0]))
    if asks_reason:
        text = _WHY_AFTER.sub("", text)
    text, more = canonical(_EXCEPT_CLAUSE.sub("", without_preamble(text)))
    text = _asked_again(_LEVEL_AFTER_NAME.sub("", _RESTATED.sub("", _METHOD_BEFORE.sub("", text))))
    repeated = _NAMED_AGAIN.search(text)
    if repeated and repeated.group(1) in text[:repeated.start()]:
        text = text[:repeated.start()]
    text = _SAID_AGAIN.sub(lambda m: m.group("gloss") or m.group("rest"), text)
    text = _GLOSS.sub(lambda m: m.group("name") if m.group("name").endswith(m.group("gloss"))
                      else m.group(0), text)
    tags = tags + more
    normalised = norm(text)
    operation = "lookup"
    for name, pattern in _OPERATIONS:
        if pattern.search(normalised):
            operation = name
            break
    if operation == "text" and _WHICH_MOST.search(normalised) and not re.search(
            r"原因|为什么|为何|为啥", normalised):
        # "钱主要花在哪一类支出上，哪类最多": which item is largest is a ranking.
        operation = "rank"
    if operation == "text" and re.search(r"多少|几", normalised) and not re.search(
            r"原因|为什么|为何|为啥|哪些|哪几", normalised):
        # "单位价值50万元以上的通用设备有几台" names 包括/用于 but wants a number.
        operation = "count" if re.search(r"几|多少(个|台|辆|家|人|名|项|套)", normalised) else "lookup"
    # "截至2023年8月31日" / "2022年底" date a stock (vehicles, assets), not a budget year.
    undated = _DATE.sub("", unicodedata.normalize("NFKC", text))
    years = tuple(int(y) for y in _YEAR.findall(undated))
    return Reading(
        question=question, normalised=normalised, operation=operation, years=years,
        largest=bool(_LARGEST.search(normalised)) or bool(
            RANK_PLACE.search(normalised) and not re.search(r"倒数|第.{1,2}(少|低|小)", normalised)),
        place=rank_place(normalised), asks_previous=bool(_PREVIOUS.search(normalised)),
        numeric=operation != "text" and bool(_NUMERIC.search(normalised) or operation != "lookup"),
        tags=tags, wording=text, asks_reason=asks_reason,
    )
