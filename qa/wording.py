"""Reading the wording of a question: operation words, scopes, counted nouns, the publisher.

Pure functions and patterns over normalised question text; the router uses them to cut a
question into the parts that name figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from qa.decide import abbreviates
from qa.question import Reading
from qa.text import norm
from retrieval.bm25 import words as jieba_words

# Words that tie two operands together in a sum.
AND_WORDS = re.compile(r"和|与|及|以及|、|加上|(?<![增追参附])加(?!班)|同|跟")
# The same, keeping the words between the parts (re.split with a group).
AND_WORDS_KEPT = re.compile(f"({AND_WORDS.pattern})")

COUNT_UNIT = re.compile(r"(?:多少|几)(辆|台|个|家|人次|批次|人|名|项|套|次|张|件)")

LEVEL_WORDS = {"类": 1, "款": 2, "项": 3}
# "这一类支出", "这三类", "哪一款": the level of the 功能分类 a question asks (not "这一项", said
# of any item).
ASKED_LEVEL = re.compile(r"(?:这一?|那一?|[两二三四五六七八九几]|哪一?)(类|款)")

# The comparison and question words of a growth question, removed to leave its subject.
COMPARISON = re.compile(r"(与|比|较|同)(上年|去年|上一年|20\d{2}年)(当年)?(预算执行数|预算数|执行数|决算数|"
                        r"预算|决算)?(相比)?|(增长|下降|减少|增加|降低|提高|上升|增减|变动|变化|涨|跌|降|多|少|变)了?"
                        r"(百分之几|百分之多少|百分比|多少|几).*$|(根据|按照|按|依据)(20\d{2}年度?)?的?(预算|决算)?说明(推算)?"
                        r"|同比|上年|去年"
                        # "是多了还是少了，差多少": asking the direction and the size.
                        r"|是?(多|增加|增长|涨|高)了?还是(少|减少|下降|降|低)了?|[，,]?(相|相比)?差(了|距)?多少.*$"
                        # "变化幅度多少": the size of the change asked as a rate.
                        r"|[，,]?(变化|变动|增减|涨跌|增长|下降|减少|增加)?的?幅度(是|有|为)?(多少|多大|几)?.*$")

# "这份预算的数字对得上吗？": a question about the document's own consistency.
AUDIT_QUESTION = re.compile(r"对得上|对不上|一致吗|是否一致|有没有错|有错误|核对|勾稽|数字.*(准确|正确)吗|"
                            r"加起来.*等于.*吗|审核")

# How many places in the retrieval ranking a passage that answers in the asked way moves up.
CUE_LIFT = 2.5

ANSWER_CUES = (
    (re.compile(r"原因|为什么|为何|为啥"), re.compile(r"原因|主要是|由于|因为")),
    (re.compile(r"位于|位置|地址|在哪"), re.compile(r"位于|坐落|地址|路口|东至|南至")),
    (re.compile(r"用于|用途|做什么|干什么|用来|哪些方面"), re.compile(r"用于|主要用于|用途")),
    (re.compile(r"负责|职责|职能"), re.compile(r"负责|职责|职能")),
    (re.compile(r"包括|哪些单位|构成"), re.compile(r"包括|构成")),
)

DEFINED = re.compile(r"^什么是(.+?)$|^(.+?)是什么$|^(.+?)(?:是)?指什么$|^(.+?)的(?:含义|定义)是?什么?$|"
                     r"^(.+?)是?(?:啥|什么)意思")
# A term the question quotes ("决算里说的“结转资金”是啥意思") is the one to define.
QUOTED_TERM = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")

# How names of government bodies end; a piece of the publisher's name that ends so names the
# body ("司法局", "万里街道"), while one that does not may name a figure ("政务服务…经费").
ORGANISATION = re.compile(r"(局|委|委员会|院|厅|办公室|街道|部|会|中心|处|办|所)$")
# Rows that are places: "银川市", "德钦县", "香格里拉产业园区", "迪庆州本级".
PLACE = re.compile(r"[\u4e00-\u9fff]{1,10}(市|县|区|州|旗|盟|园区|本级)$")


def without_publisher(reading: Reading, publisher: str,
                      in_a_label: Callable[[str], bool] = lambda text: False) -> Reading:
    """The question without the publisher's name ("司法局", "省政协办公厅"), which names the
    document, not a figure, and would otherwise match rows such as 司法."""
    # "西安市卫生健康委员会（汇总）": a bracketed note after the name is no part of it.
    name = re.sub(r"[(（][^)）]*[)）]$", "", norm(publisher))
    text = reading.normalised
    for size in range(len(text), 2, -1):
        i = 0
        while i + size <= len(text):
            piece = text[i:i + size]
            if piece in name and ORGANISATION.search(piece):
                text = text[:i] + text[i + size:]
                # "省检察院" for 江苏省人民检察院: the words before the organisation's name that
                # the publisher's name holds before it too (a shortened name).
                back = next((k for k in range(min(i, 4), 0, -1)
                             if -1 < name.find(text[i - k:i]) < name.find(piece)), 0)
                text, i = text[:i - back] + text[i:], i - back
                if re.match(r"机关(?!运行|事业|服务|后勤|党委|工会)", text[i:]):
                    text = text[:i] + text[i + 2:]  # "省政协机关": the publisher's own offices
            else:
                i += 1
    return replace(reading, normalised=_without_abbreviated(text, name, in_a_label))


def _without_abbreviated(text: str, name: str, in_a_label: Callable[[str], bool]) -> str:
    """`text` without an abbreviation of the publisher's name: "西安市发改委" for
    西安市发展和改革委员会, "卫健委" for 卫生健康委员会 — characters of the name in its order,
    opening where the name (or its part after the place) opens and closing with an organisation's
    word from the name's end."""
    # Where the name (or its part after a place, or after a place's party committee: "区委社会
    # 工作部" shortened to "社工部") opens.
    places = re.finditer(r"(省|自治区|市|区|县|州)委?", name)
    openings = {name[:1]} | {name[m.end():m.end() + 1] for m in places} - {""}
    for end in range(len(text), 2, -1):
        if not ORGANISATION.search(text[:end]) or text[end - 1] not in name[-3:]:
            continue
        for start in range(max(0, end - 12), end - 2):
            piece = text[start:end]
            # "江苏法院云平台租赁费": a printed label may open with the short name.
            if piece[0] in openings and abbreviates(piece, name) \
                    and not in_a_label(text[start:end + 2]):
                return text[:start] + text[end:]
    return text


