"""Background jobs with progress: an ingest runs apart from the request that asked for it.

A job runs on one worker thread (ingests are one at a time anyway), tells its stage as it
goes, and keeps its result for whoever polls it. Only the newest jobs are kept.

Given a folder (the API's is $BUDGETQA_HOME/jobs), each job's state is also written there
as it changes, so any API process on the machine answers a poll: with several uvicorn
workers, the upload and its polls land on whichever process the connection reached. A job
whose process has stopped (killed, restarted) is reported failed instead of running forever.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

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
    pid: int = field(default_factory=os.getpid)  # the process that runs it

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "status": self.status, "stage": self.stage,
                "progress": dict(self.progress), "result": self.result or None,
                "error": self.error or None}


_JOB_ID = re.compile(r"[0-9a-f]{32}")


class JobQueue:
    """Runs submitted work in the background, one job at a time, and remembers its outcome
    (in memory, and in `folder` when given, for the other processes sharing it)."""

    def __init__(self, folder: Path | None = None):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="budgetqa-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._folder = Path(folder) if folder is not None else None
        if self._folder is not None:
            self._folder.mkdir(parents=True, exist_ok=True)

    def submit(self, name: str, work) -> Job:
        """Queue `work(progress) -> (ok, result dict)`; `progress(stage, counts)` updates the job."""
        job = Job(id=uuid.uuid4().hex, name=name)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._save(job)
        self._prune()
        self._executor.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work) -> None:
        job.status = "running"
        self._save(job)

        def progress(stage: str, counts: dict | None = None) -> None:
            job.stage = stage
            # Replaced whole, never changed in place: a poll reads one consistent set.
            job.progress = {**job.progress, **(counts or {})}
            self._save(job)

        try:
            ok, job.result = work(progress)
            job.status = "done" if ok else "failed"
            job.error = "" if ok else job.result.get("error") or "failed"
        except BudgetQAError as exc:
            job.status, job.error = "failed", redact(exc.message)
        except Exception as exc:  # a bug must still end the job with a sentence
            job.status, job.error = "failed", f"internal error: {exc.__class__.__name__}"
        job.stage = ""
        self._save(job)

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            job = self._load(job_id)
        if job is None:
            raise NotFound("unknown job id; jobs are kept for a while after they end",
                           job=job_id[:64])
        return job

    # -- the shared folder ----------------------------------------------------------------

    def _save(self, job: Job) -> None:
        """Write the job's state for the other processes; replaced whole, so a reader never
        sees half of it. A job goes on when its state cannot be written (a full disk)."""
        if self._folder is None:
            return
        state = {**job.to_json(), "created": job.created, "pid": job.pid}
        scratch = self._folder / f".{job.id}.{threading.get_ident()}.tmp"
        try:
            scratch.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            os.replace(scratch, self._folder / f"{job.id}.json")
        except OSError:
            scratch.unlink(missing_ok=True)

    def _load(self, job_id: str) -> Job | None:
        """Another process's job, as it last wrote it; None when there is no such job."""
        if self._folder is None or not _JOB_ID.fullmatch(job_id):
            return None
        try:
            state = json.loads((self._folder / f"{job_id}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        job = Job(id=job_id, name=state["name"], status=state["status"], stage=state["stage"],
                  progress=state["progress"], result=state["result"] or {},
                  error=state["error"] or "", created=state["created"], pid=state["pid"])
        if job.status in ("queued", "running") and not _alive(job.pid):
            job.status, job.stage = "failed", ""
            job.error = "the server process running this job stopped; upload the file again"
        return job

    def _prune(self) -> None:
        """Keep the newest KEEP_JOBS job files."""
        if self._folder is None:
            return
        files = sorted(self._folder.glob("*.json"), key=_modified, reverse=True)
        for old in files[KEEP_JOBS:]:
            old.unlink(missing_ok=True)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0
