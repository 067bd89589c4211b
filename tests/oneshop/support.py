"""Helpers for the 1shop tests: list parameters, page walks, accounts, orders and UTC+8 times."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from tests.support.clients import Answer, SandboxClient

UTC8 = timezone(timedelta(hours=8))
ALL = {"progress_status": "all", "payment_status": "all", "logistic_status": "all"}

# Seed 003, the list example's data.order fields, in the seed's order.
SEED_LIST_FIELDS = [
    "order_number", "order_ip", "name", "gender", "total_price", "payment", "logistic", "create_date",
    "progress_status", "payment_status", "logistic_status", "payment_date", "tag", "note", "shop_note",
    "email", "country", "phone", "zip_code", "county_and_city", "area", "address", "address_oversea",
    "cvs_store_id", "cvs_store_name", "cvs_store_address", "regular_time"]
# Seed 003, the detail example's data.order fields, in the seed's order.
SEED_DETAIL_FIELDS = [
    "order_number", "order_ip", "name", "gender", "total_price", "payment", "logistic", "create_date",
    "progress_status", "payment_status", "logistic_status", "payment_date", "tag", "page_title", "page_prefix",
    "note", "shop_note", "email", "country", "phone", "zip_code", "county_and_city", "area", "address",
    "address_oversea", "cvs_store_id", "cvs_store_name", "cvs_store_address", "payment_third_party",
    "payment_third_party_no", "logistics_third_party", "logistics_third_party_no", "logistics_shipping_no",
    "shop_url", "order_url", "regular_time", "custom_fields"]
SEED_CART_FIELDS = ["sub_total", "logistic_fee", "payment_fee", "refund", "total_price", "products"]
SEED_LINE_FIELDS = {
    "single": ["product_type", "quantity", "per_cost", "line_total", "name", "sku", "label", "inventory_status"],
    "charge": ["product_type", "quantity", "per_cost", "line_total", "name", "label"],
    "bundle": ["product_type", "quantity", "per_cost", "line_total", "name", "label", "bundle"]}
SEED_BUNDLE_ITEM_FIELDS = ["name", "sku", "quantity", "label", "inventory_status"]
SEED_RECEIPT_FIELDS = [
    "third_party", "status", "type", "carruer_type", "carruer_num", "love_code", "tax_type", "email",
    "sales_amount", "invoice_number", "invoice_date", "random_number", "invoice_remark", "create_date",
    "receipt_title", "tax_num", "address", "phone"]
SEED_TRACKING_FIELDS = ["provider", "url", "tracking_number", "shipping_date", "create_date", "store_arrived_date"]


def list_params(page: Any = 1, **overrides: Any) -> dict[str, Any]:
    return {**ALL, "page": page, **overrides}


def list_orders(client: SandboxClient, creds: dict | None = None, page: Any = 1, **params: Any) -> Answer:
    return client.oneshop("order", list_params(page, **params), creds)


def items(order_field: Any) -> list[dict]:
    """data.order of a list answer as a list, whichever shape it has."""
    if isinstance(order_field, dict):
        assert list(order_field) == [str(i) for i in range(len(order_field))], list(order_field)
        return list(order_field.values())
    return order_field


def walk(client: SandboxClient, creds: dict | None = None, **filters: Any) -> list[dict]:
    """Every order of every page, in page order."""
    orders, page = [], 1
    while True:
        answer = list_orders(client, creds, page, **filters)
        assert answer.status == 200, answer.body
        orders += items(answer.body["data"]["order"])
        if page >= answer.body["data"]["page"]["total_page"]:
            return orders
        page += 1


def detail(client: SandboxClient, order_number: str, creds: dict | None = None) -> Answer:
    return client.oneshop(f"order/{order_number}", None, creds)


def new_account(client: SandboxClient, **fields: Any) -> dict:
    answer = client.admin("POST", "/oneshop/accounts", fields)
    assert answer.status == 201, answer.body
    return answer.body


def add_orders(client: SandboxClient, appid: str, orders: list[dict]) -> list[str]:
    answer = client.admin("POST", f"/oneshop/accounts/{appid}/orders", {"orders": orders})
    assert answer.status == 201, answer.body
    return answer.body["order_numbers"]


def internal(client: SandboxClient, order_number: str) -> dict:
    answer = client.admin("GET", f"/oneshop/orders/{order_number}")
    assert answer.status == 200, answer.body
    return answer.body


def advance(client: SandboxClient, seconds: float) -> None:
    assert client.admin("POST", "/clock", {"advance_seconds": seconds}).status == 200


def utc8(text: str) -> int:
    """Unix time of "YYYY-MM-DD HH:MM:SS" in UTC+8."""
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC8).timestamp())


def state(client: SandboxClient) -> dict:
    return client.admin("GET", "/state").body["oneshop"]
