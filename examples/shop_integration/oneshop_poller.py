"""1shop API v1 order poller: every order of the account with its three statuses, page by page.

Talks to 1shop only over HTTP: point `creds["api_base"]` at https://api.1shop.tw/v1 (1shop has no
test host; its API is an enterprise-plan feature) or at a shop-sandbox's /v1.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

from .retrying import BACKOFF_BASE_SECONDS, CONNECTION_ERRORS, REQUEST_TIMEOUT_SECONDS, backoff

STATUS_FIELDS = ("progress_status", "payment_status", "logistic_status")
RATE_LIMITED = -9999  # 1shop's 429 body: {"success":-9999}
# A request is given up after this many answers in a row that asked us to wait (429) or failed
# (5xx, connection error). 1shop's limit is 10 requests per 10 s per appid, so a healthy account
# never needs more than a couple of waits for one request.
MAX_ATTEMPTS = 8


class OneshopApiError(RuntimeError):
    """1shop answered `success` != 0 (bad appid/secret, not an enterprise plan, bad parameter ...),
    or kept failing after every retry."""

    def __init__(self, code: int | None, msg: str, http_status: int | None = None) -> None:
        self.code, self.msg, self.http_status = code, msg, http_status
        super().__init__(f"1shop success={code}: {msg} (HTTP {http_status})")


def orders_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """data.order as a list, whatever shape 1shop sent: a JSON array; an object keyed "0", "1", ...
    (PHP's json_encode of an array it does not consider a list); or a single order object (the
    shape 1shop's own document prints)."""
    orders = data.get("order")
    if not orders:
        return []
    if isinstance(orders, list):
        return orders
    if isinstance(orders, dict):
        if "order_number" in orders:
            return [orders]
        return [orders[key] for key in sorted(orders, key=lambda k: int(k) if str(k).isdigit() else 0)]
    raise OneshopApiError(None, f"unexpected data.order of type {type(orders).__name__}")


def _retry_after(answer: requests.Response) -> float | None:
    try:
        return max(0.0, float(answer.headers.get("Retry-After", "")))
    except ValueError:  # absent, or an HTTP date (1shop sends seconds)
        return None


def _get_page(session: requests.Session, url: str, params: dict[str, Any],
              sleep: Callable[[float], Any]) -> dict[str, Any]:
    """The `data` of one successful GET; waits out 429s and retries 5xx, connection errors and
    2xx answers cut short (not JSON)."""
    failures = 0
    problem = ""
    wait: float | None = None
    for _ in range(MAX_ATTEMPTS):
        if wait is not None:
            sleep(wait)
        try:
            answer = session.get(url, params=params, timeout=REQUEST_TIMEOUT_SECONDS)
        except CONNECTION_ERRORS as exc:
            problem = f"connection error: {exc}"
        else:
            try:
                body = answer.json()
            except ValueError:
                body = None
            code = body.get("success") if isinstance(body, dict) else None
            if answer.status_code == 429 or code == RATE_LIMITED:
                # 1shop says how long to wait; waiting exactly that long is enough.
                retry_after = _retry_after(answer)
                wait = retry_after if retry_after is not None else BACKOFF_BASE_SECONDS
                problem = "rate limited (429)"
                continue
            if body is None and answer.ok:  # a 2xx cut short on the way: the next answer may be whole
                problem = f"HTTP {answer.status_code} with a body that is not JSON"
            elif answer.status_code < 500:
                # 1shop answers its failures with HTTP 200 (only the limit is 429): `success` decides.
                if code == 0 and isinstance(body.get("data"), dict):
                    return body["data"]
                msg = body.get("msg", "") if isinstance(body, dict) else answer.text[:200]
                raise OneshopApiError(code if isinstance(code, int) else None, str(msg), answer.status_code)
            else:
                problem = f"HTTP {answer.status_code}"
        failures += 1
        wait = backoff(failures)
    raise OneshopApiError(None, f"gave up after {MAX_ATTEMPTS} attempts: {problem}")


def poll_orders(creds: dict, *, sleep: Callable[[float], Any] = time.sleep,
                since: str | None = None) -> dict[str, dict]:
    """{order_number: {"progress_status", "payment_status", "logistic_status"}} of every order of
    the account (created on or after `since`, a YYYY-MM-DD day in UTC+8, when given).

    creds: api_base (".../v1"), appid, secret. sleep: how to wait (tests inject one that moves the
    sandbox clock instead of waiting)."""
    url = str(creds["api_base"]).rstrip("/") + "/order"
    params: dict[str, Any] = {"appid": creds["appid"], "secret": creds["secret"],
                              **{field: "all" for field in STATUS_FIELDS}}
    if since:
        params["create_date_start"] = since
    result: dict[str, dict] = {}
    with requests.Session() as session:
        page, total_pages = 1, 1
        while page <= total_pages:
            data = _get_page(session, url, {**params, "page": page}, sleep)
            for order in orders_of(data):
                result[str(order["order_number"])] = {field: order.get(field) for field in STATUS_FIELDS}
            # Pages are newest first: an order created while we page pushes the others down (one
            # may be seen twice, which the dict absorbs) and can add a page at the end, so the
            # bound is re-read from every answer rather than fixed by the first one.
            total_pages = int((data.get("page") or {}).get("total_page") or 0)
            page += 1
    return result
