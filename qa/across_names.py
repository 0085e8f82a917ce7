"""How a cross-document question names departments and places, and which names it leaves unresolved.

People name a department by a shortened form of its printed name: 高院 for 江苏省高级人民法院,
卫健委 for 西安市卫生健康委员会, 普陀规划资源局 for 上海市普陀区规划和自然资源局. Such a form
keeps the printed name's characters in order and ends on its organisation word (院, 委, 局 …),
so a mention is matched as an in-order subsequence of the name ending in the name's last
organisation word. A department or place word that names no stored publisher is returned as
unresolved: the caller refuses rather than answer from other documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The end of a department's name as people write it; 部门/委托/院校 are not names.
ORG_END = re.compile(r"委员会|办公厅|办公室|办事处|街道|中心|学院|福利院|人大|政协|"
                     r"局|委(?![托员])|院(?!校)|厅|部(?![门分])|"
                     # "政务服务办", "省委办": an office shortened to 办 (not 办理, 举办 …)
                     r"办(?![公事理法])")
# Words ending like a name that name no one department.
_GENERIC_ORG = re.compile(r"各|全部|所有|这些|那些|哪|几个|每个|该|本(委员会|办公厅|办公室|局|委|院|厅|部)|"
                          r"(全|内|外|级|个|家)(委员会|办公厅|办公室|局|委|院|厅|部|中心)$")
# What may stand before a name: the question's start, a separator, a year or a particle.
_BEFORE_NAME = "的和与及跟同、年在里对比占是(（"
# Provinces, large cities and districts a question may name without 省/市/区: a place named
# this way must have documents, else the question is about documents the store lacks.
GAZETTEER = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
    "杭州", "南京", "广州", "深圳", "成都", "武汉", "西安", "苏州", "青岛", "宁波", "厦门",
    "长沙", "郑州", "济南", "合肥", "福州", "昆明", "沈阳", "大连", "哈尔滨", "长春", "石家庄",
    "太原", "南昌", "南宁", "贵阳", "兰州", "海口", "呼和浩特", "乌鲁木齐", "银川", "西宁",
    "拉萨", "无锡", "佛山", "东莞", "温州", "绍兴", "嘉兴", "金华", "台州", "徐州", "常州",
    "南通", "扬州", "珠海", "汕头", "洛阳", "平顶山", "迪庆", "盐田", "浦东", "黄浦", "徐汇",
    "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "金山", "松江", "青浦",
    "奉贤", "崇明", "海淀", "朝阳", "东城", "西城", "丰台", "福田", "罗湖", "南山", "宝安",
    "龙岗", "渝中", "江北", "雁塔", "碑林")
# A place written with its level: "杭州市", "江苏省", "普陀区" (after a year or at the start).
_PLACE_WORD = re.compile(r"(?:^|(?<=年)|(?<=[^\u4e00-\u9fff]))([\u4e00-\u9fff]{2,4}?)(省|市|区|县|州)")
# ("市里和区里": the city's and the district's, said of levels, not a place's name.)
_NOT_PLACE = re.compile(r"社|城乡|地|辖|园|片|全|本|各|市县|省市|区县|城|超|都|区域|[省市区县]里")
# A stem holding a department's name before a list word ("省高院和省检察院" read as the place
# "省高院和" + 省) names bodies, not a place.
_NAMES_A_BODY = re.compile(r"(" + ORG_END.pattern + r")[和与及跟同、]")
# Generic chunks the last-organisation-word check strips from a printed name.
_NAME_TAIL_NOISE = re.compile(r"\(.*?\)$|（.*?）$")


@dataclass(frozen=True)
class Mention:
    """A span of the question naming one or more publishers."""

    start: int
    end: int
    text: str
    publishers: tuple[str, ...]
    exact: bool  # the span is a contiguous piece of the printed name


def is_subsequence(short: str, name: str) -> list[int] | None:
    """Positions in `name` of `short`'s characters, in order (None when not all found)."""
    positions, at = [], 0
    for ch in short:
        at = name.find(ch, at)
        if at < 0:
            return None
        positions.append(at)
        at += 1
    return positions


def _ends_on_org_word(name: str, position: int, mention: str) -> bool:
    """The mention's last character falls on the name's last organisation word (院 of 法院,
    委 of 委员会), or the mention is a head such as 人大/政协/省委 that names a body."""
    if mention.endswith(("人大", "政协", "省委", "市委", "区委")):
        return True
    tail = _NAME_TAIL_NOISE.sub("", name)
    return position >= len(tail) - 4


