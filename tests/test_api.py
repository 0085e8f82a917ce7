"""The REST API over a real store: every endpoint, and every error in the one error shape."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_TOKEN, CORPUS, PORTAL_ORIGIN

WANLI = "putuo-wanli-subdistrict-2024-dept-budget"
SHAOXING = "shaoxing-gov-service-office-2024-dept-budget"


@pytest.fixture(scope="module")
def client(small_corpus_home):
    from server.api import create_app

    with TestClient(create_app(), base_url="http://127.0.0.1") as test_client:
        yield test_client


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status", "context"}
    assert body["error"]["status"] == status and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_health(client):
    assert client.get("/api/health").json() == {"status": "ok", "store": "ok", "index": "ok",
                                                "documents": 2}


def test_documents(client):
    docs = {d["id"]: d for d in client.get("/api/documents").json()}
    assert set(docs) == {WANLI, SHAOXING}
    assert docs[WANLI]["year"] == 2024 and docs[WANLI]["has_page_images"]
    assert not docs[SHAOXING]["has_page_images"]
    assert "source_file" not in docs[WANLI]  # no server paths leak


def test_document_detail_has_tables_and_suggestions(client):
    body = client.get(f"/api/documents/{WANLI}").json()
    assert any(t["kind"] == "支出总表" for t in body["tables"])
    assert any("公务用车" in q for q in body["suggestions"])


def test_ask_answers_with_formula_and_citations(client):
    body = client.post("/api/ask", json={"question": "基本支出占支出总预算的比例是多少？",
                                         "doc": WANLI}).json()
    assert body["route"] == "calc" and body["unit"] == "%"
    assert body["formula"] and "÷" in body["formula"]
    cell = body["citations"][0]
    assert cell["kind"] == "cell" and cell["page"] and len(cell["bbox"]) == 4


def test_ask_follow_up_is_resolved_and_shown(client):
    body = client.post("/api/ask", json={"question": "其中人员经费呢？", "doc": WANLI,
                                         "previous": "基本支出是多少？"}).json()
    assert body["followup"] == {"asked": "基本支出中人员经费是多少？", "from": "基本支出是多少？",
                                "reason": "part"}
    assert body["value"] and body["citations"]


def test_ask_stream_sends_status_then_answer(client):
    with client.stream("POST", "/api/ask/stream",
                       json={"question": "公务接待费是多少？", "doc": WANLI}) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        events = [json.loads(line) for line in response.iter_lines() if line]
    assert [e["event"] for e in events] == ["status", "answer"]
    assert events[1]["answer"]["citations"]


def test_ask_stream_error_event(client):
    response = client.post("/api/ask/stream", json={"question": " ", "doc": WANLI})
    events = [json.loads(line) for line in response.text.splitlines()]
    assert events[-1]["event"] == "error" and events[-1]["error"]["status"] == 400


@pytest.mark.parametrize("question", ["", "   ", "多" * 501])
def test_bad_questions_are_400(client, question):
    assert_error(client.post("/api/ask", json={"question": question, "doc": WANLI}), 400,
                 "bad_request")


def test_validation_errors_are_422(client):
    assert_error(client.post("/api/ask", json={"doc": WANLI}), 422, "invalid_request")
    assert_error(client.post("/api/ask", content=b"not json",
                             headers={"content-type": "application/json"}), 422)
    assert_error(client.get(f"/api/documents/{WANLI}/pages/x.png"), 422)


def test_unknown_things_are_404(client):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.get("/api/documents/no-such-doc"), 404, "not_found")
    assert_error(client.post("/api/ask", json={"question": "基本支出是多少？", "doc": "nope"}), 404)
    assert_error(client.get(f"/api/documents/{WANLI}/pages/999.png"), 404)
    assert_error(client.get(f"/api/documents/{SHAOXING}/pages/1.png"), 404)  # a text file


def test_wrong_method_is_405(client):
    assert_error(client.delete("/api/ask"), 405, "method_not_allowed")


def test_page_image_with_highlight(client):
    plain = client.get(f"/api/documents/{WANLI}/pages/20.png?scale=1")
    marked = client.get(f"/api/documents/{WANLI}/pages/20.png?scale=1"
                        "&highlight=553.1,70.6,665.7,95.2")
    assert plain.headers["content-type"] == "image/png"
    assert plain.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert marked.content != plain.content
    assert_error(client.get(f"/api/documents/{WANLI}/pages/20.png?highlight=1,2,3"), 400)


def wait_for_job(client, url: str, timeout: float = 300) -> dict:
    """Poll an ingest job until it ends."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise TimeoutError(url)


