"""A ranking as a list that reads on a phone: place, label with its 类/款 path below it, amount.

A table cuts a long path ("城乡社区支出 › 城乡社区管理事务 › 一般行政管理事务") at 360 px; in
this list the label and path wrap under each other and the amount keeps its own column. Every
text from the documents is escaped: labels are shown, never interpreted as markup.
"""

from __future__ import annotations

from html import escape

from budgetqa.ranking import RankedItem

# Styles for the list; the page adds them once with its other CSS.
CSS = """
ol.bqa-rank {list-style:none; margin:.25rem 0 .5rem; padding:0}
ol.bqa-rank li {display:flex; gap:.6rem; align-items:baseline; margin:0; padding:.4rem 0;
  border-top:1px solid #e5e7eb}
ol.bqa-rank li:first-child {border-top:0}
ol.bqa-rank .place {min-width:1.4em; text-align:right; color:#374151;
  font-variant-numeric:tabular-nums}
ol.bqa-rank .what {flex:1; min-width:0; overflow-wrap:anywhere}
ol.bqa-rank .path {display:block; color:#374151; font-size:.85em; line-height:1.35;
  word-break:keep-all; overflow-wrap:anywhere}  /* breaks between a path's parts, at › */
ol.bqa-rank .amount {white-space:nowrap; text-align:right; font-variant-numeric:tabular-nums}
"""


def ranking_html(items: list[RankedItem], what: str) -> str:
    """The items as one <ol>, labelled `what` for screen readers (e.g. "金额最大的5项")."""
    rows = "".join(
        f'<li><span class="place">{item.place}</span>'
        f'<span class="what">{_text(item.label)}'
        + (f'<span class="path">{_text(" › ".join(item.parents))}</span>' if item.parents else "")
        + f'</span><span class="amount">{_text(item.printed)}\u2009{_text(item.unit)}</span></li>'
        for item in items)
    return f'<ol class="bqa-rank" aria-label="{_text(what)}">{rows}</ol>'


def _text(value: str) -> str:
    """Escaped for HTML, and "$" too: Streamlit's markdown reads $…$ as a formula."""
    return escape(value or "").replace("$", "&#36;")
