"""Admin endpoints of the Shopee world: partners, shops, orders, buyer/3PL events, authorisation.

Every endpoint checks its whole request before it changes anything, so a 4xx leaves the world
(records, stock, random ids, published events) exactly as it was. Contract: contracts/admin/openapi.yaml.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request

from mockserver.admin.http import AdminError, each_object, field, json_body, number, reply
from mockserver.core import run_gate
from mockserver.shopee import accounts, factory, generated, lifecycle, permissions
from mockserver.shopee.auth import submit_page, with_query
from mockserver.shopee.catalogue_data import COD, DUMMY_CHANNEL, PAYMENT_METHODS
from mockserver.shopee.models import Model, Order, Shop
from mockserver.shopee.world import ShopeeWorld

bp = Blueprint("shopee_admin", __name__, url_prefix="/_sandbox/shopee")

MAX_ID = 4_294_967_295  # Shopee ids are 32-bit unsigned ("an integer between 0 and 4294967295")
MAX_GENERATED = 1_000_000
ORDER_FIELDS = ("status", "create_time", "items", "payment_method", "logistics_channel_id", "message_to_seller")
ITEM_FIELDS = ("item_id", "model_id", "quantity", "stock", "price", "item_name", "item_sku", "model_name",
               "model_sku")


def _world() -> tuple[Any, ShopeeWorld]:
    store = current_app.extensions["shop_sandbox"]
    return store, store.backend("shopee")


def _partner_view(p) -> dict[str, Any]:
    return {"partner_id": p.partner_id, "partner_key": p.partner_key, "app_type": p.app_type, "name": p.name}


def _need_partner(world: ShopeeWorld, partner_id: int):
    partner = world.partner(partner_id)
    if partner is None:
        raise AdminError(404, "not_found", f"no partner {partner_id}")
    return partner


def _need_shop(world: ShopeeWorld, shop_id: int) -> Shop:
    shop = world.shop(shop_id)
    if shop is None:
        raise AdminError(404, "not_found", f"no shop {shop_id}")
    return shop


def _need_order(world: ShopeeWorld, order_sn: str) -> Order:
    order = world.orders.get(order_sn)
    if order is None:
        raise AdminError(404, "not_found", f"no order {order_sn}")
    return order


def _new_id(body: dict[str, Any], name: str, taken) -> int | None:
    """An explicit id: 1..MAX_ID (else 400) and free (else 409)."""
    value = number(body, name, int, 1, MAX_ID, required=False)
    if value is not None and taken(value):
        raise AdminError(409, "already_exists", f"{name} {value} is taken", **{name: value})
    return value


def _non_empty(body: dict[str, Any], name: str, where: str = "") -> str | None:
    value = field(body, name, str, required=False, where=where)
    if value is not None and not value.strip():
        raise AdminError(400, "invalid_field", f"{where}{name} should not be empty")
    return value


@bp.post("/partners")
def create_partner() -> Response:
    body = json_body(optional=True, allowed=("app_type", "partner_id", "partner_key", "name"))
    app_type = permissions.normalise_app_type(field(body, "app_type", str, required=False, default=permissions.ERP))
    if app_type is None:
        raise AdminError(400, "invalid_field", f"app_type should be one of {', '.join(permissions.APP_TYPES)}")
    name = _non_empty(body, "name") or app_type
    partner_key = _non_empty(body, "partner_key")
    store, world = _world()
    with store.lock:
        partner_id = _new_id(body, "partner_id", world.partner)
        partner = factory.new_partner(world, app_type, name, partner_id, partner_key)
        return reply(_partner_view(partner), 201)


# ---- orders -------------------------------------------------------------------------------------
@dataclass
class _Line:
    """One checked order line: an existing model (key) or a model to create (new), and what to do."""
    quantity: int
    key: tuple[int, int, int] | None = None
    new: dict[str, Any] | None = None
    set_stock: int | None = None


@dataclass
class _Plan:
    status: str
    create_time: int
    lines: list[_Line]
    payment_method: str | None
    channel_id: int | None
    message_to_seller: str | None


def _check_status(shop: Shop, status: Any, where: str) -> str:
    if status not in lifecycle.STATUSES:
        raise AdminError(400, "invalid_field", f"{where} should be one of {', '.join(lifecycle.STATUSES)}")
    if status == lifecycle.INVOICE_PENDING and shop.region not in lifecycle.INVOICE_REGIONS:
        # Seed 001: only Brazilian orders wait for an invoice; elsewhere a paid order is READY_TO_SHIP.
        raise AdminError(400, "invalid_field",
                         f"{where} INVOICE_PENDING only exists for {', '.join(lifecycle.INVOICE_REGIONS)} shops")
    return status


def _plan_lines(world: ShopeeWorld, shop: Shop, items: Any, where: str,
                ledger: dict[tuple[int, int, int], int]) -> list[_Line]:
    """Check an order's items against the stock left by the earlier orders of the batch (ledger)."""
    lines = []
    for index, at, entry in each_object(items, "items", ITEM_FIELDS, where):
        quantity = number(entry, "quantity", int, 1, 1_000_000, required=False, default=1, where=at)
        item_id = number(entry, "item_id", int, 1, 10**15, required=False, where=at)
        model_id = number(entry, "model_id", int, 0, 10**15, required=False, default=0, where=at)
        stock = number(entry, "stock", int, 0, 10**9, required=False, where=at)
        key = (shop.shop_id, item_id, model_id) if item_id else None
        line = _Line(quantity, key, set_stock=stock)
        if key is None or (key not in world.models and key not in ledger):
            line.new = {"item_id": item_id, "model_id": model_id,
                        "price": float(number(entry, "price", (int, float), 0.01, 10**9, required=False,
                                              default=100.0, where=at)),
                        "item_name": field(entry, "item_name", str, required=False, default="Sandbox item", where=at),
                        "item_sku": field(entry, "item_sku", str, required=False, default="", where=at),
                        "model_name": field(entry, "model_name", str, required=False, default="", where=at),
                        "model_sku": field(entry, "model_sku", str, required=False, default="", where=at)}
            line.set_stock = quantity if stock is None else stock
        available = line.set_stock if line.set_stock is not None else ledger.get(key, world.models[key].stock)
        if available < quantity:
            raise AdminError(409, "out_of_stock", f"{where}items[{index}]: {available} in stock, {quantity} ordered")
        if key is not None:
            ledger[key] = available - quantity
        lines.append(line)
    return lines


