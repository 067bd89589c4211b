"""A Shopee Push Mechanism receiver (a plain WSGI app): checks each push's Authorization, answers 2xx
with an empty body, and records each push once.

Shopee signs a push with Authorization = lowercase hex HMAC-SHA256(partner key, callback URL + "|" +
raw body). The callback URL is the one given to push/set_app_push_config; behind a proxy that
rewrites host or path, pass it as `callback_url` instead of letting the receiver rebuild it from
the request.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
from typing import Any
from wsgiref.util import request_uri

from .wsgi_util import StartResponse, parse_json, read_body, respond

VERIFICATION_CODE = 0  # sent when a callback URL is set; must get a 2xx within 3 s
ORDER_STATUS_CODE = 3
# update_time has one-second resolution, so two pushes of one order can carry the same one (paid in
# the second the order was made) and may arrive in either order. For such a tie the later stage of
# the order's life wins. (A real integration usually re-reads the order with get_order_detail on a
# push anyway, as shopee_sync does; the push is the signal, the API the truth.)
STAGE = {"UNPAID": 0, "PENDING": 0, "INVOICE_PENDING": 1, "READY_TO_SHIP": 1, "PROCESSED": 2,
         "RETRY_SHIP": 2, "SHIPPED": 3, "TO_CONFIRM_RECEIVE": 4, "IN_CANCEL": 4, "TO_RETURN": 5,
         "COMPLETED": 6, "CANCELLED": 6}


def push_signature(partner_key: str, callback_url: str, raw_body: bytes) -> str:
    """The Authorization Shopee sends with a push."""
    return hmac.new(partner_key.encode("utf-8"), callback_url.encode("utf-8") + b"|" + raw_body,
                    hashlib.sha256).hexdigest()


class ShopeePushReceiver:
    """WSGI app for Shopee pushes; `.events` holds each verified push body once (not the
    verification push), `.orders` the newest status per order seen in order-status pushes."""

    def __init__(self, partner_key: str, callback_url: str | None = None) -> None:
        self.partner_key = partner_key
        self.callback_url = callback_url
        self.events: list[dict[str, Any]] = []
        self.orders: dict[str, tuple[tuple[int, int], str]] = {}  # ordersn -> ((update_time, stage), status)
        self.verifications = 0
        self.duplicates = 0
        self._seen: set[str] = set()  # in production: a unique key in your database
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """Every path is the callback (the signature covers the URL, so a wrong one fails anyway)."""
        if environ.get("REQUEST_METHOD") != "POST":
            return respond(start_response, 405, "POST only", extra=[("Allow", "POST")])
        raw = read_body(environ)
        if raw is None:
            return respond(start_response, 413, "body too large")
        body = parse_json(raw)
        if isinstance(body, dict) and body.get("code") == VERIFICATION_CODE:
            # The verification push only needs a 2xx. Answered whatever the signature: Shopee's
            # docs do not promise it is signed, and it changes nothing here.
            with self._lock:
                self.verifications += 1
            return respond(start_response, 200)
        url = self.callback_url or request_uri(environ, include_query=True)
        authorization = environ.get("HTTP_AUTHORIZATION", "").strip().lower()
        if not authorization or not hmac.compare_digest(push_signature(self.partner_key, url, raw), authorization):
            return respond(start_response, 401, "bad signature")
        if not isinstance(body, dict):
            return respond(start_response, 400, "body is not a JSON object")
        # Pushes carry no id. Shopee resends the same bytes (its `timestamp` is when the push was
        # made), so the body's hash names the push; two different events never share a body.
        identity = hashlib.sha256(raw).hexdigest()
        with self._lock:
            if identity in self._seen:
                self.duplicates += 1
            else:
                self._seen.add(identity)
                self.events.append(body)
                self._order_state(body)
        return respond(start_response, 200)  # 2xx, empty body, as Shopee asks

    def _order_state(self, body: dict[str, Any]) -> None:
        """Code 3: keep the status with the newest update_time (pushes may arrive out of order)."""
        data = body.get("data")
        if body.get("code") != ORDER_STATUS_CODE or not isinstance(data, dict) or not data.get("ordersn"):
            return
        status = str(data.get("status"))
        version = (int(data.get("update_time") or 0), STAGE.get(status, 0))
        current = self.orders.get(data["ordersn"])
        if current is None or version >= current[0]:
            self.orders[data["ordersn"]] = (version, status)

    def status(self, order_sn: str) -> str | None:
        """The newest status an order-status push told us about."""
        with self._lock:
            entry = self.orders.get(order_sn)
        return entry[1] if entry else None
