"""The Shopee world as snapshot data and back (world/snapshot.py calls these through app.py).

Generated orders stay lazy: a batch is saved as its parameters (batch.to_dict), and only the
orders that were built (used or changed since) are saved whole, each at its row (ordinal). Loading
plans each batch again (the same columns, no order built), puts the built orders back in their rows,
and leaves removed rows as holes, so every ordinal, list order and order_sn is what it was.
The generators (the world's, its Faker's) and the package/tracking serials are saved too: the
next ids and numbers after a restore are the ones the saved world would have drawn.
"""
from __future__ import annotations

import random
from typing import Any, Callable

from mockserver.shopee.models import AuthCode, Model, Order, Partner, Shop, Token
from mockserver.shopee.push_model import PartnerPush
from mockserver.world.snapshot_codec import decode, encode, restore_rng, rng_state

_CONFIG = ("auto_progress", "tracking_delay", "test_shop_limit", "test_shop_days")


def export_state(world: Any) -> dict[str, Any]:
    """Plain data (caller holds the store's lock); no order is built to save it."""
    book = world.orders
    with world.push.lock:
        push = {"next_message_id": world.push._next_message_id,
                "partners": [encode(entry) for entry in world.push._partners.values()]}
    return {
        "config": {name: getattr(world, name) for name in _CONFIG},
        "rng": rng_state(world.rng), "faker": {"seed": world.faker.seed, "rng": rng_state(world.faker.random)},
        "used_numbers": sorted(world._used_numbers),
        "serials": [world.numbering.package, world.numbering.tracking],
        "default": dict(world.default),
        "partners": [encode(p) for p in world.partners.values()],
        "shops": [encode(s) for s in world.shops.values()],
        "codes": [encode(c) for c in world.codes.values()],
        "tokens": [encode(t) for t in world.tokens.values()],
        "models": [[key[0], encode(m)] for key, m in world.models.items()],
        "auth_pages": [[ticket, page] for ticket, page in world.auth_pages.items()],
        "push": push,
        "orders": {"rows": len(book.index.order_sn),
                   "batches": [_batch(first, batch) for first, batch in book.batches()],
                   "built": [[ordinal, encode(order)] for ordinal, order in book.built()],
                   "removed": [o for o, sn in enumerate(book.index.order_sn) if sn is None]},
    }


def _batch(first: int, batch: Any) -> dict[str, Any]:
    data = {"first": first, **batch.to_dict()}
    data["seed"] = str(data["seed"])  # 128 bits: more than a JSON number keeps exactly
    return data


def load(store: Any, data: Any) -> Any:
    """A ShopeeWorld from export_state's data (store: world/snapshot.py's Staging). ValueError,
    TypeError or KeyError on a bad document, before anything live changes."""
    from mockserver.shopee.factory import WorldFaker, channels_of
    from mockserver.shopee.push_events import Pusher
    from mockserver.shopee.world import ShopeeWorld

    if not isinstance(data, dict):
        raise ValueError("platforms.shopee: expected an object")
    world = ShopeeWorld(restore_rng(random.Random(), data["rng"], "shopee.rng"), store.clock, store.scheduler,
                        store.events, store.settings)
    faker = data["faker"]
    world.faker = WorldFaker(int(faker["seed"]))
    restore_rng(world.faker.random, faker["rng"], "shopee.faker.rng")
    for name in _CONFIG:
        setattr(world, name, data["config"][name])
    world._used_numbers = {str(n) for n in data["used_numbers"]}
    world.numbering.package, world.numbering.tracking = (int(n) for n in data["serials"])
    world.default = dict(data["default"])
    where = "platforms.shopee"
    for n, p in enumerate(data["partners"]):
        world.add_partner(decode(Partner, p, f"{where}.partners[{n}]"))
    for n, s in enumerate(data["shops"]):
        world.add_shop(decode(Shop, s, f"{where}.shops[{n}]"))
    for n, c in enumerate(data["codes"]):
        code = decode(AuthCode, c, f"{where}.codes[{n}]")
        world.codes[code.code] = code
    for n, t in enumerate(data["tokens"]):
        token = decode(Token, t, f"{where}.tokens[{n}]")
        world.tokens[token.value] = token
    for n, (shop_id, m) in enumerate(data["models"]):
        world.add_model(int(shop_id), decode(Model, m, f"{where}.models[{n}]"))
    world.auth_pages = {str(ticket): dict(page) for ticket, page in data["auth_pages"]}
    push = data["push"]
    world.push._next_message_id = int(push["next_message_id"])
    for n, entry in enumerate(push["partners"]):
        record = decode(PartnerPush, entry, f"{where}.push.partners[{n}]")
        world.push._partners[record.partner_id] = record
    _load_orders(world, data["orders"], channels_of, f"{where}.orders")
    if world.default and (world.default.get("partner_id") not in world.partners
                          or world.default.get("shop_id") not in world.shops):
        raise ValueError(f"{where}.default: names a partner or shop the world does not have")
    world.pusher = Pusher(world, store.webhooks)
    world.pusher.install(schedule=False)  # the snapshot's due work comes with it (rearm)
    return world


