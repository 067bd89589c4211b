"""One outbound HTTP POST with a total deadline, for the webhook engine: never raises, always a result.

libcurl (pycurl) rather than http.client: curl makes the exchange without the interpreter's lock, so
a burst of deliveries no longer competes with the requests that queue them (http.client's request
writing and header parsing were a third of a SHOPLINE trigger's Python time, bench/). What is sent
is exactly the given headers plus Host and Content-Length, and one deadline covers connect, send,
the answer's head and its body together (curl's total timeout).
"""
from __future__ import annotations

import os
import ssl
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, quote, urlsplit

import pycurl

from mockserver.core import kept_connections
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


def check_url(url: str) -> str:
    """The URL if the engine can send to it (absolute http or https with a host); ValueError otherwise."""
    if not isinstance(url, str) or any(c in url for c in "\r\n\t "):
        raise ValueError("the URL should be an absolute http(s) URL without spaces")
    _receiver(_without_query(url))
    return url


def _without_query(url: str) -> str:
    # Scheme, host and port come before any '?' or '#': a query that changes with every delivery
    # (SHOPLINE's sign) leaves the checked part, and so the cache below, the same.
    return url.partition("#")[0].partition("?")[0]


@lru_cache(maxsize=1024)  # the few receivers of a run, asked about on every enqueue
def _receiver(url: str) -> str:
    """The receiver (scheme://host:port) of a URL without its query; ValueError if none can be sent to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the URL should be an absolute http(s) URL")
    try:
        return _target(parts)  # parts.port raises ValueError on a port out of range
    except ValueError:
        raise ValueError("the URL's port is not valid") from None


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
    """The receiver a URL (one check_url passed) points at (scheme://host:port): the unit one slow
    receiver may occupy, and what kept connections are kept for."""
    return _receiver(_without_query(url))


def _target(parts: SplitResult) -> str:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def post(url: str, headers: dict[str, str], body: bytes, timeout: float,
         kept: KeptConnections | None = None) -> HttpResult:
    """POST body to url with exactly these headers; the whole exchange must finish within timeout.
    kept: where a connection the receiver lets stay open is kept for the next delivery to it, and
    taken from (None: a connection for this exchange alone)."""
    started = time.perf_counter()
    key = target_key(url)
    handle = kept.take(key) if kept is not None else None
    if handle is None:
        handle = _new_handle(reuse=kept is not None)
    answer = _Answer()
    error = detail = None
    try:
        handle.setopt(pycurl.URL, url if url.isascii() else _ascii_url(url))
        handle.setopt(pycurl.HTTPHEADER, _header_lines(headers))
        handle.setopt(pycurl.POSTFIELDS, body)
        handle.setopt(pycurl.TIMEOUT_MS, max(1, int(timeout * 1000)))
        handle.setopt(pycurl.WRITEFUNCTION, answer.write)
        handle.perform()  # without the GIL: the exchange costs the interpreter nothing
    except pycurl.error as exc:
        code, message = exc.args[0], exc.args[1] if len(exc.args) > 1 else ""
        if not (code == pycurl.E_WRITE_ERROR and answer.enough):  # stopped reading on purpose: no error
            error, detail = _ERRORS.get(code, "connection error"), f"curl error {code}: {message}"
    except UnicodeError as exc:  # a host IDNA cannot write, a header value beyond Latin-1
        error, detail = "bad request", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - never raises: a worker thread must not die of it
        error, detail = "error", f"{type(exc).__name__}: {exc}"
    status = handle.getinfo(pycurl.RESPONSE_CODE) or None  # an answer's status is kept even after a failure
    socket_fd = handle.getinfo(pycurl.ACTIVESOCKET) if kept is not None and error is None else -1
    handle.setopt(pycurl.WRITEFUNCTION, _discard)  # drop the answer's reference to this handle
    if socket_fd != -1:
        kept.give(key, handle, socket_fd)  # type: ignore[union-attr]
    else:
        handle.close()
    latency = round((time.perf_counter() - started) * 1000, 1)
    return HttpResult(status, latency, answer.excerpt.decode("utf-8", errors="replace"), error, detail)


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


def _new_handle(reuse: bool) -> pycurl.Curl:
    handle = pycurl.Curl()
    handle.setopt(pycurl.NOSIGNAL, 1)  # worker threads: curl must not use signals for its timeouts
    handle.setopt(pycurl.HTTP_VERSION, pycurl.CURL_HTTP_VERSION_1_1)  # what the platforms send
    handle.setopt(pycurl.NOPROXY, "*")  # a receiver is reached directly, as http.client did: no *_proxy
    handle.setopt(pycurl.MAXCONNECTS, 1)  # a handle carries one receiver's one connection
    handle.setopt(pycurl.FORBID_REUSE, 0 if reuse else 1)
    handle.setopt(pycurl.MAXAGE_CONN, max(1, int(kept_connections.IDLE_SECONDS)))
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


