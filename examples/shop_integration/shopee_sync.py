"""Shopee Open Platform v2 order sync: every order created in a time range, with its current status.

Talks to Shopee only over HTTP, exactly as to the real platform: point `creds["base_url"]` at
https://partner.shopeemobile.com (live), a Shopee test host, or a shop-sandbox.

Out of scope (on purpose, to keep the sample short): refreshing an expired access token. An expired
or revoked token answers `error_auth` "Invalid access_token."; `sync_orders` then raises
ShopeeApiError and the caller refreshes the token (auth/access_token/get) and calls it again.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests

from .retrying import CONNECTION_ERRORS, REQUEST_TIMEOUT_SECONDS, backoff

API_PREFIX = "/api/v2/"
# v2.order.get_order_list: "The maximum date range ... is 15 days"; page_size "between 1 and 100".
MAX_WINDOW_SECONDS = 15 * 86400
PAGE_SIZE = 100
# v2.order.get_order_detail: order_sn_list "limit [1,50]".
DETAIL_BATCH = 50
# Errors worth another try: the caller did nothing wrong. Shopee does not document HTTP statuses for
# errors (clients decide by the `error` field), so these are matched on the field, whatever the status.
RETRYABLE_ERRORS = frozenset({"error_rate_limit", "error_server", "error_network"})
MAX_ATTEMPTS = 6


class ShopeeApiError(RuntimeError):
    """Shopee refused a call for good (or kept failing after every retry)."""

    def __init__(self, api: str, error: str, message: str, http_status: int | None = None) -> None:
        self.api, self.error, self.message, self.http_status = api, error, message, http_status
        super().__init__(f"{api}: {error}: {message} (HTTP {http_status})")


def sign(partner_key: str, base_string: str) -> str:
    """Lowercase hex HMAC-SHA256 of the base string with the partner key."""
    return hmac.new(partner_key.encode("utf-8"), base_string.encode("utf-8"), hashlib.sha256).hexdigest()


def time_windows(time_from: int, time_to: int) -> Iterator[tuple[int, int]]:
    """[time_from, time_to] cut into ranges Shopee accepts: at most 15 days, time_from < time_to.

    Shopee's bounds are inclusive, so each window starts one second after the previous one ended."""
    if time_to < time_from:
        raise ValueError(f"time_from {time_from} is after time_to {time_to}")
    start = time_from
    while True:
        end = min(start + MAX_WINDOW_SECONDS, time_to)
        # A one-second remainder would be time_from == time_to, which Shopee refuses: widen it back
        # by a second (an order seen twice is harmless, the result is keyed by order_sn).
        yield min(start, end - 1), end
        if end >= time_to:
            return
        start = end + 1


