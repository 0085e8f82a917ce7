"""Scale: N generated budgets in one store; ingest throughput, store size, answer latency.

    python -m bench.scale [--quick]

The generator takes real parsed documents (ParsedDocument from read_document) and makes
variants: another publisher (a district and a department), another year, and every figure
scaled by one random factor per document, rounded to the places it was printed with. In
each table that reconciles in the original (calc.reconcile.reconcile_errors finds nothing),
the totals and parent rows are then re-derived from their parts with the reconciler's own
rules, so the generated table reconciles too; a table that does not reconcile in the
original is only scaled. Text passages are kept with the publisher and years replaced
(their amounts are not rescaled).

Generated documents are stored with Store.replace_document and their passages indexed in
the BM25-only passage index (embedder "none"). At each N (10, 100, 1000; quick 5, 20) the
store grows to N documents and we measure: store writes (documents/s, cells/s), passage
indexing, the SQLite file size, and the latency of a fixed question set asked of one
generated document at a time (the first question of a document, which loads its cells,
separately from warm answers).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bench.common import DEV_DOCS, LOCAL_CORPUS, ParseCache, bench_home, median, percentile
from budgetqa.domain import ParsedDocument, ParsedTable
# The reconciler's own rules (which rows a total or parent adds up), so that re-derived
# totals follow exactly what reconcile_table checks.
from calc.reconcile import _checks, _total_parts, reconcile_errors
from ingest.doc_facts import disclosure_key
from ingest.pdf_table_text import is_subset

DISTRICTS = ("上海市黄浦区", "上海市徐汇区", "上海市长宁区", "上海市静安区", "上海市虹口区",
             "上海市杨浦区", "上海市闵行区", "上海市宝山区", "上海市嘉定区", "上海市浦东新区",
             "上海市松江区", "上海市青浦区", "江苏省", "南京市", "苏州市", "无锡市", "杭州市",
             "宁波市", "绍兴市", "嘉兴市")
DEPARTMENTS = ("财政局", "司法局", "民政局", "教育局", "商务委员会", "卫生健康委员会",
               "规划和自然资源局", "生态环境局", "人力资源和社会保障局", "市场监督管理局",
               "文化和旅游局", "体育局", "统计局", "审计局", "机关事务管理局", "人民法院",
               "人民检察院", "人民代表大会常务委员会办公厅", "政务服务办公室", "街道办事处")
# Questions any budget can be asked: lookups, computations, narrative and a refusal.
QUESTIONS = (
    "一般公共服务支出是多少？",
    "基本支出是多少？",
    "项目支出占支出总计的比例是多少？",
    "“三公”经费合计是多少？",
    "机关运行经费比上年增长了多少？",
    "人员经费和公用经费合计是多少？",
    "部门主要职能是什么？",
    "本部门有多少名在职人员？",
)
FACTOR_RANGE = (0.5, 2.0)
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


# ---------------------------------------------------------------- the generator


def _places(printed: str) -> int:
    text = printed.replace(",", "").strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def _printed(value: Decimal, like: str) -> str:
    places = _places(like)
    return f"{value:,.{places}f}" if "," in like else f"{value:.{places}f}"


def scale_table(table: ParsedTable, factor: Decimal, rederive: bool) -> ParsedTable:
    """Every figure times `factor`, rounded to its printed places; with `rederive`, totals
    and parent rows are then set to the sum of their parts by the reconciler's rules."""
    rows = table.rows
    values: dict[tuple[int, str], Decimal] = {}
    for i, row in enumerate(rows):
        for cell in row.cells:
            if cell.value is not None and "%" not in cell.printed:
                quantum = Decimal(1).scaleb(-_places(cell.printed))
                values[(i, cell.column)] = (cell.value * factor).quantize(quantum, ROUND_HALF_UP)
    if rederive:
        plan = []
        for i, parts in _checks(table):
            children = [k for k, r in enumerate(rows)
                        if r.parent == i and not is_subset(r.label)] if parts is not None else []
            for cell in rows[i].cells:
                if (i, cell.column) in values:
                    plan.append((i, cell.column, children if parts is not None
                                 else _total_parts(rows, i, cell.column)))
        for _ in range(12):  # parents before totals, whatever order they are printed in
            changed = False
            for i, column, parts in plan:
                found = [values[(k, column)] for k in parts if (k, column) in values]
                if found and sum(found, Decimal(0)) != values[(i, column)]:
                    values[(i, column)] = sum(found, Decimal(0))
                    changed = True
            if not changed:
                break
    new_rows = []
    for i, row in enumerate(rows):
        cells = tuple(
            replace(c, value=values[(i, c.column)], printed=_printed(values[(i, c.column)],
                                                                     c.printed))
            if (i, c.column) in values else c for c in row.cells)
        new_rows.append(replace(row, cells=cells))
    return replace(table, rows=tuple(new_rows))


