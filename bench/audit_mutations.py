"""Planted-error benchmark of the consistency audit: change one printed figure of a real
disclosure at a time, audit the copy, and count how often the audit points at it.

    python -m bench.audit_mutations                 # make bench-audit
    python -m bench.audit_mutations --write         # and put the tables into AUDIT.md

Each corpus file is ingested once into a kept store (`--home`, default a folder in the
temporary directory; unchanged files are skipped on the next run), so the audit reads
exactly what `budgetqa audit` reads. A mutation changes one figure of the stored
disclosure in memory — a table cell (printed text and value) or a number in a passage's
text — by one of the slips a typist makes:

* ``last_digit``: the last digit ±1;
* ``swap``: two neighbouring different digits swapped;
* ``times10``: the figure ×10 (a shifted decimal point);
* ``drop_digit``: one digit left out;
* ``unit``: 万元 printed as 元 or 元 as 万元 (narrative only; a table has one unit line).

A mutation is *found* when the audit of the copy has a finding that the audit of the
original has not (or has with other arithmetic) and that cites the changed figure among
its operands; *flagged* when that finding is graded beyond rounding (minor, unit slip or
error). Missed mutations are probed with the same figure ×1000: a cell still missed then
is checked by no rule at all (*unchecked*); otherwise the slip is too small for the
rules that do check it. Recall is reported by class and by where the figure stood
(total row — 合计/总计/小计 or a 科目 parent —, detail row, narrative), with the findings
on the unchanged disclosures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from budgetqa.domain import ParsedTable, Passage
from calc.audit import AuditReport, audit_disclosure, group_disclosures, neighbour_disclosure
from calc.audit_findings import ROUNDING, SEVERITIES, Finding, quantum
from calc.audit_labels import corpus_code_names
from ingest.numbers import parse_amount
from ingest.pdf_text import opening_text
from ingest.pdf_table_text import is_total, squash

from bench.common import ROOT, SHARED_CORPUS, machine, open_app

CLASSES = ("last_digit", "swap", "times10", "drop_digit", "unit")
LOCATIONS = ("total", "detail", "narrative")
# Narrative figures the audit can tie to something: amounts and percentages (counts of
# cars or staff are left out).
_NARRATIVE_NUMBER = re.compile(r"(?<![\d.])(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|%)")
_MARK_START, _MARK_END = "<!-- bench-audit:start -->", "<!-- bench-audit:end -->"


@dataclass(frozen=True)
class Disclosure:
    """One audited disclosure as the store holds it."""

    key: str
    docs: tuple
    tables: dict[str, list[ParsedTable]]
    passages: dict[str, list[Passage]]
    code_names: dict = field(default_factory=dict)  # audit_labels.corpus_code_names
    contents: dict = field(default_factory=dict)  # doc id → first pages' text
    # The passages of the same publisher's disclosures of the year before and after.
    last_year: tuple = ()
    next_year: tuple = ()

    def audit(self, tables=None, passages=None) -> AuditReport:
        return audit_disclosure(list(self.docs), tables or self.tables, passages or self.passages,
                                code_names=self.code_names, contents=self.contents,
                                last_year=list(self.last_year), next_year=list(self.next_year))


@dataclass(frozen=True)
class Mutation:
    """One planted slip: where, which class, the printed figure before and after."""

    disclosure: str
    doc: str
    location: str  # total, detail or narrative
    klass: str
    before: str
    after: str
    place: str  # table/row/column, or the passage's section and page
    table: int = -1  # index in the document's tables (cells)
    row: int = -1
    column: str = ""
    passage: int = -1  # index in the document's passages (narrative)
    start: int = -1  # span of the number (and unit) in the passage text
    end: int = -1


# -- slips of a printed number -----------------------------------------------------------

def _digits(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch.isdigit()]


def slip(printed: str, klass: str, rng: random.Random) -> str | None:
    """The printed number with one slip of the class, or None when the class cannot apply."""
    digits = _digits(printed)
    if not digits:
        return None
    if klass == "last_digit":
        i = digits[-1]
        d = int(printed[i])
        step = rng.choice((-1, 1)) if 0 < d < 9 else (1 if d == 0 else -1)
        return printed[:i] + str(d + step) + printed[i + 1:]
    if klass == "swap":
        # A leading zero is not printed: "3000" never becomes "0300".
        pairs = [(a, b) for a, b in zip(digits, digits[1:]) if printed[a] != printed[b]
                 and not (a == digits[0] and printed[b] == "0")]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        chars = list(printed)
        chars[a], chars[b] = chars[b], chars[a]
        return "".join(chars)
    if klass == "times10":
        text = printed.replace(",", "")
        places = len(text.split(".", 1)[1]) if "." in text else 0
        value = parse_amount(text)
        if value is None:
            return None  # a figure in words around it ("=300.00(场)"): no amount to shift
        value *= 10
        return f"{value:,.{places}f}" if "," in printed else f"{value:.{places}f}"
    if klass == "drop_digit":
        text = printed.replace(",", "")
        places = [i for i, ch in enumerate(text) if ch.isdigit()]
        if len(places) < 2:
            return None
        i = rng.choice(places)
        out = text[:i] + text[i + 1:]
        out = re.sub(r"^0+(?=\d)", "", out)
        out = ("0" + out if out.startswith(".") else out).rstrip(".")
        value = parse_amount(out)
        if value is None:
            return None
        decimals = len(out.split(".", 1)[1]) if "." in out else 0
        return f"{value:,.{decimals}f}" if "," in printed else out
    return None


def still_rounds(before: str, after: str) -> bool:
    """True when the slipped figure is no slip: the same value, or a correct rounding of it
    to fewer places ("50.12" → "50.1"), or unreadable."""
    old, new = parse_amount(before), parse_amount(after)
    if old is None or new is None:
        return True
    return abs(old - new) <= quantum(after) / 2


# -- where the slips go ------------------------------------------------------------------

def _location(table: ParsedTable, index: int) -> str:
    row = table.rows[index]
    if (not row.code and is_total(squash(row.label))) or any(
            r.parent == index for r in table.rows):
        return "total"
    return "detail"


def cell_mutations(d: Disclosure, rng: random.Random, count: int) -> list[Mutation]:
    """Up to `count` slips of randomly chosen nonzero table cells (classes in turn)."""
    cells = [(doc, t, r, c) for doc, tables in d.tables.items() for t, table in enumerate(tables)
             for r, row in enumerate(table.rows) for c in row.cells
             if c.value and not c.printed.strip().endswith("%")]
    rng.shuffle(cells)
    out: list[Mutation] = []
    classes = [k for k in CLASSES if k != "unit"]
    for doc, t, r, cell in cells:
        if len(out) >= count:
            break
        klass = classes[len(out) % len(classes)]
        after = slip(cell.printed, klass, rng)
        if after is None or still_rounds(cell.printed, after):
            continue
        table = d.tables[doc][t]
        row = table.rows[r]
        out.append(Mutation(d.key, doc, _location(table, r), klass, cell.printed, after,
                            f"{table.number} {table.title}".strip() + f"｜{row.label or row.code}"
                            f"｜{cell.column}", table=t, row=r, column=cell.column))
    return out


def narrative_mutations(d: Disclosure, rng: random.Random, count: int) -> list[Mutation]:
    """Up to `count` slips of amounts and percentages in the passages (classes in turn)."""
    spots = [(doc, i, m) for doc, passages in d.passages.items() for i, p in enumerate(passages)
             for m in _NARRATIVE_NUMBER.finditer(p.text) if parse_amount(m.group("number"))]
    rng.shuffle(spots)
    out: list[Mutation] = []
    for doc, i, m in spots:
        if len(out) >= count:
            break
        klass = CLASSES[len(out) % len(CLASSES)]
        number, unit = m.group("number"), m.group("unit")
        if klass == "unit":
            if unit not in ("万元", "元"):
                continue
            after = number + ("元" if unit == "万元" else "万元")
        else:
            slipped = slip(number, klass, rng)
            if slipped is None or still_rounds(number, slipped):
                continue
            after = slipped + unit
        passage = d.passages[doc][i]
        out.append(Mutation(d.key, doc, "narrative", klass, number + unit, after,
                            f"{passage.section or '正文'} 第{passage.page}页", passage=i,
                            start=m.start(), end=m.end()))
    return out


# -- applying and judging ----------------------------------------------------------------

def apply(d: Disclosure, m: Mutation, after: str | None = None):
    """(tables, passages) of the disclosure with the mutation (or another printed value) in."""
    after = after or m.after
    tables, passages = dict(d.tables), dict(d.passages)
    if m.location == "narrative":
        docs = list(passages[m.doc])
        p = docs[m.passage]
        docs[m.passage] = replace(p, text=p.text[:m.start] + after + p.text[m.end:])
        passages[m.doc] = docs
    else:
        docs = list(tables[m.doc])
        table = docs[m.table]
        rows = list(table.rows)
        row = rows[m.row]
        cells = tuple(replace(c, printed=after, value=parse_amount(after))
                      if c.column == m.column else c for c in row.cells)
        rows[m.row] = replace(row, cells=cells)
        docs[m.table] = replace(table, rows=tuple(rows))
        tables[m.doc] = docs
    return tables, passages


def _key(f: Finding) -> tuple:
    return (f.id, f.formula, f.severity)


def _cites(f: Finding, d: Disclosure, m: Mutation, after: str) -> bool:
    """Whether one of the finding's operands is the mutated figure."""
    for c in f.operands:
        if c.doc != m.doc:
            continue
        if m.location == "narrative":
            if c.kind == "passage" and squash(after) in squash(c.value or "") + squash(c.text or ""):
                return True
        elif c.kind == "cell":
            table = d.tables[m.doc][m.table]
            row = table.rows[m.row]
            name = f"{table.number} {table.title}".strip()
            if (c.table == name and c.row == (row.label or row.code) and c.column == m.column
                    and c.value == after):
                return True
    return False


