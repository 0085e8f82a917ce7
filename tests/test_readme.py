"""Every example question the README shows gives what the README says, on the demo data."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.pipeline import BudgetQA
from store.store import Store
from tests.ingested import ingest_corpus_file

ROOT = Path(__file__).resolve().parent.parent


def _examples() -> list[tuple[str, str | None, str, str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- examples -->")[1].split("<!-- /examples -->")[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in table.strip().splitlines()[2:]]
    return [(q, doc or None, route, value, unit) for q, doc, route, value, unit in rows]


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> BudgetQA:
    home = tmp_path_factory.mktemp("readme")
    app = BudgetQA(Store(f"sqlite:///{home / 'readme.sqlite'}"))
    app._index = __import__("retrieval.index", fromlist=["PassageIndex"]).PassageIndex(home, None)
    docs = {doc for _, doc, _, _, _ in EXAMPLES if doc} | {
        "putuo-wanli-subdistrict-2025-dept-budget"}  # the two-year example compares it
    for doc in sorted(docs):
        path = next((ROOT / "data" / "corpus").glob(f"{doc}.*"))
        assert ingest_corpus_file(app, path).status != "failed"
    return app


def test_the_readme_lists_examples():
    assert len(EXAMPLES) >= 8
    assert EXAMPLES[0][0] == "人员支出占总支出多少？"  # the README's headline question


@pytest.mark.parametrize("question, doc, route, value, unit", EXAMPLES,
                         ids=[e[0][:16] for e in EXAMPLES])
def test_readme_example(demo, question, doc, route, value, unit):
    answer = demo.ask(question, doc)
    assert answer.route == route, answer.text
    if value:
        assert answer.value == Decimal(value) and answer.unit == unit, answer.text
        # Every figure has its source: a cell's table and row, or a passage's text (the text
        # disclosure prints no page numbers; PDFs do).
        assert answer.citations and all((c.table and c.row) or c.text for c in answer.citations)
        assert all(c.page for c in answer.citations) or doc == "shaoxing-gov-service-office-2024-dept-budget"
    else:
        assert answer.value is None
