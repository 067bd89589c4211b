"""One delivery's HTTP exchange (core/delivery_http.py, libcurl through pycurl): exactly the headers
given, whatever curl would add; the body whole however large; no proxy from the environment; a
bounded read of a long answer; a status kept when the body then breaks; TLS failures named."""
from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mockserver.core import delivery_http


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, answer: str = "ok") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer  # "ok" | "endless" | "cut"
        self.seen: list[tuple[dict[str, str], bytes]] = []
        self.requested: list[str] = []  # each request's target as sent

    @property
    def url(self) -> str:
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}/hook?sign=abc"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((dict(self.headers.items()), body))
        self.server.requested.append(self.path)
        if self.server.answer == "endless":  # chunks for ever: the sandbox must stop reading
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 8192
            try:
                for _ in range(1000):  # 8 MB at most, far beyond what the sandbox reads
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            self.close_connection = True
            return
        self.send_response(202)
        if self.server.answer == "cut":  # promises 100 bytes, sends 10 and closes
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.close_connection = True
            return
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(server: _Server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def server():
    srv = _serve(_Server())
    yield srv
    srv.shutdown()
    srv.server_close()


def test_only_the_given_headers_go_out_with_host_and_length(server):
    result = delivery_http.post(server.url, {"X-Topic": "orders/create"}, b"{}", 10.0)
    assert (result.status, result.excerpt, result.error) == (202, "ok", None)
    headers, body = server.seen[0]
    # No User-Agent, Accept or form Content-Type of curl's own: a receiver sees what a platform sends.
    assert {k.lower() for k in headers} == {"host", "content-length", "x-topic"}
    assert headers["Content-Length"] == "2" and body == b"{}"


def test_a_large_body_goes_whole_without_waiting_for_100_continue(server):
    body = b'{"order":"' + b"x" * 2_000_000 + b'"}'
    result = delivery_http.post(server.url, {"Content-Type": "application/json"}, body, 10.0)
    assert result.status == 202 and result.error is None
    headers, received = server.seen[0]
    assert received == body and "Expect" not in headers and headers["Content-Type"] == "application/json"


def test_a_proxy_in_the_environment_is_not_used(server, monkeypatch):
    dead = "http://127.0.0.1:9"  # nothing listens: a delivery sent there would fail
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead)
    result = delivery_http.post(server.url, {}, b"x", 10.0)
    assert (result.status, result.error) == (202, None) and len(server.seen) == 1


def test_an_endless_answer_is_read_only_to_the_bound_and_is_no_error():
    srv = _serve(_Server("endless"))
    try:
        result = delivery_http.post(srv.url, {}, b"x", 10.0)
        assert (result.status, result.error) == (200, None)
        assert result.excerpt == "y" * delivery_http.EXCERPT_BYTES
    finally:
        srv.shutdown()
        srv.server_close()


def test_a_body_cut_short_keeps_the_status_and_is_a_reset():
    srv = _serve(_Server("cut"))
    try:
        result = delivery_http.post(srv.url, {}, b"x", 10.0)
        assert (result.status, result.error) == (202, "connection reset")
        assert result.excerpt == "0123456789" and "curl error 18" in (result.detail or "")
    finally:
        srv.shutdown()
        srv.server_close()


def test_a_receiver_whose_certificate_is_not_trusted_is_a_tls_error(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-days", "1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    srv = _Server()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    _serve(srv)
    try:
        result = delivery_http.post(srv.url, {}, b"x", 10.0)
        assert result.error == "tls error" and result.status is None and srv.seen == []
    finally:
        srv.shutdown()
        srv.server_close()


def test_a_url_beyond_ascii_goes_out_percent_encoded(server):
    url = server.url.replace("/hook?sign=abc", "/hook/台北?shop=台北")
    result = delivery_http.post(url, {}, b"x", 10.0)
    assert (result.status, result.error) == (202, None)
    assert server.requested == ["/hook/%E5%8F%B0%E5%8C%97?shop=%E5%8F%B0%E5%8C%97"]


def test_a_latin_1_header_value_goes_in_latin_1(server):
    assert delivery_http.post(server.url, {"X-Shop": "Café"}, b"x", 10.0).error is None
    assert server.seen[0][0]["X-Shop"] == "Café"  # http.server reads header bytes as Latin-1: one byte, 0xE9


@pytest.mark.parametrize("url,headers", [
    ("http://" + "a" * 64 + "\u00fc.example/hook", {}),  # a label too long for IDNA
    (None, {"X-Shop": "台北"}),  # a value HTTP/1.1 headers cannot carry
])
def test_a_request_that_cannot_be_written_is_a_result_not_a_crash(server, url, headers):
    result = delivery_http.post(url or server.url, headers, b"x", 10.0)
    assert (result.status, result.error) == (None, "bad request") and server.seen == []


def test_a_failure_detail_holds_no_timing_so_the_same_world_logs_the_same_words():
    """curl writes how long it tried ("after 0 ms", "after 201 milliseconds"): taken out, the
    attempt's latency says it (two runs of one snapshot compare their logs, tests/world/)."""
    import socket
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: refused
        refused = delivery_http.post(f"http://127.0.0.1:{port}/hook", {}, b"{}", 5.0)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts the connection; nobody ever answers
        timed_out = delivery_http.post(f"http://127.0.0.1:{silent.getsockname()[1]}/hook", {}, b"{}", 0.2)
    assert refused.error == "connection refused" and "Failed to connect" in refused.detail
    assert timed_out.error == "timeout" and "timed out" in timed_out.detail
    for detail in (refused.detail, timed_out.detail):
        assert " ms" not in detail and "milliseconds" not in detail, detail
