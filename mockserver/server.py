"""The production HTTP server: granian (hyper and tokio, in Rust) serving the WSGI app from inside
this process, in a background thread's stead for tests and the pytest plugin and in the foreground
for `shop-sandbox serve`.

granian's own embedding API serves ASGI only and its `granian` command runs the app in worker
processes, which would split one emulated world from the process that owns it. So the sandbox
drives granian's WSGI worker the way granian's thread-worker server (granian/server/mt.py) does,
pinned to one minor version (pyproject.toml); tests/test_server.py fails first if that changes.

Stopping: the listener closes at once (new connections are refused), requests in flight run to
their end for at most `drain` seconds, then close() reports how many were cut.
"""
from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import time
from collections import deque
from typing import Any

from granian._futures import _new_cbscheduler
from granian._granian import ListenerSpec, WorkerSignal, WSGIWorker

from mockserver import wsgi_calls
from mockserver.request_threads import RequestThreads

HTTP1 = "1"
BACKLOG = 1024
# Requests granian queues per worker before it answers 503 to new ones.
BACKPRESSURE = 1024
# Threads that run requests grow on demand up to `threads` and end after this many idle seconds: a
# slow call (a webhook verification, a delay fault) takes a thread of its own instead of making
# every other request wait for one (wsgi_calls.py: granian's threads, or request threads).
THREAD_IDLE_SECONDS = 30
class InFlight:
    """How many requests are inside the app; wait_idle() blocks until none is, or a deadline.

    One token per request in a deque (append and pop are atomic under the GIL) instead of a count
    under a lock: every request passes here twice, and a condition's lock taken by 16 request
    threads at once cost a tenth of a signed call's Python time. Only stopping waits, by polling."""

    POLL_SECONDS = 0.005

    def __init__(self) -> None:
        self._tokens: deque[None] = deque()

    def enter(self) -> None:
        self._tokens.append(None)

    def leave(self) -> None:
        self._tokens.pop()

    @property
    def count(self) -> int:
        return len(self._tokens)

    def wait_idle(self, timeout: float) -> int:
        """Requests still running after at most `timeout` seconds (0 when all finished)."""
        deadline = time.monotonic() + max(0.0, timeout)
        while self._tokens and time.monotonic() < deadline:
            time.sleep(min(self.POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        return len(self._tokens)


def _listener(host: str, port: int) -> Any:
    """A bound, listening socket of granian's (port 0: a free one). OSError when it cannot bind."""
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:  # a name such as localhost: its first address
        address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
    try:
        return ListenerSpec(address, port, BACKLOG).build()
    except RuntimeError as exc:  # granian's bind error, with a Rust backtrace under RUST_BACKTRACE
        raise OSError(f"cannot listen on {host}:{port}: {str(exc).splitlines()[0]}") from None


def _bound_port(holder: Any) -> int:
    probe = socket.socket(fileno=os.dup(holder.get_fd()))
    try:
        return probe.getsockname()[1]
    finally:
        probe.close()


def _identity(fd: int) -> tuple[int, int] | None:
    try:
        info = os.fstat(fd)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _wait_closed(identity: tuple[int, int] | None, fd: int, limit: float = 1.0) -> None:
    """Wait until granian has closed the listener (about a millisecond after the stop signal), so
    that when close() returns a new connection is refused. The descriptor's number may be reused
    by then: its identity tells."""
    deadline = time.monotonic() + limit
    while _identity(fd) == identity and identity is not None and time.monotonic() < deadline:
        time.sleep(0.001)


class BackgroundServer:
    """The app on host:port (0 = a free port), served by granian until close(); `threads`: most
    requests that may wait running at once."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, threads: int = 64,
                 drain: float = 2.0) -> None:
        self.app = app
        self.host = host
        self.drain = drain
        self.threads = max(1, threads)
        self._listener = _listener(host, port)
        self.port = _bound_port(self._listener)
        self._listener_id = _identity(self._listener.get_fd())
        self.in_flight = InFlight()
        self._signal: Any = None
        self._stopped = False

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else "::1" if self.host == "::" else self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def start(self) -> "BackgroundServer":
        if self._signal is not None:
            return self
        self._signal = WorkerSignal()
        # worker id, listener, ipc, runtime threads, runtime blocking threads, Python threads,
        # their idle timeout, backpressure, HTTP/1 only, its settings, HTTP/2 settings, static
        # files, TLS (off), metrics (off): the order of granian's WSGIWorker.
        if getattr(self.app, "runs_briefly", None) is not None:  # wsgi_calls.py: brief-first
            granian_threads = 1
            callback = wsgi_calls.brief_first(self.app, self.in_flight,
                                              RequestThreads(self.threads, THREAD_IDLE_SECONDS))
        else:
            granian_threads, callback = self.threads, wsgi_calls.threaded(self.app, self.in_flight)
        worker = WSGIWorker(1, (None, self._listener), None, 1, 512, granian_threads, THREAD_IDLE_SECONDS,
                            BACKPRESSURE, HTTP1, None, None, None,
                            False, None, None, None, "tls1.3", None, [], False, (None, None))
        loop = asyncio.new_event_loop()  # granian wants one; WSGI calls never run on it
        # The asyncio flavour of granian's scheduler: the other registers a placeholder task in
        # asyncio's global task set, and then any asyncio.run() in this process (an integrator's
        # async test beside the plugin's server) fails at its end on that uninitialised task.
        scheduler = _new_cbscheduler(loop, callback, impl_asyncio=True)
        worker.serve_str(scheduler, loop, self._signal)
        return self

    def close(self, drain: float | None = None) -> int:
        """Stop accepting, let requests in flight finish (`drain` seconds at most, the server's
        default when None), and answer how many were still running when the time was up."""
        if self._stopped:
            return 0
        self._stopped = True
        if self._signal is None:
            return 0
        busy = self.in_flight.count
        self._signal.set()
        _wait_closed(self._listener_id, self._listener.get_fd())
        left = self.in_flight.wait_idle(self.drain if drain is None else drain)
        if busy and not left:
            # The last answers were handed to granian; give its writer a moment to send them.
            time.sleep(0.05)
        return left

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
