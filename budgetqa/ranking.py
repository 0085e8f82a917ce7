"""A ranking answer as a reader needs it: the items in order, each with its 类/款 parents.

A ranking over a 功能分类 table compares many 项 rows, and several share a label
("一般行政管理事务" under seven different 款). The faces show the top few with their parent
path and the rest on request; this module finds the cited cells, their parents and the order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.domain import Answer, Cell, Citation
from budgetqa.evidence import cited_cell
from calc.operations import MONEY

_RANK_FORMULA = re.compile(r"^(最大|最小)：")


@dataclass(frozen=True)
class RankedItem:
    """One compared figure: its place, label, parents (类 first), value as printed, unit."""

    place: int
    label: str
    parents: tuple[str, ...]
    printed: str
    unit: str
    citation: Citation

    @property
    def path(self) -> str:
        """"城乡社区支出 › 城乡社区管理事务 › 一般行政管理事务"."""
        return " › ".join(self.parents + (self.label,))


def is_ranking(answer: Answer) -> bool:
    """True for an answer that compares figures to find the largest or smallest."""
    return bool(_RANK_FORMULA.match(answer.formula or ""))


def ranked_items(store, answer: Answer) -> list[RankedItem]:
    """The answer's compared figures, best first, with their parent rows' labels.

    Figures found in no table (a ranking of narrative amounts) keep their citation's label and
    no parents. Values are compared in a common money unit, exactly.
    """
    largest = answer.formula.startswith("最大")
    found: list[tuple[Decimal, Citation, Cell | None]] = []
    cells_by_doc: dict[str, tuple[Cell, ...]] = {}
    for citation in answer.citations:
        cell = None
        if citation.kind == "cell":
            if citation.doc not in cells_by_doc:
                cells_by_doc[citation.doc] = store.cells(citation.doc)
            cell = cited_cell(cells_by_doc[citation.doc], citation)
        value = cell.value if cell is not None and cell.value is not None \
            else _decimal(citation.value)
        if value is None:
            continue
        found.append((value * MONEY.get(citation.unit, Decimal(1)), citation, cell))
    found.sort(key=lambda item: item[0], reverse=largest)
    parents = _parent_labels(store, {cell.table_id for _, _, cell in found if cell is not None})
    return [RankedItem(place=i + 1, label=citation.row or citation.section or "",
                       parents=parents.get(cell.row_id, ()) if cell is not None else (),
                       printed=citation.value, unit=citation.unit, citation=citation)
            for i, (_, citation, cell) in enumerate(found)]


def _parent_labels(store, table_ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Row id → labels of its ancestors (outermost first), for the rows of these tables."""
    out: dict[str, tuple[str, ...]] = {}
    for table_id in table_ids:
        records = {r["id"]: r for r in store.rows(table_id)}
        for row_id, record in records.items():
            chain: list[str] = []
            parent = records.get(record["parent_id"])
            while parent is not None and len(chain) < 6:  # a cycle can never hang the page
                chain.append(parent["label"])
                parent = records.get(parent["parent_id"])
            out[row_id] = tuple(reversed(chain))
    return out


def _decimal(printed: str) -> Decimal | None:
    text = (printed or "").replace(",", "").strip()
    return Decimal(text) if re.fullmatch(r"-?\d+(\.\d+)?", text) else None


def headline(answer: Answer) -> str:
    """The ranking's answer without its list of every compared item (shown as a table)."""
    return re.sub(r"比较的项目：[^。]*。?$", "", answer.text).strip()
