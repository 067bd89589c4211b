"""Orders as get_order_detail shows them: default fields plus the response_optional_fields asked for."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from mockserver.core import contracts

from mockserver.shopee import lifecycle
from mockserver.shopee.models import Order

DEFAULT_FIELDS = ("order_sn", "region", "currency", "cod", "order_status", "message_to_seller",
                  "create_time", "update_time", "days_to_ship", "ship_by_date")

RETURN_WINDOW = 15 * 86400  # sandbox choice: buyers may ask for a return 15 days after completion


def _items(order: Order) -> list[dict[str, Any]]:
    return [{
        "item_id": i.item_id, "item_name": i.item_name, "item_sku": i.item_sku,
        "model_id": i.model_id, "model_name": i.model_name, "model_sku": i.model_sku,
        "model_quantity_purchased": i.quantity, "model_original_price": i.original_price,
        "model_discounted_price": i.discounted_price, "wholesale": False, "weight": i.weight,
        "add_on_deal": False, "main_item": False, "add_on_deal_id": 0, "promotion_type": "",
        "promotion_id": 0, "order_item_id": i.order_item_id, "promotion_group_id": 0,
        "image_info": {"image_url": i.image_url}, "product_location_id": f"{order.region}Z",
        "is_prescription_item": False, "is_b2c_owned_item": False,
        "active_qty": i.quantity - i.cancelled_qty, "cancel_requested_qty":
            i.quantity if order.status == lifecycle.IN_CANCEL else 0,
        "cancelled_qty": i.cancelled_qty,
        "return_requested_qty": i.quantity if order.status == lifecycle.TO_RETURN else 0,
        "returned_qty": 0,
    } for i in order.items]


def _packages(order: Order) -> list[dict[str, Any]]:
    return [{
        "package_number": p.package_number, "logistics_status": p.logistics_status,
        "logistics_channel_id": order.logistics_channel_id, "shipping_carrier": order.shipping_carrier,
        "allow_self_design_awb": False,
        "item_list": [{"item_id": item_id, "model_id": model_id, "model_quantity": qty,
                       "order_item_id": order_item_id, "promotion_group_id": 0,
                       "product_location_id": f"{order.region}Z"}
                      for item_id, model_id, qty, order_item_id in p.items],
        "parcel_chargeable_weight_gram": _parcel_grams(order, p.items),
        "group_shipment_id": None,
    } for p in order.packages]


def _weight_grams(order: Order) -> int:
    return int(round(sum(i.weight * i.quantity for i in order.items) * 1000))


def _parcel_grams(order: Order, placed: list[tuple[int, int, int, int]]) -> int:
    """The weight of what one parcel holds (a split order's parcels weigh less than the order)."""
    weight = {(i.item_id, i.model_id): i.weight for i in order.items}
    return int(round(sum(weight.get((item_id, model_id), 0.0) * qty
                         for item_id, model_id, qty, _ in placed) * 1000))


def _completed_at(order: Order) -> int:
    return next((t for t, s in reversed(order.history) if s == lifecycle.COMPLETED), 0)


_OPTIONAL: dict[str, Callable[[Order], dict[str, Any]]] = {
    "buyer_user_id": lambda o: {"buyer_user_id": o.buyer_user_id},
    "buyer_username": lambda o: {"buyer_username": o.buyer_username},
    "estimated_shipping_fee": lambda o: {"estimated_shipping_fee": o.estimated_shipping_fee},
    "recipient_address": lambda o: {"recipient_address": dict(o.recipient)},
    "actual_shipping_fee": lambda o: {"actual_shipping_fee": o.actual_shipping_fee},
    "goods_to_declare": lambda o: {"goods_to_declare": False},
    "note": lambda o: {"note": o.note},
    "note_update_time": lambda o: {"note_update_time": o.note_update_time},
    "item_list": lambda o: {"item_list": _items(o)},
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
    "package_list": lambda o: {"package_list": _packages(o)},
    "shipping_carrier": lambda o: {"shipping_carrier": o.shipping_carrier},
    "checkout_shipping_carrier": lambda o: {"checkout_shipping_carrier": o.shipping_carrier},
    "payment_method": lambda o: {"payment_method": o.payment_method},
    "total_amount": lambda o: {"total_amount": o.total_amount},
    "invoice_data": lambda o: {"invoice_data": None},
    "order_chargeable_weight_gram": lambda o: {"order_chargeable_weight_gram": _weight_grams(o)},
    # The reference: "will be returned if ... the status of the order is COMPLETED".
    "return_request_due_date": lambda o: ({"return_request_due_date": _completed_at(o) + RETURN_WINDOW}
                                          if o.status == lifecycle.COMPLETED else {}),
    "edt": lambda o: ({"edt_from": o.create_time + 3 * 86400, "edt_to": o.create_time + 7 * 86400}
                      if o.region == "BR" else {}),
    "payment_info": lambda o: ({"payment_info": [{"payment_method": o.payment_method,
                                                  "payment_processor_register": "", "card_brand": "",
                                                  "transaction_id": "", "payment_amount": o.total_amount}]}
                               if o.region == "BR" else {}),
    "international_label": lambda o: ({"is_international": False} if o.region == "BR" else {}),
    "reverse_shipping_fee": lambda o: {"reverse_shipping_fee": 0.0},
    "hot_listing_order": lambda o: {"hot_listing_order": False},
    "is_buyer_shop_collection": lambda o: {"is_buyer_shop_collection": False},
}

OPTIONAL_FIELDS = tuple(_OPTIONAL)


@lru_cache(maxsize=1)
def response_field_names() -> frozenset[str]:
    """Every field name the reference lists for an order of get_order_detail (the contract's enum):
    asking for one the sandbox does not model is accepted and adds nothing, as on Shopee."""
    doc = contracts.load("shopee/openapi.yaml")
    for param in doc["paths"]["/api/v2/order/get_order_detail"]["get"]["parameters"]:
        if param.get("name") == "response_optional_fields":
            return frozenset(param["schema"]["items"]["enum"])
    return frozenset()


def detail_status(order: Order) -> str:
    """Seed 001: INVOICE_PENDING "appears only in get_order_list"; elsewhere the paid BR order
    awaiting its invoice reads READY_TO_SHIP (ship_order then answers logistics.lack_of_invoice_data)."""
    return lifecycle.READY_TO_SHIP if order.status == lifecycle.INVOICE_PENDING else order.status


def order_detail(order: Order, optional: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_sn": order.order_sn, "region": order.region, "currency": order.currency,
        "cod": order.cod, "order_status": detail_status(order), "message_to_seller": order.message_to_seller,
        "create_time": order.create_time, "update_time": order.update_time,
        "days_to_ship": order.days_to_ship, "ship_by_date": order.ship_by_date,
    }
    for name in optional:
        body.update(_OPTIONAL[name](order))
    return body
