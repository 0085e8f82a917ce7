"""When a cross-document reading is not fully covered, the answer says what it understood and
refuses: a place, department or year the store does not hold, a word naming several
departments, or a part of a measure the documents do not state alike for every department.
Also finds the publisher whose share of a set is asked ("高院占这四个部门总和的比例")."""

from __future__ import annotations

import re

from budgetqa.domain import Answer
from ingest.measures import FUNCTION_CLASS
from qa.across_items import ECONOMIC, FUNCTION_ITEM
from qa.across_scope import Selection
from qa.across_words import MEASURE_WORDS, Asked
from qa.question import Reading

# Words that narrow a measure to a part no canonical measure holds ("面向中小企业预留的政府
# 采购", "政府性基金安排的三公经费"): the total would answer another question.
_NARROWER = re.compile(r"中小企业|预留|政府性基金|国有资本经营|货物类?|工程类?|服务类|"
                       r"事业收入|经营收入|上级补助|附属单位")
_EACH_YEAR = re.compile(r"分别|各年|每年|逐年|各自")
# A change between the years: the years' figures are compared, never added up.
_MOVE_WORD = re.compile(r"比|降|减|增|涨|跌|变|压")
_PER_HEAD = re.compile(r"人均|每人|每个人|每名|per capita|per person|per head")
# The set named before the department ("四家省级部门的人员经费里，高院占了多少").
_SET_BEFORE_SUBJECT = re.compile(r"[两二三四五六七八九十\d几]+(个|家)|各(个|家)?(部门|单位)|"
                                 r"(省级|区级|市级|所有|全部|这些|那些)(部门|单位|机关)")
# After the department, words that make the whole a set of departments, not another measure.
_SET_AFTER_SHARE = re.compile(r"(这|各|几个|[两二三四五六七八九十\d]个|所有|全部|省级|区级|市级|"
                              r"部门|单位|合计|总和|总数|总额|加起来|一共)")


def understood(selection: Selection, measures: list[str]) -> str:
    """What the question was read as, in words, for a refusal."""
    parts = []
    if selection.years:
        parts.append("年度" + "、".join(str(y) for y in selection.years))
    if selection.named:
        parts.append("部门" + "、".join(selection.named))
    elif selection.place:
        parts.append("地区" + selection.place)
    if selection.basis:
        parts.append(selection.basis)
    parts.append("指标" + "、".join(m.split(":")[0] for m in measures))
    return "；".join(parts)


def refusal(reading: Reading, selection: Selection, measures: list[str], asked: Asked,
            scope_text: str, class_labels=()) -> Answer | None:
    """A `none` answer when part of the question's scope or measure cannot be covered, else
    None. `scope_text` is the text the selection was read from (its mentions' positions)."""
    reasons = []
    extra = unexplained_words(scope_text, selection, class_labels, measures=measures) \
        or unexplained_items(scope_text, selection, class_labels, measures)
    if selection.unresolved:
        reasons.append("没有收录“" + "”“".join(selection.unresolved) + "”的文件")
    for word, publishers in selection.ambiguous:
        reasons.append(f"“{word}”可以指{'、'.join(publishers)}，请说明是哪一个")
    narrower = _NARROWER.search(reading.normalised)
    if extra and not narrower:
        name = measures[0].split(":")[0]
        reasons.append(f"问题里的“{'”“'.join(extra)}”不是各文件统一列出的指标或范围，不能用{name}回答")
    if narrower and not any(narrower.group(0) in m for m in measures):
        name = measures[0].split(":")[0]
        reasons.append(f"问题问的是{name}中的一部分（{narrower.group(0)}），各文件统一列出的只有"
                       f"{name}总额，不能当作这一部分")
    if selection.absent and len(selection.named) >= 2 and (
            asked.operation in ("average", "share", "difference", "ratio") or
            # A total over the named departments is given over those held, the others
            # named in its first line (qa.across_compose); not when fewer than two are held.
            asked.operation == "sum" and len(selection.named) - len(selection.absent) < 2 or
            asked.operation == "rank" and len(selection.named) - len(selection.absent) < 2):
        # A total or comparison of the departments named needs every one of them.
        reasons.append("问题所列的部门不全有所问年度和类别的文件（" +
                       "；".join(selection.absent) + "），算出的数不是所问的")
    if asked.operation not in ("series", "changes") and _years_mixed(selection) and not (
            asked.operation == "sum" and not _EACH_YEAR.search(reading.normalised)
            and not _MOVE_WORD.search(reading.normalised)):
        # "2018年和2019年各部门三公经费" ranked or averaged as one list would set one
        # department's two years against each other.
        reasons.append("问题包含多个年度（" + "、".join(str(y) for y in selection.years) +
                       "），同一部门各年的数不放在一张排名里；请指明一个年度，或问某个部门的历年变化")
    per_head = _PER_HEAD.search(reading.normalised + reading.question.lower())
    if per_head:
        reasons.append(f"问题问的是{per_head.group(0)}的数，各文件没有统一口径的人数，不能按人平均")
    if not reasons:
        return None
    text = "无法回答：" + "；".join(reasons) + "。\n按问题理解：" + understood(selection, measures) + "。"
    return Answer(question=reading.question, doc=None, route="none", text=text,
                  reading={"operation": f"across-{asked.operation}",
                           "years": list(selection.years), "basis": selection.basis,
                           "publishers": list(selection.named),
                           "unresolved": list(selection.unresolved), "documents": []})


