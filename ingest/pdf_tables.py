"""Read the tables of a budget disclosure PDF into ParsedTables (the product's key stage).

Public API:

* `extract_tables(pdf)` → (tables, warnings) for a whole pdfplumber document;
* `read_tables(pdf)` → (tables, warnings, regions) in one pass, for ingest;
* `table_regions(pdf)` → {page number: [table bbox, …]} so that the narrative
  extractor can skip text printed inside ruled tables.

How: `pdf_table_layout` reads each page into table rows and outside lines,
`pdf_table_assemble` follows titles, headers and page breaks into drafts (a
title and header printed again on the next page continue the table), and
`pdf_table_rows` turns each draft into columns, codes, labels, levels and
parents, and indicators for performance-target tables; `self_evaluation_forms`
reads each project self-evaluation form again from its ruled grid, `target_forms` each
one-project target form (绩效目标填报表), and `target_table_grid`
each target table whose project cells span their indicator rows. Measures, scopes and
the unit rows belong to (`ingest.column_measures`, `ingest.hierarchy`) are
added by `ingest.reader`. No rule is keyed on a publisher or a file.
"""

from __future__ import annotations

import re

from budgetqa.domain import BBox, ParsedTable
from ingest.pdf_table_assemble import Assembler
from ingest.pdf_table_layout import Line, page_layout
from ingest.pdf_table_rows import build_table
from ingest.self_evaluation_forms import replace_forms
from ingest.target_forms import replace_target_forms
from ingest.target_table_grid import replace_spanning_targets

__all__ = ["extract_tables", "read_tables", "table_regions"]


def _layouts(pdf, warnings: list[str]):
    for page in pdf.pages:
        try:
            regions, items = page_layout(page)
        except Exception as exc:  # a broken page must not lose the rest of the document
            warnings.append(f"p.{page.page_number}: could not read the page ({type(exc).__name__}: {exc})")
            continue
        # A page without a text layer is reported by ingest.reader, which reads it by OCR.
        yield page.page_number, regions, items


def read_tables(pdf) -> tuple[list[ParsedTable], list[str], dict[int, list[BBox]]]:
    """The tables, the warnings and the table regions (page → bboxes) in one pass.

    Ingest needs the regions too (the narrative skips text inside tables); finding them
    again with `table_regions` would run pdfplumber's table finder over every page twice.
    """
    warnings: list[str] = []
    regions: dict[int, list[BBox]] = {}
    assembler = Assembler()
    for page_number, page_regions, items in _layouts(pdf, warnings):
        if page_regions:
            regions[page_number] = list(page_regions)
        for item in items:
            if isinstance(item, Line):
                assembler.feed_line(item)
            else:
                assembler.feed_row(item)
    drafts = assembler.finish()
    # Inherit a unit only when the document states a single one throughout.
    units = set(assembler.units_seen)
    doc_unit = units.pop() if len(units) == 1 else ""
    tables: list[ParsedTable] = []
    for draft in drafts:
        table, notes = build_table(draft, doc_unit)
        warnings += notes
        if table is not None and table.rows:
            tables.append(table)
    tables = replace_spanning_targets(pdf, replace_target_forms(pdf, replace_forms(pdf, tables)))
    return tables, _still_true(warnings, tables), regions


_NO_UNIT = re.compile(r"^(?P<name>.*) \(p\.(?P<page>\d+)\): no unit stated$")


def _still_true(warnings: list[str], tables: list[ParsedTable]) -> list[str]:
    """The warnings without "no unit stated" for a table that, read again from its grid (a
    form stating its unit in its money block), now has a unit on that page."""
    with_unit = {(t.title, page) for t in tables if t.unit for page in t.pages}
    return [w for w in warnings
            if not ((m := _NO_UNIT.match(w)) and (m["name"], int(m["page"])) in with_unit)]


def extract_tables(pdf) -> tuple[list[ParsedTable], list[str]]:
    """All tables of a pdfplumber document, in reading order, and human-readable warnings.

    Takes an open `pdfplumber.PDF`. Returns ParsedTables whose cells carry page
    and bbox, and warnings such as a page without text layer or a table without
    a stated unit. A table continued over pages is one table. Tables without
    any numeric column (e.g. a list of subordinate units) are not returned.
    Does not raise for unreadable pages; it warns and goes on.
    """
    tables, warnings, _ = read_tables(pdf)
    return tables, warnings


def table_regions(pdf) -> dict[int, list[BBox]]:
    """Bboxes (x0, top, x1, bottom) of the ruled table regions on each page that has any."""
    out: dict[int, list[BBox]] = {}
    for page in pdf.pages:
        boxes = [tuple(t.bbox) for t in page.find_tables()]
        if boxes:
            out[page.page_number] = sorted(boxes, key=lambda b: (b[1], b[0]))
    return out

