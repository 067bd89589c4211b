"""The 1shop API v1 blueprint: GET /v1/order and GET /v1/order/{order_number}.

Check order (docs/fidelity.md): path, method, appid/secret present, account and secret, enterprise
plan, IP whitelist, rate limit, parameters, data. Every request past the credential, plan and IP
checks counts against the limit, also when its parameters then fail; refused (429) requests do not.
Every answer, including unknown paths, wrong methods and crashes, is 1shop's JSON envelope, HTTP 200
but for the rate limit (429) and a sandbox crash (500).

A query parameter given more than once is read as PHP's $_GET reads it, the last value wins; the
sandbox says so in a warning (strict mode: -6 naming the parameter).
"""
from __future__ import annotations

import hmac
import ipaddress
import math
import re
from datetime import datetime
from typing import Any, Callable

from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import MultiDict

from mockserver.core import exchange
from mockserver.core.secrets import mask
from mockserver.core.warnings import warn
from mockserver.core.taiwan import UTC8
from mockserver.oneshop import errors as E
from mockserver.oneshop import render
from mockserver.oneshop.errors import OneshopError, json_response, rate_limited
from mockserver.oneshop.models import LOGISTIC_STATUSES, PAYMENT_STATUSES, PROGRESS_STATUSES, Account
from mockserver.oneshop.world import OneshopWorld

bp = Blueprint("oneshop", __name__)

PAGE_SIZE = 50  # seed 003: "總頁數,預設一頁50筆"
# Seed 003: each filter takes one value of its list, or "all".
FILTERS = (("progress_status", ("all",) + PROGRESS_STATUSES),
           ("payment_status", ("all",) + PAYMENT_STATUSES),
           ("logistic_status", ("all",) + LOGISTIC_STATUSES))
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")
_HUGE_PAGE = 10**15  # any page number with more digits is past the last page anyway


def _store():
    return current_app.extensions["shop_sandbox"]


# merge_slashes=False: /v1//order is an unknown path (-10), not an HTML redirect to /v1/order.
@bp.route("/v1", defaults={"rest": ""}, methods=_ALL_METHODS, strict_slashes=False, merge_slashes=False)
@bp.route("/v1/<path:rest>", methods=_ALL_METHODS, merge_slashes=False)
def dispatch(rest: str) -> Response:
    return serve(_store(), request.method, request.args, request.remote_addr, rest)


def serve(store: Any, method: str, args: Any, remote_addr: str | None, rest: str,
          render: Callable[[Any], Any] = json_response) -> Any:
    """One 1shop call: /v1/`rest` with these query arguments (request.args or what reads the same);
    from the view above or from lean.py (whose `render` writes a JsonAnswer; errors are Responses)."""
    appid = (args.getlist("appid") or [None])[-1]
    exchange.annotate(platform="oneshop", tenant=f"appid={appid[:40]}" if appid else None)
    try:
        route, order_number = _route(rest)
        if method not in E.ALLOWED_METHODS:
            raise OneshopError(E.METHOD_NOT_ALLOWED)
        with store.lock:
            world: OneshopWorld = store.backend("oneshop")
            account = authenticate(world, args, remote_addr)
            limit, window = account.rate_limit or (None, 0)
            decision = world.limiter.hit(account.appid, limit, window)
            if not decision.allowed:
                return rate_limited(decision.retry_after)
            if route == "list":
                data = list_orders(world, account, args)
            else:
                data = order_detail(world, account, order_number)
    except OneshopError as exc:
        return exc.response()
    return render({"success": 0, "data": data, "msg": "success"})


def _route(rest: str) -> tuple[str, str]:
    """("list", "") for /v1/order, ("detail", number) for /v1/order/{number}; else -10."""
    if rest == "order":
        return "list", ""
    if rest.startswith("order/"):
        number = rest[len("order/"):]
        if number and "/" not in number:
            return "detail", number
    raise OneshopError(E.UNKNOWN_API)


