"""The one gap policy: how serious a difference between a printed figure and the figure
its parts imply is, by its size, the printed precision and the number of parts.

Pure: Decimal only. Used by the ingest self-check (calc.reconcile, which keeps only
errors) and by every audit rule (calc.audit_*, which report every grade):

* ``rounding`` — within n × half a unit of the printed precision: n parts each rounded
  on their own can be that far from their rounded total (a 0.01 万元 note);
* ``minor`` — beyond rounding but within one unit per part (a figure rounded another
  way, a last digit off); in figures printed to the fen (元 with two decimals) nothing
  was rounded, so every gap up to one unit per part is minor;
* ``unit_slip`` — a ratio of 10,000 either way (元 printed for 万元 or the reverse);
* ``error`` — anything larger.
"""

from __future__ import annotations

from decimal import Decimal

ERROR, UNIT_SLIP, MINOR, ROUNDING, MISSING = "error", "unit_slip", "minor", "rounding", "missing"
# Most serious first; MISSING is the grade of completeness findings (no arithmetic).
SEVERITIES = (ERROR, UNIT_SLIP, MISSING, MINOR, ROUNDING)
SERIOUS = (ERROR, UNIT_SLIP)
TEN_THOUSAND = Decimal(10000)
FEN = Decimal("0.01")
MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(10 ** 8)}


def quantum(printed: str) -> Decimal:
    """One unit of the printed precision: 0.01 for "1,234.56", 1 for "1,234"."""
    text = printed.replace(",", "").replace("，", "").strip().rstrip("%")
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return Decimal(1).scaleb(-places)


def is_exact(unit_quantum: Decimal, unit: str) -> bool:
    """True when figures of this precision and unit were not rounded (元 to the fen)."""
    scale = MONEY.get(unit)
    return scale is not None and unit_quantum * scale <= FEN


def severity(found: Decimal, expected: Decimal, parts: int, unit_quantum: Decimal,
             exact: bool = False) -> str | None:
    """The grade of found ≠ expected (None when they agree exactly).

    parts: how many rounded figures made up expected (1 for a plain comparison);
    unit_quantum: one unit of the coarsest printed precision among them; exact: the
    figures were printed without rounding (see is_exact), so no gap is rounding.
    """
    difference = abs(found - expected)
    if difference == 0:
        return None
    n = max(parts, 1)
    for a, b in ((found, expected), (expected, found)):
        if b != 0 and abs(a - b * TEN_THOUSAND) <= max(abs(b) * TEN_THOUSAND / 1000, unit_quantum):
            return UNIT_SLIP
    if not exact and difference <= unit_quantum * n / 2:
        return ROUNDING
    if difference <= unit_quantum * n:
        return MINOR
    return ERROR


def judge_stated(stated: Decimal, low: Decimal, high: Decimal, q: Decimal) -> str | None:
    """The grade of a stated rate or share against [low, high], the interval the rounding of
    its operands allows: None when it is a correct rounding of a value in it; minor when
    off by up to one more unit of its own precision q; error beyond."""
    if low - q / 2 <= stated <= high + q / 2:
        return None
    if low - q <= stated <= high + q:
        return MINOR
    return ERROR
