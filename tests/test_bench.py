"""The benchmarks in their quick modes on tiny inputs, so the scripts cannot rot.

Real corpus documents, a real SQLite store and chroma in temporary homes; the heavier
runs (subprocesses, the embedder) are marked slow.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from bench import accuracy, baseline, scale, speed
from bench.common import ParseCache, bench_home, corpus_file
from calc.reconcile import reconcile_errors

TEXT_DOC = "shaoxing-gov-service-office-2024-dept-budget"  # parses in a fraction of a second


@pytest.fixture(scope="module")
def cache() -> ParseCache:
    return ParseCache()


def test_bench_home_is_temporary_and_restored():
    before = os.environ.get("BUDGETQA_HOME")
    with bench_home("none") as home:
        assert os.environ["BUDGETQA_HOME"] == str(home)
        assert os.environ["BUDGETQA_EMBEDDER"] == "none"
        assert "data/store" not in str(home)
    assert os.environ.get("BUDGETQA_HOME") == before
    assert not home.exists()


def test_generated_documents_reconcile_like_their_source(cache):
    source = cache.get(TEXT_DOC)
    for number in range(3):
        made = scale.generate(source, number)
        assert scale.reconcile_pattern(made) == scale.reconcile_pattern(source)
        assert made.document.id != source.document.id
        assert made.document.publisher != source.document.publisher
        assert source.document.publisher not in "".join(p.text for p in made.passages)
        # every figure moved by the same factor (within rounding of its printed places)
        old = next(c for t in source.tables for r in t.rows for c in r.cells if c.value)
        new_table = made.tables[0]
        assert len(new_table.rows) == len(source.tables[0].rows)
        assert any(c.value != old.value for t in made.tables for r in t.rows for c in r.cells
                   if c.value)


def test_scaled_table_rederives_totals(cache):
    table = next(t for t in cache.get(TEXT_DOC).tables
                 if not reconcile_errors(t) and len(t.rows) > 3)
    scaled = scale.scale_table(table, Decimal("1.3579"), rederive=True)
    assert not reconcile_errors(scaled)
    shown = [c for r in scaled.rows for c in r.cells if c.value is not None and "%" not in c.printed]
    assert shown and all(Decimal(c.printed.replace(",", "")) == c.value for c in shown)


def test_baseline_pieces():
    chunks = baseline.chunk("\n".join(f"第{i}行 收入总计 1,234.50 万元" for i in range(100)),
                            size=120, overlap=30)
    assert len(chunks) > 5 and all(len(c) <= 150 for c in chunks)
    assert chunks[1].splitlines()[0] in chunks[0]  # overlap by whole lines
    case = {"value": "1234.5", "alt_values": [{"value": "12345000", "unit": "元"}]}
    assert baseline.gold_in(["收入总计 1,234.50"], case)
    assert baseline.gold_in(["合计 12,345,000"], case)
    assert not baseline.gold_in(["合计 1,234.51"], case)
    assert baseline.nearest_number("2024年 公用经费 30.5 人员经费 88.20", ["人员经费"]) == \
        Decimal("88.20")


def test_accuracy_quick_on_one_document(cache):
    result = accuracy.run(quick=True, cache=cache, limit=6, docs=[TEXT_DOC])
    summary = result["sets"]["dev"]
    assert summary["overall"]["total"] == 6
    assert "| **overall** |" in accuracy.markdown(result)


def test_baseline_quick_on_one_document(cache):
    result = baseline.run(quick=True, limit=6, docs=[TEXT_DOC])
    assert len(result["cases"]) == 6 and result["chunks"] > 0
    assert "| **all** |" in baseline.markdown(result)


def test_scale_tiny(cache):
    result = scale.run(cache=cache, steps=[2, 4], sample_docs=1, reps=1, sources=[TEXT_DOC])
    assert [s["n"] for s in result["steps"]] == [2, 4]
    assert result["steps"][1]["sqlite_bytes"] > result["steps"][0]["sqlite_bytes"] > 0
    assert result["reconcile"]["same_as_source"] == result["reconcile"]["documents"] == 4
    assert "| 4 |" in scale.markdown(result)


@pytest.mark.slow
def test_speed_quick_and_the_report(cache):
    from bench.__main__ import markdown

    results = {"machine": {"date": "today", "cpus": 2, "python": "3", "platform": "x",
                           "commit": "c", "load_at_start": 0},
               "quick": True,
               "accuracy": accuracy.run(quick=True, cache=cache, limit=4, docs=[TEXT_DOC]),
               "baseline": baseline.run(quick=True, limit=4, docs=[TEXT_DOC]),
               "speed": speed.run(quick=True, cache=cache),
               "scale": scale.run(cache=cache, steps=[2, 3], sample_docs=1, reps=1,
                                  sources=[TEXT_DOC]),
               "seconds": {"accuracy": 1.0}}
    assert results["speed"]["memory"][0]["maxrss_mb"] > 0
    assert results["speed"]["cold_start"]["none"]["median_s"] > 0
    report = markdown(results)
    for heading in ("## Accuracy", "## Plain RAG baseline", "## Speed", "## Scale"):
        assert heading in report
    assert corpus_file(TEXT_DOC).exists()


def test_same_answers_reports_each_changed_field_and_missing_case():
    from bench.same_answers import differences

    cited = {"kind": "cell", "table": "支出预算总表", "row": "合计", "value": "3873.19"}
    before = {(0, "a", "d", "q1"): {"value": "1", "unit": "万元", "citations": [cited]},
              (1, "b", "d", "q2"): {"value": "2", "unit": "万元", "citations": []}}
    after = {(0, "a", "d", "q1"): {"value": "1", "unit": "万元",
                                   "citations": [{**cited, "row": "小计"}]},
             (1, "b", "d", "q2"): {"value": "2", "unit": "万元", "citations": [],
                                   "reading": {}}}
    found = differences(before, after)
    assert len(found) == 2
    assert "citations" in found[0] and "小计" in found[0]
    assert "other fields" in found[1]
    assert differences(before, {}) == [f"{case}: answered only before" for case in sorted(before)]
    assert differences(before, before) == []


@pytest.mark.slow
def test_same_answers_runs_both_checkouts_over_one_home(tmp_path, capsys):
    from bench import same_answers
    from budgetqa.pipeline import BudgetQA

    dev = same_answers.ROOT.parent / "shared" / "eval" / "D_shaoxing_2024.jsonl"
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(dev.read_text(encoding="utf-8").splitlines(keepends=True)[:3]),
                    encoding="utf-8")
    with bench_home("none") as home:
        assert BudgetQA.from_settings().ingest_file(corpus_file(TEXT_DOC)).status == "ingested"
        assert same_answers.main(["--before", str(same_answers.ROOT), "--home", str(home),
                                  str(gold)]) == 0
    assert capsys.readouterr().out.strip().endswith("3 cases before, 3 after, 0 differences")
