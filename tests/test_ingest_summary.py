"""INGEST.md: the ingest reports of a corpus as one markdown page, notes kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetqa.ingest_summary import NOTES_MARK, kept_notes, summary_markdown
from budgetqa.pipeline import BudgetQA
from ingest.reader import INGEST_VERSION
from store.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHAOXING = ROOT / "data" / "corpus" / "shaoxing-gov-service-office-2024-dept-budget.md"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    home = tmp_path_factory.mktemp("summary-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BUDGETQA_HOME", str(home))
        patch.setenv("BUDGETQA_EMBEDDER", "none")
        app = BudgetQA(Store(f"sqlite:///{home / 'budgetqa.sqlite'}"))
        missing = home / "no-such-2024-dept-budget.pdf"
        return [app.ingest_file(SHAOXING), app.ingest_file(missing)]


def test_the_report_counts_tables_by_kind_rows_and_numbers(reports):
    report = reports[0].to_json()
    assert report["kind"] == "部门预算" and report["status"] == "ingested"
    assert sum(report["tables_by_kind"].values()) == len(report["tables"]) == 12
    assert report["rows"] == sum(t["rows"] for t in report["tables"]) > 0
    assert report["narrative_numbers"]["money_words"] > 0 and report["ocr_pages"] == []
    assert report["seconds"] >= 0


def test_one_row_per_file_with_its_figures(reports):
    page = summary_markdown(reports, "budgetqa ingest x --summary INGEST.md")
    ok, failed = reports
    row = next(line for line in page.splitlines() if line.startswith(f"| {ok.doc_id} |"))
    checked, add_up = ok.reconciled
    assert f"| {add_up}/{checked} |" in row
    assert f"{ok.numbers.with_number}/{ok.numbers.words} {ok.numbers.percent()}" in row
    assert "支出总表 1" in row
    assert f"| {failed.doc_id} | failed: " in page and "no such file" in page
    assert "1 of 2 files ingested" in page


def test_notes_below_the_mark_are_kept(reports, tmp_path):
    target = tmp_path / "INGEST.md"
    assert kept_notes(target) == ""
    target.write_text(summary_markdown(reports, "cmd") + "\n## Why\n\nA reason.\n",
                      encoding="utf-8")
    again = summary_markdown(reports, "cmd", kept_notes(target))
    assert again.count(NOTES_MARK) == 1
    assert again.endswith("## Why\n\nA reason.\n")


def test_the_page_names_its_ingest_version(reports):
    page = summary_markdown(reports, "cmd")
    assert f"with ingest version {INGEST_VERSION}." in page
    assert "0 tables read in another unit than their head states, 0 with a doubtful unit" in page


def test_the_committed_ingest_report_is_current():
    """INGEST.md was made by the parser in this checkout: a change that raises
    INGEST_VERSION regenerates it (`make ingest-report`)."""
    page = (ROOT / "INGEST.md").read_text(encoding="utf-8")
    assert f"with ingest version {INGEST_VERSION}." in page
