"""The 1shop world as snapshot data and back (world/snapshot.py calls these through app.py).

Accounts (with their pages and running numbers), orders in creation order, the taken page
prefixes and the world's generator, so the next appids and order numbers are the ones the saved
world would have drawn. The rate limiter's windows are traffic, not state: not saved.
"""
from __future__ import annotations

import random
from typing import Any, Callable

from mockserver.oneshop.models import Account, Order
from mockserver.world.snapshot_codec import decode, encode, restore_rng, rng_state


def export_state(world: Any) -> dict[str, Any]:
    return {"rng": rng_state(world.rng), "default_appid": world.default_appid,
            "prefixes": sorted(world._prefixes),
            "accounts": [encode(a) for a in world.accounts.values()],
            "orders": [encode(o) for o in world.orders.values()]}


def load(store: Any, data: Any) -> Any:
    from mockserver.oneshop.factory import pools
    from mockserver.oneshop.world import OneshopWorld

    if not isinstance(data, dict):
        raise ValueError("platforms.oneshop: expected an object")
    where = "platforms.oneshop"
    world = OneshopWorld(restore_rng(random.Random(), data["rng"], f"{where}.rng"), store.clock, store.settings)
    world.pools = pools(store.seed)
    for n, a in enumerate(data["accounts"]):
        world.add_account(decode(Account, a, f"{where}.accounts[{n}]"))
    for n, o in enumerate(data["orders"]):
        order = decode(Order, o, f"{where}.orders[{n}]")
        if order.appid not in world.accounts:
            raise ValueError(f"{where}.orders[{n}]: account {order.appid} is not in the world")
        world.orders[order.order_number] = order
    # One sort per account instead of an insertion per order.
    for appid, keys in world._by_create.items():
        keys.extend(o.sort_key() for o in world.orders.values() if o.appid == appid)
        keys.sort()
    world._prefixes = {str(p) for p in data["prefixes"]}
    world.default_appid = str(data["default_appid"])
    if world.default_appid not in world.accounts:
        raise ValueError(f"{where}.default_appid: not an account of the world")
    return world


def rearm(world: Any, data: dict[str, Any]) -> Callable[[], None]:
    raise ValueError("1shop schedules no work: a saved job of it cannot be loaded")
