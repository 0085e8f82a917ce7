"""The chat page and the portal widget in Debian's Chromium, against servers the tests start.

The servers hold the Wanli 2024 and 2025 budgets and the Shaoxing text (two_years_home).
Screenshots at desktop (1280) and phone (360) widths go to tests/screenshots/ (git-ignored);
server logs to test-artifacts/server-logs/.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_TOKEN

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "tests" / "screenshots"
LOGS = ROOT / "test-artifacts" / "server-logs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
WANLI_2025 = "putuo-wanli-subdistrict-2025-dept-budget"
XSS = "<img src=x onerror=alert(1)>公务接待费是多少？"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
WIDGET = "[data-budgetqa-widget]"
# Streamlit's own English texts (and a crash's) that must not reach a citizen, seen or heard
# (text, aria-label, title, placeholder, aria-roledescription).
ENGLISH_CHROME = (
    "Drag and drop", "Browse files", "Limit 200MB", "per file", "MB or smaller",
    "files are not allowed", "Upload", "Add files", "add icon", "Remove ", "Error:", "Running",
    "Deploy", "Press Enter", "Traceback", "KeyError", "Ask Google", "Ask ChatGPT",
    "Skip to main content", "Sidebar", "sidebar", "Link to heading", "Show password",
    "Choose an option", "options available", "No results", "Dismiss", "Clear value",
    "Send message", "Chat message from", "Feedback rating", "Thumbs up", "Thumbs down",
    "Copy to clipboard", "Fullscreen", "Download as", "Search", "Show/hide columns",
    "Show data", "Vega", "visualization", "-axis for a", "mark container", "Open", "Close")
# Every text and spoken attribute of the page, outside icon ligatures and hidden subtrees.
SEEN_OR_HEARD = """() => {
    const out = [];
    const hidden = n => n.closest('[aria-hidden=true], [data-testid=stIconMaterial], noscript, style, script');
    const walk = root => {
        for (const n of root.querySelectorAll('*')) {
            if (hidden(n)) continue;
            for (const c of n.childNodes) {
                if (c.nodeType === 3 && c.textContent.trim()) out.push(c.textContent.trim()); }
            for (const a of ['aria-label', 'title', 'placeholder', 'aria-roledescription', 'alt']) {
                const v = n.getAttribute(a); if (v) out.push(v); }
            if (n.shadowRoot) walk(n.shadowRoot);
        }
    };
    walk(document);
    return out;
}"""

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
def servers(two_years_home):
    """The Streamlit page, the API and a portal page, each on its own free port (origin)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    from server.demo import commands

    app_port, api_port, portal_port = free_port(), free_port(), free_port()
    urls = {"app": f"http://127.0.0.1:{app_port}", "api": f"http://127.0.0.1:{api_port}",
            "portal": f"http://127.0.0.1:{portal_port}",
            # the same portal server under another origin, not on the allow list
            "refused": f"http://localhost:{portal_port}", "home": two_years_home}
    env = {**os.environ, "BUDGETQA_HOME": str(two_years_home),
           "BUDGETQA_ALLOWED_ORIGINS": urls["portal"], "BUDGETQA_ADMIN_TOKEN": ADMIN_TOKEN,
           "BUDGETQA_DEMO_API": urls["api"], "BUDGETQA_DEMO_DOC": WANLI,
           "PYTHONPATH": str(ROOT)}
    LOGS.mkdir(parents=True, exist_ok=True)
    servers = {name: Server(name, cmd, env) for name, cmd in
               zip(("streamlit", "app", "api", "portal"),
                   commands("127.0.0.1", app_port, api_port, portal_port))}
    urls["api_server"] = servers["api"]  # test_api_stopped_and_restarted stops and starts it
    try:
        wait_for(urls["api"] + "/api/health")
        wait_for(urls["portal"] + "/")
        wait_for(urls["app"] + "/_stcore/health")
        yield urls
    finally:
        for server in servers.values():
            server.stop()


class Server:
    """One server process of the demo, started at once; it logs to LOGS, one log per xdist
    worker (the two browser modules may run their servers at once)."""

    def __init__(self, name: str, cmd: list[str], env: dict) -> None:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        self.cmd, self.env = cmd, env
        self.log = LOGS / (f"{name}-{worker}.log" if worker else f"{name}.log")
        self.log.write_text("")
        self.process = None
        self.start()

    def start(self) -> None:
        with self.log.open("a") as log:  # the child keeps its own copy of the handle
            self.process = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    # Page crops are drawn by the API on request; with the suite on two workers the other one
    # may hold a core meanwhile, so every wait gets 60 s rather than Playwright's 30.
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.dialogs, page.console = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: page.console.append((m.type, m.text)))
    return context, page


