"""Page images rendered by a bounded pool of workers, each render under a time limit.

Rendering a page costs a CPU for a fraction of a second; many at once would starve answers. At
most RENDER_WORKERS renders run and RENDER_QUEUE more wait; beyond that, and for a render over
RENDER_SECONDS, the request gets 503 busy with Retry-After instead of a stalled server.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout

from budgetqa.errors import Busy

RENDER_WORKERS = 2
RENDER_QUEUE = 8
RENDER_SECONDS = 20.0


class RenderPool:
    """Runs render calls on a few threads; refuses work when every slot is taken."""

    def __init__(self, workers: int = RENDER_WORKERS, queue: int = RENDER_QUEUE,
                 seconds: float = RENDER_SECONDS):
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="budgetqa-render")
        self._slots = threading.BoundedSemaphore(workers + queue)
        self.seconds = seconds

    def run(self, render, *args, **kwargs) -> bytes:
        """`render(*args, **kwargs)` in the pool; raises Busy when the pool is full or the
        render takes longer than the time limit (its slot is freed when it ends)."""
        if not self._slots.acquire(blocking=False):
            raise Busy("too many page images are being drawn right now; try again in a moment",
                       retry_after=2)
        try:
            future = self._executor.submit(render, *args, **kwargs)
        except RuntimeError:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        try:
            return future.result(timeout=self.seconds)
        except FutureTimeout as exc:
            raise Busy(f"drawing the page took longer than {self.seconds:g} s; try again later",
                       retry_after=10) from exc

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
