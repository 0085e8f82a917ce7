"""Which documents a cross-document question is about: by year, region, publisher and kind.

A department's disclosure may be two files (narrative and tables, same Document.disclosure or
the same name with "-tables"): they are one `Disclosure` here, its measures taken from the
tables file first. Budgets (预算) and final accounts (决算) are never put in one set unless the
question asks for both; a department's 部门预算 stands for it when it also has a 单位预算, and
whole-government documents (政府预算/政府决算) join only when the question names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from budgetqa.domain import Document
from ingest.measures import basis_of
from qa.across_names import GAZETTEER, Mention, drop_contained, mentions, unresolved_places
from qa.text import norm

# "江苏" names the documents of 江苏省…; a place is a publisher's 省/市/区/县/州 name.
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:自治区|省|市|区|县|州)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOT_FINAL = re.compile(r"(别|不要|不|勿|没)(把|将|算|含|包括|包含|计入|看|要)?决算|"
                        r"(除了|除去|剔除|排除|去掉|不含)决算|决算(除外|不算|别算|不要)")
_ACTUAL = re.compile(r"实际(支出|花|开支|发生|使用|用了|花费|执行)|实际数|决算数")
_GOVERNMENT = re.compile(r"政府预算|政府决算|全市|全区|全州|全省|本级财政|财政预算草案|财政决算")
# "17年" is 2017; "2023、2024" lists years without 年 (not amounts: no unit after them).
_SHORT_YEAR = re.compile(r"(?<![\d.])([12]\d)(?:年(?!代)|(?=[、和到至-][12]\d年))")
_BARE_YEAR = re.compile(r"(?<![\d.])(20[0-3]\d)(?![\d.万元亿%])")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:20)?[12]\d)年?(?:度)?(?:到|至|-|—|~|－)((?:20)?[12]\d)(?!\d)")
# "17、18、19三年", "2023、2024、2025这几年": a list of years whose 年 comes once, at its end
# (or as the count of years after it).
_YEAR_LIST = re.compile(r"(?<![\d.])(?:(?:20)?[12]\d[、和及与跟])+(?:20)?[12]\d"
                        r"(?=(?:这|那)?[两二三四五六七八九十几]?个?年)")


@dataclass(frozen=True)
class Disclosure:
    """One publisher's disclosure of one year and kind: one file, or narrative + tables."""

    key: str
    publisher: str
    year: int | None
    kind: str
    doc_ids: tuple[str, ...]  # the tables file first
    places: tuple[str, ...] = ()
    org: str = ""  # who publishes it, the same over years whatever the cover calls it
    # Normalised once for matching questions: the name, the name after its places, the places.
    name_norm: str = ""
    tail_norm: str = ""
    places_norm: tuple[str, ...] = ()
    # The places a question may name it by, without their level: 普陀, 上海, 宁夏, 盐田.
    place_stems: frozenset[str] = frozenset()

    @property
    def basis(self) -> str:
        return basis_of(self.kind)

    @property
    def label(self) -> str:
        return f"{self.publisher}{self.year or ''}年{self.kind}"


@dataclass
class Selection:
    """The disclosures a question names, and what was left out and why (for the answer)."""

    disclosures: list[Disclosure]
    years: tuple[int, ...] = ()
    basis: str = ""
    publisher: str = ""  # when the question names one publisher (a time series)
    named: tuple[str, ...] = ()  # the publishers the question names, when it names any
    place: str = ""
    notes: list[str] = field(default_factory=list)
    # Scope words that name no stored publisher or place ("杭州", "西安公安局"): the answer
    # refuses rather than answer from other documents.
    unresolved: tuple[str, ...] = ()
    # A shortened word naming several publishers that nothing narrows: (word, publishers).
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Named publishers with no disclosure of the asked years and kind, with what they do have.
    absent: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    subject: str = ""  # the publisher whose share of the set is asked
    # The question names a department's 部门预算 and its 单位预算 ("司法局的部门预算和单位
    # 预算差多少"): both are kept, as two disclosures to compare.
    both_kinds: bool = False


def disclosures(documents: list[Document], has_tables: set[str]) -> list[Disclosure]:
    """The documents grouped into disclosures (twins together, the tables file first)."""
    groups: dict[str, list[Document]] = {}
    by_stem = {d.id.removesuffix("-tables"): (d.disclosure or d.id) for d in documents
               if d.id.endswith("-tables")}
    for doc in documents:
        key = by_stem.get(doc.id, doc.disclosure or doc.id)
        groups.setdefault(key, []).append(doc)
    out = []
    for key, docs in groups.items():
        docs.sort(key=lambda d: (d.id not in has_tables, d.id))
        # A file whose cover gave no Chinese name is named by its twin.
        named = next((d.publisher for d in docs if _CJK.search(d.publisher)), docs[0].publisher)
        places = tuple(dict.fromkeys(p for d in docs for p in _PLACE.findall(d.publisher)))
        out.append(Disclosure(key=key, publisher=named, year=docs[0].year, kind=docs[0].kind,
                              doc_ids=tuple(d.id for d in docs), places=places,
                              org=key.split("|")[0] if "|" in key else named))
    # One name per publisher over its years (中国共产党江苏省委员会办公厅 and 中共江苏省委办公厅
    # are one office): the latest year's.
    latest: dict[str, Disclosure] = {}
    for d in sorted(out, key=lambda d: d.year or 0):
        latest[d.org] = d
    out = [_normalised(replace(d, publisher=latest[d.org].publisher)) for d in out]
    return sorted(out, key=lambda d: (d.publisher, d.year or 0, d.kind))