@pytest.fixture
def page(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = _page(browser, PHONE)
    yield page
    context.close()


def shoot(page, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def stored_feedback(home) -> list[dict]:
    from store.store import open_store

    return open_store(f"sqlite:///{home / 'budgetqa.sqlite'}").feedback()


# -- the widget on the portal page (another origin) ------------------------------------------

def open_widget(page):
    page.get_by_role("button", name="打开预算问答").click()
    return page.get_by_role("textbox", name="你的问题")


def ask_widget(page, question: str):
    box = open_widget(page) if page.locator(f"{WIDGET} .panel").is_hidden() else \
        page.get_by_role("textbox", name="你的问题")
    box.fill(question)
    box.press("Enter")
    return last_answer(page)


def crop_loaded(page, answer) -> None:
    """Until the answer's first page crop (drawn by the API on request) has loaded."""
    crop = answer.locator("img.crop").first
    crop.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=crop.element_handle())


def last_answer(page):
    answer = page.locator(f"{WIDGET} .msg.bot").last
    answer.locator(".text, :scope.error").first.wait_for(timeout=60_000)
    return answer


def test_widget_answers_with_formula_citation_and_crops(servers, page):
    page.goto(servers["portal"])
    answer = ask_widget(page, "基本支出占支出总预算的比例是多少？")
    assert "%" in answer.locator(".text").inner_text()
    assert "÷" in answer.locator(".formula").inner_text()
    cite = answer.locator(".cite").first
    assert "2024年部门支出预算总表" in cite.inner_text() and "第" in cite.inner_text()
    link = cite.get_by_role("link", name="查看整页").get_attribute("href")
    assert link.startswith(servers["api"]) and "highlight=" in link
    crop = cite.locator("img.crop")
    crop.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=crop.element_handle())
    assert crop.evaluate("img => img.naturalHeight") > 60
    shoot(page, "widget-answer-desktop")
    crop.click()  # tap to enlarge
    zoom = page.locator(f"{WIDGET} .zoom")
    assert zoom.is_visible() and "第" in zoom.inner_text()
    big = zoom.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=big.element_handle())
    # Opened at the cited cell: the picture's right end (where the crop puts it) is in view.
    page.wait_for_function("""pic => pic.scrollWidth <= pic.clientWidth
        || pic.scrollLeft + pic.clientWidth >= pic.scrollWidth - 2""",
                           arg=zoom.locator(".pic").element_handle())
    shoot(page, "widget-crop-enlarged")
    page.keyboard.press("Escape")
    assert zoom.is_hidden()
    page.set_viewport_size(PHONE)
    answer.scroll_into_view_if_needed()
    shoot(page, "widget-answer-phone")
    panel = page.locator(f"{WIDGET} .panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
    crop.click()  # enlarged on a phone: inside the screen, scrolled to the cited cell
    zoom.wait_for()
    box = zoom.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.wait_for_function("""pic => pic.scrollWidth <= pic.clientWidth
        || pic.scrollLeft + pic.clientWidth >= pic.scrollWidth - 2""",
                           arg=zoom.locator(".pic").element_handle())
    shoot(page, "widget-crop-enlarged-phone")


def test_widget_suggests_streams_copies_rates_and_keeps_history(servers, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(servers["portal"])
    open_widget(page)
    chips = page.locator(f"{WIDGET} .intro .chips button")
    chips.first.wait_for(timeout=30_000)
    assert chips.count() >= 2
    question = chips.first.inner_text()
    shoot(page, "widget-suggestions")
    # Streaming: the status event is shown before the answer arrives.
    page.evaluate("""() => { window.__seen = [];
        const log = document.querySelector('[data-budgetqa-widget]').shadowRoot.querySelector('.log');
        new MutationObserver(() => { const b = log.querySelectorAll('.msg.bot');
            if (b.length) { window.__seen.push(b[b.length - 1].textContent); } })
            .observe(log, {subtree: true, childList: true, characterData: true}); }""")
    chips.first.click()
    answer = last_answer(page)
    assert any("正在查找相关表格和段落" in s for s in page.evaluate("window.__seen"))
    assert page.locator(f"{WIDGET} .msg.user").last.inner_text() == question
    answer.get_by_role("button", name="复制回答").click()
    page.get_by_text("已复制").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert answer.locator(".text").inner_text() in copied and "来源：" in copied
    before = len(stored_feedback(servers["home"]))
    answer.get_by_role("button", name="回答有误").click()
    answer.get_by_text("谢谢，已记录您的反馈。").wait_for()
    records = stored_feedback(servers["home"])
    assert len(records) == before + 1
    assert records[-1]["rating"] == "down" and records[-1]["question"] == question
    assert records[-1]["source"] == "widget" and records[-1]["doc_id"] == WANLI
    crop_loaded(page, answer)
    shoot(page, "widget-feedback")
    page.set_viewport_size(PHONE)
    answer.get_by_text("谢谢，已记录您的反馈。").scroll_into_view_if_needed()
    assert fits(answer)
    shoot(page, "widget-feedback-phone")
    page.set_viewport_size(DESKTOP)
    page.reload()
    open_widget(page)
    restored = page.locator(f"{WIDGET} .msg.user")
    assert restored.count() == 1 and restored.first.inner_text() == question, "kept per tab"
    assert page.locator(f"{WIDGET} .msg.bot .text").count() == 1


def ask_widget_unanswered(page, shot: str):
    """Asks the widget while its API cannot answer: the Chinese message with its 重试 button,
    shot as `shot`-desktop and, the panel fitting, `shot`-phone at 360 px. Returns the answer
    and the button."""
    answer = ask_widget(page, "公务接待费是多少？")
    assert "无法回答：服务暂时不可用" in answer.inner_text()
    retry = answer.get_by_role("button", name="重试")
    retry.wait_for()
    shoot(page, f"{shot}-desktop")
    page.set_viewport_size(PHONE)
    retry.scroll_into_view_if_needed()
    assert fits(page.locator(f"{WIDGET} .panel"))
    shoot(page, f"{shot}-phone")
    return answer, retry


def test_widget_retries_after_the_api_fails(servers, page):
    page.goto(servers["portal"])
    open_widget(page)
    page.route("**/api/ask/stream", lambda route: route.abort())
    answer, retry = ask_widget_unanswered(page, "widget-error-retry")
    page.unroute("**/api/ask/stream")
    retry.click()
    answer.locator(".text").wait_for(timeout=60_000)
    assert "公务接待费" in answer.locator(".text").inner_text()


def test_widget_clarify_options_and_suggestions_are_clickable(servers, page):
    import json

    from budgetqa.pipeline import BudgetQA
    from retrieval.index import PassageIndex
    from store.store import open_store
    from tests.test_presentation import clarify_answer

    home = servers["home"]
    qa = BudgetQA(open_store(f"sqlite:///{home / 'budgetqa.sqlite'}"), PassageIndex(home, None))
    answer = clarify_answer(qa, WANLI).to_json()
    answer["suggestions"] = ["基本支出是多少？", "项目支出是多少？"]
    # The router decides when a question is ambiguous; this answer is built the way it builds
    # one, from two real figures, so the widget's handling is shown whatever the router decides.
    body = "\n".join(json.dumps(e, ensure_ascii=False) for e in
                     ({"event": "status", "message": "正在查找相关表格和段落…"},
                      {"event": "answer", "answer": answer}))
    page.goto(servers["portal"])
    open_widget(page)
    page.route("**/api/ask/stream", lambda route: route.fulfill(
        status=200, content_type="application/x-ndjson", body=body.encode()), times=1)
    ask_widget(page, "支出是多少？")
    bubbles = page.locator(f"{WIDGET} .msg.bot")
    bubble = bubbles.nth(bubbles.count() - 1)  # this bubble, not whichever is last later
    options = bubble.locator(".chips").first.get_by_role("button")
    assert options.count() == 2 and answer["options"][0]["wording"] in options.first.inner_text()
    offers = bubble.locator(".chips").nth(1).get_by_role("button")
    assert offers.all_inner_texts() == answer["suggestions"]
    shoot(page, "widget-clarify")
    page.set_viewport_size(PHONE)
    bubble.scroll_into_view_if_needed()
    assert fits(bubble), "options and offers wrap inside the panel at 360 px"
    shoot(page, "widget-clarify-phone")
    options.nth(1).click()
    chosen = page.locator(f"{WIDGET} .msg.bot").last
    assert chosen.locator(".text").inner_text().startswith(answer["options"][1]["wording"])
    assert chosen.locator(".cite").count() >= 1
    offers.first.click()  # a suggested question is asked of the real API
    answered = last_answer(page)
    answered.locator(".formula, .cite").first.wait_for(timeout=60_000)
    assert "基本支出" in answered.locator(".text").inner_text()


def test_widget_ranking_is_a_short_table(servers, page):
    page.goto(servers["portal"])
    answer = ask_widget(page, "哪一项支出最多？")
    rows = answer.locator("table.rank tr")
    rows.first.wait_for(timeout=30_000)
    assert rows.count() > 5 and answer.locator("table.rank tr:not([hidden])").count() == 5
    assert "比较的项目" not in answer.locator(".text").inner_text()
    parents = answer.locator("table.rank tr:not([hidden]) .note").all_inner_texts()
    assert len(parents) == 5 and all(p for p in parents), "each item shows its 类/款"
    crop_loaded(page, answer)  # the best item's cell, on its page
    answer.scroll_into_view_if_needed()
    answer.evaluate("el => el.scrollIntoView({block: 'start'})")
    shoot(page, "widget-ranking")
    answer.get_by_role("button", name=re.compile("查看全部")).click()
    assert answer.locator("table.rank tr:not([hidden])").count() == rows.count()
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(500)
    table = answer.locator("table.rank")
    assert fits(table) and fits(answer), "labels and paths wrap inside the panel at 360 px"
    answer.evaluate("el => el.scrollIntoView({block: 'start'})")
    shoot(page, "widget-ranking-phone")


def test_widget_launcher_stays_on_screen_with_position_and_colour(servers, phone):
    phone.goto(servers["portal"] + "/?position=left&color=%23fde047")
    launcher = phone.get_by_role("button", name="打开预算问答")
    box = launcher.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["x"] < 60
    assert box["y"] + box["height"] <= PHONE["height"]
    colours = launcher.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]")
    assert colours == ["rgb(253, 224, 71)", "rgb(17, 17, 17)"], "dark ink on a light colour"
    launcher.click()
    assert phone.get_by_role("button", name="收起预算问答").get_attribute("aria-expanded") == "true"
    shoot(phone, "widget-left-yellow-phone")


def test_widget_keyboard_and_large_text(servers, page):
    page.goto(servers["portal"])
    launcher = page.get_by_role("button", name="打开预算问答")
    launcher.focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="你的问题")
    assert box.evaluate("el => el.getRootNode().activeElement === el")
    assert box.evaluate("el => el.closest('[lang]').lang") == "zh-CN", "read with a Chinese voice"
    large = page.get_by_role("button", name="大字模式")
    before = box.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    large.click()
    assert large.get_attribute("aria-pressed") == "true"
    assert box.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") > before
    page.keyboard.press("Escape")
    assert page.locator(f"{WIDGET} .panel").is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"