def arg(args: MultiDict[str, str], name: str) -> str | None:
    """The value 1shop reads for a query parameter, None when absent. Repeated, the last one: 1shop
    answers PHP's json_encode output (seed 003), and PHP's query parsing keeps the last value of a
    repeated name. Documents are silent, so the sandbox warns (strict mode refuses with -6)."""
    values = args.getlist(name)
    if len(values) > 1:
        shown = ", ".join(repr(mask(v) if name == "secret" else v) for v in values)
        warn(f"1shop: query parameter {name} given {len(values)} times ({shown}); the sandbox uses the last "
             f"value, as PHP does",
             lambda: OneshopError(E.REPEATED_PARAMETER, name=name, values=shown))
    return values[-1] if values else None


def authenticate(world: OneshopWorld, args: MultiDict[str, str], remote_addr: str | None) -> Account:
    appid, secret = arg(args, "appid") or "", arg(args, "secret") or ""
    if not appid or not secret:
        raise OneshopError(E.MISSING_CREDENTIALS)
    account = world.account(appid)
    # compare_digest: the answer time says nothing about how much of the secret was right.
    if account is None or not hmac.compare_digest(account.secret.encode(), secret.encode()):
        raise OneshopError(E.WRONG_CREDENTIALS)
    if not account.enterprise:
        raise OneshopError(E.NOT_ENTERPRISE)
    if account.ip_whitelist and not _whitelisted(remote_addr, account.ip_whitelist):
        raise OneshopError(E.IP_NOT_WHITELISTED)
    return account


def _whitelisted(remote_addr: str | None, whitelist: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):  # ::ffff:127.0.0.1 is 127.0.0.1
        address = address.ipv4_mapped
    return any(address == ipaddress.ip_address(entry) for entry in whitelist)


def _required(args: MultiDict[str, str], name: str) -> str:
    value = arg(args, name) or ""
    if value == "":  # absent or empty: PHP's empty() treats both as missing
        raise OneshopError(E.MISSING_PARAMETER, name=name)
    return value


def _day(args: MultiDict[str, str], name: str) -> int | None:
    """Unix time of 00:00:00 UTC+8 of a YYYY-MM-DD parameter; None when absent or empty."""
    value = arg(args, name) or ""
    if value == "":
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC8)
    except ValueError:
        raise OneshopError(E.BAD_DATE, name=name) from None
    return int(day.timestamp())


def list_orders(world: OneshopWorld, account: Account, args: MultiDict[str, str]) -> dict[str, Any]:
    wanted = {}
    for name, allowed in FILTERS:
        value = _required(args, name)
        if value not in allowed:
            raise OneshopError(E.INVALID_VALUE, name=name, value=value)
        wanted[name] = value
    start, end = _day(args, "create_date_start"), _day(args, "create_date_end")
    if start is not None and end is not None and start > end:
        raise OneshopError(E.DATES_REVERSED)
    raw_page = _required(args, "page")
    digits = raw_page.lstrip("0")
    if not _DIGITS.fullmatch(raw_page) or not digits:  # an integer >= 1, ASCII digits only
        raise OneshopError(E.INVALID_VALUE, name="page", value=raw_page)
    page = _HUGE_PAGE if len(digits) > 15 else int(digits)
    # The end day is inclusive: up to 23:59:59 UTC+8 (seed: "2022-01-01 23:59:59 之前的訂單").
    found = world.orders_between(account.appid, start, None if end is None else end + 86399)
    conditions = [(k, v) for k, v in wanted.items() if v != "all"]  # "all" holds for every order
    matches = [o for o in found if all(getattr(o, k) == v for k, v in conditions)] if conditions else found
    total_page = math.ceil(len(matches) / PAGE_SIZE)
    if page > max(total_page, 1):  # page 1 of an empty result is a valid, empty page
        raise OneshopError(E.PAGE_OUT_OF_RANGE, total_page=total_page)
    shown = matches[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return {"order": render.order_list(shown, account.list_shape),
            "page": {"total_page": total_page, "correct_page": page, "page_order": len(shown),
                     "total_order": len(matches)}}


def order_detail(world: OneshopWorld, account: Account, order_number: str) -> dict[str, Any]:
    order = world.order_of(account.appid, order_number)
    if order is None:  # another account's order is not found either
        raise OneshopError(E.ORDER_NOT_FOUND, order_number=order_number)
    return render.detail(order)
