"""Generated orders: a batch of them put in the world at once (generate_batch), and one of them
built whole when it is first used (build_generated). batch.py decides what each order is."""
from __future__ import annotations

import random
from array import array
from typing import Any

from mockserver.core.events import Event
from mockserver.shopee import lifecycle
from mockserver.shopee.batch import Batch, Columns
from mockserver.shopee.factory import channels_of, make_order, walk
from mockserver.shopee.models import Order
from mockserver.shopee.numbering import package_number, tracking_number
from mockserver.shopee.order_index import STATUSES, batch_keys
from mockserver.shopee.world import ShopeeWorld

_SN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generate_batch(world: ShopeeWorld, shop: Any, count: int, end: int, days: int, names: list[str],
                   weights: list[int] | None) -> list[str]:
    """Put `count` generated orders of `shop` in the world at once (the caller holds the lock
    throughout); answers their order_sns. The admin API runs the three steps apart instead, so
    that planning a large batch never holds the lock."""
    batch = prepare(world, shop, count, end, days, names, weights)
    return commit(world, shop, batch, plan_all(batch))


def prepare(world: ShopeeWorld, shop: Any, count: int, end: int, days: int, names: list[str],
            weights: list[int] | None) -> Batch:
    """Under the store's lock: the batch's seed, numbers and the products it may order."""
    model_keys = tuple(key for key in world.models if key[0] == shop.shop_id)
    if not model_keys:
        raise ValueError(f"shop {shop.shop_id} has no products to order")
    batch = Batch(shop, world.rng.getrandbits(128), count, end, days, names, weights, model_keys,
                  tuple(channels_of(shop.region)), world.numbering.reserve(count))
    # Its rows now, so that its index keys are made final without the lock (plan_all).
    batch.first = world.orders.index.reserve(count)
    return batch


class Planned(Columns):
    """A batch's columns for the index, and the stock it buys, before they go into the world."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: Any = None  # order_index.BatchKeys of the columns, made with them
        self.repeats = False  # whether an order_sn comes twice in the batch

    def columns(self) -> tuple[list, ...]:
        return self.sns, self.created, self.updated, self.codes, self.channels, self.ship_by


def plan_all(batch: Batch) -> Planned:
    """Without the lock (it touches no world state): every order's plan, as columns (order_sns
    the batch renamed at commit, when loaded from a snapshot, as renamed)."""
    planned = batch.columns(Planned())
    sns, created, updated, codes, channels, ship_by = planned.columns()
    for position, sn in batch.renamed.items():
        sns[position] = sn
    # Sorting 100,000s of keys and making the index's columns: not under the lock.
    planned.keys = keys = batch_keys(created, updated, codes, channels, ship_by, batch.first or 0)
    keys.by_sn = dict(zip(sns, range(keys.base, keys.base + len(sns))))
    planned.repeats = len(keys.by_sn) != len(sns)  # two orders of the batch drew one order_sn
    planned.created, planned.updated = array("q", created), array("q", updated)
    planned.channels, planned.ship_by = array("q", channels), array("q", ship_by)
    return planned


def commit(world: ShopeeWorld, shop: Any, batch: Batch, planned: Planned) -> list[str]:
    """Under the lock again: order_sns made unique (the rare one taken meanwhile is redrawn from
    the batch's own generator), the stock taken, the rows indexed in one merge, pushes raised.
    ValueError, and nothing changed, when the stock is short."""
    for key, quantity in planned.bought.items():
        model = world.models.get(key)
        if model is None or model.stock < quantity:
            have = 0 if model is None else model.stock
            raise ValueError(f"model {key[2]} has {have} in stock, {quantity} ordered")
    taken, sns = world.orders.index.by_sn, planned.sns
    if planned.repeats or not taken.keys().isdisjoint(planned.keys.by_sn):  # rare: redraw the ones taken
        planned.keys.by_sn = None  # order_sns change: the index pairs them with their rows itself
        seen: set[str] = set()
        redraw = random.Random(batch.seed)
        for position, sn in enumerate(sns):
            if sn in taken or sn in seen:
                while sn in taken or sn in seen:
                    sn = sn[:6] + "".join(redraw.choice(_SN_ALPHABET) for _ in range(8))
                sns[position] = batch.renamed[position] = sn
            seen.add(sn)
    for key, quantity in planned.bought.items():
        world.models[key].stock -= quantity
    world.orders.add_batch(batch, shop.shop_id, planned.columns(), planned.keys)
    _announce(world, shop, sns, planned.codes, planned.updated)
    return sns


def _announce(world: ShopeeWorld, shop: Any, sns: list[str], codes: list[int], updated: list[int]) -> None:
    """Seed 001: a push goes out "whenever a new order is created": one code 3 per order, with
    the status it has now (its history raised none); and auto-progress timers, when on."""
    pusher = world.pusher
    if pusher is not None and pusher.wants_shop(shop.shop_id, 3):
        now = world.now()
        for sn, code, update_time in zip(sns, codes, updated):
            world.events.publish(Event("shopee.order_created", now, {
                "shop_id": shop.shop_id, "order_sn": sn, "status": STATUSES[code], "update_time": update_time}))
    if world.auto_progress:  # timers need the orders themselves: build the ones that wait
        waiting = [world.orders[sn] for sn, code in zip(sns, codes) if STATUSES[code] in lifecycle.AUTO_PROGRESS]
        lifecycle.resume_auto_progress(world, waiting)


class _OwnNumbers:
    """A generated order's package and tracking numbers, fixed by its place in its batch."""

    def __init__(self, batch: Batch, index: int) -> None:
        self._package = package_number(batch.package_serial + index)
        self._tracking = tracking_number(batch.tracking_serial + index, batch.region)

    def next_package(self) -> str:
        return self._package

    def next_tracking(self, region: str) -> str:
        return self._tracking


def build_generated(world: ShopeeWorld, batch: Batch, index: int, order_sn: str) -> Order:
    """The batch's order at `index`, built whole: the same order whenever it is built."""
    plan = batch.plan(index, order_sn)
    rng = random.Random(plan.seed)
    shop = world.shops[batch.shop_id]
    with world.replaying_history(rng, _OwnNumbers(batch, index)):
        lines = [(world.models[key], quantity) for key, quantity in plan.lines]
        order = make_order(world, shop, plan.create_time, lines, channel_id=plan.channel[0],
                           order_sn=plan.order_sn, discounted=True, days_to_ship=plan.days_to_ship)
        walk(world, order, plan.steps, plan.step_times, rng)
    if (order.status, order.update_time, order.ship_by_date) != (plan.target, plan.update_time, plan.ship_by):
        raise RuntimeError(f"generated order {order_sn} was built as {order.status} at {order.update_time}, "
                           f"its batch listed it as {plan.target} at {plan.update_time}")
    return order
