"""Audit rules for carry-overs (结转和结余): the balance of each row of a 收入支出决算表,
the carry-overs the narrative states against the 收支总表, the balance a sentence states,
and a change of the carry-over the narrative leaves unexplained (结转差异解释).

Pure: SourcedTables and Passages in, Findings out; Decimal only. A carry-over is money
of earlier years: what a year starts with (年初结转和结余, in a budget 上年结转) plus what
it receives, less what it spends, is what it ends with (年末结转和结余, 结转下年).
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.domain import ParsedCell, ParsedRow, Passage
from calc.audit_findings import (MISSING, MONEY, Finding, Rule, SourcedTable, cell_citation,
                                 finding_id, is_exact, passage_citation, plain, quantum, severity,
                                 table_citation)
from ingest.narrative_facts import Fact, extract_facts
from ingest.pdf_table_text import squash

RULES = (
    Rule("table.carryover_balance", "按行：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出"),
    Rule("narrative.carryover", "说明中的上年（年初）结转、年末结转与收支总表一致；"
                                "说明所列 年末结转 = 年初结转 + 收入 − 支出"),
    Rule("narrative.carryover_explained", "收支总表中结转和结余年末与年初不同，说明中应解释其变动"),
)

_OPENING = re.compile(r"^(上年结转|年初结转)")
_CLOSING = re.compile(r"^(年末结转|年终结转|结转下年)")
# The leaf names of a column-layout balance: 年初结转和结余 | 本年收入 | 本年支出/小计 | 年末结转和结余.
_OPENING_COLUMN = re.compile(r"^年初.*结转")
_CLOSING_COLUMN = re.compile(r"^年末.*结转")
# A sentence about one fund only speaks of that fund's carry-over, not the 收支总表's.
_OTHER_SCOPE = re.compile(r"政府性基金|国有资本|一般公共预算|财政拨款|专户")


def _cell(row: ParsedRow, column: str) -> ParsedCell | None:
    cell = next((c for c in row.cells if c.column == column), None)
    return cell if cell is not None and cell.value is not None else None


def _one(columns: tuple[str, ...], test) -> str | None:
    found = [c for c in columns if test(c)]
    return found[0] if len(found) == 1 else None


def check_balance_columns(source: SourcedTable) -> list[Finding]:
    """Tables that print a balance per row in columns (年初结转和结余, 本年收入, 本年支出,
    年末结转和结余): each row's closing balance equals opening + income − spending."""
    table = source.table
    columns = table.columns
    opening = _one(columns, lambda c: bool(_OPENING_COLUMN.match(squash(c.split("/")[0]))))
    closing = _one(columns, lambda c: bool(_CLOSING_COLUMN.match(squash(c.split("/")[0]))))
    income = _one(columns, lambda c: squash(c.split("/")[0]) == "本年收入"
                  and ("/" not in c or squash(c.rsplit("/", 1)[-1]) in ("小计", "合计")))
    spending = _one(columns, lambda c: squash(c.split("/")[0]) == "本年支出"
                    and ("/" not in c or squash(c.rsplit("/", 1)[-1]) in ("小计", "合计")))
    if not (opening and closing and income and spending):
        return []
    out = []
    for row in table.rows:
        cells = {name: _cell(row, column) for name, column in
                 (("opening", opening), ("income", income), ("spending", spending),
                  ("closing", closing))}
        if cells["closing"] is None or all(cells[k] is None for k in ("opening", "income",
                                                                        "spending")):
            continue
        value = {k: c.value if c is not None else Decimal(0) for k, c in cells.items()}
        expected = value["opening"] + value["income"] - value["spending"]
        present = [c for c in cells.values() if c is not None]
        q = max(quantum(c.printed) for c in present)
        level = severity(value["closing"], expected, len(present) - 1, q, is_exact(q, table.unit))
        if level is None:
            continue
        label = row.label or row.code
        out.append(Finding(
            id=finding_id("table.carryover_balance", source.doc, source.name, label, row.code),
            rule="table.carryover_balance", doc=source.doc, severity=level,
            message=(f"《{source.name}》行“{label}”：年初结转和结余 {plain(value['opening'])} + "
                     f"本年收入 {plain(value['income'])} − 本年支出 {plain(value['spending'])} = "
                     f"{plain(expected)}{table.unit}，表列年末结转和结余 "
                     f"{plain(value['closing'])}{table.unit}"),
            formula=(f"{plain(value['opening'])} + {plain(value['income'])} − "
                     f"{plain(value['spending'])} = {plain(expected)}；表列 "
                     f"{plain(value['closing'])}（差 {plain(value['closing'] - expected)}）"),
            expected=expected, found=value["closing"],
            operands=tuple(cell_citation(source, row, c) for c in present)))
    return out


