"""Shared pieces of the benchmarks: gold files, corpus files, a temporary home, parse cache, stats.

Every benchmark runs against a temporary BUDGETQA_HOME (never data/store) made by
`bench_home`, and parses each corpus file at most once per run through `ParseCache`.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from budgetqa.domain import ParsedDocument

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = Path("/work/shared/corpus")
LOCAL_CORPUS = ROOT / "data" / "corpus"
EVAL_DIR = Path("/work/shared/eval")
OWN_DIR = ROOT / "tests" / "questions"
# The three documents of the development gold set: the quick mode works on these.
DEV_DOCS = ("shaoxing-gov-service-office-2024-dept-budget",
            "putuo-wanli-subdistrict-2024-dept-budget",
            "jiangsu-high-court-2019-dept-budget")


def gold_files(eval_dir: Path = EVAL_DIR, own_dir: Path = OWN_DIR) -> dict[str, list[Path]]:
    """Gold question files by set: "dev" (../shared/eval) and "own" (tests/questions).

    retrieval_*.jsonl files hold passage-retrieval cases in another format and are left out.
    """
    return {"dev": sorted(Path(eval_dir).glob("*.jsonl")),
            "own": sorted(p for p in Path(own_dir).glob("*.jsonl")
                          if not p.name.startswith("retrieval_"))}


def corpus_file(doc_id: str, dirs: Sequence[Path] = (SHARED_CORPUS, LOCAL_CORPUS)) -> Path:
    """The disclosure file whose stem is `doc_id`. Raises FileNotFoundError."""
    for folder in dirs:
        hits = sorted(p for p in Path(folder).rglob(f"{doc_id}.*")
                      if p.suffix.lower() in (".pdf", ".md", ".txt"))
        if hits:
            return hits[0]
    raise FileNotFoundError(f"no corpus file for {doc_id} under {', '.join(map(str, dirs))}")


@contextmanager
def bench_home(embedder: str = "none", prefix: str = "budgetqa-bench-") -> Iterator[Path]:
    """A fresh temporary BUDGETQA_HOME with BUDGETQA_EMBEDDER set; both restored afterwards
    and the folder removed."""
    env = {"BUDGETQA_HOME": tempfile.mkdtemp(prefix=prefix), "BUDGETQA_EMBEDDER": embedder}
    saved = {k: os.environ.get(k) for k in (*env, "BUDGETQA_DB_URL")}
    os.environ.update(env)
    os.environ.pop("BUDGETQA_DB_URL", None)  # the store must live in the temporary home
    try:
        yield Path(env["BUDGETQA_HOME"])
    finally:
        shutil.rmtree(env["BUDGETQA_HOME"], ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class ParseCache:
    """Parses each file once per run and remembers how long the parse took (wall seconds)."""

    parsed: dict[str, ParsedDocument] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def get(self, doc_id: str) -> ParsedDocument:
        if doc_id not in self.parsed:
            from ingest.reader import read_document

            path = corpus_file(doc_id)
            start = time.perf_counter()
            self.parsed[doc_id] = read_document(path)
            self.seconds[doc_id] = time.perf_counter() - start
        return self.parsed[doc_id]


def open_app(home: Path, embedder: str = "none"):
    """A BudgetQA over the store and passage index of `home` (SQLite file in the home)."""
    from budgetqa.pipeline import BudgetQA
    from retrieval.embedders import make_embedder
    from retrieval.index import PassageIndex
    from store.store import Store

    store = Store(f"sqlite:///{home / 'budgetqa.sqlite'}")
    return BudgetQA(store, PassageIndex(home, make_embedder(embedder)))


def ingest_parsed(app, parsed: ParsedDocument) -> dict[str, float]:
    """What BudgetQA.ingest_file does after parsing: index the passages, then store the tables.

    Returns the seconds of each step. Use a fresh BudgetQA (or ingest before the first
    question) so the router sees the new document.
    """
    start = time.perf_counter()
    app.index.index(parsed.document, list(parsed.passages))
    indexed = time.perf_counter()
    app.store.replace_document(parsed)
    return {"index": indexed - start, "store": time.perf_counter() - indexed}


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile by nearest rank (q=0.95 for p95); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def machine() -> dict:
    """What the figures were measured on."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                                capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    try:
        # Colleagues work in the same tree: say how many of their files were modified.
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                cwd=ROOT, text=True, capture_output=True, timeout=10).stdout
        dirty = sum(1 for line in status.splitlines() if line[3:].strip()
                    and not line[3:].startswith(("bench/", "BENCHMARKS.md", "tests/test_bench")))
    except (OSError, subprocess.SubprocessError):
        dirty = 0
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    return {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(terse=True), "commit": commit, "dirty_files": dirty,
            "load_at_start": round(load, 2), "executable": sys.executable}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"
