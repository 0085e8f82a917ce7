"""Reading a disclosure file in a child process, under a memory and a time limit.

A malformed or hostile file can make a parser run for hours or take gigabytes. Read in a child
process, it is stopped at the limit with one clear sentence, and the parsing never holds the
server's interpreter lock, so answers go on at full speed while a file is ingested; it runs
at a lower CPU priority (INGEST_NICENESS), so on a busy machine the answers come first.
Children are forked from a clean fork server (never from the threaded server itself); as with
any multiprocessing start method but fork, a script that ingests needs the usual
`if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
import signal
import time
from pathlib import Path

from budgetqa import settings
from budgetqa.domain import ParsedDocument
from budgetqa.errors import IngestError

# The reader runs at the lowest CPU priority: on a small server an ingest would otherwise take
# a core's worth of time from the questions (at niceness 10 answers/s fell to about two thirds
# during a 50 MB upload on this 2-core machine). Linux's SCHED_IDLE policy gives it a core
# only when nothing else wants one: a server thread waking up takes the core from it at once,
# where a task at niceness 19 may first finish its time slice (and it keeps about a fifth of
# niceness 19's share of a busy core). Where the policy is missing, niceness 19. Starved of
# CPU on a busy machine it may read slowly, so its time limit counts the CPU seconds it used,
# and the wall clock only as a backstop of STARVED_FACTOR times as long.
INGEST_NICENESS = 19
STARVED_FACTOR = 10

_NO_MEMORY = re.compile(r"failed to map segment|cannot allocate memory|out of memory", re.I)

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["ingest.reader"])


def _read_in_child(path: Path, memory_bytes: int, cpu_seconds: int, sender,
                   environment: dict[str, str], tell_pages: bool) -> None:
    from ingest.reader import read_document

    # The fork server keeps the environment it started with; the reader's settings
    # (BUDGETQA_OCR) are the caller's as they are now.
    for name in [n for n in os.environ if n.startswith("BUDGETQA_")]:
        del os.environ[name]
    os.environ.update(environment)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # Past the soft limit the kernel ends the reader with SIGXCPU (the hard one: SIGKILL). A
    # parent that ignored or blocked SIGXCPU (some CI runners do) would pass that on, and the
    # reader would die by SIGKILL a second later, reported as out of memory.
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGXCPU})
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    _lowest_priority()
    try:
        on_page = (lambda done, total: sender.send(("page", done, total))) if tell_pages else None
        outcome = ("ok", read_document(path, on_page=on_page))
    except MemoryError:
        outcome = ("memory", "")
    except Exception as exc:
        if _out_of_memory(exc):  # the limit, reached inside a parser that wrapped the error
            outcome = ("memory", "")
        elif isinstance(exc, IngestError):
            named = exc.message.startswith(path.name)
            outcome = ("error", exc.message if named else f"{path.name}: {exc.message}")
        else:  # a parser bug must still end as one sentence, not a traceback
            outcome = ("error", f"{path.name}: the file could not be read "
                                f"({exc.__class__.__name__})")
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", ""))
    sender.close()


def _lowest_priority() -> None:
    """This process runs only on CPU time nothing else wants (SCHED_IDLE), else at
    INGEST_NICENESS."""
    os.nice(INGEST_NICENESS)
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux, or a kernel without it: niceness alone
        pass


def _out_of_memory(error: BaseException) -> bool:
    """True when a MemoryError lies behind `error` (pdfplumber wraps pdfminer's errors, and
    the reader wraps those)."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, MemoryError):
            return True
        # A library loaded under the limit fails to map its code: "failed to map segment from
        # shared object" (an ImportError), "Cannot allocate memory" (an OSError).
        if isinstance(current, (ImportError, OSError)) and _NO_MEMORY.search(str(current)):
            return True
        pending += [current.__cause__, current.__context__,
                    *(a for a in current.args if isinstance(a, BaseException))]
    return False


def read_document_isolated(path: Path, on_page=None) -> ParsedDocument:
    """`ingest.reader.read_document(path)` in a child process limited to BUDGETQA_INGEST_MEMORY
    megabytes and BUDGETQA_INGEST_TIMEOUT CPU seconds (STARVED_FACTOR times as many on the
    wall clock). Raises IngestError as the reader does, and when a limit is reached.
    `on_page(done, total)` hears each PDF page the child has parsed,
    in this process (the child sends it through the pipe before its result)."""
    path = Path(path)
    seconds, megabytes = settings.ingest_timeout(), settings.ingest_memory()
    too_big = (f"{path.name}: reading the file needed more than {megabytes} MB of memory; "
               "split it into smaller files (or raise BUDGETQA_INGEST_MEMORY)")
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    environment = {k: v for k, v in os.environ.items() if k.startswith("BUDGETQA_")}
    process = _CONTEXT.Process(target=_read_in_child,
                               args=(path, megabytes * 2**20, seconds, sender, environment,
                                     on_page is not None), daemon=True)
    process.start()
    sender.close()
    deadline = time.monotonic() + seconds * STARVED_FACTOR
    too_long = IngestError(f"{path.name}: reading the file took longer than {seconds} s; "
                           "split it into smaller files (or raise BUDGETQA_INGEST_TIMEOUT)",
                           limit=seconds)
    try:
        while True:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                raise too_long
            message = receiver.recv()
            if message[0] != "page":
                break
            on_page(message[1], message[2])
        status, payload = message
    except EOFError as exc:  # the child died without a word: its CPU time or memory ran out
        process.join(10)
        # SIGXCPU at the soft CPU limit, SIGKILL at the hard one a second later (a reader
        # that outlived SIGXCPU, as seen in a full test run); the memory limit ends a reader
        # with a MemoryError it reports, or a crash, not with either signal.
        if process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise too_long from exc
        raise IngestError(too_big, limit=megabytes) from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(10)
    if status == "memory":
        raise IngestError(too_big, limit=megabytes)
    if status == "error":
        raise IngestError(payload)
    return payload
