"""A local BudgetQA cluster: Debian's PostgreSQL in a private folder, a chroma server, and N API
processes sharing them, for the scale-out tests, the benchmark of 1, 2 and 4 processes, and
`make cluster` (scripts/run_cluster.sh, `python -m bench.cluster --api 2`: data under
$BUDGETQA_HOME/cluster, kept; with the chat page too).

    with postgres(root) as pg:                     # initdb + pg_ctl on a free port
        url = pg.create_database("budgetqa")       # postgresql+psycopg://…
        with chroma_server(root / "chroma") as chroma_url, \\
                api_processes(2, env) as bases:    # ["http://127.0.0.1:PORT", …]
            …

Nothing here touches a database or chroma the shell points at: every server is started in
the folder given, on ports chosen free, and stopped (by its own process id) on leaving.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from budgetqa.errors import redact

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL server programs (apt-get install postgresql), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_server_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PostgresServer:
    """A PostgreSQL cluster in `folder`, listening on 127.0.0.1:`port`, trust authentication."""

    def __init__(self, folder: Path, bin_dir: Path, port: int | None = None):
        self.folder, self.bin = folder, bin_dir
        self.data = folder / "data"
        self.port = port or free_port()
        self.user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(_as_server_user([str(self.bin / "initdb"), "-D", str(self.data), "-A",
                                        "trust", "-U", self.user, "-E", "UTF8",
                                        "--locale", "C"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 " \
                  "-c max_connections=300 -c fsync=off"
        subprocess.run(_as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.data), "-o",
                                        options, "-l", str(self.folder / "server.log"), "-w",
                                        "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        subprocess.run(_as_server_user([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                                        "fast", "-w", "stop"]),
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} "
                             "dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres(folder: Path):
    """A running private PostgreSQL cluster under `folder` (RuntimeError without Debian's
    PostgreSQL)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("Debian's PostgreSQL is not installed (apt-get install postgresql)")
    server = PostgresServer(Path(folder), bin_dir)
    server.init()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _wait_until(ready, process: subprocess.Popen, what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not start within {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def chroma_server(folder: Path, port: int | None = None):
    """`chroma run` (the installed chromadb's server) over `folder`, on `port` (a free one when
    not given); yields its URL."""
    port = port or free_port()
    chroma = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen([str(chroma), "run", "--path", str(folder), "--host",
                                "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until(lambda: httpx.get(url + "/api/v2/heartbeat", timeout=2).status_code == 200,
                    process, "the chroma server")
        yield url
    finally:
        _stop(process)


def cluster_env(home: Path, db_url: str, chroma_url: str, **extra: str) -> dict[str, str]:
    """The environment of a BudgetQA process of the cluster (this checkout on PYTHONPATH)."""
    return {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETQA_HOME": str(home),
            "BUDGETQA_DB_URL": db_url, "BUDGETQA_CHROMA_URL": chroma_url,
            "BUDGETQA_EMBEDDER": "none", "BUDGETQA_RATE_LIMIT": "1000000/second",
            "BUDGETQA_RATE_LIMIT_ORIGIN": "1000000/second", **extra}


@contextmanager
def api_process(env: dict[str, str], log: Path | None = None):
    """One uvicorn API process with `env`; yields its base URL once /api/health answers."""
    port = free_port()
    out = open(log, "w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server.api:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--timeout-keep-alive", "30"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until(lambda: httpx.get(url + "/api/health", timeout=5).status_code in (200, 503),
                    process, f"the API process on port {port}")
        yield url
    finally:
        _stop(process)
        if log:
            out.close()


@contextmanager
def api_processes(count: int, env: dict[str, str], log_folder: Path | None = None):
    """`count` API processes with `env`, started together; yields their base URLs."""
    with ExitStack() as stack:
        urls = [stack.enter_context(api_process(
            env, None if log_folder is None else log_folder / f"api-{i}.log"))
            for i in range(count)]
        yield urls


def run_cluster(home: Path, apis: int, first_port: int, app_port: int, pg_port: int,
                chroma_port: int) -> None:
    """Start PostgreSQL (created once under home/cluster/pg), `chroma run` (home/cluster/
    chroma), `apis` API processes on first_port… and the chat page on app_port (Streamlit
    behind server/chat_proxy.py, as `make run` starts it), every one on the same store and
    index; ingest data/corpus (or $BUDGETQA_DATA) when the store is empty. A process that
    exits is started again; Ctrl-C or SIGTERM stops everything."""
    from server.demo import chat_page_commands, supervise

    bin_dir = postgres_bin()
    if bin_dir is None:
        raise SystemExit("Debian's PostgreSQL is not installed: apt-get install postgresql")
    folder = home / "cluster"
    folder.mkdir(parents=True, exist_ok=True)
    for path in (home, folder):
        path.chmod(path.stat().st_mode | 0o055)  # the postgres user enters it
    pg = PostgresServer(folder / "pg", bin_dir, pg_port)
    if not pg.data.is_dir():
        pg.init()
    processes: list[subprocess.Popen] = []
    pg.start()
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={pg.port} user={pg.user} dbname=postgres",
                             autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'budgetqa'").fetchone()
        url = pg.url("budgetqa") if exists else pg.create_database("budgetqa")
        chroma_url = f"http://127.0.0.1:{chroma_port}"
        commands = [[str(Path(sys.executable).parent / "chroma"), "run", "--path",
                     str(folder / "chroma"), "--host", "127.0.0.1", "--port", str(chroma_port)]]
        processes.append(subprocess.Popen(commands[0], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        _wait_until(lambda: httpx.get(chroma_url + "/api/v2/heartbeat", timeout=2)
                    .status_code == 200, processes[0], "the chroma server")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETQA_DB_URL": url,
               "BUDGETQA_CHROMA_URL": chroma_url, "BUDGETQA_HOME": str(home)}
        if not budgetqa_cli(env, "docs").stdout.strip():
            print("ingesting the demo corpus…", flush=True)
            budgetqa_cli(env, "ingest", os.environ.get("BUDGETQA_DATA",
                                                       str(ROOT / "data" / "corpus")))
        commands += [[sys.executable, "-m", "uvicorn", "server.api:create_app", "--factory",
                      "--host", "127.0.0.1", "--port", str(first_port + i)]
                     for i in range(apis)]
        commands += chat_page_commands("127.0.0.1", app_port)
        processes += [subprocess.Popen(command, cwd=ROOT, env=env) for command in commands[1:]]
        print(f"store {redact(url)}\nindex {chroma_url}\n" + "\n".join(
            f"API {i + 1}: http://127.0.0.1:{first_port + i}" for i in range(apis))
            + f"\nchat page: http://127.0.0.1:{app_port}", flush=True)
        # Until Ctrl-C (KeyboardInterrupt) or SIGTERM (SystemExit, see main) unwinds it.
        supervise(processes, commands, env, threading.Event())
    except KeyboardInterrupt:
        pass
    finally:
        for process in reversed(processes):
            _stop(process)
        pg.stop()


def budgetqa_cli(env: dict[str, str], *args: str, timeout: float = 900
                 ) -> subprocess.CompletedProcess:
    """Run `budgetqa ARGS` as its own process with `env`; returns the finished process."""
    return subprocess.run([sys.executable, "-m", "budgetqa.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PostgreSQL, a chroma server, N BudgetQA "
                                                 "API processes and the chat page on this "
                                                 "machine")
    parser.add_argument("--api", type=int, default=2, help="API processes")
    parser.add_argument("--port", type=int, default=8000, help="port of the first API process")
    parser.add_argument("--app-port", type=int, default=8501, help="port of the chat page")
    parser.add_argument("--pg-port", type=int, default=5433)
    parser.add_argument("--chroma-port", type=int, default=8010)
    args = parser.parse_args(argv)
    # Stopped with SIGTERM (or SIGINT, which a background job ignores), the servers started
    # here are stopped too: SystemExit unwinds through their context managers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from budgetqa import settings

    run_cluster(settings.home().resolve(), args.api, args.port, args.app_port, args.pg_port,
                args.chroma_port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
