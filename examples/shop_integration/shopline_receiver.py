"""A SHOPLINE webhook receiver (a plain WSGI app) for both products that carry the name.

- `/shopline`: SHOPLINE Open API (open.shopline.io) app webhooks. Answers the endpoint verification
  SHOPLINE sends when a subscription is created, checks `?sign=` (HMAC-SHA256 of
  "<X-Shopline-Developer-Event-Timestamp>:<body as sorted compact JSON>" with the app secret) and
  de-duplicates by the envelope's `trace_id`.
- `/shopline-global`: SHOPLINE global (*.myshopline.com) webhooks. Checks X-Shopline-Hmac-Sha256
  (HMAC-SHA256 of the raw body with the app secret, hex or base64), refuses deliveries naming
  another shop than the one it serves (X-Shopline-Shop-Id, when `shop_id` is given) and
  de-duplicates by X-Shopline-Webhook-Id, which stays the same when SHOPLINE sends a message again.

Both keep, per resource, the newest state seen (by its updated_at), so an older event arriving
after a newer one does not roll the resource back. Mount it under any WSGI server; the paths are
the receiver's own (give SHOPLINE http(s)://<your host>/shopline or /shopline-global).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from .wsgi_util import StartResponse, parse_json, read_body, respond

OPENAPI_PATH = "/shopline"
GLOBAL_PATH = "/shopline-global"
VERIFICATION_TOPIC = "webhook/verification"


def canonical_json(document: Any) -> str:
    """What the Open API signs: keys sorted at every depth, no spaces, non-ASCII kept as is."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def openapi_signature(app_secret: str, timestamp: str, document: Any) -> str:
    """The Open API `sign`: lowercase hex HMAC-SHA256(app secret, "<timestamp>:<canonical JSON>")."""
    message = f"{timestamp}:{canonical_json(document)}".encode()
    return hmac.new(app_secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def global_signature_ok(secret: str, raw_body: bytes, signature: str) -> bool:
    """X-Shopline-Hmac-Sha256 over the exact bytes; SHOPLINE's SDK sends hex, its docs show base64."""
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    signature = signature.strip()
    return (hmac.compare_digest(digest.hex(), signature.lower())
            or hmac.compare_digest(base64.b64encode(digest).decode("ascii"), signature))


def _instant(value: Any) -> float | None:
    """An ISO 8601 time (2023-12-21T04:24:16.386Z, 2026-11-19T10:20:05+08:00) as unix seconds."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


class ShoplineReceiver:
    """WSGI app receiving both SHOPLINE flavours; `.events` holds each event's body once."""

    def __init__(self, app_secret: str, shop_secret: str, app_id: str, shop_id: str | None = None) -> None:
        self.app_secret = app_secret  # Open API app secret
        self.shop_secret = shop_secret  # the global shop app's secret
        self.app_id = app_id
        # The global shop this receiver serves. The signature covers the body only, not the
        # X-Shopline-Shop-* headers, so without this check a delivery signed for us could be
        # relabelled as another shop's. None: accept any shop (an app whose one secret serves many).
        self.shop_id = shop_id
        self.events: list[dict[str, Any]] = []  # bodies of accepted events, first delivery only
        # (flavour, resource kind, resource id) -> (updated_at as unix s, newest resource body)
        self.resources: dict[tuple[str, str, str], tuple[float, dict[str, Any]]] = {}
        self.duplicates = 0
        self._seen: set[tuple[str, str]] = set()  # in production: a unique key in your database
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        """Route by path: Open API at /shopline, global at /shopline-global."""
        path = environ.get("PATH_INFO", "")
        if path not in (OPENAPI_PATH, GLOBAL_PATH):
            return respond(start_response, 404, "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return respond(start_response, 405, "POST only", extra=[("Allow", "POST")])
        raw = read_body(environ)
        if raw is None:
            return respond(start_response, 413, "body too large")
        if path == OPENAPI_PATH:
            return self._openapi(environ, raw, start_response)
        return self._global(environ, raw, start_response)

    # ---- Open API ---------------------------------------------------------------------------------
    def _openapi(self, environ: dict[str, Any], raw: bytes, start_response: StartResponse) -> list[bytes]:
        body = parse_json(raw)
        if not isinstance(body, dict):
            return respond(start_response, 400, "body is not a JSON object")
        if body.get("topic") == VERIFICATION_TOPIC:
            # The handshake: answer base64(app id) as plain text. Answered whatever the signature:
            # SHOPLINE's docs do not say the verification request is signed, the answer is no
            # secret, and nothing is recorded.
            return respond(start_response, 200, base64.b64encode(self.app_id.encode("utf-8")))
        sign = (parse_qs(environ.get("QUERY_STRING", "")).get("sign") or [""])[0]
        timestamp = environ.get("HTTP_X_SHOPLINE_DEVELOPER_EVENT_TIMESTAMP", "")
        if not sign or not timestamp:
            return respond(start_response, 401, "missing signature")
        expected = openapi_signature(self.app_secret, timestamp, body)
        if not hmac.compare_digest(expected, sign.strip().lower()):
            return respond(start_response, 401, "bad signature")
        # trace_id names one event (SHOPLINE resends it unchanged); a body without one is
        # identified by its content.
        identity = str(body.get("trace_id") or hashlib.sha256(canonical_json(body).encode()).hexdigest())
        resource = body.get("resource") if isinstance(body.get("resource"), dict) else {}
        kind = str(body.get("topic") or "").split("/")[0]
        resource_id = str(resource.get("_id") or resource.get("id") or "")
        ts = body.get("ts")
        fallback = int(ts) / 1e9 if isinstance(ts, str) and ts.isdigit() else 0.0  # ns since epoch
        self._accept(("openapi", identity), body, ("openapi", kind, resource_id), resource, fallback)
        return respond(start_response, 200)

    # ---- global -----------------------------------------------------------------------------------
    def _global(self, environ: dict[str, Any], raw: bytes, start_response: StartResponse) -> list[bytes]:
        signature = environ.get("HTTP_X_SHOPLINE_HMAC_SHA256", "")
        if not signature:
            return respond(start_response, 401, "missing signature")
        if not global_signature_ok(self.shop_secret, raw, signature):
            return respond(start_response, 401, "bad signature")
        if self.shop_id is not None and environ.get("HTTP_X_SHOPLINE_SHOP_ID", "") != str(self.shop_id):
            return respond(start_response, 403, "not a shop this receiver serves")
        body = parse_json(raw)
        if not isinstance(body, dict):
            return respond(start_response, 400, "body is not a JSON object")
        identity = environ.get("HTTP_X_SHOPLINE_WEBHOOK_ID") or hashlib.sha256(raw).hexdigest()
        kind = environ.get("HTTP_X_SHOPLINE_TOPIC", "").split("/")[0]
        self._accept(("global", identity), body, ("global", kind, str(body.get("id") or "")), body, 0.0)
        return respond(start_response, 200)

    # ---- both -------------------------------------------------------------------------------------
    def _accept(self, identity: tuple[str, str], body: dict[str, Any], key: tuple[str, str, str],
                resource: dict[str, Any], fallback_time: float) -> None:
        """Record a verified event once; keep the resource's newest state."""
        updated = _instant(resource.get("updated_at"))
        version = updated if updated is not None else fallback_time
        with self._lock:
            if identity in self._seen:
                self.duplicates += 1
                return
            self._seen.add(identity)
            self.events.append(body)
            if key[2]:
                current = self.resources.get(key)
                # >=: of two states stamped the same instant, the later arrival wins.
                if current is None or version >= current[0]:
                    self.resources[key] = (version, resource)

    def resource(self, flavour: str, kind: str, resource_id: str) -> dict[str, Any] | None:
        """The newest state seen of one resource (kind: "order" for the Open API, "orders" for global)."""
        with self._lock:
            entry = self.resources.get((flavour, kind, resource_id))
        return entry[1] if entry else None
