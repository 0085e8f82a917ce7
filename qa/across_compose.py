"""Cross-document answers put together: figures in one unit, the text, the formula, the table.

Every figure keeps its citation (a cell, or the sentence of the narrative it was read from);
the table rows point at their citation by index. Arithmetic is calc/'s, exact.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import Answer, Citation
from calc import operations as ops
from calc.operations import MONEY, Operand
from ingest.measures import COUNTED, Measure
from qa.across_confirm import named_rows
from qa.across_items import SummedItem
from qa.across_scope import Disclosure, Selection
from qa.across_words import Asked

# A question about one publisher's years that asks how the figure moved, not what it was.
_ASKS_CHANGE = re.compile(r"比|差|增|减|涨|降|变|多了|少了|升|跌")
MISSING_TEXT = {"missing": "文件未列出", "blank": "表中为空（“-”）",
                "other_fund": "只列出全部资金的数，没有单列所问资金的数",
                # A printed item on several rows of one table (qa.across_items).
                "several": "表中有多行同名，不能确定是哪一行"}


def _named(catalogue, key: str, asked: Asked) -> str:
    """The measure's name as the answer says it, with the fund asked for."""
    return f"{asked.fund}安排的{catalogue.name(key)}" if asked.fund else catalogue.name(key)


def citation(measure: Measure) -> Citation:
    """Where a measure stands: its cell, or its narrative sentence (an item summed over
    several rows: its first row; further_citations gives the others)."""
    if isinstance(measure, SummedItem):
        return citation(measure.parts[0])
    if measure.source == "table":
        return Citation(kind="cell", doc=measure.doc_id, page=measure.page, table=measure.table,
                        row=measure.row, column=measure.column, value=measure.printed,
                        unit=measure.unit, bbox=measure.bbox)
    return Citation(kind="passage", doc=measure.doc_id, page=measure.page,
                    section=measure.section, text=measure.text, value=measure.printed,
                    unit=measure.unit)


def amount(value: Decimal, unit: str) -> str:
    """An amount with its unit, and its 万元 equivalent when it is in 元 (as single-document
    answers give it, qa.compose.amount_text): budgets are read in 万元."""
    text = f"{ops.plain(value)}{unit}"
    if unit == "元" and value:
        text += f"（合{ops.plain(value / MONEY['万元'])}万元）"
    return text


def further_citations(measures) -> list[Citation]:
    """The rows after the first of items summed over several rows, cited after the figures."""
    return [citation(p) for m in measures if isinstance(m, SummedItem) for p in m.parts[1:]]


def made_of(measure: Measure) -> str:
    """How a figure summed over several rows of one table was made, in words ("" for one
    printed figure)."""
    if not isinstance(measure, SummedItem):
        return ""
    pages = "、".join(dict.fromkeys(str(p.page) for p in measure.parts if p.page))
    text = (f"（表中{len(measure.parts)}行同为“{measure.label}”，相加：{measure.printed}"
            f"{measure.unit}{f'，第{pages}页' if pages else ''}" if len(measure.parts) > 1
            else "（")
    if measure.aside:
        text += ("；" if len(measure.parts) > 1 else "") + "另：" + measure.aside
    return text + "）"


def count_unit(measure: Measure) -> str | None:
    """The unit a count is compared in: the first its measure is printed in (ingest.measures
    COUNTED: Beijing counts its vehicles in 台, the others in 辆; staff are 人 or 名;
    equipment 台（套）). None for money."""
    counted = COUNTED.get(measure.name)
    return counted[1][0] if counted and measure.unit in counted[1] else None


def target_unit(measures: list[Measure]) -> str:
    """万元 when any figure is printed in 万元 or larger (how budgets are read), else 元; for
    a count, its unit (辆)."""
    units = {m.unit for m in measures if m.unit in MONEY}
    if not units:
        counted = {count_unit(m) for m in measures} - {None}
        return counted.pop() if len(counted) == 1 else "万元"
    return "万元" if any(MONEY[u] >= MONEY["万元"] for u in units) else "元"


def operand(disclosure: Disclosure, measure: Measure, unit: str, label: str = "") -> Operand:
    """The measure as a calc operand in `unit` (exact conversion; a count keeps its number)."""
    raw = Operand(measure.value, measure.unit, label or disclosure.publisher, citation(measure))
    if count_unit(measure) == unit:
        return Operand(raw.value, unit, raw.label, raw.citation)
    return ops.convert(raw, unit)[0] if raw.unit != unit else raw


class Gathered:
    """The selection's figures of one measure: found ones as operands, and the lacking."""

    def __init__(self, catalogue, disclosures: list[Disclosure], key: str, label=None,
                 fund: str = ""):
        self.found: list[tuple[Disclosure, Measure]] = []
        self.lacking: list[tuple[Disclosure, str]] = []
        for d in disclosures:
            m = catalogue.measure(d, key, fund)
            if m is not None and m.status == "found":
                self.found.append((d, m))
            else:
                self.lacking.append((d, m.status if m is not None else "missing"))
        self.unit = target_unit([m for _, m in self.found])
        name = label or (lambda d: d.publisher)
        self.operands = [operand(d, m, self.unit, name(d)) for d, m in self.found]


def stated_none(measure: Measure) -> str:
    """"（文件写明：无机关运行经费）" for a 0 the document states as having none (not a
    figure printed as 0, nor a measure it lacks); else ""."""
    return f"（文件写明：{measure.printed}）" if measure.printed.startswith(("无", "没有")) else ""


# The question asks for the budget's total on both sides ("收支预算总计", "收支总额").
_BOTH_SIDES = re.compile(r"收支")


