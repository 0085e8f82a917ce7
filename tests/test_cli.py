"""The `budgetqa` command line, run as a subprocess on a real home in tmp (no embeddings)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUDGETQA = ROOT / ".venv" / "bin" / "budgetqa"
SHAOXING = ROOT / "data" / "corpus" / "shaoxing-gov-service-office-2024-dept-budget.md"
DOC = SHAOXING.stem
GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "D_shaoxing_2024.jsonl"
CONTRACT_FIELDS = ["question", "doc", "route", "answer", "value", "unit", "formula", "citations"]
# Present only when they apply: clarify options, suggested questions, the reading.
OPTIONAL_FIELDS = ["options", "suggestions", "reading"]


def run(home: Path, *args: str, stdin: str | None = None, **extra_env: str
        ) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETQA_")}
    env.update({"BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": "none", **extra_env})
    return subprocess.run([str(BUDGETQA), *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=home, timeout=180)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A home with the Shaoxing disclosure ingested by `budgetqa ingest`."""
    home = tmp_path_factory.mktemp("cli-home")
    result = run(home, "ingest", str(SHAOXING))
    assert result.returncode == 0, result.stderr
    home.joinpath("ingest.out").write_text(result.stdout, encoding="utf-8")
    return home


# -- ingest --------------------------------------------------------------------------------

def test_ingest_reports_tables_and_warnings(home):
    out = home.joinpath("ingest.out").read_text(encoding="utf-8")
    assert re.search(rf"✓ {DOC}: ingested — 12 tables, \d+ cells, 23 passages, .*"
                     rf"narrative numbers \d+\.\d%", out)
    assert "[支出总表]  2024年部门支出预算总表 (万元;" in out
    assert "[收支总表] 表01 2024年部门收支预算总表 (万元;" in out
    assert "! table '2024年部门收支预算总表' prints no unit; 万元 taken from" in out
    assert (home / "budgetqa.sqlite").is_file()


def test_ingest_again_is_unchanged(home):
    result = run(home, "ingest", "--json", str(SHAOXING))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "unchanged" and report["doc"] == DOC
    assert len(report["tables"]) == 12 and report["error"] is None
    numbers = report["narrative_numbers"]
    assert 0 < numbers["with_number"] <= numbers["money_words"]
    assert numbers["coverage"].endswith("%")
    # Warnings stay as ingest wrote them, each with a machine-readable code.
    assert report["warning_codes"] == ["unit_borrowed", "unit_unknown"]
    assert report["warnings"][0].startswith("table '2024年部门收支预算总表' prints no unit")


def test_ingest_writes_the_summary_page(home, tmp_path):
    summary = tmp_path / "INGEST.md"
    result = run(home, "ingest", str(SHAOXING), "--summary", str(summary))
    assert result.returncode == 0, result.stderr
    page = summary.read_text(encoding="utf-8")
    assert f"budgetqa ingest {SHAOXING} --summary INGEST.md" in page
    assert re.search(rf"^\| {DOC} \| 部门预算 \| 0 \| 12 \(", page, re.M)


def test_ingest_missing_file(home, tmp_path):
    missing = tmp_path / "no-such-budget.pdf"
    result = run(home, "ingest", str(missing))
    assert result.returncode != 0
    assert f"{missing}: no such file" in result.stderr


