"""Builds Shopee worlds and orders deterministically from a seed, with realistic zh_TW data."""
from __future__ import annotations

import random
from typing import Any

from faker import Faker

from mockserver.shopee import lifecycle, permissions
from mockserver.shopee.catalogue_data import (CHANNELS, CURRENCY, DEFAULT_CHANNELS, PAYMENT_METHODS,
                                              TW_PLACES, TW_PRODUCTS)
from mockserver.shopee.models import Model, Order, OrderItem, Package, Partner, Shop
from mockserver.shopee.world import AUTHORISATION_DAYS, ShopeeWorld

DAY = 86400
# The status spread of generated orders: every status a TW shop can show, weighted like a live shop.
_STATUS_WEIGHTS = [
    (lifecycle.UNPAID, 4), (lifecycle.READY_TO_SHIP, 10), (lifecycle.PROCESSED, 6),
    (lifecycle.RETRY_SHIP, 2), (lifecycle.SHIPPED, 6), (lifecycle.TO_CONFIRM_RECEIVE, 5),
    (lifecycle.COMPLETED, 10), (lifecycle.IN_CANCEL, 2), (lifecycle.CANCELLED, 3),
    (lifecycle.TO_RETURN, 2),
]
# How a generated order reaches its status: events after creation ("ship" = seller ship_order).
_PATHS = {
    lifecycle.UNPAID: [],
    lifecycle.READY_TO_SHIP: ["pay"],
    lifecycle.INVOICE_PENDING: ["pay"],
    lifecycle.PROCESSED: ["pay", "ship"],
    lifecycle.RETRY_SHIP: ["pay", "ship", "pickup_failed"],
    lifecycle.SHIPPED: ["pay", "ship", "pickup"],
    lifecycle.TO_CONFIRM_RECEIVE: ["pay", "ship", "pickup", "deliver"],
    lifecycle.COMPLETED: ["pay", "ship", "pickup", "deliver", "confirm_receive"],
    lifecycle.IN_CANCEL: ["pay", "buyer_cancel"],
    lifecycle.CANCELLED: ["system_cancel"],
    lifecycle.TO_RETURN: ["pay", "ship", "pickup", "deliver", "request_return"],
}


def faker_for(seed: int, region: str = "TW") -> Faker:
    locale = {"TW": "zh_TW", "BR": "pt_BR", "TH": "th_TH", "VN": "vi_VN", "ID": "id_ID"}.get(region, "en_US")
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def world_epoch(store) -> int:
    """The instant the default world's dates lead up to (settings.epoch, else today 00:00 UTC)."""
    if store.settings.epoch is not None:
        return int(store.settings.epoch)
    now = store.clock.now_int()
    return now - now % DAY


def build_world(store) -> ShopeeWorld:
    """The default world: one ERP partner, one authorised TW shop, its catalogue and orders."""
    rng = random.Random(f"shopee:{store.seed}")
    world = ShopeeWorld(rng, store.clock, store.scheduler, store.events, store.settings)
    world.faker = faker_for(store.seed)
    partner = new_partner(world, app_type=permissions.ERP, name="Sandbox ERP")
    shop = new_shop(world, region="TW", name=None)
    epoch = world_epoch(store)
    authorise(world, partner.partner_id, shop.shop_id, auth_time=epoch - 14 * DAY)
    access, refresh = world.issue_token_pair(partner.partner_id, shop.shop_id)
    world.default = {"partner_id": partner.partner_id, "shop_id": shop.shop_id,
                     "access_token": access.value, "refresh_token": refresh.value}
    generate_orders(world, shop, store.settings.shopee_order_count, end=epoch)
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
                password=password or world.hex_token(12), is_cb=False)
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
    world.shops[shop_id].authorisations[partner_id] = (auth_time, auth_time + AUTHORISATION_DAYS * DAY)


def channels_of(region: str) -> list[tuple[int, str, bool, tuple[str, ...]]]:
    return CHANNELS.get(region, DEFAULT_CHANNELS)


def _recipient(world: ShopeeWorld, region: str) -> dict[str, Any]:
    fake, rng = world.faker, world.rng
    if region == "TW":
        city = rng.choice(sorted(TW_PLACES))
        district, zipcode = rng.choice(TW_PLACES[city])
        street = f"{fake.street_name()}{rng.randint(1, 300)}號"
        if rng.random() < 0.4:
            street += f"{rng.randint(2, 15)}樓"
        phone = "8869" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        return {"name": fake.name(), "phone": phone, "town": "", "district": district, "city": city,
                "state": "", "region": "TW", "zipcode": zipcode,
                "full_address": f"{zipcode}{city}{district}{street}"}
    return {"name": fake.name(), "phone": fake.msisdn(), "town": "", "district": "", "city": fake.city(),
            "state": "", "region": region, "zipcode": fake.postcode(), "full_address": fake.address().replace("\n", ", ")}


