"""Audit findings: what a rule found, its arithmetic, its operands' places, its severity and id.

Pure: Decimal only, no I/O. Severity is the one gap policy of calc.gaps (by size, never
by rule); completeness findings have no arithmetic and are reported as ``missing``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.domain import Citation, ParsedCell, ParsedRow, ParsedTable, Passage

from calc.gaps import (ERROR, MINOR, MISSING, MONEY, ROUNDING, SERIOUS, SEVERITIES,  # noqa: F401
                       UNIT_SLIP, is_exact, quantum, severity)


@dataclass(frozen=True)
class Rule:
    """An audit rule: a stable id and a plain description."""

    id: str
    description: str


@dataclass(frozen=True)
class SourcedTable:
    """A parsed table with the document it came from (a disclosure may span two files)."""

    doc: str
    table: ParsedTable
    position: int

    @property
    def name(self) -> str:
        return f"{self.table.number} {self.table.title}".strip()


@dataclass(frozen=True)
class Finding:
    """One thing that does not add up, with the arithmetic and where each operand stands."""

    id: str  # rule:doc:hash of the location, stable across re-ingests
    rule: str
    doc: str
    severity: str
    message: str  # plain Chinese sentence
    formula: str = ""  # the arithmetic, e.g. "30 + 20 = 50 ≠ 51（差 1）"
    expected: Decimal | None = None
    found: Decimal | None = None
    operands: tuple[Citation, ...] = field(default_factory=tuple)
    reviewed: str | None = None  # the reviewer's note once marked reviewed

    def to_json(self) -> dict:
        return {"id": self.id, "rule": self.rule, "doc": self.doc, "severity": self.severity,
                "message": self.message, "formula": self.formula or None,
                "expected": None if self.expected is None else format(self.expected, "f"),
                "found": None if self.found is None else format(self.found, "f"),
                "operands": [c.to_json() for c in self.operands],
                "reviewed": self.reviewed}


def finding_id(rule: str, doc: str, *location: str) -> str:
    """A stable id: the rule, the document and a short hash of the location's content."""
    digest = hashlib.sha1("\x1f".join(location).encode("utf-8")).hexdigest()[:10]
    return f"{rule}:{doc}:{digest}"


def plain(value: Decimal) -> str:
    """A Decimal as fixed-point text without trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_citation(source: SourcedTable, row: ParsedRow, cell: ParsedCell) -> Citation:
    """Where a table figure stands: document, table, row, column and page."""
    return Citation(kind="cell", doc=source.doc, page=cell.page or row.page, table=source.name,
                    row=row.label or row.code, column=cell.column, value=cell.printed,
                    unit=source.table.unit, bbox=cell.bbox)


def parts_finding(rule: str, source: SourcedTable, location: tuple[str, ...], level: str,
                  message: str, head: tuple[ParsedRow, ParsedCell],
                  parts: list[tuple[ParsedRow, ParsedCell]], expected: Decimal) -> Finding:
    """A printed figure (`head`) against the sum of the cells it should total (`parts`):
    the arithmetic written out, every cell cited."""
    row, cell = head
    return Finding(
        id=finding_id(rule, source.doc, source.name, *location), rule=rule, doc=source.doc,
        severity=level, message=message,
        formula=" + ".join(plain(c.value) for _, c in parts)
        + f" = {plain(expected)}；表列 {plain(cell.value)}",
        expected=expected, found=cell.value,
        operands=(cell_citation(source, row, cell), *(cell_citation(source, r, c) for r, c in parts)))


def table_citation(source: SourcedTable) -> Citation:
    """A whole table, for findings about a table rather than one figure."""
    page = source.table.pages[0] if source.table.pages else None
    return Citation(kind="cell", doc=source.doc, page=page, table=source.name,
                    unit=source.table.unit)


def passage_citation(passage: Passage, sentence: str, printed: str = "", unit: str = ""
                     ) -> Citation:
    """Where a narrative figure stands: the passage's section, its sentence and page."""
    return Citation(kind="passage", doc=passage.doc_id, page=passage.page,
                    section=passage.section, text=sentence, value=printed, unit=unit)


def where(citation: Citation) -> str:
    """A citation as a short Chinese location: 《表》行“…”列“…”第N页, or 第N页“句子”."""
    page = f"第{citation.page}页" if citation.page else "页码未知"
    if citation.kind == "cell":
        parts = [f"《{citation.table}》"]
        if citation.row:
            parts.append(f"行“{citation.row}”")
        if citation.column:
            parts.append(f"列“{citation.column}”")
        return "".join(parts) + page
    return f"{citation.section or '正文'}{page}“{citation.text[:60]}”"
