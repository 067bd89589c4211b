"""Logistics tracking routes: get_tracking_number and get_tracking_info.

Each answers the errors its own reference lists (logistics.invalid_error for an unknown order, a
split order without package_number: logistics.package_number_not_exist), and every field of its
table (docs/fidelity.md, "get_tracking_number / get_tracking_info").
"""
from __future__ import annotations

from typing import Any

from mockserver.shopee import errors as E
from mockserver.shopee import lifecycle
from mockserver.shopee.catalog import PERMISSIONS, api
from mockserver.shopee.detail_parts import digits
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.logistics import _package
from mockserver.shopee.models import Order, Package
from mockserver.shopee.orders import optional_names

NO_TRACKING_HINT = "The tracking number is not available yet; the courier assigns it after ship_order."
# "Available values: plp_number, first_mile_tracking_number, last_mile_tracking_number", and the
# reference's "Please select from the below response parameters" adds pickup_code.
OPTIONAL_NUMBERS = ("plp_number", "first_mile_tracking_number", "last_mile_tracking_number", "pickup_code")
_DEFAULT_NUMBERS = ("tracking_number", "hint")
_RETURN_EVENTS = ("RETURN_STARTED", "RETURNED")


@api("/api/v2/logistics/get_tracking_number", "GET", "shop",
     ("order_sn", "package_number", "response_optional_fields"),
     PERMISSIONS["logistics.get_tracking_number"])
def get_tracking_number(call) -> dict[str, Any]:
    p = call.params
    sn = p.string("order_sn")
    package_number = p.string("package_number", required=False)
    optional = [n for n in optional_names(call, OPTIONAL_NUMBERS + _DEFAULT_NUMBERS) if n in OPTIONAL_NUMBERS]
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn, E.ORDER_NOT_EXIST)
    package = _package(order, package_number, E.NEED_PACKAGE_NUMBER, E.PACKAGE_NOT_EXIST)
    body: dict[str, Any] = {"tracking_number": package.tracking_number,
                            "hint": "" if package.tracking_number else NO_TRACKING_HINT}
    # Local (not cross-border) shops have no first/last-mile numbers, plp_number is BR Correios', and
    # pickup_code is "only returned for ID local orders who using instant+sameday": all "".
    for name in optional:
        body[name] = ""
    return {"response": body}


def returned_parcel(order: Order) -> bool:
    return lifecycle.TO_RETURN in (status for _, status in order.history)


def _reverse(order: Order, package: Package) -> dict[str, Any]:
    """The return leg of a parcel the buyer sent back (TO_RETURN): its own tracking number, the
    order's courier, and the return events; empty for every other parcel (docs/fidelity.md)."""
    if not returned_parcel(order):
        return {"reversed_tracking_number": "", "reversed_courier_name": "", "reversed_tracking_info": []}
    events = [t for t in reversed(package.tracking) if t.logistics_status in _RETURN_EVENTS]
    return {"reversed_tracking_number": f"{order.region}R{digits(package.package_number, 11, 'rts')}",
            "reversed_courier_name": order.shipping_carrier,
            "reversed_tracking_info": [{"update_time": t.update_time, "description": t.description}
                                       for t in events]}


@api("/api/v2/logistics/get_tracking_info", "GET", "shop", ("order_sn", "package_number"),
     PERMISSIONS["logistics.get_tracking_info"])
def get_tracking_info(call) -> dict[str, Any]:
    sn = call.params.string("order_sn")
    package_number = call.params.string("package_number", required=False)
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn, E.ORDER_NOT_EXIST)
    # An INVOICE_PENDING order reads READY_TO_SHIP here as everywhere but get_order_list
    # (lifecycle.visible_status): an empty history, not an error.
    if lifecycle.visible_status(order.status) == lifecycle.UNPAID:
        raise ShopeeError.of(E.TRACKING_STATUS_INVALID)
    package = _package(order, package_number, E.NEED_PACKAGE_NUMBER, E.PACKAGE_NOT_EXIST)
    return {"response": {
        "order_sn": order.order_sn, "package_number": package.package_number,
        "logistics_status": package.logistics_status,
        # Newest first, like a parcel-tracking page. return_code: "only applies to ... SPX Instant &
        # Sameday channel in ID region": "" here.
        "tracking_info": [{"update_time": t.update_time, "description": t.description,
                           "logistics_status": t.logistics_status, "return_code": ""}
                          for t in reversed(package.tracking)],
        # "[TW Only] ... returned when the channel is C2C and the logistics_status is
        # FULFILMENT_DELIVERY_FAILED": the sandbox has no failed delivery, so "".
        "collection_pin_code": "",
        **_reverse(order, package),
    }}
