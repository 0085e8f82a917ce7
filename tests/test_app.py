"""The Streamlit chat page (AppTest) over a real store: picker, suggestions, chat, follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import CORPUS

APP = str(Path(__file__).resolve().parent.parent / "app.py")
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
TIMEOUT = 120


@pytest.fixture
def page(small_corpus_home):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def choose_wanli(at: AppTest) -> AppTest:
    publisher = next(p for p in at.sidebar.selectbox[0].options if "万里" in p)
    at.sidebar.selectbox[0].set_value(publisher).run()
    return at


def texts(at: AppTest) -> str:
    return "\n".join([t.value for t in at.text] + [m.value for m in at.markdown]
                     + [c.value for c in at.caption] + [c.value for c in at.code])


def test_picker_lists_publishers_and_years(page):
    assert len(page.sidebar.selectbox[0].options) == 2
    choose_wanli(page)
    assert page.sidebar.selectbox[1].options == ["2024年"]
    assert WANLI in texts(page)


def test_suggestions_come_from_the_document_and_answer(page):
    choose_wanli(page)
    buttons = [b for b in page.button if b.key and b.key.startswith("suggest:")]
    assert any("公务用车" in b.label for b in buttons)
    buttons[0].click().run()
    assert not page.exception, page.exception
    assert len(page.chat_message) == 2
    assert "出处" in "".join(e.label for e in page.expander)
    assert not [b for b in page.button if b.key and b.key.startswith("suggest:")]


def test_answer_shows_formula_sources_and_highlighted_row(page):
    choose_wanli(page)
    page.chat_input[0].set_value("基本支出占支出总预算的比例是多少？").run()
    assert not page.exception, page.exception
    shown = texts(page)
    assert "算式：" in shown and "÷" in shown
    assert "《2024年部门支出预算总表》" in shown
    assert page.dataframe, "the cited table rows are shown"
    assert page.get("image"), "a crop of the PDF page is shown"


def test_follow_up_keeps_the_context(page):
    choose_wanli(page)
    page.chat_input[0].set_value("基本支出是多少？").run()
    page.chat_input[0].set_value("其中人员经费呢？").run()
    assert not page.exception, page.exception
    assert "理解为：基本支出中人员经费是多少？" in texts(page)
    assert len(page.chat_message) == 4


def test_errors_are_shown_not_raised(page):
    page.chat_input[0].set_value("   ").run()
    assert not page.exception
    assert any("无法回答" in e.value for e in page.error)


def test_upload_shows_the_ingest_report(page):
    data = (CORPUS / "shaoxing-gov-service-office-2024-dept-budget.md").read_bytes()
    page.sidebar.file_uploader[0].upload("shaoxing-gov-service-office-2024-dept-budget.md",
                                         data, "text/markdown").run()
    page.sidebar.button(key="ingest").click().run()
    assert not page.exception, page.exception
    labels = [s.label for s in page.status]
    assert any("已导入 shaoxing-gov-service-office-2024-dept-budget" in l for l in labels), labels


def test_embed_hides_the_chrome(small_corpus_home):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["embedded"] = True  # what st.context.is_embedded says under ?embed=true
    at.run()
    assert not at.exception, at.exception
    assert not at.title and not at.sidebar.selectbox
    assert at.selectbox, "the picker moves into the page"