def _normalised(d: Disclosure) -> Disclosure:
    name = norm(d.publisher)
    places = tuple(norm(p) for p in d.places)
    tail = name
    for place in places:
        tail = tail.replace(place, "")
    stems = {re.sub(r"(自治区|省|市|区|县|州)$", "", p) for p in places}
    stems.update(g for g in GAZETTEER if g in name)
    stems = {s for s in stems if len(s) >= 2 and s in name}
    return replace(d, name_norm=name, tail_norm=tail, places_norm=places,
                   place_stems=frozenset(stems))


def asked_years(normalised: str, years: tuple[int, ...]) -> tuple[int, ...]:
    """The years a question names: "2019年", "17年", a list "2023、2024、2025", a range
    "2017到2019年" filled in."""
    found = set(years)
    found.update(2000 + int(y) for y in _SHORT_YEAR.findall(normalised))
    found.update(int(y) for y in _BARE_YEAR.findall(normalised))
    for run in _YEAR_LIST.findall(normalised):
        found.update(_full_year(y) for y in re.findall(r"\d+", run))
    for start, end in _YEAR_RANGE.findall(normalised):
        low, high = sorted((_full_year(start), _full_year(end)))
        found.update(range(low, high + 1))
    return tuple(sorted(found))


_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0"}
# Years written in Chinese digits: "二〇一九年", and the spoken short form "一七年", "一九年"
# (2010–2029 only: "五六年" is no year of these budgets).
_CHINESE_YEAR = re.compile(r"(?<![零〇一二三四五六七八九十第])(?:二[零〇])?([一二][零〇一二三四五六七八九])(?=年)")


def arabic_years(text: str) -> str:
    """The text with years written in Chinese digits in Arabic ones ("一七年" → "17年")."""
    return _CHINESE_YEAR.sub(lambda m: "".join(_CHINESE_DIGITS[c] for c in m.group(1)) if
                             len(m.group(0)) == 2 else "20" + "".join(
                                 _CHINESE_DIGITS[c] for c in m.group(1)), text)


def written_years(text: str) -> str:
    """The text with every year written in full: "24年比23年" → "2024年比2023年",
    "一七年" → "2017年" (2010–2029; "近12年" is a span, not a year)."""
    return re.sub(r"(?<![\d.第近])([12]\d)(?=年(?!代|以来|来|间|内))", r"20\1", arabic_years(text))


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def select(all_disclosures: list[Disclosure], normalised: str, years: tuple[int, ...]
           ) -> Selection:
    """The disclosures a question names by publisher or place, year and kind."""
    wants_government = bool(_GOVERNMENT.search(normalised))
    pool = [d for d in all_disclosures if ("政府" in (d.kind or "")) == wants_government]
    selection = Selection(pool)
    names = {d.publisher: d.name_norm for d in all_disclosures}
    found = drop_contained(mentions(normalised, names))
    selection.mentions = tuple(found)
    place = _named_place(all_disclosures, normalised)
    selection.place = place
    unresolved = [m.text for m in found if not m.publishers]
    unresolved += unresolved_places(normalised, list(names.values()))
    selection.unresolved = tuple(dict.fromkeys(unresolved))
    in_pool = {d.publisher for d in pool}
    named: list[str] = []
    ambiguous = []
    read = [(m, _candidates(m, normalised, pool, in_pool, place, years)) for m in found]
    # "两个财政局——上海市财政局和普陀区财政局": a word naming several publishers, two or
    # more of which the question names by themselves, is the collective word for those.
    alone = {c[0] for _, c in read if len(c) == 1}
    for m, candidates in read:
        if len(candidates) > 1 and len(alone & set(candidates)) >= 2:
            continue
        if len(candidates) > 1:
            ambiguous.append((m.text, tuple(candidates)))
        named += [p for p in candidates if p not in named]
    selection.ambiguous = tuple(ambiguous)
    selection.named = tuple(named)
    if len(named) == 1:
        selection.publisher = named[0]
    if named:
        pool = [d for d in pool if d.publisher in named]
    elif place:
        pool = [d for d in pool if place in d.place_stems]
        if not pool:
            held = [d.label for d in all_disclosures if place in d.place_stems]
            selection.notes.append(f"{place}已收录的只有：{'、'.join(held)}")
    if years:
        selection.years = years
        pool = [d for d in pool if d.year in years]
    pool, selection.basis = _one_basis(pool, normalised, selection.notes)
    selection.both_kinds = bool(_UNIT_BUDGET.search(normalised) and _DEPARTMENT_BUDGET.search(
        normalised))
    if not selection.both_kinds:
        pool = _department_over_unit(pool, normalised)
    selection.disclosures = pool
    if named:
        kept = {d.publisher for d in pool}
        selection.absent = tuple(_absent(p, all_disclosures, years, selection.basis)
                                 for p in named if p not in kept)
    return selection


