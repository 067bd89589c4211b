"""ShoplineReceiverSuite: the contract of a SHOPLINE webhook receiver, either flavour, checked against
the sandbox. It subscribes the receiver (Open API: the endpoint-verification handshake), makes the
sandbox send every topic with real signatures and headers, then replays, forges and reorders.

    with serve_wsgi(receiver.wsgi_app) as url:
        ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour="openapi").run(
            url + "/shopline", processed=lambda: receiver.events)

Event identity (what a duplicate shares): the envelope's trace_id (Open API; a resend keeps it) and
the X-Shopline-Webhook-Id header (global; "receivers dedupe on X-Shopline-Webhook-Id").
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mockserver.contract_suites.receiver_checks import ReceiverRun
from mockserver.contract_suites.receiver_common import (
    Current,
    Drawer,
    Processed,
    ProcessedLedger,
    Webhook,
    compact,
    explore,
    leaf_paths,
    path_text,
    reordered,
    tampered,
)
from mockserver.contract_suites.receiver_report import ReceiverReport
from mockserver.shopline import emitter, payloads, signing, topics
from mockserver.shopline.subscriptions import DEFAULT_API_VERSION, Shop, iso_local, iso_z

OPENAPI_ORDER_TOPIC, GLOBAL_ORDER_TOPIC = "order/update", "orders/updated"
OPENAPI_STATUSES = ("pending", "confirmed", "completed")  # seed 004's order statuses, in life order
GLOBAL_STATUSES = ("open", "cancelled")  # seed 002: "open-处理中, cancelled-已取消"


def documented_topics(flavour: str) -> tuple[str, ...]:
    """Every topic the sandbox can send for the flavour (one with a documented payload)."""
    if flavour == emitter.OPENAPI:
        return tuple(name for name, topic in topics.TOPICS.items() if topic.documented)
    return topics.GLOBAL_ORDER_BODY_TOPICS


def _replace_query(url: str, **params: str | None) -> str:
    """url with query parameters set (None removes one), the others kept in order."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


class OpenApiFlavour:
    """Open API app webhooks: `sign` query parameter over timestamp:canonical body, trace_id identity."""

    title = "SHOPLINE Open API webhook receiver"
    platform = emitter.OPENAPI_PLATFORM
    empty_body = False
    shown_headers = (signing.TIMESTAMP_HEADER,)

    def __init__(self, address: str, app_secret: str, timeout: float) -> None:
        self.address = address
        self.app_secret = app_secret
        self.timeout = timeout

    def subject(self, webhook: Webhook) -> str:
        return str(webhook.document().get("topic"))

    def identity(self, webhook: Webhook) -> str:
        return str(webhook.document().get("trace_id"))

    def ignored(self, document: Any) -> bool:
        return isinstance(document, dict) and document.get("topic") == emitter.VERIFICATION_BODY["topic"]

    def webhook(self, document: dict[str, Any], timestamp: int, secret: str | None = None) -> Webhook:
        """Signed as the sandbox signs (signing.open_api_sign), by the app's secret unless given."""
        sign = signing.open_api_sign(secret or self.app_secret, timestamp, document)
        return Webhook(str(document.get("topic")), _replace_query(self.address, sign=sign),
                       {"Content-Type": "application/json", signing.TIMESTAMP_HEADER: str(timestamp)},
                       compact(document))

    def forgeries(self, webhook: Webhook, drawer: Drawer) -> list[tuple[str, Webhook, str]]:
        document = webhook.document()
        path = drawer.pick(leaf_paths(document))
        stamp = webhook.header(signing.TIMESTAMP_HEADER) or "0"
        without_stamp = {k: v for k, v in webhook.headers.items() if k.lower() != signing.TIMESTAMP_HEADER.lower()}
        moved = str(int(stamp) + drawer.integer(1, 86400))
        other_sign = signing.open_api_sign(drawer.token(32), stamp, document)
        return [
            ("wrong_signature", webhook.replace(url=_replace_query(webhook.url, sign=drawer.token(32))),
             "sign replaced by 64 random hex digits"),
            ("missing_signature", webhook.replace(url=_replace_query(webhook.url, sign=None)), "no sign parameter"),
            ("tampered_body", webhook.replace(body=compact(tampered(document, path))),
             f"body field {path_text(path)} changed, the original sign kept"),
            ("changed_timestamp", webhook.replace(headers={**without_stamp, signing.TIMESTAMP_HEADER: moved}),
             f"{signing.TIMESTAMP_HEADER} changed to {moved}, the original sign kept"),
            ("missing_timestamp", webhook.replace(headers=without_stamp), f"no {signing.TIMESTAMP_HEADER} header"),
            ("other_app_secret", webhook.replace(url=_replace_query(webhook.url, sign=other_sign)),
             "signed the SHOPLINE way with a secret that is not the app's"),
        ]


