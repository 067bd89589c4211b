"""ShoplineReceiverSuite, both flavours: a correct receiver passes; each broken one is caught by its check."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from urllib.parse import parse_qs

import pytest

from mockserver.contract_suites.receiver_report import ReceiverContractError
from mockserver.contract_suites.shopline_receiver import ShoplineReceiverSuite, documented_topics

FEW_TOPICS = ("order/update", "order/create", "product/update")


def canonical(document) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class ShoplineReceiver:
    """A correct receiver for both flavours on one path. Open API: answers the handshake with
    base64(app id), checks `sign` = HMAC(app secret, "<timestamp>:<canonical body>"), dedupes on
    trace_id. Global: only its own shop, X-Shopline-Hmac-Sha256 over the raw body (hex or base64),
    dedupes on X-Shopline-Webhook-Id. Keeps each order's newest status by updated_at."""

    def __init__(self, app_id: str, app_secret: str, shop_id: str, shop_secret: str) -> None:
        self.app_id, self.app_secret = app_id, app_secret.encode()
        self.shop_id, self.shop_secret = shop_id, shop_secret.encode()
        self.events: list[dict] = []
        self.orders: dict[str, tuple[str, str]] = {}  # id -> (updated_at, status)
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def wsgi_app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if "HTTP_X_SHOPLINE_TOPIC" in environ:
            identity = self.global_identity(environ, body)
        else:
            identity = self.openapi_identity(environ, body)
        if identity is None:
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"forged"]
        document = json.loads(body)
        if document.get("topic") == "webhook/verification":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [base64.b64encode(self.app_id.encode())]
        self.take(identity, document)
        return self.answer(start_response, document)

    def openapi_identity(self, environ, body: bytes) -> str | None:
        sign = parse_qs(environ.get("QUERY_STRING", "")).get("sign", [""])[0]
        stamp = environ.get("HTTP_X_SHOPLINE_DEVELOPER_EVENT_TIMESTAMP")
        document = json.loads(body)
        message = f"{stamp}:{canonical(document)}".encode()
        if not self.authentic(self.app_secret, message, sign, hex_only=True):
            return None
        return "openapi:" + str(document.get("trace_id"))

    def global_identity(self, environ, body: bytes) -> str | None:
        if not self.own_shop(environ.get("HTTP_X_SHOPLINE_SHOP_ID")):
            return None
        if not self.authentic(self.shop_secret, body, environ.get("HTTP_X_SHOPLINE_HMAC_SHA256", "")):
            return None
        return "global:" + environ.get("HTTP_X_SHOPLINE_WEBHOOK_ID", "")

    def own_shop(self, shop_id: str | None) -> bool:
        return shop_id == self.shop_id

    @staticmethod
    def authentic(secret: bytes, message: bytes, signature: str, hex_only: bool = False) -> bool:
        digest = hmac.new(secret, message, hashlib.sha256).digest()
        return hmac.compare_digest(digest.hex(), signature) or (
            not hex_only and hmac.compare_digest(base64.b64encode(digest).decode(), signature))

    def take(self, identity: str, document: dict) -> None:
        with self._lock:
            if not self.fresh(identity):
                return
            self.events.append(document)
            order = document.get("resource", document)
            if "status" in order and "updated_at" in order and "id" in order:
                if order["updated_at"] >= self.orders.get(str(order["id"]), ("", ""))[0]:
                    self.orders[str(order["id"])] = (order["updated_at"], order["status"])

    def fresh(self, identity: str) -> bool:
        new = identity not in self._seen
        self._seen.add(identity)
        return new

    def answer(self, start_response, document):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def current(self, order_id: str) -> str | None:
        return self.orders.get(order_id, ("", None))[1]


@pytest.fixture
def make_receiver(shopline_app):
    def make(cls=ShoplineReceiver):
        return cls(shopline_app.app_id, shopline_app.app_secret, shopline_app.shop_id, shopline_app.shop_secret)
    return make


def run_suite(shop_sandbox, shopline_app, receiver, flavour, **options):
    options.setdefault("settle", 0)
    options.setdefault("max_examples", 1)
    options.setdefault("topics", FEW_TOPICS if flavour == "openapi" else ("orders/updated", "orders/paid"))
    suite = ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour, **options)
    from mockserver.testing import serve_wsgi

    with serve_wsgi(receiver.wsgi_app) as url:
        return suite.run(url + "/shopline", processed=lambda: receiver.events, current=receiver.current,
                         raise_on_failure=False)


