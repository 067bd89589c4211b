"""Webhook POSTs made by libcurl (pycurl) for core/delivery_http.py: never raises, always a result.
One on the caller's thread (post()), or many at once on the webhook engine's dispatcher (begin(),
then end() when core/delivery_transport.py's multi handle has performed it).

libcurl rather than http.client: curl makes the exchange without the interpreter's lock, so a
burst of deliveries no longer competes with the requests that queue them (http.client's request
writing and header parsing were a third of a SHOPLINE trigger's Python time, bench/). What is sent
is exactly the given headers plus Host and Content-Length, and one deadline covers connect, send,
the answer's head and its body together (curl's total timeout).
"""
from __future__ import annotations

import os
import re
import ssl
import time
from urllib.parse import quote, urlsplit

import pycurl

from mockserver.core.delivery_http import EXCERPT_BYTES, MAX_READ_BYTES, HttpResult


class Transfer:
    """One POST set up on a curl handle (begin()), to be performed by the caller, alone (post())
    or with others on a multi handle (core/delivery_transport.py), and read by end()."""

    __slots__ = ("handle", "answer", "started")

    def __init__(self, handle: pycurl.Curl, answer: "_Answer", started: float) -> None:
        self.handle, self.answer, self.started = handle, answer, started


def begin(url: str, headers: dict[str, str], body: bytes, timeout: float,
          handle: pycurl.Curl | None = None) -> Transfer | HttpResult:
    """The transfer, set up on `handle` (new_handle(); None: a handle for this exchange alone); or
    the result at once when the request cannot even be written (a host IDNA cannot write, a header
    beyond Latin-1)."""
    started = time.perf_counter()
    own = handle is None
    if own:
        handle = new_handle(reuse=False)
    transfer = Transfer(handle, _Answer(), started)
    try:
        handle.setopt(pycurl.URL, url if url.isascii() else _ascii_url(url))
        handle.setopt(pycurl.HTTPHEADER, _header_lines(headers))
        handle.setopt(pycurl.POSTFIELDS, body)
        handle.setopt(pycurl.TIMEOUT_MS, max(1, int(timeout * 1000)))
        handle.setopt(pycurl.WRITEFUNCTION, transfer.answer.write)
    except Exception as exc:  # noqa: BLE001 - never raises: the engine's dispatcher must not die of it
        error = "bad request" if isinstance(exc, UnicodeError) else "error"
        result = end(transfer, None, "", failure=(error, f"{type(exc).__name__}: {exc}"))
        if own:
            transfer.handle.close()
        return result
    return transfer


def end(transfer: Transfer, code: int | None, message: str,
        failure: tuple[str, str] | None = None) -> HttpResult:
    """The result of a performed transfer: curl's error code (None or 0: none) and message, or a
    failure (error, detail) of the sandbox's own. The handle stays open for the caller to reuse
    or close."""
    handle, answer = transfer.handle, transfer.answer
    error, detail = failure or (None, None)
    if code and not (code == pycurl.E_WRITE_ERROR and answer.enough):  # stopped reading on purpose: no error
        error, detail = _ERRORS.get(code, "connection error"), f"curl error {code}: {_timeless(message)}"
    status = handle.getinfo(pycurl.RESPONSE_CODE) or None  # an answer's status is kept even after a failure
    handle.setopt(pycurl.WRITEFUNCTION, _discard)  # drop the answer's reference to this handle
    latency = round((time.perf_counter() - transfer.started) * 1000, 1)
    return HttpResult(status, latency, answer.excerpt.decode("utf-8", errors="replace"), error, detail)


def post(url: str, headers: dict[str, str], body: bytes, timeout: float) -> HttpResult:
    """delivery_http.post, made by curl on this thread, on a connection of its own."""
    transfer = begin(url, headers, body, timeout)
    if isinstance(transfer, HttpResult):
        return transfer
    try:
        transfer.handle.perform()  # without the GIL: the exchange costs the interpreter nothing
        return end(transfer, None, "")
    except pycurl.error as exc:
        return end(transfer, exc.args[0], exc.args[1] if len(exc.args) > 1 else "")
    except Exception as exc:  # noqa: BLE001 - never raises: a caller's thread must not die of it
        return end(transfer, None, "", failure=("error", f"{type(exc).__name__}: {exc}"))
    finally:
        transfer.handle.close()


class _Answer:
    """The answer's body as curl hands it over: the first EXCERPT_BYTES kept, MAX_READ_BYTES read."""

    __slots__ = ("excerpt", "read", "enough")

    def __init__(self) -> None:
        self.excerpt = b""
        self.read = 0
        self.enough = False

    def write(self, chunk: bytes) -> int | None:
        if len(self.excerpt) < EXCERPT_BYTES:
            self.excerpt += chunk[:EXCERPT_BYTES - len(self.excerpt)]
        self.read += len(chunk)
        if self.read >= MAX_READ_BYTES:
            self.enough = True
            return 0  # curl stops the transfer (and closes that connection)
        return None


def _discard(chunk: bytes) -> None:
    return None


