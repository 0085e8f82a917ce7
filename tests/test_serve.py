"""`budgetqa serve --workers N`: each worker accepts on a listening socket of its own
(server/serve.py), so the kernel shares connections out among the processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.load import ROOT, free_port
from budgetqa.errors import BudgetQAError
from server.serve import check_port_free

LISTEN, ESTABLISHED = "0A", "01"


def sockets_on(port: int, state: str) -> set[int]:
    """Inodes of this machine's IPv4 TCP sockets whose local port is `port`, in `state`."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.add(int(fields[9]))
    return inodes


def owners(inodes: set[int]) -> dict[int, set[int]]:
    """pid → the inodes of `inodes` it holds open."""
    held: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and int(target[8:-1]) in inodes:
                    held.setdefault(int(entry.name), set()).add(int(target[8:-1]))
        except OSError:
            continue  # a process that ended meanwhile, or another user's
    return held


def test_a_taken_port_is_refused_before_any_worker_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(BudgetQAError, match="is in use"):
            check_port_free("127.0.0.1", taken.getsockname()[1])


@pytest.mark.slow
def test_two_workers_each_accept_on_their_own_socket_and_share_connections(small_corpus_home,
                                                                           tmp_path):
    home = tmp_path / "home"
    shutil.copytree(small_corpus_home, home)
    port = free_port()
    env = {**os.environ, "BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": "none",
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "budgetqa.cli", "serve", "--port",
                                str(port), "--workers", "2"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while len(sockets_on(port, LISTEN)) < 2 or not healthy(url):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
        listening = owners(sockets_on(port, LISTEN))
        assert len(listening) == 2 and all(len(s) == 1 for s in listening.values()), listening
        assert process.pid not in listening  # the supervisor holds no listening socket

        clients = [httpx.Client(timeout=30) for _ in range(40)]  # 40 kept-alive connections
        try:
            assert all(c.get(url + "/api/health").status_code == 200 for c in clients)
            serving = owners(sockets_on(port, ESTABLISHED))
            assert set(serving) == set(listening), serving
            assert sum(len(s) for s in serving.values()) == 40
        finally:
            for client in clients:
                client.close()

        second = subprocess.run([sys.executable, "-m", "budgetqa.cli", "serve", "--port",
                                 str(port), "--workers", "2"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert second.returncode != 0 and "is in use" in second.stderr
    finally:
        process.terminate()
        process.wait(timeout=30)


def healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/api/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