@pytest.mark.parametrize("flavour", ["openapi", "global"])
def test_a_correct_receiver_passes_every_check_for_every_topic(shop_sandbox, shopline_app, make_receiver, flavour):
    from mockserver.testing import serve_wsgi

    receiver = make_receiver()
    with serve_wsgi(receiver.wsgi_app) as url:
        report = ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour=flavour).run(
            url + "/shopline", processed=lambda: receiver.events, current=receiver.current)
    assert report.passed and report.examples == 2
    assert report.subjects("delivered") == sorted(documented_topics(flavour))
    assert len(report.subjects("delivered")) == (47 if flavour == "openapi" else 7)
    forged = {c.name for c in report.checks if c.name.startswith("forged/")}
    assert forged == ({"forged/wrong_signature", "forged/missing_signature", "forged/tampered_body",
                       "forged/changed_timestamp", "forged/missing_timestamp", "forged/other_app_secret"}
                      if flavour == "openapi" else
                      {"forged/wrong_signature", "forged/missing_signature", "forged/tampered_body",
                       "forged/other_shop_secret", "forged/other_shop_headers"})
    assert {"duplicate/replay", "duplicate/repost", "out_of_order/current", "processed_once"} <= {
        c.name for c in report.checks}
    assert set(report.rejections) == {401}
    assert report.timings()["deliveries"]["max_ms"] < report.timeout * 1000


def test_one_receiver_passes_both_flavours_in_turn_on_one_url(shop_sandbox, shopline_app, make_receiver):
    from mockserver.testing import serve_wsgi

    receiver = make_receiver()
    with serve_wsgi(receiver.wsgi_app) as url:
        for flavour, topics in (("openapi", FEW_TOPICS), ("global", ("orders/updated",)), ("openapi", FEW_TOPICS)):
            report = ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour, topics=topics, max_examples=1).run(
                url + "/shopline", processed=lambda: receiver.events, current=receiver.current)
            assert report.passed  # what the earlier runs left in processed() is not this run's
    # The third run subscribed again (its handshake is checked), in place of the first run's
    # subscription: one owner cannot subscribe one address to the same topic twice.
    assert len(shopline_app.subscriptions()["openapi"]) == 1


def test_the_global_suite_checks_base64_signatures_when_the_shop_uses_them(shop_sandbox, shopline_app, make_receiver):
    shop_sandbox.admin.post(f"/shopline/shops/{shopline_app.shop_id}", {"signature_encoding": "base64"})
    report = run_suite(shop_sandbox, shopline_app, make_receiver(), "global")
    assert report.passed, report.failure_message()
    delivered = shop_sandbox.deliveries(platform="shopline-global", status="succeeded")
    headers = shop_sandbox.admin.get(f"/deliveries/{delivered[0]['id']}")["headers"]
    assert len(headers["X-Shopline-Hmac-Sha256"]) == 44  # base64 of 32 bytes


class AcceptsAnySignature(ShoplineReceiver):
    @staticmethod
    def authentic(secret, message, signature, hex_only=False):
        return True


class ProcessesDuplicates(ShoplineReceiver):
    def fresh(self, identity):
        return True


class IgnoresTheShopHeader(ShoplineReceiver):
    def own_shop(self, shop_id):
        return True


class TriesEverySecret(ShoplineReceiver):
    """Knows several shops' secrets and accepts whatever any of them verifies."""

    def __init__(self, *args, other_secrets=()):
        super().__init__(*args)
        self.others = [s.encode() for s in other_secrets]

    def authentic(self, secret, message, signature, hex_only=False):
        return any(ShoplineReceiver.authentic(s, message, signature, hex_only) for s in [secret, *self.others])


class LastWriteWins(ShoplineReceiver):
    def take(self, identity, document):
        super().take(identity, document)
        order = document.get("resource", document)
        if "status" in order and "id" in order:
            self.orders[str(order["id"])] = ("", order["status"])


class SlowOnOrderCreate(ShoplineReceiver):
    def answer(self, start_response, document):
        if document.get("topic") == "order/create":
            time.sleep(1.5)
        return super().answer(start_response, document)


class Answers500(ShoplineReceiver):
    def answer(self, start_response, document):
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        return [b"database down"]


class WrongHandshake(ShoplineReceiver):
    def wsgi_app(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]


def failed_names(report) -> set[str]:
    return {c.name for c in report.failures}


