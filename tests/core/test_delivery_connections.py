"""The webhook engine reuses a connection the receiver keeps open (core/delivery_transport.py),
and only such a one: never after `Connection: close`, never one the receiver has closed; and it
closes them once nothing was sent for curl_post.IDLE_SECONDS, and when it stops."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mockserver.core import curl_post, delivery_dispatch
from mockserver.core.clock import SandboxClock
from mockserver.core.webhooks import WebhookEngine


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ports: list[int] = []  # the client port of each request: one port, one connection
        self.closed: list[int] = []  # the client port of each connection that ended
        self.close_after: set[int] = set()  # request numbers (1-based) answered with Connection: close
        self.hang_up_after: set[int] = set()  # request numbers after which the server closes silently

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook?sign=abc"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.ports.append(self.client_address[1])
        number = len(self.server.ports)
        self.send_response(200)
        if number in self.server.close_after:
            self.send_header("Connection", "close")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        if number in self.server.hang_up_after:
            self.close_connection = True

    def finish(self) -> None:
        super().finish()
        self.server.closed.append(self.client_address[1])

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def engine():
    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=1)
    yield engine
    engine.close(timeout=10)


def _deliver(engine: WebhookEngine, server: _Server) -> dict:
    delivery = engine.enqueue("test", server.url, b'{"a":1}', {"Content-Type": "application/json"})
    assert engine.flush(timeout=30)["succeeded"] == 1
    return engine.get(delivery.id)["attempts"][-1]


def _until(predicate, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_deliveries_to_one_receiver_share_a_connection(engine, server):
    attempts = [_deliver(engine, server) for _ in range(5)]
    assert [(a["status"], a["response_excerpt"]) for a in attempts] == [(200, "ok")] * 5
    assert len(set(server.ports)) == 1 and server.closed == []


def test_a_connection_the_receiver_asks_to_close_is_not_reused(engine, server):
    server.close_after = {1}
    _deliver(engine, server)
    _deliver(engine, server)
    assert len(set(server.ports)) == 2


def test_a_connection_the_receiver_closed_is_not_reused(engine, server):
    server.hang_up_after = {1}  # answers without saying so, then closes
    _deliver(engine, server)
    _until(lambda: server.closed)  # the server's side is gone
    second = _deliver(engine, server)
    assert (second["status"], second["error"]) == (200, None)
    assert len(set(server.ports)) == 2


def test_connections_idle_too_long_are_closed(engine, server, monkeypatch):
    monkeypatch.setattr(curl_post, "IDLE_SECONDS", 0.05)
    monkeypatch.setattr(delivery_dispatch, "IDLE_EXIT_SECONDS", 3600.0)  # the dispatcher stays
    _deliver(engine, server)
    _until(lambda: server.closed)  # closed by the sandbox: the server saw its end of the stream
    assert server.closed == server.ports
    _deliver(engine, server)
    assert len(set(server.ports)) == 2


def test_stopping_the_engine_closes_its_connections(server):
    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=1)
    try:
        _deliver(engine, server)
        assert server.closed == []
    finally:
        engine.close(timeout=10)
    assert not engine._threads
    _until(lambda: server.closed == server.ports)