def confirmations(catalogue, found: list[tuple[Disclosure, Measure]], reading=None
                  ) -> list[Citation]:
    """The narrative sentences restating the cited totals, and the rows printing them under
    the name asked (qa.across_confirm.named_row), cited after the cells."""
    both = reading is not None and bool(_BOTH_SIDES.search(reading.question))
    out = [catalogue.confirmation(d, m) for d, m in found]
    out += [catalogue.named_row(d, m, named_rows(m, both)) for d, m in found]
    return [c for c in out if c is not None]


def _lacking_text(gathered: Gathered, measure_name: str) -> str:
    if not gathered.lacking:
        return ""
    listed = "；".join(f"{d.label}（{MISSING_TEXT[why]}）" for d, why in gathered.lacking)
    return f"\n缺少{measure_name}的文件：{listed}。"


def _notes(selection: Selection) -> str:
    return "".join(f"\n缺少{a}。" for a in selection.absent) + \
        "".join(f"\n注：{n}。" for n in selection.notes)


def _scope_words(selection: Selection) -> str:
    parts = []
    if selection.years:
        years = selection.years
        parts.append(f"{years[0]}年" if len(years) == 1 else f"{years[0]}—{years[-1]}年")
    if selection.publisher:
        parts.append(selection.publisher)
    elif len(selection.named) >= 2:
        held = {d.publisher for d in selection.disclosures}
        parts.append("、".join(p for p in selection.named if p in held))
    else:
        parts.append(f"{selection.place}各部门")
    return "".join(parts) + (f"（{selection.basis}）" if selection.basis else "")


def _who(disclosure: Disclosure, selection: Selection) -> str:
    """The publisher, with its kind where its 部门预算 and 单位预算 are compared."""
    return disclosure.publisher + (disclosure.kind if selection.both_kinds else "")


def _row(place, disclosure: Disclosure, measure: Measure | None, value: Decimal | None,
         unit: str, cite: int | None, status: str, **extra) -> dict:
    return {"place": place, "publisher": disclosure.publisher, "year": disclosure.year,
            "kind": disclosure.kind, "doc": disclosure.doc_ids[0] if measure is None
            else measure.doc_id, "value": None if value is None else ops.plain(value),
            "unit": unit, "printed": measure.printed if measure is not None else "",
            "printed_unit": measure.unit if measure is not None else "",
            "page": measure.page if measure is not None else None, "citation": cite,
            "status": status, **extra}


COLUMNS = [("place", "名次"), ("publisher", "部门"), ("year", "年度"), ("kind", "文件"),
           ("value", "数值"), ("unit", "单位"), ("printed", "原文数字"),
           ("printed_unit", "原文单位"), ("page", "页码"), ("status", "状态")]


def _table(measure_name: str, rows: list[dict], extra: list[tuple[str, str]] = ()) -> dict:
    return {"measure": measure_name, "columns": [{"key": k, "title": t} for k, t in
                                                 COLUMNS + list(extra)], "rows": rows}


def _reading(reading, asked: Asked, selection: Selection, measure_names: list[str]) -> dict:
    return {"operation": f"across-{asked.operation}", "wording": reading.wording,
            "years": list(selection.years), "measures": measure_names,
            "basis": selection.basis, "publisher": selection.publisher or None,
            "place": selection.place or None,
            "documents": [d for s in selection.disclosures for d in s.doc_ids]}


