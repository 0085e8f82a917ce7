"""The REST API: maps HTTP to `BudgetQA` calls and every error to `errors.error_body`.

    POST /api/ask                       {question, doc, previous?} → the answer contract
    POST /api/ask/stream                same, as NDJSON events: status …, then answer or error
    GET  /api/documents                 ingested documents
    GET  /api/documents/{id}            one document, its tables and suggested questions
    GET  /api/documents/{id}/pages/{n}.png?highlight=x0,top,x1,bottom  page image, boxes marked
    POST /api/documents                 upload and ingest a file (Bearer BUDGETQA_ADMIN_TOKEN)
    GET  /api/health                    liveness and document count
    GET  /widget.js                     the portal widget
    (feedback, cell crops, the widget's check and the offline /docs: server/reader_api.py)

Cross-origin calls are allowed only from BUDGETQA_ALLOWED_ORIGINS (and the API's own origin);
an /api request carrying another Origin is refused with 403 and no CORS headers.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from budgetqa import settings
from budgetqa.errors import (BadQuestion, BudgetQAError, Forbidden, NotFound, RequestRefused,
                             Unauthorized, error_body)
from budgetqa.evidence import parse_box, render_page
from budgetqa.pipeline import BudgetQA
from ingest.reader import SUPPORTED
from qa.followup import resolve_followup
from qa.suggestions import suggest_questions
from server.models import AnswerModel
from server.reader_api import add_reader_routes, install_offline_docs


CORS_METHODS = "GET, POST, OPTIONS"
CORS_HEADERS = "Content-Type, Authorization"


class AskRequest(BaseModel):
    question: str = Field(description="The question, as a person would type it.")
    doc: str | None = Field(None, description="Document id; null lets the question name it.")
    previous: str | None = Field(
        None, description="The previous question of the chat, for follow-ups like 那上年呢？")


def _error(error: BudgetQAError, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(error), status_code=error.status, headers=headers)


def allowed_origins() -> set[str]:
    return {o.strip().rstrip("/") for o in settings.get("BUDGETQA_ALLOWED_ORIGINS").split(",")
            if o.strip()}


def _document_json(doc) -> dict:
    return {"id": doc.id, "title": doc.title, "publisher": doc.publisher, "year": doc.year,
            "kind": doc.kind, "pages": doc.pages,
            "has_page_images": Path(doc.source_file).suffix.lower() == ".pdf"}


def create_app(qa: BudgetQA | None = None) -> FastAPI:
    """The API app around one BudgetQA (from the settings when not given)."""
    qa = qa or BudgetQA.from_settings()
    lock = threading.Lock()  # ingest and the lazily built router are not thread-safe
    app = FastAPI(title="预算问答 BudgetQA API", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Exact, cited answers about government budget disclosures.")
    install_offline_docs(app)
    add_reader_routes(app, qa, allowed_origins)

    @app.middleware("http")
    async def origin_policy(request: Request, call_next):
        origin = request.headers.get("origin")
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin is None or origin == own:
            return await call_next(request)
        if origin.rstrip("/") not in allowed_origins():
            if request.url.path.startswith("/api/"):
                return _error(Forbidden(f"origin {origin} is not allowed to call this API",
                                        origin=origin))
            return await call_next(request)  # no CORS headers: the browser refuses it
        cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            return Response(status_code=204, headers={
                **cors, "Access-Control-Allow-Methods": CORS_METHODS,
                "Access-Control-Allow-Headers": CORS_HEADERS, "Access-Control-Max-Age": "600"})
        response = await call_next(request)
        response.headers.update(cors)
        return response

    @app.exception_handler(BudgetQAError)
    async def library_error(_request, exc: BudgetQAError):
        return _error(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(NotFound(f"no such resource: {request.url.path}",
                                   path=request.url.path))
        return _error(RequestRefused(str(exc.detail), exc.status_code, path=request.url.path),
                      headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return _error(RequestRefused(f"invalid request: {problems}", 422, errors=problems))

    @app.exception_handler(Exception)
    async def unexpected(_request, exc: Exception):
        return _error(BudgetQAError(f"internal error: {exc.__class__.__name__}"))

    def ask(body: AskRequest) -> dict:
        followup = resolve_followup(body.question, body.previous, _doc_year(body.doc))
        with lock:
            answer = qa.ask(followup.question, body.doc).to_json()
        if followup.rewritten:
            answer["followup"] = {"asked": followup.question, "from": followup.previous,
                                  "reason": followup.reason}
        return answer

    def _doc_year(doc_id: str | None) -> int | None:
        if not doc_id:
            return None
        try:
            return qa.document(doc_id).year
        except NotFound:
            return None  # ask() reports the unknown id

    @app.post("/api/ask", summary="Answer a question with its figure, formula and citations",
              response_model=AnswerModel, response_model_exclude_unset=True)
    def post_ask(body: AskRequest) -> dict:
        return ask(body)

    @app.post("/api/ask/stream", summary="Answer as NDJSON events: status, then answer or error")
    def post_ask_stream(body: AskRequest) -> StreamingResponse:
        def events():
            yield json.dumps({"event": "status", "message": "正在查找相关表格和段落…"},
                             ensure_ascii=False) + "\n"
            try:
                payload = {"event": "answer", "answer": ask(body)}
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
        boxes = [parse_box(h) for h in highlight]
        png = render_page(qa.document(doc_id), page, boxes, scale=scale)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.post("/api/documents", status_code=201, summary="Upload and ingest a disclosure (admin)")
    def post_document(request: Request, file: UploadFile = File(...)) -> JSONResponse:
        token = settings.get("BUDGETQA_ADMIN_TOKEN")
        if not token:
            raise Forbidden("uploads are disabled: BUDGETQA_ADMIN_TOKEN is not set")
        given = request.headers.get("authorization", "")
        if not given.lower().startswith("bearer "):
            raise Unauthorized("uploads need an 'Authorization: Bearer <admin token>' header")
        if not hmac.compare_digest(given[7:].strip().encode(), token.encode()):
            raise Forbidden("the admin token is not valid")
        name = Path(file.filename or "").name
        stem, suffix = Path(name).stem, Path(name).suffix.lower()
        if suffix not in SUPPORTED or not re.fullmatch(r"[\w.\-]+", stem):
            raise BadQuestion(f"upload a {'/'.join(sorted(SUPPORTED))} file with a plain name "
                              f"(letters, digits, - _ .); got {name!r}", filename=name)
        limit = settings.max_upload_mb() * 2**20
        data = file.file.read(limit + 1)
        if len(data) > limit:
            raise RequestRefused(f"the file is larger than {limit // 2**20} MB", 413)
        folder = settings.home() / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}{suffix}"
        path.write_bytes(data)
        with lock:
            report = qa.ingest_file(path)
        status = 422 if report.status == "failed" else 201
        return JSONResponse(report.to_json(), status_code=status)

    @app.get("/api/health", summary="Liveness and the number of documents")
    def health() -> dict:
        return {"status": "ok", "documents": len(qa.documents())}

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> Response:
        return Response(static_text("widget.js"), media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})

    return app


def static_text(name: str) -> str:
    """A file of server/static (package data)."""
    return resources.files("server").joinpath("static", name).read_text(encoding="utf-8")
