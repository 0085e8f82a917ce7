"""A plain RAG baseline on the gold questions: flattened text, chunks, BM25, nearest number.

    python -m bench.baseline [--quick]

What a user of a generic retrieval product gets, with no language model:

1. the document's text as pdfplumber's `extract_text` gives it, page by page (tables
   flattened to lines of text); for a .md file, its text;
2. cut into chunks of about CHUNK_CHARS characters at line ends, CHUNK_OVERLAP characters
   of overlap;
3. the chunks of the question's document ranked with the project's BM25
   (retrieval.bm25: jieba tokens with the budget vocabulary);
4. (a) "gold in top-5": does the gold value (or an alt_value) appear as a number in the
   top 5 chunks, printed with or without thousands separators (numbers compared as
   decimals, so 3873.2 matches 3873.20; small integers therefore match generously);
   (b) "extractor": the number nearest to one of the question's key words in the top
   chunk is the answer, scored by qa.evaluation.score like BudgetQA's answers (the top
   chunk is its citation and its answer text). The baseline never refuses, so `none`
   cases fail, and a computed figure (share, ratio, growth, sum, diff) can only be right
   when the document prints it.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bench.common import corpus_file, gold_files
from qa.evaluation import load_gold, score
from retrieval.bm25 import BM25, tokenize

CHUNK_CHARS = 500
CHUNK_OVERLAP = 100
TOP_K = 5
COMPUTED = ("share", "ratio", "growth", "sum", "diff", "derive")

# A printed number: with thousands separators, or plain; an optional percent sign.
_NUMBER = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
# 科目编码 (201, 20101, 2010101) and years are not answers.
_CODE = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
_YEAR = re.compile(r"^(19|20)\d{2}$")


def document_text(path: Path) -> str:
    """The text a generic product indexes: extract_text of each page, or the file's text."""
    if path.suffix.lower() == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    return path.read_text(encoding="utf-8")


