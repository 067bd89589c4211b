"""Builds Shopee worlds and orders deterministically from a seed, with realistic zh_TW data."""
from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from mockserver.core import faker_cache
from mockserver.core.events import Event
from mockserver.shopee import lifecycle, permissions, testenv
from mockserver.shopee.push_events import Pusher
from mockserver.shopee.catalogue_data import (CHANNELS, COD, CURRENCY, DEFAULT_CHANNELS, PAYMENT_METHODS,
                                              TW_CITIES, TW_PLACES, TW_PRODUCTS, TW_STREET_SUFFIXES)
from mockserver.shopee.models import Model, Order, OrderItem, Package, Partner, Shop
from mockserver.shopee.paths import PATHS, with_invoice
from mockserver.shopee.world import AUTHORISATION_DAYS, ShopeeWorld

DAY = 86400
# The status spread of generated orders: every status a shop can show, weighted like a live shop.
_STATUS_WEIGHTS = [
    (lifecycle.UNPAID, 4), (lifecycle.READY_TO_SHIP, 10), (lifecycle.PROCESSED, 6),
    (lifecycle.RETRY_SHIP, 2), (lifecycle.SHIPPED, 6), (lifecycle.TO_CONFIRM_RECEIVE, 5),
    (lifecycle.COMPLETED, 10), (lifecycle.IN_CANCEL, 2), (lifecycle.CANCELLED, 3),
    (lifecycle.TO_RETURN, 2),
]
# Seed 001: Brazilian paid orders wait for their invoice first.
_INVOICE_WEIGHT = (lifecycle.INVOICE_PENDING, 4)
# The BuyerCancelReason values the buyer app offers (data definition).
_BUYER_REASONS = ("Need to change delivery address", "Too long delivery time",
                  "Modify existing order (color, size, voucher, etc)", "Change of mind / others")
_MESSAGES = ("", "", "", "請幫我包裝好，謝謝", "麻煩盡快出貨", "送禮用，請勿放發票", "請附上發票")


_LOCALES = {"TW": "zh_TW", "BR": "pt_BR", "TH": "th_TH", "VN": "vi_VN", "ID": "id_ID"}


def faker_for(seed: int, region: str = "TW") -> Any:
    from faker import Faker  # here: a start whose pools are cached never imports Faker

    fake = Faker(_LOCALES.get(region, "en_US"))
    fake.seed_instance(seed)
    return fake


def _draw_last_names(fake: Any) -> dict[str, tuple]:
    return {"last_names": tuple(fake.last_name() for _ in range(64))}


@lru_cache(maxsize=16)
def _first_last_names(seed: int) -> tuple[str, ...]:
    return faker_cache.drawn(_draw_last_names, "zh_TW", seed)["last_names"]


