"""The console: one line per request the sandbox answers and per outbound webhook attempt, as a
person debugging an integration wants it (text), or one JSON object a line for log collectors.

Secrets are masked before a line is written (the query goes through core/secrets.py); on standard
output a request's line is masked and made by the writer thread (core/line_writer.py). A line is
written whole under a lock, so lines from the request threads and the webhook dispatcher never
interleave. Lists (unfinished deliveries at stop, dropped records) are bounded: counts first, then
at most SAMPLE examples.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any, Iterable, TextIO

from mockserver.core.line_writer import LineWriter
from mockserver.core.secrets import mask_query

FORMATS = ("text", "json")
SAMPLE = 5  # examples a summary line names at most
MAX_QUERY = 300  # characters of a query a text line shows


_last_second: tuple[int, str] = (-1, "")  # the last whole second _clock formatted, and its HH:MM:SS


def _clock(wall: float) -> str:
    global _last_second
    second, text = _last_second  # one read: another thread may replace it meanwhile
    if second != int(wall):  # strftime once a second, not once a line
        second = int(wall)
        text = time.strftime("%H:%M:%S", time.localtime(second))
        _last_second = (second, text)
    return f"{text}.{int(wall % 1 * 1000):03d}"


def _iso(wall: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(wall)) + f".{int(wall % 1 * 1000):03d}Z"


class Console:
    """Writes lines to a stream; `enabled` False writes nothing, `quiet` skips request lines only."""

    def __init__(self, stream: TextIO | None = None, fmt: str = "text", quiet: bool = False,
                 enabled: bool = True) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"log format should be one of {', '.join(FORMATS)}, not {fmt!r}")
        self.stream = stream
        self.fmt = fmt
        self.quiet = quiet
        self.enabled = enabled
        self._lock = threading.Lock()
        # Standard output is written by a thread of its own (core/line_writer.py); a stream given
        # by a caller (tests) is written at once.
        self._writer = LineWriter(lambda: sys.stdout, self._dropped_line)

    @property
    def wants_requests(self) -> bool:
        return self.enabled and not self.quiet

    def flush(self, timeout: float = 5.0) -> None:
        """Every line so far written out (before the process exits)."""
        self._writer.flush(timeout)

    def _dropped_line(self, count: int) -> str:
        message = f"{count} console lines dropped: the output did not keep up"
        if self.fmt == "json":
            return json.dumps({"time": _iso(time.time()), "kind": "console_dropped", "count": count,
                               "message": message})
        return f"{_clock(time.time())} shop-sandbox {message}"

    def _write(self, text: str) -> None:
        if self.stream is None:
            self._writer.put(text)
            return
        stream = self.stream
        with self._lock:
            try:
                stream.write(text + "\n")
                stream.flush()
            except (OSError, ValueError):  # a closed pipe or stream must not fail a request
                pass

    def _emit(self, record: dict[str, Any], text: str) -> None:
        if self.fmt == "json":
            self._write_json(record)
        else:
            self._write(text)

    def _write_json(self, record: dict[str, Any]) -> None:
        self._write(self._json_line(record))

    @staticmethod
    def _json_line(record: dict[str, Any]) -> str:
        """The record as one JSON line, its empty (None) fields left out."""
        return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)

    # ---- requests --------------------------------------------------------------------------------
    def request(self, *, wall: float, platform: str | None, tenant: str | None, method: str, path: str,
                query: str, status: int, error: str | None, latency_ms: float,
                warnings: Iterable[str] = (), request_id: int | None = None) -> None:
        """One request's line, its query's secrets masked. On standard output the writer thread
        masks and formats it (core/line_writer.py), not the thread that answered."""
        if not self.wants_requests:
            return
        args = (wall, platform, tenant, method, path, query, status, error, latency_ms, tuple(warnings), request_id)
        if self.stream is None:
            self._writer.put_later(self._request_line, args)
        else:
            self._write(self._request_line(*args))

    def _request_line(self, wall: float, platform: str | None, tenant: str | None, method: str, path: str,
                      query: str, status: int, error: str | None, latency_ms: float, warnings: tuple[str, ...],
                      request_id: int | None) -> str:
        query = mask_query(query)
        if self.fmt == "json":
            return self._json_line({"time": _iso(wall), "kind": "request", "platform": platform or "-",
                                    "tenant": tenant, "method": method, "path": path, "query": query or None,
                                    "status": status, "error": error, "latency_ms": round(latency_ms, 2),
                                    "warnings": list(warnings) or None, "journal_id": request_id})
        shown = path + ("?" + (query if len(query) <= MAX_QUERY else query[:MAX_QUERY] + "...") if query else "")
        text = (f"{_clock(wall)} {platform or '-':8} {tenant or '-':22} {method:6} {shown} -> {status}"
                f"{' ' + error if error else ''} {latency_ms:.1f}ms")
        if warnings:
            text += "  warning: " + "; ".join(warnings)
        return text

    # ---- webhooks --------------------------------------------------------------------------------
    def attempt(self, view: dict[str, Any], attempt: dict[str, Any], next_retry_in: float | None,
                note: str | None = None) -> None:
        """One outbound attempt (view: the delivery's summary; attempt: Attempt.to_dict())."""
        if not self.enabled:
            return
        wall = time.time()
        if self.fmt == "json":  # one format's line only: a line per delivery is made on the dispatcher's time
            self._write_json({"time": _iso(wall), "kind": "webhook", "platform": view["platform"],
                              "event": view["event"], "url": view["url"], "delivery": view["id"],
                              "attempt": attempt["number"], "max_attempts": view.get("max_attempts"),
                              "status": attempt.get("status"), "error": attempt.get("error"),
                              "ok": attempt.get("ok"), "latency_ms": attempt.get("latency_ms"),
                              "next_retry_in": next_retry_in, "note": note})
            return
        outcome = (f"{attempt['status']}" if attempt.get("error") is None
                   else f"{attempt['error']}" + (f" ({attempt['status']})" if attempt.get("status") else ""))
        then = ("delivered" if attempt.get("ok") else
                f"retry in {next_retry_in:g}s (sandbox clock)" if next_retry_in is not None else
                "no retry left" if not attempt.get("replay") else "replay failed")
        text = (f"{_clock(wall)} {view['platform']:8} webhook {view['event'] or '-'} -> {view['url']} "
                f"attempt {attempt['number']}/{view.get('max_attempts')}: {outcome} "
                f"{attempt.get('latency_ms', 0):.1f}ms, {then} [{view['id']}]")
        if note:
            text += f"  warning: {note}"
        self._write(text)

    def delivery_ended(self, view: dict[str, Any], outcome: str, reason: str) -> None:
        """A delivery the sandbox gave up on, or will never send (suppressed, evicted...)."""
        if not self.enabled:
            return
        record = {"time": _iso(time.time()), "kind": "webhook_" + outcome, "platform": view["platform"],
                  "event": view["event"], "url": view["url"], "delivery": view["id"],
                  "attempts": view.get("attempt_count"), "reason": reason}
        self._emit(record, f"{_clock(time.time())} {view['platform']:8} webhook {view['event'] or '-'} -> "
                           f"{view['url']} {outcome.upper()}: {reason} [{view['id']}]")

    # ---- anything else -----------------------------------------------------------------------------
    def notice(self, kind: str, message: str, **fields: Any) -> None:
        """A line about the sandbox itself (start, stop, something dropped)."""
        if not self.enabled:
            return
        self._emit({"time": _iso(time.time()), "kind": kind, "message": message, **fields},
                   f"{_clock(time.time())} shop-sandbox {message}")

    def dropped(self, kind: str, total: int, message: str) -> None:
        """A bounded store let go of something it held (`total` so far): said at the 1st, 10th,
        100th... drop, so a flood shows on the console without flooding it."""
        if total > 0 and str(total).rstrip("0") == "1":
            self.notice(kind, f"{message} ({total} so far)", dropped=total)

    def summary(self, kind: str, what: str, items: list[dict[str, Any]], describe: Any,
                counts: dict[str, int] | None = None) -> None:
        """`len(items) what` with counts, then at most SAMPLE examples: bounded whatever the list."""
        if not self.enabled or not items:
            return
        sample = [describe(item) for item in items[:SAMPLE]]
        counted = ", ".join(f"{n} {k}" for k, n in (counts or {}).items() if n)
        more = len(items) - len(sample)
        message = (f"{len(items)} {what}" + (f" ({counted})" if counted else "") + "; "
                   + ", ".join(sample) + (f" and {more} more" if more > 0 else ""))
        self._emit({"time": _iso(time.time()), "kind": kind, "count": len(items), "counts": counts,
                    "examples": sample}, f"{_clock(time.time())} shop-sandbox {message}")