def judge(d: Disclosure, baseline: set, m: Mutation, after: str | None = None) -> Finding | None:
    """The most serious new finding that cites the mutated figure, or None."""
    after = after or m.after
    tables, passages = apply(d, m, after)
    report = d.audit(tables, passages)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    hits = [f for f in report.findings if _key(f) not in baseline and _cites(f, d, m, after)]
    return min(hits, key=lambda f: order[f.severity]) if hits else None


def _probe(m: Mutation) -> str:
    """The figure ×1000: a slip no rule that checks the figure can miss."""
    if m.location == "narrative":
        number = re.match(r"[\d,.]+", m.before).group(0)
        return number.replace(",", "") + "000" + m.before[len(number):]
    return m.before.replace(",", "").split(".")[0] + "000"


# -- loading, running, reporting ---------------------------------------------------------

def load(home: Path, corpus: Path) -> list[Disclosure]:
    """Every disclosure of the corpus, ingested into the kept store at `home`."""
    app = open_app(home)
    stored = set()
    for path in sorted(corpus.rglob("*")):
        if path.suffix.lower() in (".pdf", ".md") and path.name != "SOURCES.md":
            report = app.ingest_file(path)
            if report.status == "failed":
                print(f"[bench-audit] {path.name}: {report.error}", file=sys.stderr)
            else:
                stored.add(path.stem)
    out = []
    tables = {i: app.store.parsed_tables(i) for i in sorted(stored)}
    years = {d.id: d.year for d in app.store.documents()}
    code_names = corpus_code_names({i: (years[i], t) for i, t in tables.items()})
    groups = group_disclosures([d for d in app.store.documents() if d.id in stored])

    def passages_of(group) -> tuple:
        return tuple(p for doc in group for p in app.store.passages(doc.id))

    for group in groups:
        ids = [doc.id for doc in group]
        out.append(Disclosure(group[0].disclosure or group[0].id, tuple(group),
                              {i: tables[i] for i in ids},
                              {i: app.store.passages(i) for i in ids}, code_names,
                              {doc.id: opening_text(doc.source_file) for doc in group},
                              passages_of(neighbour_disclosure(group, groups, -1)),
                              passages_of(neighbour_disclosure(group, groups, +1))))
    return out


