"""Admin endpoints of the 1shop world: accounts and their settings, orders, status changes.

Every endpoint checks its whole request before it changes anything, so a 4xx leaves the world
(records, random ids, rate-limit counts) as it was. Contract: contracts/admin/openapi.yaml.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any

from flask import Blueprint, Response, current_app, request

from mockserver.admin.http import AdminError, field, json_body, number, query_int, reject_unknown, reply
from mockserver.oneshop import factory, lifecycle, render
from mockserver.oneshop.explicit import ORDER_FIELDS, OrderPlan, check_order, create_order
from mockserver.oneshop.models import (LIST_SHAPES, LOGISTIC_STATUSES, PAYMENT_STATUSES, PROGRESS_STATUSES,
                                       SHIPPED_STATUSES, Account, Order)
from mockserver.oneshop.world import DAY, OneshopWorld, rate_limit_view

bp = Blueprint("oneshop_admin", __name__, url_prefix="/_sandbox/oneshop")

MAX_GENERATED = 10_000
MAX_WHITELIST = 10  # ref oneshop.md: "up to 10 IPs per appid"
SETTINGS_FIELDS = ("secret", "enterprise", "rate_limit", "list_shape", "ip_whitelist")
_APPID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SECRET = re.compile(r"[!-~]{1,128}")  # printable ASCII, no spaces: it travels in a query string


def _world() -> tuple[Any, OneshopWorld]:
    store = current_app.extensions["shop_sandbox"]
    return store, store.backend("oneshop")


def account_view(world: OneshopWorld, account: Account) -> dict[str, Any]:
    return {"appid": account.appid, "secret": account.secret, "enterprise": account.enterprise,
            "rate_limit": rate_limit_view(account), "list_shape": account.list_shape,
            "ip_whitelist": list(account.ip_whitelist),
            "pages": [{"page_title": p.title, "page_prefix": p.prefix, "shop_url": p.shop_url}
                      for p in account.pages],
            "order_count": world.order_count(account.appid)}


def order_view(order: Order) -> dict[str, Any]:
    return {"appid": order.appid, "order_number": order.order_number, "create_time": order.create_time,
            "update_time": order.update_time, "payment_time": order.payment_time, "detail": render.detail(order)}


def _need_account(world: OneshopWorld, appid: str) -> Account:
    account = world.account(appid)
    if account is None:
        raise AdminError(404, "not_found", f"no 1shop account {appid}")
    return account


def _need_order(world: OneshopWorld, order_number: str) -> Order:
    order = world.orders.get(order_number)
    if order is None:
        raise AdminError(404, "not_found", f"no 1shop order {order_number}")
    return order


def _settings(body: dict[str, Any]) -> dict[str, Any]:
    """The checked settings present in a body (absent ones are not returned)."""
    out: dict[str, Any] = {}
    if "secret" in body:
        secret = field(body, "secret", str)
        if not _SECRET.fullmatch(secret):
            raise AdminError(400, "invalid_field", "secret should be 1-128 printable ASCII characters without spaces")
        out["secret"] = secret
    if "enterprise" in body:
        out["enterprise"] = field(body, "enterprise", bool)
    if "rate_limit" in body:
        out["rate_limit"] = _rate_limit(body["rate_limit"])
    if "list_shape" in body:
        shape = field(body, "list_shape", str)
        if shape not in LIST_SHAPES:
            raise AdminError(400, "invalid_field", f"list_shape should be one of {', '.join(LIST_SHAPES)}")
        out["list_shape"] = shape
    if "ip_whitelist" in body:
        out["ip_whitelist"] = _whitelist(body["ip_whitelist"])
    return out


def _rate_limit(value: Any) -> tuple[int, float] | None:
    if value is None:  # null (the contract: OneshopRateLimit is nullable): no limit
        return None
    if not isinstance(value, dict):
        raise AdminError(400, "invalid_field", "rate_limit should be an object {limit, window_seconds} or null")
    reject_unknown(value, ("limit", "window_seconds"), "rate_limit.")
    limit = number(value, "limit", int, 1, 1_000_000, where="rate_limit.")
    window = number(value, "window_seconds", (int, float), 0.001, 86_400, where="rate_limit.")
    return (limit, window)


def _whitelist(value: Any) -> list[str]:
    if value is None:  # the contract: "empty or null = any IP"
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AdminError(400, "invalid_field", "ip_whitelist should be a list of IP addresses")
    if len(value) > MAX_WHITELIST:
        raise AdminError(400, "invalid_field", f"ip_whitelist should hold at most {MAX_WHITELIST} addresses")
    addresses = []
    for entry in value:
        try:
            address = str(ipaddress.ip_address(entry))
        except ValueError:
            raise AdminError(400, "invalid_field", f"ip_whitelist: {entry!r} is not an IP address") from None
        if address not in addresses:
            addresses.append(address)
    return addresses


@bp.post("/accounts")
def create_account() -> Response:
    body = json_body(optional=True, allowed=("appid",) + SETTINGS_FIELDS)
    appid = field(body, "appid", str, required=False)
    if appid is not None and not _APPID.fullmatch(appid):
        raise AdminError(400, "invalid_field", "appid should be 1-64 characters of A-Z, a-z, 0-9, _ and -")
    settings = _settings(body)
    store, world = _world()
    with store.lock:
        if appid is not None and world.account(appid) is not None:
            raise AdminError(409, "already_exists", f"appid {appid} is taken", appid=appid)
        account = factory.new_account(world, appid=appid, **{"rate_limit": factory.DEFAULT_RATE_LIMIT, **settings})
        return reply(account_view(world, account), 201)


@bp.get("/accounts/<appid>")
def get_account(appid: str) -> Response:
    store, world = _world()
    with store.lock:
        return reply(account_view(world, _need_account(world, appid)))


@bp.post("/accounts/<appid>/settings")
def change_settings(appid: str) -> Response:
    body = json_body(allowed=SETTINGS_FIELDS)
    settings = _settings(body)
    store, world = _world()
    with store.lock:
        account = _need_account(world, appid)
        for name, value in settings.items():
            setattr(account, name, value)
        return reply(account_view(world, account))


@bp.post("/accounts/<appid>/orders")
def create_orders(appid: str) -> Response:
    body = json_body(allowed=("count", "days", "orders"))
    if ("count" in body) == ("orders" in body):
        raise AdminError(400, "invalid_field", "send either count (generated orders) or orders (explicit orders)")
    store, world = _world()
    with store.lock:
        account = _need_account(world, appid)
        now = world.now()
        if "count" in body:
            count = number(body, "count", int, 1, MAX_GENERATED)
            days = number(body, "days", int, 1, 365, required=False, default=factory.DEFAULT_DAYS)
            orders = factory.generate_orders(world, account, count, now - days * DAY, now)
        else:
            if "days" in body:
                raise AdminError(400, "invalid_field", "days only applies to generated orders (count)")
            plans = _plans(body["orders"], account, now)
            orders = [create_order(world, account, plan) for plan in plans]
        return reply({"created": len(orders), "order_numbers": [o.order_number for o in orders]}, 201)


def _plans(values: Any, account: Account, now: int) -> list[OrderPlan]:
    if not isinstance(values, list) or not values:
        raise AdminError(400, "invalid_field", "orders should be a non-empty list")
    if len(values) > MAX_GENERATED:
        raise AdminError(400, "invalid_field", f"orders should hold at most {MAX_GENERATED} entries")
    plans = []
    for index, entry in enumerate(values):
        where = f"orders[{index}]."
        if not isinstance(entry, dict):
            raise AdminError(400, "invalid_field", f"orders[{index}] should be an object")
        reject_unknown(entry, ORDER_FIELDS, where)
        # explicit.py reads a null products list as absent; the contract does not type it nullable.
        field(entry, "products", list, required=False, where=where)
        plans.append(check_order(entry, account, now, where))
    return plans


LIST_FILTERS = ("progress_status", "payment_status", "logistic_status", "limit", "offset")
DEFAULT_LIMIT, MAX_LIMIT = 50, 1000


def order_summary(order: Order) -> dict[str, Any]:
    """One line of an account's order list."""
    return {"order_number": order.order_number, "create_time": order.create_time, "update_time": order.update_time,
            "progress_status": order.progress_status, "payment_status": order.payment_status,
            "logistic_status": order.logistic_status, "name": order.name, "payment": order.payment,
            "logistic": order.logistic, "total_price": order.total_price, "page_title": order.page_title}


