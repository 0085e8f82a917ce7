"""Performance-target tables whose project cells span their indicator rows, read from the ruling.

Such a table (Beijing's 项目支出绩效目标表, Chongqing's 一般性项目绩效目标表) prints each
project as one tall merged cell per project column (项目名称, 项目总额, 财政资金 …, 绩效目标)
beside one ruled row per indicator (一级指标 | 二级指标 | 三级指标 | 性质 | 指标值 | 单位):

    项目名称      | 项目总额 | 绩效目标 | 产出指标 | 数量指标 | 评审项目数量 | ≥ | 420 | 个
    (one cell)    | (one)    | (one)    | 产出指标 | 质量指标 | …            | ≥ | 98  | %

A project's cell is cut by every page break it crosses and its text is printed again on each
page, set in the middle of the whole cell: on a page it may lie above the page (a negative
top) or below the table's last rule, clipped from view. The line reader groups text by
bands, so there projects merge with their neighbours, lose their money to a fragment of the
绩效目标 text, or lose their code. This module reads such a table from the page geometry:

* columns from the header's ruled cells on the table's first page (a header cell over others,
  "其中：", heads the path of each: "其中：/财政资金");
* on every page, each column's cells from the horizontal rules across it; a cell with no rule
  at the table's top or bottom continues over the page break, and takes the text printed
  beyond that edge;
* one indicator row per cell of the 指标值 column, each column's text read from the cell of
  that column level with it (merged 一级指标 cells serve all rows beside them);
* a project per cell of the 项目名称 column, joined over page breaks.

It returns the rows `ingest.performance_targets` makes: the project row (its label the name as
printed, its money cells with their header paths, text columns as qualifiers), then its
indicator rows (level from the name column's header, 一级指标 and 二级指标 and 项目名称 as
qualifiers, the 指标值 cell with its comparator and own unit), each indicator's parent its
project row. A table without a 项目名称, an indicator-name and a 指标值 column in its header,
or whose grid yields a project without a name or money, keeps the line reader's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from budgetqa.domain import BBox, ParsedCell, ParsedRow, ParsedTable
from ingest.numbers import parse_amount
from ingest.pdf_table_text import squash
from ingest.performance_targets import (TARGET_COLUMN, indicator_row, is_target_table, level_of,
                                        role_of_header)

__all__ = ["replace_spanning_targets"]

_RULE_SNAP = 1.5  # points: rules this close are one rule, and a rule this close to an edge is on it
_NOT_MONEY = ("序号", "行次", "权重", "分值", "得分")
_INDICATOR_ROLES = ("level1", "level2", "name", "comparator", "value", "unit", "activity")


@dataclass(frozen=True)
class _Column:
    x0: float
    x1: float
    path: str  # header levels joined by "/"
    role: str  # a role of performance_targets ("project", "name", "value" …) or "" for others


@dataclass(frozen=True)
class _Cell:
    """One ruled cell of a column on one page: a whole cell, or the part of one a page shows."""

    page: int
    top: float
    bottom: float
    open_top: bool  # no rule at the table's top edge: the cell began on an earlier page
    open_bottom: bool  # no rule at the table's bottom edge: it goes on over the page break
    text: str
    text_box: BBox | None  # where the text is printed (may lie off the page)
    box: BBox  # the part of the cell the page shows

    @property
    def visible(self) -> bool:
        """Whether the text is printed inside the part of the cell the page shows."""
        return self.text_box is not None and (self.top - 1 <= self.text_box[1]
                                              and self.text_box[3] <= self.bottom + 1)

    @property
    def cite_box(self) -> BBox:
        return self.text_box if self.visible else self.box


@dataclass
class _Project:
    cells: dict[str, list[_Cell]] = field(default_factory=dict)  # column path → its pieces
    indicators: list[tuple[int, dict[str, _Cell]]] = field(default_factory=list)


def _text_of(chars: list[dict]) -> tuple[str, BBox | None]:
    """The text of a cell's characters, line by line (a line: characters level with each
    other, so two lines printed close together are not interleaved), and its box."""
    if not chars:
        return "", None
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (char["top"] + char["bottom"]) / 2
        if lines:
            last = lines[-1]
            last_mid = sum((c["top"] + c["bottom"]) / 2 for c in last) / len(last)
            if abs(mid - last_mid) <= 0.4 * max(char["bottom"] - char["top"], 1):
                last.append(char)
                continue
        lines.append([char])
    text = "".join(squash("".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])))
                   for line in lines)
    box = (min(c["x0"] for c in chars), min(c["top"] for c in chars),
           max(c["x1"] for c in chars), max(c["bottom"] for c in chars))
    return text, tuple(round(v, 2) for v in box)


def _rules(edges: list[dict], column: _Column, top: float, bottom: float) -> list[float]:
    """Heights of the horizontal rules drawn all across a column between top and bottom."""
    spans: dict[float, list[tuple[float, float]]] = {}
    for edge in edges:
        if edge["orientation"] != "h" or not top - _RULE_SNAP <= edge["top"] <= bottom + _RULE_SNAP:
            continue
        y = next((k for k in spans if abs(k - edge["top"]) <= _RULE_SNAP), edge["top"])
        spans.setdefault(y, []).append((edge["x0"], edge["x1"]))
    width = column.x1 - column.x0
    out = []
    for y, pieces in spans.items():
        covered, reach = 0.0, column.x0
        for x0, x1 in sorted(pieces):
            x0, x1 = max(x0, reach), min(x1, column.x1)
            if x1 > x0:
                covered += x1 - x0
                reach = x1
        if covered >= width - 3:
            out.append(y)
    return sorted(out)


def _column_cells(page, chars: list[dict], edges: list[dict], column: _Column,
                  top: float, bottom: float, after_header: bool) -> list[_Cell]:
    """The cells of a column between a page's table top and bottom, with their text."""
    rules = _rules(edges, column, top, bottom)
    open_top = not after_header and not any(abs(y - top) <= _RULE_SNAP for y in rules)
    open_bottom = not any(abs(y - bottom) <= _RULE_SNAP for y in rules)
    inner = [y for y in rules if top + _RULE_SNAP < y < bottom - _RULE_SNAP]
    bounds = [top] + inner + [bottom]
    mine = [c for c in chars if column.x0 <= (c["x0"] + c["x1"]) / 2 <= column.x1]
    out = []
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        first, last = k == 0, k == len(bounds) - 2
        inside = [c for c in mine if a <= (c["top"] + c["bottom"]) / 2 < b
                  or (first and open_top and (c["top"] + c["bottom"]) / 2 < a)
                  or (last and open_bottom and (c["top"] + c["bottom"]) / 2 >= b)]
        text, box = _text_of(inside)
        out.append(_Cell(page.page_number, a, b, first and open_top, last and open_bottom, text, box,
                         (round(column.x0, 2), round(max(a, 0), 2), round(column.x1, 2),
                          round(min(b, float(page.height)), 2))))
    return out