class WorldFaker:
    """world.faker: a zh_TW Faker seeded from the world's seed, which it remembers (for _pools).

    Shops take their names from its last_name(); the first 64 of those come from the cache
    (core/faker_cache.py), and the Faker itself is made only when more is asked of it, moved past
    the names already given, so that it goes on exactly as if it had given them."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._fake: Any = None
        self._names_given = 0  # last_name()s answered from the cache

    def last_name(self) -> str:
        if self._fake is None:
            cached = _first_last_names(self.seed)
            if self._names_given < len(cached):
                self._names_given += 1
                return cached[self._names_given - 1]
        return self._real().last_name()

    def _real(self) -> Any:
        if self._fake is None:
            fake = faker_for(self.seed)
            for _ in range(self._names_given):
                fake.last_name()
            self._fake = fake
        return self._fake

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy and pickle look for these before __init__ has run
            raise AttributeError(name)
        return getattr(self._real(), name)


def build_world(store) -> ShopeeWorld:
    """The default world: one ERP partner, one authorised TW shop, its catalogue and orders."""
    rng = random.Random(f"shopee:{store.seed}")
    world = ShopeeWorld(rng, store.clock, store.scheduler, store.events, store.settings)
    world.faker = WorldFaker(store.seed)
    world.dropped = store.console.dropped
    partner = new_partner(world, app_type=permissions.ERP, name="Sandbox ERP")
    shop = new_shop(world, region="TW", name=None)
    epoch = store.world_epoch()
    authorise(world, partner.partner_id, shop.shop_id, auth_time=epoch - 14 * DAY)
    access, refresh = world.issue_token_pair(partner.partner_id, shop.shop_id)
    world.default = {"partner_id": partner.partner_id, "shop_id": shop.shop_id,
                     "access_token": access.value, "refresh_token": refresh.value}
    generate_orders(world, shop, store.settings.shopee_order_count, end=epoch)
    # Last, so the world's own making raises no push; after every reset (the engine forgets
    # policies on reset, and the hooks must close over this world).
    world.pusher = Pusher(world, store.webhooks)
    world.pusher.install()
    return world


def new_partner(world: ShopeeWorld, app_type: str, name: str,
                partner_id: int | None = None, partner_key: str | None = None) -> Partner:
    partner = Partner(
        partner_id=partner_id or world.unique_int(2_000_000, 2_099_999),
        partner_key=partner_key or "shpk" + world.hex_token(60),
        app_type=app_type, name=name)
    return world.add_partner(partner)


def new_shop(world: ShopeeWorld, region: str = "TW", name: str | None = None,
             shop_id: int | None = None, products: bool = True, password: str | None = None) -> Shop:
    fake = world.faker
    shop_id = shop_id or world.unique_int(100_000_000, 999_999_999)
    shop = Shop(shop_id=shop_id, shop_name=name or f"{fake.last_name()}家小舖",
                region=region, account=f"SANDBOX.{world.hex_token(10)}",
                password=password or world.hex_token(12), is_cb=False,
                expire_time=testenv.new_expiry(world, world.now()))
    world.add_shop(shop)
    if products:
        stock_catalogue(world, shop)
    return shop


def stock_catalogue(world: ShopeeWorld, shop: Shop) -> None:
    rng = world.rng
    for item_name, variations in TW_PRODUCTS:
        item_id = world.unique_int(10_000_000_000, 29_999_999_999)
        item_sku = f"SKU-{rng.randint(1000, 9999)}"
        for model_name, price in variations:
            model_id = world.unique_int(100_000_000_000, 299_999_999_999)
            world.add_model(shop.shop_id, Model(
                item_id=item_id, model_id=model_id, item_name=item_name, item_sku=item_sku,
                model_name=model_name, model_sku=f"{item_sku}-{len(model_name)}{rng.randint(10, 99)}",
                price=price, stock=rng.randint(200, 900), weight=round(rng.uniform(0.1, 2.0), 2),
                image_url=f"https://cf.shopee.tw/file/tw-11134207-{world.hex_token(20)}"))


def authorise(world: ShopeeWorld, partner_id: int, shop_id: int, auth_time: int | None = None) -> None:
    auth_time = world.now() if auth_time is None else auth_time
    shop = world.shops[shop_id]
    shop.authorisations[partner_id] = (auth_time, auth_time + AUTHORISATION_DAYS * DAY)
    if partner_id not in shop.claimed_by:
        shop.claimed_by.append(partner_id)


def channels_of(region: str) -> list[tuple[int, str, bool, tuple[str, ...]]]:
    return CHANNELS.get(region, DEFAULT_CHANNELS)


def _draw_tw(fake: Any) -> dict[str, tuple]:
    return {"names": tuple(fake.name() for _ in range(400)),
            "usernames": tuple(fake.user_name() for _ in range(600)),
            "streets": tuple(dict.fromkeys(fake.street_name() for _ in range(400)))}


def _draw_abroad(fake: Any) -> dict[str, tuple]:
    return {"names": tuple(fake.name() for _ in range(400)),
            "usernames": tuple(fake.user_name() for _ in range(600)),
            "places": tuple((fake.city(), fake.postcode(), fake.address().replace("\n", ", "))
                            for _ in range(300))}


@lru_cache(maxsize=16)
def _pools(seed: int, region: str) -> dict[str, tuple]:
    """Faker values drawn once per seed and region; orders pick from them with the world's rng.

    Faker costs ~0.1 ms a value: drawing names and addresses per order made 10,000 orders take
    seconds. A pool of a few hundred values each still reads as a varied, realistic shop. Its own
    Faker stream (seed + 1): the world's faker is left untouched.
    """
    draw = _draw_tw if region == "TW" else _draw_abroad
    return faker_cache.drawn(draw, _LOCALES.get(region, "en_US"), seed + 1)


def _recipient(world: ShopeeWorld, region: str) -> dict[str, Any]:
    rng = world.rng
    pools = _pools(world.faker.seed, region)
    name = rng.choice(pools["names"])
    if region == "TW":
        city = rng.choice(TW_CITIES)
        district, zipcode = rng.choice(TW_PLACES[city])
        street = f"{rng.choice(pools['streets'])}{rng.choice(TW_STREET_SUFFIXES)}{rng.randint(1, 300)}號"
        if rng.random() < 0.4:
            street += f"{rng.randint(2, 15)}樓"
        # Taiwanese mobiles 09xx-xxx-xxx, in the international form Shopee shows: 8869 + 8 digits.
        phone = f"8869{rng.randrange(10**8):08d}"
        return {"name": name, "phone": phone, "town": "", "district": district, "city": city,
                "state": "", "region": "TW", "zipcode": zipcode,
                "full_address": f"{zipcode}{city}{district}{street}"}
    city, postcode, address = rng.choice(pools["places"])
    return {"name": name, "phone": f"{rng.randrange(10**10, 10**11)}", "town": "", "district": "",
            "city": city, "state": "", "region": region, "zipcode": postcode, "full_address": address}


def new_order(world: ShopeeWorld, shop: Shop, create_time: int,
              lines: list[tuple[Model, int]] | None = None, *,
              payment_method: str | None = None, channel_id: int | None = None,
              message_to_seller: str | None = None, order_sn: str | None = None) -> Order:
    """An UNPAID order of the shop's models, added to the world; takes the stock it buys."""
    return world.add_order(make_order(world, shop, create_time, lines, payment_method=payment_method,
                                      channel_id=channel_id, message_to_seller=message_to_seller,
                                      order_sn=order_sn))