def summary_carryovers(sources: list[SourcedTable]
                       ) -> dict[str, tuple[SourcedTable, ParsedRow, ParsedCell]]:
    """The opening and closing carry-over of the disclosure's 收支总表 (the first one that
    prints a row of each), by "opening"/"closing"; blank rows count as zero."""
    out = {}
    for source in sources:
        if source.table.kind != "收支总表" or source.table.unit not in MONEY:
            continue
        for row in source.table.rows:
            label = squash(row.label)
            which = "opening" if _OPENING.match(label) else "closing" if _CLOSING.match(
                label) else None
            cell = next((c for c in row.cells if c.unit != "%"), None)
            if which and cell is not None and which not in out:
                out[which] = (source, row, cell)
    return out


def _figure(entry) -> Decimal:
    """A 收支总表 carry-over in 元 (a blank cell is zero)."""
    source, _, cell = entry
    return (cell.value or Decimal(0)) * MONEY[source.table.unit]


_STATED_OPENING = re.compile(r"(上年结转|年初结转)(和结余|结余|资金)?(预算数?)?(为|是)?$")
_STATED_CLOSING = re.compile(r"(年末结转|年终结转|结转下年)(和结余|结余|资金)?(预算数?)?(为|是)?$")


def _which(fact: Fact) -> str | None:
    """"opening" or "closing" when the words before the figure name a carry-over."""
    clause = squash(fact.clause)
    if _STATED_OPENING.search(clause):
        return "opening"
    if _STATED_CLOSING.search(clause):
        return "closing"
    return None


def _cite(fact: Fact):
    return passage_citation(fact.passage, fact.sentence, fact.printed, fact.unit)


def check_stated_carryovers(passages: list[Passage], sources: list[SourcedTable]
                            ) -> list[Finding]:
    """"上年结转结余 12.72 万元" against the 收支总表's row; "年初结转和结余 A，收入 B，支出 C，
    年末结转和结余 D" in one sentence: D = A + B − C."""
    table = summary_carryovers(sources)
    out = []
    for passage in passages:
        facts = [f for f in extract_facts(passage) if f.unit in MONEY and f.kind == "amount"]
        for i, fact in enumerate(facts):
            which = _which(fact)
            if which is None:
                continue
            scoped = _OTHER_SCOPE.search(fact.sentence[:fact.sentence.find(fact.printed) + 1])
            if which in table and not scoped:
                source, row, cell = table[which]
                scale = MONEY[fact.unit]
                stated = fact.value * scale
                q = max(quantum(fact.printed.rstrip(fact.unit)) * scale,
                        quantum(cell.printed or "0") * MONEY[source.table.unit])
                level = severity(stated, _figure(table[which]), 1, q, is_exact(q, "元"))
                rounds = abs(stated - _figure(table[which])) <= quantum(
                    fact.printed.rstrip(fact.unit)) * scale / 2  # the table figure, rounded
                if level is not None and not rounds:
                    name = "年初（上年）结转" if which == "opening" else "年末结转（结转下年）"
                    out.append(Finding(
                        id=finding_id("narrative.carryover", passage.doc_id, fact.sentence,
                                      fact.printed),
                        rule="narrative.carryover", doc=passage.doc_id, severity=level,
                        message=(f"说明中{name}为 {fact.printed}，《{source.name}》为 "
                                 f"{plain(cell.value or Decimal(0))}{source.table.unit}"),
                        formula=(f"{plain(stated / scale)} − "
                                 f"{plain(_figure(table[which]) / scale)} = "
                                 f"{plain((stated - _figure(table[which])) / scale)}{fact.unit}"),
                        expected=_figure(table[which]) / scale, found=fact.value,
                        operands=(_cite(fact), cell_citation(source, row, cell))))
            if which == "closing":
                out += _stated_balance(facts, i)
    return out