def mentions(question: str, names: dict[str, str]) -> list[Mention]:
    """Every organisation word of the normalised `question` with the publishers it names.

    `names` maps each publisher to its normalised printed name. For each organisation word
    ending, the span before it is grown one character at a time while it stays a subsequence
    of some printed name ending on that name's organisation word (a longer span's names are
    among a shorter one's, so the candidates only narrow); the longest such span is the
    mention. A word naming nobody is returned with no publishers."""
    out = []
    for m in ORG_END.finditer(question):
        end = m.end()
        start = end - 2
        candidates = list(names)
        best: tuple[int, list[str]] | None = None
        while start >= 0 and end - start <= 12 and re.match(r"[\u4e00-\u9fff]", question[start]):
            piece = question[start:end]
            candidates = [p for p in candidates if _names(piece, names[p])]
            if not candidates:
                break
            best = (start, candidates)
            start -= 1
        if best is None:
            if m.group(0) == "办":
                continue  # 办 naming no office is a verb ("承办", "举办")
            word = _word_before(question, m.start(), end)
            if word and not _GENERIC_ORG.search(word):
                out.append(Mention(m.start(), end, word, (), False))
            continue
        start, found = best
        piece = question[start:end]
        if end - start == 2 and piece in "".join(names[p] for p in found) and start > 0 and \
                not piece.endswith(("人大", "政协")) and \
                re.match(r"[\u4e00-\u9fff]", question[start - 1]) and \
                question[start - 1] not in _BEFORE_NAME:
            # Two printed characters inside a longer word ("政局" of 民政局) name nobody.
            out.append(Mention(start - 1, end, _word_before(question, m.start(), end), (), False))
            continue
        exact = [p for p in found if piece in names[p]]
        out.append(Mention(start, end, piece, tuple(exact or found), bool(exact)))
    return out


def _names(piece: str, name: str) -> bool:
    positions = is_subsequence(piece, name)
    if not positions:
        return False
    # The last character on the name's last occurrence of it: "规划局" ends on the 局 of
    # 深圳市规划和自然资源局盐田管理局's 管理局, not on that of 自然资源局.
    last = name.rfind(piece[-1])
    return last >= positions[-1] and _ends_on_org_word(name, last, piece)


def _word_before(question: str, start: int, end: int) -> str:
    """The name-like word ending at `end`: Chinese characters back to a separator, a year or
    a particle, at most 10 of them ("" for a bare 局/委)."""
    begin = start
    while begin > 0 and end - begin < 10 and re.match(r"[\u4e00-\u9fff]", question[begin - 1]) \
            and question[begin - 1] not in _BEFORE_NAME:
        begin -= 1
    return question[begin:end] if end - begin >= 2 else ""


def unresolved_places(question: str, known_names: list[str]) -> list[str]:
    """Places the question names that no stored publisher's name contains ("杭州市" with no
    Hangzhou document)."""
    joined = "|".join(known_names)
    out = []
    for place in GAZETTEER:
        if place in question and place not in joined:
            out.append(place)
    for m in _PLACE_WORD.finditer(question):
        stem = m.group(1)
        if "年" in stem or _NOT_PLACE.search(stem) or _NAMES_A_BODY.search(stem) or \
                any(stem in p or p in stem for p in out):
            continue
        if stem not in joined and not any(g in stem for g in GAZETTEER if g in joined):
            out.append(stem + m.group(2))
    return list(dict.fromkeys(out))


def drop_contained(found: list[Mention]) -> list[Mention]:
    """Unresolved words that sit inside a resolved mention are part of it ("常委" of
    "省人大常委会办公厅")."""
    resolved = [m for m in found if m.publishers]
    return resolved + [m for m in found if not m.publishers and not any(
        r.start <= m.end - 1 < r.end for r in resolved)]