# curl writes how long it tried into its messages ("Failed to connect to 127.0.0.1 port 9 after 0
# ms", "Operation timed out after 5001 milliseconds with 0 bytes received"). The attempt's latency
# already says it, and a detail that changes with the machine's load would make two runs of the
# same world differ (a snapshot restored and replayed, tests/world/test_snapshot.py).
_TIMING = re.compile(r" after \d+ (?:ms|milliseconds)")


def _timeless(message: str) -> str:
    return _TIMING.sub("", message)


def _ascii_url(url: str) -> str:
    """A URL with other than ASCII in it, as it goes on the wire: the host in IDNA (xn--), the rest
    percent-encoded as UTF-8, as browsers and HTTP clients send it (curl takes ASCII only)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = quote(userinfo, safe=_URL_SAFE) + at + hostport.encode("idna").decode("ascii")
    return parts._replace(netloc=netloc, path=quote(parts.path, safe=_URL_SAFE),
                          query=quote(parts.query, safe=_URL_SAFE),
                          fragment=quote(parts.fragment, safe=_URL_SAFE)).geturl()


_URL_SAFE = "/:@!$&'()*+,;=?%~"  # what a URL may already hold: only the rest is percent-encoded


def _header_lines(headers: dict[str, str]) -> list[str | bytes]:
    """Exactly the given headers: pycurl's User-Agent, curl's Accept, Expect: 100-continue (a 1 kB
    body would wait for an interim answer receivers do not send) and form Content-Type are taken out.
    A value beyond ASCII goes in Latin-1, as HTTP/1.1 (and http.client) writes it."""
    lines: list[str | bytes] = [f"{name}: {value}" if value.isascii() else f"{name}: {value}".encode("latin-1")
                                for name, value in headers.items()]
    names = {name.lower() for name in headers}
    lines += [f"{name}:" for name in _CURL_DEFAULT_HEADERS if name.lower() not in names]
    return lines


_CURL_DEFAULT_HEADERS = ("User-Agent", "Accept", "Expect", "Content-Type")


# Connections a receiver lets stay open are reused for at most this long after their last answer:
# receivers close idle connections (gunicorn after 2 s, Node and uvicorn after 5 s), and one closed
# while a delivery is being written on it would be a failed attempt the receiver never saw.
IDLE_SECONDS = 1.0


def new_handle(reuse: bool) -> pycurl.Curl:
    """A handle for webhook POSTs; reuse: its connections may serve the next exchange (a multi
    handle keeps them, core/delivery_transport.py)."""
    handle = pycurl.Curl()
    handle.setopt(pycurl.NOSIGNAL, 1)  # threads: curl must not use signals for its timeouts
    handle.setopt(pycurl.HTTP_VERSION, pycurl.CURL_HTTP_VERSION_1_1)  # what the platforms send
    handle.setopt(pycurl.NOPROXY, "*")  # a receiver is reached directly, as http.client did: no *_proxy
    handle.setopt(pycurl.FORBID_REUSE, 0 if reuse else 1)
    handle.setopt(pycurl.MAXAGE_CONN, max(1, int(IDLE_SECONDS)))
    if _CA_FILE:
        handle.setopt(pycurl.CAINFO, _CA_FILE)
    if _CA_PATH:
        handle.setopt(pycurl.CAPATH, _CA_PATH)
    return handle


def _trust_store() -> tuple[str | None, str | None]:
    """The certificates Python's ssl trusts (SSL_CERT_FILE / SSL_CERT_DIR first), for https
    receivers: the libcurl inside the pycurl wheel does not know where this system keeps them."""
    paths = ssl.get_default_verify_paths()
    cafile = os.environ.get(paths.openssl_cafile_env) or paths.cafile
    capath = os.environ.get(paths.openssl_capath_env) or paths.capath
    return (cafile if cafile and os.path.isfile(cafile) else None,
            capath if capath and os.path.isdir(capath) else None)


_CA_FILE, _CA_PATH = _trust_store()

# curl's error codes, named as the log names them (what tests and people filter on). A refused
# and an unreachable port are both "could not connect" to curl; the detail keeps its message.
_ERRORS = {
    pycurl.E_OPERATION_TIMEDOUT: "timeout",
    pycurl.E_COULDNT_CONNECT: "connection refused",
    # The receiver closed or reset the connection before a whole answer: both are a dropped
    # connection to the integrator; which one the client sees depends on timing, so one name.
    pycurl.E_GOT_NOTHING: "connection reset",
    pycurl.E_SEND_ERROR: "connection reset",
    pycurl.E_RECV_ERROR: "connection reset",
    pycurl.E_PARTIAL_FILE: "connection reset",
    pycurl.E_COULDNT_RESOLVE_HOST: "name resolution failed",
    pycurl.E_SSL_CONNECT_ERROR: "tls error",
    pycurl.E_PEER_FAILED_VERIFICATION: "tls error",
    pycurl.E_SSL_CACERT_BADFILE: "tls error",
    pycurl.E_SSL_CERTPROBLEM: "tls error",
    pycurl.E_SSL_CIPHER: "tls error",
    8: "bad response",  # CURLE_WEIRD_SERVER_REPLY (pycurl names it only E_FTP_WEIRD_SERVER_REPLY)
    pycurl.E_UNSUPPORTED_PROTOCOL: "bad response",  # an HTTP/0.9 answer, which curl refuses
    pycurl.E_BAD_CONTENT_ENCODING: "bad response",
}


