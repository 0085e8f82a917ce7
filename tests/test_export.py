"""Open data out: the files `budgetqa export` and /api/export write open in pandas with the
columns EXPORT.md documents, and their amounts are the printed ones, exactly."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from budgetqa.cli import main

EXPORT_MD = Path(__file__).parents[1] / "EXPORT.md"
READERS = {"csv": lambda data: pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                                           encoding="utf-8-sig"),
           "xlsx": lambda data: pd.read_excel(io.BytesIO(data), dtype=str),
           "parquet": lambda data: pd.read_parquet(io.BytesIO(data))}


def documented_columns(dataset: str) -> list[str]:
    """The column names EXPORT.md lists in the table under "## <dataset>"."""
    text = EXPORT_MD.read_text(encoding="utf-8")
    section = text.split(f"## {dataset}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


@pytest.fixture(scope="module")
def exported(small_corpus_home, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(main, ["export", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize("dataset", ["cells", "measures"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_files_open_in_pandas_with_the_documented_columns(exported, dataset, fmt):
    df = READERS[fmt]((exported / f"{dataset}.{fmt}").read_bytes())
    assert list(df.columns) == documented_columns(dataset)
    assert len(df) > 20


def test_cells_keep_their_provenance_and_exact_values(exported):
    df = pd.read_parquet(exported / "cells.parquet")
    # Wanli 2024 城乡社区支出 (科目编码 212) in 元, on the 收支总表's page or later.
    row = df[(df.doc_id == "putuo-wanli-subdistrict-2024-dept-budget") & (df.row_code == "212")]
    assert not row.empty
    first = row.iloc[0]
    assert Decimal(first.value) == Decimal("119385303") and first.unit == "元"
    assert first.page >= 10 and first.table_title and first.column


def test_measures_say_missing_instead_of_zero(exported):
    df = pd.read_csv(exported / "measures.csv", dtype=str, keep_default_na=False,
                     encoding="utf-8-sig")
    shaoxing = df[df.doc_id == "shaoxing-gov-service-office-2024-dept-budget"]
    missing = shaoxing[shaoxing.measure == "年末结转和结余"].iloc[0]
    assert (missing.status, missing.value) == ("missing", "")
    three = shaoxing[shaoxing.measure == "三公经费"].iloc[0]
    assert (three.status, three.value, three.unit, three.basis) == ("found", "5.56", "万元", "预算")


@pytest.mark.parametrize("dataset,fmt", [("measures", "xlsx"), ("cells", "csv"),
                                         ("measures", "parquet")])
def test_the_api_serves_the_same_files(exported, dataset, fmt):
    from server.api import create_app

    with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        response = client.get(f"/api/export/{dataset}.{fmt}")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        served = READERS[fmt](response.content)
        assert list(served.columns) == documented_columns(dataset)
        # The API twin of `budgetqa export`: the same rows, value for value.
        written = READERS[fmt]((exported / f"{dataset}.{fmt}").read_bytes())
        pd.testing.assert_frame_equal(served, written)
        bad = client.get(f"/api/export/{dataset}.pdf")
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
