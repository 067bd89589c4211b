"""The SHOPLINE world as snapshot data and back (world/snapshot.py calls these through app.py).

Apps, merchants, tokens, shops, both flavours' subscriptions, the emission settings, the failure
counts that decide removals, and the world's generator (the next ids are the ones the saved world
would have drawn). The rate limiter's windows are traffic, not state: not saved.
"""
from __future__ import annotations

import random
from typing import Any, Callable

from mockserver.shopline.subscriptions import (App, EmissionSettings, GlobalSubscription, Merchant, Shop,
                                               ShoplineWorld, Subscription, Token)
from mockserver.world.snapshot_codec import decode, decoder_of, encode, encoder_of, restore_rng, rng_state

_RECORDS = (("apps", App, "app_id"), ("merchants", Merchant, "merchant_id"), ("tokens", Token, "token"),
            ("shops", Shop, "shop_id"), ("subscriptions", Subscription, "id"),
            ("global_subscriptions", GlobalSubscription, "id"))
_COUNTS = dict[str, int]
_REASONS = dict[str, str]


def export_state(world: ShoplineWorld) -> dict[str, Any]:
    state: dict[str, Any] = {"rng": rng_state(world.rng), "settings": encode(world.settings)}
    for name, _, _ in _RECORDS:
        state[name] = [encode(record) for record in getattr(world, name).values()]
    state.update(consecutive_failures=encoder_of(_COUNTS)(world.consecutive_failures),
                 deleted_reasons=encoder_of(_REASONS)(world.deleted_reasons),
                 defaults=[world.default_app_id, world.default_merchant_id, world.default_shop_id])
    return state


def load(store: Any, data: Any) -> ShoplineWorld:
    from mockserver.shopline.emitter import register_policies

    if not isinstance(data, dict):
        raise ValueError("platforms.shopline: expected an object")
    where = "platforms.shopline"
    world = ShoplineWorld(restore_rng(random.Random(), data["rng"], f"{where}.rng"), store.clock)
    world.settings = decode(EmissionSettings, data["settings"], f"{where}.settings")
    for name, cls, key in _RECORDS:
        table = getattr(world, name)
        for n, item in enumerate(data[name]):
            record = decode(cls, item, f"{where}.{name}[{n}]")
            table[getattr(record, key)] = record
    world.consecutive_failures = decoder_of(_COUNTS)(data["consecutive_failures"], f"{where}.consecutive_failures")
    world.deleted_reasons = decoder_of(_REASONS)(data["deleted_reasons"], f"{where}.deleted_reasons")
    world.default_app_id, world.default_merchant_id, world.default_shop_id = (str(v) for v in data["defaults"])
    if (world.default_app_id not in world.apps or world.default_merchant_id not in world.merchants
            or world.default_shop_id not in world.shops):
        raise ValueError(f"{where}.defaults: names an app, merchant or shop the world does not have")
    register_policies(store, world)
    return world


def rearm(world: Any, data: dict[str, Any]) -> Callable[[], None]:
    raise ValueError("SHOPLINE schedules no work: a saved job of it cannot be loaded")
