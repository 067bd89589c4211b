"""ShopeePushReceiverSuite: a correct receiver passes; each broken receiver is caught by its own check."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time

import pytest

from mockserver.contract_suites.receiver_report import ReceiverContractError
from mockserver.contract_suites.shopee_push_receiver import ShopeePushReceiverSuite
from mockserver.testing import serve_wsgi


class ShopeeReceiver:
    """A correct receiver: checks Authorization (partner key over callback URL|body), keeps each
    push once (Shopee has no push id: the body is the identity), keeps the newest order status by
    update_time, answers 200 with an empty body."""

    def __init__(self, partner_key: str) -> None:
        self.partner_key = partner_key.encode()
        self.events: list[dict] = []
        self.status: dict[str, tuple[int, str]] = {}
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def wsgi_app(self, environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if not self.authentic(self.url_of(environ), body, environ.get("HTTP_AUTHORIZATION", "")):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"bad signature"]
        self.take(json.loads(body), body)
        return self.answer(start_response)

    @staticmethod
    def url_of(environ) -> str:
        query = environ.get("QUERY_STRING")
        url = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
        return url + (f"?{query}" if query else "")

    def authentic(self, url: str, body: bytes, signature: str) -> bool:
        expected = hmac.new(self.partner_key, url.encode() + b"|" + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def fresh(self, body: bytes) -> bool:
        identity = hashlib.sha256(body).hexdigest()
        new = identity not in self._seen
        self._seen.add(identity)
        return new

    def take(self, push: dict, body: bytes) -> None:
        with self._lock:
            if not self.fresh(body):
                return
            self.events.append(push)
            if push.get("code") == 3:
                data = push["data"]
                if data["update_time"] >= self.status.get(data["ordersn"], (0, ""))[0]:
                    self.status[data["ordersn"]] = (data["update_time"], data["status"])

    def answer(self, start_response):
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]

    def current(self, order_sn: str) -> str | None:
        return self.status.get(order_sn, (0, None))[1]


class PushKeyReceiver(ShopeeReceiver):
    """For an app whose console issued a push key: HMAC(push key, body), no URL."""

    def authentic(self, url, body, signature):
        expected = hmac.new(self.partner_key, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)


class AcceptsAnySignature(ShopeeReceiver):
    def authentic(self, url, body, signature):
        return True


class ProcessesDuplicates(ShopeeReceiver):
    def fresh(self, body):
        return True


class LastWriteWins(ShopeeReceiver):
    """Ignores update_time: the push that arrives last sets the status."""

    def take(self, push, body):
        super().take(push, body)
        if push.get("code") == 3:
            self.status[push["data"]["ordersn"]] = (0, push["data"]["status"])


class Answers500(ShopeeReceiver):
    def answer(self, start_response):
        start_response("500 Internal Server Error", [("Content-Length", "0")])
        return [b""]


class AnswersWithABody(ShopeeReceiver):
    def answer(self, start_response):
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"received": true}']


class SlowOnTrackingNumbers(ShopeeReceiver):
    """Answers code 4 after Shopee's 3 s (the verification and every other push in time)."""

    def take(self, push, body):
        super().take(push, body)
        if push.get("code") == 4:
            time.sleep(3.3)


def canonical(document) -> str:
    return json.dumps(document, sort_keys=True)


def run_suite(shop_sandbox, shopee_shop, receiver, **options):
    options.setdefault("settle", 0)
    suite = ShopeePushReceiverSuite(shop_sandbox, shopee_shop, **options)
    with serve_wsgi(receiver.wsgi_app) as url:
        return suite.run(url, processed=lambda: receiver.events, current=receiver.current, raise_on_failure=False)


def test_a_correct_receiver_passes_every_check_for_every_push_code(shop_sandbox, shopee_shop):
    receiver = ShopeeReceiver(shopee_shop.partner_key)
    with serve_wsgi(receiver.wsgi_app) as url:
        report = ShopeePushReceiverSuite(shop_sandbox, shopee_shop).run(
            url, processed=lambda: receiver.events, current=receiver.current)
    assert report.passed, report.failure_message()
    assert set(report.subjects("delivered")) == {
        "code 1 shop_authorization_push", "code 2 shop_authorization_canceled_push", "code 3 order_status_push",
        "code 4 order_trackingno_push", "code 12 open_api_authorization_expiry"}
    names = {c.name for c in report.checks}
    assert {"verification", "delivered", "empty_body", "processed_once", "duplicate/replay", "duplicate/repost",
            "forged/wrong_signature", "forged/missing_signature", "forged/tampered_body", "forged/other_key",
            "forged/other_callback_url", "out_of_order/accepted", "out_of_order/newest_processed",
            "out_of_order/current", "coverage"} <= names
    assert report.examples == 5 and set(report.rejections) == {401}
    # Every push the sandbox sent to the receiver was processed once, whatever the suite re-sent.
    views = [shop_sandbox.admin.get(f"/deliveries/{d['id']}") for d in shop_sandbox.deliveries(platform="shopee")]
    sent = {canonical(json.loads(v["body"])) for v in views if json.loads(v["body"])["code"] != 0}
    held = [canonical(event) for event in receiver.events]
    assert len(held) == len(set(held)) and sent <= set(held)
    assert abs(shop_sandbox.clock.now() - time.time()) < 60  # code 12's clock move was undone
    assert report.timings()["deliveries"]["max_ms"] < 3000


