"""The REST API: maps HTTP to `BudgetQA` calls and every error to `errors.error_body`.

    POST /api/ask                       {question, doc, previous?} → the answer contract
    POST /api/ask/stream                same, as NDJSON events: status …, then answer or error
    GET  /api/documents                 ingested documents
    GET  /api/documents/{id}            one document, its tables and suggested questions
    GET  /api/documents/{id}/pages/{n}.png?highlight=x0,top,x1,bottom  page image, boxes marked
    POST /api/documents?replace=false   upload a file to ingest in the background (admin) → job
    GET  /api/jobs/{id}                 an ingest job's status, stage, progress and report (admin)
    GET  /api/health                    store and index state, document count
    GET  /widget.js                     the portal widget
    (feedback, cell crops, the widget's check and the offline /docs: server/reader_api.py)

Cross-origin calls are allowed only from BUDGETQA_ALLOWED_ORIGINS (and the API's own origin);
an /api request carrying another Origin is refused with 403 and no CORS headers. A Host header
outside BUDGETQA_ALLOWED_HOSTS is refused with 400 (so a rebound DNS name is not "own origin").
/api requests are rate-limited per client and per origin (429 with Retry-After); answers run in
parallel, ingests one at a time in the background, page images in a bounded render pool;
an answer already given to the same question is returned from server/answer_cache.py.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import shutil
import uuid
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from budgetqa import settings
from budgetqa.errors import (BadQuestion, BudgetQAError, Forbidden, NotFound, RequestRefused,
                             StoreError, Unauthorized, error_body, redact)
from budgetqa.evidence import parse_boxes, render_page
from budgetqa.jobs import JobQueue
from budgetqa.limits import check_question
from budgetqa.messages_zh import ingest_warning
from budgetqa.pipeline import BudgetQA
from ingest.reader import SUPPORTED
from qa.followup import resolve_followup
from qa.suggestions import suggest_questions
from server.answer_cache import AnswerCache, KeptAnswer
from server.guards import (UNLIMITED_PATHS, GuardMiddleware, RateLimiter, retry_headers,
                           security_headers)
from server.render_pool import RenderPool
from server.models import AnswerModel
from server.reader_api import add_reader_routes, drawable_document, install_offline_docs

log = logging.getLogger(__name__)

# Every request but an upload is a short JSON body; a larger one is refused unread.
MAX_BODY = 64 * 1024
CORS_METHODS = "GET, POST, OPTIONS"
CORS_HEADERS = "Content-Type, Authorization"


class AskRequest(BaseModel):
    question: str = Field(description="The question, as a person would type it.")
    doc: str | None = Field(None, description="Document id; null lets the question name it.")
    previous: str | None = Field(
        None, description="The previous question of the chat, for follow-ups like 那上年呢？")


def _error(error: BudgetQAError, headers: dict | None = None) -> JSONResponse:
    if "retry_after" in error.context:
        headers = {**(headers or {}), **retry_headers(error)}
    return JSONResponse(error_body(error), status_code=error.status, headers=headers)


def allowed_origins() -> set[str]:
    return {o.strip().rstrip("/") for o in settings.get("BUDGETQA_ALLOWED_ORIGINS").split(",")
            if o.strip()}


def allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in settings.get("BUDGETQA_ALLOWED_HOSTS").split(",")
            if h.strip()}


def _host_name(host_header: str) -> str:
    """The host of a Host header without its port ("[::1]:8000" → "[::1]")."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[:host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _document_json(doc) -> dict:
    return {"id": doc.id, "title": doc.title, "publisher": doc.publisher, "year": doc.year,
            "kind": doc.kind, "pages": doc.pages,
            "has_page_images": Path(doc.source_file).suffix.lower() == ".pdf"}


def _require_admin(request: Request) -> None:
    token = settings.get("BUDGETQA_ADMIN_TOKEN")
    if not token:
        raise Forbidden("uploads are disabled: BUDGETQA_ADMIN_TOKEN is not set")
    given = request.headers.get("authorization", "")
    if not given.lower().startswith("bearer "):
        raise Unauthorized("uploads need an 'Authorization: Bearer <admin token>' header")
    if not hmac.compare_digest(given[7:].strip().encode(), token.encode()):
        raise Forbidden("the admin token is not valid")


