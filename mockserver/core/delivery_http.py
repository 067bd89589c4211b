"""One outbound HTTP POST with a total deadline, for the webhook engine: never raises, always a result.

http.client (stdlib) rather than requests: requests is only a test extra, and the engine needs exact
control over what is sent (only the given headers plus Host and Content-Length) and over the
deadline, which covers connect, send, the response head and the body read together.
"""
from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from mockserver.core.kept_connections import KeptConnections

EXCERPT_BYTES = 500
# More than this of a response body is not read: the excerpt needs 500 bytes, and a receiver that
# streams forever must not hold a worker until the timeout.
MAX_READ_BYTES = 64 * 1024


@dataclass(frozen=True)
class HttpResult:
    status: int | None  # None when no response arrived
    latency_ms: float  # real time, from before connect to the end of the body read
    excerpt: str  # the first 500 bytes of the response body, decoded leniently
    error: str | None  # "timeout", "connection refused", "connection reset", ... or None
    detail: str | None = None  # the exception behind error, for a person reading the log


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        return left


def check_url(url: str) -> str:
    """The URL if the engine can send to it (absolute http or https with a host); ValueError otherwise."""
    if not isinstance(url, str) or any(c in url for c in "\r\n\t "):
        raise ValueError("the URL should be an absolute http(s) URL without spaces")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the URL should be an absolute http(s) URL")
    try:
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError:
        raise ValueError("the URL's port is not valid") from None
    return url


# Headers the engine sets itself or that steer the connection, never a caller's: a caller choosing
# Host could address a virtual host the URL does not name, and framing headers could smuggle a
# second request.
RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive",
                              "upgrade", "te", "trailer", "proxy-authorization", "proxy-connection",
                              "expect"})


def check_headers(headers: dict[str, str]) -> dict[str, str]:
    """Header names are tokens and values have no line breaks: nothing can be smuggled into the
    request; the connection's own headers (RESERVED_HEADERS) are the engine's to set."""
    checked = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not name or any(c in name for c in " \t\r\n:()<>@,;\\\"/[]?={}"):
            raise ValueError(f"header name {name!r} is not valid")
        if name.lower() in RESERVED_HEADERS:
            raise ValueError(f"header {name} is set by the sandbox itself and cannot be given")
        if not isinstance(value, str) or "\r" in value or "\n" in value or "\0" in value:
            raise ValueError(f"header {name} should be a string without line breaks")
        checked[name] = value
    return checked


def host_permitted(url: str, allowed: frozenset[str]) -> bool:
    """Whether an outbound allow-list (empty: everything) lets the engine send to the URL's host."""
    if not allowed:
        return True
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host in allowed or any(entry.startswith(".") and host.endswith(entry) for entry in allowed)


def target_key(url: str) -> str:
    """The receiver a URL points at (scheme://host:port): the unit one slow receiver may occupy,
    and what kept connections are kept for."""
    return _target(urlsplit(url))


def _target(parts: SplitResult) -> str:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def post(url: str, headers: dict[str, str], body: bytes, timeout: float,
         kept: KeptConnections | None = None) -> HttpResult:
    """POST body to url with exactly these headers; the whole exchange must finish within timeout.
    kept: where a connection the receiver lets stay open is kept for the next delivery to it, and
    taken from (None: a connection for this exchange alone)."""
    started = time.perf_counter()
    deadline = _Deadline(timeout)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    key = _target(parts)
    conn = kept.take(key) if kept is not None else None
    if conn is None:
        conn = _connection(parts.scheme, parts.hostname or "", parts.port, timeout)
    status: int | None = None
    excerpt = b""
    whole = False  # the answer was read to its end
    response = None
    try:
        if conn.sock is None:
            conn.connect()
        conn.sock.settimeout(deadline.left())
        names = {name.lower() for name in headers}
        conn.putrequest("POST", path, skip_host="host" in names, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        if "content-length" not in names:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        conn.sock.settimeout(deadline.left())
        response = conn.getresponse()
        status = response.status
        read = 0
        while read < MAX_READ_BYTES:
            if conn.sock is not None:
                conn.sock.settimeout(deadline.left())
            chunk = response.read1(MAX_READ_BYTES - read) if hasattr(response, "read1") else response.read(4096)
            if not chunk:
                whole = True
                break
            if len(excerpt) < EXCERPT_BYTES:
                excerpt += chunk[:EXCERPT_BYTES - len(excerpt)]
            read += len(chunk)
        error, detail = None, None
    except Exception as exc:  # noqa: BLE001 - every failure of the exchange is a result, not a crash
        # A status that arrived before the failure is kept for the log; success also needs no error.
        error, detail = classify(exc), f"{type(exc).__name__}: {exc}"
    if kept is not None and error is None and whole and response is not None and _reusable(response):
        kept.give(key, conn)
    else:
        conn.close()
    latency = round((time.perf_counter() - started) * 1000, 1)
    return HttpResult(status, latency, excerpt.decode("utf-8", errors="replace"), error, detail)


def _connection(scheme: str, host: str, port: int | None, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _reusable(response: http.client.HTTPResponse) -> bool:
    """Whether the connection may carry the next request: the receiver did not ask to close it,
    and http.client has taken the whole answer (an empty read of a Content-Length: 0 answer does
    not mark it done, a last read() does)."""
    if response.will_close:
        return False
    try:
        return response.isclosed() or response.read() == b""
    except Exception:  # noqa: BLE001 - any doubt: a new connection next time
        return False


def classify(exc: BaseException) -> str:
    """A short, stable name for why an exchange failed (what tests and people filter on)."""
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    # The receiver closed or reset the connection before a whole answer: both are a dropped
    # connection to the integrator; which one the client sees depends on timing, so one name.
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError,
                        http.client.RemoteDisconnected, http.client.IncompleteRead)):
        return "connection reset"
    if isinstance(exc, socket.gaierror):
        return "name resolution failed"
    if isinstance(exc, ssl.SSLError):
        return "tls error"
    if isinstance(exc, http.client.HTTPException):
        return "bad response"
    if isinstance(exc, OSError):
        return "connection error"
    return "error"
