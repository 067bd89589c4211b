"""Logistics module routes: shipping parameters, ship_order, tracking numbers and info, channels."""
from __future__ import annotations

from typing import Any

from mockserver.shopee import errors as E
from mockserver.shopee import lifecycle, order_ops
from mockserver.shopee.catalog import PERMISSIONS, api
from mockserver.shopee.errors import ShopeeError
from mockserver.shopee.factory import channels_of
from mockserver.shopee.models import Order, Shop

DAY = 86400
UTC8 = 8 * 3600
PICKUP_DAYS = 3


def pickup_address(shop: Shop) -> dict[str, Any]:
    """The shop's one pickup address (sandbox choice: every shop has exactly one)."""
    return {"address_id": shop.shop_id % 100_000_000 + 10_000_000, "region": shop.region,
            "state": "", "city": "臺北市" if shop.region == "TW" else "", "district": "大安區" if shop.region == "TW" else "",
            "town": "", "address": "復興南路一段390號" if shop.region == "TW" else "1 Sandbox Road",
            "zipcode": "106" if shop.region == "TW" else "000000",
            "address_flag": ["default_address", "pickup_address", "return_address"]}


def time_slots(now: int) -> list[dict[str, Any]]:
    """The next three days (local midnight, UTC+8); the first is recommended."""
    first = (now + UTC8) // DAY * DAY - UTC8 + DAY
    return [{"date": first + i * DAY, "time_text": "", "pickup_time_id": str(first + i * DAY),
             "flags": ["recommended"] if i == 0 else []} for i in range(PICKUP_DAYS)]


def _branches(order: Order) -> list[dict[str, Any]]:
    return [{"branch_id": 5000 + i, "region": order.region, "state": "", "city": "", "district": "",
             "town": "", "address": f"Sandbox drop-off point {i + 1}", "zipcode": "000000"} for i in range(2)]


def _info_needed(order: Order) -> dict[str, list[str]]:
    needed: dict[str, list[str]] = {}
    for mode in order_ops.ship_modes(order):
        if mode == "pickup":
            needed["pickup"] = ["address_id", "pickup_time_id"]
        elif mode == "dropoff":
            # TW convenience stores take parcels at any branch; elsewhere a branch is chosen.
            needed["dropoff"] = [] if order.region == "TW" else ["branch_id"]
        else:
            needed["non_integrated"] = []
    return needed


def _shippable(order: Order) -> None:
    if order.status == lifecycle.CANCELLED:
        raise ShopeeError.of(E.ORDER_CANCELLED)
    if order.status == lifecycle.INVOICE_PENDING:
        raise ShopeeError.of(E.LACK_OF_INVOICE)
    if order.status not in (lifecycle.READY_TO_SHIP, lifecycle.RETRY_SHIP):
        raise ShopeeError.of(E.NOT_SHIPPABLE_STATUS)


@api("/api/v2/logistics/get_shipping_parameter", "GET", "shop", ("order_sn", "package_number"),
     PERMISSIONS["logistics.get_shipping_parameter"])
def get_shipping_parameter(call) -> dict[str, Any]:
    sn = call.params.string("order_sn")
    package_number = call.params.string("package_number", required=False)
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn, E.ORDER_NOT_EXIST)
    _shippable(order)
    order_ops.package_of(order, package_number)
    needed = _info_needed(order)
    pickup = ({"address_list": [{**pickup_address(call.caller.shop), "time_slot_list": time_slots(call.now)}]}
              if "pickup" in needed else None)
    dropoff = {"branch_list": _branches(order) if needed.get("dropoff") else [], "slug_list": []} \
        if "dropoff" in needed else None
    return {"response": {"info_needed": needed, "pickup": pickup, "dropoff": dropoff}}


_PICKUP = {"address_id": (int, False), "pickup_time_id": (str, False), "tracking_number": (str, False)}
_DROPOFF = {"branch_id": (int, False), "sender_real_name": (str, False), "tracking_number": (str, False),
            "slug": (str, False)}
_NON_INTEGRATED = {"tracking_number": (str, False)}


@api("/api/v2/logistics/ship_order", "POST", "shop",
     ("order_sn", "package_number", "pickup", "dropoff", "non_integrated"),
     PERMISSIONS["logistics.ship_order"])
