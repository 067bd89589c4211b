"""Order module routes: parse parameters, call one model operation, render."""
from __future__ import annotations

import re
from itertools import islice
from typing import Any

from mockserver.shopee import errors as E
from mockserver.shopee import lenient, lifecycle, order_ops, render
from mockserver.shopee.catalog import PERMISSIONS, api
from mockserver.shopee.errors import ShopeeError, wrong_param

MAX_RANGE = 15 * 86400
# Every status the sandbox models, plus PENDING (the migration status behind
# request_order_status_pending, which the sandbox never gives an order: the filter finds nothing).
LIST_STATUSES = lifecycle.STATUSES + ("PENDING",)
# Offsets, like Shopee's own next_cursor ("20"); anything else was never issued by the sandbox.
_CURSOR = re.compile(r"[0-9]{1,9}")
# No document bounds response_optional_fields; this only keeps one request's work bounded.
OPTIONAL_NAMES_MAX = 200


def _cursor(raw: str | None) -> int:
    """Cursors are opaque to clients; the sandbox's are offsets into the result ("" = start).
    Shopee's samples send the literal `cursor=""`, so that means the start too."""
    if raw in (None, "", '""'):
        return 0
    if not _CURSOR.fullmatch(raw):
        raise wrong_param(f"cursor {raw} is invalid")
    return int(raw)


def _order_sn(p) -> str:
    """order_sn of a POST body: a non-empty string (an empty one is a parameter error, not a miss)."""
    sn = p.string("order_sn")
    if not sn.strip():
        raise wrong_param("order_sn is required")
    return sn


def _page(rows, offset: int, page_size: int) -> tuple[list, bool, str]:
    window = list(islice(rows, offset, offset + page_size + 1))
    more = len(window) > page_size
    return window[:page_size], more, str(offset + page_size) if more else ""


@api("/api/v2/order/get_order_list", "GET", "shop",
     ("time_range_field", "time_from", "time_to", "page_size", "cursor", "order_status",
      "response_optional_fields", "request_order_status_pending", "logistics_channel_id"),
     PERMISSIONS["order.get_order_list"])
def get_order_list(call) -> dict[str, Any]:
    p = call.params
    field = p.string("time_range_field", choices=("create_time", "update_time"))
    time_from = p.integer("time_from")
    time_to = p.integer("time_to")
    page_size = p.integer("page_size", low=1, high=100)
    offset = _cursor(p.string("cursor", required=False))
    status = p.string("order_status", required=False, choices=LIST_STATUSES)
    with_status = "order_status" in optional_names(call, ("order_status",))
    p.boolean("request_order_status_pending")
    channel = p.integer("logistics_channel_id", required=False)
    if time_from >= time_to or time_to - time_from > MAX_RANGE:
        raise ShopeeError.of(E.INVALID_TIME_RANGE)
    # The index answers without building an order (order_index.py): newest first by the field,
    # ties by arrival; a page costs the same at any depth and any shop size.
    index = call.world.orders.index
    page, more = index.page(call.caller.shop.shop_id, field, time_from, time_to, status, channel,
                            offset, page_size)
    sns = index.order_sn
    order_list = ([{"order_sn": sns[o], "order_status": index.status_of(o)} for o in page] if with_status
                  else [{"order_sn": sns[o]} for o in page])
    next_cursor = str(offset + page_size) if more else ""
    return {"response": {"more": more, "next_cursor": next_cursor, "order_list": order_list}}


@api("/api/v2/order/get_shipment_list", "GET", "shop", ("page_size", "cursor"),
     PERMISSIONS["order.get_shipment_list"])
def get_shipment_list(call) -> dict[str, Any]:
    page_size = call.params.integer("page_size", low=1, high=100)
    offset = _cursor(call.params.string("cursor", required=False))
    # INVOICE_PENDING reads READY_TO_SHIP here too (lifecycle.visible_status); ship_order then
    # answers logistics.lack_of_invoice_data until the invoice is issued.
    # The index keeps the orders in those statuses by ship-by date (ties by arrival).
    world = call.world
    orders = (world.orders.at(o) for o in world.orders.index.waiting_to_ship(call.caller.shop.shop_id))
    rows = ({"order_sn": o.order_sn, "package_number": p.package_number}
            for o in orders for p in o.packages
            if o.status == lifecycle.RETRY_SHIP or not p.shipped_with)
    page, more, next_cursor = _page(rows, offset, page_size)
    return {"response": {"more": more, "next_cursor": next_cursor, "order_list": page}}


@api("/api/v2/order/get_order_detail", "GET", "shop",
     ("order_sn_list", "response_optional_fields", "request_order_status_pending"),
     PERMISSIONS["order.get_order_detail"])
