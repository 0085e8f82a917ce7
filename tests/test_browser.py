"""The chat page and the portal widget in Debian's Chromium, against servers the tests start.

Screenshots at desktop (1280) and phone (360) widths go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
XSS = "<img src=x onerror=alert(1)>公务接待费是多少？"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up in {timeout}s")


@pytest.fixture(scope="module")
def servers(small_corpus_home):
    """The Streamlit page, the API and a portal page, each on its own free port (origin)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from server.demo import commands

    app_port, api_port, portal_port = free_port(), free_port(), free_port()
    urls = {"app": f"http://127.0.0.1:{app_port}", "api": f"http://127.0.0.1:{api_port}",
            "portal": f"http://127.0.0.1:{portal_port}"}
    env = {**os.environ, "BUDGETQA_ALLOWED_ORIGINS": urls["portal"],
           "BUDGETQA_DEMO_API": urls["api"], "BUDGETQA_DEMO_DOC": WANLI,
           "PYTHONPATH": str(ROOT)}
    logs = ARTIFACTS / "server-logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = []
    for name, cmd in zip(("app", "api", "portal"),
                         commands("127.0.0.1", app_port, api_port, portal_port)):
        log = open(logs / f"{name}.log", "w")
        processes.append((subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log,
                                           stderr=subprocess.STDOUT), log))
    try:
        wait_for(urls["api"] + "/api/health")
        wait_for(urls["portal"] + "/")
        wait_for(urls["app"] + "/_stcore/health")
        yield urls
    finally:
        for process, log in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


# -- the widget on the portal page (another origin) ------------------------------------------

def ask_widget(page, question: str):
    page.get_by_role("button", name="打开预算问答").click()
    box = page.get_by_role("textbox", name="你的问题")
    box.fill(question)
    box.press("Enter")
    answer = page.locator("[data-budgetqa-widget] .msg.bot").last
    answer.locator(".text, :scope.error").first.wait_for(timeout=60_000)
    return answer


def test_widget_answers_with_formula_and_citation(servers, page):
    page.goto(servers["portal"])
    answer = ask_widget(page, "基本支出占支出总预算的比例是多少？")
    assert "%" in answer.locator(".text").inner_text()
    assert "÷" in answer.locator(".formula").inner_text()
    cite = answer.locator(".cite").first
    assert "2024年部门支出预算总表" in cite.inner_text() and "第" in cite.inner_text()
    link = cite.get_by_role("link", name="查看原页").get_attribute("href")
    assert link.startswith(servers["api"]) and "highlight=" in link
    assert httpx.get(link).headers["content-type"] == "image/png"
    shoot(page, "portal-desktop")
    page.set_viewport_size(PHONE)
    answer.scroll_into_view_if_needed()
    shoot(page, "portal-phone")
    panel = page.locator("[data-budgetqa-widget] .panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]


def test_widget_keyboard_and_large_text(servers, page):
    page.goto(servers["portal"])
    launcher = page.get_by_role("button", name="打开预算问答")
    launcher.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="你的问题")
    assert box.evaluate("el => el.getRootNode().activeElement === el")
    large = page.get_by_role("button", name="大字模式")
    before = box.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    large.click()
    assert large.get_attribute("aria-pressed") == "true"
    assert box.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") > before
    page.keyboard.press("Escape")
    assert page.locator("[data-budgetqa-widget] .panel").is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"


def test_widget_shows_markup_as_text(servers, page):
    page.goto(servers["portal"])
    ask_widget(page, XSS)
    assert page.locator("[data-budgetqa-widget] .msg.user").last.inner_text() == XSS
    assert page.locator("img").count() == 0  # pierces the open shadow root too
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_a_disallowed_origin_is_refused(servers, page):
    # The chat page's origin is not in BUDGETQA_ALLOWED_ORIGINS: the browser must refuse.
    page.goto(servers["app"] + "/_stcore/health")
    outcome = page.evaluate("""async (api) => {
        try {
            const r = await fetch(api + "/api/ask", {method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({question: "公务接待费是多少？"})});
            return "status " + r.status;
        } catch (e) { return "refused"; }
    }""", servers["api"])
    assert outcome == "refused"
    direct = httpx.post(servers["api"] + "/api/ask", json={"question": "公务接待费是多少？"},
                        headers={"Origin": servers["app"]})
    assert direct.status_code == 403 and direct.json()["error"]["code"] == "forbidden"
    assert "access-control-allow-origin" not in direct.headers


# -- the Streamlit chat page -------------------------------------------------------------------

def open_app(page, url: str) -> None:
    page.goto(url)
    page.get_by_text("可以这样问").wait_for(timeout=60_000)
    page.get_by_placeholder("输入问题").wait_for(timeout=30_000)


def choose_wanli(page) -> None:
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="万里", exact=False).click()
    page.get_by_text(WANLI).wait_for(timeout=30_000)


def ask_app(page, question: str) -> None:
    box = page.get_by_placeholder("输入问题")
    box.fill(question)
    box.press("Enter")
    page.locator("[data-testid=stChatMessage]").nth(1).wait_for(timeout=60_000)
    page.get_by_text("正在查找").wait_for(state="detached", timeout=60_000)


def test_app_answers_with_formula_sources_and_page_crop(servers, page):
    open_app(page, servers["app"])
    choose_wanli(page)
    ask_app(page, "基本支出占支出总预算的比例是多少？")
    assistant = page.locator("[data-testid=stChatMessage]").nth(1)
    assistant.get_by_text("算式：").wait_for()
    assert "÷" in assistant.inner_text()
    assert "2024年部门支出预算总表" in assistant.inner_text()
    assistant.locator("img").first.wait_for(timeout=30_000)  # the page crop
    page.wait_for_timeout(1000)
    shoot(page, "app-desktop-sources")
    assistant.get_by_text("算式：").scroll_into_view_if_needed()
    page.mouse.wheel(0, -250)
    page.wait_for_timeout(500)
    shoot(page, "app-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(1000)
    assistant.get_by_text("算式：").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shoot(page, "app-phone")


def test_app_shows_markup_as_text(servers, page):
    open_app(page, servers["app"])
    ask_app(page, XSS)
    user = page.locator("[data-testid=stChatMessage]").first
    assert XSS in user.inner_text()
    assert page.locator("img[src=x]").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_app_embedded_hides_chrome(servers, page):
    open_app(page, servers["app"] + "/?embed=true")
    assert page.locator("[data-testid=stSidebar]").count() == 0 or \
        page.locator("[data-testid=stSidebar]").is_hidden()
    assert page.get_by_role("heading", name="预算问答").count() == 0
    page.get_by_role("button", name="是多少").first.wait_for(timeout=30_000)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(1000)
    shoot(page, "app-embed-phone")
