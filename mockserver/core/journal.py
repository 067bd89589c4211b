"""The request journal: every platform request the sandbox answered (method, path, query, status,
the fault that fired), newest 10,000 kept, for tests that verify what a client sent."""
from __future__ import annotations

import threading
from collections import deque
from typing import Any

LIMIT = 10_000


class Journal:
    """A bounded, thread-safe log of platform requests; cleared by the world's reset."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)
        self._next = 1

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._next = 1

    def record(self, method: str, path: str, query: dict[str, str], status: int, at: float,
               fault: str | None) -> None:
        with self._lock:
            self._entries.append({"id": self._next, "at": at, "method": method, "path": path, "query": query,
                                  "status": status, "fault": fault})
            self._next += 1

    def entries(self, method: str | None = None, path: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Matching entries in arrival order; `path` is exact, or a prefix when it ends with "*";
        limit keeps the latest ones."""
        with self._lock:
            found = [e for e in self._entries if (method is None or e["method"] == method)
                     and (path is None or (e["path"].startswith(path[:-1]) if path.endswith("*") else e["path"] == path))]
        return found[-limit:] if limit else found

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count
