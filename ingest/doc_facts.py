"""Document facts (title, publisher, year, kind) read from a disclosure's first pages.

Facts come from the printed text first: the cover title ("江苏省高级人民法院 /
2019 年度部门预算公开") and the labelled fields Shanghai covers and table
captions carry ("预算主管部门：…", "部门：… 单位：万元"). Only a fact the text
does not state falls back to the file stem ("jiangsu-cppcc-office-2019-dept-
budget"), and the result says which source gave each fact.

`disclosure_key` names one disclosure however many files it was published
in, so a narrative file and its tables file share a key.
"""

from __future__ import annotations

import re

KINDS = ("部门预算", "单位预算", "部门决算", "政府预算", "政府决算")

# Labelled publisher fields. Cover: "预算主管部门：…" / "预算单位：…"; table
# captions: "部门：江苏省政协办公厅 单位：万元", "部 门:中共江苏省委办公厅".
_LABELLED = re.compile(
    r"(?m)^\s*(?:预算主管部门|预算单位|主管部门|编制部门|部\s*门)\s*[:：]\s*(?P<name>[^\s:：]+)"
)
_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年度?"
_TITLE_STOP = re.compile(
    r"^目\s*录$|^(?:预算主管部门|预算单位|部\s*门|编制部门)\s*[:：]|\d{4}\s*年\s*\d{1,2}\s*月"
    r"|^[-—─–\s]*\d{1,3}[-—─–\s]*$|^(?:公开)?\s*(?:附表|表)"
)
_KIND_IN_TEXT = re.compile(r"(部门|单位)\s*(预算|决算)")
# A bare place ("上海市普陀区", "江苏省") is where a title starts, not who published it.
_PLACE_ONLY = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}[省市])(?:[\u4e00-\u9fff]{1,3}[区县市])?$")
_ORG_BEFORE_YEAR = re.compile(
    r"(?m)^(?P<name>[\u4e00-\u9fff（）()]{6,30}?(?:办公厅|办公室|法院|检察院|局|委员会|办事处|厅|委|中心|院|部|会))"
    r"\s*(?:19|20)\d{2}\s*年"
)
_STEM_KIND = {"dept-budget": "部门预算", "unit-budget": "单位预算", "final-account": "部门决算",
              "gov-budget": "政府预算", "gov-final-account": "政府决算"}
# A whole government's budget or final account, not a department's: "财政决算报表",
# "地方财政预算（草案）", "全市及市本级决算草案", "预算执行情况".
_GOVERNMENT = re.compile(r"财政\s*[预决]算|[预决]算\s*[（(]?\s*草案|全[省市区州县]\s*及|预算执行情况")
# The finance bureau that publishes a government's budget: "宁夏回族自治区财政厅".
_FINANCE_ORG = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,12}?财政(?:厅|局))")
# A heading of the body: a cover title never runs into one (Pingdingshan has no cover).
_BODY_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第.{1,3}部分)")


def document_facts(first_pages_text: str, file_stem: str, body_text: str = "") -> dict:
    """Title, publisher, year and kind of one file, with the source of each.

    `first_pages_text` is the text of the first pages (cover, contents), pages
    separated by "\f" as `ingest.pdf_text.first_pages_text` gives it;
    `body_text`, optional, is later text searched only for a fact the first
    pages leave out (a cover set as an image). Returns
    {"title", "publisher", "year", "kind", "disclosure", "sources"} where
    sources maps each fact to "title", "text", "body", "file_stem" or "derived".
    """
    stem = _stem_facts(file_stem)
    title = _title(first_pages_text)
    sources: dict[str, str] = {}

    publisher = _labelled_publisher(first_pages_text)
    sources["publisher"] = "text"
    if not publisher and title and _GOVERNMENT.search(title):
        publisher, sources["publisher"] = _finance_org(title), "title"
    if not publisher and title:
        publisher, sources["publisher"] = _publisher_from_title(title), "title"
    if not publisher and body_text:
        publisher, sources["publisher"] = _labelled_publisher(body_text) or _org_before_year(body_text), "body"
    if not publisher:
        publisher, sources["publisher"] = stem["publisher"], "file_stem"

    year, sources["year"] = _year(title), "title"
    if year is None:
        year, sources["year"] = _year_in_text(first_pages_text), "text"
    if year is None and body_text:
        year, sources["year"] = _year_in_text(body_text), "body"
    if year is None:
        year, sources["year"] = stem["year"], "file_stem"

    kind, sources["kind"] = _kind(title), "title"
    if kind is None:
        kind, sources["kind"] = _kind_in_text(first_pages_text), "text"
    if kind is None:
        kind, sources["kind"] = stem["kind"], "file_stem"

    sources["title"] = "title"
    if not title:
        title, sources["title"] = f"{publisher}{year or ''}年度{kind or ''}", "derived"

    return {
        "title": title,
        "publisher": publisher,
        "year": year,
        "kind": kind,
        "disclosure": disclosure_key(publisher, year, kind),
        "sources": sources,
    }