def generate(source: ParsedDocument, number: int, seed: int = 7) -> ParsedDocument:
    """The `number`-th variant of a real document: publisher, year and figures changed."""
    rng = random.Random(seed * 1_000_003 + number)
    old = source.document
    publisher = rng.choice(DISTRICTS) + rng.choice(DEPARTMENTS)
    year = rng.randint(2018, 2027)
    factor = Decimal(str(round(rng.uniform(*FACTOR_RANGE), 4)))
    shift = year - (old.year or year)

    def rewrite(text: str) -> str:
        if old.publisher:
            text = text.replace(old.publisher, publisher)
        if shift:
            text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift)
                                 if abs(int(m.group(1)) - (old.year or 0)) <= 1 else m.group(1),
                                 text)
        return text

    doc_id = f"gen{number:05d}-{old.id}"
    document = replace(old, id=doc_id, title=rewrite(old.title), publisher=publisher, year=year,
                       source_file=f"generated:{old.id}",
                       sha256=hashlib.sha256(doc_id.encode()).hexdigest(),
                       disclosure=disclosure_key(publisher, year, old.kind))
    tables = tuple(replace(scale_table(t, factor, rederive=not reconcile_errors(t)),
                           title=rewrite(t.title)) for t in source.tables)
    passages = tuple(replace(p, doc_id=doc_id, section=rewrite(p.section), text=rewrite(p.text))
                     for p in source.passages)
    return ParsedDocument(document=document, tables=tables, passages=passages,
                          warnings=source.warnings)


def reconcile_pattern(parsed: ParsedDocument) -> tuple[bool, ...]:
    """Which tables reconcile, in order: a generated document must match its source."""
    return tuple(not reconcile_errors(t) for t in parsed.tables)


# ---------------------------------------------------------------- measuring


def _bulk_index(index, docs: list[ParsedDocument]) -> None:
    """Add many documents' passages to the BM25-only index at once.

    PassageIndex.index re-reads and re-tokenizes the whole collection after every
    document (O(total passages) per call), so N=1000 through it would be quadratic; the
    public per-document cost at each N is measured separately in `run`.
    """
    from retrieval.index import _NO_VECTOR, _metadata

    passages = [(d.document, p) for d in docs for p in d.passages if p.text.strip()]
    for start in range(0, len(passages), 2000):
        batch = passages[start:start + 2000]
        index._collection.add(ids=[p.id for _, p in batch], documents=[p.text for _, p in batch],
                              embeddings=[_NO_VECTOR for _ in batch],
                              metadatas=[_metadata(d, p) for d, p in batch])
    index._load()


def _sqlite_bytes(store, home: Path) -> int:
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in home.glob("budgetqa.sqlite*"))


