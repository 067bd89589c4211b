"""Global-flavour order bodies that agree with their topic (issue 12, point 5).

Seed 002 documents one order body, for orders/updated; the sandbox sends the same document for the
other order topics, so each must say what its topic says happened: orders/cancelled is cancelled
(status, cancelled_at, cancel_reason, refunded or never paid), orders/fulfilled has every item
shipped, orders/partially_fulfilled some, orders/paid is paid and owes nothing, orders/create is
new (nothing shipped, nothing refunded, updated when placed). orders/updated and orders/edited may
be any state; their example keeps the fixture's own (paid, one of two items shipped).

A state sets status, financial_status, fulfillment_status, total_outstanding, each line item's
fulfillment_status and fulfillable_quantity, fulfillments[], refunds[], cancel_reason/cancelled_at,
and a timeline in which every event follows the order's creation and updated_at is the last one.
The caller then moves the whole timeline to the sandbox's now (variation.shift_times).
"""
from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.shopline import topics
from mockserver.shopline.variation import format_like, parse_time

UNPAID, PAID, PARTIAL, FULFILLED = "unpaid", "paid", "partially_fulfilled", "fulfilled"
CANCELLED_UNPAID, CANCELLED_REFUNDED, PARTIALLY_REFUNDED = "cancelled_unpaid", "cancelled_refunded", "partially_refunded"
STATES = (UNPAID, PAID, PARTIAL, FULFILLED, CANCELLED_UNPAID, CANCELLED_REFUNDED, PARTIALLY_REFUNDED)
TOPIC_STATES: dict[str, tuple[str, ...]] = {
    "orders/create": (UNPAID, PAID),
    "orders/paid": (PAID,),
    "orders/partially_fulfilled": (PARTIAL,),
    "orders/fulfilled": (FULFILLED,),
    "orders/cancelled": (CANCELLED_UNPAID, CANCELLED_REFUNDED),
    "orders/updated": STATES,
    "orders/edited": STATES,
}
# Seed 002 financial_status: unpaid, authorized, pending, partially_paid, paid, partially_refunded, refunded.
_NOT_PAID = ("unpaid", "pending", "authorized")
# Seed 002 types cancel_reason as a string only ("取消订单原因"); the values are Shopify's, whose
# webhook bodies SHOPLINE's global API follows.
CANCEL_REASONS = ("customer", "inventory", "fraud", "declined", "other")
REFUND_NOTES = ("顧客取消訂單", "商品缺貨退款", "部分商品退貨", "")


def state_of(body: dict[str, Any]) -> str:
    """The state an order body shows (for tests and for keeping the example's own)."""
    if body.get("status") == "cancelled":
        return CANCELLED_REFUNDED if body.get("financial_status") == "refunded" else CANCELLED_UNPAID
    if body.get("financial_status") == "partially_refunded":
        return PARTIALLY_REFUNDED
    if body.get("financial_status") in _NOT_PAID:
        return UNPAID
    return {"fulfilled": FULFILLED, "partial": PARTIAL}.get(body.get("fulfillment_status") or "", PAID)


def shape(body: dict[str, Any], topic: str, rng: random.Random, keep_state: bool = False) -> dict[str, Any]:
    """The body made consistent with `topic` (a state drawn among the topic's), in place; keep_state
    keeps the body's own state when the topic allows it (the example of orders/updated)."""
    allowed = TOPIC_STATES[topic]
    own = state_of(body)
    state = own if keep_state and own in allowed else rng.choice(allowed)
    if keep_state and state == own and _consistent(body):
        return body
    _apply(body, state, rng, new=topic == "orders/create")
    return body


def _consistent(body: dict[str, Any]) -> bool:
    items = body.get("line_items") or []
    return bool(items) and all(isinstance(i.get("quantity"), int) for i in items)