def test_widget_shows_markup_as_text(servers, page):
    page.goto(servers["portal"])
    ask_widget(page, XSS)
    assert page.locator(f"{WIDGET} .msg.user").last.inner_text() == XSS
    assert page.locator("img[src=x]").count() == 0  # pierces the open shadow root too
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_widget_explains_a_refused_origin_to_the_administrator(servers, page):
    page.goto(servers["refused"])
    open_widget(page)
    note = page.locator(f"{WIDGET} .admin")
    note.wait_for(timeout=30_000)
    assert "BUDGETQA_ALLOWED_ORIGINS" in note.inner_text() and servers["refused"] in note.inner_text()
    assert page.get_by_role("textbox", name="你的问题").is_disabled()
    assert any(kind == "error" and "BUDGETQA_ALLOWED_ORIGINS" in text
               for kind, text in page.console)
    shoot(page, "widget-refused-origin")
    page.set_viewport_size(PHONE)
    assert fits(note)
    shoot(page, "widget-refused-origin-phone")


def test_widget_explains_a_mistyped_data_doc_without_listing_ids(servers, page):
    page.goto(servers["portal"] + "/?doc=putuo-wanli-2024")
    open_widget(page)
    note = page.locator(f"{WIDGET} .admin")
    note.wait_for(timeout=30_000)
    assert "data-doc" in note.inner_text() and "putuo-wanli-2024" in note.inner_text()
    widget_text = page.locator(f"{WIDGET} .panel").inner_text()
    assert WANLI not in widget_text and WANLI_2025 not in widget_text
    assert "本页的问答暂时无法使用" in widget_text
    assert any(kind == "error" and "data-doc" in text for kind, text in page.console)
    shoot(page, "widget-bad-data-doc")
    page.set_viewport_size(PHONE)
    shoot(page, "widget-bad-data-doc-phone")


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


