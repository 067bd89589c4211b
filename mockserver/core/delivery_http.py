"""Outbound HTTP for the webhook engine: which URLs and headers it may send, the receiver a URL
names, and one POST with a total deadline that never raises (made by core/curl_post.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, urlsplit

EXCERPT_BYTES = 500
# More than this of a response body is not read: the excerpt needs 500 bytes, and a receiver that
# streams forever must not hold a share of the attempts in flight until the timeout.
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
    receiver may occupy."""
    return _receiver(_without_query(url))


def _target(parts: SplitResult) -> str:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def post(url: str, headers: dict[str, str], body: bytes, timeout: float) -> HttpResult:
    """POST body to url with exactly these headers, on a connection of its own; the whole exchange
    must finish within timeout. (The webhook engine sends its deliveries side by side instead,
    core/delivery_transport.py.)"""
    from mockserver.core import curl_post  # libcurl loads with the first delivery, not at start (~17 ms)

    return curl_post.post(url, headers, body, timeout)