def compare(reading, catalogue, selection: Selection, asked: Asked, key: str) -> Answer:
    """Rank, list, sum, average or share of one measure over the selected disclosures."""
    name = _named(catalogue, key, asked)
    gathered = Gathered(catalogue, selection.disclosures, key, fund=asked.fund)
    scope = _scope_words(selection)
    if not gathered.operands:
        return _none(reading, selection, asked, name, gathered)
    unit = gathered.unit
    ordered = sorted(zip(gathered.found, gathered.operands), key=lambda p: p[1].value,
                     reverse=not asked.smallest)
    if asked.top:
        shown = ordered[:asked.top]
    else:
        shown = ordered
    citations = [o.citation for _, o in shown]
    rows = [_row(i + 1, d, m, o.value, unit, i, "found") for i, ((d, m), o) in
            enumerate(shown)]
    rows += [_row(None, d, None, None, unit, None, why) for d, why in gathered.lacking]
    lines = [f"{i + 1}. {d.publisher}（{d.year}年{d.kind}）{amount(o.value, unit)}"
             f"{stated_none(m)}{made_of(m)}" for i, ((d, m), o) in enumerate(shown)]
    extra_cols: list[tuple[str, str]] = []
    if asked.operation == "sum" or asked.operation == "average":
        result = ops.total([o for _, o in ordered])
        value, formula = result.value, result.formula
        if asked.operation == "average":
            count = Decimal(len(ordered))
            value = result.value / count
            formula = f"({result.formula}) ÷ {len(ordered)} = {ops.display(value)}{unit}"
            head = f"{scope}{name}平均为{ops.display(value)}{unit}（{len(ordered)}个部门）。"
        else:
            head = f"{scope}{name}合计{ops.plain(value)}{unit}（{len(ordered)}个部门）。"
            if selection.absent:
                # "五家合计" with one not held: the total is of those held, and says so.
                left_out = [a.split("：")[0] for a in selection.absent]
                head = (f"所问的{len(selection.named)}个部门中，{'、'.join(left_out)}没有收录"
                        f"所问年度的文件，未计入。" + head)
        route_value, route_unit = value, unit
    elif asked.operation == "difference" and len(ordered) >= 2:
        (first, a), (second, b) = ordered[0], ordered[1]
        result = ops.difference(a, b)
        head = (f"{scope}{name}：{_who(first[0], selection)}比{_who(second[0], selection)}"
                f"{'多' if result.value >= 0 else '少'}{ops.plain(abs(result.value))}{unit}。")
        route_value, route_unit, formula = result.value, unit, result.formula
    elif asked.operation == "times":
        # "高院的人员经费是政协的几倍": the first named over the second.
        by_name = {d.publisher: o for (d, _), o in ordered}
        pair = [p for p in selection.named if p in by_name][:2]
        if len(pair) < 2:
            return _none(reading, selection, asked, name, gathered)
        result = ops.ratio(by_name[pair[0]], by_name[pair[1]])
        head = f"{scope}{name}：{pair[0]}是{pair[1]}的{ops.display(result.value)}倍。"
        route_value, route_unit, formula = _shown(result.value), "倍", result.formula
    elif asked.operation == "position" and selection.subject:
        names = [d.publisher for (d, _), _ in ordered]
        if selection.subject not in names:
            return _none(reading, selection, asked, name, gathered)
        place = names.index(selection.subject) + 1
        order = "从少到多" if asked.smallest else "从多到少"
        head = (f"{scope}{name}{order}，{selection.subject}排第{place}"
                f"（共{len(ordered)}个）。")
        route_value, route_unit = Decimal(place), "名"
        formula = "；".join(f"第{i + 1}：{d.publisher} {ops.plain(o.value)}"
                           for i, ((d, _), o) in enumerate(ordered))
    elif asked.operation == "share":
        whole = ops.total([o for _, o in ordered])
        for row, (_, o) in zip(rows, shown):
            row["share"] = ops.display(ops.share(o, Operand(whole.value, unit, "合计",
                                                            o.citation)).value)
        extra_cols = [("share", "占合计%")]
        top_d, top_o = shown[0][0][0], shown[0][1]
        if selection.subject:
            subject = [(d, o) for (d, _), o in ordered if d.publisher == selection.subject]
            if not subject:
                return _none(reading, selection, asked, name, gathered)
            top_d, top_o = subject[0]
        share = ops.share(top_o, Operand(whole.value, unit, "合计", top_o.citation))
        head = (f"{scope}{name}合计{ops.plain(whole.value)}{unit}，{top_d.publisher}占"
                f"{ops.display(share.value)}%。" if selection.subject else
                f"{scope}{name}合计{ops.plain(whole.value)}{unit}，{top_d.publisher}占比"
                f"{'最低' if asked.smallest else '最高'}，为{ops.display(share.value)}%。")
        lines = [f"{i + 1}. {d.publisher} {ops.plain(o.value)}{unit}，占{r['share']}%"
                 for i, (((d, _), o), r) in enumerate(zip(shown, rows))]
        route_value, route_unit = _shown(share.value), "%"
        formula = f"{share.formula}；合计：{whole.formula}"
    elif asked.place:
        # "第二多的是谁": that place of the ranking, every compared figure cited.
        if asked.place > len(ordered):
            return _none(reading, selection, asked, name, gathered)
        (nth_d, _), nth_o = ordered[asked.place - 1]
        head = (f"{scope}{name}{'倒数' if asked.smallest else ''}第{asked.place}"
                f"{'少' if asked.smallest else '多'}的是{nth_d.publisher}，"
                f"{ops.plain(nth_o.value)}{unit}。")
        route_value, route_unit = nth_o.value, unit
        formula = "；".join(f"第{i + 1}：{d.publisher} {ops.plain(o.value)}"
                           for i, ((d, _), o) in enumerate(ordered))
    else:
        if len(ordered) == 1 and gathered.lacking and \
                not _ASKS_WHO_STATES.search(reading.normalised):
            return _one_found(reading, selection, asked, name, gathered, rows, shown)
        # Only the figures shown (and cited) stand in the formula.
        best, result = ops.rank([o for _, o in shown], largest=not asked.smallest)
        top_d = shown[0][0][0]
        word = "最少" if asked.smallest else "最多"
        head = (f"{scope}{name}{word}的是{top_d.publisher}，{amount(result.value, unit)}。"
                if len(ordered) > 1 else
                f"{scope}只有{top_d.publisher}列出{name}：{ops.plain(result.value)}{unit}。")
        if gathered.lacking and len(ordered) > 1:
            # The ranking is of those that state the figure: the head says so, not only the list below.
            head += (f"（只比较列出{name}的{len(ordered)}个部门；"
                     f"{'、'.join(d.publisher for d, _ in gathered.lacking)}没有列出数值，不在排名内。）")
        route_value, route_unit, formula = result.value, unit, result.formula
    text = head + "\n" + "\n".join(lines) + _lacking_text(gathered, name) + _notes(selection)
    citations += further_citations([m for (_, m), _ in shown])
    citations += confirmations(catalogue, [f for f, _ in shown], reading)
    return Answer(question=reading.question, doc=None, route="calc", text=text,
                  value=route_value, unit=route_unit, formula=formula,
                  citations=tuple(citations),
                  reading=_reading(reading, asked, selection, [name]),
                  table=_table(name, rows, extra_cols))


