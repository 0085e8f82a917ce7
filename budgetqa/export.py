"""Open data out: every stored cell and every canonical measure, with provenance, as CSV,
Excel or Parquet (schema in EXPORT.md).

Amounts are written as decimal text (`value`), never as floats, so a figure read back is the
figure printed; `printed` keeps it as the document prints it. Each row says which document,
table, row, column, 科目编码, unit and page it comes from.
"""

from __future__ import annotations

import io
from pathlib import Path

from budgetqa.errors import BadQuestion
from ingest.measures import basis_of

FORMATS = ("csv", "xlsx", "parquet")
DATASETS = ("cells", "measures")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "parquet": "application/vnd.apache.parquet"}

CELL_COLUMNS = ("doc_id", "publisher", "year", "kind", "table_id", "table_title", "table_kind",
                "row_id", "row_code", "row_label", "row_level", "row_body", "column",
                "measure", "scope", "value", "printed", "unit", "page", "bbox")
MEASURE_COLUMNS = ("doc_id", "publisher", "year", "kind", "basis", "measure", "code", "label",
                   "status", "value", "printed", "unit", "source", "table_title",
                   "table_id", "row_label", "row_code", "column", "page", "bbox", "section",
                   "text")


def _box(bbox) -> str:
    return "" if not bbox else ",".join(f"{v:.1f}" for v in bbox)


def cell_records(store) -> list[dict]:
    """One record per stored cell, in document, table, row and column order."""
    out = []
    for doc in store.documents():
        for c in store.cells(doc.id):
            out.append({"doc_id": doc.id, "publisher": doc.publisher, "year": doc.year,
                        "kind": doc.kind, "table_id": c.table_id, "table_title": c.table_title,
                        "table_kind": c.table_kind, "row_id": c.row_id, "row_code": c.row_code,
                        "row_label": c.row_label, "row_level": c.row_level,
                        "row_body": c.row_body, "column": c.column, "measure": c.measure,
                        "scope": c.scope,
                        "value": None if c.value is None else format(c.value, "f"),
                        "printed": c.printed, "unit": c.unit, "page": c.page,
                        "bbox": _box(c.bbox)})
    return out


def measure_records(store) -> list[dict]:
    """One record per canonical measure of each document (found, blank or missing)."""
    store.fill_missing_measures()
    docs = {d.id: d for d in store.documents()}
    out = []
    for m in store.measures():
        doc = docs.get(m.doc_id)
        if doc is None:
            continue
        out.append({"doc_id": m.doc_id, "publisher": doc.publisher, "year": doc.year,
                    "kind": doc.kind, "basis": basis_of(doc.kind), "measure": m.name,
                    "code": m.code, "label": m.label, "status": m.status,
                    "value": None if m.value is None else format(m.value, "f"),
                    "printed": m.printed, "unit": m.unit, "source": m.source,
                    "table_title": m.table,
                    "table_id": "" if m.table_position is None
                    else f"{m.doc_id}:t{m.table_position}",
                    "row_label": m.row, "row_code": m.row_code, "column": m.column,
                    "page": m.page, "bbox": _box(m.bbox), "section": m.section,
                    "text": m.text})
    return out


def frame(store, dataset: str):
    """The dataset as a pandas DataFrame with the documented columns (text for amounts)."""
    import pandas as pd

    if dataset not in DATASETS:
        raise BadQuestion(f"unknown export {dataset!r}; choose one of {', '.join(DATASETS)}",
                          dataset=dataset[:40])
    records, columns = ((cell_records(store), CELL_COLUMNS) if dataset == "cells"
                        else (measure_records(store), MEASURE_COLUMNS))
    df = pd.DataFrame.from_records(records, columns=list(columns))
    # Integers that may be absent stay integers (not floats with NaN).
    for name in ("year", "page", "row_level"):
        if name in df:
            df[name] = df[name].astype("Int64")
    return df


def export_bytes(store, dataset: str, fmt: str) -> bytes:
    """One dataset in one format, as the bytes of a file."""
    if fmt not in FORMATS:
        raise BadQuestion(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}",
                          format=fmt[:20])
    df = frame(store, dataset)
    buffer = io.BytesIO()
    if fmt == "csv":
        buffer.write(df.to_csv(index=False).encode("utf-8-sig"))  # Excel opens it as UTF-8
    elif fmt == "xlsx":
        df.to_excel(buffer, index=False, sheet_name=dataset, engine="openpyxl")
    else:
        df.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def export_files(store, folder: Path, formats=FORMATS, datasets=DATASETS) -> list[Path]:
    """Write `cells.<fmt>` and `measures.<fmt>` into `folder`; returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for dataset in datasets:
        for fmt in formats:
            path = folder / f"{dataset}.{fmt}"
            path.write_bytes(export_bytes(store, dataset, fmt))
            written.append(path)
    return written
