"""Turn a grid of printed strings (header rows, then body rows) into a ParsedTable.

Used for tables that arrive as text grids (tab-separated disclosures). It finds the
header rows, folds merged header cells into column paths, joins 科目编码 split over
类/款/项 columns, splits side-by-side 收入‖支出 blocks, and parses amounts.
"""

from __future__ import annotations

import re

from budgetqa.domain import ParsedCell, ParsedRow, ParsedTable
from ingest.hierarchy import assign_levels, nest_unit_rows
from ingest.numbers import parse_amount
from ingest.pdf_table_text import squash

# Header words of columns that hold text (labels, codes, names), not amounts.
_TEXT_HEADERS = re.compile(
    r"^(科目编码|科目代码|编码|代码|类|款|项|科目名称|科目|项目|项目名称|单位名称|单位|"
    r"功能分类科目|经济分类科目|部门经济分类|政府经济分类|名称|预算单位|单位编码|"
    r"项目编码|绩效目标|年度绩效目标|采购品目|采购项目|备注|说明)$")
_CODE_HEADERS = re.compile(r"^(科目编码|科目代码|编码|代码|类|款|项)$")
_QUALIFIER_HEADERS = re.compile(r"^(单位名称|单位|预算单位|单位编码|项目编码)$")
_NUMBERING_CELL = re.compile(r"^(\*+|栏次|\d{1,2})$")
_CODE = re.compile(r"^\d{2,}$")


def _is_numbering_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(_NUMBERING_CELL.match(c) for c in filled) and (
        any(c.startswith("*") or c == "栏次" for c in filled) or len(filled) >= 3)


def _has_amount(cells: list[str]) -> bool:
    """Whether a row prints an amount; digits in the first two columns may be a 科目编码."""
    return any(parse_amount(c) is not None and not (i < 2 and _CODE.match(c))
               for i, c in enumerate(cells))


