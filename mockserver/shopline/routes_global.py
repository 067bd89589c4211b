"""SHOPLINE global-flavour webhooks REST (reference B), under /admin/openapi/<version>/:
POST|GET webhooks.json, GET webhooks/count.json, GET|PUT|DELETE <id>/webhooks.json.

Bearer token -> shop. Errors are {"errors": "<text>"}: 401 bad token, 404 unknown version, id or
path, 400 a body without a `webhook` object, 422 an invalid field or a duplicate (same address and
topic). The texts are ours (reference B documents only the shape). Unknown fields inside `webhook`
are ignored, like the Shopify-style APIs this one follows.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, request

from mockserver.core import exchange
from mockserver.core.web import json_response
from mockserver.shopline import topics
from mockserver.shopline.routes_openapi import bearer, is_openapi_path
from mockserver.shopline.routes_openapi import error_body as openapi_error_body
from mockserver.shopline.subscriptions import (
    GLOBAL_ID,
    GlobalSubscription,
    Shop,
    ShoplineWorld,
    check_address,
    valid_api_version,
)

bp = Blueprint("shopline_global", __name__, url_prefix="/admin/openapi/<version>")

PREFIX = "/admin/openapi/"
UNAUTHORIZED = "Invalid API key or access token (unrecognized login or wrong password)"


class GlobalError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message

    def response(self) -> Response:
        exchange.annotate(error=str(self.status))
        response = _json({"errors": self.message}, self.status)
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="SHOPLINE"'
        return response


_json = json_response


def is_shopline_path(path: str) -> bool:
    return is_openapi_path(path) or path.startswith(PREFIX)


def error_body(path: str, status: int, message: str) -> Response | None:
    """The error body of whichever SHOPLINE flavour owns the path (None: not a SHOPLINE path), for
    app.py's handlers of unknown paths, wrong methods, oversized bodies and crashes."""
    if is_openapi_path(path):
        return openapi_error_body(status, message)
    if path.startswith(PREFIX):
        text = {404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests", 500: "Internal Server Error",
                502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}.get(status, message)
        return _json({"errors": text}, status)
    return None


@bp.errorhandler(GlobalError)
def _global_error(exc: GlobalError) -> Response:
    return exc.response()


def _context(version: str) -> tuple[Any, ShoplineWorld, Shop]:
    """Store, world and shop of the request (caller holds the lock); 404 / 401 otherwise."""
    if not valid_api_version(version):
        raise GlobalError(404, "Not Found")
    store = current_app.extensions["shop_sandbox"]
    world: ShoplineWorld = store.backend("shopline")
    value = bearer()
    shop = world.shop_by_token(value) if value else None
    if shop is None:
        raise GlobalError(401, UNAUTHORIZED)
    exchange.annotate(tenant=f"shop_id={shop.shop_id}")
    return store, world, shop


def _webhook_body() -> dict[str, Any]:
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise GlobalError(400, "Invalid JSON in the request body") from None
    if not isinstance(body, dict) or not isinstance(body.get("webhook"), dict):
        raise GlobalError(400, "Required parameter missing or invalid: webhook")
    return body["webhook"]


def _fields(webhook: dict[str, Any], version: str, current: GlobalSubscription | None) -> tuple[str, str, str]:
    """(address, topic, api_version), each from the body or, on an update, the current record."""
    def value(name: str, default: str | None) -> Any:
        # A field left out keeps its value (an update) or is blank (a create); an explicit null is
        # blank either way, as a Rails-style presence check reads nil (the contract: no field is nullable).
        if name not in webhook:
            if default is None:
                raise GlobalError(422, f"{name} can't be blank")
            return default
        if webhook[name] is None:
            raise GlobalError(422, f"{name} can't be blank")
        return webhook[name]

    address = value("address", current.address if current else None)
    try:
        check_address(address)
    except ValueError:
        raise GlobalError(422, "address is invalid") from None
    try:
        current_app.extensions["shop_sandbox"].webhooks.check_target(address)
    except ValueError as exc:  # the sandbox's outbound allow-list (SHOP_SANDBOX_OUTBOUND_ALLOW)
        raise GlobalError(422, f"address is refused by the sandbox: {exc}") from None
    topic = value("topic", current.topic if current else None)
    if not isinstance(topic, str) or not topics.is_global_topic(topic):
        raise GlobalError(422, "topic is invalid")
    api_version = value("api_version", current.api_version if current else version)
    if not valid_api_version(api_version):
        raise GlobalError(422, "api_version is invalid")
    return address, topic, api_version


def _need(world: ShoplineWorld, shop: Shop, webhook_id: str) -> GlobalSubscription:
    sub = world.shop_subscription(shop, webhook_id) if GLOBAL_ID.fullmatch(webhook_id) else None
    if sub is None:
        raise GlobalError(404, "Not Found")
    return sub


@bp.post("/webhooks.json")
def create(version: str) -> Response:
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        _, world, shop = _context(version)
        address, topic, api_version = _fields(_webhook_body(), version, None)
        if world.duplicate(shop, address, topic):
            raise GlobalError(422, "address for this topic has already been taken")
        return _json({"webhook": world.create_global(shop, address, topic, api_version).view()})


@bp.get("/webhooks.json")
def list_webhooks(version: str) -> Response:
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        _, world, shop = _context(version)
        return _json({"webhooks": [s.view() for s in world.shop_subscriptions(shop)]})


@bp.get("/webhooks/count.json")
def count(version: str) -> Response:
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        _, world, shop = _context(version)
        return _json({"count": len(world.shop_subscriptions(shop))})


@bp.get("/<webhook_id>/webhooks.json")
def get_webhook(version: str, webhook_id: str) -> Response:
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        _, world, shop = _context(version)
        return _json({"webhook": _need(world, shop, webhook_id).view()})


@bp.put("/<webhook_id>/webhooks.json")
def update(version: str, webhook_id: str) -> Response:
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        _, world, shop = _context(version)
        sub = _need(world, shop, webhook_id)
        address, topic, api_version = _fields(_webhook_body(), version, sub)
        if world.duplicate(shop, address, topic, ignore=sub.id):
            raise GlobalError(422, "address for this topic has already been taken")
        sub.address, sub.topic, sub.api_version = address, topic, api_version
        sub.updated_at = world.clock.now()
        return _json({"webhook": sub.view()})


@bp.delete("/<webhook_id>/webhooks.json")
def delete(version: str, webhook_id: str) -> Response:
    store = current_app.extensions["shop_sandbox"]
    with store.lock:
        _, world, shop = _context(version)
        sub = _need(world, shop, webhook_id)
        del world.global_subscriptions[sub.id]
        return _json({})
