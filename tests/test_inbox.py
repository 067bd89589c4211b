"""WebhookInbox, the receiver for tests: records requests whole, answers as told (status, delay,
drop, script, per path), waits on arrivals and closes promptly."""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from mockserver.testing import Reply, WebhookInbox


def _post(inbox: WebhookInbox, path: str = "/", body: bytes = b"", headers: dict | None = None,
          timeout: float = 5) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection(inbox.host, inbox.port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


@pytest.fixture
def inbox():
    with WebhookInbox() as inbox:
        yield inbox


def test_a_request_is_recorded_whole(inbox):
    before = time.time()
    status, _, _ = _post(inbox, "/push/shopee?a=1&a=2&b=", b'{"code": 3}', {"Authorization": "sig", "X-Mixed-Case": "v"})
    assert status == 200
    got, = inbox.received
    assert (got.method, got.path, got.query) == ("POST", "/push/shopee", {"a": ["1", "2"], "b": [""]})
    assert got.body == b'{"code": 3}' and got.json() == {"code": 3} and got.text() == '{"code": 3}'
    assert got.headers["X-Mixed-Case"] == "v" and got.header("authorization") == "sig"
    assert got.header("missing") is None
    assert before <= got.received_at <= time.time()
    assert inbox.url == f"http://127.0.0.1:{inbox.port}/"


def test_it_answers_the_status_and_body_it_is_told(inbox):
    inbox.respond(Reply(201, body={"ok": True}, headers={"X-Reply": "1"}))
    status, body, headers = _post(inbox)
    assert status == 201 and json.loads(body) == {"ok": True}
    assert headers["X-Reply"] == "1" and headers["Content-Type"] == "application/json"
    inbox.respond(404)
    assert _post(inbox)[0] == 404


def test_a_script_is_consumed_in_order_then_the_default_applies(inbox):
    inbox.script([500, 502, 200]).respond(204)
    assert [_post(inbox)[0] for _ in range(5)] == [500, 502, 200, 204, 204]
    assert [r.reply.status for r in inbox.received] == [500, 502, 200, 204, 204]


def test_behaviour_can_differ_per_path(inbox):
    inbox.respond(503, path="/down")
    inbox.script([500], path="/flaky")
    assert _post(inbox, "/down")[0] == 503
    assert _post(inbox, "/flaky")[0] == 500
    assert _post(inbox, "/flaky")[0] == 200
    assert _post(inbox, "/other")[0] == 200
    assert [r.path for r in inbox.requests("/flaky")] == ["/flaky", "/flaky"]


def test_a_delay_holds_the_answer_for_real_seconds(inbox):
    inbox.respond(Reply.hang(0.3))
    started = time.monotonic()
    assert _post(inbox)[0] == 200
    assert time.monotonic() - started >= 0.3


def test_a_dropped_connection_gets_no_answer(inbox):
    inbox.respond(Reply.dropped())
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        _post(inbox, body=b"x")
    assert len(inbox.received) == 1 and inbox.received[0].body == b"x"


def test_wait_for_returns_as_soon_as_the_requests_arrived(inbox):
    timer = threading.Timer(0.1, lambda: [_post(inbox) for _ in range(2)])
    timer.start()
    started = time.monotonic()
    assert len(inbox.wait_for(2, timeout=5)) == 2
    assert time.monotonic() - started < 2
    timer.join()


def test_wait_for_fails_after_the_timeout_naming_what_arrived(inbox):
    _post(inbox, "/one")
    with pytest.raises(AssertionError, match=r"expected 2 requests within 0.1 s; got 1: POST /one"):
        inbox.wait_for(2, timeout=0.1)
    with pytest.raises(AssertionError, match="to /two"):
        inbox.wait_for(1, timeout=0.05, path="/two")


def test_clear_forgets_requests_and_behaviour(inbox):
    inbox.respond(500).script([502])
    _post(inbox)
    inbox.clear()
    assert inbox.received == [] and _post(inbox)[0] == 200


def test_close_ends_a_hanging_request_and_frees_the_port():
    inbox = WebhookInbox(reply=Reply.hang(30))
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(_try_post(inbox)))
    thread.start()
    inbox.wait_for(1)
    started = time.monotonic()
    inbox.close()
    thread.join(timeout=5)
    assert time.monotonic() - started < 3 and outcome == ["dropped"]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((inbox.host, inbox.port), timeout=1).close()


def _try_post(inbox: WebhookInbox) -> str:
    try:
        return str(_post(inbox)[0])
    except (ConnectionError, http.client.HTTPException):
        return "dropped"


@pytest.mark.parametrize("bad", [99, 600, "200", True, None])
def test_a_reply_is_a_status_or_a_reply_object(inbox, bad):
    with pytest.raises(TypeError):
        inbox.respond(bad)
