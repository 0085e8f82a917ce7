"""The chat page's public server: Streamlit's page and websocket passed through, with the
security headers Streamlit itself cannot set.

    python -m server.chat_proxy --port 8501 --upstream http://127.0.0.1:8502

Streamlit (app.py) listens on 127.0.0.1 only; readers reach it through this process, which adds
to every response a content policy, nosniff, a referrer policy and frame-ancestors from
BUDGETQA_ALLOWED_ORIGINS (the chat page may be framed by the allowed portals, `?embed=true`).

The policy lets the page run and nothing else: scripts only from this origin (no eval of text),
and of inline scripts only Streamlit's own in its index page and the page's language script
(chat_ui/streamlit_zh.js, run through st.html), both by their hashes; calls and the websocket
only to this origin; styles inline too (Streamlit's styling library writes <style> elements).
A websocket whose Origin is another site is refused (cross-site websocket hijacking): a portal
that frames the page opens the websocket from the page's own origin.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import re
import sys
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from budgetqa import settings
from chat_ui.streamlit_zh import streamlit_zh_script

# Headers that belong to one connection, not to the message (RFC 9110 §7.6.1), and the ones
# this process sets itself.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                        "te", "trailer", "transfer-encoding", "upgrade", "host",
                        "content-length"})
# The largest websocket message from Streamlit (its server.maxMessageSize default, 200 MB).
MAX_MESSAGE = 200 * 2**20
_INLINE_SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.S | re.I)
_HTML_LANG = re.compile(r"(<html\b[^>]*?)\blang=\"[^\"]*\"", re.I)
_SRC = re.compile(r"<script[^>]*\ssrc=", re.I)


def script_hash(source: str) -> str:
    """The CSP source expression allowing one inline script, by its text's SHA-256."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def inline_scripts(html: str) -> list[str]:
    """The texts of the inline <script> elements of a page (not those loading a src)."""
    return [m.group(1) for m in _INLINE_SCRIPT.finditer(html)
            if not _SRC.match(m.group(0)) and m.group(1).strip()]


def chat_page_policy(html: str, frame_ancestors: set[str]) -> str:
    """The content policy of the chat page whose index is `html`."""
    language_script = _INLINE_SCRIPT.search(streamlit_zh_script()).group(1)
    hashes = " ".join(sorted({script_hash(s) for s in [*inline_scripts(html), language_script]}))
    ancestors = " ".join(["'self'", *sorted(frame_ancestors)])
    # 'wasm-unsafe-eval' compiles WebAssembly, never JavaScript text: the protobuf library
    # Streamlit decodes its messages with builds a small WebAssembly module for 64-bit
    # arithmetic (and reports a violation, then falls back to slower code, without it).
    return (f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
            "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {ancestors}")


def chinese_page(html: str) -> str:
    """Streamlit's index page with lang="zh-CN" instead of its "en": the page is Chinese from
    its first byte, before the language script runs, so a screen reader never starts with an
    English voice (and a test never catches the page in between)."""
    return _HTML_LANG.sub(r'\1lang="zh-CN"', html, count=1)


def security_headers(policy: str) -> dict[str, str]:
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


def create_proxy(upstream: str) -> Starlette:
    """The proxy app in front of the Streamlit server at `upstream` (http://host:port)."""
    upstream = upstream.rstrip("/")
    upstream_ws = "ws" + upstream[len("http"):]
    ancestors = {o.strip().rstrip("/") for o in settings.get("BUDGETQA_ALLOWED_ORIGINS")
                 .split(",") if o.strip()}
    # Until the index page has been seen, other responses carry the policy without its hash
    # (they are scripts, styles, images and JSON: the policy governs only documents).
    state = {"policy": chat_page_policy("", ancestors)}

    @asynccontextmanager
    async def lifespan(app):
        async with httpx.AsyncClient(base_url=upstream, timeout=httpx.Timeout(60, connect=10),
                                     trust_env=False) as client:
            app.state.client = client
            yield

    async def http(request: Request) -> Response:
        client: httpx.AsyncClient = request.app.state.client
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        body = request.stream() if request.method in ("POST", "PUT", "PATCH") else None
        try:
            upstream_request = client.build_request(
                request.method, request.url.path, params=request.url.query.encode(),
                headers=headers, content=body)
            response = await client.send(upstream_request, stream=True)
        except httpx.HTTPError:
            return Response("预算问答页面暂时无法打开，请稍后再试。", status_code=502,
                            media_type="text/plain; charset=utf-8",
                            headers=security_headers(state["policy"]))
        passed = [(k, v) for k, v in response.headers.multi_items()
                  if k.lower() not in HOP_BY_HOP]
        if response.headers.get("content-type", "").startswith("text/html"):
            html = (await response.aread()).decode(response.encoding or "utf-8")
            await response.aclose()
            state["policy"] = chat_page_policy(html, ancestors)
            out = Response(chinese_page(html), status_code=response.status_code)
            passed = [(k, v) for k, v in passed
                      if k.lower() not in ("content-encoding", "content-length")]
        else:
            out = StreamingResponse(response.aiter_raw(), status_code=response.status_code,
                                    background=_closing(response))
        del out.headers["content-type"]
        for key, value in passed:
            out.headers.append(key, value)
        out.headers.update(security_headers(state["policy"]))
        return out

    async def stream(socket: WebSocket) -> None:
        # The Origin's host against the Host header, as Tornado checks it: a TLS front end
        # makes the page's origin https:// while this process is reached over plain ws://.
        origin = socket.headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != socket.headers.get("host"):
            await socket.close(code=1008)  # a page of another site
            return
        path = socket.url.path + (f"?{socket.url.query}" if socket.url.query else "")
        passed = [(k, v) for k, v in socket.headers.items()
                  if k.lower() in ("cookie", "user-agent", "accept-language")]
        try:
            inner = await websockets.connect(
                upstream_ws + path, origin=upstream, subprotocols=socket.scope["subprotocols"],
                additional_headers=passed, compression=None, proxy=None, max_size=MAX_MESSAGE)
        except (OSError, websockets.WebSocketException, asyncio.TimeoutError):
            await socket.close(code=1011)
            return
        await socket.accept(subprotocol=inner.subprotocol)
        try:
            await _pump(socket, inner)
        finally:
            await inner.close()

    return Starlette(routes=[Route("/{path:path}", http, methods=[
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
        WebSocketRoute("/{path:path}", stream)], lifespan=lifespan)


def _closing(response: httpx.Response):
    from starlette.background import BackgroundTask

    return BackgroundTask(response.aclose)


async def _pump(socket: WebSocket, inner) -> None:
    """Pass messages both ways until either side closes."""
    async def to_upstream() -> None:
        try:
            while True:
                message = await socket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                await inner.send(message["bytes"] if message.get("bytes") is not None
                                 else message["text"])
        except (WebSocketDisconnect, websockets.ConnectionClosed):
            return

    async def to_browser() -> None:
        try:
            async for message in inner:
                if isinstance(message, bytes):
                    await socket.send_bytes(message)
                else:
                    await socket.send_text(message)
        except (WebSocketDisconnect, websockets.ConnectionClosed, RuntimeError):
            return
        await socket.close()

    tasks = [asyncio.create_task(to_upstream()), asyncio.create_task(to_browser())]
    _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--upstream", required=True,
                        help="the Streamlit server, e.g. http://127.0.0.1:8502")
    args = parser.parse_args(argv)
    uvicorn.run(create_proxy(args.upstream), host=args.host, port=args.port,
                log_level="warning", ws_max_size=16 * 2**20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