def make_order(world: ShopeeWorld, shop: Shop, create_time: int,
               lines: list[tuple[Model, int]] | None = None, *,
               payment_method: str | None = None, channel_id: int | None = None,
               message_to_seller: str | None = None, order_sn: str | None = None,
               discounted: bool | None = None, days_to_ship: int | None = None) -> Order:
    """An UNPAID order of the shop's models (not added); takes the stock it buys, unless the world
    is replaying a generated order's history (its stock was taken when it was generated)."""
    rng = world.rng
    # Generated lines sell with the odd discount; explicit lines (admin API) at the price given.
    generated = lines is None if discounted is None else discounted
    if lines is None:
        models = world.shop_models(shop.shop_id)
        picked = rng.sample(models, k=min(len(models), rng.choice((1, 1, 1, 2, 2, 3))))
        lines = [(m, rng.choice((1, 1, 1, 2, 3))) for m in picked]
    channels = channels_of(shop.region)
    channel = next((c for c in channels if c[0] == channel_id), None) if channel_id else rng.choice(channels)
    if channel is None:
        raise ValueError(f"logistics_channel_id {channel_id} is not a channel of region {shop.region}")
    methods = tuple(m for m in PAYMENT_METHODS.get(shop.region, PAYMENT_METHODS["*"])
                    if channel[2] or m != COD)  # a channel without COD never carries a COD order
    payment_method = payment_method or rng.choice(methods)
    items = []
    for model, quantity in lines:
        if not world.replaying:
            if model.stock < quantity:
                raise ValueError(f"model {model.model_id} has {model.stock} in stock, {quantity} ordered")
            model.stock -= quantity
        discount = rng.choice((1.0, 1.0, 0.9, 0.85)) if generated else 1.0
        items.append(OrderItem(
            item_id=model.item_id, model_id=model.model_id, item_name=model.item_name,
            item_sku=model.item_sku, model_name=model.model_name, model_sku=model.model_sku,
            quantity=quantity, original_price=model.price,
            discounted_price=float(round(model.price * discount)), weight=model.weight,
            order_item_id=model.item_id, image_url=model.image_url))
    fee = {"TW": 60.0, "BR": 19.9}.get(shop.region, 5.0)
    sn = order_sn or world.new_order_sn(create_time)
    package = Package(package_number=world.new_package_number(),
                      items=[(i.item_id, i.model_id, i.quantity, i.order_item_id) for i in items])
    order = Order(
        order_sn=sn, shop_id=shop.shop_id, region=shop.region, currency=CURRENCY[shop.region],
        cod=payment_method == COD, status=lifecycle.UNPAID,
        create_time=create_time, update_time=create_time, pay_time=None,
        days_to_ship=days_to_ship or rng.choice((1, 2, 3)),
        message_to_seller=message_to_seller if message_to_seller is not None
        else rng.choice(_MESSAGES if shop.region == "TW" else ("",)),
        buyer_user_id=rng.randint(10_000_000, 1_999_999_999),
        buyer_username=rng.choice(_pools(world.faker.seed, shop.region)["usernames"]),
        recipient=_recipient(world, shop.region), payment_method=payment_method,
        logistics_channel_id=channel[0], shipping_carrier=channel[1],
        estimated_shipping_fee=fee, actual_shipping_fee=fee, items=items, packages=[package],
        history=[(create_time, lifecycle.UNPAID)])
    return order