def run(home: Path, corpus: Path, cells: int, narrative: int, seed: int) -> dict:
    rng = random.Random(seed)
    disclosures = load(home, corpus)
    rows, unchanged = [], {}
    folders = {doc.id: Path(doc.source_file).parent.name for d in disclosures for doc in d.docs}
    for d in disclosures:
        report = d.audit()
        unchanged[d.key] = dict(Counter(f.severity for f in report.findings))
        baseline = {_key(f) for f in report.findings}
        for m in cell_mutations(d, rng, cells) + narrative_mutations(d, rng, narrative):
            hit = judge(d, baseline, m)
            probe = None if hit else judge(d, baseline, m, _probe(m))
            rows.append({**m.__dict__, "found": hit is not None, "folder": folders[m.doc],
                         "flagged": hit is not None and hit.severity != ROUNDING,
                         "severity": hit.severity if hit else None,
                         "rule": hit.rule if hit else None,
                         "checked": hit is not None or probe is not None})
    return {"machine": machine(), "seed": seed, "disclosures": len(disclosures),
            "documents": sum(len(d.docs) for d in disclosures), "mutations": rows,
            "unchanged": unchanged}


def _rate(rows: list[dict], key: str = "found") -> str:
    if not rows:
        return "–"
    hit = sum(r[key] for r in rows)
    return f"{hit}/{len(rows)} ({100 * hit / len(rows):.1f}%)"