# ---------------------------------------------------------------- disclosure key

# Rewrites applied in order to a publisher name before it becomes part of a key.
_CANONICAL = (
    (re.compile(r"\s+"), ""),
    (re.compile(r"中国共产党"), "中共"),
    # "中共江苏省委员会办公厅" -> "中共江苏省委办公厅": the party committee's short name.
    (re.compile(r"^中共(.+?[省市区县])委员会"), r"中共\1委"),
    # "中共江苏省委…" and "江苏省委…" are the same body; "省委/区委" already says party.
    (re.compile(r"^中共(?=.+?[省市区县]委)"), ""),
    (re.compile(r"人民代表大会常务委员会"), "人大常委会"),
    (re.compile(r"常务委员会"), "常委会"),
    (re.compile(r"中国人民政治协商会议(.+?)委员会"), r"\1政协"),
    # "上海市普陀区人民政府万里街道办事处" is also printed without "人民政府".
    (re.compile(r"人民政府(?=.)"), ""),
    # The general office (办公厅) of a people's congress, CPPCC or party committee
    # publishes that body's budget; Jiangsu files name either one.
    (re.compile(r"(人大常委会|政协|[省市区县]委)办公厅$"), r"\1"),
)


def canonical_publisher(publisher: str) -> str:
    """Publisher name reduced so that variants of one body compare equal.

    "江苏省人大常委会办公厅", "江苏省人民代表大会常务委员会" -> "江苏省人大常委会";
    "中国共产党江苏省委员会办公厅", "中共江苏省委办公厅" -> "江苏省委".
    """
    name = publisher
    for pattern, replacement in _CANONICAL:
        name = pattern.sub(replacement, name)
    return name


def disclosure_key(publisher: str, year: int | None, kind: str | None) -> str:
    """Key shared by every file of one disclosure: canonical publisher, year, kind.

    >>> disclosure_key("江苏省人大常委会办公厅", 2019, "部门预算") == disclosure_key("江苏省人大常委会", 2019, "部门预算")
    True
    """
    return f"{canonical_publisher(publisher)}|{year if year is not None else '?'}|{kind or '?'}"


def same_disclosure(first, second) -> bool:
    """Whether two ingested documents are files of one disclosure (a narrative file and its
    tables file): their keys agree, or, when a file prints no publisher (a tables file of
    bare tables), their file stems name the same publisher, year and kind."""
    if first.disclosure and first.disclosure == second.disclosure and "?" not in first.disclosure:
        return True
    a, b = _stem_facts(first.id), _stem_facts(second.id)
    return a["year"] is not None and a["kind"] is not None and a == b