def test_upload_needs_the_admin_token(client, tmp_path):
    pdf = (CORPUS / f"{WANLI}.pdf").read_bytes()
    files = {"file": (f"{WANLI}.pdf", pdf, "application/pdf")}
    assert_error(client.post("/api/documents", files=files), 401, "unauthorized")
    assert_error(client.post("/api/documents", files=files,
                             headers={"Authorization": "Bearer wrong"}), 403, "forbidden")
    ok = client.post("/api/documents", files=files,
                     headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert ok.status_code == 202, ok.text
    report = wait_for_job(client, ok.json()["url"])
    assert report["status"] == "done", report
    assert report["result"]["doc"] == WANLI and report["result"]["tables"]
    assert "/" not in report["result"]["path"]  # the file name, never the server path
    bad = client.post("/api/documents", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                      files={"file": ("../evil name.exe", b"x", "application/octet-stream")})
    assert_error(bad, 400)


def test_an_upload_job_tells_pages_read_then_tables_passages_and_figures(small_corpus_home,
                                                                        tmp_path, monkeypatch):
    from server.api import create_app

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path))  # a home where the file is new
    name = "putuo-wanli-subdistrict-2023-dept-budget.pdf"
    files = {"file": (name, (CORPUS / name).read_bytes(), "application/pdf")}
    with TestClient(create_app(), base_url="http://127.0.0.1") as fresh:
        posted = fresh.post("/api/documents", files=files,
                            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert posted.status_code == 202 and posted.json()["progress"] == {}
        job = wait_for_job(fresh, posted.json()["url"])
    assert job["status"] == "done", job
    result = job["result"]
    assert job["progress"] == {"pages_done": result["pages"], "pages": result["pages"],
                               "tables": len(result["tables"]), "passages": result["passages"],
                               "cells": result["cells"]}
    assert result["pages"] > 1


def test_the_isolated_reader_tells_each_page_in_order():
    from budgetqa.isolated import read_document_isolated

    heard = []
    parsed = read_document_isolated(CORPUS / f"{WANLI}.pdf",
                                    on_page=lambda done, total: heard.append((done, total)))
    pages = parsed.document.pages
    assert heard == [(n, pages) for n in range(1, pages + 1)]


def test_upload_disabled_without_token(client, monkeypatch):
    monkeypatch.setenv("BUDGETQA_ADMIN_TOKEN", "")
    response = client.post("/api/documents", files={"file": ("a.pdf", b"%PDF", "application/pdf")},
                           headers={"Authorization": "Bearer anything"})
    assert "disabled" in assert_error(response, 403, "forbidden")["message"]


def test_cors_allows_only_configured_origins(client):
    ok = client.post("/api/ask", json={"question": "公务接待费是多少？", "doc": WANLI},
                     headers={"Origin": PORTAL_ORIGIN})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == PORTAL_ORIGIN
    preflight = client.options("/api/ask", headers={
        "Origin": PORTAL_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    refused = client.post("/api/ask", json={"question": "公务接待费是多少？", "doc": WANLI},
                          headers={"Origin": "http://evil.example"})
    assert_error(refused, 403, "forbidden")
    assert "access-control-allow-origin" not in refused.headers
    refused_preflight = client.options("/api/ask", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert refused_preflight.status_code == 403
    assert "access-control-allow-origin" not in refused_preflight.headers


def test_widget_and_openapi(client):
    widget = client.get("/widget.js")
    assert widget.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in widget.text and "innerHTML" not in widget.text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/ask/stream", "/api/documents", "/api/documents/{doc_id}",
            "/api/documents/{doc_id}/pages/{page}.png", "/api/health"} <= set(paths)


def test_portal_page_embeds_the_widget():
    from server.demo import portal_app

    page = TestClient(portal_app("http://127.0.0.1:9", WANLI)).get("/").text
    assert f'src="http://127.0.0.1:9/widget.js" data-doc="{WANLI}"' in page


def test_portal_page_allows_scripts_only_from_itself_and_the_api():
    from server.demo import portal_app

    policy = TestClient(portal_app("http://127.0.0.1:9", WANLI)).get("/").headers[
        "content-security-policy"]
    assert "script-src 'self' http://127.0.0.1:9;" in policy
    assert "frame-ancestors 'none'" in policy