def _plan_orders(world: ShopeeWorld, shop: Shop, specs: Any, now: int) -> list[_Plan]:
    channels = {c[0]: c for c in factory.channels_of(shop.region)}
    methods = PAYMENT_METHODS.get(shop.region, PAYMENT_METHODS["*"]) + (DUMMY_CHANNEL,)
    ledger: dict[tuple[int, int, int], int] = {}
    plans = []
    for index, where, spec in each_object(specs, "orders", ORDER_FIELDS, limit=MAX_GENERATED):
        status = _check_status(shop, spec.get("status", lifecycle.UNPAID), f"{where}status")
        create_time = number(spec, "create_time", int, 1, now, required=False, default=now, where=where)
        channel_id = field(spec, "logistics_channel_id", int, required=False, where=where)
        if channel_id is not None and channel_id not in channels:
            raise AdminError(400, "invalid_field", f"{where}logistics_channel_id should be one of "
                                                   f"{', '.join(map(str, sorted(channels)))} in {shop.region}")
        payment_method = field(spec, "payment_method", str, required=False, where=where)
        if payment_method is not None and payment_method not in methods:
            raise AdminError(400, "invalid_field", f"{where}payment_method should be one of {', '.join(methods)} "
                                                   f"in {shop.region}")
        cod_channels = [c for c in channels.values() if c[2]]
        if payment_method == COD and (not cod_channels or channel_id is not None and not channels[channel_id][2]):
            raise AdminError(400, "invalid_field", f"{where}logistics_channel_id does not carry {COD} orders")
        lines = _plan_lines(world, shop, spec.get("items"), where, ledger)
        if status == lifecycle.CANCELLED:  # seed 001: a cancelled order gives its stock back
            for line in lines:
                if line.key is not None:
                    ledger[line.key] += line.quantity
        plans.append(_Plan(status, create_time, lines, payment_method, channel_id,
                           field(spec, "message_to_seller", str, required=False, where=where)))
    return plans


