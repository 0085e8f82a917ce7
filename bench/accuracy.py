"""Accuracy of the default configuration on the gold questions, per set and category.

    python -m bench.accuracy [--quick]

Sets: "dev" (../shared/eval/*.jsonl) and "own" (tests/questions/*.jsonl without
retrieval_*). Each document is parsed once, stored in a temporary home with the BM25-only
passage index (BUDGETQA_EMBEDDER=none) and every question is asked in one process and
scored by qa.evaluation.score, the rules of ../shared/eval/README.md. Quick mode: the dev
set only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.common import ParseCache, bench_home, gold_files, ingest_parsed, open_app
from budgetqa.errors import BudgetQAError
from qa.evaluation import load_gold, score, summarise


def run(quick: bool = False, cache: ParseCache | None = None, limit: int | None = None,
        docs: list[str] | None = None) -> dict:
    """Ask every gold question; returns per-set summaries, failures and the answers.

    `docs` keeps the questions about those documents and `limit` the first cases of each
    set (both for tests).
    """
    cache = cache or ParseCache()
    files = gold_files()
    sets = {"dev": files["dev"]} if quick else files
    cases = {name: [c for c in load_gold(paths) if docs is None or c.get("doc") in docs]
             for name, paths in sets.items()}
    if limit:
        cases = {name: group[:limit] for name, group in cases.items()}
    docs = sorted({c["doc"] for group in cases.values() for c in group if c.get("doc")})
    out: dict = {"embedder": "none", "documents": len(docs), "sets": {}, "answers": {}}
    with bench_home("none", "budgetqa-bench-accuracy-") as home:
        app = open_app(home, "none")
        for doc_id in docs:
            ingest_parsed(app, cache.get(doc_id))
        app = open_app(home, "none")  # a fresh router over everything ingested
        for name, group in cases.items():
            verdicts = []
            start = time.perf_counter()
            for case in group:
                try:
                    answer = app.ask(case["question"], case.get("doc")).to_json()
                except BudgetQAError as exc:
                    answer = {"route": "error", "value": None, "answer": exc.message,
                              "citations": []}
                out["answers"][case["id"]] = answer
                verdicts.append(score(case, answer))
            summary = summarise(verdicts)
            summary["seconds"] = time.perf_counter() - start
            summary["failures"] = [{"id": v.case.get("id"), "category": v.case.get("category"),
                                    "reasons": list(v.reasons)} for v in verdicts if not v.passed]
            out["sets"][name] = summary
            print(f"[accuracy] {name}: {summary['overall']['passed']}/"
                  f"{summary['overall']['total']}", file=sys.stderr)
    return out


def markdown(result: dict) -> str:
    """Per-category accuracy, one column per set."""
    names = list(result["sets"])
    categories = sorted({c for s in result["sets"].values() for c in s["categories"]})
    lines = ["| category | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def cell(summary: dict | None) -> str:
        if not summary:
            return "–"
        return f"{summary['passed']}/{summary['total']} ({summary['accuracy']:.0%})"

    for category in categories:
        lines.append(f"| {category} | " + " | ".join(
            cell(result["sets"][n]["categories"].get(category)) for n in names) + " |")
    lines.append("| **overall** | " + " | ".join(
        f"**{cell(result['sets'][n]['overall'])}**" for n in names) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the dev set only")
    parser.add_argument("--out", help="also write the result as JSON to this file")
    args = parser.parse_args(argv)
    result = run(args.quick)
    print(markdown(result))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
