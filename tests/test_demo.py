"""The demo (server.demo) keeps the chat page and the portal up when the API stops, and starts
the API again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.test_browser import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> dict[int, str]:
    """Child process ids of `pid` with their command lines (from /proc)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return out


@pytest.mark.slow
def test_the_page_stays_up_while_the_api_restarts(small_corpus_home):
    app, api, portal = free_port(), free_port(), free_port()
    demo = subprocess.Popen([sys.executable, "-m", "server.demo", "--app-port", str(app),
                             "--api-port", str(api), "--portal-port", str(portal)],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for url in (f"http://127.0.0.1:{api}/api/health", f"http://127.0.0.1:{app}/_stcore/health",
                    f"http://127.0.0.1:{portal}/"):
            wait_for(url)
        api_pid = next(pid for pid, cmd in children(demo.pid).items() if "server.api" in cmd)
        os.kill(api_pid, signal.SIGKILL)
        time.sleep(1)
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{api}/api/health", timeout=2)
        assert demo.poll() is None, "the demo keeps running"
        assert httpx.get(f"http://127.0.0.1:{app}/_stcore/health").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{portal}/").status_code == 200
        wait_for(f"http://127.0.0.1:{api}/api/health", timeout=60)
        assert api_pid not in children(demo.pid), "a new API process answers"
    finally:
        demo.send_signal(signal.SIGTERM)
        try:
            output = demo.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            demo.kill()
            output = demo.communicate()[0]
    assert "restarting:" in output
