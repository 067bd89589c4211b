"""Admin endpoints of Shopee's test shops and world settings (on admin.py's blueprint).

Test shops follow seed 000's test environment (testenv.py): at most 8 per developer account (the
cap can be lifted here), an expiration date, and a restore. Contract: contracts/admin/openapi.yaml.
"""
from __future__ import annotations

from typing import Any

from flask import Response, request

from mockserver.admin.http import AdminError, field, json_body, number, reply
from mockserver.core.events import Event
from mockserver.shopee import factory, lifecycle, testenv
from mockserver.shopee.admin import MAX_ID, _need_partner, _need_shop, _new_id, _non_empty, _world, bp
from mockserver.shopee.catalogue_data import CURRENCY
from mockserver.shopee.models import Model, Shop

SHOP_FIELDS = ("region", "shop_id", "shop_name", "password", "authorize_partner_id", "expire_time", "outlet_of")
MAX_TEST_SHOPS = 100_000  # the highest cap the settings take (null: none)


def _shop_view(s: Shop, now: int) -> dict[str, Any]:
    return {"shop_id": s.shop_id, "shop_name": s.shop_name, "region": s.region, "account": s.account,
            "password": s.password, "status": s.status,
            "authorised_partners": sorted(s.authorisations), **testenv.view(s, now)}


def _model_view(m: Model) -> dict[str, Any]:
    return {"item_id": m.item_id, "model_id": m.model_id, "item_name": m.item_name,
            "model_name": m.model_name, "price": m.price, "stock": m.stock}


@bp.post("/shops")
def create_shop() -> Response:
    body = json_body(optional=True, allowed=SHOP_FIELDS)
    region = field(body, "region", str, required=False, default="TW")
    if region not in CURRENCY:
        raise AdminError(400, "invalid_field", f"region should be one of {', '.join(CURRENCY)}")
    shop_name = _non_empty(body, "shop_name")
    password = _non_empty(body, "password")
    authorise_for = field(body, "authorize_partner_id", int, required=False)
    expire_time = number(body, "expire_time", int, 0, MAX_ID, required=False, nullable=True)
    outlet_of = field(body, "outlet_of", int, required=False)
    store, world = _world()
    with store.lock:
        store.tick()
        shop_id = _new_id(body, "shop_id", world.shop)
        if authorise_for is not None:
            _need_partner(world, authorise_for)
        if outlet_of is not None and _need_shop(world, outlet_of).mart_shop_id is not None:
            raise AdminError(400, "invalid_field", f"outlet_of: shop {outlet_of} is an Outlet shop itself")
        try:
            testenv.check_room(world)
        except testenv.TestShopLimit as exc:
            raise AdminError(409, "test_shop_limit", str(exc), test_shop_limit=world.test_shop_limit) from None
        shop = factory.new_shop(world, region, shop_name, shop_id, password=password)
        if "expire_time" in body:
            shop.expire_time = expire_time
        shop.mart_shop_id = outlet_of
        view = _shop_view(shop, world.now())
        if authorise_for is not None:
            factory.authorise(world, authorise_for, shop.shop_id)
            # The same news as an approval on the auth page (push code 1, code 12 scheduled).
            world.events.publish(Event("shopee.shop_authorised", world.now(),
                                       {"partner_id": authorise_for, "shop_id": shop.shop_id}))
            access, refresh = world.issue_token_pair(authorise_for, shop.shop_id)
            view.update(authorised_partners=[authorise_for], access_token=access.value,
                        refresh_token=refresh.value)
        view["models"] = [_model_view(m) for m in world.shop_models(shop.shop_id)]
        return reply(view, 201)


@bp.get("/shops/<int:shop_id>")
def get_shop(shop_id: int) -> Response:
    store, world = _world()
    with store.lock:
        store.tick()
        shop = _need_shop(world, shop_id)
        return reply({**_shop_view(shop, world.now()),
                      "models": [_model_view(m) for m in world.shop_models(shop_id)]})


@bp.post("/shops/<int:shop_id>/restore")
def restore_shop(shop_id: int) -> Response:
    """Seed 000 step 5-3: an expired test shop comes back, data kept, with a new expiration date."""
    json_body(optional=True, allowed=())
    store, world = _world()
    with store.lock:
        store.tick()
        shop = _need_shop(world, shop_id)
        testenv.restore(world, shop, world.now())
        return reply(_shop_view(shop, world.now()))


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Response:
    allowed = ("tracking_delay_seconds", "auto_progress", "test_shop_limit", "test_shop_days")
    body = json_body(allowed=allowed) if request.method == "POST" else {}
    delay = number(body, "tracking_delay_seconds", int, 0, 365 * 86400, required=False)
    auto = field(body, "auto_progress", bool, required=False)
    limit = number(body, "test_shop_limit", int, 1, MAX_TEST_SHOPS, required=False, nullable=True)
    days = number(body, "test_shop_days", int, 1, 3650, required=False, nullable=True)
    store, world = _world()
    with store.lock:
        if delay is not None:
            world.tracking_delay = delay
        if auto is not None:
            world.auto_progress = auto
            if auto:
                lifecycle.resume_auto_progress(world)  # orders already waiting get their timers
        if "test_shop_limit" in body:
            world.test_shop_limit = limit  # null: no cap; a lower cap keeps the shops there are
        if "test_shop_days" in body:
            world.test_shop_days = days  # for shops made or restored from now on; null: never expire
        return reply({"tracking_delay_seconds": world.tracking_delay, "auto_progress": world.auto_progress,
                      "test_shop_limit": world.test_shop_limit, "test_shop_days": world.test_shop_days})