def _build_lines(world: ShopeeWorld, shop: Shop, lines: list[_Line]) -> list[tuple[Model, int]]:
    built = []
    for line in lines:
        if line.new is not None and (line.key is None or line.key not in world.models):
            new = line.new
            item_id = new["item_id"] or world.unique_int(10_000_000_000, 29_999_999_999)
            model_id = new["model_id"] if new["item_id"] else world.unique_int(100_000_000_000, 299_999_999_999)
            model = world.add_model(shop.shop_id, Model(
                item_id=item_id, model_id=model_id, item_name=new["item_name"], item_sku=new["item_sku"],
                model_name=new["model_name"], model_sku=new["model_sku"], price=new["price"],
                stock=0, weight=0.5, image_url="https://cf.shopee.tw/file/sandbox"))
        else:
            model = world.models[line.key]
        if line.set_stock is not None:
            model.stock = line.set_stock
        built.append((model, line.quantity))
    return built


@contextmanager
def _past_orders(world: ShopeeWorld) -> Iterator[None]:
    """Orders made with a history got their tracking numbers when they were shipped, in the past.

    The 3PL delay of /settings applies to ship_order calls from now on; without this, shipping a
    made-up order would also schedule a late tracking-number job that touches it again later.
    """
    delay = world.tracking_delay
    world.tracking_delay = 0
    try:
        yield
    finally:
        world.tracking_delay = delay


@bp.post("/shops/<int:shop_id>/orders")
def create_orders(shop_id: int) -> Response:
    body = json_body(allowed=("count", "statuses", "days", "orders"))
    if ("count" in body) == ("orders" in body):
        raise AdminError(400, "invalid_field", "send either count (generated orders) or orders (explicit orders)")
    if "orders" in body and ("statuses" in body or "days" in body):
        raise AdminError(400, "invalid_field", "statuses and days go with count, not with orders")
    if "count" in body:
        return _generate(shop_id, body)
    store, world = _world()
    with store.lock:
        store.tick()
        shop = _need_shop(world, shop_id)
        now = world.now()
        plans = _plan_orders(world, shop, body["orders"], now)
        created = place_orders(world, shop, plans, now)
        return reply({"created": len(created), "order_sns": [o.order_sn for o in created]}, 201)


def place_orders(world: ShopeeWorld, shop: Shop, plans: list[_Plan], now: int) -> list:
    """Make the checked orders (_plan_orders) and walk each to its status; also world files' orders."""
    created = []
    with _past_orders(world):
        for plan in plans:
            channel_id = plan.channel_id
            if plan.payment_method == COD and channel_id is None:  # a COD order goes by a COD channel
                channel_id = world.rng.choice([c for c in factory.channels_of(shop.region) if c[2]])[0]
            order = factory.new_order(world, shop, plan.create_time, _build_lines(world, shop, plan.lines),
                                      payment_method=plan.payment_method or DUMMY_CHANNEL, channel_id=channel_id,
                                      message_to_seller=plan.message_to_seller)
            factory.drive(world, order, plan.status, plan.create_time, now)
            created.append(order)
    return created


def _generate(shop_id: int, body: dict[str, Any]) -> Response:
    """Generated orders: the batch is planned without the store's lock (a million orders take
    seconds), then put in the world in one short step, so platform requests never wait for it."""
    count = number(body, "count", int, 1, MAX_GENERATED)
    statuses = field(body, "statuses", list, required=False)
    days = number(body, "days", int, 1, 365, required=False, default=13)
    store, world = _world()
    with store.lock:
        store.tick()
        shop = _need_shop(world, shop_id)
        for index, status in enumerate(statuses or []):
            _check_status(shop, status, f"statuses[{index}]")
        names, weights = factory.status_spread(shop, statuses or None)
        _ensure_stock(world, shop, count)
        batch = generated.prepare(world, shop, count, world.now(), days, names, weights)
    with run_gate.released():  # seconds of planning: the platform calls take turns meanwhile
        planned = generated.plan_all(batch)
    with store.lock:
        if store.backend("shopee") is not world:
            raise AdminError(409, "world_reset", "the world was reset while the orders were being generated")
        store.tick()
        _ensure_stock(world, shop, count)
        sns = generated.commit(world, shop, batch, planned)
    return reply({"created": len(sns), "order_sns": sns}, 201)


