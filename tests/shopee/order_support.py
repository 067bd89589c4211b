"""Helpers for the order-module tests: extra shops and explicit orders through the admin API."""
from __future__ import annotations

from typing import Any

from tests.support.clients import SandboxClient

HOUR = 3600
DAY = 86400


def new_shop(sandbox: SandboxClient, region: str = "TW") -> dict[str, Any]:
    """A second shop authorised to the default partner; returns credentials usable with .shopee()."""
    answer = sandbox.admin("POST", "/shopee/shops",
                           {"region": region, "authorize_partner_id": sandbox.creds["partner_id"]})
    assert answer.status == 201, answer.body
    shop = answer.body
    return {**sandbox.creds, "shop_id": shop["shop_id"], "access_token": shop["access_token"],
            "refresh_token": shop["refresh_token"], "region": region}


def make_orders(sandbox: SandboxClient, shop_id: int, orders: list[dict[str, Any]]) -> list[str]:
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": orders})
    assert answer.status == 201, answer.body
    return answer.body["order_sns"]


def make_order(sandbox: SandboxClient, shop_id: int | None = None, status: str = "READY_TO_SHIP",
               items: list[dict[str, Any]] | None = None, **extra: Any) -> str:
    """One explicit order (default shop unless shop_id); items default to one line of 2 (stock 5)."""
    items = items or [{"item_name": "Mug", "price": 100, "quantity": 2, "stock": 5}]
    shop_id = shop_id or sandbox.creds["shop_id"]
    return make_orders(sandbox, shop_id, [{"status": status, "items": items, **extra}])[0]


def order(sandbox: SandboxClient, order_sn: str) -> dict[str, Any]:
    """The sandbox's own view of an order (with its models' current "stock")."""
    answer = sandbox.admin("GET", f"/shopee/orders/{order_sn}")
    assert answer.status == 200, answer.body
    return answer.body


def comparable(view: dict[str, Any]) -> dict[str, Any]:
    """An admin order view without the fields that are computed per request."""
    return {k: v for k, v in view.items() if k != "allowed_events"}


def advance(sandbox: SandboxClient, seconds: int) -> None:
    assert sandbox.admin("POST", "/clock", {"advance_seconds": seconds}).status == 200


def event(sandbox: SandboxClient, order_sn: str, name: str, **body: Any):
    return sandbox.admin("POST", f"/shopee/orders/{order_sn}/events", {"event": name, **body})


def detail(sandbox: SandboxClient, order_sn: str, fields: str = "", creds: dict | None = None) -> dict[str, Any]:
    params = {"order_sn_list": order_sn}
    if fields:
        params["response_optional_fields"] = fields
    answer = sandbox.shopee("GET", "order/get_order_detail", params, creds=creds)
    assert answer.status == 200, answer.body
    return answer.body["response"]["order_list"][0]


def assert_error(answer, error: str, status: int = 400, message: str | None = None) -> None:
    """A Shopee error envelope with the given error code (and message when given)."""
    assert answer.status == status, (answer.status, answer.body)
    assert answer.error == error, answer.body
    assert set(answer.body) >= {"request_id", "error", "message"}
    assert "response" not in answer.body, answer.body
    if message is not None:
        assert answer.message == message, answer.body
