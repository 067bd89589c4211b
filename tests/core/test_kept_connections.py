"""Webhook deliveries reuse a connection the receiver keeps open (core/kept_connections.py), and
only such a one: never after `Connection: close`, never one the receiver has closed, never one
idle for longer than IDLE_SECONDS, and never more of them than the bounds."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mockserver.core import delivery_http, kept_connections
from mockserver.core.kept_connections import KeptConnections


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ports: list[int] = []  # the client port of each request: one port, one connection
        self.close_after: set[int] = set()  # request numbers (1-based) answered with Connection: close
        self.hang_up_after: set[int] = set()  # request numbers after which the server closes silently


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
def kept():
    pool = KeptConnections()
    yield pool
    pool.close()


def _post(server: _Server, kept: KeptConnections | None) -> delivery_http.HttpResult:
    url = f"http://127.0.0.1:{server.server_address[1]}/hook?sign=abc"
    return delivery_http.post(url, {"Content-Type": "application/json"}, b'{"a":1}', 10.0, kept=kept)


def test_deliveries_to_one_receiver_share_a_kept_connection(server, kept):
    results = [_post(server, kept) for _ in range(5)]
    assert [r.status for r in results] == [200] * 5
    assert [r.excerpt for r in results] == ["ok"] * 5
    assert len(set(server.ports)) == 1
    assert kept.count() == 1


def test_without_a_pool_every_delivery_has_its_own_connection(server):
    for _ in range(3):
        assert _post(server, None).status == 200
    assert len(set(server.ports)) == 3


def test_a_connection_the_receiver_asks_to_close_is_not_kept(server, kept):
    server.close_after = {1}
    assert _post(server, kept).status == 200
    assert kept.count() == 0
    assert _post(server, kept).status == 200
    assert len(set(server.ports)) == 2


def test_a_connection_the_receiver_closed_is_not_reused(server, kept):
    server.hang_up_after = {1}  # answers without saying so, then closes: the kept socket reads EOF
    assert _post(server, kept).status == 200
    deadline = time.monotonic() + 10
    while kept_connections._quiet(kept._idle[next(iter(kept._idle))][0][1]) and time.monotonic() < deadline:
        time.sleep(0.01)  # until the server's close has reached this side
    second = _post(server, kept)
    assert second.status == 200 and second.error is None
    assert len(set(server.ports)) == 2


def test_kept_connections_idle_too_long_are_closed_by_the_sweeper(server, kept, monkeypatch):
    monkeypatch.setattr(kept_connections, "IDLE_SECONDS", 0.05)
    assert _post(server, kept).status == 200
    deadline = time.monotonic() + 10
    while kept.count() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert kept.count() == 0
    assert _post(server, kept).status == 200
    assert len(set(server.ports)) == 2


class _FakeConnection:
    def __init__(self) -> None:
        self.closed = False
        self.sock = None

    def close(self) -> None:
        self.closed = True


def test_bounds_close_what_is_beyond_them(kept, monkeypatch):
    monkeypatch.setattr(kept_connections, "MAX_PER_RECEIVER", 2)
    monkeypatch.setattr(kept_connections, "MAX_RECEIVERS", 2)
    one = [_FakeConnection() for _ in range(3)]
    for conn in one:
        kept.give("a", conn, -1)
    assert [c.closed for c in one] == [True, False, False]  # the oldest goes
    other = _FakeConnection()
    third = _FakeConnection()
    kept.give("b", other, -1)
    kept.give("c", third, -1)  # a third receiver: the least recently used one ("a") goes
    assert all(c.closed for c in one) and not other.closed and not third.closed
    assert kept.count() == 2


def test_close_closes_what_is_kept_and_what_comes_back_later(kept):
    first, later = _FakeConnection(), _FakeConnection()
    kept.give("a", first, -1)
    kept.close()
    assert first.closed
    kept.give("a", later, -1)
    assert later.closed and kept.count() == 0


def test_the_engine_keeps_connections_and_closes_them_at_stop(server):
    from mockserver.core.clock import SandboxClock
    from mockserver.core.webhooks import WebhookEngine

    engine = WebhookEngine(SandboxClock(start=1_795_000_000, frozen=True), workers=1)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        for _ in range(3):
            engine.enqueue("test", url, b"{}", {"Content-Type": "application/json"})
            assert engine.flush(timeout=30)["succeeded"] >= 1
        assert len(set(server.ports)) == 1
        assert engine.kept.count() == 1
    finally:
        engine.close()
    assert engine.kept.count() == 0
