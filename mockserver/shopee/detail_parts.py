"""The object fields of get_order_detail: item_list, package_list, invoice_data, geolocation.

Every field of the reference's field table (v2.order.get_order_detail.json) is rendered; values the
sandbox does not model take the value the table gives for "none" (docs/fidelity.md,
"get_order_detail: every field of the table"). Derived values (virtual numbers, invoice numbers,
coordinates) come from the order's own ids, so the same world always shows the same ones.
"""
from __future__ import annotations

import zlib
from typing import Any

from mockserver.shopee import lifecycle, privacy
from mockserver.shopee.models import Order, Package

# shipping_carrier: "If logistics_channel_id is 90021, 90025 or 90026, service_code will be
# appended, e.g., Entrega Turbo - M1020."
SERVICE_CODE_CHANNELS = (90021, 90025, 90026)
SERVICE_CODE = "M1020"
GEOLOCATION_CHANNEL = 90026  # recipient_address.geolocation: "Only available for logistics_channel_id 90026"
SORTING_GROUP_CHANNEL = 30029  # package_list.sorting_group: "[Only for TW 30029 channel]"
_SAO_PAULO = (-23.55, -46.63)


def digits(text: str, length: int, salt: str = "") -> str:
    """`length` digits derived from `text` (stable across runs and interpreters)."""
    out, counter = "", 0
    while len(out) < length:
        out += f"{zlib.crc32(f'{salt}{counter}:{text}'.encode()):010d}"
        counter += 1
    return out[:length]


def shipping_carrier(order: Order) -> str:
    if order.logistics_channel_id in SERVICE_CODE_CHANNELS:
        return f"{order.shipping_carrier} - {SERVICE_CODE}"
    return order.shipping_carrier


def items(order: Order) -> list[dict[str, Any]]:
    return [{
        "item_id": i.item_id, "item_name": i.item_name, "item_sku": i.item_sku,
        "model_id": i.model_id, "model_name": i.model_name, "model_sku": i.model_sku,
        "model_quantity_purchased": i.quantity, "model_original_price": i.original_price,
        "model_discounted_price": i.discounted_price, "wholesale": False, "weight": i.weight,
        "add_on_deal": False, "main_item": False, "add_on_deal_id": 0, "promotion_type": "",
        "promotion_id": 0, "order_item_id": i.order_item_id,
        # "In case the order item is a bundle deal, this value will be unique": no bundles here.
        "line_item_id": i.order_item_id, "promotion_group_id": 0,
        "image_info": {"image_url": i.image_url}, "product_location_id": f"{order.region}Z",
        "is_prescription_item": False, "error_in_fetching_is_prescription_item": False,
        "consultation_id": "", "is_b2c_owned_item": False, "promotion_list": [], "hot_listing_item": False,
        "active_qty": i.quantity - i.cancelled_qty, "cancel_requested_qty":
            i.quantity if order.status == lifecycle.IN_CANCEL else 0,
        "cancelled_qty": i.cancelled_qty,
        "return_requested_qty": i.quantity if order.status == lifecycle.TO_RETURN else 0,
        "returned_qty": i.quantity if returned(order) else 0,
    } for i in order.items]


def returned(order: Order) -> bool:
    """The parcel went back to the seller (TO_RETURN, then COMPLETED)."""
    statuses = [s for _, s in order.history]
    return lifecycle.TO_RETURN in statuses and order.status == lifecycle.COMPLETED


def parcel_grams(order: Order, placed: list[tuple[int, int, int, int]]) -> int:
    """The weight of what one parcel holds (a split order's parcels weigh less than the order)."""
    weight = {(i.item_id, i.model_id): i.weight for i in order.items}
    return int(round(sum(weight.get((item_id, model_id), 0.0) * qty
                         for item_id, model_id, qty, _ in placed) * 1000))


def sorting_group(order: Order) -> str:
    """TW's sorting regions by the recipient's 3-digit zipcode (sandbox choice of values; the
    reference sample shows "North")."""
    zipcode = str(order.recipient.get("zipcode") or "1")
    if zipcode[:2] in ("97", "98"):
        return "East"
    return {"1": "North", "2": "North", "3": "North", "4": "Central", "5": "Central"}.get(zipcode[:1], "South")


def package(order: Order, p: Package) -> dict[str, Any]:
    grams = parcel_grams(order, p.items)
    view: dict[str, Any] = {
        "package_number": p.package_number, "logistics_status": p.logistics_status,
        "logistics_channel_id": order.logistics_channel_id, "shipping_carrier": shipping_carrier(order),
        "allow_self_design_awb": False,
        "item_list": [{"item_id": item_id, "model_id": model_id, "model_quantity": qty,
                       "order_item_id": order_item_id, "promotion_group_id": 0,
                       "product_location_id": f"{order.region}Z"}
                      for item_id, model_id, qty, order_item_id in p.items],
        # The field table says parcel_chargeable_weight, the sample parcel_chargeable_weight_gram:
        # both, with the same grams (docs/fidelity.md).
        "parcel_chargeable_weight": grams, "parcel_chargeable_weight_gram": grams,
        "group_shipment_id": None,
    }
    if privacy.tw_non_integrated(order):
        view["virtual_contact_number"] = "09" + digits(p.package_number, 8, "vcn")
        view["package_query_number"] = digits(p.package_number, 4, "pqn")
    if order.logistics_channel_id == SORTING_GROUP_CHANNEL and p.shipped_with:
        view["sorting_group"] = sorting_group(order)  # "after the package has been arranged"
    return view


def geolocation(order: Order) -> dict[str, float] | None:
    if order.logistics_channel_id != GEOLOCATION_CHANNEL:
        return None
    lat = _SAO_PAULO[0] + (int(digits(order.order_sn, 4, "lat")) - 5000) / 25000
    lon = _SAO_PAULO[1] + (int(digits(order.order_sn, 4, "lon")) - 5000) / 25000
    return {"latitude": round(lat, 6), "longitude": round(lon, 6)}


def invoice_issued_at(order: Order) -> int | None:
    """When a BR order's invoice was accepted: its move out of INVOICE_PENDING to READY_TO_SHIP."""
    pending = False
    for at, status in order.history:
        if status == lifecycle.INVOICE_PENDING:
            pending = True
        elif pending and status == lifecycle.READY_TO_SHIP:
            return at
    return None


def invoice_data(order: Order) -> dict[str, Any] | None:
    """BR orders (the only ones with invoices, seed 001): pending while INVOICE_PENDING, then valid
    (the 2026-08-06 update log: "status" valid/pending and "pending_reason"). Elsewhere null, as in
    the reference sample."""
    if order.region not in lifecycle.INVOICE_REGIONS:
        return None
    if order.status == lifecycle.INVOICE_PENDING:
        return {"number": "", "series_number": "", "access_key": "", "issue_date": 0, "total_value": 0.0,
                "products_total_value": 0.0, "tax_code": "", "status": "pending",
                "pending_reason": "The invoice has not been uploaded yet."}
    issued = invoice_issued_at(order)
    if issued is None:
        return None
    goods = round(sum(i.discounted_price * i.quantity for i in order.items), 2)
    return {"number": digits(order.order_sn, 9, "nf").lstrip("0") or "1", "series_number": "1",
            "access_key": "35" + digits(order.order_sn, 42, "key"), "issue_date": issued,
            "total_value": order.total_amount, "products_total_value": goods, "tax_code": "5102",
            "status": "valid", "pending_reason": ""}
