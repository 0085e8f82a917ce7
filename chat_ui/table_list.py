"""The tables an ingest found, as a list that fits the sidebar: title, then kind, number, unit
and rows on a line below. A five-column grid in the 300 px sidebar showed two columns."""

from __future__ import annotations

from html import escape

CSS = """
ol.bqa-tables {margin:.25rem 0 .5rem; padding-left:1.6em; font-size:.9rem}
ol.bqa-tables li {margin:0 0 .35rem; overflow-wrap:anywhere}
ol.bqa-tables .facts {display:block; color:#374151; font-size:.85em}
"""


def tables_html(tables: list[dict]) -> str:
    """IngestReport.tables as one <ol>; every text escaped."""
    rows = []
    for table in tables:
        facts = " · ".join(part for part in (
            table["kind"] or "其他", table["number"] and f"表号 {table['number']}",
            f"单位：{table['unit'] or '未注明'}", f"{table['rows']} 行") if part)
        rows.append(f"<li>{_text(table['title'] or '（无标题）')}"
                    f'<span class="facts">{_text(facts)}</span></li>')
    return f'<ol class="bqa-tables" aria-label="找到的表格">{"".join(rows)}</ol>'


def _text(value: str) -> str:
    return escape(value or "").replace("$", "&#36;")
