"""When a cross-document reading is not fully covered, the answer says what it understood and
refuses: a place, department or year the store does not hold, a word naming several
departments, or a part of a measure the documents do not state alike for every department.
Also finds the publisher whose share of a set is asked ("高院占这四个部门总和的比例")."""

from __future__ import annotations

import re

from budgetqa.domain import Answer
from qa.across_scope import Selection
from qa.across_words import MEASURE_WORDS, Asked
from qa.question import Reading

# Words that narrow a measure to a part no canonical measure holds ("面向中小企业预留的政府
# 采购", "政府性基金安排的三公经费"): the total would answer another question.
_NARROWER = re.compile(r"中小企业|预留|政府性基金|国有资本经营|货物类?|工程类?|服务类|"
                       r"事业收入|经营收入|上级补助|附属单位")
_EACH_YEAR = re.compile(r"分别|各年|每年|逐年|各自")
_PER_HEAD = re.compile(r"人均|每人|每个人|每名|per capita|per person|per head")
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


def refusal(reading: Reading, selection: Selection, measures: list[str], asked: Asked
            ) -> Answer | None:
    """A `none` answer when part of the question's scope or measure cannot be covered, else
    None."""
    reasons = []
    if selection.unresolved:
        reasons.append("没有收录“" + "”“".join(selection.unresolved) + "”的文件")
    for word, publishers in selection.ambiguous:
        reasons.append(f"“{word}”可以指{'、'.join(publishers)}，请说明是哪一个")
    narrower = _NARROWER.search(reading.normalised)
    if narrower and not any(narrower.group(0) in m for m in measures):
        name = measures[0].split(":")[0]
        reasons.append(f"问题问的是{name}中的一部分（{narrower.group(0)}），各文件统一列出的只有"
                       f"{name}总额，不能当作这一部分")
    if selection.absent and len(selection.named) >= 2 and (
            asked.operation in ("sum", "average", "share", "difference", "ratio") or
            asked.operation == "rank" and len(selection.named) - len(selection.absent) < 2):
        # A total or comparison of the departments named needs every one of them.
        reasons.append("问题所列的部门不全有所问年度和类别的文件（" +
                       "；".join(selection.absent) + "），算出的数不是所问的")
    if asked.operation not in ("series", "changes") and _years_mixed(selection) and not (
            asked.operation == "sum" and not _EACH_YEAR.search(reading.normalised)):
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


def share_subject(normalised: str, selection: Selection, asked: Asked,
                  english: bool = False) -> tuple[str, str] | None:
    """(publisher, question without it) when the question asks one named publisher's share
    of a set of departments; None otherwise."""
    if asked.operation == "position" and len(selection.named) == 1:
        # "高院的机关运行经费在江苏四个部门里排第几": its place among the set.
        mention = next(m for m in selection.mentions if selection.named[0] in m.publishers)
        return selection.named[0], _without(normalised, mention, selection)
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
        if not before or not _SET_AFTER_SHARE.search(normalised[before[-1].end:]):
            return None
        mention = before[-1]
    publisher = next(p for p in mention.publishers if p in selection.named)
    return publisher, _without(normalised, mention, selection)


def _without(normalised: str, mention, selection: Selection) -> str:
    """The question without a department's mention, keeping the place it carried ("江苏省高院"
    → 江苏): the place still scopes the set."""
    place = selection.place if selection.place and selection.place in mention.text else ""
    return normalised[:mention.start] + place + normalised[mention.end:]


# Words of a comparison that name no item: operations, years, units, particles.
_FILLER = re.compile(r"相比|比较|对比|增长|增加|减少|下降|降低|上升|提高|压减|变化|变动|百分之几|"
                     r"百分之多少|百分比|多少|幅度|增幅|降幅|情况|分别|请问|一下|上年|去年|预算|决算|"
                     r"万元|亿元|元|怎么|怎样|如何|\d+|[比较和与跟同了是的从到至年度数几多少呢吗啊"
                     r"率大小高低涨降变共总计合各%、]")


def unexplained(normalised: str, selection: Selection, measures: list[str]) -> bool:
    """Whether a one-publisher question keeps words beyond its publisher, years, measure and
    comparison ("人员经费中的工资福利支出"): then it names an item the canonical measures do
    not hold."""
    rest = normalised
    for mention in sorted(selection.mentions, key=lambda m: -len(m.text)):
        rest = rest.replace(mention.text, " ")
    if selection.place:
        rest = rest.replace(selection.place, " ")
    rest = re.sub(r"(省|市|区|县)(?=\s|$)", " ", rest)
    for pattern, _ in MEASURE_WORDS:
        rest = re.sub(pattern, " ", rest)
    rest = _FILLER.sub(" ", rest)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2


def _years_mixed(selection: Selection) -> bool:
    """Whether the selection holds two years of one publisher (of one kind)."""
    seen = set()
    for d in selection.disclosures:
        slot = (d.publisher, d.basis)
        if slot in seen:
            return True
        seen.add(slot)
    return False