def ratio(reading, catalogue, selection: Selection, asked: Asked) -> Answer:
    """Each disclosure's share of one measure in another ("人员经费占支出总计的比重"),
    ranked."""
    part_key, whole_key = asked.measures[:2]
    part_name, whole_name = _named(catalogue, part_key, asked), _named(catalogue, whole_key, asked)
    entries, lacking, citations = [], [], []
    for d in selection.disclosures:
        part = catalogue.measure(d, part_key, asked.fund)
        whole = catalogue.measure(d, whole_key, asked.fund)
        if part is None or whole is None or part.status != "found" or whole.status != "found" \
                or whole.value == 0:
            lacking.append((d, part if part is None or part.status != "found" else whole))
            continue
        unit = target_unit([part, whole])
        a, b = operand(d, part, unit), operand(d, whole, unit)
        entries.append((d, part, whole, a, b, ops.share(a, b)))
    if not entries:
        gathered = Gathered(catalogue, selection.disclosures, part_key, fund=asked.fund)
        return _none(reading, selection, asked, f"{part_name}和{whole_name}", gathered)
    if asked.pooled:
        return _pooled_ratio(reading, selection, asked, entries, lacking,
                             part_name, whole_name)
    entries.sort(key=lambda e: e[5].value, reverse=not asked.smallest)
    if asked.top:
        entries = entries[:asked.top]
    rows, lines = [], []
    for i, (d, part, whole, a, b, result) in enumerate(entries):
        citations += [a.citation, b.citation]
        row = _row(i + 1, d, part, a.value, a.unit, 2 * i, "found",
                   whole=ops.plain(b.value), whole_citation=2 * i + 1,
                   share=ops.display(result.value))
        rows.append(row)
        lines.append(f"{i + 1}. {d.publisher}：{ops.plain(a.value)} ÷ {ops.plain(b.value)} = "
                     f"{ops.display(result.value)}%")
    rows += [_row(None, d, None, None, "", None, "missing") for d, _ in lacking]
    citations += further_citations([m for e in entries for m in e[1:3]])
    top = entries[0]
    word = "最低" if asked.smallest else "最高"
    scope = _scope_words(selection)
    text = (f"{scope}{part_name}占{whole_name}的比重{word}的是{top[0].publisher}，"
            f"{ops.display(top[5].value)}%。\n" + "\n".join(lines))
    if lacking:
        text += f"\n缺少{part_name}或{whole_name}的文件：" + "；".join(d.label for d, _ in lacking) + "。"
    text += _notes(selection)
    return Answer(question=reading.question, doc=None, route="calc", text=text,
                  value=_shown(top[5].value), unit="%", formula=top[5].formula,
                  citations=tuple(citations),
                  reading=_reading(reading, asked, selection, [part_name, whole_name]),
                  table=_table(f"{part_name}占{whole_name}", rows,
                               [("whole", whole_name), ("share", "比重%")]))


def _pooled_ratio(reading, selection: Selection, asked: Asked, entries: list, lacking: list,
                  part_name: str, whole_name: str) -> Answer:
    """The set's part added up over its whole added up ("三个部门人员经费合计占它们基本支出
    合计的比例"): (a₁ + a₂ + …) ÷ (b₁ + b₂ + …), never one department's own share. Every
    operand is cited; a department lacking either figure is named and left out of both sums
    (a part without its whole would skew the share)."""
    parts = [a for _, _, _, a, _, _ in entries]
    wholes = [b for _, _, _, _, b, _ in entries]
    unit = target_unit([m for e in entries for m in (e[1], e[2])])
    result = ops.share_of_totals(parts, wholes)
    part_sum = ops.total([ops.convert(o, unit)[0] if o.unit != unit else o for o in parts])
    whole_sum = ops.total([ops.convert(o, unit)[0] if o.unit != unit else o for o in wholes])
    scope = _scope_words(selection)
    rows, lines, citations = [], [], []
    for i, (d, part, _, a, b, own) in enumerate(entries):
        citations += [a.citation, b.citation]
        rows.append(_row(None, d, part, a.value, a.unit, 2 * i, "found",
                         whole=ops.plain(b.value), whole_citation=2 * i + 1,
                         share=ops.display(own.value)))
        lines.append(f"{d.publisher}：{part_name}{ops.plain(a.value)}{a.unit}，"
                     f"{whole_name}{ops.plain(b.value)}{b.unit}")
    rows += [_row(None, d, None, None, "", None, "missing") for d, _ in lacking]
    text = (f"{scope}{part_name}合计{ops.plain(part_sum.value)}{unit}，{whole_name}合计"
            f"{ops.plain(whole_sum.value)}{unit}，{part_name}合计占{whole_name}合计的"
            f"{ops.display(result.value)}%（{len(entries)}个部门）。\n" + "\n".join(lines))
    if lacking:
        text += (f"\n缺少{part_name}或{whole_name}的文件（未计入两个合计）：" +
                 "；".join(d.label for d, _ in lacking) + "。")
    text += _notes(selection)
    formula = (f"{result.formula}；{part_name}合计：{part_sum.formula}；"
               f"{whole_name}合计：{whole_sum.formula}")
    return Answer(question=reading.question, doc=None, route="calc", text=text,
                  value=_shown(result.value), unit="%", formula=formula,
                  citations=tuple(citations),
                  reading=_reading(reading, asked, selection, [part_name, whole_name]),
                  table=_table(f"{part_name}占{whole_name}", rows,
                               [("whole", whole_name), ("share", "比重%")]))