def test_api_docs_work_offline(servers, page):
    outside = []  # what the page asks of any other host (a CDN): refused, as offline
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"),
               lambda route: (outside.append(route.request.url), route.abort()))
    page.goto(servers["api"] + "/docs")
    page.get_by_text("预算问答 BudgetQA API").first.wait_for(timeout=30_000)
    page.get_by_text("AnswerModel").first.wait_for(timeout=30_000)
    assert outside == []
    shoot(page, "api-docs-offline-desktop", full_page=True)
    page.set_viewport_size(PHONE)
    # The answer object, opened: its fields with their descriptions.
    page.get_by_text("AnswerModel", exact=True).first.click()
    field = page.get_by_text("citations", exact=True).first
    field.wait_for()
    field.scroll_into_view_if_needed()
    shoot(page, "api-docs-offline-phone")


def test_api_stopped_and_restarted(servers, browser):
    """While the API is stopped the chat page keeps answering (it asks the library itself) and
    the widget already on a portal page says so in Chinese with a retry; once the API is back
    the retry answers. (A portal page opened meanwhile has no widget: its script comes from
    the API.)"""
    api = servers["api_server"]
    app_context, app = _page(browser, DESKTOP)
    portal_context, portal = _page(browser, DESKTOP)
    try:
        open_app(app, servers["app"])
        choose(app, "万里", 2024)
        portal.goto(servers["portal"])
        open_widget(portal)
        portal.locator(f"{WIDGET} .intro .chips button").first.wait_for()  # the widget is ready
        api.stop()
        with pytest.raises(httpx.HTTPError):
            httpx.get(servers["api"] + "/api/health", timeout=2)
        answer, retry = ask_widget_unanswered(portal, "widget-api-stopped")
        ask_app(app, "公务接待费是多少？")
        reply = assistant(app)
        assert "公务接待费" in reply.inner_text() and "无法回答" not in reply.inner_text()
        assert_no_english_chrome(app)
        to_top(reply)
        shoot(app, "app-api-stopped-desktop")
        app_to_phone(app)
        to_top(reply)
        assert fits(reply)
        shoot(app, "app-api-stopped-phone")
        api.start()
        wait_for(servers["api"] + "/api/health")
        retry.click()
        answer.locator(".text").wait_for(timeout=60_000)
        assert "公务接待费" in answer.locator(".text").inner_text()
        crop_loaded(portal, answer)  # drawn by the restarted API
        answer.scroll_into_view_if_needed()
        shoot(portal, "widget-api-restarted-phone")
        portal.set_viewport_size(DESKTOP)
        shoot(portal, "widget-api-restarted-desktop")
    finally:
        if api.process.poll() is not None:  # the later tests need the API
            api.start()
            wait_for(servers["api"] + "/api/health")
        app_context.close()
        portal_context.close()


# -- the Streamlit chat page -------------------------------------------------------------------

def open_app(page, url: str) -> None:
    page.goto(url)
    page.get_by_placeholder("输入问题").wait_for(timeout=60_000)


def choose(page, publisher: str, year: int | None = None) -> None:
    boxes = page.locator("[data-testid=stMainBlockContainer] [data-testid=stSelectbox]")
    boxes.nth(0).click()
    page.get_by_role("option", name=publisher, exact=False).click()
    page.get_by_text("当前文件：").wait_for(timeout=30_000)
    if year is not None:
        boxes.nth(1).click()
        page.get_by_role("option", name=f"{year}年").click()
        page.get_by_text(f"{year}年区级部门预算").first.wait_for(timeout=30_000)
    page.get_by_text("可以这样问").wait_for(timeout=60_000)


def ask_app(page, question: str) -> None:
    before = page.locator("[data-testid=stChatMessage]").count()
    box = page.get_by_placeholder("输入问题")
    box.fill(question)
    box.press("Enter")
    wait_for_turn(page, before + 2)


def wait_for_turn(page, messages: int) -> None:
    """Until the page shows `messages` chat messages, the last one answered (not the spinner)."""
    page.wait_for_function("""n => {
        const m = document.querySelectorAll('[data-testid=stChatMessage]');
        if (m.length < n) return false;
        const last = m[m.length - 1].innerText;
        return !last.includes('正在查找') && last.replace('smart_toy', '').trim().length > 10;
    }""", arg=messages, timeout=120_000)
    settled(page)


def settled(page) -> None:
    """Until Streamlit's run has ended: no element is still drawn faded as stale (a screenshot
    taken before showed the page greyed out)."""
    page.wait_for_function("() => !document.querySelector('[data-stale=true]')",
                           timeout=120_000)


def assert_no_english_chrome(page) -> None:
    """No listed English text of Streamlit's is seen or heard, and the page is Chinese."""
    page.wait_for_timeout(300)  # the translating script runs after each redraw
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    found = [(phrase, text) for text in page.evaluate(SEEN_OR_HEARD)
             for phrase in ENGLISH_CHROME if phrase in text]
    assert not found, found

def assistant(page, n: int = -1):
    messages = page.locator("[data-testid=stChatMessage]")
    return messages.nth(messages.count() + n if n < 0 else n)


def app_image_loaded(page, image) -> None:
    """Until the chat page's image has loaded. A rerun of the page may draw the image anew
    (a new media address, a new element), so the locator is resolved on each try instead
    of holding one element, whose old address may no longer be served."""
    image.wait_for(timeout=60_000)
    deadline = time.monotonic() + 60
    while not image.evaluate("img => img.complete && img.naturalWidth > 0"):
        assert time.monotonic() < deadline, "the page crop did not load in 60 s"
        page.wait_for_timeout(250)


