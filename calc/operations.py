"""Exact arithmetic over cited figures: each result carries its value, unit, formula and operands.

Pure functions over `Decimal`; nothing here reads the store or rounds before the end.
Rounding (half-up, 2 decimals) happens only in `display`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.domain import Citation
from budgetqa.errors import UnitMismatch, ZeroWhole

# Money units and their size in 元.
MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(10 ** 8)}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Operand:
    """A figure taken from the documents, with what it is and where it stands."""

    value: Decimal
    unit: str
    label: str
    citation: Citation


@dataclass(frozen=True)
class Result:
    """A computed figure with the formula that produced it from its operands."""

    value: Decimal
    unit: str
    formula: str
    operands: tuple[Operand, ...]
    label: str = ""


def plain(value: Decimal) -> str:
    """A Decimal as fixed-point text, keeping the precision it was printed with (32.90)."""
    text = format(value, "f")
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _tidy(value: Decimal) -> Decimal:
    """A converted amount without the zeros the conversion added (1.5万元 → 15000元, not 15000.0)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def display(value: Decimal, places: int = 2) -> str:
    """Half-up rounding to `places` decimals, for showing a percentage or ratio."""
    return format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")


def convert(operand: Operand, unit: str) -> tuple[Operand, str]:
    """The operand in another money unit, and the conversion as text ("" when none)."""
    if operand.unit == unit:
        return operand, ""
    if operand.unit not in MONEY or unit not in MONEY:
        raise UnitMismatch(f"{operand.label}的单位是{operand.unit}，不能换算成{unit}",
                           frm=operand.unit, to=unit)
    value = _tidy(operand.value * MONEY[operand.unit] / MONEY[unit])
    note = f"{plain(operand.value)}{operand.unit} = {plain(value)}{unit}"
    return Operand(value=value, unit=unit, label=operand.label, citation=operand.citation), note


def common_unit(operands: list[Operand]) -> tuple[list[Operand], list[str]]:
    """Operands brought to one unit (the largest money unit among them) with conversion notes."""
    units = {o.unit for o in operands}
    if len(units) <= 1:
        return list(operands), []
    if not units <= set(MONEY):
        raise UnitMismatch(f"这些数字的单位（{'、'.join(sorted(units))}）不同，不能放在一起计算",
                           units=",".join(sorted(units)))
    target = max(units, key=lambda u: MONEY[u])
    converted, notes = [], []
    for operand in operands:
        new, note = convert(operand, target)
        converted.append(new)
        if note:
            notes.append(note)
    return converted, notes


def _with_notes(formula: str, notes: list[str]) -> str:
    return f"{formula}（换算：{'；'.join(notes)}）" if notes else formula


def quote(operand: Operand) -> Result:
    return Result(value=operand.value, unit=operand.unit, formula="", operands=(operand,),
                  label=operand.label)


def total(operands: list[Operand]) -> Result:
    """Sum of figures: a + b + … = s."""
    if not operands:
        raise ValueError("a sum needs at least one figure")
    ops, notes = common_unit(operands)
    value = sum((o.value for o in ops), Decimal(0))
    formula = " + ".join(plain(o.value) for o in ops) + f" = {plain(value)}{ops[0].unit}"
    return Result(value, ops[0].unit, _with_notes(formula, notes), tuple(operands))


def difference(minuend: Operand, subtrahend: Operand) -> Result:
    """a − b, in the common unit."""
    (a, b), notes = common_unit([minuend, subtrahend])
    value = a.value - b.value
    formula = f"{plain(a.value)} − {plain(b.value)} = {plain(value)}{a.unit}"
    return Result(value, a.unit, _with_notes(formula, notes), (minuend, subtrahend))


def share(part: Operand, whole: Operand) -> Result:
    """part ÷ whole × 100%, in percent."""
    (a, b), notes = common_unit([part, whole])
    if b.value == 0:
        raise ZeroWhole(f"{whole.label}为0，不能计算占比", operand=whole.label)
    value = a.value / b.value * HUNDRED
    formula = f"{plain(a.value)} ÷ {plain(b.value)} × 100% = {display(value)}%"
    return Result(value, "%", _with_notes(formula, notes), (part, whole))