def series(reading, catalogue, selection: Selection, asked: Asked, key: str) -> Answer:
    """One publisher's measure over its years, with each year's change."""
    if asked.over_years == "ratio":
        return ratio_series(reading, catalogue, selection, asked)
    name = _named(catalogue, key, asked)
    ordered = sorted(selection.disclosures, key=lambda d: d.year or 0)
    gathered = Gathered(catalogue, ordered, key, label=lambda d: f"{d.year}年", fund=asked.fund)
    if not gathered.operands:
        return _none(reading, selection, asked, name, gathered)
    unit = gathered.unit
    rows, lines, citations = [], [], []
    previous, previous_year = None, None
    for i, ((d, m), o) in enumerate(zip(gathered.found, gathered.operands)):
        citations.append(o.citation)
        change = growth = None
        if previous is not None and previous.value is not None:
            change = ops.difference(o, previous).value
            growth = None if previous.value == 0 else ops.growth(o, previous).value
        rows.append(_row(None, d, m, o.value, unit, i, "found",
                         change=None if change is None else ops.plain(change),
                         growth=None if growth is None else ops.display(growth)))
        step = "" if change is None else (
            f"，比{'上年' if d.year - 1 == previous_year else f'{previous_year}年'}"
            f"{'增加' if change >= 0 else '减少'}{ops.plain(abs(change))}{unit}" +
            ("" if growth is None else f"（{ops.display(growth)}%）"))
        lines.append(f"{d.year}年：{amount(o.value, unit)}{made_of(m)}{step}")
        previous, previous_year = o, d.year
    rows += [_row(None, d, None, None, unit, None, why) for d, why in gathered.lacking]
    first, last = gathered.operands[0], gathered.operands[-1]
    publisher = selection.publisher
    held = {d.year for d in ordered}
    unheld = [y for y in selection.years if y not in held]
    if unheld:
        lines += [f"{y}年：未收录{publisher}{y}年的{selection.basis or ''}文件" for y in unheld]
    if asked.over_years == "steps" and len(gathered.operands) >= 2:
        head, value, out_unit, formula = _steps(reading, gathered, asked,
                                                publisher + name)
    elif asked.over_years == "sum" and len(gathered.operands) >= 2:
        result = ops.total(gathered.operands)
        head = (f"{publisher}{first.label}到{last.label}{name}合计{ops.plain(result.value)}{unit}"
                f"（{len(gathered.operands)}年）。")
        value, out_unit, formula = result.value, unit, result.formula
    elif asked.over_years == "share" and len(gathered.operands) >= 2:
        # "2023年的三公经费占2023到2025年合计的比重": one year's part of the years' total.
        said = re.search(r"(20\d{2})年?[^占]{0,30}占", reading.normalised)
        part = next((o for (d, _), o in zip(gathered.found, gathered.operands)
                     if said and d.year == int(said.group(1))), None)
        if part is None:
            return _none(reading, selection, asked, name, gathered)
        whole = ops.total(gathered.operands)
        result = ops.share(part, Operand(whole.value, unit, "合计", part.citation))
        head = (f"{publisher}{part.label}{name}占{first.label}到{last.label}合计"
                f"{ops.plain(whole.value)}{unit}的{ops.display(result.value)}%。")
        value, out_unit, formula = _shown(result.value), "%", f"{result.formula}；合计：{whole.formula}"
    elif asked.over_years == "times" and len(gathered.operands) >= 2:
        # "2025年的是2023年的几倍": the year named first over the other.
        said = sorted(gathered.operands, key=lambda o: _first_said(reading.normalised, o.label))
        result = ops.ratio(said[0], said[-1])
        head = (f"{publisher}{said[0].label}的{name}是{said[-1].label}的{ops.display(result.value)}倍"
                f"（{ops.plain(said[0].value)}{unit} ÷ {ops.plain(said[-1].value)}{unit}）。")
        value, out_unit, formula = _shown(result.value), "倍", result.formula
    elif asked.over_years == "rank" and len(gathered.operands) >= 2:
        top, result = ops.rank(gathered.operands, largest=not asked.smallest)
        head = (f"{publisher}{name}{'最少' if asked.smallest else '最多'}的是{top.label}，"
                f"{amount(top.value, unit)}。")
        value, out_unit, formula = result.value, unit, result.formula
    elif len(gathered.operands) == 1:
        head = f"{publisher}只有{first.label}列出{name}：{ops.plain(first.value)}{unit}。"
        if _ASKS_CHANGE.search(reading.normalised):
            # "2019年比2018年多了还是少了": a change needs both years; one is not stated.
            return Answer(question=reading.question, doc=None, route="none",
                          text=f"无法计算变化：{head}" + _lacking_text(gathered, name) +
                          _notes(selection),
                          citations=(first.citation,),
                          reading=_reading(reading, asked, selection, [name]))
        value, out_unit, formula = first.value, unit, ""
    elif asked.rate and first.value != 0:
        result = ops.growth(last, first)
        moved = ops.difference(last, first).value
        # "一共增长了多少？增幅百分之几": the amount stands beside the rate.
        head = (f"{publisher}{name}{first.label}到{last.label}"
                f"{'增长' if result.value >= 0 else '下降'}{ops.display(abs(result.value))}%"
                f"（{'增加' if moved >= 0 else '减少'}{ops.plain(abs(moved))}{unit}："
                f"{ops.plain(first.value)}{unit} → {ops.plain(last.value)}{unit}）。")
        value, out_unit, formula = _shown(_as_asked(reading.normalised, result.value)), "%", result.formula
    else:
        result = ops.difference(last, first)
        moved = "持平，变化" if result.value == 0 else "增加" if result.value > 0 else "减少"
        head = (f"{publisher}{name}{first.label}到{last.label}"
                f"{moved}{ops.plain(abs(result.value))}{unit}"
                f"（{ops.plain(first.value)}{unit} → {ops.plain(last.value)}{unit}）。")
        value, out_unit, formula = _as_asked(reading.normalised, result.value), unit, result.formula
    if unheld:
        head += f"（未收录{'、'.join(f'{y}年' for y in unheld)}的文件，只比较已收录的年度。）"
    text = head + "\n" + "\n".join(lines) + _lacking_text(gathered, name) + _notes(selection)
    citations += further_citations([m for _, m in gathered.found])
    citations += confirmations(catalogue, gathered.found, reading)
    return Answer(question=reading.question, doc=None, route="calc", text=text, value=value,
                  unit=out_unit, formula=formula, citations=tuple(citations),
                  reading=_reading(reading, asked, selection, [name]),
                  table=_table(name, rows, [("change", "比上年增减"), ("growth", "增长%")]))


