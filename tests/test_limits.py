"""Hostile input is refused before any work: question length and characters, highlight boxes."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from budgetqa.errors import BadQuestion
from budgetqa.evidence import MAX_HIGHLIGHTS, parse_box, parse_boxes
from budgetqa.limits import check_question

WANLI = "putuo-wanli-subdistrict-2024-dept-budget"


@pytest.fixture(scope="module")
def client(small_corpus_home):
    from server.api import create_app

    with TestClient(create_app(), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as test_client:
        yield test_client


def test_check_question_refuses_long_empty_and_control_text():
    assert check_question("  基本支出是多少？ ") == "基本支出是多少？"
    for bad in ("", "   ", "x" * 501, "基本\x00支出", "基本\x1b[31m支出", "基本\ud800支出"):
        with pytest.raises(BadQuestion):
            check_question(bad)


@pytest.mark.parametrize("endpoint", ["/api/ask", "/api/ask/stream"])
def test_long_followup_is_refused_by_its_raw_length(client, endpoint):
    # The follow-up rewriter's regular expressions used to run over the whole text first, so
    # the reported length was of the rewritten question; now the raw text is measured first.
    question = "那" + "公用经费" * 2_500 + "呢"
    response = client.post(endpoint, json={"question": question, "previous": "基本支出是多少？",
                                           "doc": WANLI})
    if endpoint.endswith("stream"):  # errors arrive as the stream's last event
        error = json.loads(response.text.splitlines()[-1])["error"]
    else:
        assert response.status_code == 400
        error = response.json()["error"]
    assert error["status"] == 400 and error["context"]["length"] == len(question)


def test_a_body_too_large_for_a_question_is_refused_unread(client):
    response = client.post("/api/ask", json={"question": "多" * 80_000, "doc": WANLI})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_long_previous_question_is_refused(client):
    response = client.post("/api/ask", json={"question": "那上年呢？", "doc": WANLI,
                                             "previous": "基本支出" * 1000 + "是多少？"})
    assert response.status_code == 400
    assert response.json()["error"]["context"]["field"] == "previous question"


@pytest.mark.parametrize("raw", [b'"\\ud800\\u57fa\\u672c"', b'"\\u0000\\u57fa"'])
def test_lone_surrogate_and_nul_are_a_400(client, raw):
    body = b'{"question": ' + raw + b', "doc": "' + WANLI.encode() + b'"}'
    response = client.post("/api/ask", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("box", ["nan,0,1,1", "0,0,inf,1", "1,1,0,0", "0,0,1", "a,b,c,d",
                                 "1" * 200])
def test_parse_box_refuses_non_finite_or_malformed(box):
    with pytest.raises(BadQuestion):
        parse_box(box)


def test_parse_boxes_bounds_the_count():
    assert len(parse_boxes(["0,0,1,1"] * MAX_HIGHLIGHTS)) == MAX_HIGHLIGHTS
    with pytest.raises(BadQuestion):
        parse_boxes(["0,0,1,1"] * (MAX_HIGHLIGHTS + 1))


@pytest.mark.parametrize("highlight", [["0,0,1e9,1e9"], ["-500,0,10,10"], ["0,0,10,10"] * 21])
def test_page_image_refuses_boxes_outside_the_page_or_too_many(client, highlight):
    response = client.get(f"/api/documents/{WANLI}/pages/1.png",
                          params={"highlight": highlight})
    assert response.status_code == 400, response.text


def test_page_image_with_a_box_on_the_page_renders(client):
    response = client.get(f"/api/documents/{WANLI}/pages/1.png",
                          params={"highlight": ["100,100,200,120"]})
    assert response.status_code == 200 and response.content[:4] == b"\x89PNG"