def _header(page) -> tuple[list[_Column], tuple[float, float, float]] | None:
    """(columns, (table top, header bottom, table bottom)) of a page whose ruled table has a
    header naming a 项目名称, an indicator-name and a 指标值 column; else None."""
    chars = [c for c in page.chars if c["text"].strip()]
    for table in page.find_tables():
        cells = [(tuple(box), _text_of([c for c in chars if box[0] <= (c["x0"] + c["x1"]) / 2 <= box[2]
                                         and box[1] <= (c["top"] + c["bottom"]) / 2 <= box[3]])[0])
                 for box in table.cells]
        anchor = next((box for box, text in cells if role_of_header(text) == "project"), None)
        if anchor is None:
            continue
        band = [(box, text) for box, text in cells
                if anchor[1] - 1 <= box[1] < anchor[3] - 1 and box[3] <= anchor[3] + 1]
        leaves = [(box, text) for box, text in band if text
                  and not any(o is not box and box[0] - 1 <= o[0] and o[2] <= box[2] + 1
                             and o[2] - o[0] < box[2] - box[0] - 2 for o, _ in band)]
        columns = []
        for box, text in sorted(leaves):
            heads = sorted((o for o in band if o[0][0] - 1 <= box[0] and box[2] <= o[0][2] + 1
                            and o[1] and o[0] != box), key=lambda o: o[0][1])
            path = "/".join([t for _, t in heads] + [text])
            columns.append(_Column(box[0], box[2], path, role_of_header(path)))
        start = next((k for k, c in enumerate(columns) if c.role in _INDICATOR_ROLES), len(columns))
        # the project's columns first, then its indicators' (a name and a target among them)
        laid_out = (any(c.role == "project" for c in columns[:start])
                    and {"name", "value"} <= {c.role for c in columns[start:]})
        extent = _extent(page, columns[0].x0, anchor[3]) if laid_out else None
        if extent is not None:
            return columns, (extent[0], anchor[3], extent[1])
    return None


def _extent(page, x: float, below: float | None = None) -> tuple[float, float] | None:
    """(top, bottom) of the ruling drawn down a column's left edge at `x`: the run of vertical
    edges covering height `below` (a header's bottom), else the topmost run. The table
    finder is not asked: where a page prints no rule across the project columns, it finds
    only the indicator columns."""
    pieces = sorted((e["top"], e["bottom"]) for e in page.edges
                    if e["orientation"] == "v" and abs(e["x0"] - x) <= 2)
    runs: list[list[float]] = []
    for top, bottom in pieces:
        if runs and top <= runs[-1][1] + 2:
            runs[-1][1] = max(runs[-1][1], bottom)
        else:
            runs.append([top, bottom])
    if below is not None:
        runs = [r for r in runs if r[0] - 2 <= below <= r[1] + 2]
    return (runs[0][0], runs[0][1]) if runs else None


