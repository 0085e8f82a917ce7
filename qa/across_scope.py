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
from qa.text import norm

# "江苏" names the documents of 江苏省…; a place is a publisher's 省/市/区/县/州 name.
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:自治区|省|市|区|县|州)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_GOVERNMENT = re.compile(r"政府预算|政府决算|全市|全区|全州|全省|本级财政|财政预算草案|财政决算")
_YEAR_RANGE = re.compile(r"(20\d{2})年?(?:度)?(?:到|至|-|—|~|－)(20\d{2})")
# A publisher is named when the question repeats this many characters of its name, more than
# of any place in it ("江苏省高院" shares 江苏省高 with 江苏省高级人民法院).
MIN_PUBLISHER_MATCH = 4


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
    return replace(d, name_norm=name, tail_norm=tail, places_norm=places)


def asked_years(normalised: str, years: tuple[int, ...]) -> tuple[int, ...]:
    """The years a question names, a range "2017到2019年" filled in."""
    found = set(years)
    for start, end in _YEAR_RANGE.findall(normalised):
        low, high = sorted((int(start), int(end)))
        found.update(range(low, high + 1))
    return tuple(sorted(found))


def select(all_disclosures: list[Disclosure], normalised: str, years: tuple[int, ...]
           ) -> Selection:
    """The disclosures a question names by publisher or place, year and kind."""
    pool = list(all_disclosures)
    wants_government = bool(_GOVERNMENT.search(normalised))
    pool = [d for d in pool if ("政府" in (d.kind or "")) == wants_government]
    selection = Selection(pool)
    named = _named_publishers(pool, normalised)
    selection.named = tuple(named)
    if len(named) == 1:
        selection.publisher = named[0]
    if named:
        pool = [d for d in pool if d.publisher in named]
    else:
        place = _named_place(pool, normalised)
        if place:
            selection.place = place
            pool = [d for d in pool if any(p.startswith(place) for p in d.places)]
    if years:
        selection.years = years
        pool = [d for d in pool if d.year in years]
    pool, selection.basis = _one_basis(pool, normalised, selection.notes)
    pool = _department_over_unit(pool, normalised)
    selection.disclosures = pool
    return selection


def _named_publishers(pool: list[Disclosure], normalised: str) -> list[str]:
    """The publishers the question names: by more of the full name than any place in it says
    ("江苏省高院" shares 江苏省高), or by three or more characters of the name after its place
    ("检察院" of 江苏省人民检察院). A publisher named only by words that are part of another's
    longer match is not named ("普陀区财政局" does not name 上海市财政局 by 财政局)."""
    memo: dict[str, str] = {}  # places and department names recur across publishers

    def pieces(text: str) -> str:
        if text not in memo:
            memo[text] = longest_piece(text, normalised)
        return memo[text]

    matches: dict[str, str] = {}
    seen: set[str] = set()
    for d in pool:
        if d.publisher in seen:
            continue
        seen.add(d.publisher)
        piece = pieces(d.name_norm)
        places = max((len(pieces(p)) for p in d.places_norm), default=0)
        tail_piece = pieces(d.tail_norm)
        if len(piece) >= MIN_PUBLISHER_MATCH and len(piece) > places:
            matches[d.publisher] = piece
        elif len(tail_piece) >= 3:
            matches[d.publisher] = tail_piece
    return [p for p, piece in matches.items()
            if not any(len(other) > len(piece) and piece in other for other in matches.values())]


def longest_piece(a: str, b: str) -> str:
    """The longest piece of `a` that appears whole in `b` ("" when none). Grows the piece one
    character at a time and stops at the first size with no match (no longer piece can match
    then), so an unrelated name costs one pass, not one per size."""
    found = ""
    size = 1
    while size <= len(a):
        piece = next((a[i:i + size] for i in range(len(a) - size + 1) if a[i:i + size] in b), "")
        if not piece:
            break
        found, size = piece, size + 1
    return found


def _named_place(pool: list[Disclosure], normalised: str) -> str:
    """The longest place the question names ("普陀区", "江苏" for 江苏省), or ""."""
    best = ""
    for place in {p for d in pool for p in d.places}:
        stem = re.sub(r"(自治区|省|市|区|县|州)$", "", place)
        if len(stem) >= 2 and stem in normalised and len(place) > len(best):
            best = place
    return best


def _one_basis(pool: list[Disclosure], normalised: str, notes: list[str]
               ) -> tuple[list[Disclosure], str]:
    """Budgets or final accounts, as the question asks; budgets when it does not say and
    both are present (the final accounts left out are named)."""
    said_final = "决算" in normalised
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


def _department_over_unit(pool: list[Disclosure], normalised: str) -> list[Disclosure]:
    """One disclosure per publisher and year: the 部门预算 over the 单位预算 of the same
    publisher, unless the question asks for 单位预算."""
    if "单位预算" in normalised:
        return [d for d in pool if d.kind == "单位预算"]
    kept: dict[tuple[str, int | None, str], Disclosure] = {}
    for d in pool:
        slot = (d.publisher, d.year, d.basis)
        if slot not in kept or (kept[slot].kind == "单位预算" and d.kind != "单位预算"):
            kept[slot] = d
    return [d for d in pool if kept[(d.publisher, d.year, d.basis)] is d]
