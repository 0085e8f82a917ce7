"""A cross-document answer (Answer.table, see qa.across) as the chat page shows it: a sortable
table, a chart, the citation behind each row, and the same table as CSV and Excel files.

Values stay Decimal in the table (sorted as numbers, shown as printed); only the chart, a
picture, draws them as floats.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd

from budgetqa.domain import Answer, Citation

# Row keys of Answer.table shown in this order when present; the rest are left out.
SHOWN = ("place", "publisher", "year", "kind", "value", "unit", "share", "whole", "previous",
         "change", "growth", "page", "status")
STATUS_WORDS = {"found": "", "blank": "表中为空", "missing": "未列出",
                "other_fund": "未单列所问资金"}


def has_comparison(answer: Answer) -> bool:
    """True for an answer that compares documents (it carries rows)."""
    return bool(answer.table and answer.table.get("rows"))


def comparison_frame(answer: Answer) -> pd.DataFrame:
    """The rows as a frame with Chinese headings; numbers as Decimal, blanks as None."""
    titles = {c["key"]: c["title"] for c in answer.table["columns"]}
    keys = [k for k in SHOWN if k in titles]
    records = []
    for row in answer.table["rows"]:
        record = {}
        for key in keys:
            value = row.get(key)
            if key in ("value", "share", "whole", "previous", "change", "growth"):
                value = None if value in (None, "") else Decimal(value)
            elif key == "status":
                value = STATUS_WORDS.get(value, value)
            record[titles[key]] = value
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[titles[k] for k in keys])
    for key in ("year", "place"):
        if key in keys:  # whole numbers, empty where there is none
            frame[titles[key]] = frame[titles[key]].astype("Int64")
    if "page" in keys:  # a text disclosure has no pages
        frame[titles["page"]] = ["—" if pd.isna(p) else str(int(p)) for p in frame[titles["page"]]]
    return frame


def chart_frame(answer: Answer) -> pd.DataFrame:
    """One bar per found figure, labelled by department (and year when they differ)."""
    rows = [r for r in answer.table["rows"] if r.get("value") not in (None, "")]
    years = {r["year"] for r in rows}
    publishers = {r["publisher"] for r in rows}
    label = (lambda r: f"{r['year']}年") if len(publishers) == 1 else \
        (lambda r: r["publisher"] if len(years) == 1 else f"{r['publisher']} {r['year']}")
    unit = rows[0]["unit"] if rows else ""
    return pd.DataFrame({"部门": [label(r) for r in rows],
                         f"{answer.table['measure']}（{unit}）":
                         [float(Decimal(r["value"])) for r in rows]}).set_index("部门")


def row_citation(answer: Answer, position: int) -> Citation | None:
    """The citation behind the table's row at `position`, if it has one."""
    rows = answer.table["rows"]
    if not 0 <= position < len(rows):
        return None
    index = rows[position].get("citation")
    return None if index is None else answer.citations[index]


def csv_bytes(answer: Answer) -> bytes:
    """The comparison as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    return comparison_frame(answer).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(answer: Answer) -> bytes:
    """The comparison as an Excel workbook, numbers as exact text beside their unit."""
    frame = comparison_frame(answer).map(lambda v: format(v, "f") if isinstance(v, Decimal) else v)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="比较", engine="openpyxl")
    return buffer.getvalue()