def refusal_of_share(reading: Reading, selection: Selection, subject: str,
                     measures: list[str], asked: Asked) -> Answer:
    """A share of one department in a set the question leaves it alone in: no share is 100%
    by reading; say what was understood."""
    return Answer(question=reading.question, doc=None, route="none",
                  text=f"无法回答：问题所说的部门集合里只找到{subject}一家，不能算它的占比；"
                       f"请列出要比较的部门或说明范围。\n按问题理解：{understood(selection, measures)}。",
                  reading={"operation": f"across-{asked.operation}",
                           "years": list(selection.years), "basis": selection.basis,
                           "publishers": [subject], "unresolved": list(selection.unresolved),
                           "documents": []})


def share_subject(normalised: str, selection: Selection, asked: Asked,
                  english: bool = False) -> tuple[str, str, str] | None:
    """(publisher, question without it, the same without the place its name carried) when
    the question asks one named publisher's share of a set of departments; None otherwise."""
    if asked.operation == "position" and len(selection.named) == 1:
        # "高院的机关运行经费在江苏四个部门里排第几": its place among the set.
        mention = next(m for m in selection.mentions if selection.named[0] in m.publishers)
        return (selection.named[0], _without(normalised, mention, selection),
                _without(normalised, mention, selection, keep_place=False))
    if not selection.named or "占" not in normalised and not english:
        return None
    named = [m for m in selection.mentions if m.publishers
             and set(m.publishers) & set(selection.named)]
    if not named:
        return None
    if english:
        mention = named[-1]
    else:
        share_at = normalised.index("占")
        before = [m for m in named if m.end <= share_at]
        if not before or not (_SET_AFTER_SHARE.search(normalised[before[-1].end:]) or
                              _SET_BEFORE_SUBJECT.search(normalised[:before[-1].start]) or
                              _listed_before(before)):
            return None
        mention = before[-1]
    publisher = next(p for p in mention.publishers if p in selection.named)
    return (publisher, _without(normalised, mention, selection),
            _without(normalised, mention, selection, keep_place=False))


def _listed_before(before: list) -> bool:
    """Whether the department named before 占 was already named in a list of two or more
    before it ("把A、B、C的三公经费加在一起，A占了百分之几"): the list is the set, the
    department named again its part."""
    subject = set(before[-1].publishers)
    earlier = [m for m in before[:-1] if m.start < before[-1].start]
    return len(earlier) >= 2 and any(subject & set(m.publishers) for m in earlier)


