"""Reading a disclosure file in a child process, under a memory and a time limit.

A malformed or hostile file can make a parser run for hours or take gigabytes. Read in a child
process, it is stopped at the limit with one clear sentence, and the parsing never holds the
server's interpreter lock, so answers go on at full speed while a file is ingested.
Children are forked from a clean fork server (never from the threaded server itself); as with
any multiprocessing start method but fork, a script that ingests needs the usual
`if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from pathlib import Path

from budgetqa import settings
from budgetqa.domain import ParsedDocument
from budgetqa.errors import IngestError

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["ingest.reader"])


def _read_in_child(path: Path, memory_bytes: int, sender, environment: dict[str, str]) -> None:
    from ingest.reader import read_document

    # The fork server keeps the environment it started with; the reader's settings
    # (BUDGETQA_OCR) are the caller's as they are now.
    for name in [n for n in os.environ if n.startswith("BUDGETQA_")]:
        del os.environ[name]
    os.environ.update(environment)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome = ("ok", read_document(path))
    except IngestError as exc:
        named = exc.message.startswith(path.name)
        outcome = ("error", exc.message if named else f"{path.name}: {exc.message}")
    except MemoryError:
        outcome = ("memory", "")
    except Exception as exc:  # a parser bug must still end as one sentence, not a traceback
        outcome = ("error", f"{path.name}: the file could not be read ({exc.__class__.__name__})")
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory", ""))
    sender.close()


def read_document_isolated(path: Path) -> ParsedDocument:
    """`ingest.reader.read_document(path)` in a child process limited to BUDGETQA_INGEST_MEMORY
    megabytes and BUDGETQA_INGEST_TIMEOUT seconds. Raises IngestError as the reader does, and
    when a limit is reached."""
    path = Path(path)
    seconds, megabytes = settings.ingest_timeout(), settings.ingest_memory()
    too_big = (f"{path.name}: reading the file needed more than {megabytes} MB of memory; "
               "split it into smaller files (or raise BUDGETQA_INGEST_MEMORY)")
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    environment = {k: v for k, v in os.environ.items() if k.startswith("BUDGETQA_")}
    process = _CONTEXT.Process(target=_read_in_child,
                               args=(path, megabytes * 2**20, sender, environment), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise IngestError(f"{path.name}: reading the file took longer than {seconds} s; "
                              "split it into smaller files (or raise BUDGETQA_INGEST_TIMEOUT)",
                              limit=seconds)
        status, payload = receiver.recv()
    except EOFError as exc:  # the child died without a word: killed for its memory
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
