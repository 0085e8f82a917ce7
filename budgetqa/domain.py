"""Domain objects: every figure and passage carries where it came from.

Objects are frozen so that provenance cannot be edited away after ingest.
Money is `Decimal`, never float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Box on a PDF page in pdfplumber's coordinates: (x0, top, x1, bottom), points.
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Document:
    """One ingested disclosure file."""

    id: str  # file stem: stable, and what users and gold files name
    title: str
    publisher: str
    year: int | None
    kind: str  # 部门预算 / 单位预算 / 部门决算
    source_file: str
    sha256: str
    pages: int
    # Disclosures published as two files (narrative + tables) share one key.
    disclosure: str = ""


@dataclass(frozen=True)
class ParsedCell:
    """A value as printed in a table, with its column and position."""

    column: str  # header path, levels joined by "/", e.g. "基本支出/人员经费"
    printed: str
    value: Decimal | None  # None when blank or a dash
    page: int | None = None
    bbox: BBox | None = None
    # What the column measures, whatever its wording: 预算数, 年初预算, 调整预算, 决算数,
    # 上年决算, 完成%, 为上年%, 比上年增长%, 年初结转和结余, 年末结转和结余, 指标值 …;
    # "" when neither the header nor the table title says. See ingest.column_measures.
    measure: str = ""
    # Level of government or of the department the column covers when the header or the
    # title says: 全域 (全市/全区/全省/全州), 本级, 市县, 部门, 下属单位; else "".
    scope: str = ""
    unit: str = ""  # the cell's own unit when it differs from the table's: "%", "篇", "人次" …
    comparator: str = ""  # a performance target's ≥, ≤, =, <, >, or "定性" for a text target


@dataclass(frozen=True)
class ParsedRow:
    """A table row: its 科目编码, label, qualifying text columns and values."""

    label: str
    cells: tuple[ParsedCell, ...]
    code: str = ""  # 科目编码 joined, e.g. "2080505"
    # Other text columns that qualify the row, e.g. {"单位名称": "绍兴市公共资源交易中心"}.
    qualifiers: tuple[tuple[str, str], ...] = ()
    page: int | None = None
    level: int = 0  # 1 for 类 / 一、, 2 for 款 / （一）, 3 for 项; 0 for totals and flat rows
    parent: int | None = None  # position of the parent row in the same table
    # The budget unit (单位名称) a project or indicator row belongs to, so questions can
    # filter on it; "" when the table is about one body only.
    body: str = ""


@dataclass(frozen=True)
class ParsedTable:
    """A table as the parser read it, before it is stored."""

    title: str
    unit: str  # 元 or 万元 as the table states; "" when it states none
    pages: tuple[int, ...]
    columns: tuple[str, ...]  # numeric column header paths, in order
    rows: tuple[ParsedRow, ...]
    number: str = ""  # the printed table number, e.g. "公开03表" or "表01"
    note: str = ""  # a note printed with the table, e.g. "本表无数据"
    kind: str = ""  # canonical kind, e.g. 支出总表; filled in by ingest.kinds
    scope: str = ""  # 全域 / 本级 / 市县 … when the title says; see ParsedCell.scope
    # Why `unit` is not the unit the head prints (its figures are 10,000× the same items
    # elsewhere), or why it is doubtful; see ingest.stated_units.
    unit_note: str = ""
    # The figures contradict the stated unit and no other table says which unit they are
    # in: answers from this table should abstain rather than be 10,000 times off.
    unit_doubtful: bool = False


@dataclass(frozen=True)
class Passage:
    """A piece of narrative with its section path and page."""

    doc_id: str
    section: str  # heading path joined by " > "
    text: str
    page: int | None
    index: int  # position in the document, for stable ids and ordering
    ocr: bool = False  # read by OCR from a scanned page: its figures may be misread

    @property
    def id(self) -> str:
        return f"{self.doc_id}:p{self.index}"


@dataclass(frozen=True)
class ParsedDocument:
    """What a parser produces from one file: facts, tables and passages."""

    document: Document
    tables: tuple[ParsedTable, ...]
    passages: tuple[Passage, ...]
    warnings: tuple[str, ...] = ()
    ingest_version: str = ""  # the ingest code that produced it; see ingest.reader


@dataclass(frozen=True)
class Cell:
    """A stored table cell with everything needed to cite it."""

    id: str
    doc_id: str
    table_id: str
    table_title: str
    table_kind: str
    row_id: str
    row_label: str
    row_code: str
    row_level: int
    column: str
    printed: str
    value: Decimal | None
    unit: str
    page: int | None
    bbox: BBox | None = None
    qualifiers: tuple[tuple[str, str], ...] = ()
    measure: str = ""  # see ParsedCell
    scope: str = ""  # the column's scope, else the table's
    comparator: str = ""
    row_body: str = ""  # see ParsedRow.body
    row_parent: str = ""  # id of the row's parent (ParsedRow.parent), "" for none
    unit_doubtful: bool = False  # the table's unit is doubtful (ParsedTable.unit_doubtful)


@dataclass(frozen=True)
class Citation:
    """Where one operand or quoted passage stands in a document."""

    kind: str  # "cell" or "passage"
    doc: str
    page: int | None
    table: str = ""
    row: str = ""
    column: str = ""
    value: str = ""
    unit: str = ""
    section: str = ""
    text: str = ""
    bbox: BBox | None = None
    ocr: bool = False  # the figure was read by OCR from a scanned page (此数字由扫描页识别)
    # For a figure quoted from a sentence: the name the sentence prints before it, without
    # its numbering and level marks ("3.住房保障（类）支出" → 住房保障支出), since a sentence
    # may state several figures.
    item: str = ""

    def to_json(self) -> dict:
        """The citation as the answer contract prints it (empty fields dropped)."""
        out: dict = {"kind": self.kind, "doc": self.doc}
        if self.kind == "cell":
            out.update(table=self.table, row=self.row, column=self.column,
                       value=self.value, unit=self.unit)
        else:
            out.update(section=self.section, text=self.text)
            if self.value:
                out.update(value=self.value, unit=self.unit)
            if self.item:
                out["item"] = self.item
        out["page"] = self.page
        if self.bbox:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        if self.ocr:
            out["ocr"] = True
        return out


@dataclass(frozen=True)
class Option:
    """One reading of an ambiguous question, offered back to the reader (route clarify)."""

    wording: str  # the reading in words, e.g. "《三公经费表》公务接待费"
    value: Decimal | None
    unit: str
    citations: tuple[Citation, ...] = ()
    question: str = ""  # a question that asks for this reading alone

    def to_json(self) -> dict:
        return {"wording": self.wording,
                "value": None if self.value is None else format(self.value, "f"),
                "unit": self.unit or None, "question": self.question or None,
                "citations": [c.to_json() for c in self.citations]}


@dataclass(frozen=True)
class Answer:
    """The answer to one question, in the shape of the answer contract."""

    question: str
    doc: str | None
    route: str  # lookup, calc, text, clarify, none
    text: str
    value: Decimal | None = None
    unit: str = ""
    formula: str = ""
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    options: tuple[Option, ...] = ()  # the readings a clarify answer offers
    suggestions: tuple[str, ...] = ()  # questions the document can answer (none, clarify)
    reading: dict | None = None  # how the question was understood (qa.router)
    # A comparison across documents as rows (qa.across): {"columns": [...], "rows": [{...}]},
    # each row's figures with their citation index into `citations`.
    table: dict | None = None

    def to_json(self) -> dict:
        out = {
            "question": self.question,
            "doc": self.doc,
            "route": self.route,
            "answer": self.text,
            "value": None if self.value is None else format(self.value, "f"),
            "unit": self.unit or None,
            "formula": self.formula or None,
            "citations": [c.to_json() for c in self.citations],
        }
        if self.options:
            out["options"] = [o.to_json() for o in self.options]
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        if self.reading is not None:
            out["reading"] = self.reading
        if self.table is not None:
            out["table"] = self.table
        return out
