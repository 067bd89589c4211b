"""Orders as get_order_detail shows them: default fields plus the response_optional_fields asked for.

Every field of the reference's field table can be asked for by its name (the reference: "Please
select from the below response parameters"), and the "Available values" aliases work too (edt,
international_label). A field nested in an object (line_item_id) brings its object, with a warning;
a name the reference does not list is ignored with a warning (strict: error_param).
"""
from __future__ import annotations

from typing import Any, Callable

import orjson

from mockserver.core.web import dumps
from mockserver.shopee import detail_parts as parts
from mockserver.shopee import lenient, lifecycle, order_ops, privacy
from mockserver.shopee.errors import wrong_param
from mockserver.shopee.models import Order

DEFAULT_FIELDS = ("order_sn", "region", "currency", "cod", "order_status", "message_to_seller",
                  "create_time", "update_time", "days_to_ship", "ship_by_date")

RETURN_WINDOW = 15 * 86400  # sandbox choice: buyers may ask for a return 15 days after completion
PENDING_FIELDS = ("pending_terms", "pending_description")


def _completed_at(order: Order) -> int:
    return next((t for t, s in reversed(order.history) if s == lifecycle.COMPLETED), 0)


def _recipient(order: Order) -> dict[str, Any]:
    address = privacy.recipient(order)
    location = parts.geolocation(order)
    if location is not None:
        address["geolocation"] = location
    return address


def _br(fields: Callable[[Order], dict[str, Any]]) -> Callable[[Order], dict[str, Any]]:
    """A field the reference marks "only available for BR region"."""
    return lambda o: fields(o) if o.region == "BR" else {}


Renderer = Callable[[Order], dict[str, Any]]
_OPTIONAL: dict[str, Renderer] = {
    "buyer_user_id": lambda o: {"buyer_user_id": privacy.buyer_user_id(o)},
    "buyer_username": lambda o: {"buyer_username": privacy.buyer_username(o)},
    "estimated_shipping_fee": lambda o: {"estimated_shipping_fee": o.estimated_shipping_fee},
    "recipient_address": lambda o: {"recipient_address": _recipient(o)},
    "actual_shipping_fee": lambda o: {"actual_shipping_fee": o.actual_shipping_fee},
    "goods_to_declare": lambda o: {"goods_to_declare": False},
    "note": lambda o: {"note": o.note},
    "note_update_time": lambda o: {"note_update_time": o.note_update_time},
    "item_list": lambda o: {"item_list": parts.items(o)},
    "pay_time": lambda o: {"pay_time": o.pay_time},
    "dropshipper": lambda o: {"dropshipper": None},
    "dropshipper_phone": lambda o: {"dropshipper_phone": None},
    "split_up": lambda o: {"split_up": o.split_up},
    "buyer_cancel_reason": lambda o: {"buyer_cancel_reason": o.buyer_cancel_reason},
    "cancel_by": lambda o: {"cancel_by": o.cancel_by},
    "cancel_reason": lambda o: {"cancel_reason": o.cancel_reason},
    "actual_shipping_fee_confirmed": lambda o: {"actual_shipping_fee_confirmed": o.tracking_assigned},
    "buyer_cpf_id": lambda o: {"buyer_cpf_id": "12345678909" if o.region == "BR" else None},
    "fulfillment_flag": lambda o: {"fulfillment_flag": "fulfilled_by_local_seller"},
    "pickup_done_time": lambda o: {"pickup_done_time": o.pickup_done_time},
    "package_list": lambda o: {"package_list": [parts.package(o, p) for p in o.packages]},
    "shipping_carrier": lambda o: {"shipping_carrier": parts.shipping_carrier(o)},
    "checkout_shipping_carrier": lambda o: {"checkout_shipping_carrier": parts.shipping_carrier(o)},
    "payment_method": lambda o: {"payment_method": o.payment_method},
    "total_amount": lambda o: {"total_amount": o.total_amount},
    "invoice_data": lambda o: {"invoice_data": parts.invoice_data(o)},
    "order_chargeable_weight_gram": lambda o: {"order_chargeable_weight_gram": parts.parcel_grams(
        o, [(i.item_id, i.model_id, i.quantity, i.order_item_id) for i in o.items])},
    # The reference: "will be returned if ... the status of the order is COMPLETED".
    "return_request_due_date": lambda o: ({"return_request_due_date": _completed_at(o) + RETURN_WINDOW}
                                          if o.status == lifecycle.COMPLETED else {}),
    "edt": _br(lambda o: {"edt_from": o.create_time + 3 * 86400, "edt_to": o.create_time + 7 * 86400}),
    "payment_info": _br(lambda o: {"payment_info": [{
        "payment_method": o.payment_method, "payment_processor_register": "", "card_brand": "",
        "transaction_id": "", "payment_amount": o.total_amount}]}),
    "international_label": _br(lambda o: {"is_international": False}),
    "reverse_shipping_fee": lambda o: {"reverse_shipping_fee": 0.0},
    "hot_listing_order": lambda o: {"hot_listing_order": False},
    "is_buyer_shop_collection": lambda o: {"is_buyer_shop_collection": False},
    "buyer_proof_of_collection": lambda o: {"buyer_proof_of_collection": []},
    # No order is ever PENDING in the sandbox (docs/fidelity.md).
    "pending_terms": lambda o: {"pending_terms": []},
    "pending_description": lambda o: {"pending_description": []},
    # "Only returned for advance fulfilment matched order": asked for, it reads "" (no bookings).
    "booking_sn": lambda o: {"booking_sn": ""},
    "advance_package": lambda o: {"advance_package": False},
    "prescription_check_status": lambda o: {"prescription_check_status": 0},
    "pharmacist_name": lambda o: {"pharmacist_name": ""},
    "prescription_images": lambda o: {"prescription_images": []},
    "prescription_approval_time": lambda o: {"prescription_approval_time": 0},
    "prescription_rejection_time": lambda o: {"prescription_rejection_time": 0},
    "prescription_reject_reason": lambda o: {"prescription_reject_reason": ""},
    "can_full_cancel_order": lambda o: {"can_full_cancel_order": order_ops.can_cancel(o)},
    # Partial cancellation is not emulated: never possible, and the buyer's preference says so.
    "can_partial_cancel_order": lambda o: {"can_partial_cancel_order": False},
    "buyer_preference_for_partial_cancellation": lambda o: {"buyer_preference_for_partial_cancellation": 1},
    "affiliate_sample_type": lambda o: {"affiliate_sample_type": 0},
}
# Field names that are another entry's output ("edt" gives edt_from and edt_to).
_ALIASES = {"edt_from": "edt", "edt_to": "edt", "is_international": "international_label"}
# Fields inside the objects of the table: asking for one brings its whole object (warned).
_NESTED: dict[str, tuple[str, ...]] = {
    "recipient_address": ("name", "phone", "town", "district", "city", "state", "zipcode", "full_address",
                          "geolocation", "latitude", "longitude"),
    "item_list": ("item_id", "item_name", "item_sku", "model_id", "model_name", "model_sku",
                  "model_quantity_purchased", "model_original_price", "model_discounted_price", "wholesale",
                  "weight", "add_on_deal", "main_item", "add_on_deal_id", "promotion_type", "promotion_id",
                  "order_item_id", "line_item_id", "promotion_group_id", "image_info", "image_url",
                  "product_location_id", "is_prescription_item", "error_in_fetching_is_prescription_item",
                  "consultation_id", "is_b2c_owned_item", "promotion_list", "hot_listing_item", "active_qty",
                  "cancel_requested_qty", "cancelled_qty", "return_requested_qty", "returned_qty"),
    "package_list": ("package_number", "logistics_status", "logistics_channel_id", "allow_self_design_awb",
                     "model_quantity", "parcel_chargeable_weight", "parcel_chargeable_weight_gram",
                     "group_shipment_id", "virtual_contact_number", "package_query_number", "sorting_group"),
    "invoice_data": ("number", "series_number", "access_key", "issue_date", "total_value",
                     "products_total_value", "tax_code", "status", "pending_reason"),
    "payment_info": ("payment_processor_register", "card_brand", "transaction_id", "payment_amount"),
}
_PARENT = {child: parent for parent, children in _NESTED.items() for child in children}
OPTIONAL_FIELDS = tuple(_OPTIONAL)
KNOWN_NAMES = tuple(DEFAULT_FIELDS) + OPTIONAL_FIELDS + tuple(_ALIASES)