def ship_order(call) -> dict[str, Any]:
    p = call.params
    sn = p.string("order_sn")
    package_number = p.string("package_number", required=False)
    given = {"pickup": p.object("pickup", _PICKUP), "dropoff": p.object("dropoff", _DROPOFF),
             "non_integrated": p.object("non_integrated", _NON_INTEGRATED)}
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn, E.ORDER_NOT_EXIST)
    if order.status == lifecycle.INVOICE_PENDING:
        raise ShopeeError.of(E.LACK_OF_INVOICE)
    if order.status not in (lifecycle.READY_TO_SHIP, lifecycle.RETRY_SHIP):
        raise ShopeeError.of(E.NOT_READY_TO_SHIP)
    chosen = [mode for mode, value in given.items() if value is not None]
    if len(chosen) != 1:
        raise ShopeeError.of(E.ONE_SHIP_METHOD)
    mode = chosen[0]
    needed = _info_needed(order)
    if mode not in needed:
        raise ShopeeError.of({"pickup": E.NO_PICKUP, "dropoff": E.NO_DROPOFF,
                              "non_integrated": E.NO_NON_INTEGRATED}[mode])
    details = given[mode]
    if mode == "pickup":
        if "address_id" not in details or "pickup_time_id" not in details:
            raise ShopeeError.of(E.NEED_ADDRESS_AND_SLOT)
        if details["address_id"] != pickup_address(call.caller.shop)["address_id"]:
            raise ShopeeError("logistics.address_not_found", "Address is not found.")
        if details["pickup_time_id"] not in {s["pickup_time_id"] for s in time_slots(call.now)}:
            raise ShopeeError.of(E.BAD_PICKUP_SLOT)
    if mode == "dropoff" and "branch_id" in needed["dropoff"]:
        if "branch_id" not in details:
            raise ShopeeError.of(E.NEED_BRANCH_ID)
        if details["branch_id"] not in {b["branch_id"] for b in _branches(order)}:
            raise ShopeeError("logistics.error_param", "Delivery store is not exist.")
    order_ops.ship(call.world, order, package_number, mode, call.now)
    return {}


@api("/api/v2/logistics/get_tracking_number", "GET", "shop",
     ("order_sn", "package_number", "response_optional_fields"),
     PERMISSIONS["logistics.get_tracking_number"])
def get_tracking_number(call) -> dict[str, Any]:
    p = call.params
    sn = p.string("order_sn")
    package_number = p.string("package_number", required=False)
    optional = p.string_list("response_optional_fields", required=False, low=0, high=3)
    allowed = ("plp_number", "first_mile_tracking_number", "last_mile_tracking_number")
    for name in optional:
        if name not in allowed:
            raise E.wrong_param(f"response_optional_fields should be among {', '.join(allowed)}")
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn, E.ORDER_NOT_EXIST)
    package = order_ops.package_of(order, package_number)
    body: dict[str, Any] = {"tracking_number": package.tracking_number,
                            "hint": "" if package.tracking_number else
                            "The tracking number is not available yet; the courier assigns it after ship_order."}
    for name in optional:
        body[name] = ""
    return {"response": body}


@api("/api/v2/logistics/get_tracking_info", "GET", "shop", ("order_sn", "package_number"),
     PERMISSIONS["logistics.get_tracking_info"])
def get_tracking_info(call) -> dict[str, Any]:
    sn = call.params.string("order_sn")
    package_number = call.params.string("package_number", required=False)
    order = call.world.order_of_shop(call.caller.shop.shop_id, sn, E.ORDER_NOT_EXIST)
    if order.status in (lifecycle.UNPAID, lifecycle.INVOICE_PENDING):
        raise ShopeeError.of(E.TRACKING_STATUS_INVALID)
    package = order_ops.package_of(order, package_number)
    return {"response": {
        "order_sn": order.order_sn, "package_number": package.package_number,
        "logistics_status": package.logistics_status,
        "tracking_info": [{"update_time": t.update_time, "description": t.description,
                           "logistics_status": t.logistics_status} for t in reversed(package.tracking)],
    }}


@api("/api/v2/logistics/get_channel_list", "GET", "shop", (), PERMISSIONS["logistics.get_channel_list"])
def get_channel_list(call) -> dict[str, Any]:
    channels = [{
        "logistics_channel_id": channel_id, "logistics_channel_name": name, "cod_enabled": cod,
        "enabled": True, "fee_type": "FIXED_DEFAULT_PRICE", "size_list": [],
        "weight_limit": {"item_max_weight": 20.0, "item_min_weight": 0.0},
        "item_max_dimension": {"height": 45.0, "width": 30.0, "length": 30.0, "unit": "cm",
                               "dimension_sum": 105.0},
        "volume_limit": {"item_max_volume": 0.0, "item_min_volume": 0.0},
        "logistics_description": "", "force_enable": False, "mask_channel_id": 0,
        "support_cross_border": False, "preprint": False,
    } for channel_id, name, cod, _ in channels_of(call.caller.shop.region)]
    return {"response": {"logistics_channel_list": channels}}
