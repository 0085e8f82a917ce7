"""Run the API in one or several processes, each of several with a listening socket of its own.

uvicorn's `--workers` share one listening socket: whichever process wakes first accepts every
connection waiting (asyncio accepts up to the backlog at once), and a kept-alive connection
stays with the process that accepted it. Under a burst of new clients one process ends up with
most of them while the other idles, and the slow half sets the tail of every reply. Here each
worker binds its own socket to the same address with SO_REUSEPORT, and the kernel shares new
connections out among the sockets by a hash of the client's address and port: evenly, whatever
the processes are doing when the connections arrive.

uvicorn's own supervisor still starts, watches and restarts the workers; what it hands each
worker as "its sockets" is a `WorkerSocket`, which becomes that worker's own socket when the
worker unpickles its arguments. SO_REUSEPORT lets only sockets of the same user share a port,
and the port is checked to be free before the workers start, so a second server started on
the same port is refused rather than silently handed half of the connections.
"""

from __future__ import annotations

import errno
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from budgetqa.errors import BudgetQAError

APP = "server.api:create_app"


def serve(host: str, port: int, workers: int = 1, **options) -> None:
    """Serve the API on host:port with `workers` processes; `options` are uvicorn.Config's
    (timeout_keep_alive, log_level …). Raises BudgetQAError when the port is taken."""
    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, **options)
        return
    check_port_free(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, workers=workers, **options)
    Multiprocess(config, sockets=[WorkerSocket(host, port)]).run()


class WorkerSocket:
    """A stand-in for a listening socket in the arguments uvicorn passes to each worker
    process: unpickled there, it is a new socket bound with SO_REUSEPORT (`bind_reusing_port`),
    so every worker accepts on a socket of its own."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def __reduce__(self):
        return bind_reusing_port, (self.host, self.port)


def bind_reusing_port(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that other sockets of this user may bind too."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def check_port_free(host: str, port: int) -> None:
    """Raise BudgetQAError when something listens on host:port already (a socket without
    SO_REUSEPORT cannot bind beside it, whether or not that one set it)."""
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host, port))
    except OSError as exc:
        reason = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be bound ({exc.strerror})"
        raise BudgetQAError(f"port {port} on {host} {reason}: stop the server using it or "
                            "choose another --port") from None
    finally:
        probe.close()