def to_top(locator) -> None:
    """Scroll the element to the top of the screen, below Streamlit's fixed header."""
    locator.evaluate("el => { el.style.scrollMarginTop = '4rem'; el.scrollIntoView({block: 'start'}); }")


def app_to_phone(page) -> None:
    """Narrow the chat page to 360 px and wait until Streamlit has slid its sidebar away and
    the page's column fits the screen (a screenshot taken during the slide showed the answer
    pushed off the left edge)."""
    page.set_viewport_size(PHONE)
    page.wait_for_function("""() => {
        const side = document.querySelector('[data-testid=stSidebar]');
        const main = document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect();
        return (!side || side.getBoundingClientRect().right <= 0)
            && main.left >= 0 && main.right <= window.innerWidth; }""")


def fits(locator) -> bool:
    """True when nothing in the element is cut off sideways (its content fits its width).
    The cited rows' table scrolls sideways on purpose, its row labels kept in view
    (test_app_crops_show_headers_legibly_on_a_phone checks it); a label for screen readers
    only is drawn 1 px wide on purpose."""
    return locator.evaluate("""el => [el, ...el.querySelectorAll('*')].every(
        n => n.scrollWidth <= n.clientWidth + 1 || getComputedStyle(n).overflowX === 'visible'
             || n.closest('div.bqa-rows') || n.clientWidth <= 1)
        && el.getBoundingClientRect().right <= document.documentElement.clientWidth""")


def test_app_ranking_top_five_with_parents(servers, page):
    open_app(page, servers["app"])
    choose(page, "万里", 2024)
    ask_app(page, "哪一项支出最多？")
    answer = assistant(page)
    assert_no_english_chrome(page)
    assert re.search(r"比较 \d+ 项", answer.inner_text())
    top = answer.locator("ol.bqa-rank").first
    assert top.locator("li").count() == 5
    paths = top.locator(".path").all_inner_texts()
    assert len(paths) == 5 and all(" › " in p for p in paths), "each item shows its 类/款"
    answer.get_by_text(re.compile("查看全部（共")).wait_for()
    answer.get_by_text("算式：比较").scroll_into_view_if_needed()
    shoot(page, "app-ranking-desktop")
    app_to_phone(page)
    assert fits(top), "the list wraps at 360 px instead of cutting the paths"
    shown = top.locator("li").first.evaluate("li => li.innerText")
    assert paths[0] in shown.replace("\n", " ") or paths[0] in shown
    to_top(answer)
    page.wait_for_timeout(500)
    shoot(page, "app-ranking-phone")
    answer.get_by_text(re.compile("查看全部（共")).click()
    everything = answer.locator("ol.bqa-rank").nth(1)
    everything.wait_for()
    assert everything.locator("li").count() > 5 and fits(everything)
    assert_no_english_chrome(page)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_app_errors_are_chinese_with_a_retry(servers, browser, size):
    """A question the library refuses gets a Chinese message and a retry button, never a
    traceback; the page's settings hide Streamlit's error details."""
    context, page = _page(browser, DESKTOP if size == "desktop" else PHONE)
    try:
        open_app(page, servers["app"])
        page.get_by_text("可以这样问").wait_for()  # the default document is chosen
        ask_app(page, "   ")
        answer = assistant(page)
        # Waited for, not read at once: on a loaded machine the message and its button are
        # drawn a moment after the bubble.
        answer.get_by_text("无法回答：问题不能为空").first.wait_for(timeout=60_000)
        retry = answer.get_by_role("button", name="重试")
        retry.wait_for(timeout=60_000)
        assert_no_english_chrome(page)
        assert fits(answer)
        to_top(answer)
        shoot(page, f"app-error-retry-{size}")
        retry.click()
        # Retried, refused again: the page reruns, so the message is waited for once more.
        page.get_by_text("正在重试…").wait_for(state="hidden", timeout=60_000)
        assistant(page).get_by_text("无法回答：问题不能为空").first.wait_for(timeout=60_000)
        assert page.locator("[data-testid=stChatMessage]").count() == 2, "retried in place"
        assert_no_english_chrome(page)
    finally:
        context.close()


def test_app_two_year_comparison_follows_the_question(servers, page):
    open_app(page, servers["app"])
    choose(page, "万里", 2025)
    ask_app(page, "2024年三公经费是多少")
    first = assistant(page)
    assert "已改用《上海市普陀区2024年区级部门预算》" in first.inner_text()
    assert "47.91" in first.inner_text()
    # The same figure in each year, as a chart: its toolbar and axes are described in Chinese.
    first.get_by_text("历年对比（万元）").click()
    chart = first.locator("[data-testid=stVegaLiteChart]").first
    chart.wait_for(timeout=30_000)
    chart.locator("svg, canvas").first.wait_for(timeout=30_000)
    chart.hover()
    page.wait_for_timeout(500)
    bars = chart.evaluate("el => [...el.querySelectorAll('[aria-label]')].map(n => n.getAttribute('aria-label')).join(' | ')")
    assert "47.91" in bars and "37.91" in bars, bars  # each year from its own document
    fills = chart.evaluate("el => [...el.querySelectorAll('svg text')].map(t => getComputedStyle(t).fill)")
    assert fills and set(fills) == {"rgb(55, 65, 81)"}, fills  # the captions' #374151, 10:1 on white
    assert_no_english_chrome(page)
    chart.evaluate("el => el.scrollIntoView({block: 'center'})")
    shoot(page, "app-years-chart")
    ask_app(page, "2025年城乡社区支出比2024年增加了多少万元？")
    answer = assistant(page)
    text = answer.inner_text()
    assert "问题比较2024年、2025年" in text and "3498.4023" in text
    assert "2024年区级部门预算" in text and "2025年区级部门预算" in text
    assert_no_english_chrome(page)
    answer.get_by_text("问题比较").scroll_into_view_if_needed()
    page.mouse.wheel(0, -120)
    shoot(page, "app-two-years-desktop")
    app_to_phone(page)
    assert fits(answer), "the answer and its formula wrap at 360 px"
    answer.get_by_text("问题比较").evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    shoot(page, "app-two-years-phone")
    # A publisher named in the question picks that publisher's document.
    ask_app(page, "绍兴市政务服务办公室2024年三公经费是多少")
    other = assistant(page)
    text = other.inner_text()
    assert "问题指明了“绍兴市政务服务办公室”" in text and "5.56" in text, text
    assert "依据：《绍兴市政务服务办公室" in text and "万里" not in text.split("依据：")[1], text
    assert fits(other)
    assert_no_english_chrome(page)
    to_top(other)
    page.wait_for_timeout(300)
    shoot(page, "app-publisher-phone")