def _unexpected(exc: Exception) -> JSONResponse:
    """The error response of an exception no handler expected; its detail goes to the log."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):  # a store call the library did not wrap
        log.warning("store error: %s", redact(str(exc)))
        return _error(StoreError("the document store is unavailable; try again in a moment"))
    log.error("internal error: %s: %s", exc.__class__.__name__, redact(str(exc)),
              exc_info=(type(exc), exc, None))
    return _error(BudgetQAError(f"internal error: {exc.__class__.__name__}"))


def create_app(qa: BudgetQA | None = None) -> FastAPI:
    """The API app around one BudgetQA (from the settings when not given)."""
    qa = qa or BudgetQA.from_settings()
    jobs, renderer, limiter = JobQueue(settings.home() / "jobs"), RenderPool(), RateLimiter()
    answer_slots = asyncio.Semaphore(settings.answer_workers())
    kept_answers = AnswerCache(settings.answer_cache())
    hosts = allowed_hosts()

    @asynccontextmanager
    async def lifespan(_app):
        try:  # passages an ingest killed half-way left behind, before the first question
            qa.repair_index()
        except BudgetQAError as exc:
            log.warning("start-up index check failed: %s", redact(exc.message))
        yield
        jobs.shutdown()
        renderer.shutdown()

    app = FastAPI(title="预算问答 BudgetQA API", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Exact, cited answers about government budget disclosures.")
    install_offline_docs(app)
    add_reader_routes(app, qa, allowed_origins)

    async def guard(scope, receive, send, inner) -> None:
        """Host, origin, body size and rate limit, in that order; then security headers.

        A plain ASGI middleware (Starlette's @app.middleware wraps every request in a task
        group and memory streams, a large share of a kept answer's cost)."""
        request = Request(scope)
        origins = allowed_origins()
        try:
            cors = _admit(request, origins)
        except BudgetQAError as exc:
            cors, response = None, _error(exc)
        else:
            response = None
            if cors is not None and request.method == "OPTIONS" and (
                    "access-control-request-method" in request.headers):
                response = Response(status_code=204, headers={
                    **cors, "Access-Control-Allow-Methods": CORS_METHODS,
                    "Access-Control-Allow-Headers": CORS_HEADERS, "Access-Control-Max-Age": "600"})
        extra = security_headers(request.url.path, origins)
        if response is not None:
            response.headers.update(extra)
            await response(scope, receive, send)
            return
        extra = {**(cors or {}), **request.state.rate_headers, **extra}
        started = False

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message).update(extra)
            await send(message)

        try:
            await inner(scope, receive, send_with_headers)
        except Exception as exc:  # answered here: re-raised, it would reset the connection
            if started:
                raise
            response = _unexpected(exc)
            response.headers.update(extra)
            await response(scope, receive, send)

    app.add_middleware(GuardMiddleware, guard=guard)

    def _admit(request: Request, origins: set[str]) -> dict | None:
        """The CORS headers to add (None: none); raises the refusal of a request."""
        request.state.rate_headers = {}
        if _host_name(request.headers.get("host", "")) not in hosts:
            raise BadQuestion("this server does not answer to that host name")
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.url.netloc}"
        cors = None
        if origin is not None and origin != own:
            if origin.rstrip("/") not in origins:
                if request.url.path.startswith("/api/"):
                    raise Forbidden(f"origin {origin[:200]} is not allowed to call this API",
                                    origin=origin[:200])
                return None  # no CORS headers: the browser refuses it
            cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        limit = (settings.max_upload_mb() + 1) * 2**20 if request.url.path == "/api/documents" \
            else MAX_BODY
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > limit:
            raise RequestRefused(f"the request body is larger than {limit // 1024} KB", 413)
        path = request.url.path
        if path.startswith("/api/") and path not in UNLIMITED_PATHS and request.method != "OPTIONS":
            client = request.client.host if request.client else "unknown"
            request.state.rate_headers = limiter.check(
                client, origin if cors is not None else None)
        return cors

    @app.exception_handler(BudgetQAError)
    async def library_error(_request, exc: BudgetQAError):
        return _error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(NotFound("no such resource", path=request.url.path[:200]))
        return _error(RequestRefused(str(exc.detail), exc.status_code,
                                     path=request.url.path[:200]),
                      headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return _error(RequestRefused(f"invalid request: {problems[:500]}", 422,
                                     errors=problems[:500]))

    def checked(body: AskRequest) -> AskRequest:
        """The request with its texts measured and checked, before any work on them: the
        follow-up rewriting below runs regular expressions over the text."""
        return AskRequest(question=check_question(body.question),
                          previous=None if body.previous is None
                          else check_question(body.previous, "previous question"),
                          doc=body.doc)

    async def answer(body: AskRequest) -> KeptAnswer:
        """Answers run in parallel (the store, index and router are safe for many readers), at
        most BUDGETQA_ANSWER_WORKERS at once: dozens of threads sharing one interpreter lock
        would each take dozens of times longer, and the slowest answers far longer still.
        Waiting is done here, on the event loop, so waiting answers hold no worker thread
        that health checks, documents and page images need. An answer already given to the
        same question is returned at once (server/answer_cache.py)."""
        checked_body = checked(body)
        # Another process may have re-ingested a document (or the store may be down: 503):
        # answers kept under an older store generation are not found again.
        await run_in_threadpool(qa.sync)
        key = kept_answers.key(checked_body.question, checked_body.doc, checked_body.previous,
                               qa.store.seen_generation)
        kept = kept_answers.get(key)
        if kept is not None:
            return kept
        async with answer_slots:
            return await run_in_threadpool(ask, checked_body, key)

    def ask(body: AskRequest, key: tuple) -> KeptAnswer:
        year = _doc_year(body.doc) if body.previous else None  # only follow-ups need it
        followup = resolve_followup(body.question, body.previous, year)
        answer = qa.ask(followup.question, body.doc).to_json()
        if followup.rewritten:
            answer["followup"] = {"asked": followup.question, "from": followup.previous,
                                  "reason": followup.reason}
        return kept_answers.put(key, answer)

    def _doc_year(doc_id: str | None) -> int | None:
        if not doc_id:
            return None
        try:
            return qa.document(doc_id).year
        except NotFound:
            return None  # ask() reports the unknown id

    @app.post("/api/ask", summary="Answer a question with its figure, formula and citations",
              response_model=AnswerModel, response_model_exclude_unset=True)
    async def post_ask(body: AskRequest) -> Response:
        # The body was shaped by AnswerModel once, when the answer was computed.
        return Response((await answer(body)).body, media_type="application/json")

    @app.post("/api/ask/stream", summary="Answer as NDJSON events: status, then answer or error")
    async def post_ask_stream(body: AskRequest) -> StreamingResponse:
        async def events():
            yield json.dumps({"event": "status", "message": "正在查找相关表格和段落…"},
                             ensure_ascii=False) + "\n"
            try:
                payload = {"event": "answer", "answer": (await answer(body)).answer}
            except BudgetQAError as exc:
                payload = {"event": "error", **error_body(exc)}
            yield json.dumps(payload, ensure_ascii=False) + "\n"

        return StreamingResponse(events(), media_type="application/x-ndjson")

    @app.get("/api/documents", summary="The ingested documents")
    def get_documents() -> list[dict]:
        return [_document_json(d) for d in qa.documents()]

    @app.get("/api/documents/{doc_id}", summary="One document, its tables and suggested questions")
    def get_document(doc_id: str) -> dict:
        doc = qa.document(doc_id)
        tables = qa.store.parsed_tables(doc_id)
        return {**_document_json(doc),
                "tables": [{"title": t.title, "kind": t.kind, "unit": t.unit,
                            "pages": list(t.pages), "rows": len(t.rows)} for t in tables],
                "suggestions": suggest_questions(tables)}

    @app.get("/api/documents/{doc_id}/pages/{page}.png", summary="A page image, boxes marked",
             response_class=Response, responses={200: {"content": {"image/png": {}}}})
    def get_page(doc_id: str, page: int,
                 highlight: list[str] = Query([], description="x0,top,x1,bottom in points"),
                 scale: float = Query(2.0, gt=0, le=4)) -> Response:
        boxes = parse_boxes(highlight)
        png = renderer.run(render_page, drawable_document(qa, doc_id), page, boxes, scale=scale)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.post("/api/documents", status_code=202,
              summary="Upload a disclosure to ingest in the background (admin); returns a job")
    def post_document(request: Request, file: UploadFile = File(...),
                      replace: bool = Query(False, description="Replace a document of another "
                                            "publisher, year or kind that has the same id.")
                      ) -> dict:
        _require_admin(request)
        name = Path(file.filename or "").name
        stem, suffix = Path(name).stem, Path(name).suffix.lower()
        if suffix not in SUPPORTED or not re.fullmatch(r"[\w.\-]{1,150}", stem):
            raise BadQuestion(f"upload a {'/'.join(sorted(SUPPORTED))} file with a plain name "
                              f"(letters, digits, - _ .); got {name[:100]!r}", filename=name[:100])
        folder = settings.home() / "uploads"
        # Written beside its final place under the same name, and moved there only once the
        # document is stored: a failed upload leaves the old file and document as they were.
        incoming = folder / ".incoming" / uuid.uuid4().hex
        incoming.mkdir(parents=True)
        try:
            _copy_bounded(file.file, incoming / f"{stem}{suffix}",
                          settings.max_upload_mb() * 2**20)
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise

        def work(progress):
            try:
                report = qa.ingest_file(incoming / f"{stem}{suffix}", replace=replace,
                                        install_as=folder / f"{stem}{suffix}", progress=progress)
            finally:
                shutil.rmtree(incoming, ignore_errors=True)
                kept_answers.documents_changed()
            body = {**report.to_json(), "path": f"{stem}{suffix}"}  # never the server's path
            warnings = [ingest_warning(w) for w in report.warnings]
            body.update(warning_codes=[c for c, _ in warnings], warnings_zh=[z for _, z in warnings])
            if body["error"]:
                body["error"] = redact(body["error"])
            return report.status != "failed", body

        job = jobs.submit(f"{stem}{suffix}", work)
        return {**job.to_json(), "url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs/{job_id}", summary="An upload's ingest: status, stage, progress "
              "(pages_done of pages while reading, then tables, passages, cells), report (admin)")
    def get_job(request: Request, job_id: str) -> dict:
        _require_admin(request)
        return jobs.get(job_id).to_json()

    @app.get("/api/export/{dataset}.{fmt}", summary="Open data: all cells or all measures with "
             "provenance, as csv, xlsx or parquet (EXPORT.md)", response_class=Response)
    def get_export(dataset: str, fmt: str) -> Response:
        from budgetqa.export import MEDIA_TYPES, export_bytes

        body = export_bytes(qa.store, dataset, fmt)
        return Response(body, media_type=MEDIA_TYPES[fmt], headers={
            "Content-Disposition": f'attachment; filename="budgetqa-{dataset}.{fmt}"'})

    @app.get("/api/health", summary="Store and passage index state, and the number of documents")
    def health() -> JSONResponse:
        state = {"status": "ok", "store": "ok", "index": "ok", "documents": None}
        try:
            state["documents"] = len(qa.documents())
        except BudgetQAError:
            state["store"] = state["status"] = "unavailable"
            state["index"] = "unknown"
            return JSONResponse(state, status_code=503)
        try:
            state["index"] = qa.index_status()
        except BudgetQAError:
            state["index"] = "unavailable"
        if state["index"] != "ok":
            state["status"] = "degraded"  # table questions are still answered
        return JSONResponse(state)

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> Response:
        return Response(static_text("widget.js"), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})

    return app


def _copy_bounded(source, target: Path, limit: int, chunk: int = 2**20) -> None:
    """Copy an upload to `target` a megabyte at a time (never the whole file in memory);
    RequestRefused (413) once it passes `limit` bytes."""
    written = 0
    with open(target, "wb") as out:
        while block := source.read(chunk):
            written += len(block)
            if written > limit:
                raise RequestRefused(f"the file is larger than {limit // 2**20} MB", 413)
            out.write(block)


def static_text(name: str) -> str:
    """A file of server/static (package data)."""
    return resources.files("server").joinpath("static", name).read_text(encoding="utf-8")
