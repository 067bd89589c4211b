"""Shop size: one new shop grown through the admin API (POST /_sandbox/shopee/shops/{id}/orders
{"count"}, 100,000 a call) to each size in turn, with the seconds seeding took and the sandbox
process's RSS at each size; then the single-client p50 of get_order_list by update_time and by
create_time and of get_order_detail of 50, in a shop of each size.

The latencies are measured after the seeding, in one shop of each size (the grown one for the
largest; for the others, shops seeded to that size afterwards), round by round: every size and
call for a slice of the samples, then again, every other round in the other order. Sizes measured
one after another, minutes apart on a shared machine, compared the machine's load more than the
shops (the run of 2026-12-04 22:51: a detail p50 from 0.38 to 0.49 ms while its minimum stayed at
0.33 to 0.35).
"""
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


ROUNDS = 5  # latency rounds: every shop and call once in each


def _urls(calls: Calls, shop: dict[str, Any], newest: list[str]) -> dict[str, str]:
    return {"list_update_time": calls.order_list("update_time", shop),
            "list_create_time": calls.order_list("create_time", shop),
            "detail": calls.order_detail(newest, shop)}


def _latencies(shops: dict[int, dict[str, str]], profile: Any) -> dict[int, dict[str, dict[str, Any]]]:
    """Each shop's calls sampled round by round; a p50 over all the rounds of each."""
    rounds = min(ROUNDS, max(1, profile.latency_samples // 10))
    times: dict[tuple[int, str], list[float]] = {(size, name): [] for size, urls in shops.items() for name in urls}
    errors = dict.fromkeys(times, 0)
    for turn in range(rounds):
        # Every other round backwards: a shop always measured last in its round would be the one
        # measured while whatever the round set going (a collection, the CPUs' clocks) settles.
        for size, urls in (shops.items() if turn % 2 == 0 else reversed(shops.items())):
            for name, url in urls.items():
                taken, failed = latency.timed(url, max(3, profile.latency_samples // rounds),
                                              profile.latency_budget / rounds)
                times[size, name] += taken
                errors[size, name] += failed
    return {size: {name: {**latency.summary(times[size, name], errors[size, name]), "rounds": rounds}
                   for name in urls} for size, urls in shops.items()}


def run(profile: Any, log: Callable[[str], None]) -> dict[str, Any]:
    """The scale phase in one sandbox process."""
    sizes: list[dict[str, Any]] = []
    seed_calls: list[dict[str, Any]] = []
    shops: dict[int, dict[str, str]] = {}
    with sandbox() as server:
        calls = Calls(server.url)
        shop = calls.new_shop()
        empty = rss_bytes(server.pid)
        have = 0
        for size in profile.sizes:
            newest = _grow(calls, shop, have, size, log, seed_calls)
            have = size
            memory = rss_bytes(server.pid)
            sizes.append({"orders": size, "seed_seconds": round(sum(c["seconds"] for c in seed_calls), 3),
                          **memory, "load": load()})
            log(f"  {size:,} orders: seeded in {sizes[-1]['seed_seconds']:.1f} s in all, "
                f"RSS {memory.get('rss', 0) / 2**20:,.0f} MiB")
        for size in profile.sizes[:-1]:  # the smaller sizes, each a shop of its own (not timed)
            other = calls.new_shop()
            shops[size] = _urls(calls, other, _grow(calls, other, 0, size, lambda _: None, []))
        if profile.sizes:
            shops[profile.sizes[-1]] = _urls(calls, shop, newest)
        measured = _latencies(shops, profile)
        for row in sizes:
            row.update(measured[row["orders"]])
            log(f"  {row['orders']:,} orders: p50 update_time {row['list_update_time']['p50_ms']} ms, create_time "
                f"{row['list_create_time']['p50_ms']} ms, detail {row['detail']['p50_ms']} ms")
    return {"chunk": CHUNK, "rss_empty_shop": empty.get("rss"), "sizes": sizes, "seed_calls": seed_calls}
