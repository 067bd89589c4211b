"""Orders as GET /v1/order and GET /v1/order/{order_number} answer them: the fields of seed 003's
two examples, in the seed's order. Dates are "YYYY-MM-DD HH:MM:SS" in UTC+8 ("" when unset), money
is whole TWD."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from mockserver.core.taiwan import UTC8
from mockserver.oneshop.models import Line, Order, Receipt, Tracking

# Seed 003, the list example's data.order.
LIST_FIELDS = ("order_number", "order_ip", "name", "gender", "total_price", "payment", "logistic", "create_date",
               "progress_status", "payment_status", "logistic_status", "payment_date", "tag", "note",
               "shop_note", "email", "country", "phone", "zip_code", "county_and_city", "area", "address",
               "address_oversea", "cvs_store_id", "cvs_store_name", "cvs_store_address", "regular_time")
# Seed 003, the detail example's data.order.
DETAIL_FIELDS = ("order_number", "order_ip", "name", "gender", "total_price", "payment", "logistic",
                 "create_date", "progress_status", "payment_status", "logistic_status", "payment_date", "tag",
                 "page_title", "page_prefix", "note", "shop_note", "email", "country", "phone", "zip_code",
                 "county_and_city", "area", "address", "address_oversea", "cvs_store_id", "cvs_store_name",
                 "cvs_store_address", "payment_third_party", "payment_third_party_no", "logistics_third_party",
                 "logistics_third_party_no", "logistics_shipping_no", "shop_url", "order_url", "regular_time",
                 "custom_fields")


def date(when: int | None) -> str:
    return "" if when is None else datetime.fromtimestamp(when, UTC8).strftime("%Y-%m-%d %H:%M:%S")


def _value(order: Order, name: str) -> Any:
    if name == "create_date":
        return date(order.create_time)
    if name == "payment_date":
        return date(order.payment_time)
    if name == "total_price":
        return order.total_price
    if name == "custom_fields":
        return [{"label": f["label"], "value": f["value"]} for f in order.custom_fields]
    return getattr(order, name)


def list_order(order: Order) -> dict[str, Any]:
    return {name: _value(order, name) for name in LIST_FIELDS}


def detail(order: Order) -> dict[str, Any]:
    """data of GET /v1/order/{order_number}: order, cart, receipt, shipping_tracking."""
    return {"order": {name: _value(order, name) for name in DETAIL_FIELDS},
            "cart": {"sub_total": order.sub_total, "logistic_fee": order.logistic_fee,
                     "payment_fee": order.payment_fee, "refund": order.refund, "total_price": order.total_price,
                     "products": [line_view(line) for line in order.lines]},
            "receipt": [receipt_view(r) for r in order.receipts],
            "shipping_tracking": [tracking_view(t) for t in order.tracking]}


def line_view(line: Line) -> dict[str, Any]:
    view: dict[str, Any] = {"product_type": line.product_type, "quantity": line.quantity,
                            "per_cost": line.per_cost, "line_total": line.line_total, "name": line.name}
    if line.product_type == "single":
        view.update(sku=line.sku, label=line.label, inventory_status=line.inventory_status)
    elif line.product_type == "bundle":
        view["label"] = line.label
        view["bundle"] = [{"name": i.name, "sku": i.sku, "quantity": i.quantity, "label": i.label,
                           "inventory_status": i.inventory_status} for i in line.bundle]
    else:  # charge: no sku, no stock (seed)
        view["label"] = line.label
    return view


def receipt_view(r: Receipt) -> dict[str, Any]:
    # The seed spells the carrier fields "carruer_*" and prints invoice_date twice; it is sent once.
    return {"third_party": r.third_party, "status": r.status, "type": r.type, "carruer_type": r.carruer_type,
            "carruer_num": r.carruer_num, "love_code": r.love_code, "tax_type": r.tax_type, "email": r.email,
            "sales_amount": r.sales_amount, "invoice_number": r.invoice_number,
            "invoice_date": date(r.invoice_time), "random_number": r.random_number,
            "invoice_remark": r.invoice_remark, "create_date": date(r.create_time),
            "receipt_title": r.receipt_title, "tax_num": r.tax_num, "address": r.address, "phone": r.phone}


def tracking_view(t: Tracking) -> dict[str, Any]:
    return {"provider": t.provider, "url": t.url, "tracking_number": t.tracking_number,
            "shipping_date": date(t.shipping_time), "create_date": date(t.create_time),
            "store_arrived_date": date(t.store_arrived_time)}


def _cached_list_entry(order: Order) -> orjson.Fragment:
    """The order's list entry as JSON, kept on the order until one of its fields changes
    (models.Order.__setattr__): a page of 50 costs 50 look-ups instead of 1,350 field reads."""
    cached = order.__dict__.get("_list_json")
    if cached is None:
        cached = orjson.dumps(list_order(order))
        object.__setattr__(order, "_list_json", cached)
    return orjson.Fragment(cached)


def order_list(orders: list[Order], shape: str) -> list[Any] | dict[str, Any]:
    """data.order of the list: a JSON array, or (list_shape "object") what PHP's json_encode makes of
    a non-list array, {"0": {...}, "1": {...}}. An empty page is [] either way: json_encode(array())."""
    rendered = [_cached_list_entry(o) for o in orders]
    if shape == "object" and rendered:
        return {str(i): o for i, o in enumerate(rendered)}
    return rendered
