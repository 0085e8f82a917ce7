"""The comparison view of the chat page in Debian's Chromium: a question over several
documents shows a sortable table, a chart, the page crop of a chosen row, and CSV and Excel
downloads. Servers and browser as in tests/test_browser.py (Wanli 2024 and 2025, Shaoxing 2024).
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.test_browser import (app_image_loaded, assert_no_english_chrome, ask_app,  # noqa: F401
                                assistant, browser, choose, open_app, page, servers, shoot)

pytestmark = pytest.mark.browser


def test_app_compares_departments_with_table_chart_crop_and_downloads(servers, page):
    open_app(page, servers["app"])
    choose(page, "万里", 2024)
    ask_app(page, "2024年各部门人员经费排名")
    answer = assistant(page)
    text = answer.inner_text()
    # Wanli prints 元 (88,537,451), Shaoxing 万元 (1462.07): compared in 万元, exactly.
    assert "8853.7451万元" in text and "1462.07万元" in text
    assert_no_english_chrome(page)
    grid = answer.locator("[data-testid=stDataFrame]").first
    grid.wait_for()
    chart = answer.locator("[data-testid=stVegaLiteChart]").first
    chart.wait_for(timeout=30_000)
    # The table and both files list the departments largest first, in one unit.
    with page.expect_download() as csv_download:
        answer.get_by_role("button", name="下载 CSV").click()
    frame = pd.read_csv(csv_download.value.path(), dtype=str, encoding="utf-8-sig")
    assert list(frame["部门"]) == ["上海市普陀区人民政府万里街道办事处", "绍兴市政务服务办公室"]
    assert list(frame["数值"]) == ["8853.7451", "1462.07"]
    with page.expect_download() as xlsx_download:
        answer.get_by_role("button", name="下载 Excel").click()
    book = pd.read_excel(io.BytesIO(open(xlsx_download.value.path(), "rb").read()), dtype=str)
    assert list(book["数值"]) == ["8853.7451", "1462.07"]
    # Choosing the first row shows where its figure stands on the page.
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 52)  # the row's selection cell
    app_image_loaded(page, answer.locator("[data-testid=stImage] img").first)
    assert "红框为所用单元格" in answer.inner_text()
    answer.get_by_text("点表头排序").scroll_into_view_if_needed()
    shoot(page, "app-comparison-desktop", full_page=True)
