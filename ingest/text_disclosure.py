"""Read a text or markdown disclosure: markdown headings, tab-separated tables, narrative."""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetqa.domain import ParsedTable, Passage
from budgetqa.errors import IngestError
from ingest.hierarchy import numbering_level
from ingest.passages import PassageBuilder
from ingest.table_grid import grid_to_table, split_header

_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|元|千元|亿元)")
_TABLE_NUMBER = re.compile(r"^(公开\d+表|表\d+|附表\d+)$")
_NOTE = re.compile(r"^注[:：]")
# Matched against right-stripped lines, so the name ends in a non-space: no lazy `.+?` before
# `\s*$`, which takes time quadratic in a long run of spaces.
_HEADING = re.compile(r"^(#{1,6})\s*(.*\S)$")
_TOC = re.compile(r"^目\s*录$")
# Budget tables print a few dozen columns at most; a row of thousands is not a table.
MAX_TABLE_COLUMNS = 200


@dataclass(frozen=True)
class TextDisclosure:
    title: str
    tables: tuple[ParsedTable, ...]
    passages: tuple[Passage, ...]


def _is_table_line(line: str) -> bool:
    """A row of a tab-separated table, or of a markdown pipe table (| a | b |)."""
    return "\t" in line or line.lstrip().startswith("|")


_RULE_CELL = re.compile(r":?-{3,}:?")


def _is_pipe_rule(line: str) -> bool:
    """A markdown table's |---|:---:| line. Checked cell by cell: one regular expression over
    the whole line (optional spaces beside optional bars) backtracks quadratically."""
    cells = line.strip().strip("|").split("|")
    return all(_RULE_CELL.fullmatch(c.strip()) for c in cells)


def _cells(line: str) -> list[str]:
    """The cells of a table line; a pipe table's outer bars enclose no cell."""
    cells = (line.split("\t") if "\t" in line
             else [c.strip() for c in line.strip().strip("|").split("|")])
    if len(cells) > MAX_TABLE_COLUMNS:
        raise IngestError(f"a table row has {len(cells)} columns; budget tables have at most "
                          f"{MAX_TABLE_COLUMNS}, so this file is not read as a disclosure",
                          columns=len(cells))
    return cells


def _looks_like_title(line: str) -> bool:
    return "表" in line and len(line) <= 60 and not _UNIT.search(line)


def parse_text_disclosure(text: str, doc_id: str) -> TextDisclosure:
    """Split a text disclosure into its tables and narrative passages.

    A table is a run of tab-separated lines; its title is the nearest line above that
    names a 表, its unit the nearest "单位：…" line between title and table, and a
    following "注：" line its note.
    """
    lines = text.splitlines()
    tables: list[ParsedTable] = []
    builder = PassageBuilder(doc_id)
    title = ""
    headings: list[tuple[int, str]] = []
    in_toc, toc_marks = False, 0
    previous_was_heading = False
    pending: list[str] = []  # non-table lines since the last table, newest last
    previous_grid: list[list[str]] = []
    previous_before: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if _is_table_line(line):
            start = i
            while i < len(lines) and (_is_table_line(lines[i]) or not lines[i].strip()
                                      and i + 1 < len(lines) and _is_table_line(lines[i + 1])):
                i += 1
            grid = [_cells(row) for row in lines[start:i]
                    if row.strip() and not _is_pipe_rule(row)]
            if tables and previous_grid and _continues(grid, previous_grid, pending):
                # A table broken by a blank line or page break goes on without its heading.
                grid, previous_before = previous_grid + grid, previous_before
                tables.pop()
            else:
                previous_before = pending
            table = _table_from_lines(grid, previous_before, lines[i:i + 4])
            if table is not None:
                tables.append(table)
                previous_grid = grid
            pending = []
            continue
        heading = _HEADING.match(line)
        stripped = line.strip().replace("**", "")
        if heading and headings and previous_was_heading and not numbering_level(
                heading.group(2).replace("**", "")):
            # A heading the extraction broke over two heading lines ("…情" / "况说明").
            level, name = headings[-1]
            headings[-1] = (level, name + heading.group(2).replace("**", ""))
            builder.start_section(" > ".join(h for _, h in headings))
        elif heading:
            marks, name = len(heading.group(1)), heading.group(2).replace("**", "")
            if not title and marks == 1:
                title = name[:200]  # a title, not a whole one-line file
            if _TOC.match(name):
                in_toc, toc_marks = True, marks
            elif in_toc and marks <= toc_marks:
                in_toc = False
            # Numbering (一、 / （一）) says the level better than the '#' count, which the
            # text extraction does not keep consistent.
            level = numbering_level(name) or (0 if marks == 1 else marks - 1)
            if not in_toc and level and not _looks_like_title(name):
                headings = [h for h in headings if h[0] < level] + [(level, name)]
                builder.start_section(" > ".join(h for _, h in headings))
            pending.append(name)
        elif stripped and not in_toc:
            pending.append(stripped)
            if not (_looks_like_title(stripped) or _UNIT.search(stripped)
                    or _TABLE_NUMBER.match(stripped) or _NOTE.match(stripped)
                    or re.match(r"^\d+-\S+$", stripped)):
                builder.add_paragraph(stripped, page=None)
        if stripped:
            previous_was_heading = bool(heading)
        i += 1
    return TextDisclosure(title=title, tables=tuple(tables), passages=tuple(builder.finish()))


def _continues(grid: list[list[str]], previous: list[list[str]], between: list[str]) -> bool:
    """Whether a grid is the rest of the table before it: nothing titles it, it has no
    header of its own, and its rows are as wide as the previous table's."""
    if any(_looks_like_title(line) or _UNIT.search(line) for line in between):
        return False
    header, _ = split_header([[c.strip() for c in row] for row in grid])
    width = max(len(r) for r in previous)
    return not header and abs(max(len(r) for r in grid) - width) <= 1


def _table_from_lines(grid: list[list[str]], before: list[str],
                      after: list[str]) -> ParsedTable | None:
    title, unit, number = "", "", ""
    for line in reversed(before[-6:]):
        if not unit and (m := _UNIT.search(line)):
            unit = m.group(1)
        elif not number and _TABLE_NUMBER.match(line):
            number = line
        elif not title and _looks_like_title(line):
            title = line
    if not title and grid and len([c for c in grid[0] if c.strip()]) == 1 and "表" in grid[0][0]:
        title, grid = grid[0][0].strip(), grid[1:]  # a title printed as the grid's first line
    note = next((ln.strip() for ln in after if _NOTE.match(ln.strip())), "")
    return grid_to_table(grid, title=title or "未命名表格", unit=unit, pages=(), number=number,
                         note=note)