def _candidates(m: Mention, normalised: str, pool: list[Disclosure], in_pool: set[str],
                place: str, years: tuple[int, ...]) -> list[str]:
    """The publishers of the pool a mention may name, narrowed by the place written right
    before it ("盐田规划和自然资源局", "普陀区财政局"), else the place the question is about,
    and by the years asked."""
    candidates = [p for p in m.publishers if p in in_pool]
    near = normalised[max(0, m.start - _NEAR_PLACE):m.start]
    candidates = [p for p in candidates if any(
        s in near for s in _stems_of(p, pool))] or candidates
    if place:
        candidates = [p for p in candidates if _in_place(p, place, pool)] or candidates
    if years and len(candidates) > 1:
        candidates = [p for p in candidates if any(
            d.publisher == p and d.year in years for d in pool)] or candidates
    return candidates


# How far before a department's name a place still belongs to it ("深圳市盐田" + 规划…).
_NEAR_PLACE = 8


def _stems_of(publisher: str, pool: list[Disclosure]) -> set[str]:
    return {s for d in pool if d.publisher == publisher for s in d.place_stems}


def _in_place(publisher: str, place: str, pool: list[Disclosure]) -> bool:
    return any(d.publisher == publisher and place in d.place_stems for d in pool)


def _absent(publisher: str, all_disclosures: list[Disclosure], years: tuple[int, ...],
            basis: str) -> str:
    """A named publisher left out, and what the store does hold of it."""
    held = [d.label for d in all_disclosures if d.publisher == publisher]
    asked = "、".join(f"{y}年" for y in years) + (basis if basis != "预算和决算" else "")
    return f"{publisher}：没有收录{asked or '所问'}的文件（已收录：{'、'.join(held) or '无'}）"


def _named_place(all_disclosures: list[Disclosure], normalised: str) -> str:
    """The longest place the question names, without its level ("普陀" for 普陀区, "江苏"
    for 江苏省), among every stored publisher's places, or ""."""
    named = [s for s in {s for d in all_disclosures for s in d.place_stems} if s in normalised]
    # The longest; of equally long ones the first named (the same answer on every run).
    return min(named, key=lambda s: (-len(s), normalised.index(s), s), default="")


def _one_basis(pool: list[Disclosure], normalised: str, notes: list[str]
               ) -> tuple[list[Disclosure], str]:
    """Budgets or final accounts, as the question asks; budgets when it does not say and
    both are present (the final accounts left out are named)."""
    # "别把决算算进去" excludes final accounts; "实际支出/实际花了" asks for them.
    if _NOT_FINAL.search(normalised):
        normalised = _NOT_FINAL.sub("", normalised).replace("决算", "")
    if re.search(r"(包括|包含|含|连同|加上|算上)决算", normalised):
        return pool, "预算和决算"
    said_final = "决算" in normalised or bool(_ACTUAL.search(normalised))
    said_budget = bool(re.search(r"预算(?!数)", normalised)) and not said_final
    if said_final and re.search(r"预算", normalised.replace("决算", "")) and re.search(
            r"预算和决算|决算和预算|预决算|预算与决算", normalised):
        return pool, "预算和决算"
    if said_final:
        return [d for d in pool if d.basis == "决算"], "决算"
    bases = {d.basis for d in pool}
    if len(bases) > 1 and not said_budget:
        left = [d for d in pool if d.basis == "决算"]
        notes.append("预算和决算不放在一起比较；未说明时按预算，未纳入的决算：" +
                     "、".join(d.label for d in left))
    return [d for d in pool if d.basis == "预算"], "预算"


# "单位预算" as a kind of document (not 各单位预算, 本单位预算); "部门预算" or "部门和单位预算".
_UNIT_BUDGET = re.compile(r"(?<![各本])单位预算")
_DEPARTMENT_BUDGET = re.compile(r"(?<![各本])部门预算|部门(和|与|跟|及|、|还是)单位预算")


def _department_over_unit(pool: list[Disclosure], normalised: str) -> list[Disclosure]:
    """One disclosure per publisher and year: the 部门预算 over the 单位预算 of the same
    publisher, unless the question asks for 单位预算."""
    if _UNIT_BUDGET.search(normalised):
        return [d for d in pool if d.kind == "单位预算"]
    kept: dict[tuple[str, int | None, str], Disclosure] = {}
    for d in pool:
        slot = (d.publisher, d.year, d.basis)
        if slot not in kept or (kept[slot].kind == "单位预算" and d.kind != "单位预算"):
            kept[slot] = d
    return [d for d in pool if kept[(d.publisher, d.year, d.basis)] is d]
