"""Shop size: one new shop grown through the admin API (POST /_sandbox/shopee/shops/{id}/orders
{"count"}, 100,000 a call) to each size in turn; at each size the seconds seeding took,
the sandbox process's RSS, and the single-client p50 of get_order_list by update_time and by
create_time and of get_order_detail of 50."""
from __future__ import annotations

import time
from typing import Any, Callable

from bench import latency
from bench.calls import Calls
from bench.machine import load
from bench.procs import http_json, rss_bytes, sandbox

# Orders a call (the admin API takes up to 1,000,000): the shop grows through every size measured,
# and each call merges into a larger shop, the harder case for the index.
CHUNK = 100_000


def _grow(calls: Calls, shop: dict[str, Any], have: int, size: int, log: Callable[[str], None],
          seed_calls: list[dict[str, Any]]) -> list[str]:
    """Add orders until the shop has `size`; the order_sn of the last call's orders."""
    url = f"{calls.base}/_sandbox/shopee/shops/{shop['shop_id']}/orders"
    newest: list[str] = []
    while have < size:
        count = min(CHUNK, size - have)
        before = load()
        started = time.perf_counter()
        newest = http_json(url, {"count": count}, timeout=3600)["order_sns"]
        seconds = time.perf_counter() - started
        have += count
        seed_calls.append({"count": count, "orders_after": have, "seconds": round(seconds, 3), "load": before})
        log(f"  seeded {count:,} orders in {seconds:.1f} s ({have:,} in the shop, load {before})")
    return newest


def run(profile: Any, log: Callable[[str], None]) -> dict[str, Any]:
    """The scale phase in one sandbox process."""
    sizes: list[dict[str, Any]] = []
    seed_calls: list[dict[str, Any]] = []
    with sandbox() as server:
        calls = Calls(server.url)
        shop = calls.new_shop()
        empty = rss_bytes(server.pid)
        have = 0
        for size in profile.sizes:
            newest = _grow(calls, shop, have, size, log, seed_calls)
            have = size
            memory = rss_bytes(server.pid)
            row: dict[str, Any] = {"orders": size, "seed_seconds": round(sum(c["seconds"] for c in seed_calls), 3),
                                   **memory, "load": load()}
            urls = {"list_update_time": calls.order_list("update_time", shop),
                    "list_create_time": calls.order_list("create_time", shop),
                    "detail": calls.order_detail(newest, shop)}
            for name, url in urls.items():
                row[name] = latency.sample(url, profile.latency_samples, profile.latency_budget)
            sizes.append(row)
            log(f"  {size:,} orders: seeded in {row['seed_seconds']:.1f} s in all, RSS {memory.get('rss', 0) / 2**20:,.0f} MiB; "
                f"p50 update_time {row['list_update_time']['p50_ms']} ms, create_time "
                f"{row['list_create_time']['p50_ms']} ms, detail {row['detail']['p50_ms']} ms")
    return {"chunk": CHUNK, "rss_empty_shop": empty.get("rss"), "sizes": sizes, "seed_calls": seed_calls}
