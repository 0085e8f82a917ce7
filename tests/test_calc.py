"""calc.operations: exact Decimal arithmetic with formulas, unit conversion and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetqa.domain import Citation
from budgetqa.errors import UnitMismatch, ZeroWhole
from calc.operations import (Operand, Result, common_unit, convert, difference, display,
                             growth, growth_from_change, plain, previous_from_change, quote,
                             rank, ratio, share, share_of_totals, total)

D = Decimal


def op(value: str, unit: str = "万元", label: str = "x") -> Operand:
    return Operand(value=D(value), unit=unit, label=label,
                   citation=Citation(kind="cell", doc="d", page=1, table="t", row=label,
                                     column="预算数", value=value, unit=unit))


def assert_exact(result: Result) -> None:
    assert type(result.value) is Decimal
    assert isinstance(result.formula, str)
    assert all(type(o.value) is Decimal for o in result.operands)


PERSONNEL, TOTAL = op("1462.07", label="人员支出"), op("3873.19", label="支出总计")


def test_total():
    result = total([op("14.73"), op("32.90"), op("34.81")])
    assert_exact(result)
    assert result.value == D("82.44") and result.unit == "万元"
    assert result.formula == "14.73 + 32.90 + 34.81 = 82.44万元"  # as printed
    assert len(result.operands) == 3


def test_total_is_exact_where_float_is_not():
    result = total([op("0.1"), op("0.2")])
    assert result.value == D("0.3") and str(result.value) == "0.3"
    assert 0.1 + 0.2 != 0.3  # the trap Decimal avoids


def test_total_of_nothing():
    with pytest.raises(ValueError):
        total([])


def test_difference():
    result = difference(op("115.31", label="住房公积金"), op("21.33", label="购房补贴"))
    assert_exact(result)
    assert result.value == D("93.98")
    assert result.formula == "115.31 − 21.33 = 93.98万元"
    negative = difference(op("21.33"), op("115.31"))
    assert negative.value == D("-93.98")


def test_share_of_figures_added_up_on_either_side():
    part, meetings, training = op("660.10", label="三公"), op("1282.56", label="会议费"), \
        op("281.77", label="培训费")
    listed_whole = share_of_totals([training], [part, meetings, training])
    assert listed_whole.formula == "281.77 ÷ (660.10 + 1282.56 + 281.77) × 100% = 12.67%"
    assert listed_whole.operands == (training, part, meetings)  # the part once
    assert listed_whole.label == "培训费占三公、会议费、培训费合计"
    listed_part = share_of_totals([part, op("0.128256", "亿元", "会议费")], [op("13377.11")])
    assert display(listed_part.value) == "14.52"
    with pytest.raises(ZeroWhole):
        share_of_totals([part], [op("0"), op("0")])


def test_share():
    result = share(PERSONNEL, TOTAL)
    assert_exact(result)
    assert result.unit == "%"
    assert result.value == D("1462.07") / D("3873.19") * 100  # unrounded, exact to 28 digits
    assert display(result.value) == "37.75"
    assert result.formula == "1462.07 ÷ 3873.19 × 100% = 37.75%"
    assert result.operands == (PERSONNEL, TOTAL)


def test_ratio():
    result = ratio(op("3105.12"), op("768.07"))
    assert_exact(result)
    assert result.unit == "倍"
    assert display(result.value) == "4.04"
    assert result.formula == "3105.12 ÷ 768.07 = 4.04倍"


@pytest.mark.parametrize("current, previous, expected, shown", [
    ("3873.19", "3490.11", "10.98", "(3873.19 − 3490.11) ÷ 3490.11 × 100% = 10.98%"),
    ("3105.12", "3147.24", "-1.34", "(3105.12 − 3147.24) ÷ 3147.24 × 100% = -1.34%"),
])
def test_growth(current, previous, expected, shown):
    result = growth(op(current), op(previous))
    assert_exact(result)
    assert display(result.value) == expected and result.unit == "%"
    assert result.formula == shown


@pytest.mark.parametrize("change, previous, sign", [("53.02", "3820.17", "−"),
                                                    ("-42.12", "3915.31", "+")])
def test_previous_from_change(change, previous, sign):
    result = previous_from_change(op("3873.19"), op(change))
    assert_exact(result)
    assert result.value == D(previous) and result.unit == "万元"
    assert result.formula == f"3873.19 {sign} {change.lstrip('-')} = {previous}万元"


def test_growth_from_change_increase():
    result = growth_from_change(op("3873.19"), op("53.02"))
    assert_exact(result)
    assert result.value == D("53.02") / D("3820.17") * 100
    assert display(result.value) == "1.39"
    assert result.formula == "上年 = 3873.19 − 53.02 = 3820.17；53.02 ÷ 3820.17 × 100% = 1.39%"


def test_growth_from_change_decrease():
    result = growth_from_change(op("3105.12"), op("-42.12"))
    assert_exact(result)
    assert result.value < 0
    assert display(result.value) == "-1.34"
    assert result.formula == "上年 = 3105.12 + 42.12 = 3147.24；-42.12 ÷ 3147.24 × 100% = -1.34%"


@pytest.mark.parametrize("largest, label, value", [(True, "行政运行", "423.43"),
                                                   (False, "一般行政管理事务", "96.58")])
def test_rank(largest, label, value):
    operands = [op("423.43", label="行政运行"), op("96.58", label="一般行政管理事务"),
                op("100", label="事业运行")]
    best, result = rank(operands, largest=largest)
    assert_exact(result)
    assert best.label == label and result.label == label and result.value == D(value)
    word = "最大" if largest else "最小"
    assert result.formula.startswith(f"{word}：{label}（")
    assert "行政运行 423.43" in result.formula and "事业运行 100" in result.formula


def test_rank_of_nothing():
    with pytest.raises(ValueError):
        rank([])


# -- units ---------------------------------------------------------------------------------

def test_convert_yuan_to_wanyuan_and_back():
    converted, note = convert(op("15000", unit="元"), "万元")
    assert converted.value == D("1.5") and converted.unit == "万元"
    assert note == "15000元 = 1.5万元"
    back, note = convert(op("1.5"), "元")
    assert back.value == D("15000") and note == "1.5万元 = 15000元"
    same, note = convert(op("1.5"), "万元")
    assert same.value == D("1.5") and note == ""


def test_mixed_units_converted_and_noted_in_formula():
    result = total([op("1.5"), op("5000", unit="元")])
    assert_exact(result)
    assert result.value == D("2.0") and result.unit == "万元"
    assert result.formula == "1.5 + 0.5 = 2.0万元（换算：5000元 = 0.5万元）"
    ratio_result = share(op("5000", unit="元"), op("1"))
    assert display(ratio_result.value) == "50.00"
    assert "（换算：5000元 = 0.5万元）" in ratio_result.formula


def test_common_unit_is_the_largest():
    ops, notes = common_unit([op("100", unit="元"), op("1", unit="亿元"), op("1", unit="千元")])
    assert {o.unit for o in ops} == {"亿元"}
    assert ops[0].value == D("0.000001") and len(notes) == 2


@pytest.mark.parametrize("operation", [
    lambda a, b: total([a, b]), difference, share, ratio, growth, previous_from_change,
    growth_from_change, lambda a, b: rank([a, b])])
def test_vehicles_and_money_do_not_mix(operation):
    with pytest.raises(UnitMismatch) as info:
        operation(op("5", unit="辆", label="公务用车"), op("86.95", unit="万元"))
    assert "辆" in info.value.message and "万元" in info.value.message
    assert info.value.status == 422


def test_convert_refuses_non_money():
    with pytest.raises(UnitMismatch):
        convert(op("5", unit="辆"), "万元")


@pytest.mark.parametrize("operation", [share, ratio, growth])
def test_zero_division(operation):
    with pytest.raises(ZeroWhole):
        operation(op("5"), op("0.00", label="零"))


def test_growth_from_change_when_last_year_was_zero():
    with pytest.raises(ZeroWhole):
        growth_from_change(op("5"), op("5"))


# -- display -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, places, shown", [
    ("16.925", 2, "16.93"), ("37.745", 2, "37.75"), ("37.744999", 2, "37.74"),
    ("0.005", 2, "0.01"), ("-1.345", 2, "-1.35"), ("2", 2, "2.00"), ("4.04265", 3, "4.043")])
def test_display_rounds_half_up(value, places, shown):
    assert display(D(value), places) == shown


@pytest.mark.parametrize("value, shown", [
    ("32.90", "32.90"), ("3820.17", "3820.17"), ("100.00", "100.00"), ("1E+2", "100"),
    ("0.000", "0.000"), ("-0.0", "0.0"), ("1.5E-7", "0.00000015")])
def test_plain(value, shown):
    assert plain(D(value)) == shown


def test_quote_keeps_the_figure():
    result = quote(PERSONNEL)
    assert result.value == D("1462.07") and result.formula == "" and result.label == "人员支出"
