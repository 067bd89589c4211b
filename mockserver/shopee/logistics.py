"""Logistics module routes: get_shipping_parameter and ship_order (tracking.py: tracking numbers and
info; channels.py: get_channel_list).

Each API answers the errors its own reference lists (the same situation has different codes and
messages in different APIs, e.g. lack_of_invoice_data or a split order without package_number).
"""
from __future__ import annotations

from typing import Any

from mockserver.shopee import errors as E
from mockserver.shopee import lifecycle, order_ops
from mockserver.shopee.catalog import PERMISSIONS, api
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.models import Order, Package, Shop

DAY = 86400
UTC8 = 8 * 3600
PICKUP_DAYS = 3
TRACKING_NUMBER_MAX = 64
_SHIPPABLE = (lifecycle.READY_TO_SHIP, lifecycle.RETRY_SHIP)

# Verbatim from the error lists of the API named in each comment (not in errors.py yet).
# get_shipping_parameter lists this lack_of_invoice_data message only (ship_order's is E.LACK_OF_INVOICE).
INVOICE_PENDING_PARAMS = ("logistics.lack_of_invoice_data",
                          "Please upload the invoice or verify the details of the document already submitted, "
                          "which is currently flagged as invalid by SEFAZ. Correction is required to release the shipment.")
# ship_order (Shopee's spelling "pacakge").
SHIP_NEED_PACKAGE_NUMBER = ("logistics.ship_order_need_pacakge_number",
                            "Please request with package_number for this split order.")
PACKAGE_ALREADY_SHIPPED = ("logistics.package_already_shipped",
                           "This package has already been arranged shipment and you can't call this API again.")
ADDRESS_NOT_FOUND = ("logistics.address_not_found", "Address is not found.")
BRANCH_NOT_FOUND = ("logistics.error_param", "Delivery store is not exist.")
TRACKING_NOT_NEEDED = ("error_param",
                       "Please do not request with tracking_no for this channel which does not require tracking_no.")
TRACKING_TOO_LONG = ("logistics.ship_order_long_tracking_number", "Parameter tracking_number can not be longer than 64.")
TRACKING_NOT_UNIQUE = ("logistics.error_param", "Please input a unique tracking number.")
NO_TRACKING_HINT = "The tracking number is not available yet; the courier assigns it after ship_order."


def pickup_address(shop: Shop) -> dict[str, Any]:
    """The shop's one pickup address (sandbox choice: every shop has exactly one)."""
    tw = shop.region == "TW"
    return {"address_id": shop.shop_id % 100_000_000 + 10_000_000, "region": shop.region,
            "state": "", "city": "臺北市" if tw else "", "district": "大安區" if tw else "",
            "town": "", "address": "復興南路一段390號" if tw else "1 Sandbox Road",
            "zipcode": "106" if tw else "000000",
            "address_flag": ["default_address", "pickup_address", "return_address"]}


def time_slots(now: int) -> list[dict[str, Any]]:
    """The next three days (local midnight, UTC+8); the first is recommended."""
    first = (now + UTC8) // DAY * DAY - UTC8 + DAY
    return [{"date": first + i * DAY, "time_text": "", "pickup_time_id": str(first + i * DAY),
             "flags": ["recommended"] if i == 0 else []} for i in range(PICKUP_DAYS)]


def _branches(order: Order) -> list[dict[str, Any]]:
    return [{"branch_id": 5000 + i, "region": order.region, "state": "", "city": "", "district": "",
             "town": "", "address": f"Sandbox drop-off point {i + 1}", "zipcode": "000000"} for i in range(2)]


def info_needed(order: Order) -> dict[str, list[str]]:
    """What ship_order needs per mode the order's channel offers (catalogue_data.CHANNELS).

    A mode with an empty list is offered and needs nothing ("developer should still include" it).
    """
    needed: dict[str, list[str]] = {}
    for mode in order_ops.ship_modes(order):
        if mode == "pickup":
            needed["pickup"] = ["address_id", "pickup_time_id"]
        elif mode == "dropoff":
            # TW convenience stores take parcels at any branch; elsewhere a branch is chosen.
            needed["dropoff"] = [] if order.region == "TW" else ["branch_id"]
        else:
            # The seller's own courier: the order-management guide's example asks for its number.
            needed["non_integrated"] = ["tracking_number"]
    return needed


def _package(order: Order, number: str | None, need_number: tuple[str, str],
             unknown: tuple[str, str] | ShopeeError) -> Package:
    """The package a call is about: a split order must name one ("" counts as not given)."""
    if number:
        for package in order.packages:
            if package.package_number == number:
                return package
        raise unknown if isinstance(unknown, ShopeeError) else ShopeeError.of(unknown)
    if len(order.packages) > 1:
        raise ShopeeError.of(need_number)
    return order.packages[0]


@api("/api/v2/logistics/get_shipping_parameter", "GET", "shop", ("order_sn", "package_number"),
     PERMISSIONS["logistics.get_shipping_parameter"])