def ratio_series(reading, catalogue, selection: Selection, asked: Asked) -> Answer:
    """One publisher's share of one measure in another over its years ("项目支出占支出总计的
    比重，2025年比2023年提高了几个百分点"): each year's share from that year's two cited
    figures, and the last asked year's less the first's in percentage points. A year lacking
    either figure is listed, never counted as 0."""
    part_key, whole_key = asked.measures[:2]
    part_name, whole_name = _named(catalogue, part_key, asked), _named(catalogue, whole_key, asked)
    shares, lacking, citations, rows, lines = [], [], [], [], []
    for d in sorted(selection.disclosures, key=lambda d: d.year or 0):
        part = catalogue.measure(d, part_key, asked.fund)
        whole = catalogue.measure(d, whole_key, asked.fund)
        if part is None or whole is None or "found" != part.status or whole.status != "found" \
                or whole.value == 0:
            lacking.append(d)
            continue
        unit = target_unit([part, whole])
        a, b = operand(d, part, unit, f"{d.year}年{part_name}"), operand(
            d, whole, unit, f"{d.year}年{whole_name}")
        result = ops.share(a, b)
        rows.append(_row(None, d, part, a.value, unit, len(citations), "found",
                         whole=ops.plain(b.value), whole_citation=len(citations) + 1,
                         share=ops.display(result.value)))
        citations += [a.citation, b.citation]
        shares.append((d, result))
        lines.append(f"{d.year}年：{ops.plain(a.value)} ÷ {ops.plain(b.value)} = "
                     f"{ops.display(result.value)}%")
    name = f"{selection.publisher}{part_name}占{whole_name}的比重"
    rows += [_row(None, d, None, None, "", None, "missing") for d in lacking]
    missing = ("\n缺少" + part_name + "或" + whole_name + "的年度：" +
               "、".join(d.label for d in lacking) + "。") if lacking else ""
    if len(shares) < 2:
        return Answer(question=reading.question, doc=None, route="none",
                      text=f"无法比较{name}：需要两个年度都列出两项数字。\n" + "\n".join(lines)
                           + missing + _notes(selection), citations=tuple(citations),
                      reading=_reading(reading, asked, selection, [part_name, whole_name]))
    (first_d, first), (last_d, last) = shares[0], shares[-1]
    points = last.value - first.value
    word = "持平" if points == 0 else "提高" if points > 0 else "下降"
    head = (f"{name}{first_d.year}年{ops.display(first.value)}%，{last_d.year}年"
            f"{ops.display(last.value)}%，{word}{ops.display(abs(points))}个百分点。")
    formula = (f"{ops.display(last.value)}% − {ops.display(first.value)}% = "
               f"{ops.display(points)}个百分点（{last.formula}；{first.formula}）")
    return Answer(question=reading.question, doc=None, route="calc",
                  text=head + "\n" + "\n".join(lines) + missing + _notes(selection),
                  value=_as_asked(reading.normalised, points), unit="个百分点", formula=formula,
                  citations=tuple(citations),
                  reading=_reading(reading, asked, selection, [part_name, whole_name]),
                  table=_table(f"{part_name}占{whole_name}", rows,
                               [("whole", whole_name), ("share", "比重%")]))


def _steps(reading, gathered: Gathered, asked: Asked, name: str
           ) -> tuple[str, Decimal, str, str]:
    """Each year against the year before it ("哪一年比上一年下降了？降了多少"): the years
    that moved the asked way, each with both figures; a year whose previous year is not held
    is not compared. Returns (head, value, unit, formula)."""
    unit = gathered.unit
    pairs = list(zip(gathered.found, gathered.operands))
    moved, gaps = [], []
    for ((d0, _), before), ((d1, _), after) in zip(pairs, pairs[1:]):
        if d1.year - d0.year != 1:
            gaps.append(f"{d1.year}年（没有{d1.year - 1}年的数）")
            continue
        change = ops.difference(after, before)
        if change.value != 0 and (asked.down is None or (change.value < 0) == asked.down):
            moved.append((d1.year, d0.year, before, after, change))
    word = {True: "下降", False: "增加", None: "变化"}[asked.down]
    if asked.biggest and moved:
        moved = [max(moved, key=lambda m: abs(m[4].value))]
    lines = [f"{y}年比{p}年{'减少' if c.value < 0 else '增加'}{ops.plain(abs(c.value))}{unit}"
             f"（{ops.plain(b.value)}{unit} → {ops.plain(a.value)}{unit}）"
             for y, p, b, a, c in moved]
    gap = f"不能和上一年比较：{'、'.join(gaps)}。" if gaps else ""
    if not moved:
        return (f"{name}没有哪一年比上一年{word}。{gap}", Decimal(0), "个年度",
                f"{word}：0个年度")
    head = (f"{name}比上一年{word}{'最多' if asked.biggest else ''}的年度："
            + "；".join(lines) + "。" + gap)
    if len(moved) == 1 or asked.biggest:
        change = moved[0][4]
        # A fall asked about is its size ("降了多少").
        return head, -change.value if asked.down else change.value, unit, change.formula
    if asked.amount and _SUM_OF_MOVES.search(reading.normalised):
        result = ops.total([Operand(abs(m[4].value), unit, f"{m[0]}年", m[3].citation)
                            for m in moved])
        return head + f"合计{ops.plain(result.value)}{unit}。", result.value, unit, result.formula
    return head, Decimal(len(moved)), "个年度", f"{word}：" + "、".join(
        f"{m[0]}年" for m in moved)


_SUM_OF_MOVES = re.compile(r"一共|合计|总共|加起来|累计")


# "少了多少", "下降了百分之几": the size of the fall is asked (a rise then shows as negative).
_ASKS_DOWN = re.compile(r"少了|减少|下降|降低|减了|降了|少多少|压减|缩减|降幅")
_ASKS_UP = re.compile(r"多了|增加|增长|上升|提高|涨|多多少|增幅")


def _first_said(normalised: str, label: str) -> int:
    """Where a year's label ("2023年") stands in the question; unsaid years last."""
    year = re.match(r"\d{4}", label)
    found = normalised.find(year.group(0)) if year else -1
    return found if found >= 0 else len(normalised)