class _ShopClient:
    """Signed GET calls to one shop's APIs, with retries and backoff."""

    def __init__(self, creds: dict[str, Any], sleep: Callable[[float], Any], clock: Callable[[], float],
                 session: requests.Session, max_attempts: int) -> None:
        self.base_url = str(creds["base_url"]).rstrip("/")
        self.partner_id = int(creds["partner_id"])
        self.partner_key = str(creds["partner_key"])
        self.shop_id = int(creds["shop_id"])
        self.access_token = str(creds["access_token"])
        self.sleep, self.clock, self.session = sleep, clock, session
        self.max_attempts = max_attempts

    def _query(self, path: str) -> dict[str, Any]:
        # Signed again for every attempt: the timestamp must be fresh (Shopee allows 5 minutes).
        timestamp = int(self.clock())
        base = f"{self.partner_id}{path}{timestamp}{self.access_token}{self.shop_id}"
        return {"partner_id": self.partner_id, "timestamp": timestamp, "access_token": self.access_token,
                "shop_id": self.shop_id, "sign": sign(self.partner_key, base)}

    def get(self, api: str, params: dict[str, Any]) -> dict[str, Any]:
        """The `response` object of a successful call; retries what is worth retrying."""
        path = API_PREFIX + api
        last: ShopeeApiError | None = None
        for attempt in range(self.max_attempts):
            if attempt:
                self.sleep(backoff(attempt))
            try:
                answer = self.session.get(self.base_url + path, params={**self._query(path), **params},
                                          timeout=REQUEST_TIMEOUT_SECONDS)
            except CONNECTION_ERRORS as exc:
                last = ShopeeApiError(api, "connection_error", str(exc))
                continue
            body = _json_or_none(answer)
            error = str(body.get("error") or "") if isinstance(body, dict) else ""
            if body is None and answer.ok:  # a 2xx cut short on the way: the next answer may be whole
                last = ShopeeApiError(api, "broken_answer", _message(body, answer), answer.status_code)
                continue
            # "common.error_server" and "error_server" both occur in Shopee's own samples.
            if answer.status_code >= 500 or error.rsplit(".", 1)[-1] in RETRYABLE_ERRORS:
                last = ShopeeApiError(api, error or "http_error", _message(body, answer), answer.status_code)
                continue
            if error or not isinstance(body, dict) or answer.status_code >= 400:
                raise ShopeeApiError(api, error or "http_error", _message(body, answer), answer.status_code)
            return body.get("response") or {}
        assert last is not None
        raise last


def _json_or_none(answer: requests.Response) -> Any:
    try:
        return answer.json()
    except ValueError:  # an HTML error page from a proxy or load balancer
        return None


def _message(body: Any, answer: requests.Response) -> str:
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return answer.text[:200]


def _order_sns(client: _ShopClient, time_from: int, time_to: int) -> list[str]:
    """Every order_sn created in [time_from, time_to], window by window, page by page."""
    seen: dict[str, None] = {}  # an ordered set: order_sn may repeat across windows and pages
    for start, end in time_windows(time_from, time_to):
        cursor = ""
        while True:
            # create_time, not update_time: an order's create_time never changes, so an order whose
            # status changes while we page stays where it was in the list. With update_time, the
            # change moves it to the top of the (newest-first) list, every later order shifts by
            # one, and the offset-based cursor then skips an order.
            page = client.get("order/get_order_list", {
                "time_range_field": "create_time", "time_from": start, "time_to": end,
                "page_size": PAGE_SIZE, "cursor": cursor})
            for entry in page.get("order_list") or []:
                seen[str(entry["order_sn"])] = None
            next_cursor = str(page.get("next_cursor") or "")
            if not page.get("more"):
                break
            if not next_cursor or next_cursor == cursor:
                raise ShopeeApiError("order/get_order_list", "bad_cursor",
                                     f"more is true but next_cursor is {next_cursor!r}")
            cursor = next_cursor
    return list(seen)


def sync_orders(creds: dict, time_from: int, time_to: int, *, sleep: Callable[[float], Any] = time.sleep,
                clock: Callable[[], float] = time.time, max_attempts: int = MAX_ATTEMPTS) -> dict[str, str]:
    """{order_sn: order_status} of every order of the shop created in [time_from, time_to] (unix s).

    creds: base_url, partner_id, partner_key, shop_id, access_token. sleep: how to wait between
    retries (tests inject one that does not really wait). clock: the request timestamps (the
    sandbox's clock when a test moves it). The status comes from get_order_detail, read after the
    list, so it is the status at the end of the sync."""
    with requests.Session() as session:
        client = _ShopClient(creds, sleep, clock, session, max_attempts)
        order_sns = _order_sns(client, time_from, time_to)
        statuses: dict[str, str] = {}
        for i in range(0, len(order_sns), DETAIL_BATCH):
            batch = order_sns[i:i + DETAIL_BATCH]
            detail = client.get("order/get_order_detail", {"order_sn_list": ",".join(batch)})
            for order in detail.get("order_list") or []:
                statuses[str(order["order_sn"])] = str(order["order_status"])
    return statuses