# Kinds of figure a question may name that a table cell must say it is.
NAMED_MEASURE = re.compile(r"年初预算|全年预算|调整预算数?|预算执行数|执行数|决算数|决算|预算数")

# Words that name a kind of figure, not an item ("年初预算", "全年预算", "上年").
MEASURE_WORDS = re.compile(r"年初预算|全年预算|调整预算|预算数|决算数|执行数|预算|决算|"
                           r"的?(百分之几|百分之多少|百分比|比重|比例|多少|几倍|倍)")

WHICH_UNIT = re.compile(r"哪(个|家|一个|一家|些)?(单位|部门|机构|市县|县市|地区|地方|市|县|区|州)")

ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+")

# Counting words that name the same unit: people are counted as 人 or 名, vehicles as 辆 or
# 台 ("共有车辆 27 台").
SAME_COUNT = {"人": "名", "名": "人", "辆": "台"}

_COUNTED_NOUN = (("项目", "个"), ("车辆", "辆"), ("车", "辆"), ("编制", "名"), ("人员", "人"),
                 ("人", "人"), ("单位", "个"), ("设备", "台"))


def counted_noun(text: str) -> str | None:
    """What a counting question counts: "多少辆车" → 车, "几个预算单位" → 预算单位,
    "编制一共多少名" → 编制."""
    # (Not a particle after the count: "公车有几辆啊".)
    after = re.search(r"(?:多少|几)(?:个|名|辆|台|家|项|套|张|件|人次|批次|人|次)的?(?![啊呀呢吗吧嘛])"
                      r"([\u4e00-\u9fff]{1,4})", text)
    if after:
        # The first word only: "多少个项目编报了…" counts 项目. jieba knows the budget
        # vocabulary (预算单位, 公务用车) through retrieval.bm25.
        return next(iter(jieba_words(after.group(1))), None)
    # One character or one word at a time: "(?:有|共有|共)*" matched 共有 two ways and made
    # the search exponential in repeated 共有.
    before = re.search(r"([\u4e00-\u9fff]{2})(?:[了是为有共]|一共|总共)*(?:多少|几)", text)
    return before.group(1) if before and not re.search(r"数$|年$", before.group(1)) else None


