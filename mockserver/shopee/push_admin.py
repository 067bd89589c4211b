"""Admin endpoints of the Push Mechanism (on admin.py's blueprint): /_sandbox/shopee/partners/<id>/push
(an app's push state and signing mode) and /_sandbox/shopee/push/trigger (send one push now).

What the Open Platform console shows and sets for an app's pushes and the signing mode; the app
itself configures its subscription through the v2 push APIs (push.py).
"""
from __future__ import annotations

from typing import Any

from flask import Response, request

from mockserver.admin.http import AdminError, field, json_body, reply
from mockserver.shopee import push_model
from mockserver.shopee.admin import _need_partner, _need_shop, _non_empty, _world, bp
from mockserver.shopee.lifecycle import visible_status
from mockserver.shopee.push_events import forder_id


@bp.route("/partners/<int:partner_id>/push", methods=["GET", "POST"])
def partner_push(partner_id: int) -> Response:
    """An app's push subscription as the console shows it (health, lost pushes), and the signing
    mode: "url_and_body" (partner key over callback_url|body) or "body" (a push key over the body)."""
    body = json_body(allowed=("signing", "push_key")) if request.method == "POST" else {}
    signing = field(body, "signing", str, required=False)
    if signing is not None and signing not in push_model.SIGNING_MODES:
        raise AdminError(400, "invalid_field", f"signing should be one of {', '.join(push_model.SIGNING_MODES)}")
    push_key = _non_empty(body, "push_key")
    store, world = _world()
    with store.lock:
        store.tick()
        partner = _need_partner(world, partner_id)
        entry = world.push.of(partner_id, partner.app_type)
        with world.push.lock:
            if push_key is not None:
                entry.push_key = push_key
            if signing is not None:
                entry.signing = signing
            if entry.signing == push_model.SIGN_BODY and not entry.push_key:
                entry.push_key = world.hex_token(64)  # the console issues one with the mode
            now = world.clock.now()
            entry.lost_page(now)  # forgets lost pushes older than 3 days
            view = {"partner_id": partner_id, **entry.view(now), "signing": entry.signing,
                    "push_key": entry.push_key, "health": entry.health(now),
                    "lost_push_messages": len(entry.lost)}
            view.setdefault("suspended_time", None)
        return reply(view)


# ---- trigger ------------------------------------------------------------------------------------------
TRIGGER_CODES = (1, 2, 3, 4, 12)  # the pushes the sandbox raises itself (fixtures/shopee/push/<code>.json)


@bp.post("/push/trigger")
def trigger_push() -> Response:
    """Send one push now to a partner's callback, as the world would raise it: the code's data for
    the shop (its newest order for codes 3 and 4), with `data` merged in (RFC 7386 merge patch)."""
    body = json_body(allowed=("partner_id", "code", "shop_id", "data"))
    code = field(body, "code", int)
    if code not in TRIGGER_CODES:
        raise AdminError(400, "invalid_field", f"code should be one of {', '.join(map(str, TRIGGER_CODES))}")
    overrides = field(body, "data", dict, required=False, default={})
    store, world = _world()
    with store.lock:
        store.tick()
        partner = _need_partner(world, field(body, "partner_id", int, required=False,
                                             default=world.default["partner_id"]))
        shop = _need_shop(world, field(body, "shop_id", int, required=False, default=world.default["shop_id"]))
        entry = world.push.of(partner.partner_id, partner.app_type)
        with world.push.lock:
            wanted = entry.wants(code, shop.shop_id)
        if not wanted:
            raise AdminError(409, "push_not_subscribed",
                             f"partner {partner.partner_id} does not take push code {code} for shop {shop.shop_id}: "
                             "set its callback and codes with v2.push.set_app_push_config",
                             partner_id=partner.partner_id, code=code)
        data = _merge(push_data(world, partner.partner_id, shop.shop_id, code), overrides)
        shop_level = code not in push_model.PARTNER_LEVEL
        delivery = world.pusher.send(partner.partner_id, code, data, shop_id=shop.shop_id if shop_level else None,
                                     about=shop.shop_id)
        if delivery is None:
            raise AdminError(409, "push_not_subscribed", f"partner {partner.partner_id} takes no push code {code}",
                             partner_id=partner.partner_id, code=code)
        return reply({"code": code, "partner_id": partner.partner_id, "deliveries": [delivery.summary()]})


def push_data(world: Any, partner_id: int, shop_id: int, code: int) -> dict[str, Any]:
    """The data the world itself would send for this code and shop (push_events.py's shapes)."""
    now = world.now()
    if code in (1, 2):
        what = "is authorized successfully" if code == 1 else "authorization is canceled"
        return {"shop_id_list": [shop_id], "merchant_id_list": [], "success": 1, "extra": f"shop_id {shop_id} {what}"}
    if code == 12:
        expire = world.shops[shop_id].authorisations.get(partner_id, (now, now))[1]
        return {"shop_expire_soon": [shop_id], "merchant_expire_soon": [], "expire_before": expire,
                "page_no": 1, "total_page": 1}
    order = next(iter(world.orders_of_shop(shop_id)), None)
    if code == 3:
        return {"items": [], "ordersn": order.order_sn if order else "", "completed_scenario": "",
                "status": visible_status(order.status) if order else "UNPAID",
                "update_time": order.update_time if order else now}
    package = order.packages[0] if order and order.packages else None
    return {"ordersn": order.order_sn if order else "", "package_number": package.package_number if package else "",
            "forder_id": forder_id(package.package_number) if package else "",
            "tracking_no": package.tracking_number if package else ""}


def _merge(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result
