"""Audit rule for the 三公 paragraph of the narrative: "“三公”经费预算数为67.59万元，比2025年
预算减少23.10万元。其中：（一）因公出国（境）费35.00万元，与2025年预算持平。（二）公务用车购置
及运行费20.10万元，比2025年预算减少23.10万元…其中：公务用车购置费0.00万元，比2025年预算减少
24.00万元；公务用车运行费20.10万元，比2025年预算增加0.90万元。（三）公务接待费12.49万元，与
2025年预算持平。"

Pure: Passages in, Findings out; Decimal only. Each item is stated with its amount and its
change against one base year ("持平" is no change); the 三公 total is the sum of its three
items, and 公务用车购置及运行费 the sum of 购置费 and 运行费, in amounts and in changes — the
checkers' "三公经费 汇总=分项" applied to the text, which the 三公 table cannot tie when it
prints no last-year column.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import Passage
from calc.audit_findings import (MONEY, Finding, Rule, finding_id, is_exact, passage_citation,
                                 plain, quantum, severity)
from calc.audit_lists import sections
from ingest.numbers import parse_amount

RULES = (
    Rule("narrative.three_public_parts", "说明中“三公”经费 = 出国 + 公务用车 + 接待，公务用车 = 购置 + 运行"
                                         "（金额与比上年增减额均相加）"),
)

# "公务用车运行费20.10万元，比2025年预算增加0.90万元", "因公出国（境）费预算支出 222.5 万元，
# 与上年预算数持平", "比上年预算增加（减少）0万元".
# The change may be left out ("公务接待费 8.6 万元，较上年增加1.5 万元" beside "因公出国（境）经费0
# 万元，预算未做安排"): such a statement counts for the amounts only.
_STATEMENT = re.compile(
    r"(?P<label>[^，,。；;：:\d]{2,40}?)\s*(为|是)?\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|元)"
    r"(\s*[，,]\s*(比|较|与)\s*(?P<base>20\d{2}\s*年|上年)[^，,。；;\d]{0,8}?"
    r"(?P<word>增加|减少|持平|不变|一致)(（减少）|\(减少\))?\s*"
    r"((?P<change>\d[\d,]*(?:\.\d+)?)\s*(?P<change_unit>万元|元))?)?")
# "“三公”经费及会议费、培训费预算支出共 263.72 万元" is not the 三公 total.
_WITH_MEETINGS = re.compile(r"会议|培训")
_ROLES = (("car_buy", re.compile(r"购置费|购置预算|购置支出")),
          ("car_run", re.compile(r"运行(维护|维修)?费|运行维护预算|运行预算")),
          ("car", re.compile(r"购置(及|和)运行")),
          ("abroad", re.compile(r"出国")),
          ("reception", re.compile(r"接待")),
          ("total", re.compile(r"三公")))
_CHECKS = (("total", ("abroad", "car", "reception"), "“三公”经费 ≠ 出国 + 公务用车 + 接待"),
           ("car", ("car_buy", "car_run"), "公务用车购置及运行费 ≠ 购置费 + 运行费"))


def _role(label: str) -> str:
    for role, pattern in _ROLES:
        if role in ("car_buy", "car_run") and _ROLES[2][1].search(label):
            continue  # "公务用车购置及运行费" names both
        if pattern.search(label):
            return role
    return ""


def _change(m: re.Match) -> Decimal | None:
    """The signed change in 元 (0 for 持平), or None when unstated or unreadable."""
    if m.group("word") is None:
        return None
    if m.group("word") in ("持平", "不变", "一致"):
        return Decimal(0)
    if m.group("change") is None:
        return None
    value = parse_amount(m.group("change"))
    if value is None:
        return None
    return (-value if m.group("word") == "减少" else value) * MONEY[m.group("change_unit")]


def check_three_public_text(passages: list[Passage]) -> list[Finding]:
    """三公 items stated with amount and change whose sums do not hold (one base year)."""
    out = []
    for passage in sections(passages):
        if "三公" not in passage.text and "三公" not in (passage.section or ""):
            continue
        by_role: dict[str, list[re.Match]] = {}
        for m in _STATEMENT.finditer(passage.text):
            role = _role(m.group("label"))
            if role == "total" and _WITH_MEETINGS.search(m.group("label")):
                continue
            if role and parse_amount(m.group("amount")) is not None:
                by_role.setdefault(role, []).append(m)
        for field in ("amount", "change"):
            out += _check_field(passage, by_role, field)
    return out


def _stated(by_role: dict[str, list[re.Match]], field: str) -> dict[str, re.Match]:
    """Each item stated with one value of the field (an item stated with two is skipped)."""
    out = {}
    for role, ms in by_role.items():
        if field == "change":
            ms = [m for m in ms if _change(m) is not None]
        values = {parse_amount(m.group("amount")) * MONEY[m.group("unit")] if field == "amount"
                  else _change(m) for m in ms}
        if len(values) == 1:
            out[role] = ms[0]
    return out


def _check_field(passage: Passage, by_role: dict[str, list[re.Match]],
                 field: str) -> list[Finding]:
    out = []
    stated = _stated(by_role, field)
    checks = list(_CHECKS)
    if "car" not in stated:  # the car's parts stand for it
        # "公务用车运行维护费 10 万元" with no purchase stated: a car budget of upkeep only.
        car = tuple(p for p in ("car_buy", "car_run") if p in stated) or ("car_buy", "car_run")
        checks[0] = ("total", ("abroad",) + car + ("reception",), _CHECKS[0][2])
    for whole, parts, what in checks:
        if whole not in stated or not all(p in stated for p in parts):
            continue
        group = [stated[whole]] + [stated[p] for p in parts]
        if field == "change" and len({re.sub(r"\s", "", m.group("base")) for m in group}) != 1:
            continue
        out += _compare(passage, group, what, field)
    return out


def _compare(passage: Passage, group: list[re.Match], what: str, field: str) -> list[Finding]:
    """A finding when the whole's amount (or change) is not the sum of its parts'."""
    if field == "amount":
        values = [parse_amount(m.group("amount")) * MONEY[m.group("unit")] for m in group]
        printed = [m.group("amount") for m in group]
        unit = group[0].group("unit")
    else:
        values = [_change(m) for m in group]
        printed = [m.group("change") or "0" for m in group]
        unit = next((m.group("change_unit") for m in group if m.group("change_unit")), "万元")
    scale = MONEY[unit]
    whole, parts = values[0], values[1:]
    expected = sum(parts, Decimal(0))
    # A printed 0 ("公务用车购置费0万元") is no rounded figure: it sets no precision.
    rounded = [p for p, v in zip(printed, values) if v] or printed
    q = max(quantum(p) for p in rounded) * MONEY[unit] / scale
    level = severity(whole / scale, expected / scale, len(parts), q, is_exact(q, unit))
    if level is None:
        return []
    word = "金额" if field == "amount" else "比上年增减额"
    return [Finding(
        id=finding_id("narrative.three_public_parts", passage.doc_id, field,
                      *(m.group(0) for m in group)),
        rule="narrative.three_public_parts", doc=passage.doc_id, severity=level,
        message=f"说明中{what}（{word}）：各项之和 {plain(expected / scale)}{unit}，"
                f"总数 {plain(whole / scale)}{unit}",
        formula=" + ".join(plain(v / scale) for v in parts)
                + f" = {plain(expected / scale)}；说明 {plain(whole / scale)}",
        expected=expected / scale, found=whole / scale,
        operands=tuple(passage_citation(passage, m.group(0), m.group(field) or m.group("word"),
                                        unit) for m in group))]
