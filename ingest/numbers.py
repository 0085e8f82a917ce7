"""Parse numbers as printed in budget tables into exact Decimals (never float)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Full-width digits and punctuation that Chinese PDFs print instead of ASCII.
_FULLWIDTH = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "，": ",", "．": ".", "－": "-", "（": "(", "）": ")", "％": "%", "＋": "+",
    "−": "-", "\u3000": " ",
})

# Everything a publisher prints for "nothing here".
_BLANKS = {"", "-", "--", "—", "——", "–", "/", "…", "……", "*"}

_AMOUNT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _normalise(printed: str) -> str:
    """Map full-width characters to ASCII; drop whitespace at the ends and next
    to separators (PDF text often spaces out "1, 234"), keep it elsewhere so that
    "208 05" stays two numbers, not one."""
    text = printed.translate(_FULLWIDTH).strip()
    return re.sub(r"\s*([,.()%])\s*", r"\1", text)


def parse_amount(printed: str | None) -> Decimal | None:
    """Read a printed amount such as "1,234.56", "１，２３４", "(12.3)" or "-12.3".

    Takes the cell text as printed; returns the exact Decimal, or None when the
    cell is blank, a dash, or not an amount at all (text, a percentage, a code
    with letters). Parentheses mean a negative number. Never raises.
    """
    if printed is None:
        return None
    text = _normalise(printed)
    if text in _BLANKS or set(text) <= {"-", "—", "–"}:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if not _AMOUNT.match(text):
        return None
    if text[0] in "+-":
        negative, text = (negative != (text[0] == "-")), text[1:]
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None
    return -value if negative else value


_PERCENT = re.compile(r"^([+-]?\d+(\.\d+)?)%$")


def parse_percent(printed: str | None) -> Decimal | None:
    """Read a printed percentage ("94.6%", "－3.2％") as the Decimal of its percent (94.6), else None."""
    if printed is None:
        return None
    m = _PERCENT.match(_normalise(printed))
    return Decimal(m.group(1)) if m else None