def _without(normalised: str, mention, selection: Selection, keep_place: bool = True) -> str:
    """The question without a department's mention, keeping the place it carried ("江苏省高院"
    → 江苏): the place still scopes the set (unless `keep_place` is False)."""
    place = selection.place if keep_place and selection.place and \
        selection.place in mention.text else ""
    return normalised[:mention.start] + place + normalised[mention.end:]


def _years_mixed(selection: Selection) -> bool:
    """Whether the selection holds two years of one publisher (of one kind)."""
    seen = set()
    for d in selection.disclosures:
        slot = (d.publisher, d.basis, d.kind if selection.both_kinds else "")
        if slot in seen:
            return True
        seen.add(slot)
    return False


# What a cross-document question may say besides its departments, places, years and measure:
# set words, ranking and arithmetic words, everyday fillers. A run of four or more other
# characters names something the measures do not hold ("工资福利支出" of 人员经费,
# "面向中小企业预留" of 政府采购).
_SAID = re.compile(
    # All funds, which is how the measures are read unless a fund is named ("算上所有资金
    # 来源的基本支出", "全口径"): no part of the measure.
    r"(算上|加上|包括|包含|含|连同)?(所有|全部|各类|各项|各种|一切)的?资金(来源|渠道)?|"
    r"全口径|(不论|不管|无论|不分)资金(来源|渠道)?|"
    # The collection itself ("语料里的四份部门决算", "库里收录的文件").
    r"语料库?|资料库|库里|收录的?|这?[两二三四五六七八九十几\d]份|文件|"
    r"一般公共预算|财政拨款|省级部门|区级部门|市级部门|省级机关|省级单位|部门预算|单位预算|"
    r"部门决算|决算数|预算数|预算|决算|安排|支出|部门|单位|机关|机构|各家|各个|各|这些|那些|"
    r"这|那|几个|几家|个|家|哪个|哪家|哪一个|哪一项|哪些|哪|谁|最|排名|排序|排行|排第|排|"
    r"第|前|名|从高到低|从低到高|从多到少|从少到多|由高到低|由低到高|高到低|低到高|倒数|"
    r"合计|总共|一共|加起来|加一块儿?|加到一起|加到一块儿?|加一起|加在一起|总和|合起来|共计|加总|总计|汇总|累计|总数|总额|"
    r"平均|每家|分别|各自|各是|比较|对比|相比|比一比|比|较|和|与|及|跟|同|或|还是|"
    r"增长|增加|减少|下降|降低|上升|提高|压减|涨|降|变化|变动|怎么变|走势|趋势|历年|逐年|"
    r"每年|各年|近|这几年|多少|几|百分之|百分比|比例|比重|占比|占|倍|差|相差|差距|差额|"
    r"多|少|高|低|大|小|省|市|区|县|州|花|花得|花了|用|用了|钱|金额|数额|数|是|的|了|在|里|中|其中|"
    r"有|为|给|看|看看|报的|列的|写的|公布的|公开的|报|请问|问|一下|帮我|告诉我|呢|吗|啊|吧|呀|嘛|么|实际|别把|别算|不要|"
    r"不|算进去|算|进去|包括|包含|含|除了|年度|年|万元|亿元|元|情况|怎么样|怎样|如何|"
    r"哪年|那年|三年|两年|一年|之间|以来|期间|同期|上年|去年|今年|本年|一样|相同|"
    r"第一|第二|第三|一|二|两|三|四|五|六|七|八|九|十|共|开会|盘子|规模|总体|整体|全部|所有|"
    # A span of years and the size of a change ("从2017年到2019年", "增幅百分之几").
    r"从|到|至|增幅|降幅|涨幅|幅度|增长率|百分点|"
    # The asker speaking ("我问下哈", "还有", "车子"), not a scope or a measure.
    r"我|我们|问下|哈|还有|车子|越来越|是不是|啦|"
    # Spoken openers and pointers ("喂，我想问下那个会议费", "变了没有啊").
    r"喂|想|那个|这个|变没变|没有?|"
    # The measure pointed at again, and the table it is read by ("哪几家没有这一类支出",
    # "按收支预算总表口径").
    r"这一?类|这一?项|按|口径")