def path_to(target: str, region: str, rng: random.Random | None = None) -> tuple[str, ...]:
    """The steps that take a new (UNPAID) order of `region` to `target` (one of several paths
    drawn with `rng`; the first without). ValueError when no order of the region has that status."""
    if target == lifecycle.INVOICE_PENDING and region not in lifecycle.INVOICE_REGIONS:
        raise ValueError(f"INVOICE_PENDING only exists for {', '.join(lifecycle.INVOICE_REGIONS)} orders")
    options = PATHS[target]
    steps = options[0] if rng is None or len(options) == 1 else rng.choice(options)
    return with_invoice(target, region, steps)


def drive(world: ShopeeWorld, order: Order, target: str, start: int, end: int) -> None:
    """Walk a new order along its path to `target`, each step at a later time, none after `end`.

    The path is history: the 3PL answered each ship_order at once, and auto-progress timers start
    only when the walk is done (at the later of the last step and now), never in the past.
    """
    rng = world.rng
    steps = path_to(target, order.region, rng)
    at, times = start, []
    span = max(1, (end - start) // (len(steps) + 1))
    for _ in steps:
        at = min(at + rng.randint(max(1, span // 3), span), end)
        times.append(at)
    auto, world.auto_progress = world.auto_progress, False
    world.writing_history = True
    try:
        walk(world, order, steps, times, rng)
    finally:
        world.auto_progress = auto
        world.writing_history = False
    if order.status != target:
        raise ValueError(f"order {order.order_sn} reached {order.status}, not {target}")
    # Seed 001: a push goes out "whenever a new order is created or changes status": one code 3
    # with the status the order has now (its history raised none).
    world.events.publish(Event("shopee.order_created", world.now(), {
        "shop_id": order.shop_id, "order_sn": order.order_sn, "status": order.status,
        "update_time": order.update_time}))
    lifecycle.resume_auto_progress(world, [order])


def walk(world: ShopeeWorld, order: Order, steps: tuple[str, ...], times: list[int] | tuple[int, ...],
         rng: random.Random) -> None:
    """Apply a path's steps to the order, each at its time (reasons drawn with `rng`)."""
    from mockserver.shopee import order_ops  # the seller's ship_order step lives there

    for step, at in zip(steps, times):
        if step == "ask_cancel":
            # The buyer asks after the free-cancel hour, so the request waits for the seller.
            lifecycle.move(world, order, lifecycle.IN_CANCEL, at, by="buyer", reason=rng.choice(_BUYER_REASONS))
        elif step == "ship":
            modes = order_ops.ship_modes(order)
            order_ops.ship(world, order, None, "dropoff" if "dropoff" in modes else modes[0], at)
            lifecycle.assign_tracking_numbers(world, order, at)
        elif step == "buyer_cancel":
            lifecycle.apply_event(world, order, step, at, rng.choice(_BUYER_REASONS))
        else:
            lifecycle.apply_event(world, order, step, at)


def status_spread(shop: Shop, statuses: list[str] | None) -> tuple[list[str], list[int] | None]:
    """(statuses, weights) generated orders are drawn from: those given (evenly), else every status
    a shop of its region can show, weighted like a live shop. ValueError for an impossible one."""
    spread = _STATUS_WEIGHTS + ([_INVOICE_WEIGHT] if shop.region in lifecycle.INVOICE_REGIONS else [])
    names = statuses or [s for s, _ in spread]
    for name in names:
        path_to(name, shop.region)  # an impossible status fails before any order exists
    return names, (None if statuses else [w for _, w in spread])


def generate_orders(world: ShopeeWorld, shop: Shop, count: int, end: int | None = None,
                    days: int = 13, statuses: list[str] | None = None) -> list[str]:
    """`count` orders created over the `days` before `end`, spread over the statuses; answers
    their order_sns (the orders are built when first used: generated.py)."""
    from mockserver.shopee.generated import generate_batch

    end = world.now() if end is None else end
    names, weights = status_spread(shop, statuses)
    return generate_batch(world, shop, count, end, days, names, weights)