def _apply(body: dict[str, Any], state: str, rng: random.Random, new: bool) -> None:
    items = body.get("line_items")
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        items = body["line_items"] = copy.deepcopy(topics.global_fixture()["line_items"][:1])
    for item in items:
        if not isinstance(item.get("quantity"), int) or item["quantity"] < 1:
            item["quantity"] = 1
    created = parse_time(body.get("created_at")) or datetime(2026, 1, 1, 4, 0, 0, tzinfo=UTC)
    step = lambda low, high: timedelta(seconds=rng.randint(low, high))  # noqa: E731
    placed = parse_time(body.get("order_at"))  # the order was placed within a day of its creation
    if placed is None or not created <= placed <= created + timedelta(days=1):
        placed = created + step(30, 300)
    last = placed
    cancelled = state in (CANCELLED_UNPAID, CANCELLED_REFUNDED)
    body["status"] = "cancelled" if cancelled else "open"
    body["financial_status"] = {UNPAID: rng.choice(_NOT_PAID), CANCELLED_UNPAID: "unpaid",
                                CANCELLED_REFUNDED: "refunded", PARTIALLY_REFUNDED: "partially_refunded"}.get(state, "paid")
    owing = body["financial_status"] in _NOT_PAID
    if isinstance(body.get("current_total_price"), str):
        body["total_outstanding"] = body["current_total_price"] if owing else "0.00"
    shipped = {PARTIAL: "partial", FULFILLED: "all", PARTIALLY_REFUNDED: "all"}.get(state)
    parcels = body.get("fulfillments")
    template = parcels[0] if isinstance(parcels, list) and parcels and isinstance(parcels[0], dict) \
        else topics.global_fixture()["fulfillments"][0]
    body["fulfillments"] = []
    if shipped:
        last = placed + step(2 * 3600, 3 * 86400)
        body["fulfillments"] = [_fulfillment(body, items, shipped, last, template, rng)]
    else:
        for item in items:
            item["fulfillment_status"], item["fulfillable_quantity"] = None, item["quantity"]
    body["fulfillment_status"] = {"all": "fulfilled", "partial": "partial"}.get(shipped or "")
    body["refunds"] = []
    if cancelled:
        last = placed + step(600, 2 * 86400)
        body["cancelled_at"] = format_like(body.get("created_at"), last)
        body["cancel_reason"] = rng.choice(CANCEL_REASONS)
    else:
        body.pop("cancelled_at", None)
        body.pop("cancel_reason", None)
    if state in (CANCELLED_REFUNDED, PARTIALLY_REFUNDED):
        last = last + step(60, 86400) if not cancelled else last
        body["refunds"] = [_refund(body, last, rng)]
    for detail in body.get("payment_details") or []:
        if isinstance(detail, dict):
            detail["create_time"] = format_like(detail.get("create_time") or body.get("created_at"), placed)
    body["order_at"] = format_like(body.get("order_at") or body.get("created_at"), placed)
    customer = body.get("customer")
    if isinstance(customer, dict):
        since = parse_time(customer.get("created_at"))
        if since is None or since > created:
            customer["created_at"] = format_like(customer.get("created_at") or body.get("created_at"),
                                                 created - step(86400, 400 * 86400))
    for note in body.get("note_attributes") or []:
        if isinstance(note, dict):
            note["create_time"] = format_like(note.get("create_time") or body.get("created_at"), placed)
    updated = placed if new else last + step(0, 60)
    body["updated_at"] = format_like(body.get("updated_at") or body.get("created_at"), max(updated, last))


def _fulfillment_item_keys() -> tuple[str, ...]:
    schema = topics.global_schema()["properties"]["fulfillments"]["items"]["properties"]["line_items"]["items"]
    return tuple(schema["properties"])


def _fulfillment(body: dict[str, Any], items: list[dict[str, Any]], shipped: str, when: datetime,
                 template: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One parcel: every item (shipped "all"), or the first item (or one unit of a single item)."""
    parcel = copy.deepcopy(template)
    keys = _fulfillment_item_keys()
    sent = []
    for index, item in enumerate(items):
        if shipped == "all":
            item["fulfillment_status"], item["fulfillable_quantity"] = "fulfilled", 0
            sent.append((item, item["quantity"]))
        elif index == 0 and len(items) > 1:
            item["fulfillment_status"], item["fulfillable_quantity"] = "fulfilled", 0
            sent.append((item, item["quantity"]))
        elif index == 0:  # one line: one unit of it ships, the rest waits
            item["quantity"] = max(item["quantity"], 2)
            item["fulfillment_status"], item["fulfillable_quantity"] = "partial", item["quantity"] - 1
            sent.append((item, 1))
        else:
            item["fulfillment_status"], item["fulfillable_quantity"] = None, item["quantity"]
    parcel["line_items"] = [{**{k: copy.deepcopy(item[k]) for k in keys if k in item}, "quantity": quantity,
                             "fulfillment_status": "fulfilled", "fulfillable_quantity": 0}
                            for item, quantity in sent]
    parcel["order_id"] = body.get("id")
    parcel["status"] = "success"
    if isinstance(body.get("name"), str):
        parcel["name"] = body["name"].lstrip("#") + "-F1"
    parcel["created_at"] = format_like(parcel.get("created_at") or body.get("created_at"), when)
    parcel["updated_at"] = format_like(parcel.get("updated_at") or body.get("created_at"), when)
    if not parcel.get("id"):
        parcel["id"] = str(rng.randint(10**12, 10**13 - 1))
    return parcel


def _refund(body: dict[str, Any], when: datetime, rng: random.Random) -> dict[str, Any]:
    """The refund of seed 002's refunds[] (created_at, id, note, order_id, processed_at, user_id)."""
    stamp = format_like(body.get("updated_at") or body.get("created_at"), when)
    return {"created_at": stamp, "id": str(rng.randint(10**12, 10**13 - 1)),
            "note": rng.choice(REFUND_NOTES), "order_id": body.get("id"), "processed_at": stamp,
            "user_id": body.get("user_id") or (body.get("customer") or {}).get("id") or ""}
