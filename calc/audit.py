"""Consistency audit of a budget disclosure: every rule, over all of its files, as findings.

Pure: tables and passages in, an AuditReport out; Decimal only, no I/O. The rules live in
calc.audit_tables (within a table), calc.audit_cross (completeness, across tables) and
calc.audit_narrative (narrative against tables and itself); calc.audit_findings holds the
Finding, its severity by size and its stable id. BudgetQA.audit reads the store and calls
`audit_disclosure`; `summarise` turns a report into a short Chinese answer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from budgetqa.domain import Document, ParsedTable, Passage
from calc import (audit_assets, audit_carryover, audit_contents, audit_cross, audit_groups,
                  audit_labels, audit_lists, audit_narrative, audit_prior_year,
                  audit_project_funds, audit_rate_columns, audit_restated_changes,
                  audit_restated_items, audit_running_costs, audit_self_evaluation,
                  audit_small_business, audit_stated_base, audit_subsets, audit_tables,
                  audit_three_public_text)
from calc.audit_findings import (ERROR, MINOR, MISSING, ROUNDING, SEVERITIES, UNIT_SLIP, Finding,
                                 Rule, SourcedTable, where)

RULES: tuple[Rule, ...] = (audit_cross.RULES + audit_tables.RULES + audit_groups.RULES
                           + audit_narrative.RULES + audit_lists.RULES + audit_labels.RULES
                           + audit_carryover.RULES + audit_running_costs.RULES
                           + audit_contents.RULES + audit_restated_changes.RULES
                           + audit_project_funds.RULES + audit_assets.RULES
                           + audit_three_public_text.RULES + audit_prior_year.RULES
                           + audit_stated_base.RULES + audit_restated_items.RULES
                           + audit_small_business.RULES + audit_self_evaluation.RULES
                           + audit_rate_columns.RULES + audit_subsets.RULES)


@dataclass(frozen=True)
class AuditReport:
    """The findings of one disclosure (one or two files sharing Document.disclosure)."""

    disclosure: str
    docs: tuple[str, ...]
    kind: str
    tables: int
    passages: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def open(self) -> tuple[Finding, ...]:
        """Findings not yet marked as reviewed."""
        return tuple(f for f in self.findings if f.reviewed is None)

    def counts(self) -> dict[str, dict[str, int]]:
        """Open findings per rule and severity."""
        out: dict[str, dict[str, int]] = {}
        for f in self.open:
            out.setdefault(f.rule, Counter())[f.severity] += 1
        return {rule: dict(c) for rule, c in sorted(out.items())}

    def to_json(self) -> dict:
        return {"disclosure": self.disclosure, "docs": list(self.docs), "kind": self.kind,
                "tables": self.tables, "passages": self.passages, "counts": self.counts(),
                "findings": [f.to_json() for f in self.findings]}


def audit_disclosure(docs: list[Document], tables: dict[str, list[ParsedTable]],
                     passages: dict[str, list[Passage]],
                     reviewed: dict[str, str] | None = None,
                     code_names: dict | None = None,
                     contents: dict[str, str] | None = None,
                     last_year: list[Passage] | None = None,
                     next_year: list[Passage] | None = None) -> AuditReport:
    """Run every rule over one disclosure.

    docs: the files of the disclosure (same Document.disclosure); tables and passages by
    doc id; reviewed: finding id → reviewer's note (those findings are kept, marked);
    code_names: audit_labels.corpus_code_names over the whole corpus (the 科目编码 ↔ name
    rule is skipped without it); contents: doc id → the text of the file's first pages
    (ingest.pdf_text.first_pages_text), for the table-of-contents rule (skipped without);
    last_year, next_year: the passages of the same publisher's disclosure of the year
    before and after (`neighbour_disclosure`), for changes against last year: this year's
    changes against last year's figures, and next year's changes against this year's
    (skipped without).
    """
    if not docs:
        raise ValueError("a disclosure needs at least one document")
    sources = [SourcedTable(doc.id, table, i) for doc in docs
               for i, table in enumerate(tables.get(doc.id, []))]
    texts = [p for doc in docs for p in passages.get(doc.id, [])]
    findings = audit_cross.check_completeness(docs[0].kind, sources, docs[0].id)
    for k, source in enumerate(sources):
        findings += audit_tables.audit_table(source)
        findings += audit_carryover.check_balance_columns(source)
        findings += audit_self_evaluation.check_self_evaluation_scores(source)
        findings += audit_rate_columns.check_rate_columns(source)
        findings += audit_subsets.check_subset_parts(source)
        following = sources[k + 1] if k + 1 < len(sources) else None
        findings += audit_groups.check_inferred_groups(source, audit_groups.continues(
            source.table, following.table if following and following.doc == source.doc else None))
    findings += audit_cross.check_same_figures(sources)
    findings += audit_cross.check_unit_mislabels(sources)
    findings += audit_narrative.audit_narrative(texts, sources, tuple(d.publisher for d in docs))
    findings += audit_lists.check_parts_sum(texts)
    findings += audit_lists.check_change_parts(texts)
    findings += audit_restated_changes.check_restated_changes(texts)
    findings += audit_restated_items.check_restated_items(texts)
    findings += audit_project_funds.check_project_funds(texts, sources, docs[0].kind)
    findings += audit_assets.check_asset_thresholds(texts)
    findings += audit_small_business.check_small_business(texts)
    findings += audit_three_public_text.check_three_public_text(texts)
    findings += audit_carryover.check_stated_carryovers(texts, sources)
    findings += audit_carryover.check_carryover_explained(texts, sources)
    findings += audit_running_costs.check_running_costs(texts, sources)
    publishers = tuple(d.publisher for d in docs)
    findings += audit_prior_year.check_prior_year_changes(texts, docs[0].year, last_year or [],
                                                          publishers)
    if next_year and docs[0].year is not None:
        findings += audit_prior_year.check_prior_year_changes(next_year, docs[0].year + 1, texts,
                                                              publishers)
    findings += audit_labels.check_title_years(sources, docs[0].year)
    findings += audit_labels.check_title_bodies(sources, publishers)
    if code_names:
        findings += audit_labels.check_code_names(sources, code_names, docs[0].year)
    if contents:
        findings += audit_contents.check_contents(contents, sources, publishers)
    reviewed = reviewed or {}
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(f.id, replace(f, reviewed=reviewed.get(f.id)))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    ordered = sorted(unique.values(), key=lambda f: (order[f.severity], f.rule, f.id))
    return AuditReport(disclosure=docs[0].disclosure or docs[0].id,
                       docs=tuple(d.id for d in docs), kind=docs[0].kind,
                       tables=len(sources), passages=len(texts), findings=tuple(ordered))


def group_disclosures(docs: list[Document]) -> list[list[Document]]:
    """Documents grouped by disclosure key (a disclosure split over two files is one).

    A tables file published beside its narrative ("X-tables.pdf" next to "X.pdf", same
    year and kind) joins X's disclosure even when its own pages name no publisher, so
    its key fell back to its file name."""
    by_id = {doc.id: doc for doc in docs}
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        key = doc.disclosure or doc.id
        main = by_id.get(doc.id.removesuffix("-tables")) if doc.id.endswith("-tables") else None
        if main is not None and (main.year, main.kind) == (doc.year, doc.kind):
            key = main.disclosure or main.id
        groups.setdefault(key, []).append(doc)
    return [sorted(g, key=lambda d: d.id) for g in groups.values()]


def neighbour_disclosure(group: list[Document], groups: list[list[Document]], step: int = -1
                         ) -> list[Document]:
    """The same publisher's disclosure of the kind of `group` for the year before (step
    −1) or after (+1), among `groups` (group_disclosures), or [] when the corpus does not
    hold it. A disclosure key is "publisher|year|kind"; publisher and kind must match."""
    key = (group[0].disclosure or "").split("|")
    if len(key) != 3 or group[0].year is None:
        return []
    wanted = "|".join((key[0], str(group[0].year + step), key[2]))
    return next((g for g in groups if (g[0].disclosure or "") == wanted), [])


_NAMES = {ERROR: "处错误", UNIT_SLIP: "处元/万元错位", MISSING: "处缺表或空表",
          MINOR: "处末位小差异", ROUNDING: "处四舍五入差异"}


def summarise(reports: list[AuditReport], examples: int = 3) -> str:
    """A short Chinese answer to "这份预算的数字对得上吗？" from audit reports."""
    findings = [f for r in reports for f in r.open]
    tables = sum(r.tables for r in reports)
    if not findings:
        return f"核对了 {tables} 张表和说明中的数字，未发现对不上的地方。"
    counts = Counter(f.severity for f in findings)
    parts = "、".join(f"{counts[s]} {_NAMES[s]}" for s in SEVERITIES if counts[s])
    lines = [f"核对了 {tables} 张表和说明中的数字，发现 {parts}。"]
    serious = [f for f in findings if f.severity in (ERROR, UNIT_SLIP)] or findings
    for f in serious[:examples]:
        place = where(f.operands[0]) if f.operands else ""
        lines.append(f"· {f.message}" + (f"（{f.formula}）" if f.formula else "")
                     + (f"，见{place}" if place else ""))
    if not counts[ERROR] and not counts[UNIT_SLIP]:
        lines.append("没有实质性错误。")
    return "\n".join(lines)
