"""Admin endpoints of the Shopee world: partners, shops, orders, buyer/3PL events, authorisation."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from mockserver.admin.http import AdminError, field, json_body, reply
from mockserver.shopee import accounts, factory, lifecycle, permissions
from mockserver.shopee.auth import submit_page, with_query
from mockserver.shopee.catalogue_data import CURRENCY
from mockserver.shopee.models import Model
from mockserver.shopee.world import ShopeeWorld

bp = Blueprint("shopee_admin", __name__, url_prefix="/_sandbox/shopee")


def _world() -> tuple[Any, ShopeeWorld]:
    store = current_app.extensions["shop_sandbox"]
    return store, store.backend("shopee")


def _partner_view(p) -> dict[str, Any]:
    return {"partner_id": p.partner_id, "partner_key": p.partner_key, "app_type": p.app_type, "name": p.name}


def _shop_view(s) -> dict[str, Any]:
    return {"shop_id": s.shop_id, "shop_name": s.shop_name, "region": s.region, "account": s.account,
            "password": s.password, "status": s.status,
            "authorised_partners": sorted(s.authorisations)}


def _need_partner(world: ShopeeWorld, partner_id: int):
    partner = world.partner(partner_id)
    if partner is None:
        raise AdminError(404, "not_found", f"no partner {partner_id}")
    return partner


def _need_shop(world: ShopeeWorld, shop_id: int):
    shop = world.shop(shop_id)
    if shop is None:
        raise AdminError(404, "not_found", f"no shop {shop_id}")
    return shop


@bp.post("/partners")
def create_partner() -> Response:
    body = json_body(optional=True)
    app_type_name = field(body, "app_type", str, required=False, default=permissions.ERP)
    app_type = permissions.normalise_app_type(app_type_name)
    if app_type is None:
        raise AdminError(400, "invalid_field", f"app_type should be one of {', '.join(permissions.APP_TYPES)}")
    store, world = _world()
    with store.lock:
        partner_id = field(body, "partner_id", int, required=False)
        if partner_id is not None and (partner_id <= 0 or partner_id > 4294967295 or world.partner(partner_id)):
            raise AdminError(409 if partner_id and world.partner(partner_id) else 400, "invalid_field",
                             f"partner_id {partner_id} is taken or out of range")
        partner = factory.new_partner(world, app_type, field(body, "name", str, required=False, default=app_type),
                                      partner_id, field(body, "partner_key", str, required=False))
        return reply(_partner_view(partner), 201)


@bp.post("/shops")
def create_shop() -> Response:
    body = json_body(optional=True)
    region = field(body, "region", str, required=False, default="TW")
    if region not in CURRENCY:
        raise AdminError(400, "invalid_field", f"region should be one of {', '.join(CURRENCY)}")
    store, world = _world()
    with store.lock:
        shop_id = field(body, "shop_id", int, required=False)
        if shop_id is not None and (shop_id <= 0 or shop_id > 4294967295 or world.shop(shop_id)):
            raise AdminError(409 if world.shop(shop_id or 0) else 400, "invalid_field",
                             f"shop_id {shop_id} is taken or out of range")
        authorise_for = field(body, "authorize_partner_id", int, required=False)
        if authorise_for is not None:
            _need_partner(world, authorise_for)
        shop = factory.new_shop(world, region, field(body, "shop_name", str, required=False), shop_id,
                                password=field(body, "password", str, required=False))
        view = _shop_view(shop)
        if authorise_for is not None:
            factory.authorise(world, authorise_for, shop.shop_id)
            access, refresh = world.issue_token_pair(authorise_for, shop.shop_id)
            view.update(authorised_partners=[authorise_for], access_token=access.value,
                        refresh_token=refresh.value)
        view["models"] = [_model_view(m) for m in world.shop_models(shop.shop_id)]
        return reply(view, 201)


def _model_view(m: Model) -> dict[str, Any]:
    return {"item_id": m.item_id, "model_id": m.model_id, "item_name": m.item_name,
            "model_name": m.model_name, "price": m.price, "stock": m.stock}


@bp.get("/shops/<int:shop_id>")
def get_shop(shop_id: int) -> Response:
    store, world = _world()
    with store.lock:
        shop = _need_shop(world, shop_id)
        return reply({**_shop_view(shop), "models": [_model_view(m) for m in world.shop_models(shop_id)]})


def _explicit_lines(world: ShopeeWorld, shop, items: Any) -> list[tuple[Model, int]]:
    """Order lines from an admin body: existing models by id, or new ones with their stock."""
    if not isinstance(items, list) or not items:
        raise AdminError(400, "invalid_field", "items should be a non-empty list")
    lines = []
    for index, entry in enumerate(items):
        if not isinstance(entry, dict):
            raise AdminError(400, "invalid_field", f"items[{index}] should be an object")
        quantity = field(entry, "quantity", int, required=False, default=1)
        if quantity <= 0:
            raise AdminError(400, "invalid_field", f"items[{index}].quantity should be positive")
        item_id = field(entry, "item_id", int, required=False)
        model_id = field(entry, "model_id", int, required=False, default=0)
        model = world.models.get((shop.shop_id, item_id, model_id)) if item_id else None
        if model is None:
            price = field(entry, "price", (int, float), required=False, default=100.0)
            stock = field(entry, "stock", int, required=False, default=quantity)
            model = world.add_model(shop.shop_id, Model(
                item_id=item_id or world.unique_int(10_000_000_000, 29_999_999_999),
                model_id=model_id if item_id else world.unique_int(100_000_000_000, 299_999_999_999),
                item_name=field(entry, "item_name", str, required=False, default="Sandbox item"),
                item_sku=field(entry, "item_sku", str, required=False, default=""),
                model_name=field(entry, "model_name", str, required=False, default=""),
                model_sku=field(entry, "model_sku", str, required=False, default=""),
                price=float(price), stock=stock, weight=0.5,
                image_url="https://cf.shopee.tw/file/sandbox"))
        elif "stock" in entry:
            model.stock = field(entry, "stock", int)
        if model.stock < quantity:
            raise AdminError(409, "out_of_stock", f"items[{index}]: {model.stock} in stock, {quantity} ordered")
        lines.append((model, quantity))
    return lines


@bp.post("/shops/<int:shop_id>/orders")
def create_orders(shop_id: int) -> Response:
    body = json_body()
    store, world = _world()
    with store.lock:
        shop = _need_shop(world, shop_id)
        now = world.now()
        if "count" in body:
            count = field(body, "count", int)
            if not 0 < count <= 100_000:
                raise AdminError(400, "invalid_field", "count should be between 1 and 100000")
            statuses = field(body, "statuses", list, required=False)
            if statuses and any(s not in lifecycle.STATUSES for s in statuses):
                raise AdminError(400, "invalid_field", f"statuses should be among {', '.join(lifecycle.STATUSES)}")
            days = field(body, "days", int, required=False, default=13)
            if not 1 <= days <= 365:
                raise AdminError(400, "invalid_field", "days should be between 1 and 365")
            _ensure_stock(world, shop, count)
            orders = factory.generate_orders(world, shop, count, end=now, days=days, statuses=statuses)
            return reply({"created": len(orders), "order_sns": [o.order_sn for o in orders]}, 201)
        specs = field(body, "orders", list)
        # Validate every order before creating any (a failed request changes nothing).
        plans = []
        for index, spec in enumerate(specs):
            if not isinstance(spec, dict):
                raise AdminError(400, "invalid_field", f"orders[{index}] should be an object")
            status = field(spec, "status", str, required=False, default=lifecycle.UNPAID)
            if status not in lifecycle.STATUSES:
                raise AdminError(400, "invalid_field", f"orders[{index}].status should be among {', '.join(lifecycle.STATUSES)}")
            create_time = field(spec, "create_time", int, required=False, default=now)
            if create_time > now:
                raise AdminError(400, "invalid_field", f"orders[{index}].create_time is in the future")
            plans.append((spec, status, create_time))
        snapshot = {k: m.stock for k, m in world.models.items()}
        created: list = []
        try:
            for spec, status, create_time in plans:
                lines = _explicit_lines(world, shop, spec.get("items"))
                order = factory.new_order(
                    world, shop, create_time, lines,
                    payment_method=field(spec, "payment_method", str, required=False),
                    channel_id=field(spec, "logistics_channel_id", int, required=False),
                    message_to_seller=field(spec, "message_to_seller", str, required=False))
                created.append(order)
                factory.drive(world, order, status, create_time, now)
        except (AdminError, ValueError) as exc:
            for order in created:
                world.remove_order(order.order_sn)
            for key in [k for k in world.models if k not in snapshot]:
                del world.models[key]
            for key, stock in snapshot.items():
                world.models[key].stock = stock
            if isinstance(exc, AdminError):
                raise
            raise AdminError(400, "invalid_field", str(exc)) from None
        return reply({"created": len(created), "order_sns": [o.order_sn for o in created]}, 201)


def _ensure_stock(world: ShopeeWorld, shop, count: int) -> None:
    """Generated orders never fail for stock: top the catalogue up for large counts."""
    for model in world.shop_models(shop.shop_id):
        model.stock = max(model.stock, count * 3 + 10)


@bp.get("/orders/<order_sn>")
def get_order(order_sn: str) -> Response:
    store, world = _world()
    with store.lock:
        order = world.orders.get(order_sn)
        if order is None:
            raise AdminError(404, "not_found", f"no order {order_sn}")
        view = order.to_dict()
        view["ship_by_date"] = order.ship_by_date
        view["total_amount"] = order.total_amount
        view["stock"] = {f"{i.item_id}:{i.model_id}": world.models[(order.shop_id, i.item_id, i.model_id)].stock
                         for i in order.items if (order.shop_id, i.item_id, i.model_id) in world.models}
        view["allowed_events"] = [e for e, table in lifecycle.EVENTS.items() if order.status in table]
        return reply(view)


@bp.post("/orders/<order_sn>/events")
def order_event(order_sn: str) -> Response:
    body = json_body()
    event = field(body, "event", str)
    if event not in lifecycle.EVENTS:
        raise AdminError(400, "invalid_field", f"event should be one of {', '.join(lifecycle.EVENTS)}")
    reason = field(body, "reason", str, required=False, default="")
    store, world = _world()
    with store.lock:
        store.tick()
        order = world.orders.get(order_sn)
        if order is None:
            raise AdminError(404, "not_found", f"no order {order_sn}")
        previous = order.status
        try:
            status = lifecycle.apply_event(world, order, event, world.now(), reason)
        except lifecycle.IllegalTransition as exc:
            raise AdminError(409, "illegal_transition", f"{exc.reason} (order {order_sn} is {order.status})",
                             order_sn=order_sn, status=order.status, event=event) from None
        return reply({"order_sn": order_sn, "event": event, "previous_status": previous, "status": status,
                      "update_time": order.update_time})


@bp.post("/authorize")
def authorize() -> Response:
    body = json_body()
    partner_id = field(body, "partner_id", int)
    shop_id = field(body, "shop_id", int)
    target = field(body, "redirect", str)
    store, world = _world()
    with store.lock:
        _need_partner(world, partner_id)
        _need_shop(world, shop_id)
        code = accounts.grant(world, partner_id, shop_id)
        return reply({"url": with_query(target, code=code.code, shop_id=shop_id), "code": code.code,
                      "shop_id": shop_id, "expires_at": code.expires_at})


@bp.post("/deauthorize")
def deauthorize() -> Response:
    body = json_body()
    partner_id = field(body, "partner_id", int)
    shop_id = field(body, "shop_id", int)
    store, world = _world()
    with store.lock:
        if not accounts.deauthorise(world, partner_id, shop_id):
            raise AdminError(404, "not_found", f"shop {shop_id} is not authorised to partner {partner_id}")
        return reply({"partner_id": partner_id, "shop_id": shop_id, "authorised": False})


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Response:
    store, world = _world()
    with store.lock:
        if request.method == "POST":
            body = json_body()
            delay = field(body, "tracking_delay_seconds", int, required=False)
            if delay is not None:
                if delay < 0:
                    raise AdminError(400, "invalid_field", "tracking_delay_seconds should be >= 0")
                world.tracking_delay = delay
            auto = field(body, "auto_progress", bool, required=False)
            if auto is not None:
                world.auto_progress = auto
        return reply({"tracking_delay_seconds": world.tracking_delay, "auto_progress": world.auto_progress})


@bp.post("/auth_page/submit")
def auth_page_submit() -> Response:
    store, world = _world()
    with store.lock:
        return submit_page(world, request.form, world.now())
