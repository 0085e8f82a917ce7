"""Retrieval: passage embeddings in chromadb mixed with jieba BM25."""