# The title of a summary table ("收支预算总表", "部门收入预算总表", "财政拨款收支总表").
_TABLE_NAME = r"(部门)?(财政拨款)?(收支|收入|支出)(预算|决算)?总表"


def unexplained_words(normalised: str, selection: Selection, class_labels=(),
                      at_least: int = 4, measures=()) -> list[str]:
    """The stretch of a cross-document question holding `at_least` characters that are
    neither its departments, places, years, measures nor the words of what it asks ([] when
    every word is accounted for)."""
    covered = _covered(normalised, selection, class_labels, measures)
    left = [i for i, c in enumerate(covered) if not c]
    if len(left) < at_least:
        return []
    return [normalised[left[0]:left[-1] + 1]]


def unexplained_items(normalised: str, selection: Selection, class_labels=(),
                      measures=()) -> list[str]:
    """Names of budget items left over once the departments, years, measures and question
    words are read ("基本支出里的差旅费" read as 基本支出 leaves 差旅费): an item no stored
    measure holds, never to be dropped silently."""
    covered = _covered(normalised, selection, class_labels, measures)
    rest = "".join(" " if c else ch for ch, c in zip(normalised, covered))
    # (A bare side, 收入 of "收入支出总计", is the measure's own word.)
    return [w for w in re.findall(r"[\u4e00-\u9fff]{2,}", rest)
            if _ITEM_END.search(w) and w not in ("收入", "支出", "资金", "经费")]


# How the names of budget items end (差旅费, 工资福利支出, 生活补助 …).
_ITEM_END = re.compile(r"(费|经费|支出|补助|补贴|收入|资金)$")


# The classification a measure is an item of, as questions name it and the tables it is
# printed in ("功能分类的行政运行", "基本支出经济分类表中的委托业务费", "财政拨款基本支出预算表
# 里单独列了培训费这一行"): where the measure stands, no part of it.
_CLASSIFIED_BY = {
    FUNCTION_ITEM: r"(支出)?功能(分类|科目)(预算)?表?",
    FUNCTION_CLASS: r"(支出)?功能(分类|科目)(预算)?表?",
    ECONOMIC: r"(基本支出)?(部门|政府)?(支出)?经济(分类|科目)(预算)?表?",
}
_ROW_OF_TABLE = r"表|(单独|单)?列(出|了|有)?|这一?行|一行"


def _covered(normalised: str, selection: Selection, class_labels=(), measures=()) -> list[bool]:
    """For each character of the question, whether a department, place, year, measure or
    question word accounts for it; with `measures`, also the words naming the classification
    or the table row they are printed as."""
    covered = [not re.match(r"[\u4e00-\u9fff]", ch) for ch in normalised]

    def cover(pattern: str) -> None:
        for m in re.finditer(pattern, normalised):
            covered[m.start():m.end()] = [True] * (m.end() - m.start())

    for mention in selection.mentions:
        covered[mention.start:mention.end] = [True] * (mention.end - mention.start)
    stems = {s for d in selection.disclosures for s in d.place_stems} | {selection.place}
    for stem in stems - {""}:
        cover(re.escape(stem))
    for pattern, _ in MEASURE_WORDS:
        cover(pattern)
    # A table named as where the measure stands ("收入总计 in the 收支预算总表").
    cover(_TABLE_NAME)
    for label in class_labels:
        cover(re.escape(label))
    classified = [_CLASSIFIED_BY[k.split(":")[0]] for k in measures
                  if k.split(":")[0] in _CLASSIFIED_BY]
    for pattern in classified:
        cover(pattern)
    if classified:
        cover(_ROW_OF_TABLE)
    # Fillers only where no longer name stands (so 家 of 家庭 stays unexplained).
    rest = "".join(" " if c else ch for ch, c in zip(normalised, covered))
    for m in _SAID.finditer(rest):
        covered[m.start():m.end()] = [True] * (m.end() - m.start())
    return covered
