"""A disclosure published as a narrative file and a tables file is answered as one document.

Real files of the shared corpus (the Jiangsu party office's 2017 narrative and tables) in a
real SQLite store and chromadb.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingested import ingested_app

JIANGSU = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jiangsu"
NARRATIVE = "jiangsu-party-office-2017-dept-budget"
TABLES = "jiangsu-party-office-2017-dept-budget-tables"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    home = tmp_path_factory.mktemp("two-files")
    return ingested_app(home, (JIANGSU / f"{stem}.pdf" for stem in (NARRATIVE, TABLES)))


def test_a_tables_file_question_is_answered_from_its_narrative_twin(pair):
    # The tables file prints no 人员经费 figure; the narrative file states it.
    answer = pair.ask("人员经费是多少？", TABLES)
    assert answer.route == "lookup"
    assert answer.citations[0].doc == NARRATIVE
    assert answer.citations[0].kind == "passage"


def test_the_asked_file_answers_first(pair):
    # Both files give the share of 公务用车 in the 三公经费; the narrative file's own
    # sentence answers a question asked of it, the table a question asked of the tables.
    own = pair.ask("公务用车购置及运行费占三公经费的比例是多少", NARRATIVE)
    assert own.value == Decimal("80.75")
    assert {c.doc for c in own.citations} == {NARRATIVE}
    tables = pair.ask("公务用车购置及运行费占三公经费的比例是多少", TABLES)
    assert tables.value == Decimal("80.75")
    assert {c.doc for c in tables.citations} == {TABLES}


def test_a_share_the_narrative_prints_is_quoted_when_it_states_no_whole(pair):
    answer = pair.ask("公务接待费占三公经费的百分之几", NARRATIVE)
    assert answer.value == Decimal("5.50")
    assert "占“三公”经费的" in answer.citations[0].text


def test_the_scope_of_a_sentence_is_not_its_figure(pair):
    # "“三公”经费预算支出中，因公出国（境）费支出70万元": 70 is not the 三公经费.
    answer = pair.ask("公务接待费占三公经费的百分之几", NARRATIVE)
    assert all(c.value != "70" for c in answer.citations)