class GlobalFlavour:
    """Global (shopline.com) webhooks: X-Shopline-Hmac-Sha256 over the raw body, X-Shopline-Webhook-Id."""

    title = "SHOPLINE global webhook receiver"
    platform = emitter.GLOBAL_PLATFORM
    empty_body = False
    shown_headers = ("X-Shopline-Topic", signing.HMAC_HEADER, "X-Shopline-Shop-Id", "X-Shopline-Webhook-Id")

    def __init__(self, address: str, shop: Shop, other: Shop, timeout: float) -> None:
        self.address = address
        self.shop = shop
        self.other = other  # a shop the receiver is not set up for
        self.timeout = timeout

    def subject(self, webhook: Webhook) -> str:
        return str(webhook.header("X-Shopline-Topic"))

    def identity(self, webhook: Webhook) -> str:
        return str(webhook.header("X-Shopline-Webhook-Id"))

    def ignored(self, document: Any) -> bool:
        return False

    def webhook(self, topic: str, document: dict[str, Any], webhook_id: str) -> Webhook:
        """Headers and signature by the sandbox's own emitter.global_headers."""
        body = compact(document)
        headers = emitter.global_headers(self.shop, topic, body, DEFAULT_API_VERSION, webhook_id)
        return Webhook(topic, self.address, headers, body)

    def forgeries(self, webhook: Webhook, drawer: Drawer) -> list[tuple[str, Webhook, str]]:
        """Each shop has its own secret in the sandbox: a delivery naming this shop signed with another
        shop's secret is forged, and so is one naming another shop signed with this shop's."""
        document = webhook.document()
        path = drawer.pick(leaf_paths(document))
        unsigned = {k: v for k, v in webhook.headers.items() if k.lower() != signing.HMAC_HEADER.lower()}
        shop, other = self.shop, self.other
        random_signature = signing.global_sign(drawer.token(32), webhook.body, shop.signature_encoding)  # type: ignore[arg-type]
        other_secret = signing.global_sign(other.app_secret, webhook.body, shop.signature_encoding)  # type: ignore[arg-type]
        own_secret = signing.global_sign(shop.app_secret, webhook.body, shop.signature_encoding)  # type: ignore[arg-type]
        as_other = {**unsigned, "X-Shopline-Shop-Domain": other.domain, "X-Shopline-Shop-Id": other.shop_id,
                    "X-Shopline-Merchant-Id": other.merchant_id}
        return [
            ("wrong_signature", webhook.replace(headers={**unsigned, signing.HMAC_HEADER: random_signature}),
             f"{signing.HMAC_HEADER} replaced by a random digest"),
            ("missing_signature", webhook.replace(headers=unsigned), f"no {signing.HMAC_HEADER} header"),
            ("tampered_body", webhook.replace(body=compact(tampered(document, path))),
             f"body field {path_text(path)} changed, the original {signing.HMAC_HEADER} kept"),
            ("other_shop_secret", webhook.replace(headers={**unsigned, signing.HMAC_HEADER: other_secret}),
             f"signed with the secret of shop {other.shop_id}, not this shop's"),
            ("other_shop_headers", webhook.replace(headers={**as_other, signing.HMAC_HEADER: own_secret}),
             f"X-Shopline-Shop-* of shop {other.shop_id} ({other.domain}), signed with this shop's secret"),
        ]


