"""Snapshot save and restore at 1,000 and 100,000 Shopee orders (issue 16), in one process.

`python -m bench.snapshot [SIZES...]`: for each size, a world with one shop grown to that many
generated orders, 1% of them built (read) and 100 moved by hand, then: export under the store's
lock (the part that holds it), serialising, the atomic write, the file's size; and restoring it
into a fresh sandbox: reading, preparing (outside the lock) and the swap. Medians of 3 runs.
A measurement, not a test: the figures go to docs and the issue's closing note.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mockserver.app import create_app
from mockserver.settings import Settings
from mockserver.world import snapshot
from mockserver.world.state_dir import write_atomically

RUNS = 3
CHUNK = 100_000


def _world(size: int) -> Any:
    app = create_app(Settings(seed=16, shopee_order_count=0))
    client = app.test_client()
    store = app.extensions["shop_sandbox"]
    shop_id = store.backends["shopee"].default["shop_id"]
    client.post("/_sandbox/shopee/settings", json={"test_shop_limit": None})
    have = 0
    while have < size:
        count = min(CHUNK, size - have)
        answer = client.post(f"/_sandbox/shopee/shops/{shop_id}/orders", json={"count": count})
        assert answer.status_code in (200, 201), answer.json
        have += count
    world = store.backends["shopee"]
    ordinals = range(0, len(world.orders.index.order_sn), 100)  # 1% built, as if read
    for ordinal in ordinals:
        world.orders.at(ordinal)
    moved = 0
    for sn in list(world.orders.index.waiting_to_ship(shop_id))[:100]:
        order = world.orders.at(sn)
        client.post(f"/_sandbox/shopee/orders/{order.order_sn}/ship", json={})
        moved += 1
    return app, len(world.orders), len(world.orders.built()), moved


def _timed(action: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def measure(size: int) -> dict[str, Any]:
    app, orders, built, moved = _world(size)
    store = app.extensions["shop_sandbox"]
    target = Path(tempfile.mkdtemp(prefix="bench-snapshot-")) / "snapshot.json"
    runs: dict[str, list[float]] = {k: [] for k in ("export_locked", "serialise", "write", "save_total",
                                                     "read_parse", "prepare", "swap", "restore_total")}
    for _ in range(RUNS):
        document, locked = _timed(lambda: snapshot.export_snapshot(store))
        data, serialise = _timed(lambda: snapshot.dumps(document))
        _, write = _timed(lambda: write_atomically(target, data))
        runs["export_locked"].append(locked)
        runs["serialise"].append(serialise)
        runs["write"].append(write)
        runs["save_total"].append(locked + serialise + write)
        fresh = create_app(Settings(seed=1)).extensions["shop_sandbox"]
        parsed, read = _timed(lambda: snapshot.loads(target.read_bytes()))
        prepared, prepare = _timed(lambda: snapshot.prepare(fresh, parsed))
        _, swap = _timed(lambda: snapshot.commit(fresh, prepared))
        runs["read_parse"].append(read)
        runs["prepare"].append(prepare)
        runs["swap"].append(swap)
        runs["restore_total"].append(read + prepare + swap)
        assert snapshot.dumps(snapshot.export_snapshot(fresh)) == data  # the same world came back
    return {"orders": orders, "built": built, "moved_by_hand": moved, "bytes": target.stat().st_size,
            **{name: round(statistics.median(values), 4) for name, values in runs.items()}}


def main(argv: list[str]) -> int:
    sizes = [int(s) for s in argv] or [1_000, 100_000]
    results = []
    for size in sizes:
        result = measure(size)
        results.append(result)
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
