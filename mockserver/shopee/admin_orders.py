"""Admin endpoints of a shop's orders (on admin.py's blueprint): a paged, filtered list, and the
seller's ship step for the web console's order page.

A shop may hold 100,000 orders: the list answers one page (newest first) and never builds the
whole list. Contract: contracts/admin/openapi.yaml.
"""
from __future__ import annotations

from typing import Any

from flask import Response, request

from mockserver.admin.http import AdminError, field, json_body, query_int, reply
from mockserver.shopee import lifecycle, order_ops
from mockserver.shopee.admin import _need_order, _need_shop, _world, bp
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.models import Order
from mockserver.shopee.world import ShopeeWorld

DEFAULT_LIMIT, MAX_LIMIT = 50, 1000
LIST_FILTERS = ("status", "limit", "offset")
SHIP_MODES = ("pickup", "dropoff", "non_integrated")


def order_summary(order: Order) -> dict[str, Any]:
    """One line of a shop's order list."""
    return {"order_sn": order.order_sn, "status": order.status, "create_time": order.create_time,
            "update_time": order.update_time, "total_amount": order.total_amount, "currency": order.currency,
            "buyer_username": order.buyer_username, "item_count": sum(i.quantity for i in order.items),
            "payment_method": order.payment_method, "shipping_carrier": order.shipping_carrier}


def order_page(world: ShopeeWorld, shop_id: int, status: str | None, limit: int, offset: int) -> dict[str, Any]:
    """One page of a shop's orders, newest first, with how many match and how many each status has.
    Caller holds the store lock. Read off the index (order_index.py): only the page's orders are
    built, whatever the shop's size."""
    index = world.orders.index
    by_status = index.status_counts(shop_id)
    matched = by_status.get(status, 0) if status is not None else sum(by_status.values())
    ordinals, _ = index.page(shop_id, "create_time", 0, 2**37 - 1, status, None, offset, limit)
    page = [world.orders.at(o) for o in ordinals]
    return {"shop_id": shop_id, "total": matched, "count": len(page), "offset": offset, "limit": limit,
            "status_counts": by_status, "orders": [order_summary(o) for o in page]}


def seller_actions(order: Order) -> list[str]:
    """What the seller could do to the order now through the admin API: ship (ship_order's rules:
    a paid order with a parcel not yet arranged, or a parcel the courier failed to pick up)."""
    if order.status == lifecycle.RETRY_SHIP or (order.status == lifecycle.READY_TO_SHIP
                                                and any(not p.shipped_with for p in order.packages)):
        return ["ship"]
    return []


@bp.get("/shops/<int:shop_id>/orders")
def list_orders(shop_id: int) -> Response:
    """A page of the shop's orders, newest first, optionally of one status."""
    unknown = sorted(set(request.args) - set(LIST_FILTERS))
    if unknown:
        raise AdminError(400, "invalid_field", f"unknown query parameter {unknown[0]}; known: {', '.join(LIST_FILTERS)}")
    status = request.args.get("status")
    if status is not None and status not in lifecycle.STATUSES:
        raise AdminError(400, "invalid_field", f"status should be one of {', '.join(lifecycle.STATUSES)}")
    limit = query_int("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    offset = query_int("offset", 0, 10**9, 0)
    store, world = _world()
    with store.lock:
        store.tick()
        _need_shop(world, shop_id)
        return reply(order_page(world, shop_id, status, limit, offset))


@bp.post("/orders/<order_sn>/ship")
def ship(order_sn: str) -> Response:
    """The seller arranges shipment as v2.logistics.ship_order would (order_ops.ship's rules): every
    parcel not yet arranged, by `mode` (default: dropoff where the channel has it, else its first
    mode, as generated orders are shipped), or only `package_number`."""
    body = json_body(optional=True, allowed=("mode", "package_number"))
    mode = field(body, "mode", str, required=False)
    if mode is not None and mode not in SHIP_MODES:
        raise AdminError(400, "invalid_field", f"mode should be one of {', '.join(SHIP_MODES)}")
    package_number = field(body, "package_number", str, required=False)
    store, world = _world()
    with store.lock:
        store.tick()
        order = _need_order(world, order_sn)
        modes = order_ops.ship_modes(order)
        chosen = mode or ("dropoff" if "dropoff" in modes else modes[0])
        previous = order.status
        if package_number:
            numbers: list[str | None] = [package_number]
        elif order.status == lifecycle.RETRY_SHIP:
            numbers = [order.packages[0].package_number]  # one call arranges the retry (order_ops.ship)
        else:
            numbers = [p.package_number for p in order.packages if not p.shipped_with] or [None]
        if len(numbers) > 1:
            _check_each(order, chosen)
        try:
            for number in numbers:
                order_ops.ship(world, order, number, chosen, world.now())
        except ShopeeError as exc:
            raise AdminError(409, "illegal_transition", f"ship_order refuses: {exc.error}: {exc.message} "
                                                        f"(order {order_sn} is {order.status})",
                             order_sn=order_sn, status=order.status, event="ship", shopee_error=exc.error) from None
        return reply({"order_sn": order_sn, "event": "ship", "mode": chosen, "previous_status": previous,
                      "status": order.status, "update_time": order.update_time,
                      "tracking_numbers": [p.tracking_number for p in order.packages if p.tracking_number]})


def _check_each(order: Order, mode: str) -> None:
    """A split order ships parcel by parcel: refuse before the first one if the mode is wrong, so a
    refusal leaves every parcel as it was."""
    if mode not in order_ops.ship_modes(order):
        raise AdminError(409, "illegal_transition", f"ship_order refuses: the channel has no {mode} "
                                                    f"(order {order.order_sn} is {order.status})",
                         order_sn=order.order_sn, status=order.status, event="ship")