def _shop(view: dict[str, Any]) -> Shop:
    return Shop(shop_id=view["shop_id"], handle=view["handle"], merchant_id=view["merchant_id"], name=view["name"],
                app_secret=view["app_secret"], token=view["access_token"],
                signature_encoding=view.get("signature_encoding", signing.DEFAULT_GLOBAL_ENCODING))


class ShoplineReceiverSuite:
    """The SHOPLINE webhook contract of one flavour ("openapi" or "global"), checked on a receiver URL.

    topics: the topics to subscribe and send (default: every topic the sandbox documents a payload
    for: 47 Open API topics, 7 global order topics). max_examples: Hypothesis examples (each sends
    every topic in a drawn order, each payload the fixture or generated from a drawn seed, then
    duplicates, forgeries and an out-of-order order update). settle: seconds processed() may take
    to show a delivered webhook. Timeouts are the sandbox's (shopline_app.settings(...) changes them).
    """

    def __init__(self, sandbox: Any, app: Any, flavour: str = emitter.OPENAPI, *, topics: Iterable[str] | None = None,
                 max_examples: int = 2, settle: float = 1.0) -> None:
        if flavour not in emitter.FLAVOURS:
            raise ValueError(f"flavour is one of {', '.join(emitter.FLAVOURS)}")
        self.sandbox = sandbox
        self.app = app
        self.flavour_name = flavour
        sendable = documented_topics(flavour)
        self.topics = tuple(sendable if topics is None else topics)
        unknown = [t for t in self.topics if t not in sendable]
        if unknown:
            raise ValueError(f"the sandbox sends no {flavour} payload for {unknown}; "
                             f"choose among {', '.join(sendable)}")
        self.max_examples = max_examples
        self.settle = settle

    def run(self, url: str, processed: Processed, current: Current | None = None, *,
            raise_on_failure: bool = True) -> ReceiverReport:
        """Check the receiver at url. processed(): the webhook bodies (parsed JSON) it acted on, after
        its own de-duplication; current(order_id) (optional): the order status it holds now (Open API:
        resource.id / resource.status; global: id / status). Returns the report; raises
        ReceiverContractError listing every failed check unless raise_on_failure=False."""
        settings = self.app.settings()
        if self.flavour_name == emitter.OPENAPI:
            flavour: Any = OpenApiFlavour(url, self.app.app_secret, settings["openapi_timeout_seconds"])
        else:
            shops = self.app.credentials["global"]["shops"]
            mine = _shop(next(s for s in shops if s["shop_id"] == self.app.shop_id))
            # A shop the receiver is not set up for: another of the world's, or a made-up one.
            other = next((_shop(s) for s in shops if s["shop_id"] != mine.shop_id),
                         Shop(str(10**12 + 1), "elsewhere", "1", "Elsewhere", "not-" + mine.app_secret, ""))
            flavour = GlobalFlavour(url, mine, other, settings["global_timeout_seconds"])
        report = ReceiverReport(flavour.title, url, timeout=flavour.timeout)
        run = ReceiverRun(self.sandbox, url, flavour, ProcessedLedger(processed, flavour.ignored, self.settle),
                          current, report)
        run.mark_seen()
        if self._subscribe(run):
            report.examples = explore(lambda drawer, index: self._example(run, drawer), self.max_examples)
            sent = set(report.subjects("delivered"))
            for topic in self.topics:
                report.add("coverage", topic, topic in sent, expected="the sandbox sent this topic at least once",
                           got="none was sent")
        return report.raise_for_failures() if raise_on_failure else report

    def _subscribe(self, run: ReceiverRun) -> bool:
        """Open API: one subscription for every topic, after the endpoint-verification handshake (an
        earlier run's subscription of this URL is deleted first: SHOPLINE refuses a second one for
        the same address and topic, and the handshake is part of every run's checks).
        Global: one subscription per topic not subscribed to this URL yet."""
        names = list(self.topics)
        if self.flavour_name == emitter.GLOBAL:
            held = {s["topic"] for s in self.app.subscriptions()["global"] if s["address"] == run.url}
            names = [t for t in names if t not in held]
        else:
            for sub in self.app.subscriptions()["openapi"]:
                if sub["address"] == run.url and sub["app_id"] == self.app.app_id \
                        and sub["merchant_id"] == self.app.merchant_id:
                    self.app.openapi.delete_webhook(sub["id"])
        error = ""
        if names:
            try:
                self.app.subscribe(run.url, names, flavour=self.flavour_name)
            except AssertionError as exc:
                error = str(exc)
        if self.flavour_name == emitter.OPENAPI:
            return run.report.add("handshake", "webhook/verification", not error,
                                  sent='POST /v1/webhooks, so SHOPLINE POSTs {"topic":"webhook/verification"}',
                                  expected=f"a 2xx whose body is base64 of the app id ({self.app.handshake_answer})",
                                  got=error or "accepted")
        return run.report.add("subscribed", "webhooks.json", not error, sent="POST webhooks.json per topic",
                              expected="the subscriptions created", got=error or "created")

    def _example(self, run: ReceiverRun, drawer: Drawer) -> None:
        global_ = self.flavour_name == emitter.GLOBAL
        for topic in drawer.permutation(self.topics):
            generate = drawer.pick((False, True))
            self.app.trigger(topic, flavour=self.flavour_name, generate=generate,
                             seed=drawer.integer(0, 2**31) if generate else None, flush=False)
        run.exercise(drawer)
        order_topic = GLOBAL_ORDER_TOPIC if global_ else OPENAPI_ORDER_TOPIC
        if order_topic in self.topics:
            self._out_of_order(run, drawer)

    def _out_of_order(self, run: ReceiverRun, drawer: Drawer) -> None:
        """One order's updates, each later (updated_at, ts) than the one before, the newest not sent last.
        Ids are fresh (uuid4), not drawn: a second run in the same test must not repeat an event."""
        times = [float(self.sandbox.clock.now())]
        for _ in range(2):
            times.append(times[-1] + drawer.integer(1, 600))
        flavour = run.flavour
        if isinstance(flavour, OpenApiFlavour):
            order_id, statuses = uuid.uuid4().hex[:24], OPENAPI_STATUSES[:drawer.integer(2, 3)]
            merchant = self.app.credentials["openapi"]
            events = [flavour.webhook(payloads.build(
                OPENAPI_ORDER_TOPIC, at, trace_id=str(uuid.uuid4()), merchant_id=merchant["merchant_id"],
                merchant_handle=merchant["merchant_handle"],
                overrides={"_id": order_id, "id": order_id, "status": status, "updated_at": iso_z(at)}), int(at))
                for status, at in zip(statuses, times[:len(statuses)], strict=True)]
        else:
            order_id, statuses = str(10**19 + uuid.uuid4().int % (9 * 10**19)), GLOBAL_STATUSES
            events = [flavour.webhook(GLOBAL_ORDER_TOPIC, payloads.build_global(GLOBAL_ORDER_TOPIC, overrides={
                "id": order_id, "status": status, "updated_at": iso_local(at), "store_id": flavour.shop.shop_id}),
                uuid.uuid4().hex[:24]) for status, at in zip(statuses, times[:len(statuses)], strict=True)]
        run.check_out_of_order(events, reordered(len(events), drawer), order_id, list(statuses))