def new_order(world: ShopeeWorld, shop: Shop, create_time: int,
              lines: list[tuple[Model, int]] | None = None, *,
              payment_method: str | None = None, channel_id: int | None = None,
              message_to_seller: str | None = None, order_sn: str | None = None) -> Order:
    """An UNPAID order of the shop's models; takes the stock it buys."""
    rng = world.rng
    if lines is None:
        models = world.shop_models(shop.shop_id)
        picked = rng.sample(models, k=min(len(models), rng.choice((1, 1, 1, 2, 2, 3))))
        lines = [(m, rng.choice((1, 1, 1, 2, 3))) for m in picked]
    channels = channels_of(shop.region)
    channel = next((c for c in channels if c[0] == channel_id), None) if channel_id else rng.choice(channels)
    if channel is None:
        raise ValueError(f"logistics_channel_id {channel_id} is not a channel of region {shop.region}")
    payment_method = payment_method or rng.choice(PAYMENT_METHODS if channel[2] else PAYMENT_METHODS[:1])
    items = []
    for model, quantity in lines:
        if model.stock < quantity:
            raise ValueError(f"model {model.model_id} has {model.stock} in stock, {quantity} ordered")
        model.stock -= quantity
        discount = rng.choice((1.0, 1.0, 0.9, 0.85))
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
    fake = world.faker
    order = Order(
        order_sn=sn, shop_id=shop.shop_id, region=shop.region, currency=CURRENCY[shop.region],
        cod=payment_method == "Cash on Delivery", status=lifecycle.UNPAID,
        create_time=create_time, update_time=create_time, pay_time=None,
        days_to_ship=rng.choice((1, 2, 3)),
        message_to_seller=message_to_seller if message_to_seller is not None
        else rng.choice(("", "", "", "請幫我包裝好，謝謝", "麻煩盡快出貨", "送禮用，請勿放發票")),
        buyer_user_id=rng.randint(10_000_000, 1_999_999_999), buyer_username=fake.user_name(),
        recipient=_recipient(world, shop.region), payment_method=payment_method,
        logistics_channel_id=channel[0], shipping_carrier=channel[1],
        estimated_shipping_fee=fee, actual_shipping_fee=fee, items=items, packages=[package],
        history=[(create_time, lifecycle.UNPAID)])
    return world.add_order(order)


def drive(world: ShopeeWorld, order: Order, target: str, start: int, end: int) -> None:
    """Walk a new order along its path to `target`, each step at a later time before `end`."""
    from mockserver.shopee import order_ops  # the seller's ship_order step lives there

    steps = _PATHS[target]
    at = start
    span = max(1, (end - start) // (len(steps) + 1))
    for step in steps:
        at = min(at + world.rng.randint(max(1, span // 3), span), end)
        if step == "buyer_cancel":
            # The buyer asks after the free-cancel hour, so the request waits for the seller.
            lifecycle.move(world, order, lifecycle.IN_CANCEL, at, by="buyer", reason="Need to change delivery address")
        elif step == "ship":
            if order.status == lifecycle.INVOICE_PENDING:
                lifecycle.apply_event(world, order, "issue_invoice", at)
            order_ops.ship(world, order, None, "dropoff" if "dropoff" in order_ops.ship_modes(order)
                           else order_ops.ship_modes(order)[0], at)
        else:
            lifecycle.apply_event(world, order, step, at)


def generate_orders(world: ShopeeWorld, shop: Shop, count: int, end: int | None = None,
                    days: int = 13, statuses: list[str] | None = None) -> list[Order]:
    """`count` orders created over the `days` before `end`, spread over the statuses."""
    end = world.now() if end is None else end
    rng = world.rng
    names = statuses or [s for s, _ in _STATUS_WEIGHTS]
    weights = None if statuses else [w for _, w in _STATUS_WEIGHTS]
    created = []
    for index in range(count):
        # Cover every status once before sampling, so small worlds still show them all.
        target = names[index] if index < len(names) else rng.choices(names, weights)[0]
        if shop.region == "BR" and target == lifecycle.READY_TO_SHIP:
            target = lifecycle.INVOICE_PENDING
        create_time = rng.randint(end - days * DAY, end - DAY // 2)
        order = new_order(world, shop, create_time)
        drive(world, order, target, create_time, min(end, create_time + 3 * DAY))
        created.append(order)
    return created
