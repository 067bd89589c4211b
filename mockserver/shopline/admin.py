"""Admin endpoints of the SHOPLINE world (/_sandbox/shopline/...): trigger a webhook, see every
subscription, delivery settings, a global shop's signature encoding. Contract: contracts/admin/openapi.yaml.

Every endpoint checks its whole request before it changes anything (a 4xx queues nothing).
"""
from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, current_app

from mockserver.admin.http import AdminError, field, json_body, reply
from mockserver.shopline import emitter, payloads, signing, topics
from mockserver.shopline.policies import CONSECUTIVE, RULES, Removal
from mockserver.shopline.subscriptions import ShoplineWorld, check_address

bp = Blueprint("shopline_admin", __name__, url_prefix="/_sandbox/shopline")

TRIGGER_FIELDS = ("topic", "flavour", "overrides", "generate", "seed", "to", "verbatim")
SETTINGS_FIELDS = ("openapi_timeout_seconds", "openapi_retry_delays", "global_timeout_seconds",
                   "verification_timeout_seconds", "openapi_rate_limit", "openapi_removal", "global_removal")
MAX_REMOVAL_FAILURES = 1000
MAX_TIMEOUT = 60.0  # an attempt holds a share of those in flight; minutes-long timeouts only hide a dead receiver
MAX_DELAY = 7 * 86400.0
MAX_SEED = 2**63 - 1


def _world() -> tuple[Any, ShoplineWorld]:
    store = current_app.extensions["shop_sandbox"]
    return store, store.backend("shopline")


@bp.post("/trigger")
def trigger() -> Response:
    """Send a topic now: to every active subscription of the flavour naming it, or to `to` alone."""
    return answer_trigger(current_app.extensions["shop_sandbox"], json_body(allowed=TRIGGER_FIELDS))


def answer_trigger(store: Any, body: dict[str, Any]) -> Response:
    """The trigger's answer to its JSON body (also called by shopline/lean_trigger.py)."""
    topic = field(body, "topic", str)
    flavour = field(body, "flavour", str, required=False, default=emitter.OPENAPI)
    if flavour not in emitter.FLAVOURS:
        raise AdminError(400, "invalid_field", f"flavour should be one of {', '.join(emitter.FLAVOURS)}")
    overrides = field(body, "overrides", dict, required=False)
    generate = field(body, "generate", bool, required=False, default=False)
    seed = field(body, "seed", int, required=False)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise AdminError(400, "invalid_field", f"seed should be between 0 and {MAX_SEED}")
    verbatim = field(body, "verbatim", bool, required=False, default=False)
    to = field(body, "to", str, required=False)
    if to is not None:
        try:
            check_address(to)
        except ValueError as exc:
            raise AdminError(400, "invalid_field", f"to should be an absolute http(s) URL without a fragment ({exc})") from None
        try:
            store.webhooks.check_target(to)
        except ValueError as exc:  # SHOP_SANDBOX_OUTBOUND_ALLOW
            raise AdminError(400, "invalid_field", f"to: {exc}") from None
    content = emitter.Content(overrides=overrides, generate=generate, seed=seed, verbatim=verbatim)
    world = store.backend("shopline")
    with store.lock:
        try:
            if flavour == emitter.OPENAPI:
                queued = emitter.emit_openapi(store, world, topic, content, to)
            else:
                queued = emitter.emit_global(store, world, topic, content, to)
        except topics.UnknownTopic:
            known = topics.subscribable_topics() if flavour == emitter.OPENAPI else topics.GLOBAL_TOPICS
            raise AdminError(400, "invalid_field", f"topic {topic!r} is not a SHOPLINE {flavour} topic; "
                                                   f"known: {', '.join(known)}") from None
        except payloads.NotVerbatim as exc:
            raise AdminError(400, "invalid_field", f"verbatim: {exc}") from None
    return reply({"topic": topics.canonical(topic) if flavour == emitter.OPENAPI else topic,
                  "flavour": flavour, "deliveries": queued})


@bp.get("/subscriptions")
def subscriptions() -> Response:
    """Every subscription of both flavours, removed (circuit-broken) ones included."""
    store, world = _world()
    with store.lock:
        return reply({"openapi": [world.admin_subscription(s) for s in world.subscriptions.values()],
                      "global": [world.admin_global(s) for s in world.global_subscriptions.values()]})


@bp.get("/settings")
def get_settings() -> Response:
    store, world = _world()
    with store.lock:
        return reply(world.settings.view())