@pytest.mark.parametrize("flavour", ["openapi", "global"])
def test_a_receiver_that_accepts_any_signature_fails_the_forgery_checks(shop_sandbox, shopline_app, make_receiver,
                                                                         flavour):
    report = run_suite(shop_sandbox, shopline_app, make_receiver(AcceptsAnySignature), flavour)
    expected = ({"forged/wrong_signature", "forged/missing_signature", "forged/tampered_body",
                 "forged/changed_timestamp", "forged/missing_timestamp", "forged/other_app_secret"}
                if flavour == "openapi" else
                {"forged/wrong_signature", "forged/missing_signature", "forged/tampered_body",
                 "forged/other_shop_secret"})
    assert failed_names(report) - {"processed_unexpected"} == expected


@pytest.mark.parametrize("flavour", ["openapi", "global"])
def test_a_receiver_that_processes_duplicates_fails_the_duplicate_checks(shop_sandbox, shopline_app, make_receiver,
                                                                          flavour):
    report = run_suite(shop_sandbox, shopline_app, make_receiver(ProcessesDuplicates), flavour)
    assert failed_names(report) == {"duplicate/replay", "duplicate/repost"}


def test_a_global_receiver_that_ignores_the_shop_header_fails_only_that_forgery(shop_sandbox, shopline_app,
                                                                               make_receiver):
    report = run_suite(shop_sandbox, shopline_app, make_receiver(IgnoresTheShopHeader), "global")
    assert failed_names(report) == {"forged/other_shop_headers"}


def test_a_global_receiver_that_tries_every_secret_it_knows_fails_the_other_shop_secret_check(shop_sandbox,
                                                                                             shopline_app):
    others = [s["app_secret"] for s in shopline_app.credentials["global"]["shops"]
              if s["shop_id"] != shopline_app.shop_id]
    receiver = TriesEverySecret(shopline_app.app_id, shopline_app.app_secret, shopline_app.shop_id,
                                shopline_app.shop_secret, other_secrets=others)
    report = run_suite(shop_sandbox, shopline_app, receiver, "global")
    assert failed_names(report) == {"forged/other_shop_secret"}


@pytest.mark.parametrize("flavour", ["openapi", "global"])
def test_a_receiver_where_the_last_update_wins_fails_the_out_of_order_check(shop_sandbox, shopline_app,
                                                                            make_receiver, flavour):
    report = run_suite(shop_sandbox, shopline_app, make_receiver(LastWriteWins), flavour)
    assert failed_names(report) == {"out_of_order/current"}
    assert "(the newest)" in report.failed("out_of_order/current")[0].expected


def test_a_receiver_slower_than_the_platform_timeout_fails_delivered(shop_sandbox, shopline_app, make_receiver):
    # 0.6 s: far beyond a loopback answer even on a loaded CI box, far below the slow one's 1.5 s.
    shopline_app.settings(openapi_timeout_seconds=0.6)
    report = run_suite(shop_sandbox, shopline_app, make_receiver(SlowOnOrderCreate), "openapi")
    late = report.failed("delivered")
    assert [c.subject for c in late] == ["order/create"] and "no answer within 0.6 s (timeout)" in late[0].got
    assert failed_names(report) <= {"delivered", "duplicate/repost", "forged/tampered_body"}


def test_a_receiver_answering_500_fails_delivered_and_the_error_shows_it(shop_sandbox, shopline_app, make_receiver):
    from mockserver.testing import serve_wsgi

    receiver = make_receiver(Answers500)
    with serve_wsgi(receiver.wsgi_app) as url:
        with pytest.raises(ReceiverContractError) as raised:
            ShoplineReceiverSuite(shop_sandbox, shopline_app, "global", topics=["orders/paid"], max_examples=1,
                                  settle=0).run(url + "/shopline", processed=lambda: receiver.events)
    report = raised.value.report
    assert {c.name for c in report.failures} == {"delivered"}  # no orders/updated: no out-of-order pair
    message = str(raised.value)
    assert "delivered: 1 failed" in message and "orders/paid" in message
    assert "HTTP 500 'database down'" in message and "X-Shopline-Webhook-Id:" in message


def test_a_receiver_that_fails_the_handshake_stops_the_open_api_suite(shop_sandbox, shopline_app, make_receiver):
    report = run_suite(shop_sandbox, shopline_app, make_receiver(WrongHandshake), "openapi")
    assert [c.name for c in report.failures] == ["handshake"] and len(report.checks) == 1
    assert "base64 of the app id" in report.failures[0].got


def test_unknown_topics_and_flavours_are_refused_before_anything_is_sent(shop_sandbox, shopline_app):
    with pytest.raises(ValueError, match="no openapi payload for"):
        ShoplineReceiverSuite(shop_sandbox, shopline_app, topics=["tax/create"])
    with pytest.raises(ValueError, match="flavour is one of"):
        ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour="shopify")
    assert shop_sandbox.deliveries() == []