def chunk(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[str]:
    """Cut text into chunks of about `size` characters at line ends, overlapping by whole lines."""
    lines = [line for line in text.splitlines() if line.strip()]
    chunks: list[str] = []
    current: list[str] = []
    for line in lines:
        while len(line) > size:  # a single very long line is cut hard
            lines_head, line = line[:size], line[size:]
            if current:
                chunks.append("\n".join(current))
                current = []
            chunks.append(lines_head)
        if current and sum(len(x) + 1 for x in current) + len(line) > size:
            chunks.append("\n".join(current))
            kept: list[str] = []
            for previous in reversed(current):
                if sum(len(x) + 1 for x in kept) + len(previous) > overlap:
                    break
                kept.insert(0, previous)
            current = kept
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def numbers(text: str) -> list[tuple[int, int, Decimal]]:
    """(start, end, value) of every printed number in text; percents lose their sign."""
    out = []
    for match in _NUMBER.finditer(text):
        token = match.group().rstrip("%").replace(",", "")
        try:
            out.append((match.start(), match.end(), Decimal(token)))
        except InvalidOperation:
            continue
    return out


def accepted_values(case: dict) -> list[Decimal]:
    values = [case.get("value")] + [a.get("value") for a in case.get("alt_values") or []]
    out = []
    for v in values:
        try:
            out.append(Decimal(str(v)))
        except (InvalidOperation, TypeError):
            continue
    return out


def gold_in(chunks: list[str], case: dict) -> bool:
    """Whether a gold value is printed in any of the chunks."""
    wanted = accepted_values(case)
    return any(value == w for text in chunks for _, _, value in numbers(text) for w in wanted)


def keywords(question: str) -> list[str]:
    """The question's words a reader would look for: multi-character, not numbers."""
    return sorted({t for t in tokenize(question) if len(t) > 1 and not re.search(r"\d", t)},
                  key=len, reverse=True)


def nearest_number(text: str, words: list[str]) -> Decimal | None:
    """The number closest to a key word in text; a number after its word is preferred
    (labels come before their figures in sentences and table rows)."""
    norm = unicodedata.normalize("NFKC", text).lower()
    spots = [(m.start(), m.start() + len(w)) for w in words for m in re.finditer(re.escape(w), norm)]
    best, best_distance = None, None
    for start, end, value in numbers(norm):
        token = norm[start:end].rstrip("%").replace(",", "")
        if _YEAR.match(token) or _CODE.match(token):
            continue
        if not spots:
            return value  # no key word at all: the first number is as good as any
        distance = min((start - w_end) if start >= w_end else 2 * (w_start - end)
                       for w_start, w_end in spots)
        if best_distance is None or distance < best_distance:
            best, best_distance = value, distance
    return best


class ChunkIndex:
    """The chunks of one document and their BM25."""

    def __init__(self, text: str):
        self.chunks = chunk(text)
        self.bm25 = BM25([tokenize(c) for c in self.chunks])

    def top(self, question: str, k: int = TOP_K) -> list[str]:
        return [self.chunks[i] for i, _ in self.bm25.top(tokenize(question), k)]


def baseline_answer(case: dict, top: list[str]) -> dict:
    """The answer a reader takes from the retrieved chunks, in the answer-contract shape."""
    first = top[0] if top else ""
    value = nearest_number(first, keywords(case["question"])) if first else None
    numeric = case.get("value") is not None or case.get("none")
    route = "lookup" if numeric and value is not None else "text"
    return {"route": route, "value": None if value is None or route == "text" else str(value),
            "answer": first, "citations": [{"kind": "passage", "text": first}] if first else []}


def run(quick: bool = False, limit: int | None = None, docs: list[str] | None = None) -> dict:
    """Score the baseline on the gold sets (dev only in quick mode)."""
    files = gold_files()
    sets = {"dev": files["dev"]} if quick else files
    cases = {name: load_gold(paths) for name, paths in sets.items()}
    if docs is not None:
        cases = {n: [c for c in group if c.get("doc") in docs] for n, group in cases.items()}
    if limit:
        cases = {n: group[:limit] for n, group in cases.items()}
    indexes: dict[str, ChunkIndex] = {}
    out: dict = {"chunk_chars": CHUNK_CHARS, "overlap": CHUNK_OVERLAP, "top_k": TOP_K,
                 "cases": {}, "chunks": 0}
    for name, group in cases.items():
        for case in group:
            doc_id = case["doc"]
            if doc_id not in indexes:
                indexes[doc_id] = ChunkIndex(document_text(corpus_file(doc_id)))
            top = indexes[doc_id].top(case["question"])
            verdict = score(case, baseline_answer(case, top))
            out["cases"][case["id"]] = {
                "set": name, "category": case.get("category", "?"),
                "has_value": case.get("value") is not None and not case.get("none"),
                "gold_in_top5": gold_in(top, case) if case.get("value") is not None else None,
                "passed": verdict.passed}
    out["chunks"] = sum(len(i.chunks) for i in indexes.values())
    out["documents"] = len(indexes)
    print(f"[baseline] {len(out['cases'])} questions, {out['chunks']} chunks", file=sys.stderr)
    return out


def comparison(baseline: dict, accuracy: dict | None = None) -> dict:
    """Per category: questions, gold-in-top-5 rate, baseline and BudgetQA accuracy."""
    rows: dict[str, dict] = defaultdict(lambda: {"n": 0, "valued": 0, "in_top5": 0,
                                                 "baseline": 0, "budgetqa": 0, "scored": 0})
    passed_ids = set()
    scored_ids = set()
    if accuracy:
        failed = {f["id"] for summary in accuracy["sets"].values() for f in summary["failures"]}
        scored_ids = set(accuracy["answers"])
        passed_ids = scored_ids - failed
    for case_id, c in baseline["cases"].items():
        for key in (c["category"], "all"):
            row = rows[key]
            row["n"] += 1
            if c["gold_in_top5"] is not None:
                row["valued"] += 1
                row["in_top5"] += c["gold_in_top5"]
            row["baseline"] += c["passed"]
            if case_id in scored_ids:
                row["scored"] += 1
                row["budgetqa"] += case_id in passed_ids
    return dict(sorted(rows.items(), key=lambda kv: (kv[0] == "all", kv[0])))


def markdown(baseline: dict, accuracy: dict | None = None) -> str:
    def pct(part: int, whole: int) -> str:
        return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"

    lines = ["| category | questions | gold figure in top-5 chunks | baseline extractor | "
             "BudgetQA |", "|---|---|---|---|---|"]
    for category, row in comparison(baseline, accuracy).items():
        label = "**all**" if category == "all" else category
        if category in COMPUTED:
            label += " (computed)"
        lines.append(f"| {label} | {row['n']} | {pct(row['in_top5'], row['valued'])} | "
                     f"{pct(row['baseline'], row['n'])} | {pct(row['budgetqa'], row['scored'])} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the dev set only")
    args = parser.parse_args(argv)
    print(markdown(run(args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