def share_of_totals(parts: list[Operand], wholes: list[Operand]) -> Result:
    """(a + …) ÷ (b + …) × 100%: a share whose part, whole or both are several figures added
    up, in percent. The result's label says which: "A、B合计占C"."""
    converted, notes = common_unit([*parts, *wholes])
    top, bottom = converted[:len(parts)], converted[len(parts):]
    whole = sum((o.value for o in bottom), Decimal(0))
    if whole == 0:
        raise ZeroWhole(_added_up(wholes) + "为0，不能计算占比", operand=wholes[0].label)
    value = sum((o.value for o in top), Decimal(0)) / whole * HUNDRED

    def side(values: list[Operand]) -> str:
        written = " + ".join(plain(o.value) for o in values)
        return f"({written})" if len(values) > 1 else written

    formula = f"{side(top)} ÷ {side(bottom)} × 100% = {display(value)}%"
    operands = tuple(dict.fromkeys([*parts, *wholes]))  # a part listed in the whole once
    return Result(value, "%", _with_notes(formula, notes), operands,
                  label=f"{_added_up(parts)}占{_added_up(wholes)}")


def _added_up(operands: list[Operand]) -> str:
    return "、".join(o.label for o in operands) + ("合计" if len(operands) > 1 else "")


def ratio(numerator: Operand, denominator: Operand) -> Result:
    """a ÷ b, as a multiple (倍)."""
    (a, b), notes = common_unit([numerator, denominator])
    if b.value == 0:
        raise ZeroWhole(f"{denominator.label}为0，不能计算倍数", operand=denominator.label)
    value = a.value / b.value
    formula = f"{plain(a.value)} ÷ {plain(b.value)} = {display(value)}倍"
    return Result(value, "倍", _with_notes(formula, notes), (numerator, denominator))


def growth(current: Operand, previous: Operand) -> Result:
    """(current − previous) ÷ previous × 100%, in percent; negative for a decline."""
    (a, b), notes = common_unit([current, previous])
    if b.value == 0:
        raise ZeroWhole(f"{previous.label}为0，不能计算增长率", operand=previous.label)
    value = (a.value - b.value) / b.value * HUNDRED
    formula = (f"({plain(a.value)} − {plain(b.value)}) ÷ {plain(b.value)} × 100% "
               f"= {display(value)}%")
    return Result(value, "%", _with_notes(formula, notes), (current, previous))


def previous_from_change(current: Operand, change: Operand) -> Result:
    """Last year's figure from this year's and the stated change (+ increase, − decrease)."""
    (a, c), notes = common_unit([current, change])
    value = a.value - c.value
    sign = "−" if c.value >= 0 else "+"
    formula = f"{plain(a.value)} {sign} {plain(abs(c.value))} = {plain(value)}{a.unit}"
    return Result(value, a.unit, _with_notes(formula, notes), (current, change))


def growth_from_index(index: Operand) -> Result:
    """Growth from a figure printed as a percentage of last year's (为上年%): index − 100%."""
    value = index.value - HUNDRED
    formula = f"{display(index.value)}% − 100% = {display(value)}%"
    return Result(value, "%", formula, (index,))


def growth_from_change(current: Operand, change: Operand) -> Result:
    """Growth rate when the document states the change: change ÷ (current − change) × 100%."""
    (a, c), notes = common_unit([current, change])
    previous = a.value - c.value
    if previous == 0:
        raise ZeroWhole("上年数为0，不能计算增长率", operand="上年")
    value = c.value / previous * HUNDRED
    sign = "−" if c.value >= 0 else "+"
    formula = (f"上年 = {plain(a.value)} {sign} {plain(abs(c.value))} = {plain(previous)}；"
               f"{plain(c.value)} ÷ {plain(previous)} × 100% = {display(value)}%")
    return Result(value, "%", _with_notes(formula, notes), (current, change))


def rank(operands: list[Operand], largest: bool = True, place: int = 1) -> tuple[Operand, Result]:
    """The largest (or smallest) figure among comparable ones — or the one at `place` of that
    order — with the comparison as formula."""
    if len(operands) < place:
        raise ValueError("fewer figures than the place asked")
    ops, notes = common_unit(operands)
    order = sorted(range(len(ops)), key=lambda i: ops[i].value, reverse=largest)
    best = order[place - 1]
    listed = "；".join(f"{ops[i].label} {plain(ops[i].value)}" for i in order)
    word = ("最大" if largest else "最小") if place == 1 else f"第{place}{'大' if largest else '小'}"
    formula = _with_notes(f"{word}：{ops[best].label}（{listed}）", notes)
    return operands[best], Result(ops[best].value, ops[best].unit, formula, tuple(operands),
                                  label=ops[best].label)
