"""Cross-document answers: warm latency over an ingested corpus and over N generated documents.

    python -m bench.across --home HOME [--n 1000] [--reps 20]

HOME is a BUDGETQA_HOME where the shared corpus is ingested (`budgetqa ingest ../shared/corpus`).
The generated store is made as bench.scale makes its own (real documents varied in publisher,
year and figures, stored with Store.replace_document, which computes their measures). Each
question is asked once cold (the catalogue of disclosures and measures is built), then `reps`
times warm; medians and p95 are reported side by side, with their ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.common import ParseCache, bench_home, median, percentile

CORPUS_QUESTIONS = (
    "2026年各部门三公经费排名",
    "普陀区各部门人员经费哪个最多",
    "江苏省高院2017到2019年三公经费怎么变的",
    "和去年比，哪些部门项目支出减少了",
    "2019年江苏省级部门三公经费合计是多少",
    "2024年决算各部门基本支出排名",
    "2019年江苏省级部门人员经费占基本支出比重排名",
    "2026年各部门政府采购平均是多少",
)
GENERATED_QUESTIONS = (
    "2025年各部门三公经费排名",
    "上海市黄浦区各部门人员经费哪个最多",
    "2024年各部门项目支出合计是多少",
    "和去年比，哪些部门项目支出减少了",
    "2026年各部门公务接待费占比",
    "2023年各部门人员经费占基本支出比重排名",
    "2025年决算各部门基本支出排名",
    "2024年各部门机关运行经费排名",
)
SOURCES = ("putuo-wanli-subdistrict-2024-dept-budget", "jiangsu-high-court-2018-dept-budget",
           "shaoxing-gov-service-office-2024-dept-budget")


def timed(answerer, questions, reps: int) -> dict:
    """Cold time of the first question, then warm times of every question `reps` times."""
    start = time.perf_counter()
    first = answerer.answer(questions[0])
    cold = time.perf_counter() - start
    warm, routes = [], {}
    for _ in range(reps):
        for question in questions:
            start = time.perf_counter()
            answer = answerer.answer(question)
            warm.append(time.perf_counter() - start)
            route = "declined" if answer is None else answer.route
            routes[route] = routes.get(route, 0) + 1
    return {"cold_ms": cold * 1000, "warm_median_ms": median(warm) * 1000,
            "warm_p95_ms": percentile(warm, 0.95) * 1000, "answers": len(warm),
            "routes": routes, "first_route": None if first is None else first.route}


def corpus(home: Path, reps: int) -> dict:
    from qa.across import AcrossAnswerer
    from store.store import Store

    store = Store(f"sqlite:///{home / 'budgetqa.sqlite'}")
    result = timed(AcrossAnswerer(store), CORPUS_QUESTIONS, reps)
    result["documents"] = len(store.documents())
    return result


def generated(n: int, reps: int) -> dict:
    from bench.scale import generate
    from qa.across import AcrossAnswerer
    from store.store import Store

    cache = ParseCache()
    originals = [cache.get(s) for s in SOURCES]
    with bench_home("none", "budgetqa-bench-across-") as home:
        store = Store(f"sqlite:///{home / 'budgetqa.sqlite'}")
        start = time.perf_counter()
        for k in range(n):
            store.replace_document(generate(originals[k % len(originals)], k))
        stored = time.perf_counter() - start
        result = timed(AcrossAnswerer(store), GENERATED_QUESTIONS, reps)
        result.update(documents=n, store_s=stored)
    return result


def markdown(result: dict) -> str:
    c, g = result["corpus"], result["generated"]
    return "\n".join([
        "## Cross-document answers",
        "",
        f"`python -m bench.across --home HOME --n {g['documents']} --reps {result['reps']}` on "
        "a shared 2-core machine (other agents ran meanwhile): medians and p95 of warm "
        "answers, each of 8 questions asked "
        f"{result['reps']} times after one cold question that builds the catalogue.",
        "",
        "| store | documents | cold first question | warm median | warm p95 | answers | routes |",
        "|---|---|---|---|---|---|---|",
        f"| shared corpus | {c['documents']} | {c['cold_ms']:.0f} ms | "
        f"{c['warm_median_ms']:.1f} ms | {c['warm_p95_ms']:.1f} ms | {c['answers']} | "
        f"{c['routes']} |",
        f"| generated | {g['documents']} | {g['cold_ms']:.0f} ms | {g['warm_median_ms']:.1f} ms "
        f"| {g['warm_p95_ms']:.1f} ms | {g['answers']} | {g['routes']} |",
        "",
        f"Warm median ×{g['warm_median_ms'] / c['warm_median_ms']:.1f} from the corpus to "
        f"N={g['documents']}; storing the {g['documents']} generated documents (with their "
        f"measures) took {g['store_s']:.0f} s.",
        ""])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="home with the corpus ingested")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args(argv)
    result = {"reps": args.reps, "corpus": corpus(args.home, args.reps),
              "generated": generated(args.n, args.reps)}
    print(json.dumps(result, ensure_ascii=False, indent=1), file=sys.stderr)
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
