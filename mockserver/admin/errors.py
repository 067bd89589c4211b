"""/_sandbox/errors: the sandbox's own crashes (a bug answered 500), with their tracebacks, for a
client that runs in another process (the pytest plugin against a container)."""
from __future__ import annotations

import threading
import traceback
from collections import deque
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from mockserver.admin.http import query_int, reply

bp = Blueprint("sandbox_errors", __name__, url_prefix="/_sandbox")

LOG_KEY = "shop_sandbox_error_log"
KEEP = 100  # the newest crashes; `total` still counts every one


class CrashLog:
    """Crashes as JSON records, numbered from 1; not part of the world, so a reset keeps them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: deque[dict[str, Any]] = deque(maxlen=KEEP)
        self.total = 0

    def add(self, method: str, path: str, at: float, exc: BaseException) -> None:
        with self._lock:
            self.total += 1
            self._records.append({"id": self.total, "at": at, "method": method, "path": path,
                                  "type": type(exc).__name__, "message": str(exc),
                                  "traceback": "".join(traceback.format_exception(exc))})

    def since(self, after: int) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self._records if r["id"] > after]


def record_crash(app: Flask, exc: BaseException, method: str | None = None, path: str | None = None) -> None:
    """Keep a crash for GET /_sandbox/errors (the current Flask request's, unless named)."""
    log: CrashLog = app.extensions.setdefault(LOG_KEY, CrashLog())
    store = app.extensions["shop_sandbox"]
    log.add(method or request.method, path or request.path, store.clock.now(), exc)
    if log.total > KEEP:
        store.console.dropped("crashes_dropped", log.total - KEEP,
                              f"the oldest crash record was dropped (GET /_sandbox/errors keeps the newest {KEEP})")


@bp.get("/errors")
def list_errors() -> Response:
    """Crashes after `after` (an id; 0: every one kept), oldest first, and how many there were."""
    after = query_int("after", 0, default=0)
    log: CrashLog = current_app.extensions.setdefault(LOG_KEY, CrashLog())
    return reply({"errors": log.since(after), "total": log.total})
