"""API routes for readers and portal widgets, beside the core API of server/api.py:

    POST /api/feedback                               👍/👎 with the question and answer shown
    POST /api/ranking                                a ranking answer's items, best first, each
                                                     with its 类/款 parents
    GET  /api/documents/{id}/crops/{page}.png?box=   a cited cell with its headers and row label
    GET  /widget/check?doc=ID                        is this portal's origin allowed, is the
                                                     document known (for the widget's
                                                     administrator notes; open to every origin)
    GET  /docs, /static/swagger/*                    Swagger UI served from an installed package
"""

from __future__ import annotations

from fastapi import FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from budgetqa import settings
from budgetqa.choices import answer_from_json
from budgetqa.crops import crop_at
from budgetqa.errors import BadQuestion, NotFound
from budgetqa.evidence import parse_box
from budgetqa.feedback import record_feedback
from budgetqa.ranking import is_ranking, ranked_items
from server.guards import page_policy
from server.models import FeedbackRequest
from store.files import local_document

SWAGGER = "/static/swagger"


def drawable_document(qa, doc_id: str):
    """The document with its file at a local path, from the store (any instance draws the
    pages of a document another ingested; cached under $BUDGETQA_HOME/files)."""
    return local_document(qa.store, qa.document(doc_id), settings.home() / "files")


def add_reader_routes(app: FastAPI, qa, allowed_origins) -> None:
    """Feedback, cell crops and the widget's load-time check, on `app` around `qa`.

    `allowed_origins()` is the API's allow list (read per request, as the API does)."""

    @app.post("/api/feedback", status_code=201, summary="Store a reader's 👍/👎 on an answer")
    def post_feedback(body: FeedbackRequest) -> dict:
        return {"id": record_feedback(qa.store, body.question, body.answer, body.rating,
                                      doc=body.doc, note=body.note, source=body.source)}

    @app.post("/api/ranking", summary="A ranking answer's items, best first, with their parents")
    def post_ranking(body: dict) -> list[dict]:
        answer = answer_from_json(body)
        if not is_ranking(answer):
            raise BadQuestion("the answer is not a ranking (its formula starts with 最大 or 最小)")
        return [{"place": i.place, "label": i.label, "parents": list(i.parents), "path": i.path,
                 "value": i.printed, "unit": i.unit} for i in ranked_items(qa.store, answer)]

    @app.get("/api/documents/{doc_id}/crops/{page}.png",
             summary="A cited cell with its column headers and row label",
             response_class=Response, responses={200: {"content": {"image/png": {}}}})
    def get_crop(doc_id: str, page: int,
                 box: str = Query(description="x0,top,x1,bottom of the cell, in points")):
        png = crop_at(qa.store, drawable_document(qa, doc_id), page, parse_box(box))
        if png is None:
            raise NotFound(f"no table cell at {box} on page {page} of {doc_id}",
                           doc=doc_id, page=page)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/widget/check", include_in_schema=False)
    def widget_check(request: Request, doc: str = "") -> JSONResponse:
        # Answered to every origin (a refused portal must learn that it is refused); it tells
        # only yes or no, never the allow list or the document ids.
        origin = (request.headers.get("origin") or "").rstrip("/")
        own = f"{request.url.scheme}://{request.url.netloc}"
        known = None
        if doc:
            known = any(d.id == doc for d in qa.documents())
        return JSONResponse({"origin": origin or None,
                             "origin_allowed": not origin or origin == own
                             or origin in allowed_origins(),
                             "doc_known": known},
                            headers={"Access-Control-Allow-Origin": "*",
                                     "Cache-Control": "no-store"})


def install_offline_docs(app: FastAPI) -> None:
    """/docs from the Swagger UI files of the installed swagger-ui-bundle package, so the
    API's documentation works with no network (the default pulls scripts from a CDN)."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount(SWAGGER, StaticFiles(directory=swagger_ui_path), name="swagger")
    redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return with_page_policy(get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} — 文档",
            oauth2_redirect_url=redirect, swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png"))

    @app.get(redirect, include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return with_page_policy(get_swagger_ui_oauth2_redirect_html())


def with_page_policy(page: HTMLResponse) -> HTMLResponse:
    """The page with its content policy (server.guards.page_policy) set."""
    page.headers["Content-Security-Policy"] = page_policy(page.body.decode("utf-8"))
    return page
