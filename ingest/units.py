"""Units of tables that print none, inferred only from evidence in the same document."""

from __future__ import annotations

from dataclasses import replace

from budgetqa.domain import ParsedTable


def _figures(table: ParsedTable) -> set[tuple[str, str]]:
    return {(row.label, cell.printed.replace(",", "")) for row in table.rows
            for cell in row.cells if cell.value is not None and cell.value != 0}


def infer_missing_units(tables: list[ParsedTable]) -> tuple[list[ParsedTable], list[str]]:
    """Give a unit-less table the unit of a table that prints the same figures.

    Evidence is at least three (label, printed figure) pairs in common with a table that
    states its unit; a table without such evidence keeps no unit and gets a warning, since
    guessing 元 or 万元 would make every figure from it wrong by 10,000.
    """
    stated = [t for t in tables if t.unit]
    out, warnings = [], []
    for table in tables:
        if table.unit:
            out.append(table)
            continue
        mine = _figures(table)
        best = max(stated, key=lambda t: len(mine & _figures(t)), default=None)
        if best is not None and len(mine & _figures(best)) >= 3:
            out.append(replace(table, unit=best.unit))
            warnings.append(f"table {table.title!r} prints no unit; {best.unit} taken from "
                            f"{best.title!r}, which prints {len(mine & _figures(best))} of the "
                            "same figures")
        else:
            out.append(table)
            warnings.append(f"table {table.title!r} prints no unit and none could be inferred")
    return out, warnings
