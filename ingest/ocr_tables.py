"""Tables on scanned pages, from OCR lines: kept only when their totals add up.

OCR misreads digits and drops blank cells without a trace, so a grid read from a
scan is trusted only when it checks itself: it must have a total (合计/总计) or
parent rows, and every one of them must equal the sum of its parts
(`calc.reconcile`). A table that does not is kept out of the store, with a warning
naming its page; its lines do not become narrative either.

A table row is an OCR line that ends in amounts after a label ("2010101 行政运行
51.32 51.32"); a run of at least MIN_ROWS such lines is a table. Columns are named
by position, since OCR'd headers span several lines and cannot be told apart.
"""

from __future__ import annotations

import re

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from calc.reconcile import reconcile_summary
from ingest.numbers import parse_amount

MIN_ROWS = 3
OCR_NOTE = "由扫描页识别（OCR）"

_ROW = re.compile(r"^(?P<label>.*?[\u4e00-\u9fff）)].*?)\s*"
                  r"(?P<values>(?:(?<![\d.])-?\d[\d,]*(?:\.\d+)?\s*)+)$")
_CODE = re.compile(r"^(?P<code>\d{3,7})\s*(?P<rest>.+)$")
_TOTAL = re.compile(r"合\s*计|总\s*计")
_UNIT = re.compile(r"单\s*位\s*[:：;；]+\s*(万元|元|亿元)")  # OCR reads "：" as ":;" too
_TITLE = re.compile(r"表")
# The level of a 科目编码 by its length: 类 (3 digits), 款 (5), 项 (7).
_CODE_LEVEL = {3: 1, 5: 2, 7: 3}


def split_tables(page: int, lines: list) -> tuple[list[ParsedTable], list, list[str]]:
    """The tables on one OCR'd page that add up, the lines left for the narrative, and
    warnings about tables kept out. `lines` are `ingest.ocr.OcrLine`s in reading order."""
    unit = next((m.group(1) for m in map(_UNIT.search, (l.text for l in lines)) if m), "")
    tables, warnings = [], []
    kept_out: set[int] = set()
    for start, end in _row_runs(lines):
        title = _title(lines, start)
        table = _table(page, title, unit, lines[start:end])
        checked, add_up = reconcile_summary([table])
        if checked and add_up:
            tables.append(table)
        else:
            warnings.append(f"page {page}: a table read by OCR ({title}, {end - start} rows) "
                            "has no total that adds up; kept out of answers")
        kept_out.update(range(start, end))
    narrative = [line for i, line in enumerate(lines) if i not in kept_out]
    return tables, narrative, warnings


def _row_runs(lines: list) -> list[tuple[int, int]]:
    """(start, end) of every run of at least MIN_ROWS table rows."""
    runs, start = [], None
    for i, line in enumerate(lines + [None]):
        is_row = line is not None and _ROW.match(line.text) is not None
        if is_row and start is None:
            start = i
        elif not is_row and start is not None:
            if i - start >= MIN_ROWS:
                runs.append((start, i))
            start = None
    return runs


def _title(lines: list, start: int) -> str:
    for line in reversed(lines[max(0, start - 6):start]):
        if _TITLE.search(line.text) and not _UNIT.search(line.text):
            return line.text.strip()
    return "扫描页表格"


def _table(page: int, title: str, unit: str, lines: list) -> ParsedTable:
    parsed = [_ROW.match(line.text) for line in lines]
    width = max(len(m.group("values").split()) for m in parsed)
    columns = tuple(f"第{k}列" for k in range(1, width + 1))
    rows: list[ParsedRow] = []
    parents: dict[int, int] = {}  # level -> position of the last row of that level
    for match in parsed:
        values = match.group("values").split()
        # Blank cells leave no trace in OCR: amounts are taken as the rightmost columns.
        cells = tuple(ParsedCell(column=columns[width - len(values) + k], printed=v,
                                 value=parse_amount(v), page=page)
                      for k, v in enumerate(values))
        label, code, level = match.group("label").strip(), "", 0
        coded = _CODE.match(label)
        if coded and not _TOTAL.search(label):
            code, label = coded.group("code"), coded.group("rest").strip()
            level = _CODE_LEVEL.get(len(code), 0)
        parent = next((parents[k] for k in range(level - 1, 0, -1) if k in parents), None) \
            if level > 1 else None
        if level:
            parents[level] = len(rows)
            parents = {k: v for k, v in parents.items() if k <= level}
        rows.append(ParsedRow(label=label, cells=cells, code=code, page=page, level=level,
                              parent=parent))
    return ParsedTable(title=title, unit=unit, pages=(page,), columns=columns, rows=tuple(rows),
                       note=OCR_NOTE)