def _seconds(body: dict[str, Any], name: str) -> float | None:
    value = field(body, name, (int, float), required=False)
    if value is not None and not 0 < value <= MAX_TIMEOUT:
        raise AdminError(400, "invalid_field", f"{name} should be > 0 and <= {MAX_TIMEOUT:g}")
    return None if value is None else float(value)


@bp.post("/settings")
def set_settings() -> Response:
    """Change delivery settings; deliveries queued before keep the policy they were queued with."""
    body = json_body(allowed=SETTINGS_FIELDS)
    changes: dict[str, Any] = {}
    for name, attr in (("openapi_timeout_seconds", "openapi_timeout"), ("global_timeout_seconds", "global_timeout"),
                       ("verification_timeout_seconds", "verification_timeout")):
        value = _seconds(body, name)
        if value is not None:
            changes[attr] = value
    delays = field(body, "openapi_retry_delays", list, required=False)
    if delays is not None:
        if len(delays) > 3 or not all(isinstance(d, (int, float)) and not isinstance(d, bool) and math.isfinite(d)
                                      and 0 <= d <= MAX_DELAY for d in delays):
            raise AdminError(400, "invalid_field", "openapi_retry_delays should be at most 3 numbers of seconds "
                                                   f"between 0 and {MAX_DELAY:g} (SHOPLINE resends at most 3 times)")
        changes["openapi_retry_delays"] = tuple(float(d) for d in delays)
    if "openapi_rate_limit" in body:  # null (the contract: nullable) turns the limit off
        changes["openapi_rate_limit"] = _rate_limit(body["openapi_rate_limit"])
    for name in ("openapi_removal", "global_removal"):
        if name in body:
            changes[name] = _removal(name, body[name])
    store, world = _world()
    with store.lock:
        for attr, value in changes.items():
            setattr(world.settings, attr, value)
        emitter.register_policies(store, world)
        return reply(world.settings.view())


def _rate_limit(value: Any) -> tuple[int, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise AdminError(400, "invalid_field", "openapi_rate_limit should be an object or null")
    unknown = sorted(set(value) - {"limit", "window_seconds"})
    if unknown:
        raise AdminError(400, "invalid_field", f"unknown field openapi_rate_limit.{unknown[0]}")
    limit = field(value, "limit", int, where="openapi_rate_limit.")
    window = field(value, "window_seconds", (int, float), where="openapi_rate_limit.")
    if not 1 <= limit <= 100_000 or not 0 < window <= 86_400:
        raise AdminError(400, "invalid_field", "openapi_rate_limit needs 1 <= limit <= 100000 and 0 < window_seconds <= 86400")
    return limit, float(window)


def _removal(name: str, value: Any) -> Removal:
    """{"rule": "message" | "consecutive" | "never", "failures": n (consecutive only)}."""
    if not isinstance(value, dict):
        raise AdminError(400, "invalid_field", f"{name} should be an object")
    unknown = sorted(set(value) - {"rule", "failures"})
    if unknown:
        raise AdminError(400, "invalid_field", f"unknown field {name}.{unknown[0]}")
    rule = field(value, "rule", str, where=f"{name}.")
    if rule not in RULES:
        raise AdminError(400, "invalid_field", f"{name}.rule should be one of {', '.join(RULES)}")
    failures = field(value, "failures", int, required=False, where=f"{name}.")
    if (rule == CONSECUTIVE) != (failures is not None):
        raise AdminError(400, "invalid_field", f'{name}.failures goes with rule "consecutive", and only with it')
    if failures is not None and not 1 <= failures <= MAX_REMOVAL_FAILURES:
        raise AdminError(400, "invalid_field", f"{name}.failures should be between 1 and {MAX_REMOVAL_FAILURES}")
    return Removal(rule, failures)


@bp.post("/shops/<shop_id>")
def set_shop(shop_id: str) -> Response:
    """A global shop's options: signature_encoding hex (default) or base64."""
    body = json_body(allowed=("signature_encoding",))
    encoding = field(body, "signature_encoding", str, required=False)
    if encoding is not None and encoding not in signing.ENCODINGS:
        raise AdminError(400, "invalid_field", f"signature_encoding should be one of {', '.join(signing.ENCODINGS)}")
    store, world = _world()
    with store.lock:
        shop = world.shops.get(shop_id)
        if shop is None:
            raise AdminError(404, "not_found", f"no SHOPLINE shop {shop_id}")
        if encoding is not None:
            shop.signature_encoding = encoding
        return reply(shop.view())
