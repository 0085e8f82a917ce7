"""The script that puts Streamlit's own texts (screen-reader labels, uploader messages, chart
descriptions) and the page's language into Chinese; see streamlit_zh.js."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def streamlit_zh_script() -> str:
    """The script as a <script> element, for st.html(..., unsafe_allow_javascript=True)."""
    source = (Path(__file__).with_name("streamlit_zh.js")).read_text(encoding="utf-8")
    return f"<script>{source}</script>"