def _load_orders(world: Any, data: dict[str, Any], channels_of: Callable[[str], list], where: str) -> None:
    from mockserver.shopee.batch import Batch
    from mockserver.shopee.generated import plan_all

    book = world.orders
    rows = int(data["rows"])
    built = {int(o): decode(Order, order, f"{where}.built[{n}]") for n, (o, order) in enumerate(data["built"])}
    removed = {int(o) for o in data["removed"]}
    batches = sorted(data["batches"], key=lambda b: b["first"])
    starts: set[int] = set()
    for number, spec in enumerate(batches):
        shop = world.shops.get(spec["shop_id"])
        if shop is None:
            raise ValueError(f"{where}.batches[{number}]: shop {spec['shop_id']} is not in the world")
        fields = {k: v for k, v in spec.items() if k != "first"}
        batch = Batch.from_dict(fields, shop, channels_of(shop.region))
        for key in batch.model_keys:
            if key not in world.models:
                raise ValueError(f"{where}.batches[{number}]: model {list(key)} is not in the world")
        _fill_rows(book, built, removed, starts, int(spec["first"]), where)
        if len(book.index.order_sn) != int(spec["first"]):
            raise ValueError(f"{where}.batches[{number}]: overlaps the rows before it")
        planned = plan_all(batch)
        book.add_batch(batch, shop.shop_id, planned.columns(), planned.keys)
        starts.update(range(int(spec["first"]), int(spec["first"]) + batch.count))
    _fill_rows(book, built, removed, starts, rows, where)
    if len(book.index.order_sn) != rows or len(book.index.by_sn) + len(removed) != rows:
        raise ValueError(f"{where}: rows, batches, built and removed orders do not add up (duplicate order_sn?)")
    for ordinal, order in built.items():
        if ordinal in starts:
            book.restore_built(ordinal, order)
    for ordinal in sorted(removed & starts):
        book.index.remove(ordinal)


def _fill_rows(book: Any, built: dict[int, Order], removed: set[int], starts: set[int], upto: int,
               where: str) -> None:
    """Rows before `upto` that no batch holds: orders made one by one, or holes where one went."""
    while len(book.index.order_sn) < upto:
        ordinal = len(book.index.order_sn)
        if ordinal in built:
            book.add(built[ordinal])
        elif ordinal in removed:
            book.index.add_hole()
        else:
            raise ValueError(f"{where}: row {ordinal} is in no batch and no order was saved for it")


def rearm(world: Any, data: dict[str, Any]) -> Callable[[], None]:
    """The action of a saved job (Scheduler data written by lifecycle, order_ops and push_events)."""
    from mockserver.shopee import lifecycle

    kind = data.get("kind")
    if kind == "auto_progress":
        order = _order(world, data)
        return lifecycle.auto_progress_job(world, order, str(data["status"]), int(data["version"]),
                                           str(data["event"]), int(data["at"]))
    if kind == "tracking":
        order, at = _order(world, data), int(data["at"])
        return lambda: lifecycle.assign_tracking_numbers(world, order, at)
    if kind == "expiry":
        shop_id = int(data["shop_id"])
        if shop_id not in world.shops:
            raise ValueError(f"scheduled code 12 of shop {shop_id}, which is not in the world")
        return world.pusher.expiry_job(int(data["partner_id"]), shop_id, int(data["expire_time"]))
    raise ValueError(f"scheduled Shopee work of an unknown kind {kind!r}")


def job_armed(world: Any, data: dict[str, Any], job: Any) -> None:
    if data.get("kind") == "expiry":
        world.pusher.keep_expiry_job(int(data["partner_id"]), int(data["shop_id"]), job)


def _order(world: Any, data: dict[str, Any]) -> Order:
    order = world.orders.get(data.get("order_sn"))
    if order is None:
        raise ValueError(f"scheduled work for order {data.get('order_sn')!r}, which is not in the world")
    return order
