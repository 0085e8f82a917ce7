"""Background jobs with progress: an ingest runs apart from the request that asked for it.

A job runs on one worker thread (ingests are one at a time anyway), tells its stage as it
goes, and keeps its result for whoever polls it. Only the newest jobs are kept.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from budgetqa.errors import BudgetQAError, NotFound, redact

KEEP_JOBS = 200


@dataclass
class Job:
    """One piece of background work: queued → running (stage …) → done or failed.

    `progress` gathers the counts the work has told so far (an ingest: pages_done of pages
    while reading, then tables, passages, cells), and keeps them once the job ends.
    """

    id: str
    name: str
    status: str = "queued"
    stage: str = ""
    progress: dict = field(default_factory=dict)
    result: dict = field(default_factory=dict)
    error: str = ""
    created: float = field(default_factory=time.time)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "stage": self.stage,
                "progress": dict(self.progress), "result": self.result or None,
                "error": self.error or None}


class JobQueue:
    """Runs submitted work in the background, one job at a time, and remembers its outcome."""

    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="budgetqa-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def submit(self, name: str, work) -> Job:
        """Queue `work(progress) -> (ok, result dict)`; `progress(stage, counts)` updates the job."""
        job = Job(id=uuid.uuid4().hex, name=name)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._executor.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work) -> None:
        job.status = "running"

        def progress(stage: str, counts: dict | None = None) -> None:
            job.stage = stage
            # Replaced whole, never changed in place: a poll reads one consistent set.
            job.progress = {**job.progress, **(counts or {})}

        try:
            ok, job.result = work(progress)
            job.status = "done" if ok else "failed"
            job.error = "" if ok else job.result.get("error") or "failed"
        except BudgetQAError as exc:
            job.status, job.error = "failed", redact(exc.message)
        except Exception as exc:  # a bug must still end the job with a sentence
            job.status, job.error = "failed", f"internal error: {exc.__class__.__name__}"
        job.stage = ""

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound("unknown job id; jobs are kept for a while after they end",
                           job=job_id[:64])
        return job

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