def _shown(percent: Decimal) -> Decimal:
    """A percentage (or multiple) as the answer states it (two decimals, half up), as single-document
    answers give theirs: "46.25", not the division's 28 digits."""
    return Decimal(ops.display(percent))


def _as_asked(normalised: str, change: Decimal) -> Decimal:
    """A change signed the way the question asks it: a decrease asked for is its size."""
    if _ASKS_DOWN.search(normalised) and not _ASKS_UP.search(normalised):
        return -change
    return change


def changes(reading, catalogue, selection: Selection, asked: Asked, key: str) -> Answer:
    """Which publishers' measure went down (or up) against their previous year."""
    name = _named(catalogue, key, asked)
    by_publisher: dict[tuple[str, str], dict[int, Disclosure]] = {}
    for d in selection.disclosures:
        if d.year:
            by_publisher.setdefault((d.publisher, d.basis), {})[d.year] = d
    asked_year = max(selection.years) if selection.years else None
    moved, steady, unpaired, citations, rows = [], [], [], [], []
    growths: dict[str, Decimal | None] = {}  # each department's line → its change in percent
    said_by: list[str] = []  # compared by the change their own narrative states
    compared: list[Measure] = []  # the measures compared, for their further rows' citations
    sizes: list[Operand] = []  # how much each that moved moved, for "一共少了多少"
    for (publisher, _), years in sorted(by_publisher.items()):
        if asked_year is not None and asked_year not in years and len(selection.named) < 2:
            continue  # no disclosure of the asked year: outside the set asked about
        pairs = [y for y in sorted(years, reverse=True) if y - 1 in years
                 and (asked_year is None or y == asked_year)]
        if not pairs:
            stated = _stated_against_previous(catalogue, years, asked_year, key, asked.fund)
            if stated is None:
                unpaired.append(publisher)
                continue
            year, now, m_now, a, b, diff, growth = stated
            said_by.append(publisher)
        else:
            year = pairs[0]
            now, before = years[year], years[year - 1]
            m_now = catalogue.measure(now, key, asked.fund)
            m_before = catalogue.measure(before, key, asked.fund)
            if m_now is None or m_before is None or "found" not in (m_now.status,) or \
                    m_before.status != "found":
                unpaired.append(f"{publisher}（{year - 1}或{year}年未列出{name}）")
                continue
            unit = target_unit([m_now, m_before])
            a, b = operand(now, m_now, unit, f"{year}年"), operand(before, m_before, unit,
                                                                    f"{year - 1}年")
            diff = ops.difference(a, b)
            growth = ops.growth(a, b).value if b.value != 0 else None
        unit = a.unit
        compared += [m_now] + ([m_before] if pairs else [])
        start = len(citations)
        citations += [a.citation, b.citation]
        went_down = diff.value < 0
        status = "减少" if went_down else ("增加" if diff.value > 0 else "持平")
        rows.append(_row(None, now, m_now, a.value, unit, start, status,
                         previous=ops.plain(b.value), previous_citation=start + 1,
                         change=ops.plain(diff.value),
                         growth=None if growth is None else ops.display(growth)))
        line = (f"{publisher}：{year - 1}年{ops.plain(b.value)}{unit} → {year}年"
                f"{ops.plain(a.value)}{unit}，{status}{ops.plain(abs(diff.value))}{unit}" +
                ("" if growth is None else f"（{ops.display(growth)}%）"))
        growths[line] = growth
        if went_down == asked.down and diff.value != 0:
            moved.append((diff.value, line))
            sizes.append(Operand(abs(diff.value), unit, publisher, a.citation))
        else:
            steady.append((diff.value, line))
    direction = "减少" if asked.down else "增加"
    moved.sort(key=lambda p: p[0], reverse=not asked.down)
    if asked.biggest and asked.rate and moved and all(growths[line] is not None for _, line in moved):
        # "降幅最大的是哪家？降了百分之几": the moves ranked by their rate, the rate the value.
        moved.sort(key=lambda p: growths[p[1]], reverse=not asked.down)
        top, rate = moved[0][1].split("：")[0], _shown(abs(growths[moved[0][1]]))
        word = "下降" if asked.down else "增长"
        text = (f"与上一年相比，{name}{'降幅' if asked.down else '增幅'}最大的是{top}，{word}"
                f"{ops.plain(rate)}%。\n" +
                "\n".join(line for _, line in moved + steady) + _notes(selection))
        return Answer(question=reading.question, doc=None, route="calc", text=text,
                      value=rate, unit="%",
                      formula=f"{'降幅' if asked.down else '增幅'}最大：" + "；".join(line for _, line in moved),
                      citations=tuple(citations),
                      reading=_reading(reading, asked, selection, [name]),
                      table=_table(name, rows, [("previous", "上年数值"), ("change", "增减"),
                                                ("growth", "增长%")]))
    if asked.biggest and moved:
        # "降得最多的是哪家": the first of the moves, its size the value.
        size = sizes[[s.label for s in sizes].index(moved[0][1].split("：")[0])]
        text = (f"与上一年相比，{name}{direction}最多的是{size.label}，{direction}"
                f"{ops.plain(size.value)}{size.unit}。\n" +
                "\n".join(line for _, line in moved + steady) + _notes(selection))
        return Answer(question=reading.question, doc=None, route="calc", text=text,
                      value=size.value, unit=size.unit,
                      formula=f"{direction}最多：" + "；".join(line for _, line in moved),
                      citations=tuple(citations),
                      reading=_reading(reading, asked, selection, [name]),
                      table=_table(name, rows, [("previous", "上年数值"), ("change", "增减"),
                                                ("growth", "增长%")]))
    if not moved and not steady:
        return Answer(question=reading.question, doc=None, route="none",
                      text=f"没有可以和上一年比较{name}的部门：没有收录同一部门相邻两年的文件，"
                           f"本年文件的说明中也没有写明{name}与上一年的增减"
                           + (f"（只有一年的：{'、'.join(unpaired)}）" if unpaired else "") + "。",
                      reading=_reading(reading, asked, selection, [name]))
    # With some departments not comparable, the count is of those compared, and says so.
    among = f"能和上一年比较的{len(moved) + len(steady)}个部门中，" if unpaired else "与上一年相比，"
    head = (f"{among}{name}{direction}的部门有{len(moved)}个：" +
            "、".join(line.split("：")[0] for _, line in moved) + "。"
            if moved else f"{among}没有部门的{name}{direction}。")
    text = head + "\n" + "\n".join(line for _, line in moved + steady)
    if said_by:
        text += ("\n" + "、".join(said_by) + "没有收录上一年的文件：上一年数由本年文件说明中写明的"
                 "增减推算（引文为该句）。")
    if unpaired:
        text += "\n不能比较（没有相邻两年的文件，说明中也没有写明与上一年的增减）：" + \
            "、".join(unpaired) + "。"
    text += _notes(selection)
    citations += further_citations(compared)
    if unpaired and not moved:
        # "None of those compared went down" with others not comparable does not answer
        # which went down: say what is known, with no count.
        return Answer(question=reading.question, doc=None, route="none", text=text,
                      citations=tuple(citations),
                      reading=_reading(reading, asked, selection, [name]),
                      table=_table(name, rows, [("previous", "上年数值"), ("change", "增减"),
                                                ("growth", "增长%")]))
    value, unit, formula = Decimal(len(moved)), "个", f"{direction}：{len(moved)}个部门"
    if asked.amount and sizes:
        # "下降的是哪几家？一共少了多少": the sum of what those that moved moved.
        result = ops.total(sizes)
        value, unit = result.value, result.unit
        formula = f"{direction}合计：{result.formula}"
        text = text.replace(head, head + f"{direction}合计{ops.plain(value)}{unit}。", 1)
    return Answer(question=reading.question, doc=None, route="calc", text=text, value=value,
                  unit=unit, formula=formula,
                  citations=tuple(citations),
                  reading=_reading(reading, asked, selection, [name]),
                  table=_table(name, rows, [("previous", "上年数值"), ("change", "增减"),
                                            ("growth", "增长%")]))