def _ensure_stock(world: ShopeeWorld, shop, count: int) -> None:
    """Generated orders never fail for stock: top the catalogue up for large counts."""
    for model in world.shop_models(shop.shop_id):
        model.stock = max(model.stock, count * 3 + 10)


@bp.get("/orders/<order_sn>")
def get_order(order_sn: str) -> Response:
    store, world = _world()
    with store.lock:
        store.tick()
        order = _need_order(world, order_sn)
        view = order.to_dict()
        view["ship_by_date"] = order.ship_by_date
        view["total_amount"] = order.total_amount
        view["stock"] = {f"{i.item_id}:{i.model_id}": world.models[(order.shop_id, i.item_id, i.model_id)].stock
                         for i in order.items if (order.shop_id, i.item_id, i.model_id) in world.models}
        view["allowed_events"] = lifecycle.allowed_events(order, world.now())
        view["seller_actions"] = admin_orders.seller_actions(order)  # POST .../ship (the web console's button)
        return reply(view)


@bp.post("/orders/<order_sn>/events")
def order_event(order_sn: str) -> Response:
    body = json_body(allowed=("event", "reason"))
    event = field(body, "event", str)
    if event not in lifecycle.EVENTS:
        raise AdminError(400, "invalid_field", f"event should be one of {', '.join(lifecycle.EVENTS)}")
    reason = field(body, "reason", str, required=False, default="")
    store, world = _world()
    with store.lock:
        store.tick()
        order = _need_order(world, order_sn)
        previous = order.status
        try:
            status = lifecycle.apply_event(world, order, event, world.now(), reason)
        except lifecycle.IllegalTransition as exc:
            raise AdminError(409, "illegal_transition", f"{exc.reason} (order {order_sn} is {order.status})",
                             order_sn=order_sn, status=order.status, event=event) from None
        return reply({"order_sn": order_sn, "event": event, "previous_status": previous, "status": status,
                      "update_time": order.update_time})


# ---- authorisation --------------------------------------------------------------------------------
@bp.post("/authorize")
def authorize() -> Response:
    body = json_body(allowed=("partner_id", "shop_id", "redirect"))
    partner_id = field(body, "partner_id", int)
    shop_id = field(body, "shop_id", int)
    target = field(body, "redirect", str)
    if urlsplit(target).scheme not in ("http", "https") or not urlsplit(target).netloc:
        # The same rule as shop/auth_partner's redirect: the code goes back to an absolute URL.
        raise AdminError(400, "invalid_field", "redirect should be an absolute http(s) URL")
    store, world = _world()
    with store.lock:
        _need_partner(world, partner_id)
        _need_shop(world, shop_id)
        code = accounts.grant(world, partner_id, shop_id)
        return reply({"url": with_query(target, code=code.code, shop_id=shop_id), "code": code.code,
                      "shop_id": shop_id, "expires_at": code.expires_at})


@bp.post("/deauthorize")
def deauthorize() -> Response:
    body = json_body(allowed=("partner_id", "shop_id"))
    partner_id = field(body, "partner_id", int)
    shop_id = field(body, "shop_id", int)
    store, world = _world()
    with store.lock:
        if not accounts.deauthorise(world, partner_id, shop_id):
            raise AdminError(404, "not_found", f"shop {shop_id} is not authorised to partner {partner_id}")
        return reply({"partner_id": partner_id, "shop_id": shop_id, "authorised": False})


@bp.post("/auth_page/submit")
def auth_page_submit() -> Response:
    """The form of the authorisation page (HTML in, a page or a 302 to the app's redirect out)."""
    store, world = _world()
    with store.lock:
        store.tick()
        return submit_page(world, request.form, world.now())


# The shop, order list, settings and push admin endpoints register themselves on bp.
from mockserver.shopee import admin_orders, admin_shops, push_admin  # noqa: E402,F401