# ---------------------------------------------------------------- reading the text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _title(text: str) -> str:
    """Cover title: the opening lines up to the contents, a labelled field or a date.

    Cover titles break over lines ("上海市普陀区规划和自然" / "资源局" / "2024 年度部门决算");
    the lines are joined without a space.
    """
    cover = text.split("\f", 1)[0]  # the title is on the first page or nowhere
    parts: list[str] = []
    for line in _lines(cover)[:6]:
        if parts and _BODY_HEADING.match(line):
            break
        if _TITLE_STOP.search(line):
            if parts:
                break
            continue
        parts.append(line)
        if re.search(r"[预决]算", line):
            joined = "".join(parts)
            # "…预算" may continue with "公开"/"公开文件" on the next line; those are kept
            # by the loop until the next stop, but a table title is no cover title.
            if len(joined) > 60:
                return ""
    title = re.sub(r"\s+", " ", "".join(parts)).strip()
    return title if re.search(r"[预决]算", title) and not re.search(r"总表$|明细表$", title) else ""


def _labelled_publisher(text: str) -> str:
    match = _LABELLED.search(text)
    return match.group("name") if match else ""


def _finance_org(title: str) -> str:
    # The name follows the title's last 预算/决算 words ("…财政决算报表宁夏回族自治区财政厅").
    pieces = re.split(r"[预决]算|报表|草案|[（）()]", re.sub(r"\s+", "", title))
    names = [m.group("name") for m in map(_FINANCE_ORG.match, pieces) if m]
    return names[-1] if names else ""


def _publisher_from_title(title: str) -> str:
    compact = re.sub(r"\s+", "", title)
    split = re.search(r"(?:19|20)\d{2}年度?|年度?(?=(?:区级|市级|省级)?(?:部门|单位))", compact)
    if not split:
        return ""
    before, after = compact[: split.start()], compact[split.end():]
    if before and not _PLACE_ONLY.match(before):
        return before
    name = re.split(r"(?:区级|市级|省级)?(?:部门|单位)?(?:预算|决算)", after)[0]
    # "全市及市本级" names the scope of a government's accounts, not who publishes them.
    if re.match(r"全[省市区州县]", name):
        return ""
    return name if name and not _PLACE_ONLY.match(name) else ""


def _org_before_year(text: str) -> str:
    match = _ORG_BEFORE_YEAR.search(text)
    return match.group("name") if match else ""


def _year(title: str) -> int | None:
    # "2025年…预算执行情况和2026年…预算（草案）" is the 2026 budget: the year of the last
    # 预算/决算 the title names, else its first year.
    named = re.findall(r"((?:19|20)\d{2})\s*年度?[^年]{0,12}?[预决]算", re.sub(r"\s+", "", title))
    if named:
        return int(named[-1])
    match = re.search(_YEAR, title)
    return int(match.group("year")) if match else None


def _year_in_text(text: str) -> int | None:
    # Only a year attached to the disclosure itself ("2017 年度部门预算表"), not the
    # comparison years narrative mentions ("比2023年预算减少").
    match = re.search(_YEAR + r"\s*(?:区级|市级|省级)?\s*(?:部门|单位)\s*(?:预算|决算)", text)
    return int(match.group("year")) if match else None


def _kind(title: str) -> str | None:
    """Kind as a cover title states it; Jiangsu covers say just "预算公开"."""
    if _GOVERNMENT.search(title):
        return "政府决算" if "决算" in title else "政府预算"
    if "决算" in title:
        return "部门决算"
    if re.search(r"单位\s*预算", title):
        return "单位预算"
    return "部门预算" if "预算" in title else None


def _kind_in_text(text: str) -> str | None:
    # The first "部门预算"/"单位预算"/"部门决算" the pages print, not any "决算" they mention.
    match = _KIND_IN_TEXT.search(text)
    if not match:
        return None
    if match.group(2) == "决算":
        return "部门决算"
    return "单位预算" if match.group(1) == "单位" else "部门预算"


def _stem_facts(stem: str) -> dict:
    """Facts the corpus naming scheme ("<publisher>-<year>-<kind>[-tables]") carries."""
    match = re.match(r"^(?P<publisher>.+?)-(?P<year>(?:19|20)\d{2})-(?P<kind>[a-z]+-[a-z]+)", stem)
    if not match:
        return {"publisher": stem, "year": None, "kind": None}
    return {
        "publisher": match.group("publisher"),
        "year": int(match.group("year")),
        "kind": _STEM_KIND.get(match.group("kind")),
    }