def order_page(world: OneshopWorld, appid: str, filters: dict[str, str], limit: int, offset: int) -> dict[str, Any]:
    """One page of an account's orders, newest first (caller holds the store lock): one pass over
    the account's index, whatever its size."""
    page: list[Order] = []
    matched = 0
    for order in world.orders_between(appid, None, None):
        if all(getattr(order, name) == value for name, value in filters.items()):
            if offset <= matched < offset + limit:
                page.append(order)
            matched += 1
    return {"appid": appid, "total": matched, "count": len(page), "offset": offset, "limit": limit,
            "orders": [order_summary(o) for o in page]}


@bp.get("/accounts/<appid>/orders")
def list_orders(appid: str) -> Response:
    """A page of the account's orders, newest first, filtered by any of the three statuses."""
    unknown = sorted(set(request.args) - set(LIST_FILTERS))
    if unknown:
        raise AdminError(400, "invalid_field", f"unknown query parameter {unknown[0]}; known: {', '.join(LIST_FILTERS)}")
    filters = {}
    for name, allowed in (("progress_status", PROGRESS_STATUSES), ("payment_status", PAYMENT_STATUSES),
                          ("logistic_status", LOGISTIC_STATUSES)):
        value = request.args.get(name)
        if value is not None:
            if value not in allowed:
                raise AdminError(400, "invalid_field", f"{name} should be one of {', '.join(allowed)}")
            filters[name] = value
    limit = query_int("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    offset = query_int("offset", 0, 10**9, 0)
    store, world = _world()
    with store.lock:
        _need_account(world, appid)
        return reply(order_page(world, appid, filters, limit, offset))


@bp.get("/orders/<order_number>")
def get_order(order_number: str) -> Response:
    store, world = _world()
    with store.lock:
        return reply(order_view(_need_order(world, order_number)))


@bp.post("/orders/<order_number>/status")
def change_status(order_number: str) -> Response:
    body = json_body(allowed=("progress_status", "payment_status", "logistic_status", "tracking"))
    changes = {}
    for name, key, allowed in (("progress_status", "progress", PROGRESS_STATUSES),
                               ("payment_status", "payment", PAYMENT_STATUSES),
                               ("logistic_status", "logistic", LOGISTIC_STATUSES)):
        value = field(body, name, str, required=False)
        if value is not None:
            if value not in allowed:
                raise AdminError(400, "invalid_field", f"{name} should be one of {', '.join(allowed)}")
            changes[key] = value
    if not changes:
        raise AdminError(400, "invalid_field", "give progress_status, payment_status or logistic_status")
    tracking = _tracking(body, changes.get("logistic"))
    store, world = _world()
    with store.lock:
        order = _need_order(world, order_number)
        lifecycle.change(world, order, world.now(), tracking=tracking, **changes)
        return reply(order_view(order))


def _tracking(body: dict[str, Any], logistic: str | None) -> dict[str, Any] | None:
    tracking = field(body, "tracking", dict, required=False)
    if tracking is None:
        return None
    if logistic not in SHIPPED_STATUSES:
        raise AdminError(400, "invalid_field",
                         f"tracking applies when logistic_status becomes one of {', '.join(sorted(SHIPPED_STATUSES))}")
    reject_unknown(tracking, ("provider", "tracking_number"), "tracking.")
    out = {}
    for name in ("provider", "tracking_number"):
        value = field(tracking, name, str, required=False, where="tracking.")
        if value is not None:
            if not value.strip():
                raise AdminError(400, "invalid_field", f"tracking.{name} should not be empty")
            out[name] = value
    return out