def get_order_detail(call) -> dict[str, Any]:
    """The orders found, in the order asked; the others are listed in `warning` (guide api-calls.md:
    "some batch requests fail, the information will be reflected in this field"). None found:
    error_not_found "the order is not found." (the reference's error example)."""
    p = call.params
    sns = p.string_list("order_sn_list", low=1, high=50)
    keys = render.requested(call.api.name, p.string_list("response_optional_fields", required=False,
                                                          low=0, high=OPTIONAL_NAMES_MAX))
    if p.boolean("request_order_status_pending"):
        keys = render.with_pending(keys)
    shop_id = call.caller.shop.shop_id
    found, missing = [], []
    for sn in dict.fromkeys(sns):
        order = call.world.orders.get(sn)
        if order is None or order.shop_id != shop_id:
            missing.append(sn)
        else:
            found.append(order)
    if not found:
        raise ShopeeError.of(E.ORDER_NOT_FOUND)
    shown = [render.order_detail(o, keys) for o in found] if keys else [render.order_detail_json(o) for o in found]
    result: dict[str, Any] = {"response": {"order_list": shown}}
    if missing:
        result["warning"] = [f"order_sn {sn}: the order is not found." for sn in missing]
    return result


def optional_names(call, known: tuple[str, ...]) -> list[str]:
    """response_optional_fields of an API whose reference lists `known`: other names are ignored
    with a warning (strict: error_param, as before)."""
    names = call.params.string_list("response_optional_fields", required=False, low=0, high=OPTIONAL_NAMES_MAX)
    for name in names:
        if name not in known:
            lenient.unknown_value(call.api.name, "response_optional_fields", name, known,
                                  wrong_param(f"response_optional_fields should be among {', '.join(known)}"))
    return [name for name in names if name in known]


_ITEM = {"item_id": (int, True), "model_id": (int, True)}


@api("/api/v2/order/cancel_order", "POST", "shop",
     ("order_sn", "cancel_reason", "item_list", "partial_cancel_item_list"),
     PERMISSIONS["order.cancel_order"])
def cancel_order(call) -> dict[str, Any]:
    p = call.params
    sn = _order_sn(p)
    reason = p.string("cancel_reason", choices=order_ops.CANCEL_REASONS)
    items = p.object_list("item_list", _ITEM, required=False)
    if p.object_list("partial_cancel_item_list", {**_ITEM, "order_item_id": (int, False),
                                                  "promotion_group_id": (int, False),
                                                  "model_quantity": (int, True)}, required=False):
        raise ShopeeError("error_not_found", "shop-sandbox does not emulate partial cancellation yet.", 404)
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn)
    order_ops.cancel(call.world, order, reason, items, call.now)
    return {"response": {"update_time": order.update_time}}


@api("/api/v2/order/handle_buyer_cancellation", "POST", "shop", ("order_sn", "operation"),
     PERMISSIONS["order.handle_buyer_cancellation"])
def handle_buyer_cancellation(call) -> dict[str, Any]:
    sn = _order_sn(call.params)
    operation = call.params.string("operation", choices=("ACCEPT", "REJECT"))
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn)
    order_ops.handle_buyer_cancellation(call.world, order, operation, call.now)
    return {"response": {"update_time": order.update_time}}


_SPLIT_ITEM = {"item_id": (int, True), "model_id": (int, True), "order_item_id": (int, False),
               "promotion_group_id": (int, False), "model_quantity": (int, False)}


@api("/api/v2/order/split_order", "POST", "shop", ("order_sn", "package_list"),
     PERMISSIONS["order.split_order"])
def split_order(call) -> dict[str, Any]:
    sn = _order_sn(call.params)
    packages = call.params.object_list("package_list", {"item_list": (list, True, _SPLIT_ITEM)})
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn)
    created = order_ops.split(call.world, order, packages, call.now)
    return {"response": {"order_sn": order.order_sn, "package_list": [{
        "package_number": pkg.package_number,
        "item_list": [{"item_id": i, "model_id": m, "order_item_id": oi, "promotion_group_id": 0,
                       "model_quantity": q} for i, m, q, oi in pkg.items],
    } for pkg in created]}}


@api("/api/v2/order/unsplit_order", "POST", "shop", ("order_sn",), PERMISSIONS["order.unsplit_order"])
def unsplit_order(call) -> dict[str, Any]:
    order = call.world.order_of_shop(call.caller.shop.shop_id, _order_sn(call.params))
    order_ops.unsplit(call.world, order, call.now)
    return {}


@api("/api/v2/order/set_note", "POST", "shop", ("order_sn", "note"), PERMISSIONS["order.set_note"])
def set_note(call) -> dict[str, Any]:
    sn = _order_sn(call.params)
    note = call.params.string("note")
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn)
    order_ops.set_note(order, note, call.now)
    return {}