def get_shipping_parameter(call) -> dict[str, Any]:
    sn = call.params.string("order_sn")
    package_number = call.params.string("package_number", required=False)
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn)
    if order.status == lifecycle.CANCELLED:
        raise ShopeeError.of(E.ORDER_CANCELLED)
    if order.status == lifecycle.INVOICE_PENDING:
        raise ShopeeError.of(INVOICE_PENDING_PARAMS)
    if order.status not in _SHIPPABLE:
        raise ShopeeError.of(E.NOT_SHIPPABLE_STATUS)
    package = _package(order, package_number, E.NEED_PACKAGE_NUMBER,
                       E.not_found(f"package_number {package_number} not found"))
    if order.status == lifecycle.READY_TO_SHIP and package.shipped_with:
        raise ShopeeError.of(E.NOT_SHIPPABLE_STATUS)  # this parcel of a split order is arranged already
    needed = info_needed(order)
    pickup = ({"address_list": [{**pickup_address(call.caller.shop), "time_slot_list": time_slots(call.now)}]}
              if "pickup" in needed else None)
    # The reference sample answers "dropoff": null when dropoff needs nothing to choose.
    dropoff = {"branch_list": _branches(order), "slug_list": []} if needed.get("dropoff") else None
    return {"response": {"info_needed": needed, "pickup": pickup, "dropoff": dropoff}}


_PICKUP = {"address_id": (int, False), "pickup_time_id": (str, False), "tracking_number": (str, False)}
_DROPOFF = {"branch_id": (int, False), "sender_real_name": (str, False), "tracking_number": (str, False),
            "slug": (str, False)}
_NON_INTEGRATED = {"tracking_number": (str, False)}
_UNSUPPORTED = {"pickup": E.NO_PICKUP, "dropoff": E.NO_DROPOFF, "non_integrated": E.NO_NON_INTEGRATED}


@api("/api/v2/logistics/ship_order", "POST", "shop",
     ("order_sn", "package_number", "pickup", "dropoff", "non_integrated"),
     PERMISSIONS["logistics.ship_order"])
def ship_order(call) -> dict[str, Any]:
    p = call.params
    sn = p.string("order_sn")
    package_number = p.string("package_number", required=False)
    given = {"pickup": p.object("pickup", _PICKUP), "dropoff": p.object("dropoff", _DROPOFF),
             "non_integrated": p.object("non_integrated", _NON_INTEGRATED)}
    chosen = [mode for mode, value in given.items() if value is not None]
    if len(chosen) != 1:  # the shape of the request first: no order is looked at
        raise ShopeeError.of(E.ONE_SHIP_METHOD)
    mode, details = chosen[0], given[chosen[0]]
    world = call.world
    order = world.order_of_shop(call.caller.shop.shop_id, sn)
    if order.status == lifecycle.INVOICE_PENDING:
        raise ShopeeError.of(E.LACK_OF_INVOICE)
    if order.status not in _SHIPPABLE:
        raise ShopeeError.of(E.NOT_READY_TO_SHIP)
    package = _package(order, package_number, SHIP_NEED_PACKAGE_NUMBER, E.PACKAGE_NOT_EXIST)
    if order.status == lifecycle.READY_TO_SHIP and package.shipped_with:
        raise ShopeeError.of(PACKAGE_ALREADY_SHIPPED)
    needed = info_needed(order)
    if mode not in needed:
        raise ShopeeError.of(_UNSUPPORTED[mode])
    tracking = (details.get("tracking_number") or "").strip()
    if mode == "pickup":
        # The request sample's empty pickup_time_id "" counts as not chosen.
        if details.get("address_id") is None or not details.get("pickup_time_id"):
            raise ShopeeError.of(E.NEED_ADDRESS_AND_SLOT)
        if details["address_id"] != pickup_address(call.caller.shop)["address_id"]:
            raise ShopeeError.of(ADDRESS_NOT_FOUND)
        if details["pickup_time_id"] not in {s["pickup_time_id"] for s in time_slots(call.now)}:
            raise ShopeeError.of(E.BAD_PICKUP_SLOT)
    elif mode == "dropoff" and "branch_id" in needed["dropoff"]:
        if not details.get("branch_id"):
            raise ShopeeError.of(E.NEED_BRANCH_ID)
        if details["branch_id"] not in {b["branch_id"] for b in _branches(order)}:
            raise ShopeeError.of(BRANCH_NOT_FOUND)
    if tracking and mode != "non_integrated":
        raise ShopeeError.of(TRACKING_NOT_NEEDED)  # integrated channels: the 3PL assigns the number
    if tracking:
        if len(tracking) > TRACKING_NUMBER_MAX:
            raise ShopeeError.of(TRACKING_TOO_LONG)
        if any(other.tracking_number == tracking and other is not package
               for o in world.orders_of_shop(order.shop_id) for other in o.packages):
            raise ShopeeError.of(TRACKING_NOT_UNIQUE)
    previous = package.tracking_number
    if tracking:
        # The seller's own number; the sandbox's 3PL only numbers parcels that have none.
        package.tracking_number = tracking
    try:
        order_ops.ship(world, order, package.package_number, mode, call.now)
    except ShopeeError:
        package.tracking_number = previous
        raise
    return {}
