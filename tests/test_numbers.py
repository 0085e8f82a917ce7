"""Printed numbers → Decimal: separators, blanks, dashes, negatives, full-width digits."""

from decimal import Decimal

import pytest

from ingest.numbers import parse_amount


@pytest.mark.parametrize("printed, expected", [
    ("1,234.56", Decimal("1234.56")),
    ("156,211,123", Decimal("156211123")),
    ("１，２３４．５", Decimal("1234.5")),
    ("0", Decimal("0")),
    ("0.00", Decimal("0.00")),
    ("-12.3", Decimal("-12.3")),
    ("－12.3", Decimal("-12.3")),
    ("(12.3)", Decimal("-12.3")),
    ("（1,200）", Decimal("-1200")),
    (" 37,188.34 ", Decimal("37188.34")),
    ("1, 234.5", Decimal("1234.5")),
])
def test_amounts(printed, expected):
    value = parse_amount(printed)
    assert value == expected
    assert isinstance(value, Decimal)


@pytest.mark.parametrize("printed", [
    "", "  ", "-", "—", "——", "－", "--", None, "合计", "12%", "208 05", "1.2.3", "12,34", "A1",
])
def test_not_amounts(printed):
    assert parse_amount(printed) is None


def test_exact_not_float():
    assert parse_amount("0.1") + parse_amount("0.2") == Decimal("0.3")
    assert str(parse_amount("21,968.00")) == "21968.00"