def _folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(quick: bool = False, cache: ParseCache | None = None, steps: list[int] | None = None,
        sample_docs: int | None = None, reps: int | None = None,
        sources: list[str] | None = None) -> dict:
    from budgetqa.pipeline import BudgetQA
    from retrieval.index import PassageIndex
    from store.store import Store

    cache = cache or ParseCache()
    steps = steps or ([5, 20] if quick else [10, 100, 1000])
    reps = reps or (1 if quick else 2)
    if sources is None:
        sources = list(DEV_DOCS[:2]) if quick else sorted(p.stem for p in LOCAL_CORPUS.iterdir()
                                                        if p.suffix in (".pdf", ".md"))
    originals = [cache.get(s) for s in sources]
    patterns = {o.document.id: reconcile_pattern(o) for o in originals}
    out: dict = {"sources": sources, "questions": list(QUESTIONS), "steps": [], "reps": reps,
                 "reconcile": {"documents": 0, "tables": 0, "reconciled": 0, "same_as_source": 0}}
    with bench_home("none", "budgetqa-bench-scale-") as home:
        store = Store(f"sqlite:///{home / 'budgetqa.sqlite'}")
        index = PassageIndex(home, None)
        made = 0
        all_ids: list[str] = []
        for n in steps:
            start = time.perf_counter()
            fresh = [generate(originals[k % len(originals)], k) for k in range(made, n)]
            generate_s = time.perf_counter() - start
            start = time.perf_counter()
            for parsed in fresh:
                pattern = reconcile_pattern(parsed)
                source_id = parsed.document.source_file.split(":", 1)[1]
                rec = out["reconcile"]
                rec["documents"] += 1
                rec["tables"] += len(pattern)
                rec["reconciled"] += sum(pattern)
                rec["same_as_source"] += pattern == patterns[source_id]
            check_s = time.perf_counter() - start
            start = time.perf_counter()
            for parsed in fresh:
                store.replace_document(parsed)
            store_s = time.perf_counter() - start
            start = time.perf_counter()
            _bulk_index(index, fresh)
            index_s = time.perf_counter() - start
            made = n
            all_ids += [p.document.id for p in fresh]
            cells = sum(len(r.cells) for p in fresh for t in p.tables for r in t.rows)
            # The public per-document passage indexing at this N (re-indexing a stored one).
            public = []
            for parsed in fresh[:2 if n <= 100 else 1]:  # seconds each at N=1000
                start = time.perf_counter()
                index.index(parsed.document, list(parsed.passages))
                public.append(time.perf_counter() - start)
            sqlite_bytes = _sqlite_bytes(store, home)
            step = {"n": n, "new_documents": len(fresh), "generate_s": generate_s,
                    "reconcile_check_s": check_s, "store_s": store_s,
                    "store_docs_per_s": len(fresh) / store_s, "store_cells_per_s": cells / store_s,
                    "cells": cells, "bulk_index_s": index_s,
                    "public_index_doc_s": median(public),
                    "sqlite_bytes": sqlite_bytes, "sqlite_bytes_per_doc": sqlite_bytes / n,
                    "chroma_bytes": _folder_bytes(home / "chroma")}
            # Answer latency, one generated document at a time, through a fresh BudgetQA.
            app = BudgetQA(store, index)
            rng = random.Random(n)
            wanted = sample_docs or (3 if quick else (5 if n >= 1000 else 8))
            sample = rng.sample(all_ids, min(wanted, len(all_ids)))
            first, warm, routes = [], [], {}
            app.ask(QUESTIONS[0], sample[0])  # builds the router and tokenizer once
            for doc_id in sample:
                for q_pos, question in enumerate(QUESTIONS):
                    start = time.perf_counter()
                    answer = app.ask(question, doc_id)
                    (first if q_pos == 0 else warm).append(time.perf_counter() - start)
                    routes[answer.route] = routes.get(answer.route, 0) + 1
                for _ in range(reps):
                    for question in QUESTIONS:
                        start = time.perf_counter()
                        app.ask(question, doc_id)
                        warm.append(time.perf_counter() - start)
            # Two per-question costs that depend on N, not on the document asked about.
            listing, search = [], []
            for doc_id in sample:
                start = time.perf_counter()
                store.documents()
                listing.append(time.perf_counter() - start)
                start = time.perf_counter()
                index.search(QUESTIONS[6], k=8, doc_ids=[doc_id])
                search.append(time.perf_counter() - start)
            step.update({"list_documents_ms": 1000 * median(listing),
                         "passage_search_ms": 1000 * median(search)})
            step.update({"latency_docs": len(sample), "first_question_ms_median":
                         1000 * median(first), "warm_ms_median": 1000 * median(warm),
                         "warm_ms_p95": 1000 * percentile(warm, .95), "warm_answers": len(warm),
                         "routes": routes})
            out["steps"].append(step)
            print(f"[scale] N={n}: store {store_s:.1f}s, warm median "
                  f"{step['warm_ms_median']:.1f} ms", file=sys.stderr)
    return out


def markdown(result: dict) -> str:
    steps = result["steps"]
    base = steps[0]
    lines = [
        "| N documents | store writes | cells/s | passage index (bulk) | one more document "
        "through PassageIndex.index | SQLite file | per document | first question of a "
        "document, median | warm answer, median / p95 | warm median vs N=" f"{base['n']} | "
        "store.documents() | passage search in one document |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in steps:
        lines.append(
            f"| {s['n']} | {s['store_docs_per_s']:.1f} docs/s | {s['store_cells_per_s']:.0f} | "
            f"{s['bulk_index_s']:.1f} s for {s['new_documents']} docs | "
            f"{s['public_index_doc_s'] * 1000:.0f} ms | {s['sqlite_bytes'] / 1e6:.1f} MB | "
            f"{s['sqlite_bytes_per_doc'] / 1e3:.0f} kB | {s['first_question_ms_median']:.0f} ms | "
            f"{s['warm_ms_median']:.1f} / {s['warm_ms_p95']:.1f} ms | "
            f"×{s['warm_ms_median'] / base['warm_ms_median']:.2f} | "
            f"{s['list_documents_ms']:.1f} ms | {s['passage_search_ms']:.1f} ms |")
    rec = result["reconcile"]
    routes = {}
    for s in steps:
        for route, count in s["routes"].items():
            routes[route] = routes.get(route, 0) + count
    lines += ["", f"Generated from {len(result['sources'])} real documents "
              f"({', '.join(result['sources'])}). Reconcile: {rec['reconciled']} of "
              f"{rec['tables']} generated tables add up; {rec['same_as_source']} of "
              f"{rec['documents']} generated documents have exactly the pass/fail pattern of "
              f"their source document. Latency sample: {steps[-1]['latency_docs']} documents at "
              f"the largest N, {len(result['questions'])} questions each, {result['reps']} warm "
              f"repetitions; routes taken: "
              + ", ".join(f"{k} {v}" for k, v in sorted(routes.items())) + "."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 5, 20")
    args = parser.parse_args(argv)
    print(markdown(run(args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
