"""A small JSON-over-HTTP transport on the standard library (urllib), shared by the sandbox clients.

The standard library, not requests: the clients ship with the package and the pytest plugin, and
requests is only a test extra. Every answer comes back as a `Response`, whatever its status: a 4xx
or a 302 is something a test looks at, not an exception. Redirects are not followed and proxies
from the environment are ignored (the sandbox is local or a CI service; a corporate proxy that
does not exempt 127.0.0.1 would otherwise swallow every call).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlencode

DEFAULT_TIMEOUT = 30.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError for the 3xx, which request() turns into a Response


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


class SandboxUnreachable(ConnectionError):
    """No HTTP answer at all (connection refused, timeout, DNS): the sandbox is not where we looked."""


@dataclass
class Response:
    """One HTTP answer: status, headers (case-insensitive .get), raw body."""

    status: int
    headers: Message
    body: bytes
    url: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def __repr__(self) -> str:
        excerpt = self.text[:200]
        return f"<Response {self.status} {self.url} {excerpt!r}>"


def query_string(query: Mapping[str, Any] | None) -> str:
    """key=value pairs; None values are left out, lists repeat the key, booleans are true/false."""
    pairs: list[tuple[str, str]] = []
    for key, value in (query or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            pairs.append((key, ("true" if item else "false") if isinstance(item, bool) else str(item)))
    return urlencode(pairs)


def request(method: str, url: str, *, query: Mapping[str, Any] | None = None, json_body: Any = None,
            data: bytes | None = None, headers: Mapping[str, str] | None = None,
            timeout: float = DEFAULT_TIMEOUT) -> Response:
    """Send one request; JSON bodies are compact UTF-8 with Content-Type application/json."""
    qs = query_string(query)
    if qs:
        url = f"{url}{'&' if '?' in url else '?'}{qs}"
    all_headers = {"Accept": "application/json", **(headers or {})}
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        all_headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method.upper(), headers=all_headers)
    try:
        with _OPENER.open(req, timeout=timeout) as answer:
            return Response(answer.status, answer.headers, answer.read(), url)
    except urllib.error.HTTPError as answer:  # a 4xx, 5xx or 3xx: an answer all the same
        with answer:
            return Response(answer.code, answer.headers, answer.read(), url)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SandboxUnreachable(f"{method.upper()} {url}: {reason}") from exc