def split_header(grid: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Split cleaned rows into header rows and body rows.

    The header is every leading row without an amount; a 栏次/"** 1 2 3" numbering row
    ends it and is dropped.
    """
    header: list[list[str]] = []
    for i, row in enumerate(grid):
        if _is_numbering_row(row):
            return header, grid[i + 1:]
        if _has_amount(row) or (header and _CODE.match(row[0] or "")):
            return header, grid[i:]
        header.append(row)
    return header, []


def column_paths(header: list[list[str]], width: int) -> list[str]:
    """Fold header rows with merged cells into one path per column.

    A blank header cell continues the merged cell to its left when the row below names
    a sub-column there, and the cell above when it is blank in a lower row.
    """
    paths: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(header):
        row = row + [""] * (width - len(row))
        below = header[r + 1] + [""] * (width - len(header[r + 1])) if r + 1 < len(header) else None
        carry = ""
        for c in range(width):
            text = row[c]
            if text:
                carry = text
                paths[c].append(text)
            elif carry and below is not None and below[c] and c > 0 and not _TEXT_HEADERS.match(carry):
                # Merged across: the row below names a sub-column under this span.
                paths[c].append(carry)
            else:
                carry = ""
    return ["/".join(dict.fromkeys(p)) for p in paths]


def _roles(paths: list[str], body: list[list[str]]) -> list[str]:
    roles = []
    for c, path in enumerate(paths):
        leaf = path.split("/")[-1] if path else ""
        values = [row[c] for row in body if c < len(row) and row[c]]
        numeric = sum(1 for v in values if parse_amount(v) is not None)
        if _CODE_HEADERS.match(leaf):
            roles.append("code")
        elif _QUALIFIER_HEADERS.match(leaf):
            roles.append("qualifier")
        elif _TEXT_HEADERS.match(leaf) or (values and numeric < len(values) / 2):
            roles.append("label")
        elif not path and not values:
            roles.append("empty")
        else:
            roles.append("amount")
    return roles


def _blocks(roles: list[str], paths: list[str]) -> list[list[int]]:
    """Column groups of a side-by-side table (收入: 项目|预算数 ‖ 支出: 项目|预算数).

    A text column after an amount column starts a new block when its heading repeats one of
    the first block's text headings (项目 … 项目); otherwise it is one more column of the same
    rows (a 绩效指标表's 指标值 | 指标单位 | 权重).
    """
    first_amount = next((c for c, role in enumerate(roles) if role == "amount"), len(roles))
    first_text = {paths[c].split("/")[-1] for c in range(first_amount)
                  if roles[c] in ("label", "code", "qualifier")}
    blocks: list[list[int]] = [[]]
    seen_amount = False
    for c, role in enumerate(roles):
        repeats = paths[c].split("/")[-1] in first_text if paths[c] else True
        if role in ("label", "code", "qualifier") and seen_amount and repeats:
            blocks.append([])
            seen_amount = False
        if role == "amount":
            seen_amount = True
        blocks[-1].append(c)
    # A trailing group of text columns without amounts (e.g. 绩效目标) belongs to the block before.
    merged: list[list[int]] = []
    for block in blocks:
        if merged and not any(roles[c] == "amount" for c in block):
            merged[-1].extend(block)
        elif block:
            merged.append(block)
    return merged


def join_code(parts: list[str], previous: list[str]) -> tuple[str, list[str]]:
    """Join a 科目编码 printed over 类/款/项 columns; blanks inherit the row above.

    Returns the code and the parts to inherit for the next row. A 款 row printed only as
    "05" under 类 208 becomes "20805".
    """
    parts = [squash(p) for p in parts]
    if len(parts) == 1:
        return parts[0].replace(" ", ""), [parts[0]]
    if not any(parts):
        return "", previous
    filled_from = next(i for i, p in enumerate(parts) if p)
    last = max(i for i, p in enumerate(parts) if p)
    joined = [previous[i] if i < filled_from and i < len(previous) else parts[i]
              for i in range(last + 1)]
    return "".join(joined), joined


def grid_to_table(grid: list[list[str]], *, title: str, unit: str, pages: tuple[int, ...],
                  number: str = "", note: str = "", page_of_row=None) -> ParsedTable | None:
    """Build a ParsedTable from printed cells; None when the grid holds no amounts.

    `page_of_row(i)` gives the page of body row i when a table spans pages.
    """
    grid = [[squash(c) for c in row] for row in grid]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    header, body = split_header(grid)
    if not body:
        return None
    paths = column_paths(header, width)
    roles = _roles(paths, body)
    blocks = _blocks(roles, paths)
    prefixes = _block_prefixes(header, blocks, width) if len(blocks) > 1 else [""] * len(blocks)
    rows: list[ParsedRow] = []
    columns: dict[str, None] = {}  # ordered and de-duplicated in linear time
    units_as_rows = False
    for block, prefix in zip(blocks, prefixes):
        amount_cols = [c for c in block if roles[c] == "amount"]
        names = {c: _join_path(prefix, paths[c] or f"列{c + 1}") for c in amount_cols}
        columns.update(dict.fromkeys(names.values()))
        code_cols = [c for c in block if roles[c] == "code"]
        label_cols = [c for c in block if roles[c] == "label"]
        qual_cols = [c for c in block if roles[c] == "qualifier"]
        named = [c for c in label_cols if "名称" in paths[c]]
        if len(label_cols) > 1 and named:
            # Several text columns (项目名称, 指标名称, 指标单位 …): the row is named by the last
            # 名称 column; the others qualify it.
            qual_cols = sorted(qual_cols + [c for c in label_cols if c != named[-1]])
            label_cols = named[-1:]
        units_as_rows = not label_cols and bool(qual_cols)
        if units_as_rows:  # a table of units: the unit name is the label
            label_cols, qual_cols = qual_cols[-1:], qual_cols[:-1]
        previous_code: list[str] = []
        for i, line in enumerate(body):
            code, previous_code = join_code([line[c] for c in code_cols], previous_code)
            labels = [line[c] for c in label_cols if line[c]]
            cells = tuple(ParsedCell(column=names[c], printed=line[c], value=parse_amount(line[c]))
                          for c in amount_cols)
            if not labels and code and not _CODE.match(code):
                labels, code = [code], ""  # a label printed in the code column (e.g. 合计)
            if not labels and not any(c.printed for c in cells):
                continue
            label = labels[-1] if labels else ""
            qualifiers = tuple((paths[c].split("/")[-1], line[c]) for c in qual_cols if line[c])
            page = page_of_row(i) if page_of_row else (pages[0] if pages else None)
            cells = tuple(ParsedCell(column=c.column, printed=c.printed, value=c.value, page=page)
                          for c in cells)
            rows.append(ParsedRow(label=label, cells=cells, code=code,
                                  qualifiers=qualifiers, page=page))
    rows = assign_levels(rows)
    if units_as_rows:
        rows = nest_unit_rows(rows)
    return ParsedTable(title=title, unit=unit, pages=pages, columns=tuple(columns),
                       rows=tuple(rows), number=number, note=note)


def _block_prefixes(header: list[list[str]], blocks: list[list[int]], width: int) -> list[str]:
    """The name over each side-by-side block (收入 / 支出), from the top header row."""
    prefixes = []
    for block in blocks:
        name = ""
        for row in header:
            texts = [row[c] for c in block if c < len(row) and row[c]]
            if texts and not _TEXT_HEADERS.match(texts[0]):
                name = texts[0]
                break
        prefixes.append(name)
    if len(set(prefixes)) < len(prefixes):  # no distinct names: number the blocks
        prefixes = [f"{p}{i + 1}" if p else f"第{i + 1}栏" for i, p in enumerate(prefixes)]
    return prefixes


def _join_path(prefix: str, path: str) -> str:
    if not prefix or path.startswith(prefix):
        return path
    return f"{prefix}/{path}"