def _stated_against_previous(catalogue, years: dict[int, Disclosure], asked_year: int | None,
                             key: str, fund: str):
    """For a publisher whose previous year is not held: the asked year's (else its latest)
    figure against the previous year as its own narrative states the change
    (qa.across_stated), as (year, disclosure, measure, now, previous, change, growth %);
    None when no sentence states it. The change is the sentence's, cited by it; the previous
    figure is the sentence's amount less that change."""
    year = asked_year if asked_year is not None else max(years)
    now = years.get(year)
    m_now = catalogue.measure(now, key, fund) if now is not None else None
    if m_now is None or m_now.status != "found":
        return None
    stated = catalogue.stated_change(now, m_now)
    if stated is None:
        return None
    unit = target_unit([m_now])
    a = operand(now, m_now, unit, f"{year}年")
    said = Operand(stated.now, stated.unit, f"{year}年", stated.citation)
    change = Operand(stated.change, stated.unit, "增减", stated.citation)
    previous = Operand(stated.now - stated.change, stated.unit, f"{year - 1}年", stated.citation)
    b = ops.convert(previous, unit)[0]
    change_in_unit = ops.convert(change, unit)[0]
    diff = ops.Result(change_in_unit.value, unit, f"{year}年说明写明：{stated.citation.value}"
                      f"{stated.unit}", (said, change))
    growth = ops.growth_from_change(said, change).value if previous.value != 0 else None
    return year, now, m_now, a, b, diff, growth


# "谁披露了…", "哪几家没写这个": who states the measure is asked, and one stating it answers.
_ASKS_WHO_STATES = re.compile(r"(谁|哪家|哪几家|哪些|哪个)[^，,。？?]{0,6}(披露|公布|公开|写了|列了|列出|提到)|"
                              r"没(写|列|披露|公布|公开|提)")


def _one_found(reading, selection: Selection, asked: Asked, name: str, gathered: Gathered,
               rows: list[dict], shown) -> Answer:
    """A ranking of several documents of which only one states the measure: no ranking,
    and no winner named. The one figure is shown and cited, the others listed as lacking."""
    (d, m), o = shown[0]
    text = (f"{_scope_words(selection)}只有{d.publisher}列出{name}（{ops.plain(o.value)}"
            f"{gathered.unit}{stated_none(m)}），其余文件没有这一数字，无法排名或说谁"
            f"{'最少' if asked.smallest else '最多'}。" + _lacking_text(gathered, name) +
            _notes(selection))
    return Answer(question=reading.question, doc=None, route="none", text=text,
                  citations=(o.citation,),
                  reading=_reading(reading, asked, selection, [name]),
                  table=_table(name, rows))


def _none(reading, selection: Selection, asked: Asked, name: str, gathered: Gathered) -> Answer:
    """No selected disclosure states the measure: say so, and which were looked at."""
    looked = "、".join(d.label for d in selection.disclosures[:12])
    return Answer(question=reading.question, doc=None, route="none",
                  text=f"所选文件都没有列出{name}（{looked}）。" + (
                      f"\n{MISSING_TEXT['other_fund']}。" if any(
                          why == "other_fund" for _, why in gathered.lacking) else "") +
                  _notes(selection),
                  reading=_reading(reading, asked, selection, [name]),
                  table=_table(name, [_row(None, d, None, None, "", None, why)
                                      for d, why in gathered.lacking]))