def test_app_none_answer_offers_questions_to_click(servers, page, tmp_path):
    """A reply without an answer offers questions to click; its 👎 is stored, and the
    administrator's `budgetqa feedback` lists it and exports it as a gold-question stub."""
    open_app(page, servers["app"])
    choose(page, "万里", 2024)
    ask_app(page, "办公楼面积是多少平方米？")
    answer = assistant(page)
    offers = answer.locator("[data-testid=stButton] button")
    answer.locator("[data-testid^=stFeedbackButton]").first.wait_for()
    assert 2 <= offers.count() <= 4  # two or three questions, and the retry-free answer
    assert "本文件包括" not in answer.inner_text()
    shoot(page, "app-none-offers")
    before = len(stored_feedback(servers["home"]))
    answer.locator("[data-testid^=stFeedbackButton]").nth(1).click()  # 👎
    page.get_by_text("谢谢，已记录您的反馈。").wait_for(timeout=30_000)
    records = stored_feedback(servers["home"])
    assert len(records) == before + 1 and records[-1]["source"] == "page"
    assert records[-1]["rating"] == "down" and records[-1]["question"] == "办公楼面积是多少平方米？"
    listed, stubs = feedback_cli(servers["home"], tmp_path / "stubs.jsonl")
    assert "👎" in listed and "[page]" in listed and "问：办公楼面积是多少平方米？" in listed
    stub = next(s for s in stubs if s["id"] == f"feedback-{records[-1]['id']}")
    assert stub["question"] == "办公楼面积是多少平方米？" and stub["doc"] == WANLI
    assert stub["feedback"]["answered"].startswith("文件中没有")
    app_to_phone(page)
    to_top(answer)
    assert fits(answer), "the offered questions wrap at 360 px"
    shoot(page, "app-none-offers-phone")
    chosen = offers.first.inner_text()
    offers.first.click()
    wait_for_turn(page, 4)
    assert chosen in page.locator("[data-testid=stChatMessage]").nth(2).inner_text()
    assert "出处" in assistant(page).inner_text()


