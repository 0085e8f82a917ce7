"""The demo: the Streamlit chat page, the REST API and a portal page (another origin) with the widget.

    python -m server.demo [--host 127.0.0.1] [--app-port 8501] [--api-port 8000]
                          [--portal-port 8765] [--doc DOC-ID]

The chat page is Streamlit behind server/chat_proxy.py (Streamlit sets no security headers of its
own). Each runs as its own process; Ctrl-C (or SIGTERM) stops all three. A process that exits on its
own (the API stopped or crashed) is started again, so the rest of the demo stays up. The portal's
origin must be in BUDGETQA_ALLOWED_ORIGINS (its default allows http://localhost:8765 and
http://127.0.0.1:8765).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from budgetqa import settings
from server.api import static_text

ROOT = Path(__file__).resolve().parent.parent


def portal_app(api_url: str, doc: str) -> FastAPI:
    """A stand-in government portal page that embeds the widget from `api_url`.

    `?doc=`, `?position=` and `?color=` change the embed tag's attributes, so an administrator
    can see what the widget does with them (e.g. the note about a mistyped data-doc)."""
    api = api_url.rstrip("/")
    template = static_text("portal.html").replace("__API__", escape(api))
    # As a portal should: scripts, calls and images only from itself and the API; the inline
    # styles are the portal's own <style> and the widget's (in its shadow root).
    headers = {"Content-Security-Policy": (
        f"default-src 'self'; script-src 'self' {api}; connect-src 'self' {api}; "
        f"img-src 'self' {api} data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/", response_class=HTMLResponse)
    def portal(doc: str = doc, position: str = "right", color: str = "#b91c1c") -> HTMLResponse:
        page = (template.replace("__DOC__", escape(doc)).replace("__POSITION__", escape(position))
                .replace("__COLOR__", escape(color)))
        return HTMLResponse(page, headers=headers)

    return app


def portal_factory() -> FastAPI:
    """For `uvicorn --factory`: the API URL and document from the environment."""
    return portal_app(os.environ["BUDGETQA_DEMO_API"], os.environ.get("BUDGETQA_DEMO_DOC", ""))


def commands(host: str, app_port: int, api_port: int, portal_port: int,
             streamlit_port: int | None = None) -> list[list[str]]:
    """The server commands of the demo: the chat page (`chat_page_commands`), the API and the
    portal."""
    py = sys.executable
    return chat_page_commands(host, app_port, streamlit_port) + [
        [py, "-m", "uvicorn", "server.api:create_app", "--factory", "--host", host,
         "--port", str(api_port)],
        [py, "-m", "uvicorn", "server.demo:portal_factory", "--factory", "--host", host,
         "--port", str(portal_port)],
    ]


def chat_page_commands(host: str, app_port: int,
                       streamlit_port: int | None = None) -> list[list[str]]:
    """The chat page's two processes: Streamlit on 127.0.0.1:`streamlit_port` (a free port
    when not given), reached only through the chat page's proxy on `app_port`
    (server/chat_proxy.py, which adds the security headers)."""
    py = sys.executable
    streamlit_port = streamlit_port or free_port()
    return [
        [py, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(streamlit_port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
         "--client.showErrorDetails", "none",
         "--server.maxUploadSize", str(settings.max_upload_mb())],
        [py, "-m", "server.chat_proxy", "--host", host, "--port", str(app_port),
         "--upstream", f"http://127.0.0.1:{streamlit_port}"],
    ]


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--app-port", type=int, default=8501)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--portal-port", type=int, default=8765)
    parser.add_argument("--doc", default="putuo-wanli-subdistrict-2024-dept-budget",
                        help="Document the portal's widget asks about.")
    args = parser.parse_args(argv)
    env = {**os.environ, "BUDGETQA_DEMO_API": f"http://{args.host}:{args.api_port}",
           "BUDGETQA_DEMO_DOC": args.doc, "PYTHONPATH": str(ROOT)}
    cmds = commands(args.host, args.app_port, args.api_port, args.portal_port)
    processes = [subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in cmds]
    print(f"chat page  http://{args.host}:{args.app_port}\n"
          f"API        http://{args.host}:{args.api_port}/docs\n"
          f"portal     http://{args.host}:{args.portal_port}  (widget from the API's origin)",
          flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # also when started in the background
        signal.signal(sig, lambda *_: stop.set())
    try:
        supervise(processes, cmds, env, stop)
    finally:
        for p in processes:
            if p.poll() is None:
                p.terminate()
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


def supervise(processes: list, cmds: list[list[str]], env: dict, stop: threading.Event,
              pause: float = 2.0) -> None:
    """Until `stop`: start again any process that exited, after `pause` seconds (so a process
    that fails at once does not spin). The others keep running meanwhile."""
    while not stop.is_set():
        for i, process in enumerate(processes):
            if process.poll() is not None and not stop.wait(pause):
                print(f"restarting: {' '.join(cmds[i][1:4])} (exited {process.returncode})",
                      flush=True)
                processes[i] = subprocess.Popen(cmds[i], cwd=ROOT, env=env)
        stop.wait(0.5)


if __name__ == "__main__":
    sys.exit(main())