# English names of places and departments, read into the Chinese a question would use.
ENGLISH_NAMES: tuple[tuple[str, str], ...] = (
    (r"wanli( sub-?district)?", "万里街道"), (r"putuo", "普陀区"), (r"jiangsu", "江苏省"),
    (r"shanghai", "上海市"), (r"beijing", "北京市"), (r"chongqing", "重庆市"),
    (r"shenzhen", "深圳市"), (r"yantian", "盐田"), (r"foshan", "佛山市"), (r"xi'?an", "西安市"),
    (r"ningxia", "宁夏"), (r"diqing", "迪庆州"), (r"pingdingshan", "平顶山市"),
    (r"shaoxing", "绍兴市"), (r"hangzhou", "杭州市"), (r"nanjing", "南京市"),
    (r"guangzhou", "广州市"), (r"(high|higher|provincial) (people'?s )?court", "高级人民法院"),
    (r"procuratorate", "人民检察院"),
    # A department's whole English name, so its "general office" is not another's.
    (r"(people'?s congress|\bnpc\b)( standing committee)?( (general )?office)?", "人大常委会办公厅"),
    (r"(cppcc|political consultative( conference)?)( committee)?( (general )?office)?",
     "政协办公厅"),
    (r"party (committee )?(general )?office", "省委办公厅"),
    (r"commerce commission|commission of commerce", "商务委员会"),
    (r"finance bureau|bureau of finance", "财政局"), (r"justice bureau|bureau of justice", "司法局"),
    (r"welfare home", "社会福利院"),
    (r"government (affairs )?services? (management )?(office|cent(er|re))", "政务服务办公室"), (r"social work (department|dept)", "社会工作部"),
    (r"planning (and |& )?(natural )?resources?( bureau)?", "规划和自然资源局"),
    # Shenzhen's district office of its planning bureau ("… Yantian office").
    (r"yantian (management )?(office|bureau|administration)", "盐田管理局"),
    (r"planning (office|administration)", "规划管理局"),
    (r"health commission", "卫生健康委员会"), (r"development (and )?reform commission|\bdrc\b",
                                                "发展和改革委员会"),
    (r"rail( transit)?( bureau)?", "轨道交通局"), (r"(jiaotong )?vocational college", "交通职业技术学院"),
    (r"(people'?s )?government('?s)? general office|general office of the ([a-z]+ )*"
     r"(people'?s )?government", "人民政府办公厅"),
)
_ENGLISH_PLACES = {chinese for _, chinese in ENGLISH_NAMES
                   if re.search(r"(省|市|区|州)$", chinese) or chinese in GAZETTEER}


_ENGLISH_ORGANISATION = re.compile(r"(\s+[\w'-]+){0,3}?\s+(bureau|office|commission|committee|cppcc|npc|"
                                   r"congress|government|department|court|procuratorate|college)\b")


def places_named(question: str, with_organisation: bool = False) -> list[str]:
    """The places a question names, as their Chinese stems ("上海", "南京"): gazetteer names
    written in Chinese, and English place names ("Shanghai Municipal …"); with
    `with_organisation`, only those named with an organisation after them ("南京市政协",
    "Shanghai Municipal Finance Bureau")."""
    found = [p for p in GAZETTEER if p in question and (not with_organisation or re.search(
        re.escape(p) + r"[\u4e00-\u9fff]{0,6}?(" + ORG_END.pattern + ")", question))]
    lower = question.lower()
    for pattern, chinese in ENGLISH_NAMES:
        named = re.search(rf"\b{pattern}\b", lower) if chinese in _ENGLISH_PLACES else None
        if named and (not with_organisation or _ENGLISH_ORGANISATION.match(lower, named.end())):
            found.append(re.sub(r"(?<=..)(省|市|区|州)$", "", chinese))
    return list(dict.fromkeys(found))


# The level of a place between it and its department ("Shanghai municipal finance bureau").
_LEVEL_WORDS = re.compile(r"\b(municipal|provincial|district|city|county|prefectur(e|al))\b")


def english_scope(question: str) -> str:
    """The Chinese names of the places and departments an English question names, in the
    order it names them (separated by 、)."""
    lowered = question.lower()
    found = []
    for pattern, chinese in ENGLISH_NAMES:
        for m in re.finditer(pattern, lowered):
            found.append((m.start(), m.end(), chinese))
    # Where two names overlap ("party committee general office"), the longer is meant.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, chinese in found:
        if not any(s < end and start < e for s, e, _ in kept):
            kept.append((start, end, chinese))
    words: list[str] = []
    last_end, last_place = -1, False
    for start, end, chinese in sorted(kept):
        place = chinese in _ENGLISH_PLACES
        if words and last_place and not place and not _LEVEL_WORDS.sub(
                "", lowered[last_end:start]).strip():
            # "Shanghai Finance Bureau" is one name, 上海市财政局, not 上海市 and some 财政局
            # ("江苏省" + "省委办公厅" → 江苏省委办公厅).
            words[-1] += chinese[1:] if chinese[0] == words[-1][-1] else chinese
        else:
            words.append(chinese)
        last_end, last_place = end, place
    return "、".join(words)


def without_english_names(question: str) -> str:
    """The English question with its place and department names blanked: "Xi'an health
    commission" names a publisher, and its "health" is no 卫生健康支出 to compare."""
    lowered = question.lower()
    spans = [(m.start(), m.end()) for pattern, _ in ENGLISH_NAMES
             for m in re.finditer(pattern, lowered)]
    out = list(question)
    for start, end in spans:
        out[start:end] = [" "] * (end - start)
    return "".join(out)
