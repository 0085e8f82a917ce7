"""The cited rows of one table as an HTML table that reads on a phone: headers wrap at their
"/" (支出预算/基本支出), the row label stays in view while the figures scroll sideways, and the
cells an answer used are marked. Streamlit's grid cut the columns off at 360 px with no sign
that more followed. Every text from the documents is escaped."""

from __future__ import annotations

from html import escape

CSS = """
div.bqa-rows {overflow-x:auto; max-width:100%; margin:.25rem 0 .75rem}
div.bqa-rows table {border-collapse:collapse; font-size:.875rem; line-height:1.35; margin:0}
div.bqa-rows th, div.bqa-rows td {border:1px solid #d1d5db; padding:.3rem .45rem;
  vertical-align:top}
div.bqa-rows thead th {background:#f3f4f6; font-weight:600; text-align:center;
  min-width:5em; word-break:keep-all; overflow-wrap:anywhere}
div.bqa-rows tbody th {position:sticky; left:0; z-index:1; background:#fff; font-weight:400;
  text-align:left; min-width:6em; max-width:11em; overflow-wrap:anywhere}
div.bqa-rows thead th:first-child {position:sticky; left:0; z-index:2}
div.bqa-rows td {text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums}
div.bqa-rows td.used {background:#fde68a; font-weight:700; outline:2px solid #b45309;
  outline-offset:-2px}
"""


def rows_html(rows, title: str) -> str:
    """`budgetqa.evidence.CitedRow`s of one table; `title` names it for screen readers."""
    columns = list(dict.fromkeys(col for r in rows for col, _, _ in r.cells))
    head = "".join(f'<th scope="col">{_header(c)}</th>' for c in ["项目"] + columns)
    body = []
    for row in rows:
        cells = {col: (printed, used) for col, printed, used in row.cells}
        tds = "".join(
            f'<td class="used" aria-label="{_text(col)}：{_text(cells[col][0])}（所用数字）">'
            f'{_text(cells[col][0])}</td>' if col in cells and cells[col][1]
            else f"<td>{_text(cells[col][0]) if col in cells else ''}</td>" for col in columns)
        body.append(f'<tr><th scope="row">{_text(row.label)}</th>{tds}</tr>')
    return (f'<div class="bqa-rows" role="region" tabindex="0" aria-label="{_text(title)}">'
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def _header(column: str) -> str:
    """A header path, breakable after each "/"."""
    return "/<wbr>".join(_text(part) for part in column.split("/"))


def _text(value: str) -> str:
    return escape(value or "").replace("$", "&#36;")