def _stated_balance(facts: list[Fact], i: int) -> list[Finding]:
    """The sentence of the closing carry-over at index i also states the opening one, the
    income and the spending before it: closing = opening + income − spending."""
    closing = facts[i]
    same = [f for f in facts[:i] if f.sentence == closing.sentence]
    opening = next((f for f in same if _which(f) == "opening"), None)
    income = next((f for f in same if re.search(r"收入", f.clause) and f is not opening), None)
    spending = next((f for f in same if re.search(r"支出", f.clause)), None)
    if opening is None or income is None or spending is None:
        return []
    scale = MONEY[closing.unit]
    parts = (opening, income, spending)
    expected = sum((f.value * MONEY[f.unit] * (-1 if f is spending else 1) for f in parts),
                   Decimal(0)) / scale
    q = max(quantum(f.printed.rstrip(f.unit)) * MONEY[f.unit] / scale for f in (*parts, closing))
    level = severity(closing.value, expected, 3, q, is_exact(q, closing.unit))
    if level is None:
        return []
    return [Finding(
        id=finding_id("narrative.carryover", closing.passage.doc_id, closing.sentence, "balance"),
        rule="narrative.carryover", doc=closing.passage.doc_id, severity=level,
        message=(f"说明所列年初结转和结余 {opening.printed} + 收入 {income.printed} − 支出 "
                 f"{spending.printed} = {plain(expected)}{closing.unit}，说明的年末结转和结余为 "
                 f"{closing.printed}"),
        formula=(f"{plain(opening.value)} + {plain(income.value)} − {plain(spending.value)} = "
                 f"{plain(expected)}；说明 {plain(closing.value)}（差 "
                 f"{plain(closing.value - expected)}）"),
        expected=expected, found=closing.value,
        operands=tuple(_cite(f) for f in (closing, *parts)))]


_EXPLAINS = re.compile(r"结转|结余")
_REASON = re.compile(r"原因|主要(是|用于|为)|由于|因")


def check_carryover_explained(passages: list[Passage], sources: list[SourcedTable]
                              ) -> list[Finding]:
    """A final account's 收支总表 whose closing carry-over differs from its opening one, in a
    disclosure whose narrative never gives a reason in a sentence about 结转/结余 with a figure."""
    table = summary_carryovers(sources)
    if "opening" not in table or "closing" not in table or "决算" not in table["closing"][
            0].table.title:
        return []  # a budget plans its carry-over; a final account must explain its change
    opening, closing = _figure(table["opening"]), _figure(table["closing"])
    if opening == closing:
        return []
    for passage in passages:
        for sentence in re.split(r"[。\n]", passage.text):
            if _EXPLAINS.search(sentence) and _REASON.search(sentence) and re.search(
                    r"\d", sentence) and "指" not in sentence[:12]:
                return []  # "年末结转和结余 100 万元，主要原因是…" (a definition is no reason)
    source = table["closing"][0]
    unit = source.table.unit
    return [Finding(
        id=finding_id("narrative.carryover_explained", source.doc, source.name),
        rule="narrative.carryover_explained", doc=source.doc, severity=MISSING,
        message=(f"《{source.name}》结转和结余由年初 {plain(opening / MONEY[unit])}{unit} 变为"
                 f"年末 {plain(closing / MONEY[unit])}{unit}，说明中未见其变动原因"),
        operands=(cell_citation(*table["opening"]), cell_citation(*table["closing"]))
        if table["opening"][2].printed or table["closing"][2].printed else (
            table_citation(source),))]