def markdown(result: dict) -> str:
    rows = result["mutations"]
    docs = {r["disclosure"] for r in rows}
    tables = [r for r in rows if r["location"] != "narrative"]
    text = [r for r in rows if r["location"] == "narrative"]
    lines = [
        f"{len(rows)} mutations over {len(docs)} disclosures ({result['documents']} files); "
        f"seed {result['seed']}; commit {result['machine'].get('commit', '')}.",
        "",
        f"- **table cells: {_rate(tables)}** found (flagged beyond rounding: "
        f"{_rate(tables, 'flagged')}); of the cells some rule checks: "
        f"{_rate([r for r in tables if r['checked']])}",
        f"- table cells outside 绩效 tables (whose cells are targets and scores, not sums): "
        f"{_rate([r for r in tables if '绩效' not in r['place'].split('｜')[0]])}",
        f"- **narrative numbers: {_rate(text)}** found (flagged beyond rounding: "
        f"{_rate(text, 'flagged')}); of the numbers some rule checks: "
        f"{_rate([r for r in text if r['checked']])}",
        "",
        "| class | total row | detail row | narrative | all |",
        "|---|---|---|---|---|",
    ]
    for klass in CLASSES:
        of = [r for r in rows if r["klass"] == klass]
        lines.append(f"| {klass} | " + " | ".join(
            _rate([r for r in of if r["location"] == loc]) for loc in LOCATIONS)
            + f" | {_rate(of)} |")
    lines.append("| **all** | " + " | ".join(
        _rate([r for r in rows if r["location"] == loc]) for loc in LOCATIONS)
        + f" | {_rate(rows)} |")
    lines += ["", "Narrative numbers by corpus folder (measured after the line-building fix of "
              "ingest/pdf_text.py, so digits printed lower than their text stay in their "
              "sentences):", "",
              "| folder | narrative found |", "|---|---|"]
    for folder in sorted({r["folder"] for r in text}):
        lines.append(f"| {folder} | {_rate([r for r in text if r['folder'] == folder])} |")
    lines += ["", "Found by rule (the most serious finding citing the changed figure):", "",
              "| rule | found |", "|---|---|"]
    for rule, n in Counter(r["rule"] for r in rows if r["found"]).most_common():
        lines.append(f"| {rule} | {n} |")
    lines += ["", "Missed, by reason: *unchecked* — the same figure ×1000 is missed too, so no "
              "rule covers it; *small* — a rule covers it but this slip stays inside its "
              "tolerance.", "", "| where | unchecked | small |", "|---|---|---|"]
    for loc in LOCATIONS:
        missed = [r for r in rows if r["location"] == loc and not r["found"]]
        lines.append(f"| {loc} | {sum(not r['checked'] for r in missed)} | "
                     f"{sum(r['checked'] for r in missed)} |")
    per_doc = defaultdict(list)
    for r in rows:
        per_doc[r["disclosure"]].append(r)
    lines += ["", "| disclosure | cells found | narrative found | findings on the unchanged "
              "disclosure |", "|---|---|---|---|"]
    for key in sorted(result["unchanged"]):
        of = per_doc.get(key, [])
        counts = result["unchanged"][key]
        lines.append(f"| {key} | {_rate([r for r in of if r['location'] != 'narrative'])} | "
                     f"{_rate([r for r in of if r['location'] == 'narrative'])} | "
                     + ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s)) + " |")
    return "\n".join(lines)


def write_section(path: Path, body: str) -> None:
    """Replace the bench section of AUDIT.md (between its markers), or append one."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{_MARK_START}\n{body}\n{_MARK_END}"
    if _MARK_START in text and _MARK_END in text:
        head, rest = text.split(_MARK_START, 1)
        text = head + block + rest.split(_MARK_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Planted errors (`make bench-audit`)\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path,
                        default=Path(tempfile.gettempdir()) / "budgetqa-bench-audit")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--cells", type=int, default=12, help="table mutations per disclosure")
    parser.add_argument("--narrative", type=int, default=8,
                        help="narrative mutations per disclosure")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--write", action="store_true", help="update AUDIT.md")
    parser.add_argument("--json", type=Path, help="write every mutation and its outcome here")
    args = parser.parse_args(argv)
    args.home.mkdir(parents=True, exist_ok=True)
    result = run(args.home, args.corpus, args.cells, args.narrative, args.seed)
    body = markdown(result)
    print(body)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write:
        write_section(ROOT / "AUDIT.md", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
