"""Explicit orders of POST /_sandbox/oneshop/accounts/{appid}/orders: checked first, created after.

What an order does not give is generated like any other order (customer, address, invoice); its
statuses take effect at its create_time through lifecycle.change, so a paid order has a
payment_date and a shipped one a tracking entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from mockserver.admin.http import AdminError, each_object, field, number
from mockserver.oneshop import factory, lifecycle
from mockserver.oneshop.models import (GENDERS, LOGISTIC_STATUSES, LOGISTICS, PAYMENT_STATUSES, PAYMENTS,
                                       PRODUCT_TYPES, PROGRESS_STATUSES, Account, BundleItem, Line, Order)
from mockserver.oneshop.world import OneshopWorld

ORDER_FIELDS = ("create_time", "page_prefix", "payment", "logistic", "progress_status", "payment_status",
                "logistic_status", "name", "gender", "email", "phone", "tag", "note", "shop_note",
                "custom_fields", "products", "logistic_fee", "payment_fee")
PRODUCT_FIELDS = ("product_type", "name", "quantity", "per_cost", "sku", "label", "inventory_status", "bundle")
BUNDLE_ITEM_FIELDS = ("name", "sku", "quantity", "label", "inventory_status")
_NOT_FOR = {"charge": ("sku", "inventory_status", "bundle"), "single": ("bundle",),
            "bundle": ("sku", "inventory_status")}
_TEXT_FIELDS = ("name", "email", "phone", "tag", "note", "shop_note")
MAX_MONEY = 100_000_000


@dataclass
class OrderPlan:
    create_time: int
    page_index: int | None
    payment: str
    logistic: str
    statuses: dict[str, str]
    texts: dict[str, str]
    gender: str | None
    custom_fields: list[dict[str, str]] | None
    lines: list[Line] | None
    fees: dict[str, int] = dc_field(default_factory=dict)


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...], where: str, default: str | None) -> str | None:
    value = field(body, name, str, required=False, where=where)
    if value is None:
        return default
    if value not in allowed:
        raise AdminError(400, "invalid_field", f"{where}{name} should be one of {', '.join(allowed)}")
    return value


def check_order(body: dict[str, Any], account: Account, now: int, where: str) -> OrderPlan:
    create_time = number(body, "create_time", int, 0, now, required=False, default=now, where=where)
    prefix = field(body, "page_prefix", str, required=False, where=where)
    prefixes = [p.prefix for p in account.pages]
    if prefix is not None and prefix not in prefixes:
        raise AdminError(400, "invalid_field", f"{where}page_prefix should be one of the account's: {', '.join(prefixes)}")
    statuses = {}
    for name, key, allowed in (("progress_status", "progress", PROGRESS_STATUSES),
                               ("payment_status", "payment", PAYMENT_STATUSES),
                               ("logistic_status", "logistic", LOGISTIC_STATUSES)):
        value = _choice(body, name, allowed, where, None)
        if value is not None:
            statuses[key] = value
    texts = {name: field(body, name, str, required=False, where=where) for name in _TEXT_FIELDS}
    if texts["name"] is not None and not texts["name"].strip():
        raise AdminError(400, "invalid_field", f"{where}name should not be empty")
    fees = {name: number(body, name, int, 0, MAX_MONEY, required=False, where=where)
            for name in ("logistic_fee", "payment_fee")}
    return OrderPlan(
        create_time=create_time, page_index=None if prefix is None else prefixes.index(prefix),
        payment=_choice(body, "payment", PAYMENTS, where, "credit"),
        logistic=_choice(body, "logistic", LOGISTICS, where, "home"),
        statuses=statuses, texts={k: v for k, v in texts.items() if v is not None},
        gender=_choice(body, "gender", GENDERS, where, None),
        custom_fields=_custom_fields(body, where), lines=_lines(body, where),
        fees={k: v for k, v in fees.items() if v is not None})


def _custom_fields(body: dict[str, Any], where: str) -> list[dict[str, str]] | None:
    values = field(body, "custom_fields", list, required=False, where=where)
    if values is None:
        return None
    if not values:
        return []
    out = []
    for _, at, entry in each_object(values, "custom_fields", ("label", "value"), where, limit=50):
        out.append({"label": field(entry, "label", str, where=at), "value": field(entry, "value", str, where=at)})
    return out


def _lines(body: dict[str, Any], where: str) -> list[Line] | None:
    if "products" not in body:
        return None  # generated; an explicit null is refused by each_object below
    lines = []
    for _, at, entry in each_object(body["products"], "products", PRODUCT_FIELDS, where, limit=500):
        kind = _choice(entry, "product_type", PRODUCT_TYPES, at, "single")
        for name in _NOT_FOR[kind]:
            if name in entry:
                raise AdminError(400, "invalid_field", f"{at}{name} does not apply to a {kind} line")
        line = Line(kind, number(entry, "quantity", int, 1, 100_000, required=False, default=1, where=at),
                    number(entry, "per_cost", int, 0, MAX_MONEY, where=at), _name(entry, at),
                    label=field(entry, "label", str, required=False, default="", where=at),
                    sku=field(entry, "sku", str, required=False, default="", where=at),
                    inventory_status=number(entry, "inventory_status", int, 0, 1, required=False, default=0,
                                            where=at))
        if kind == "bundle":
            if "bundle" not in entry:
                raise AdminError(400, "invalid_field", f"{at}bundle is required for a bundle line")
            for _, item_at, item in each_object(entry["bundle"], "bundle", BUNDLE_ITEM_FIELDS, at, limit=100):
                line.bundle.append(BundleItem(
                    _name(item, item_at), field(item, "sku", str, required=False, default="", where=item_at),
                    number(item, "quantity", int, 1, 100_000, required=False, default=1, where=item_at),
                    field(item, "label", str, required=False, default="", where=item_at),
                    number(item, "inventory_status", int, 0, 1, required=False, default=0, where=item_at)))
        lines.append(line)
    return lines


def _name(entry: dict[str, Any], where: str) -> str:
    value = field(entry, "name", str, where=where)
    if not value.strip():
        raise AdminError(400, "invalid_field", f"{where}name should not be empty")
    return value


def create_order(world: OneshopWorld, account: Account, plan: OrderPlan) -> Order:
    order = factory.new_order(world, account, plan.create_time, plan.payment, plan.logistic,
                              temporary=plan.statuses.get("progress") == "temporary", lines=plan.lines,
                              page=None if plan.page_index is None else account.pages[plan.page_index])
    for name, value in plan.texts.items():
        setattr(order, name, value)
    if plan.gender is not None:
        order.gender = plan.gender
    if plan.custom_fields is not None:
        order.custom_fields = plan.custom_fields
    for name, value in plan.fees.items():
        setattr(order, name, value)
    for receipt in order.receipts:  # the invoice request follows the buyer's contact details
        receipt.email, receipt.phone = order.email, order.phone
    if plan.statuses:
        lifecycle.change(world, order, plan.create_time, **plan.statuses)
    return world.add_order(order)