def test_a_receiver_that_accepts_any_signature_fails_every_forgery_check(shop_sandbox, shopee_shop):
    report = run_suite(shop_sandbox, shopee_shop, AcceptsAnySignature(shopee_shop.partner_key), codes=(3,),
                       max_examples=1)
    failed = {c.name for c in report.failures}
    assert failed >= {"forged/wrong_signature", "forged/missing_signature", "forged/tampered_body",
                      "forged/other_key", "forged/other_callback_url"}
    assert not failed & {"delivered", "processed_once", "duplicate/replay", "out_of_order/current"}
    tampered = report.failed("forged/tampered_body")[0]
    assert "HTTP 200" in tampered.got and "processed() grew by 1" in tampered.got


def test_a_receiver_that_processes_duplicates_twice_fails_the_duplicate_checks(shop_sandbox, shopee_shop):
    report = run_suite(shop_sandbox, shopee_shop, ProcessesDuplicates(shopee_shop.partner_key), codes=(3,),
                       max_examples=1)
    assert {c.name for c in report.failures} == {"duplicate/replay", "duplicate/repost"}
    assert "processed() grew by 1" in report.failed("duplicate/replay")[0].got


def test_a_receiver_where_the_last_push_wins_fails_the_out_of_order_check(shop_sandbox, shopee_shop):
    report = run_suite(shop_sandbox, shopee_shop, LastWriteWins(shopee_shop.partner_key), codes=(3,),
                       max_examples=2)
    assert {c.name for c in report.failures} == {"out_of_order/current"}


def test_a_receiver_answering_500_fails_delivery_and_the_error_lists_what_was_sent(shop_sandbox, shopee_shop):
    receiver = Answers500(shopee_shop.partner_key)
    with serve_wsgi(receiver.wsgi_app) as url:
        with pytest.raises(ReceiverContractError) as raised:
            ShopeePushReceiverSuite(shop_sandbox, shopee_shop, codes=(3,), max_examples=1, settle=0).run(
                url, processed=lambda: receiver.events)
    # The verification push is answered 500 too: set_app_push_config refuses, nothing else can run.
    report = raised.value.report
    assert [c.name for c in report.failures] == ["verification"]
    message = str(raised.value)
    assert "verification: 1 failed" in message and "HTTP 500" in message and "not 2xx" in message


def test_a_receiver_answering_500_to_pushes_fails_delivered_for_each_one(shop_sandbox, shopee_shop):
    class FailsOrders(ShopeeReceiver):
        def answer(self, start_response):
            return Answers500.answer(self, start_response)

        def wsgi_app(self, environ, start_response):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            if json.loads(body).get("code") == 0:  # passes the verification
                return ShopeeReceiver.answer(self, start_response)
            return self.answer(start_response)

    report = run_suite(shop_sandbox, shopee_shop, FailsOrders(shopee_shop.partner_key), codes=(3,), max_examples=1)
    delivered = report.failed("delivered")
    assert delivered and all("HTTP 500" in c.got and "status pending" in c.got for c in delivered)
    assert not report.failed("processed_once")  # a failed delivery need not be processed
    assert len(report.failed("out_of_order/accepted")) >= 2


def test_a_receiver_answering_with_a_body_fails_the_empty_body_check(shop_sandbox, shopee_shop):
    report = run_suite(shop_sandbox, shopee_shop, AnswersWithABody(shopee_shop.partner_key), codes=(3,),
                       max_examples=1)
    assert {c.name for c in report.failures} == {"empty_body"}
    assert "'{\"received\": true}'" in report.failed("empty_body")[0].got
    relaxed = run_suite(shop_sandbox, shopee_shop, AnswersWithABody(shopee_shop.partner_key), codes=(3,),
                        max_examples=1, require_empty_body=False)
    assert relaxed.passed, relaxed.failure_message()


def test_a_receiver_slower_than_3_seconds_fails_delivered(shop_sandbox, shopee_shop):
    report = run_suite(shop_sandbox, shopee_shop, SlowOnTrackingNumbers(shopee_shop.partner_key), codes=(4,),
                       max_examples=1)
    late = report.failed("delivered")
    assert late and all(c.subject == "code 4 order_trackingno_push" and "no answer within 3 s (timeout)" in c.got
                        for c in late)
    assert {c.name for c in report.failures} == {"delivered"}


def test_an_app_signing_with_a_push_key_is_checked_in_that_mode(shop_sandbox, shopee_shop):
    push = shop_sandbox.admin.post(f"/shopee/partners/{shopee_shop.partner_id}/push", {"signing": "body"})
    report = run_suite(shop_sandbox, shopee_shop, PushKeyReceiver(push["push_key"]), codes=(3,), max_examples=1)
    assert report.passed, report.failure_message()
    assert "forged/other_key" in {c.name for c in report.checks}
    assert "forged/other_callback_url" not in {c.name for c in report.checks}  # the URL is not signed
    url_signing = run_suite(shop_sandbox, shopee_shop, ShopeeReceiver(shopee_shop.partner_key), codes=(3,),
                            max_examples=1)
    assert {c.name for c in url_signing.failures} == {"verification"}  # refused: the key is not the push key


def test_codes_the_sandbox_does_not_send_are_refused(shop_sandbox, shopee_shop):
    with pytest.raises(ValueError, match=r"push codes \[5\] are not sent"):
        ShopeePushReceiverSuite(shop_sandbox, shopee_shop, codes=(3, 5))