def _continued_table(page, columns: list[_Column]) -> tuple[float, float, float] | None:
    """(top, header bottom, bottom) of the table on a continuation page (a header printed
    again is skipped)."""
    again = _header(page)
    if again is not None:
        return again[1]
    extent = _extent(page, columns[0].x0)
    return None if extent is None else (extent[0], extent[0], extent[1])


def _read(pdf, pages: tuple[int, ...]) -> tuple[list[_Column], list[_Project]] | None:
    by_number = {page.page_number: page for page in pdf.pages}  # a test may pass a few pages
    if not pages or pages[0] not in by_number:
        return None
    first = _header(by_number[pages[0]])
    if first is None:
        return None
    columns, _ = first
    start = min(k for k, c in enumerate(columns) if c.role in _INDICATOR_ROLES)
    project_col = next(c for c in columns[:start] if c.role == "project")
    value_col = next(c for c in columns if c.role == "value")
    projects: list[_Project] = []
    for number in pages:
        page = by_number.get(number)
        if page is None:
            return None
        place = first[1] if number == pages[0] else _continued_table(page, columns)
        if place is None:
            return None
        top, header_bottom, bottom = place
        chars = [c for c in page.chars if c["text"].strip()]
        edges = page.edges
        after_header = header_bottom > top
        cells = {c.path: _column_cells(page, chars, edges, c, header_bottom, bottom, after_header)
                 for c in columns}
        for piece in cells[project_col.path]:
            if not (piece.open_top and projects):  # a cell continued from the page before
                projects.append(_Project())
            project = projects[-1]
            for column in columns[:start]:
                level = next(c for c in cells[column.path] if c.top <= (piece.top + piece.bottom) / 2 < c.bottom)
                project.cells.setdefault(column.path, []).append(level)
        for band in cells[value_col.path]:
            middle = (band.top + band.bottom) / 2
            row = {c.path: next(x for x in cells[c.path] if x.top <= middle < x.bottom)
                   for c in columns[start:]}
            owner = next((k for k, p in enumerate(projects)
                          for piece in p.cells[project_col.path]
                          if piece.page == number and piece.top <= middle < piece.bottom), None)
            if owner is not None:
                projects[owner].indicators.append((number, row))
    return columns, projects


def _chosen(pieces: list[_Cell]) -> _Cell | None:
    """The piece of a cell cut by page breaks to read and cite: where its text shows."""
    printed = [p for p in pieces if p.text]
    return next((p for p in printed if p.visible), printed[0] if printed else None)


def _rows(columns: list[_Column], projects: list[_Project]) -> list[ParsedRow] | None:
    start = min(k for k, c in enumerate(columns) if c.role in _INDICATOR_ROLES)
    by_role = {c.role: c.path for c in columns[start:] if c.role}
    name_col = next(c for c in columns[start:] if c.role == "name")
    rows: list[ParsedRow] = []
    for project in projects:
        name = _chosen(project.cells[next(c.path for c in columns if c.role == "project")])
        if name is None:
            return None
        cells, qualifiers = [], []
        for column in columns[:start]:
            piece = _chosen(project.cells[column.path])
            if column.role == "project" or any(w in column.path for w in _NOT_MONEY):
                continue
            value = parse_amount(piece.text) if piece is not None else None
            if piece is not None and value is None:
                qualifiers.append((column.path, piece.text))
                continue
            where = piece or next(p for p in project.cells[column.path] if p.page == name.page)
            cells.append(ParsedCell(column=column.path, printed=piece.text if piece else "",
                                    value=value, page=where.page, bbox=where.cite_box))
        if not any(c.value is not None for c in cells):
            return None
        parent = len(rows)
        rows.append(ParsedRow(label=name.text, cells=tuple(cells), qualifiers=tuple(qualifiers),
                              page=name.page))
        level1 = level2 = ""
        for page, row in project.indicators:
            text = {role: row[path].text for role, path in by_role.items()}
            value = row[by_role["value"]]
            if not text.get("name") or not value.text:
                continue
            level1, level2 = text.get("level1") or level1, text.get("level2") or level2
            made = indicator_row(text["name"], level_of(name_col.path),
                                 [("一级指标", level1), ("二级指标", level2),
                                  ("活动", text.get("activity", ""))],
                                 (value.text, value.cite_box, value.text_box, value.box),
                                 text.get("unit", ""), text.get("comparator", ""), page, parent)
            rows.append(replace(made, qualifiers=made.qualifiers + (("项目名称", name.text),)))
    return rows


def replace_spanning_targets(pdf, tables: list[ParsedTable]) -> list[ParsedTable]:
    """Tables with each performance-target table of spanning project cells re-read from its
    ruling (see the module's docstring); every other table as it was."""
    out = []
    for table in tables:
        read = _read(pdf, table.pages) if is_target_table(table.title) else None
        rows = _rows(*read) if read is not None and read[1] else None
        if not rows:
            out.append(table)
            continue
        columns = tuple(dict.fromkeys([c.column for r in rows if r.parent is None for c in r.cells]
                                      + [TARGET_COLUMN]))
        out.append(replace(table, rows=tuple(rows), columns=columns))
    return out