def feedback_cli(home: Path, export: Path) -> tuple[str, list[dict]]:
    """What `budgetqa feedback` lists for the store in `home`, and the stubs it exports."""
    import json

    env = {**os.environ, "BUDGETQA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "budgetqa.cli", "feedback"]
    listed = subprocess.run(cli, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    subprocess.run(cli + ["--export", str(export)], env=env, cwd=ROOT, capture_output=True,
                   check=True)
    return listed.stdout, [json.loads(line) for line in export.read_text("utf-8").splitlines()]


def test_app_crops_show_headers_legibly_on_a_phone(servers, page):
    open_app(page, servers["app"])
    choose(page, "万里", 2024)
    ask_app(page, "基本支出占支出总预算的比例是多少？")
    answer = assistant(page)
    image = answer.locator("[data-testid=stImage] img").first
    app_image_loaded(page, image)
    image.evaluate("el => el.scrollIntoView({block: 'center'})")
    shoot(page, "app-crop-desktop")
    app_to_phone(page)
    phone = page
    natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    # Rendered at 2 px a point; shown at ≥ 0.9 px a point, the tables' 9 pt type is ≥ 8 px.
    assert shown / (natural / 2) >= 0.9, (natural, shown)
    caption = answer.locator("[data-testid=stImageCaption]").first.inner_text()
    assert "《上海市普陀区2024年区级部门预算》" in caption and WANLI not in caption
    image.evaluate("el => el.scrollIntoView({block: 'center'})")  # not behind the chat input
    shoot(phone, "app-crop-phone")
    # The cited rows: inside the screen, the label column kept while the figures scroll.
    rows = answer.locator("div.bqa-rows").first
    rows.scroll_into_view_if_needed()
    box = rows.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    label = rows.locator("tbody th").first
    before = label.bounding_box()["x"]
    rows.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert abs(label.bounding_box()["x"] - before) < 1, "the row label stays in view"
    used = rows.locator("td.used").last
    assert used.bounding_box()["x"] + used.bounding_box()["width"] <= PHONE["width"]
    assert_no_english_chrome(phone)
    rows.evaluate("el => el.scrollIntoView({block: 'center'})")
    phone.wait_for_timeout(300)
    shoot(phone, "app-rows-phone")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_app_picker_large_text_and_contrast(servers, browser, size):
    """Chinese chrome, the document picker on the page (not only in the sidebar), captions
    at ≥ 4.5:1 contrast and a large-text toggle, at both widths."""
    viewport = DESKTOP if size == "desktop" else PHONE
    context, phone = _page(browser, viewport)
    try:
        picker_large_text_and_contrast(servers, phone, viewport, size)
    finally:
        context.close()


def picker_large_text_and_contrast(servers, phone, viewport, size) -> None:
    open_app(phone, servers["app"])
    picker = phone.locator("[data-testid=stMainBlockContainer] [data-testid=stSelectbox]").first
    box = picker.bounding_box()
    assert box["y"] < viewport["height"] and box["x"] >= 0, "the picker shows without the sidebar"
    caption = phone.get_by_text("当前文件：")
    ratio = caption.evaluate(r"""el => {
        const lum = c => { const [r, g, b] = c.match(/\d+/g).slice(0, 3).map(v => {
            v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        // The colour as drawn: blended with white through every ancestor's opacity.
        let alpha = 1;
        for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
            alpha *= parseFloat(getComputedStyle(n).opacity); }
        const drawn = getComputedStyle(el).color.match(/\d+/g).slice(0, 3)
            .map(v => Math.round(v * alpha + 255 * (1 - alpha)));
        const fg = lum(`rgb(${drawn.join(",")})`);
        const bg = lum(getComputedStyle(document.querySelector('.stApp')).backgroundColor);
        return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05); }""")
    assert ratio >= 4.5, ratio
    assert_no_english_chrome(phone)
    picker.scroll_into_view_if_needed()
    phone.mouse.wheel(0, -600)
    phone.wait_for_timeout(500)
    shoot(phone, f"app-picker-{size}")
    before = caption.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    phone.get_by_text("大字模式").click()
    # Until the caption (its innermost element, as get_by_text finds it) is drawn larger.
    phone.wait_for_function("""before => { const el = [...document.querySelectorAll(
            '[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] *')]
        .filter(n => n.textContent.startsWith('当前文件：')).pop();
        return el && parseFloat(getComputedStyle(el).fontSize) > before * 1.15; }""", arg=before)
    offers = phone.locator("[data-testid=stMainBlockContainer] [data-testid=stButton] button")
    offers.first.wait_for()  # the suggested questions, drawn again after the toggle
    settled(phone)
    assert offers.count() >= 2 and all(fits(b) for b in offers.all()), "questions wrap, no …"
    assert_no_english_chrome(phone)
    offers.first.scroll_into_view_if_needed()
    shoot(phone, f"app-large-text-{size}")


def test_app_uploads_only_in_admin_mode_with_chinese_errors(servers, page, tmp_path):
    open_app(page, servers["app"])
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.locator("[data-testid=stFileUploader]").count() == 0
    sidebar.get_by_text("管理员", exact=True).click()
    sidebar.get_by_label("管理员口令").fill(ADMIN_TOKEN)
    sidebar.get_by_role("button", name="进入管理模式").click()
    uploader = sidebar.locator("[data-testid=stFileUploader]")
    uploader.wait_for(timeout=30_000)
    assert "50 MB" in sidebar.inner_text()
    assert_no_english_chrome(page)
    # Over the one limit (BUDGETQA_MAX_UPLOAD_MB = Streamlit's server.maxUploadSize): refused
    # in the browser, with the message under the file, in Chinese.
    big = tmp_path / "too-big-2024-dept-budget.pdf"
    with big.open("wb") as handle:
        handle.truncate(51 * 2**20)
    uploader.locator("input[type=file]").set_input_files(str(big))
    message = uploader.get_by_text("文件超过 50 MB 的上限，请压缩或拆分后再上传。")
    message.wait_for(timeout=30_000)
    assert message.is_visible()
    assert_no_english_chrome(page)
    shoot(page, "app-upload-too-large")
    uploader.get_by_role("button", name=re.compile("^移除 ")).click()
    fake = tmp_path / "fake-budget.pdf"
    fake.write_bytes(b"this is a word document, renamed")
    uploader.locator("input[type=file]").set_input_files(str(fake))
    sidebar.get_by_role("button", name="导入").click()
    sidebar.get_by_text("这个文件不是真正的 PDF").wait_for(timeout=60_000)
    assert_no_english_chrome(page)
    settled(page)
    shoot(page, "app-bad-upload")
    good = ROOT / "data" / "corpus" / "putuo-wanli-subdistrict-2023-dept-budget.pdf"
    uploader.locator("input[type=file]").set_input_files(str(good))
    sidebar.get_by_text("putuo-w").first.wait_for()
    # Rerun with the new file (the refused one's message gone) before 导入 is clicked.
    sidebar.get_by_text("这个文件不是真正的 PDF").wait_for(state="detached")
    # Every text the progress bar shows, as it changes.
    page.evaluate("""() => { window.__progress = [];
        new MutationObserver(() => document.querySelectorAll('[data-testid=stProgress]')
            .forEach(p => window.__progress.push(p.innerText)))
            .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    sidebar.get_by_role("button", name="导入").click()
    try:
        sidebar.get_by_text("已设为当前文件").wait_for(timeout=240_000)
    finally:
        shoot(page, "app-upload-last")
    # Read from the observer's record, not waited for on screen: a browser starved of CPU
    # renders several of Streamlit's queued updates at once, so any one page's text may never
    # be on screen long enough to be caught (CI missed it once in 90 s).
    pages = {tuple(map(int, m)) for text in page.evaluate("window.__progress")
             for m in re.findall(r"正在读取第 (\d+)/(\d+) 页", text)}
    assert pages and {total for _, total in pages} == {35}, sorted(pages)
    assert "张表" in sidebar.inner_text() and "合计校验" in sidebar.inner_text()
    page.get_by_text("2023年区级部门预算").first.wait_for(timeout=30_000)
    assert_no_english_chrome(page)
    shoot(page, "app-upload-report")


def test_app_upload_errors_on_a_phone(servers, phone, tmp_path):
    """On a phone the administrator opens the sidebar, logs in and gets the same Chinese
    messages under the refused file, inside the screen."""
    open_app(phone, servers["app"])
    sidebar = phone.locator("[data-testid=stSidebar]")
    phone.locator("[data-testid=stExpandSidebarButton]").click()
    sidebar.get_by_text("管理员", exact=True).click()
    sidebar.get_by_label("管理员口令").fill(ADMIN_TOKEN)
    sidebar.get_by_role("button", name="进入管理模式").click()
    uploader = sidebar.locator("[data-testid=stFileUploader]")
    uploader.wait_for(timeout=30_000)
    assert "50 MB" in sidebar.inner_text()
    big = tmp_path / "too-big-2024-dept-budget.pdf"
    with big.open("wb") as handle:
        handle.truncate(51 * 2**20)
    uploader.locator("input[type=file]").set_input_files(str(big))
    message = uploader.get_by_text("文件超过 50 MB 的上限，请压缩或拆分后再上传。")
    message.wait_for(timeout=30_000)
    assert fits(sidebar), "the message wraps inside the sidebar at 360 px"
    assert_no_english_chrome(phone)
    assert phone.locator("[data-testid=stTooltipErrorContent]:visible").count() == 0, \
        "no second copy in a tooltip over the uploader's label"
    message.scroll_into_view_if_needed()
    shoot(phone, "app-upload-too-large-phone")
    uploader.get_by_role("button", name=re.compile("^移除 ")).click()
    fake = tmp_path / "fake-budget.pdf"
    fake.write_bytes(b"this is a word document, renamed")
    uploader.locator("input[type=file]").set_input_files(str(fake))
    sidebar.get_by_role("button", name="导入").click()
    refused = sidebar.get_by_text("这个文件不是真正的 PDF")
    refused.wait_for(timeout=60_000)
    assert fits(sidebar)
    assert_no_english_chrome(phone)
    settled(phone)
    refused.scroll_into_view_if_needed()
    shoot(phone, "app-bad-upload-phone")
    # A text disclosure the store already holds (a quick import): its report opens and it
    # becomes the current document.
    text = ROOT / "data" / "corpus" / "shaoxing-gov-service-office-2024-dept-budget.md"
    uploader.locator("input[type=file]").set_input_files(str(text))
    # On a phone the uploader shortens the name in its middle ("shaoxin…-budget.md").
    sidebar.get_by_text(re.compile(r"-budget\.md$")).first.wait_for()
    # The page has rerun with the new file (the refused one's message is gone): only then is
    # 导入 for this file, not a click the rerun may drop.
    refused.wait_for(state="detached")
    sidebar.get_by_role("button", name="导入").click()
    done = sidebar.get_by_text("已设为当前文件")
    try:
        done.wait_for(timeout=120_000)
    finally:
        shoot(phone, "app-upload-report-phone")
    assert "合计校验" in sidebar.inner_text() and fits(sidebar)
    assert_no_english_chrome(phone)
    done.scroll_into_view_if_needed()
    shoot(phone, "app-upload-report-phone")  # again, framed on the report
    current = phone.locator("[data-testid=stMainBlockContainer]").get_by_text("当前文件：")
    assert "绍兴" in current.inner_text(), "the imported document is the current one"


def test_app_shows_markup_as_text(servers, page):
    open_app(page, servers["app"])
    ask_app(page, XSS)
    user = page.locator("[data-testid=stChatMessage]").first
    assert XSS in user.inner_text()
    assert page.locator("img[src=x]").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


# Every content-policy violation the page reports, kept for the test to read.
CSP_WATCH = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""


def test_app_runs_under_its_security_headers(servers, page):
    """The chat page comes through server/chat_proxy.py with a content policy that allows no
    eval and no inline script but its own by hash; under it the page, its language script, a
    chart and a page crop all work, and Chromium reports no violation."""
    page.add_init_script(CSP_WATCH)
    response = page.goto(servers["app"])
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy
    assert "'unsafe-eval'" not in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert f"frame-ancestors 'self' {servers['portal']}" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert '<html lang="zh-CN">' in response.text(), "Chinese before any script runs"
    page.get_by_placeholder("输入问题").wait_for(timeout=60_000)
    choose(page, "万里", 2025)
    ask_app(page, "2024年三公经费是多少")
    answer = assistant(page)
    assert "47.91" in answer.inner_text()
    answer.get_by_text("历年对比（万元）").click()
    chart = answer.locator("[data-testid=stVegaLiteChart]").first
    chart.locator("svg, canvas").first.wait_for(timeout=30_000)
    answer.locator("img").first.wait_for(timeout=30_000)  # a page crop (Streamlit's /media)
    assert_no_english_chrome(page)  # the language script ran: its hash is in the policy
    assert page.evaluate("window.__cspViolations") == []
    assert not [text for _, text in page.console if "Content Security Policy" in text]


def test_app_websocket_refuses_another_site(servers):
    """A page of another site cannot open the chat page's websocket (with the reader's
    cookies); the page's own origin can."""
    from websockets import InvalidStatus
    from websockets.sync.client import connect

    stream = servers["app"].replace("http://", "ws://") + "/_stcore/stream"

    def opens(origin: str) -> bool:
        try:
            with connect(stream, origin=origin, proxy=None, subprotocols=["streamlit"]):
                return True
        except InvalidStatus:
            return False

    assert opens(servers["app"])
    assert not opens("http://evil.example")


def test_app_embedded_hides_chrome(servers, page):
    open_app(page, servers["app"] + "/?embed=true")
    assert page.locator("[data-testid=stSidebar]").count() == 0 or \
        page.locator("[data-testid=stSidebar]").is_hidden()
    assert page.get_by_role("heading", name="预算问答").count() == 0
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(1000)
    current = page.locator("[data-testid=stCaptionContainer]:visible").filter(has_text="当前文件：")
    assert current.count() == 1 and "区级部门预算》" in current.inner_text(), \
        "the collapsed picker still says which document is asked"
    picker = page.get_by_text("更换文件 · 大字模式").bounding_box()
    assert picker["y"] < 40, "no room kept for the hidden header"
    assert_no_english_chrome(page)
    shoot(page, "app-embed-phone")
