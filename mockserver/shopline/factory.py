"""Builds the SHOPLINE world deterministically from the seed (app.py registers it as "shopline").

Open API flavour: one app (app_id, app_secret) installed on two merchants; each install has an app
token, and the default merchant also has a merchant token (the two token kinds of the endpoint
verification). The default merchant is the one most seed 004 examples belong to (5fc5ea00c43d7f001003999d,
jimmytest2), so the fixtures' resources and the envelope name the same merchant.
Global flavour: two shops; the default one is the shop of the global fixture order (store_id
1731498520117, xiaorizi.myshopline.com).
"""
from __future__ import annotations

import random

from mockserver.shopline.emitter import register_policies
from mockserver.shopline.subscriptions import (
    APP_TOKEN,
    MERCHANT_TOKEN,
    App,
    Merchant,
    Shop,
    ShoplineWorld,
    Token,
)

SEED_MERCHANT = ("5fc5ea00c43d7f001003999d", "jimmytest2", "Jimmy Test Store")
FIXTURE_SHOP = ("1731498520117", "xiaorizi", "小日子選物")
SECOND_MERCHANT_HANDLES = ("taipeiteahouse", "kaohsiungfresh", "hsinchuknits", "tainanbakery")


def build_world(store) -> ShoplineWorld:
    world = ShoplineWorld(random.Random(f"shopline:{store.seed}"), store.clock)
    app = world.add_app(App(app_id=world.hex_id(), app_secret=world.hex_token(64), name="Sandbox App"))
    merchant = world.add_merchant(Merchant(*SEED_MERCHANT))
    other = world.add_merchant(Merchant(world.hex_id(world.merchants), world.rng.choice(SECOND_MERCHANT_HANDLES),
                                        "Second Sandbox Store"))
    world.default_app_id, world.default_merchant_id = app.app_id, merchant.merchant_id
    for owner in (merchant, other):
        world.add_token(Token(world.hex_token(64), APP_TOKEN, owner.merchant_id, app.app_id))
    world.add_token(Token(world.hex_token(64), MERCHANT_TOKEN, merchant.merchant_id, None))

    shop_id, handle, name = FIXTURE_SHOP
    shop = world.add_shop(Shop(shop_id=shop_id, handle=handle, merchant_id=world.digits(10), name=name,
                               app_secret=world.hex_token(40), token=world.hex_token(64)))
    world.add_shop(Shop(shop_id=world.digits(13, world.shops), handle="shophub", merchant_id=world.digits(10),
                        name="Shophub", app_secret=world.hex_token(40), token=world.hex_token(64)))
    world.default_shop_id = shop.shop_id
    register_policies(store, world)
    return world
