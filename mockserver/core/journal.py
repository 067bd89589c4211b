"""The request journal: every request the sandbox answered on a platform's behalf, kept for
tests that verify what a client sent (/_sandbox/requests, verify) and for a person looking.

Each entry keeps the method, path, query, headers and body of the request, the status, body and
latency of the answer, the platform, tenant, error code and warnings (core/exchange.py), and the
fault that fired. Secrets never leave it: the query, the headers and the answer are masked when an
entry is read (core/secrets.py), the request body as it is kept. Masking and naming the headers on
the way in cost about a tenth of a signed get_order_list, for entries that are mostly never read
(bench/). The journal is bounded by bytes, not only by entries: each entry's query, body and answer
are cut at PART_LIMIT bytes, and the oldest entries go once the total passes max_bytes.
"""
from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qsl

from mockserver.core.faults import path_matches
from mockserver.core.secrets import SECRET_NAMES, mask_header, mask_json, mask_query

LIMIT = 10_000  # entries
MAX_BYTES = 32 * 1024 * 1024  # default bound of everything the entries hold
PART_LIMIT = 16 * 1024  # bytes kept of one query, request body or answer body
ENTRY_OVERHEAD = 400  # what an entry costs beyond its parts, roughly
_SECRET_FIELD = re.compile(rb'"(' + b"|".join(n.encode() for n in sorted(SECRET_NAMES)) + rb')"\s*:')


@dataclass(slots=True)
class Entry:
    id: int
    at: float  # sandbox clock
    wall: float  # the machine's clock
    method: str
    path: str
    raw_query: str  # as sent, cut at PART_LIMIT; `query` masks it
    # Environ keys (HTTP_USER_AGENT) and values as sent; `headers` names, masks and cuts them.
    raw_headers: tuple[tuple[str, str], ...]
    body: bytes  # secrets masked, cut at PART_LIMIT (keep_body)
    body_size: int
    status: int
    response: bytes
    response_size: int
    response_type: str
    latency_ms: float
    platform: str | None
    tenant: str | None
    error: str | None
    warnings: tuple[str, ...]
    fault: str | None
    size: int = 0

    @property
    def query(self) -> str:
        return mask_query(self.raw_query)

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        shown = []
        for key, value in self.raw_headers:
            name = header_name(key)
            shown.append((name, mask_header(name, value)[:1024]))
        return tuple(shown)

    def summary(self, query: str | None = None) -> dict[str, Any]:
        """`query`: this entry's masked query, when the caller has it already."""
        if query is None:
            query = self.query
        return {"id": self.id, "at": self.at, "method": self.method, "path": self.path,
                "query": first_values(query), "query_all": all_values(query),
                "status": self.status, "platform": self.platform, "tenant": self.tenant,
                "error": self.error, "warnings": list(self.warnings), "latency_ms": self.latency_ms,
                "fault": self.fault}

    def detail(self) -> dict[str, Any]:
        query = self.query  # masked once, for the summary's parsed query and the raw one
        return {**self.summary(query), "query_string": query, "time": self.wall,
                "headers": [list(h) for h in self.headers],
                "body": _text(self.body), "body_size": self.body_size,
                "body_truncated": self.body_size > len(self.body),
                "response": {"status": self.status, "content_type": self.response_type,
                             "body": _text(keep_body(self.response)), "size": self.response_size,
                             "truncated": self.response_size > len(self.response)}}


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def keep_body(data: bytes) -> bytes:
    """The part of a body the journal keeps: secrets masked when it is JSON naming one."""
    part = data[:PART_LIMIT]
    if not _SECRET_FIELD.search(part):
        return part
    try:
        masked = mask_json(json.loads(data))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _SECRET_FIELD.sub(rb'"masked":', part)  # not JSON after all: keep no secret's name/value pair
    return json.dumps(masked, ensure_ascii=False).encode("utf-8")[:PART_LIMIT]


# Request headers as the journal takes them from a WSGI environ: the HTTP_* keys and these two.
BODY_HEADER_KEYS = ("CONTENT_TYPE", "CONTENT_LENGTH")


