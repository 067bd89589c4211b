"""The webhook engine's one dispatcher thread (core/delivery_dispatch.py) keeps several attempts in
flight side by side, up to the engine's shares, and never more."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mockserver.core.clock import SandboxClock
from mockserver.core.delivery_model import SUCCEEDED, Policy
from mockserver.core.webhooks import WebhookEngine

ROOMY = Policy("test", timeout=20.0, retry_delays=(10,))


class _Gathering(ThreadingHTTPServer):
    """Answers a request only once `together` requests are open at the same time (or after 15 s
    of waiting, with 503); counts how many were ever open at once."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, together: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.barrier = threading.Barrier(together)
        self.lock = threading.Lock()
        self.open = 0
        self.most = 0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Gathering

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.open += 1
            self.server.most = max(self.server.most, self.server.open)
        try:
            self.server.barrier.wait(timeout=15)
            status = 200
        except threading.BrokenBarrierError:
            status = 503
        with self.server.lock:
            self.server.open -= 1
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server():
    servers = []

    def make(together: int) -> _Gathering:
        srv = _Gathering(together)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def test_attempts_to_one_receiver_are_in_flight_together_up_to_its_share(server):
    srv = server(3)  # four workers: one receiver may hold three of them
    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=4)
    url = f"http://127.0.0.1:{srv.server_address[1]}/hook"
    try:
        ids = [engine.enqueue("test", url, b"{}", policy=ROOMY).id for _ in range(6)]
        summary = engine.flush(timeout=60)
        assert not summary["timed_out"]
        assert [engine.get(i)["status"] for i in ids] == [SUCCEEDED] * 6
        assert srv.most == 3  # together, and never beyond the receiver's share
    finally:
        engine.close(timeout=10)


def test_two_receivers_share_the_attempts_in_flight(server):
    first, second = server(2), server(2)  # each answers only with two of its own open at once
    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=4)
    urls = [f"http://127.0.0.1:{srv.server_address[1]}/hook" for srv in (first, second)]
    try:
        ids = [engine.enqueue("test", url, b"{}", policy=ROOMY).id for url in urls for _ in range(2)]
        assert not engine.flush(timeout=60)["timed_out"]
        assert [engine.get(i)["status"] for i in ids] == [SUCCEEDED] * 4
        assert (first.most, second.most) == (2, 2)
    finally:
        engine.close(timeout=10)
