"""Startup: from spawning a server to its first answer: the sandbox's first 200 of /_sandbox/health
(default world), a peer's first 200 of the stubbed page. Servers start in turn, round after round.

"sandbox" starts as a developer's second start does, and the image's every start: the default
seed's Faker pools are in the cache (mockserver/core/faker_cache.py). "sandbox_cold" is a first
start on a fresh machine: an empty cache, so Faker is imported and draws them."""
from __future__ import annotations

import statistics
import tempfile
from pathlib import Path
from typing import Any, Callable

from bench import peers
from bench.machine import load, settle
from bench.procs import Service, sandbox

NAMES = ("sandbox", "sandbox_cold", "wiremock", "prism")


def _service(name: str, tools: dict[str, Any], folder: Path, path: str, page: bytes, index: int) -> Service:
    if name == "sandbox":
        return sandbox()
    if name == "sandbox_cold":
        return sandbox(env={"SHOP_SANDBOX_CACHE_DIR": str(folder / f"empty-cache-{index}")})
    maker: Callable[..., Service] = getattr(peers, name)
    return maker(tools[name], folder / name, path, page)


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per server: every run (ms and the load then) and the median in ms."""
    return {name: {"runs": rows, "median_ms": round(statistics.median(r["ms"] for r in rows), 1) if rows else None}
            for name, rows in runs.items()}


def run(profile: Any, tools: dict[str, Any], page: tuple[str, bytes] | None, first_starts: dict[str, float],
        log: Callable[[str], None]) -> dict[str, Any]:
    """Dedicated starts (profile.startup_runs rounds), or the first starts of the throughput phase
    when the profile has none (the quick run)."""
    if not profile.startup_runs or page is None:
        return summarise({name: [{"ms": round(seconds * 1000, 1), "load": None}]
                          for name, seconds in first_starts.items() if name in NAMES})
    path, body = page
    names = [n for n in NAMES if n.startswith("sandbox") or not tools.get(n, {}).get("skipped")]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="shop-sandbox-bench-") as folder:
        for index in range(profile.startup_runs):
            for name in names:
                # Each start on a calm machine: a JVM stopped a moment ago, or the throughput phase
                # just before, otherwise decides the figure more than the server itself does.
                busy = settle()
                before = load()
                service = _service(name, tools, Path(folder), path, body, index)
                try:
                    service.start()
                except RuntimeError as exc:
                    log(f"  {name} did not start: {exc}")
                    continue
                finally:
                    service.stop()
                runs[name].append({"ms": round(service.startup_seconds * 1000, 1), "load": before,
                                   "cpu_busy_before": busy})
                log(f"  start {index + 1}/{profile.startup_runs} {name}: {service.startup_seconds * 1000:,.0f} ms "
                    f"(load {before}, CPUs {busy if busy is None else f'{busy:.0%}'} busy just before)")
    return summarise(runs)
