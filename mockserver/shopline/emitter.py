"""SHOPLINE webhooks out: build, sign and queue on the webhook engine; each flavour's policy; the Open
API endpoint-verification handshake.

Open API (reference A): the envelope of payloads.build, `?sign=` on the URL (signing.open_api_sign
with the app's secret) and the timestamp (seconds) in X-Shopline-Developer-Event-Timestamp.
Global (reference B, seed 002): the body of payloads.build_global, X-Shopline-Hmac-Sha256 over the
raw body plus every X-Shopline-* header of seed 002. Timeouts, resends and removal: policies.py.
The headers are fixed when the delivery is queued, so a resend carries the same X-Shopline-Webhook-Id.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson

from mockserver.core import delivery_http, run_gate
from mockserver.core.webhooks import WebhookEngine
from mockserver.shopline import payloads, signing, topics
from mockserver.shopline.policies import GLOBAL_PLATFORM, OPENAPI_PLATFORM, register_policies
from mockserver.shopline.subscriptions import (
    APP_TOKEN,
    DEFAULT_API_VERSION,
    GlobalSubscription,
    Shop,
    ShoplineWorld,
    Subscription,
)

__all__ = ["GLOBAL_PLATFORM", "OPENAPI_PLATFORM", "register_policies"]  # re-exported for factory and admin
OPENAPI, GLOBAL = "openapi", "global"
FLAVOURS = (OPENAPI, GLOBAL)
VERIFICATION_BODY = {"topic": "webhook/verification"}


def _compact(document: Any) -> bytes:
    # Key order as built (not sorted): a receiver must re-serialise to check `sign`, as on SHOPLINE.
    try:  # the same bytes as json.dumps below, ten times faster
        return orjson.dumps(document)
    except TypeError:  # an integer beyond 64 bits, a non-string key: what orjson does not take
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _with_sign(address: str, sign: str) -> str:
    return f"{address}{'&' if '?' in address else '?'}{signing.SIGN_QUERY_PARAM}={sign}"


# ---- what to send ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Content:
    """How the body is made (payloads.py): the example as a fresh event (default), the documented
    example byte for byte (verbatim), or generated from a seed; overrides merged in."""

    overrides: Mapping[str, Any] | None = None
    generate: bool = False
    seed: int | None = None
    verbatim: bool = False


def _seed(world: ShoplineWorld, content: Content) -> int:
    # No seed asked: draw one from the world's RNG, so a run of the same seed sends the same bodies.
    return content.seed if content.seed is not None else world.rng.getrandbits(32)


def _meta(made: payloads.Source) -> dict[str, Any]:
    """What the delivery log says about the payload: where it came from, and a note when it is not
    SHOPLINE's own example (never sent: it is no header and no part of the body)."""
    meta: dict[str, Any] = {"payload": made.view()}
    if made.note:
        meta["note"] = made.note
    return meta


@dataclass(frozen=True)
class _Event:
    """One Open API event as sent: the body, and the text its `sign` covers (keys sorted)."""

    body: bytes
    canonical: bytes
    trace_id: Any


def _openapi_event(world: ShoplineWorld, name: str, now: float, content: Content, made: payloads.Source,
                   merchant_id: str) -> _Event:
    merchant = world.merchants.get(merchant_id)
    handle = merchant.handle if merchant else None
    trace_id = world.trace_id()
    if not content.overrides:  # a varied example: its texts written straight from the plan
        texts = payloads.build_text(name, now, trace_id=trace_id, merchant_id=merchant_id, merchant_handle=handle,
                                    vary=world.rng, made=made)
        if texts is not None:
            return _Event(texts[0], texts[1], trace_id)
    payload = payloads.build(name, now, overrides=content.overrides, trace_id=trace_id, merchant_id=merchant_id,
                             merchant_handle=handle, vary=world.rng, made=made)
    return _Event(_compact(payload), signing.canonical_json(payload).encode("utf-8"), payload.get("trace_id"))


