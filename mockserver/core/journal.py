"""The request journal: every platform request the sandbox answered (method, path, query, status,
the fault that fired), newest 10,000 kept, for tests that verify what a client sent."""
from __future__ import annotations

import threading
from collections import deque
from typing import Any
from urllib.parse import parse_qsl

from mockserver.core.faults import path_matches

LIMIT = 10_000


class Journal:
    """A bounded, thread-safe log of platform requests; cleared by the world's reset."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[tuple[Any, ...]] = deque(maxlen=limit)
        self._next = 1

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._next = 1

    def record(self, method: str, path: str, query_string: bytes, status: int, at: float,
               fault: str | None) -> None:
        """One answered request; the query is kept raw and parsed only when someone reads it (the
        journal sits on every request's path)."""
        with self._lock:
            self._entries.append((self._next, at, method, path, query_string, status, fault))
            self._next += 1

    def entries(self, method: str | None = None, path: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Matching entries in arrival order; `path` is exact, or a prefix when it ends with "*";
        limit keeps the latest ones. query: the first value of each parameter."""
        with self._lock:
            found = [e for e in self._entries if (method is None or e[2] == method)
                     and (path is None or path_matches(path, e[3]))]
        if limit:
            found = found[-limit:]
        return [{"id": number, "at": at, "method": verb, "path": where, "query": _first_values(raw),
                 "status": status, "fault": fault} for number, at, verb, where, raw, status, fault in found]

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count


def _first_values(query_string: bytes) -> dict[str, str]:
    values: dict[str, str] = {}
    for name, value in parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True):
        values.setdefault(name, value)
    return values