def test_ingest_folder_without_disclosures(home, tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK")
    result = run(home, "ingest", str(tmp_path))
    assert result.returncode != 0
    assert "no disclosure files found in" in result.stderr


# -- docs ----------------------------------------------------------------------------------

def test_docs_lists_the_ingested_documents(home):
    result = run(home, "docs")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[:4] == [DOC, lines[0].split("\t")[1], "2024",
                                                             "部门预算"]
    assert re.search(r"\tnarrative numbers \d+\.\d%$", lines[0])
    listed = json.loads(run(home, "docs", "--json").stdout)
    assert listed["id"] == DOC and listed["year"] == 2024 and len(listed["sha256"]) == 64
    assert listed["narrative_numbers"].endswith("%") and listed["warnings"] == []


# -- ask -----------------------------------------------------------------------------------

def _check_contract(answer: dict, question: str) -> None:
    assert list(answer)[:len(CONTRACT_FIELDS)] == CONTRACT_FIELDS
    assert set(answer) - set(CONTRACT_FIELDS) <= set(OPTIONAL_FIELDS)
    assert answer["question"] == question and answer["doc"] == DOC
    assert answer["route"] in ("lookup", "calc", "text", "clarify", "none")
    assert isinstance(answer["answer"], str) and answer["answer"]
    assert answer["value"] is None or isinstance(answer["value"], str)
    for citation in answer["citations"]:
        assert {"kind", "doc", "page"} <= set(citation)
        assert citation["doc"] == DOC
        if citation["kind"] == "cell":
            assert {"table", "row", "column", "value", "unit"} <= set(citation)
            assert isinstance(citation["value"], str)
        else:
            assert citation["kind"] == "passage" and {"section", "text"} <= set(citation)


def test_ask_json_prints_the_answer_contract(home):
    question = "人员支出占支出总预算的比例是多少？"
    result = run(home, "ask", question, "--doc", DOC, "--json")
    assert result.returncode == 0, result.stderr
    assert '"value": "37.75"' in result.stdout  # a decimal string, never a float
    answer = json.loads(result.stdout)
    _check_contract(answer, question)
    assert (answer["route"], answer["value"], answer["unit"]) == ("calc", "37.75", "%")
    assert answer["formula"] == "1462.07 ÷ 3873.19 × 100% = 37.75%"
    cited = {c["value"] for c in answer["citations"]}
    assert {"1462.07", "3873.19"} <= cited
    assert all(c["kind"] == "cell" and c["unit"] == "万元" for c in answer["citations"])


def test_ask_jsonl_answers_each_line(home):
    questions = ["一般公共服务支出预算是多少？", "住房公积金比购房补贴多多少？", "2024年科学技术支出是多少？"]
    stdin = "".join(json.dumps({"question": q, "doc": DOC}, ensure_ascii=False) + "\n"
                    for q in questions) + "\n"  # a blank line is skipped
    result = run(home, "ask", "--jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["question"] for a in answers] == questions
    for answer, question in zip(answers, questions):
        _check_contract(answer, question)
    assert (answers[0]["route"], answers[0]["value"]) == ("lookup", "3497.74")
    assert answers[0]["citations"][0]["row"] == "一般公共服务支出"
    assert (answers[1]["route"], answers[1]["value"]) == ("calc", "93.98")
    assert (answers[2]["route"], answers[2]["value"], answers[2]["citations"]) == ("none", None,
                                                                                   [])


def test_ask_jsonl_reports_bad_lines_and_goes_on(home):
    stdin = "\n".join([
        "this is not json",
        json.dumps({"question": "三公经费是多少", "doc": "no-such-doc"}),
        json.dumps({"question": "   ", "doc": DOC}),
        json.dumps({"question": "三" * 10_000, "doc": DOC}),
    ]) + "\n"
    result = run(home, "ask", "--jsonl", stdin=stdin)
    assert result.returncode != 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4 and all("error" in line for line in lines)
    assert lines[0]["error"].startswith("line 1: not JSON")
    assert "no-such-doc" in lines[1]["error"] and DOC not in lines[1]["error"]
    assert lines[1]["doc"] == "no-such-doc"
    assert lines[2]["error"] == "the question is empty"
    assert "10000 characters" in lines[3]["error"]


def test_ask_jsonl_line_that_is_not_an_object(home):
    result = run(home, "ask", "--jsonl", stdin='["x"]\n')
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "error" in json.loads(result.stdout)


def test_ask_unknown_doc_id(home):
    result = run(home, "ask", "三公经费是多少？", "--doc", "no-such-doc", "--json")
    assert result.returncode != 0
    assert "unknown document id 'no-such-doc'" in result.stderr
    assert DOC not in result.stderr  # points to the list instead of printing every id
    assert "document list" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_empty_question(home, question):
    result = run(home, "ask", question, "--doc", DOC)
    assert result.returncode != 0
    assert "the question is empty" in result.stderr


def test_ask_very_long_question(home):
    result = run(home, "ask", "三公经费" * 2500, "--doc", DOC, "--json")
    assert result.returncode != 0
    assert "the question has 10000 characters; the limit is 500" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_without_a_question(home):
    result = run(home, "ask")
    assert result.returncode == 2
    assert "give a QUESTION, or --jsonl" in result.stderr


def test_ask_before_anything_is_ingested(tmp_path):
    result = run(tmp_path, "ask", "三公经费是多少？")
    assert result.returncode != 0
    assert "nothing is ingested yet" in result.stderr


# -- settings at start-up ------------------------------------------------------------------

def test_bad_setting_fails_with_its_name(home):
    result = run(home, "docs", BUDGETQA_EMBEDDER="bogus")
    assert result.returncode != 0
    assert "BUDGETQA_EMBEDDER='bogus' is not allowed" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_store_fails_with_a_message(home):
    result = run(home, "docs", BUDGETQA_DB_URL="sqlite:////nonexistent-dir/x.sqlite")
    assert result.returncode != 0
    assert "cannot open the store at sqlite:////nonexistent-dir/x.sqlite" in result.stderr
    assert "Traceback" not in result.stderr


# -- eval ----------------------------------------------------------------------------------

def test_eval_prints_accuracy_per_category(tmp_path):
    wanted = {"D00-01", "D00-13", "D00-15"}  # lookup, share, diff
    cases = [line for line in GOLD.read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line)["id"] in wanted]
    assert len(cases) == 3
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(cases) + "\n", encoding="utf-8")
    corpus = tmp_path / "corpus" / "zhejiang"
    corpus.mkdir(parents=True)
    shutil.copyfile(SHAOXING, corpus / SHAOXING.name)
    home = tmp_path / "home"
    home.mkdir()

    result = run(home, "eval", str(gold), "--corpus", str(tmp_path / "corpus"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    per_category = {m.group(1): tuple(int(g) for g in m.group(2, 3, 4, 5)) for line in lines
                    if (m := re.match(r"^(\w+)\s+right\s+(\d+)/(\d+)\s+[\d.]+%\s+wrong\s+(\d+)"
                                      r"\s+abstained\s+(\d+)$", line))}
    # right/total, wrong, abstained per category and overall.
    assert per_category == {"diff": (1, 1, 0, 0), "lookup": (1, 1, 0, 0), "share": (1, 1, 0, 0),
                            "overall": (3, 3, 0, 0)}
    assert lines[-1].split()[:3] == ["overall", "right", "3/3"]
    assert not any(line.startswith(("WRONG", "ABSTAINED")) for line in lines)
    # eval ingested the document it needed from --corpus.
    docs = run(home, "docs")
    assert docs.stdout.startswith(DOC + "\t")


def test_eval_without_corpus_names_what_is_missing(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOLD.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = run(tmp_path, "eval", str(gold))
    assert result.returncode != 0
    assert f"not ingested: {DOC} (give --corpus)" in result.stderr
