"""Latency of one call made again and again by one client on one kept-alive connection (no
concurrency): the time a single integration waits, which is what grows with the shop's size."""
from __future__ import annotations

import http.client
import json
import statistics
import time
import urllib.parse
from typing import Any

SLOW = 1.0  # seconds: a first answer this slow is a sample, not a warm-up to throw away


def _ok(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return not (isinstance(answer, dict) and answer.get("error"))


def timed(url: str, max_samples: int, budget_seconds: float, min_samples: int = 3) -> tuple[list[float], int]:
    """The ms each of up to `max_samples` calls took (the warm-up left out), stopping early once
    `budget_seconds` are spent and `min_samples` were taken, and how many answered an error (counted,
    not timed)."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    times: list[float] = []
    errors = 0
    spent = 0.0
    first = True
    try:
        while len(times) < max_samples and (spent < budget_seconds or len(times) < min_samples):
            started = time.perf_counter()
            connection.request("GET", target)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            spent += elapsed
            if not _ok(response.status, body):
                errors += 1
                if errors > max_samples:
                    break
                continue
            if first and elapsed < SLOW:
                first = False
                continue  # warm-up: the first call of a connection pays for things later ones do not
            first = False
            times.append(elapsed * 1000)
    finally:
        connection.close()
    return times, errors


def summary(times: list[float], errors: int) -> dict[str, Any]:
    """p50, min and max in ms of the times, with how many there were and the errors."""
    if not times:
        return {"p50_ms": None, "samples": 0, "errors": errors}
    return {"p50_ms": round(statistics.median(times), 3), "min_ms": round(min(times), 3),
            "max_ms": round(max(times), 3), "samples": len(times), "errors": errors}
