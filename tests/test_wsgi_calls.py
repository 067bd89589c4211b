"""The brief-first way of calling an app (mockserver/wsgi_calls.py): brief GETs on granian's one
thread, everything else on request threads, bodies read whole, nothing stalls the brief ones."""
from __future__ import annotations

import hashlib
import http.client
import json
import socket
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from mockserver import wsgi_calls
from mockserver.server import BackgroundServer

RELEASE = threading.Event()
ENTERED = threading.Semaphore(0)


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/crash":
        raise RuntimeError("a bug")
    if path.startswith("/hold"):  # stays inside the app until the test releases it
        ENTERED.release()
        RELEASE.wait(60)
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return iter([b"one ", b"two ", b"three"])
    data = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) \
        if environ.get("CONTENT_LENGTH") else environ["wsgi.input"].read()
    body = json.dumps({"thread": threading.current_thread().name, "size": len(data),
                       "sha": hashlib.sha256(data).hexdigest()}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def runs_briefly(environ):
    path = environ["PATH_INFO"]
    return (environ["REQUEST_METHOD"] == "GET" and not path.startswith("/hold")) or path == "/brief-post"


app.runs_briefly = runs_briefly  # type: ignore[attr-defined]


def call(url: str, method: str = "GET", data: bytes | None = None, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def server():
    RELEASE.clear()
    running = BackgroundServer(app, threads=8).start()
    yield running
    RELEASE.set()
    assert running.close(drain=30) == 0  # every request left the in-flight count


def test_brief_requests_run_on_granians_thread_and_the_rest_on_request_threads(server):
    brief = json.loads(call(server.url + "/")[1])
    brief_post = json.loads(call(server.url + "/brief-post", "POST", b"{}")[1])
    posted = json.loads(call(server.url + "/", "POST", b"{}")[1])
    assert not brief["thread"].startswith("shop-sandbox-request")
    assert not brief_post["thread"].startswith("shop-sandbox-request") and brief_post["size"] == 2
    assert posted["thread"].startswith("shop-sandbox-request") and posted["size"] == 2


@pytest.mark.parametrize("held", ["/hold", "/hold-slow"])
def test_brief_gets_are_answered_while_other_requests_are_held(server, held):
    # /hold: a POST the app does not call brief; /hold-slow: nor this GET.
    method, data = ("POST", b"x") if held == "/hold" else ("GET", None)
    with ThreadPoolExecutor(3) as pool:
        pending = [pool.submit(call, server.url + held, method, data) for _ in range(3)]
        for _ in pending:
            assert ENTERED.acquire(timeout=30)  # all three are inside the app
        assert call(server.url + "/")[0] == 200
        assert not any(p.done() for p in pending)
        RELEASE.set()
        assert [p.result(timeout=30)[0] for p in pending] == [200] * 3


def test_a_large_body_arrives_whole_on_a_request_thread(server):
    data = bytes(range(256)) * 4096  # 1 MiB
    answer = json.loads(call(server.url + "/", "PUT", data)[1])
    assert answer["size"] == len(data) and answer["sha"] == hashlib.sha256(data).hexdigest()


def test_a_chunked_body_arrives_whole(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        parts = [b"first,", b"second,", b"third"]
        connection.request("POST", "/", body=iter(parts), encode_chunked=True)
        answer = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    assert answer["size"] == len(b"".join(parts))
    assert answer["sha"] == hashlib.sha256(b"".join(parts)).hexdigest()


def test_a_streamed_answer_to_a_brief_get_arrives_whole(server):
    assert call(server.url + "/stream") == (200, b"one two three")


def test_a_crash_answers_500_on_either_thread(server):
    assert call(server.url + "/crash")[0] == 500
    status, body = call(server.url + "/crash", "POST", b"{}")
    assert status == 500 and json.loads(body)["error"] == "internal_error"


def test_a_body_sent_in_pieces_arrives_whole_and_brief_gets_go_on_after_it(server):
    data = b"z" * 300
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as slow, ThreadPoolExecutor(1) as pool:
        slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 300\r\n\r\n" + data[:100])
        waiting = pool.submit(call, server.url + "/")  # behind the body, or before it: both pass
        slow.sendall(data[100:200])
        slow.sendall(data[200:])
        answer = b""
        while chunk := slow.recv(65536):
            answer += chunk
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["sha"] == hashlib.sha256(data).hexdigest()
        assert waiting.result(timeout=30)[0] == 200


def test_a_client_gone_in_the_middle_of_its_body_holds_nothing(server):
    with ThreadPoolExecutor(1) as pool:
        gone = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        gone.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"y" * 10)
        waiting = pool.submit(call, server.url + "/")
        gone.close()
        assert waiting.result(timeout=30)[0] == 200
    # the fixture checks that the cut request left the in-flight count


def test_a_body_larger_than_the_app_takes_is_not_read(server, monkeypatch):
    monkeypatch.setattr(wsgi_calls, "READ_AHEAD_BYTES", 1000)
    assert json.loads(call(server.url + "/", "POST", b"a" * 1000)[1])["size"] == 1000
    assert json.loads(call(server.url + "/", "POST", b"a" * 1001)[1])["size"] == 0
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:  # chunked: one byte past the bound, so that an app that counts refuses it
        connection.request("POST", "/", body=iter([b"b" * 800, b"b" * 800]), encode_chunked=True)
        assert json.loads(connection.getresponse().read())["size"] == 1001
    finally:
        connection.close()


def test_the_sandbox_calls_brief_its_reads_and_the_writes_that_never_wait():
    from mockserver.app import create_app
    from tests.conftest import make_settings

    sandbox = create_app(make_settings())

    def brief(method: str, path: str) -> bool:
        return sandbox.runs_briefly({"REQUEST_METHOD": method, "PATH_INFO": path})

    assert brief("GET", "/api/v2/order/get_order_list") and brief("HEAD", "/v1/order")
    assert brief("GET", "/_sandbox/health") and brief("POST", "/api/v2/logistics/ship_order")
    assert brief("POST", "/_sandbox/shopline/trigger")
    # They wait: a push verification, a flush, a batch of orders planned, a SHOPLINE verification.
    assert not brief("POST", "/api/v2/push/set_app_push_config")
    assert not brief("POST", "/_sandbox/deliveries/flush")
    assert not brief("POST", "/_sandbox/shopee/shops/1/orders")
    assert not brief("POST", "/admin/openapi/v20210901/webhooks.json")
    sandbox.extensions["shop_sandbox"].faults.add(path="/elsewhere", status=500)
    assert not brief("GET", "/api/v2/order/get_order_list")  # a rule may hold any request
