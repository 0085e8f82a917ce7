"""Audit rules for what tables are called rather than what they add up to: the year a
table title names, the body a title names, and the name each 科目编码 carries.

Pure: SourcedTables in, Findings out. A title's year is compared with the year most of
the disclosure's titles name (the document's own year label may be misread, a title
copied from last year's edition is what the rule is for); a title's body with the
publisher; a code's name with the names the same code carries in the rest of the
corpus (`code_names`, built by `corpus_code_names` over every stored document).
"""

from __future__ import annotations

import re
from collections import Counter

from calc.audit_findings import (ERROR, MINOR, Finding, Rule, SourcedTable, cell_citation,
                                 finding_id, table_citation)
from ingest.label_text import norm
from ingest.pdf_table_text import squash

RULES = (
    Rule("label.title_year", "表名中的年度与本公开其他表一致（防止沿用上年表名）"),
    Rule("label.title_body", "表名中的单位名称与公开单位一致"),
    Rule("label.code_name", "功能/经济分类科目编码与名称匹配（与语料中其他文件同一编码的名称对照）"),
)

# The year a title is for: the first 20XX年 outside brackets ("（2021年…资金）" is a name).
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")
_YEAR = re.compile(r"(20\d{2})\s*年")
# A body named in a title, after its year: "2017年江苏省高级人民法院部门政府采购预算表".
_BODY = re.compile(r"20\d{2}\s*年度?(?P<body>[\u4e00-\u9fff]{2,24}?(局|院|委员会|办公厅|办公室|"
                   r"街道办事处|中心|学院|厅|委))(部门|单位|本级)?(收支|收入|支出|财政拨款|一般公共预算|"
                   r"政府性基金|国有资本|“三公”|三公|政府采购|基本支出)")
# Tables that look back a year in a budget ("2025年地方政府债务余额", "2025年预算执行情况").
_LOOKS_BACK = re.compile(r"债务|余额|执行|决算")
# Shared characters in a row that make two names one body (江苏省委办公厅 / 中共江苏省委办公厅).
SAME_BODY = 4
# A code needs this many other documents naming it before its name is judged.
MIN_WITNESSES = 2


def title_year(title: str) -> int | None:
    m = _YEAR.search(_BRACKETED.sub("", squash(title)))
    return int(m.group(1)) if m else None


def check_title_years(sources: list[SourcedTable], year: int | None = None) -> list[Finding]:
    """Titles naming another year than most titles of the disclosure do (or, when fewer
    than two titles name one, than the document's year)."""
    years = Counter(y for s in sources if (y := title_year(s.table.title)) is not None)
    if sum(years.values()) >= 2:
        usual, _ = years.most_common(1)[0]
    elif year is not None:
        usual = year
    else:
        return []
    out = []
    for source in sources:
        year = title_year(source.table.title)
        if year is None or year == usual or (
                year == usual - 1 and _LOOKS_BACK.search(source.table.title)):
            continue
        out.append(Finding(
            id=finding_id("label.title_year", source.doc, source.name),
            rule="label.title_year", doc=source.doc, severity=ERROR,
            message=(f"《{source.name}》标为 {year} 年，本公开其他表（{years[usual]} 张标年度）"
                     f"为 {usual} 年"),
            expected=None, found=None, operands=(table_citation(source),)))
    return out


def shared_run(a: str, b: str) -> int:
    """The longest run of characters the two names share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def check_title_bodies(sources: list[SourcedTable], publishers: tuple[str, ...]) -> list[Finding]:
    """Titles naming a body that is not the publisher (a table copied from another body)."""
    names = [norm(p) for p in publishers if p]
    out = []
    for source in sources:
        m = _BODY.search(squash(source.table.title))
        if not m or not names:
            continue
        body = norm(m.group("body"))
        if any(shared_run(body, name) >= min(SAME_BODY, len(body)) for name in names):
            continue
        out.append(Finding(
            id=finding_id("label.title_body", source.doc, source.name, body),
            rule="label.title_body", doc=source.doc, severity=ERROR,
            message=f"《{source.name}》表名中的单位“{m.group('body')}”与公开单位"
                    f"“{publishers[0]}”不一致", operands=(table_citation(source),)))
    return out


def _name(label: str) -> str:
    return re.sub(r"^[\d\s.、]+", "", norm(label)).replace("其它", "其他")


def corpus_code_names(tables_by_doc: dict[str, tuple[int | None, list]]
                      ) -> dict[tuple[int | None, str], Counter]:
    """For every (year, 科目编码), how many documents of that year give it each
    (normalised) name. Codes are renamed between editions of the classification
    (20805 行政事业单位离退休 → 行政事业单位养老支出), so only one year's names compare.

    tables_by_doc: doc id → (document year, its parsed tables)."""
    out: dict[tuple[int | None, str], Counter] = {}
    for year, tables in tables_by_doc.values():
        seen = {(row.code, _name(row.label)) for table in tables for row in table.rows
                if row.code and row.label}
        for code, name in seen:
            out.setdefault((year, code), Counter())[name] += 1
    return out


def check_code_names(sources: list[SourcedTable], code_names: dict, year: int | None
                     ) -> list[Finding]:
    """Rows whose name disagrees with every other document's name for the same code in
    the same year's edition."""
    out = []
    own: dict[str, set[str]] = {}
    for source in sources:
        for row in source.table.rows:
            if row.code and row.label:
                own.setdefault(row.code, set()).add(_name(row.label))
    for source in sources:
        for row in source.table.rows:
            if not row.code or not row.label:
                continue
            name = _name(row.label)
            others = Counter(code_names.get((year, row.code), Counter()))
            for mine in own.get(row.code, ()):  # this disclosure's own votes do not count
                others[mine] -= 1
            others = Counter({k: v for k, v in others.items() if v > 0})
            if sum(others.values()) < MIN_WITNESSES or name in others:
                continue
            if any(name in other or other in name for other in others):
                continue  # a short or long form of the same name
            usual, count = others.most_common(1)[0]
            cell = next((c for c in row.cells if c.value is not None), None)
            out.append(Finding(
                id=finding_id("label.code_name", source.doc, source.name, row.code, name),
                rule="label.code_name", doc=source.doc, severity=MINOR,
                message=(f"《{source.name}》科目编码 {row.code} 名为“{row.label}”，语料中其他 "
                         f"{count} 份文件此编码名为“{usual}”"),
                operands=(cell_citation(source, row, cell),) if cell else (
                    table_citation(source),)))
    return out