def emit_openapi(store: Any, world: ShoplineWorld, topic: str, content: Content,
                 to: str | None = None) -> list[dict[str, Any]]:
    """Queue `topic` to every active Open API subscription naming it, or to `to` alone (signed with
    the default app's secret for the default merchant). Caller holds store.lock.

    Raises topics.UnknownTopic / payloads.NotVerbatim before anything is queued."""
    name = topics.canonical(topic)
    made = payloads.source(name, generate=content.generate, verbatim=content.verbatim, seed=content.seed)
    if made.kind == payloads.VERBATIM and content.overrides:
        raise payloads.NotVerbatim("verbatim sends the documented example as it is: overrides cannot apply")
    if made.seed is not None and content.seed is None:
        made = replace(made, seed=_seed(world, content))
    if to is not None:
        merchant = world.merchants[world.default_merchant_id]
        targets: list[tuple[Subscription | None, str, str, str | None]] = [
            (None, to, merchant.merchant_id, world.default_app_id)]
    else:
        targets = [(s, s.address, s.merchant_id, s.app_id) for s in world.active_for(name)]
    now = world.clock.now()
    events: dict[str, _Event] = {}  # one event per merchant: its subscriptions share it
    for _, _, merchant_id, _ in targets:
        if merchant_id not in events:
            events[merchant_id] = _openapi_event(world, name, now, content, made, merchant_id)
    queued = []
    for sub, address, merchant_id, app_id in targets:
        event = events[merchant_id]
        timestamp = str(int(now))
        headers = {"Content-Type": "application/json", signing.TIMESTAMP_HEADER: timestamp}
        app = world.apps.get(app_id) if app_id else None
        # Only app webhooks are signed (reference A): a merchant token has no secret to sign with.
        url = (_with_sign(address, signing.open_api_sign_canonical(app.app_secret, timestamp, event.canonical))
               if app else address)
        trace_id = event.trace_id
        meta = {"flavour": OPENAPI, "topic": name, "merchant_id": merchant_id, "trace_id": trace_id,
                "subscription_id": sub.id if sub else None, **_meta(made)}
        delivery = store.webhooks.enqueue(OPENAPI_PLATFORM, url, event.body, headers, event=name, meta=meta)
        queued.append({"id": delivery.id, "url": url, "subscription_id": meta["subscription_id"],
                       "merchant_id": merchant_id, **({"trace_id": trace_id} if trace_id else {}), **_meta(made)})
    return queued


def global_headers(shop: Shop, topic: str, body: bytes, api_version: str, webhook_id: str) -> dict[str, str]:
    """Every X-Shopline-* header of seed 002, in its order; the signature in the shop's encoding."""
    return {"Content-Type": "application/json",
            "X-Shopline-Topic": topic,
            signing.HMAC_HEADER: signing.global_sign(shop.app_secret, body, shop.signature_encoding),  # type: ignore[arg-type]
            "X-Shopline-Shop-Domain": shop.domain,
            "X-Shopline-Shop-Id": shop.shop_id,
            "X-Shopline-Merchant-Id": shop.merchant_id,
            "X-Shopline-API-Version": api_version,
            "X-Shopline-Webhook-Id": webhook_id}


