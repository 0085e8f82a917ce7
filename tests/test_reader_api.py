"""The routes for readers and portal widgets (server/reader_api.py) over a real store:
feedback and its export, cell crops with headers, the widget's check, offline /docs, the
documented answer model and the one upload limit."""

from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image

from tests.conftest import ADMIN_TOKEN, PORTAL_ORIGIN

WANLI = "putuo-wanli-subdistrict-2024-dept-budget"


@pytest.fixture(scope="module")
def client(small_corpus_home):
    from server.api import create_app

    with TestClient(create_app(), base_url="http://127.0.0.1") as test_client:
        yield test_client


def ask(client, question: str) -> dict:
    response = client.post("/api/ask", json={"question": question, "doc": WANLI})
    assert response.status_code == 200, response.text
    return response.json()


def test_feedback_is_stored_listed_and_exported_as_gold_stubs(client, tmp_path):
    from budgetqa.cli import main

    answer = ask(client, "公务接待费是多少？")
    created = client.post("/api/feedback", json={"question": "公务接待费是多少？", "answer": answer,
                                                  "rating": "down", "doc": WANLI,
                                                  "note": "应为决算数"},
                          headers={"Origin": PORTAL_ORIGIN})
    assert created.status_code == 201 and created.json()["id"] >= 1
    assert created.headers["access-control-allow-origin"] == PORTAL_ORIGIN
    client.post("/api/feedback", json={"question": "三公经费是多少？", "answer": {}, "rating": "up"})
    listed = CliRunner().invoke(main, ["feedback"])
    assert listed.exit_code == 0, listed.output
    assert "公务接待费是多少？" in listed.output and "应为决算数" in listed.output
    assert "三公经费是多少？" not in listed.output, "only answers marked wrong are listed"
    assert "三公经费是多少？" in CliRunner().invoke(main, ["feedback", "--all"]).output
    out = tmp_path / "stubs.jsonl"
    exported = CliRunner().invoke(main, ["feedback", "--export", str(out)])
    assert exported.exit_code == 0, exported.output
    stubs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stub = next(s for s in stubs if s["question"] == "公务接待费是多少？")
    assert stub["doc"] == WANLI and stub["value"] is None and stub["none"] is False
    assert stub["feedback"]["answered"] == answer["answer"]
    assert stub["feedback"]["answered_value"] == answer["value"]


@pytest.mark.parametrize("body", [{"question": "x", "rating": "meh"},
                                  {"question": "", "rating": "down"},
                                  {"question": "x", "rating": "down", "source": "robot"}])
def test_bad_feedback_is_refused(client, body):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


def test_a_cell_crop_shows_the_column_headers_over_the_cell(client):
    answer = ask(client, "基本支出是多少？")
    cell = next(c for c in answer["citations"] if c["kind"] == "cell")
    box = ",".join(map(str, cell["bbox"]))
    crop = client.get(f"/api/documents/{WANLI}/crops/{cell['page']}.png", params={"box": box})
    assert crop.status_code == 200 and crop.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(crop.content))
    row_height = (cell["bbox"][3] - cell["bbox"][1]) * 2  # rendered at scale 2
    assert image.height > 2 * row_height, "headers stand above the row"
    page = client.get(f"/api/documents/{WANLI}/pages/{cell['page']}.png").content
    assert image.width < Image.open(io.BytesIO(page)).width, "narrower than the whole page"
    missing = client.get(f"/api/documents/{WANLI}/crops/{cell['page']}.png",
                         params={"box": "1,1,2,2"})
    assert missing.status_code == 404


def test_a_crop_takes_in_a_header_that_spans_the_cited_column(client):
    # The 三公 table's 合计 column sits under "2024年“三公”经费预算数", which spans six columns.
    answer = ask(client, "三公经费是多少？")
    cell = next(c for c in answer["citations"] if c["kind"] == "cell" and "三公" in c["column"])
    x0, top, x1, bottom = cell["bbox"]
    crop = client.get(f"/api/documents/{WANLI}/crops/{cell['page']}.png",
                      params={"box": ",".join(map(str, cell["bbox"]))})
    image = Image.open(io.BytesIO(crop.content))
    assert image.width > 2 * (x1 - x0) * 2, "wider than the cited column alone"


def test_a_ranking_lists_its_items_with_their_parents(client):
    answer = ask(client, "哪一项支出最多？")
    items = client.post("/api/ranking", json=answer).json()
    assert len(items) == len(answer["citations"]) and items[0]["value"] == answer["citations"][0]["value"]
    assert [i["place"] for i in items] == list(range(1, len(items) + 1))
    general = [i["path"] for i in items if i["label"] == "一般行政管理事务"]
    assert len(general) > 1 and len(set(general)) == len(general)
    not_ranking = client.post("/api/ranking", json=ask(client, "基本支出是多少？"))
    assert not_ranking.status_code == 400


def test_the_widget_check_answers_every_origin_with_yes_or_no(client):
    refused = client.get("/widget/check", params={"doc": "putuo-wanli-2024"},
                         headers={"Origin": "http://evil.example"})
    assert refused.status_code == 200
    assert refused.json() == {"origin": "http://evil.example", "origin_allowed": False,
                              "doc_known": False}
    assert refused.headers["access-control-allow-origin"] == "*"
    allowed = client.get("/widget/check", params={"doc": WANLI}, headers={"Origin": PORTAL_ORIGIN})
    assert allowed.json()["origin_allowed"] and allowed.json()["doc_known"]
    assert WANLI not in refused.text, "never a list of document ids"


def test_docs_work_offline(client):
    html = client.get("/docs").text
    assert not re.search(r"(src|href)=\"https?://", html), "no CDN"
    for asset in re.findall(r"(?:src|href)=\"(/static/swagger/[^\"]+)\"", html):
        assert client.get(asset).status_code == 200, asset
    assert "/static/swagger/swagger-ui-bundle.js" in html


def test_the_answer_object_is_a_documented_response_model(client):
    schema = client.get("/openapi.json").json()
    ok = schema["paths"]["/api/ask"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"].endswith("/AnswerModel")
    fields = schema["components"]["schemas"]["AnswerModel"]["properties"]
    assert {"route", "answer", "value", "unit", "formula", "citations", "options"} <= set(fields)
    from budgetqa.pipeline import BudgetQA

    answer = ask(client, "基本支出是多少？")
    library = BudgetQA.from_settings().ask("基本支出是多少？", WANLI).to_json()
    assert set(answer) == set(library), "the model adds no empty fields and drops none"
    assert answer["reading"]["coverage"]["share"] > 0
    followup = client.post("/api/ask", json={"question": "那上年呢？", "doc": WANLI,
                                             "previous": "基本支出是多少？"}).json()
    assert followup["followup"]["asked"], "fields beyond the documented ones are kept"


def test_one_upload_limit(client, monkeypatch):
    monkeypatch.setenv("BUDGETQA_MAX_UPLOAD_MB", "1")
    response = client.post("/api/documents", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                           files={"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * (2**20 + 10),
                                           "application/pdf")})
    assert response.status_code == 413 and "1 MB" in response.json()["error"]["message"]