def requested(api: str, names: list[str]) -> list[str]:
    """The renderers asked for by response_optional_fields, each once, in the order first asked."""
    keys: list[str] = []
    for name in names:
        key = _ALIASES.get(name, name)
        if key in DEFAULT_FIELDS:
            continue
        if key not in _OPTIONAL and name in _PARENT:
            key = _PARENT[name]
            lenient.note(api, f"response_optional_fields {name} is a field of {key}; the sandbox returns "
                              f"the whole {key}", wrong_param(f"response_optional_fields has an unknown field {name}"))
        if key not in _OPTIONAL:
            lenient.unknown_value(api, "response_optional_fields", name, KNOWN_NAMES,
                                  wrong_param(f"response_optional_fields has an unknown field {name}"))
            continue
        if key not in keys:
            keys.append(key)
    return keys


def detail_status(order: Order) -> str:
    """lifecycle.visible_status: INVOICE_PENDING reads READY_TO_SHIP outside get_order_list."""
    return lifecycle.visible_status(order.status)


def with_pending(keys: list[str]) -> list[str]:
    """request_order_status_pending=true: "send True will ... return pending_terms" (and its
    pending_description)."""
    return keys + [key for key in PENDING_FIELDS if key not in keys]


def order_detail_json(order: Order) -> orjson.Fragment:
    """order_detail(order, []) written as JSON once, spliced by orjson into every answer that shows
    the order until one of its default fields changes (kept and cleared with the head): encoding 50
    orders' fields was a quarter of a get_order_detail. The same bytes as encoding the dict each time."""
    found = order.__dict__.get("_detail_json")
    if found is None:
        found = orjson.Fragment(dumps(order_detail(order, [])))
        object.__setattr__(order, "_detail_json", found)
    return found


def order_detail(order: Order, keys: list[str]) -> dict[str, Any]:
    """One order of get_order_detail: the default fields, then those of `keys` (requested())."""
    head = order.__dict__.get("_detail_head")
    if head is None:
        # Kept on the order until one of its fields changes (models._DETAIL_HEAD clears it): read
        # only, shared by every answer that shows the order.
        head = {
            "order_sn": order.order_sn, "region": order.region, "currency": order.currency,
            "cod": order.cod, "order_status": detail_status(order), "message_to_seller": order.message_to_seller,
            "create_time": order.create_time, "update_time": order.update_time,
            "days_to_ship": order.days_to_ship, "ship_by_date": order.ship_by_date,
        }
        object.__setattr__(order, "_detail_head", head)
    if not keys:
        return head
    body = dict(head)
    for key in keys:
        body.update(_OPTIONAL[key](order))
    return body