def emit_global(store: Any, world: ShoplineWorld, topic: str, content: Content,
                to: str | None = None) -> list[dict[str, Any]]:
    """Queue a global-flavour `topic` to every subscription of it, or to `to` alone (default shop).

    Raises topics.UnknownTopic / payloads.NotVerbatim before anything is queued."""
    made = payloads.global_source(topic, generate=content.generate, verbatim=content.verbatim, seed=content.seed)
    if made.kind == payloads.VERBATIM and content.overrides:
        raise payloads.NotVerbatim("verbatim sends the documented example as it is: overrides cannot apply")
    if made.seed is not None and content.seed is None:
        made = replace(made, seed=_seed(world, content))
    if to is not None:
        targets: list[tuple[GlobalSubscription | None, str, str, str]] = [
            (None, to, world.default_shop_id, DEFAULT_API_VERSION)]
    else:
        targets = [(s, s.address, s.shop_id, s.api_version) for s in world.global_for(topic)]
    now = world.clock.now()
    bodies: dict[str, bytes] = {}
    for _, _, shop_id, _ in targets:
        if shop_id not in bodies:
            shop = world.shops[shop_id]  # the order belongs to the shop it is sent for
            bodies[shop_id] = _compact(payloads.build_global(
                topic, overrides=content.overrides, vary=world.rng, now=now, shop_id=shop_id,
                shop_domain=shop.domain, made=made))
    queued = []
    for sub, address, shop_id, api_version in targets:
        shop = world.shops[shop_id]
        # The message id: fixed here, so every resend of this delivery carries the same one (seed 002).
        webhook_id = world.hex_id()
        headers = global_headers(shop, topic, bodies[shop_id], api_version, webhook_id)
        meta = {"flavour": GLOBAL, "topic": topic, "shop_id": shop_id, "webhook_id": webhook_id,
                "subscription_id": sub.id if sub else None, **_meta(made)}
        delivery = store.webhooks.enqueue(GLOBAL_PLATFORM, address, bodies[shop_id], headers, event=topic, meta=meta)
        queued.append({"id": delivery.id, "url": address, "subscription_id": meta["subscription_id"],
                       "shop_id": shop_id, "webhook_id": webhook_id, **_meta(made)})
    return queued


# ---- endpoint verification (Open API) -----------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    """What the handshake needs, read under the store's lock; the POST itself runs without it."""

    address: str
    expected: str  # base64 of the app id (app token) or of the merchant id (merchant token)
    what: str  # "app id" | "merchant id", for the error message
    app_secret: str | None
    timestamp: int
    timeout: float


def verification_for(world: ShoplineWorld, token: Any, address: str) -> Verification:
    app = world.apps.get(token.app_id) if token.kind == APP_TOKEN and token.app_id else None
    return Verification(address=address, expected=world.verification_answer(token),
                        what="app id" if app else "merchant id", app_secret=app.app_secret if app else None,
                        timestamp=int(world.clock.now()), timeout=world.settings.verification_timeout)


def verify_endpoint(check: Verification, engine: WebhookEngine) -> str | None:
    """POST {"topic":"webhook/verification"} to the address; None when it answered 2xx with the
    expected plain text (surrounding whitespace ignored), else why not.

    A direct HTTP call with a short timeout, made outside the store's lock: a receiver that calls
    the sandbox while it verifies must not wait for the request that is verifying it. The exchange
    goes into the engine's delivery log; the reason given to the caller never quotes the target's
    answer (whoever holds platform credentials must not read other hosts' pages through it), it
    names the logged delivery, which the admin API shows whole."""
    body = _compact(VERIFICATION_BODY)
    headers = {"Content-Type": "application/json", signing.TIMESTAMP_HEADER: str(check.timestamp)}
    url = check.address
    if check.app_secret is not None:  # signed like every app webhook
        url = _with_sign(url, signing.open_api_sign(check.app_secret, check.timestamp, VERIFICATION_BODY))
    with run_gate.released():  # the receiver may call the sandbox while it verifies
        result = delivery_http.post(url, headers, body, check.timeout)
    answered = result.error is None and result.status is not None and 200 <= result.status < 300
    ok = answered and result.excerpt.strip() == check.expected
    delivery_id = engine.record(OPENAPI_PLATFORM, url, body, headers, result, ok, float(check.timestamp),
                                event=VERIFICATION_BODY["topic"], meta={"verification": True})
    if ok:
        return None
    logged = f"; see delivery {delivery_id} in the sandbox's delivery log"
    if result.error is not None:
        return f"the verification request failed ({result.error}){logged}"
    if not answered:
        return f"the endpoint answered the verification with HTTP {result.status}{logged}"
    return f"the endpoint did not answer the verification with the base64 of the {check.what}{logged}"