def count_unit(reading: Reading) -> str | None:
    """The unit a counting question expects: "多少辆" → 辆, "项目数是多少" → 个."""
    match = COUNT_UNIT.search(reading.normalised)
    if match and match.group(1) == "个":
        # "事业编制有几个": 个 is any count's word; the counted noun says its printed unit.
        before = re.sub(r"(一共|总共|共|现在|目前)?(有|是|为)?$", "", reading.normalised[:match.start()])
        return next((u for noun, u in _COUNTED_NOUN if before.endswith(noun)), "个")
    if match:
        return match.group(1)
    if re.search(r"编制(人数|数|规模)?(是|为|有)?(多少|几)(?!钱)", reading.normalised):
        return "名"  # "编制是多少": posts are counted
    counted = re.search(r"(\w{1,4}?)数(是|为|有)?多少", reading.normalised)
    if counted:
        return next((u for noun, u in _COUNTED_NOUN if counted.group(1).endswith(noun)), None)
    # "有多少编制", "几台设备": the counted noun right after the question word, when it is
    # not the start of a money item ("多少项目支出" asks an amount).
    named = re.search(r"(?:多少|几)(" + "|".join(noun for noun, _ in _COUNTED_NOUN) + r")"
                      r"(?!支出|经费|资金|预算|收入|费|补助|拨款|的钱)", reading.normalised)
    if named:
        return dict(_COUNTED_NOUN)[named.group(1)]
    if re.search(r"的人(数)?(一共|总共|共|现在|目前)?(有|是)?(多少|几)(?!钱)", reading.normalised):
        return "人"  # "退休的人有多少": people are counted
    return None


def counts_noun(fact_words: str, counted: str) -> bool:
    """Whether a narrative count's words name what a question counts: the counted noun
    itself, or the counted kind it ends with ("公务用车" counts the 车 of "共有车辆2辆")."""
    if counted in fact_words:
        return True
    kind = next((noun for noun, _ in _COUNTED_NOUN if counted.endswith(noun)), None)
    return kind is not None and kind in fact_words


def context_prefix(text: str) -> str:
    """The "X中 / X里 / X的" scope at the start of a question, shared by every operand."""
    # 中 in 中心/中国/中央 and 下 in 下属/下达 are words, not scope markers.
    # "三公经费、会议费、培训费合计里，会议费占…": a comma may close the scope.
    # A table named before the figure may take 的: "机关运行经费表里的办公费".
    match = re.match(r"^(.{2,24}?)(表(之中|当中|里面|里头|中|里|内|上)的?|"
                     r"(之中|当中|里面|里头|中|里|下)(?![心国央学级小属达的]))[，,]?", text)
    return match.group(0) if match else ""


def scope_named(prefix: str) -> str:
    """What a scope prefix names: "政府采购里面" → 政府采购."""
    return re.sub(r"(之中|当中|里面|里头|中|里|内|上|下)的?[，,]?$", "", prefix)
