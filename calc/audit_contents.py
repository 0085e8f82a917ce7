"""Audit rule for the table of contents against the body (目录与正文一致): every table the
contents page lists is printed in the disclosure under that name.

Pure: the text of a file's first pages (as ingest.pdf_text.first_pages_text reads it) and
SourcedTables in, Findings out. The contents are the lines after "目录" up to the body's
first line; a listed table is an entry ending in 表. Names are compared without their
numbering ("一、", "1.", "1-4", "公开09表"), years and the publisher's name, and an entry
matches a table whose name contains it, is contained in it, or shares most of it (a
title the parser cut short, a 表 the contents spell "决算表" and the body "决算总表").
"""

from __future__ import annotations

import re
from decimal import Decimal

from calc.audit_findings import (MINOR, MISSING, Finding, Rule, SourcedTable, finding_id,
                                 table_citation)
from calc.audit_labels import shared_run
from ingest.label_text import norm
from ingest.pdf_table_text import squash

RULES = (
    Rule("contents.table_listed", "目录与正文一致：目录列出的每张表在正文中都有同名的表"),
)

_TITLE = re.compile(r"^\s*目\s*录\s*$")
_LEADER = re.compile(r"[.．…·。\s]{4,}\s*\d*\s*$|\s+\d{1,3}\s*$")
_PAGE_MARK = re.compile(r"^-\s*\d+\s*-")
_NUMBERING = re.compile(r"^(序号|报表名称|\d+-\d+|预算\d+表|公开\d+表|公开表[一二三四五六七八九十]+|表\d+|"
                        r"[一二三四五六七八九十]+[、：:]|\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)])")
_LISTED_NUMBER = re.compile(r"^\s*表?[一二三四五六七八九十]+\s*[、：:]\s*")
# "第二部分 2019 年度部门预算表", "五、单位预算表": a part of the document, not one table.
_PART = re.compile(r"^第[一二三四五六七八九十]+部分|^(部门|单位)?(预算|决算)(报)?表$")
_YEAR = re.compile(r"20\d{2}年度?")
# The body has begun: a sentence, a table's header line, or a long line of text.
_BODY = re.compile(r"。|部门：|单位：|编制单位")
# Shared share of the shorter name that makes two names one table.
SAME_TABLE = 0.8
# Share of the shorter name found in order in the longer: a table printed under a
# slightly other name than the contents give ("政府采购支出预算表" / "政府采购预算表").
NEAR_NAME = Decimal("0.85")


def contents_entries(text: str) -> list[str]:
    """The entries of the contents page in a file's opening text ([] when it has none)."""
    lines = re.split(r"[\n\f]", text)  # pages are joined with a form feed
    start = next((i for i, line in enumerate(lines) if _TITLE.match(line)), None)
    if start is None:
        return []
    out: list[str] = []
    for line in lines[start + 1:]:
        line = _PAGE_MARK.sub("", _LEADER.sub("", line)).strip()
        if not line:
            continue
        if _BODY.search(line) or len(line) > 60 or (out and squash(line) == squash(out[0])):
            break
        if out and len(squash(line)) <= 3 and not _NUMBERING.match(squash(line)):
            out[-1] += line  # "…支出决" / "算表": an entry wrapped over two lines
            continue
        # "十二、政府采购支出预算表收支预算总表": the last entry runs into the body's title
        # (a 表 that opens the line numbers it: "表十六：…").
        out += [part for part in re.split(r"(?<=\S表)(?=[^（(）)\s])", line) if part]
    return out


def listed_tables(entries: list[str], bodies: tuple[str, ...] = ()) -> list[str]:
    """The entries that name one table (not a part of the document such as 部门预算表)."""
    return [e for e in entries if re.search(r"表\s*([（(][^）)]*[）)])?\s*$", e)
            and not _PART.search(squash(e)) and not _PART.search(table_key(e, bodies))]


def table_key(name: str, bodies: tuple[str, ...] = ()) -> str:
    """A table name without numbering, year, brackets, spaces and the publisher's name."""
    # "表十六：…" — the numbering goes before norm, which drops the colon that marks it.
    key = squash(norm(_LISTED_NUMBER.sub("", name)))
    for _ in range(3):
        key = _NUMBERING.sub("", key)
    key = _YEAR.sub("", key)
    key = re.sub(r"[（(][^）)]*[）)]", "", key)
    for body in bodies:
        key = key.replace(squash(norm(body)), "")
    return key.replace("“", "").replace("”", "").replace('"', "")




def same_table(a: str, b: str) -> bool:
    """True when two table keys name one table."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return shared_run(a, b) >= SAME_TABLE * min(len(a), len(b))


def _in_order(a: str, b: str) -> int:
    """How many characters of a appear in b in order (longest common subsequence)."""
    row = [0] * (len(b) + 1)
    for ch in a:
        previous = 0
        for j, other in enumerate(b, 1):
            current = row[j]
            row[j] = previous + 1 if ch == other else max(row[j], row[j - 1])
            previous = current
    return row[-1]


def check_contents(contents: dict[str, str], sources: list[SourcedTable],
                   bodies: tuple[str, ...] = ()) -> list[Finding]:
    """Tables a contents page lists that no table of the disclosure is printed as: minor
    when a table of nearly that name is printed (the names differ), missing otherwise.

    contents: doc id → the text of the file's first pages."""
    titled = [(table_key(s.table.title, bodies), s) for s in sources if s.table.title]
    out = []
    for doc, text in contents.items():
        for entry in listed_tables(contents_entries(text), bodies):
            key = table_key(entry, bodies)
            if len(key) < 4 or any(same_table(key, k) for k, _ in titled):
                continue
            near = [(k, s) for k, s in titled if k and _in_order(key, k) >= NEAR_NAME * min(
                len(key), len(k)) and not any(same_table(k, table_key(e, bodies))
                                              for e in listed_tables(contents_entries(text)))]
            message = f"目录列出“{entry.strip()}”，正文中未见此表"
            if near:
                message = f"目录列出“{entry.strip()}”，正文中此表名为“{near[0][1].table.title}”"
            out.append(Finding(
                id=finding_id("contents.table_listed", doc, key), rule="contents.table_listed",
                doc=doc, severity=MINOR if near else MISSING, message=message,
                operands=(table_citation(near[0][1]),) if near else ()))
    return out
