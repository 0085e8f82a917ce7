"""The chat page's content policy (server/chat_proxy.py); the page running under it in Chromium
is tests/test_browser.py::test_app_runs_under_its_security_headers."""

from __future__ import annotations

from pathlib import Path

import streamlit

from server.chat_proxy import chat_page_policy, chinese_page, inline_scripts, script_hash

STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def test_the_policy_allows_exactly_the_inline_scripts_of_the_page_and_the_language_script():
    html = STREAMLIT_INDEX.read_text(encoding="utf-8")
    scripts = inline_scripts(html)
    assert scripts and not any("import" in s and "from" in s for s in scripts)
    policy = chat_page_policy(html, {"https://portal.example.gov.cn"})
    script_src = policy.split("script-src ")[1].split(";")[0].split()
    assert [s for s in script_src if not s.startswith("'sha256-")] == ["'self'",
                                                                         "'wasm-unsafe-eval'"]
    assert len(script_src) == 2 + len(set(scripts)) + 1  # and the language script's hash
    assert all(script_hash(s) in script_src for s in scripts)
    assert "frame-ancestors 'self' https://portal.example.gov.cn" in policy
    assert "object-src 'none'" in policy and "connect-src 'self'" in policy


def test_a_script_loaded_by_src_is_not_hashed_as_inline():
    html = '<script src="/static/a.js"></script><script type="module">run()</script>'
    assert inline_scripts(html) == ["run()"]


def test_the_page_is_chinese_from_its_first_byte():
    html = STREAMLIT_INDEX.read_text(encoding="utf-8")
    assert '<html lang="en">' in html, "Streamlit's index declares English"
    page = chinese_page(html)
    assert '<html lang="zh-CN">' in page and 'lang="en"' not in page
    assert page.replace('lang="zh-CN"', 'lang="en"', 1) == html, "nothing else changed"
