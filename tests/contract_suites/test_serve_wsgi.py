"""serve_wsgi: a WSGI app on a loopback port for the length of a `with` block."""
from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from mockserver.testing import serve_wsgi
from mockserver.testing.serve_wsgi import base_url


BARRIER = threading.Barrier(4)


def echo(environ, start_response):
    """Answers with the method, path, query and body it got (slowly when the query says so; after
    all four of a barrier's requests arrived when it says together)."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if "sleep" in environ.get("QUERY_STRING", ""):
        time.sleep(0.4)
    if "together" in environ.get("QUERY_STRING", ""):
        BARRIER.wait(timeout=30)  # breaks (500) unless four requests are inside the app at once
    if environ["PATH_INFO"] == "/boom":
        raise RuntimeError("the receiver crashed")
    text = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} {environ.get('QUERY_STRING', '')} ".encode() + body
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Seen-Host", environ["HTTP_HOST"])])
    return [text]


def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_app_answers_real_http_on_a_free_loopback_port():
    with serve_wsgi(echo) as url:
        parts = urlsplit(url)
        assert (parts.scheme, parts.hostname, parts.path) == ("http", "127.0.0.1", "") and parts.port > 0
        assert fetch(url + "/hook?x=1", b'{"a":1}') == (201, b'POST /hook x=1 {"a":1}')
        assert fetch(url) == (201, b"GET /  ")


def test_an_exception_in_the_app_is_a_500_and_the_server_keeps_serving():
    with serve_wsgi(echo) as url:
        assert fetch(url + "/boom")[0] == 500
        assert fetch(url + "/after")[0] == 201


def test_requests_are_served_concurrently():
    BARRIER.reset()
    with serve_wsgi(echo) as url, ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: fetch(url + "/meet?together"), range(4)))
    assert [status for status, _ in answers] == [201] * 4  # served one by one, the barrier breaks


def test_leaving_the_block_closes_the_port_and_ends_the_thread():
    before = set(threading.enumerate())
    with serve_wsgi(echo) as url:
        port = urlsplit(url).port
        assert fetch(url)[0] == 201
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    deadline = time.monotonic() + 3
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not set(threading.enumerate()) - before


def test_a_request_running_when_the_block_ends_is_answered():
    with ThreadPoolExecutor(1) as pool:
        with serve_wsgi(echo) as url:
            pending = pool.submit(fetch, url + "/slow?sleep")
            time.sleep(0.1)  # the request is inside the app when the block ends
        assert pending.result(timeout=5)[0] == 201


def test_the_server_is_closed_when_the_block_raises():
    with pytest.raises(KeyError):
        with serve_wsgi(echo) as url:
            raise KeyError("test failure")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", urlsplit(url).port), timeout=1).close()


def test_an_ipv6_host_is_bracketed_in_the_url():
    assert base_url("::1", 8080) == "http://[::1]:8080"
    assert base_url("127.0.0.1", 8080) == "http://127.0.0.1:8080"


def test_public_host_names_the_url_the_sandbox_is_given():
    with serve_wsgi(echo, host="127.0.0.1", public_host="localhost") as url:
        assert urlsplit(url).hostname == "localhost"
        assert fetch(url + "/x")[0] == 201
