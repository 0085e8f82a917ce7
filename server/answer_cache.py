"""Answers the API has already given, kept for the same question on the same documents.

A public portal hears the same questions again and again (its suggested questions are clicked
by every visitor). Computing an answer costs milliseconds to a fifth of a second of the one
interpreter the server has; returning a kept one costs microseconds, and it is served on the
event loop without taking an answer slot or a worker thread.

A kept answer is the one the router gave for exactly that question text (as checked by
budgetqa.limits), previous question and document id. Its key holds the document-set
generation: every finished ingest moves the generation on, so no answer computed before it is
found again (an answer being computed across the change is kept under the old generation,
where nobody looks). Errors are never kept. At most BUDGETQA_ANSWER_CACHE answers are kept,
the least recently asked dropped first; 0 keeps none.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from server.models import AnswerModel


@dataclass(frozen=True)
class KeptAnswer:
    """An answer as `/api/ask` sends it (the body, serialised once) and as a dict for the
    NDJSON stream."""

    body: bytes
    answer: dict


def serialise(answer: dict) -> bytes:
    """The reply body of `/api/ask` for `answer`, exactly as FastAPI sends a dict through the
    route's response model (validated, unset fields left out, field aliases, compact JSON)."""
    shaped = AnswerModel.model_validate(answer).model_dump(mode="json", by_alias=True,
                                                           exclude_unset=True)
    return json.dumps(shaped, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


class AnswerCache:
    """A bounded, thread-safe map (generation, store generation, doc, question, previous) →
    KeptAnswer. The store generation is the one every process shares (store.Store), so an
    answer kept before another process's ingest is not found again."""

    def __init__(self, size: int):
        self.size = size
        self.generation = 0
        self._kept: OrderedDict[tuple, KeptAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, question: str, doc: str | None, previous: str | None,
            store_generation: int | None = None) -> tuple:
        """The key of a checked question, taken before its answer is computed."""
        return (self.generation, store_generation, doc, question, previous)

    def get(self, key: tuple) -> KeptAnswer | None:
        if not self.size:
            return None
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def put(self, key: tuple, answer: dict) -> KeptAnswer:
        """Keep `answer` (unless the cache is off) and return it with its serialised body."""
        kept = KeptAnswer(serialise(answer), answer)
        if self.size and key[0] == self.generation:
            with self._lock:
                self._kept[key] = kept
                self._kept.move_to_end(key)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return kept

    def documents_changed(self) -> None:
        """An ingest ended: answers computed before it may be wrong now."""
        with self._lock:
            self.generation += 1
            self._kept.clear()