def environ_headers(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A request's headers as its environ holds them, for Journal.record (named when read)."""
    return tuple([(key, value) for key, value in environ.items() if key[:5] == "HTTP_" or key in BODY_HEADER_KEYS])


_HEADER_NAMES: dict[str, str] = {}


def header_name(key: str) -> str:
    """A header's name from its environ key: HTTP_USER_AGENT -> User-Agent."""
    name = _HEADER_NAMES.get(key)
    if name is None:
        name = (key[5:] if key.startswith("HTTP_") else key).replace("_", "-").title()
        if len(_HEADER_NAMES) > 4096:  # clients choose header names: keep the cache bounded
            _HEADER_NAMES.clear()
        _HEADER_NAMES[key] = name
    return name


class Journal:
    """A bounded, thread-safe log of platform requests; cleared by the world's reset."""

    def __init__(self, limit: int = LIMIT, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[Entry] = deque()
        self._next = 1
        self._bytes = 0
        self.limit = limit
        self.max_bytes = max_bytes
        self.evicted = 0
        # Told the running count when entries go to keep the bounds (Console.dropped), outside the lock.
        self.on_evict: Callable[[int], None] | None = None

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._next = 1

    def record(self, *, method: str, path: str, query: str, headers: tuple[tuple[str, str], ...],
               body: bytes, body_size: int, status: int, response: bytes, response_size: int,
               response_type: str, at: float, wall: float, latency_ms: float, platform: str | None,
               tenant: str | None, error: str | None, warnings: tuple[str, ...], fault: str | None) -> int:
        """Keep one answered request; answers its id. `query` and `headers` (environ_headers) as
        sent, masked when read; `body` masked already (keep_body)."""
        query = query[:PART_LIMIT]
        size = (ENTRY_OVERHEAD + len(path) + len(query) + len(body) + len(response)
                + sum([len(k) + len(v) for k, v in headers]) + sum([len(w) for w in warnings]))
        with self._lock:
            entry = Entry(self._next, at, wall, method, path, query, headers, body, body_size, status, response,
                          response_size, response_type, latency_ms, platform, tenant, error, warnings,
                          fault, size)
            self._next += 1
            self._entries.append(entry)
            self._bytes += size
            before = self.evicted
            while self._entries and (len(self._entries) > self.limit or self._bytes > self.max_bytes):
                self._bytes -= self._entries.popleft().size
                self.evicted += 1
            evicted = self.evicted
        if evicted != before and self.on_evict is not None:
            for total in range(before + 1, evicted + 1):  # each count, so 1, 10, 100... are all said
                self.on_evict(total)
        return entry.id

    def _matching(self, method: str | None, path: str | None, after: int | None) -> list[Entry]:
        with self._lock:
            return [e for e in self._entries if (method is None or e.method == method)
                    and (path is None or path_matches(path, e.path)) and (after is None or e.id > after)]

    def entries(self, method: str | None = None, path: str | None = None, limit: int | None = None,
                after: int | None = None) -> list[dict[str, Any]]:
        """Matching entries in arrival order, the latest `limit` of them; `path` is exact, or a
        prefix when it ends with "*"; `after`: only entries with a greater id (polling)."""
        found = self._matching(method, path, after)
        if limit:
            found = found[-limit:]
        return [e.summary() for e in found]

    def count(self, method: str | None = None, path: str | None = None) -> int:
        return len(self._matching(method, path, None))

    def all(self) -> list[Entry]:
        with self._lock:
            return list(self._entries)

    def get(self, entry_id: int) -> dict[str, Any] | None:
        with self._lock:
            for entry in reversed(self._entries):
                if entry.id == entry_id:
                    return entry.detail()
        return None

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._entries), "bytes": self._bytes, "max_bytes": self.max_bytes,
                    "max_entries": self.limit, "evicted": self.evicted}

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self._bytes = 0
            return count


def first_values(query_string: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        values.setdefault(name, value)
    return values


def all_values(query_string: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        values.setdefault(name, []).append(value)
    return values
