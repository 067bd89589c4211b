"""shop_integration.shopee_push_receiver on loopback, fed by the sandbox's Push Mechanism: the
verification push, signatures over callback_url|body, de-duplication, out-of-order pushes."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import requests
from shop_integration import ShopeePushReceiver


@pytest.fixture
def receiver(shopee_shop) -> ShopeePushReceiver:
    return ShopeePushReceiver(shopee_shop.partner_key)


@pytest.fixture
def callback_url(receiver, serve_wsgi, shopee_shop) -> str:
    """The receiver, subscribed: set_app_push_config succeeds only if it answered the verification push."""
    return shopee_shop.subscribe_push(serve_wsgi(receiver.wsgi_app) + "/shopee/push")


def pushes(shop_sandbox) -> list[dict]:
    """The sandbox's order-status and tracking pushes, oldest first, with headers and body."""
    found = [d for d in shop_sandbox.deliveries(platform="shopee") if d["event"] != "verification"]
    return [shop_sandbox.admin.get(f"/deliveries/{d['id']}") for d in reversed(found)]


def sign_with(key: str, url: str, body: bytes) -> str:
    """Shopee's push signature made with any key (for a forger's attempt)."""
    return hmac.new(key.encode(), url.encode() + b"|" + body, hashlib.sha256).hexdigest()


def post(url: str, body: bytes, authorization: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return requests.post(url, data=body, headers=headers, timeout=10)


def test_order_events_arrive_once_each_and_are_acknowledged_with_an_empty_2xx(shopee_shop, shop_sandbox, receiver,
                                                                             callback_url, sandbox_clock):
    assert receiver.verifications == 1
    sandbox_clock.freeze()  # made and paid in the same second: both pushes carry one update_time
    order_sn = shopee_shop.create_order("UNPAID")
    shopee_shop.event(order_sn, "pay")
    shop_sandbox.flush()

    sent = pushes(shop_sandbox)
    assert [json.loads(d["body"])["data"]["status"] for d in sent] == ["UNPAID", "READY_TO_SHIP"]
    for delivery in sent:
        last = delivery["attempts"][-1]
        assert (delivery["status"], last["status"], last["response_excerpt"]) == ("succeeded", 200, "")
    # The sandbox sends on several threads: the two may arrive in either order.
    assert sorted((e["code"], e["data"]["ordersn"], e["data"]["status"]) for e in receiver.events) == [
        (3, order_sn, "READY_TO_SHIP"), (3, order_sn, "UNPAID")]
    assert receiver.status(order_sn) == "READY_TO_SHIP" == shopee_shop.status(order_sn)


def test_replayed_pushes_are_acknowledged_but_processed_once(shopee_shop, shop_sandbox, receiver, callback_url):
    order_sn = shopee_shop.create_order("READY_TO_SHIP")
    shop_sandbox.flush()
    (delivery,) = pushes(shop_sandbox)

    again = shop_sandbox.admin.post(f"/deliveries/{delivery['id']}/replay", {})

    assert again["attempts"][-1]["status"] == 200
    assert len(receiver.events) == 1 and receiver.duplicates == 1
    assert receiver.status(order_sn) == "READY_TO_SHIP"


def test_forged_pushes_are_refused(shopee_shop, shop_sandbox, receiver, callback_url):
    shopee_shop.create_order("READY_TO_SHIP")
    shop_sandbox.flush()
    (genuine,) = pushes(shop_sandbox)
    body = genuine["body"].encode("utf-8")
    signature = genuine["headers"]["Authorization"]
    assert signature == shopee_shop.push_authorization(callback_url, body)
    tampered = body.replace(b"READY_TO_SHIP", b"CANCELLED")
    other_url = callback_url + "?x=1"

    answers = [
        post(callback_url, body, None),
        post(callback_url, body, "0" * 64),
        post(callback_url, tampered, signature),  # changed body, original signature
        post(callback_url, tampered, shopee_shop.push_authorization(other_url, tampered)),  # signed for another URL
        post(callback_url, tampered, sign_with("not-the-partner-key", callback_url, tampered)),
    ]

    assert [a.status_code for a in answers] == [401] * 5
    assert len(receiver.events) == 1
    assert post(callback_url, body, signature.upper()).status_code == 200  # hex case does not matter
    assert receiver.duplicates == 1


def test_the_newest_order_status_wins_when_pushes_arrive_out_of_order(shopee_shop, receiver, callback_url):
    def push(status: str, update_time: int) -> requests.Response:
        body = json.dumps({"data": {"items": [], "ordersn": "2611190000TEST", "status": status,
                                    "completed_scenario": "", "update_time": update_time},
                           "shop_id": shopee_shop.shop_id, "code": 3, "timestamp": update_time}).encode()
        return post(callback_url, body, shopee_shop.push_authorization(callback_url, body))

    assert [push("SHIPPED", 2000).status_code, push("PROCESSED", 1000).status_code] == [200, 200]

    assert len(receiver.events) == 2
    assert receiver.status("2611190000TEST") == "SHIPPED"
    # Same update_time (one-second resolution): the later stage of the order's life wins.
    assert [push("COMPLETED", 3000).status_code, push("TO_CONFIRM_RECEIVE", 3000).status_code] == [200, 200]
    assert receiver.status("2611190000TEST") == "COMPLETED"


def test_an_explicit_callback_url_is_what_the_signature_is_checked_against(shopee_shop, serve_wsgi):
    # Behind a proxy the request's own URL is not the registered one: configure it.
    public_url = "https://erp.example.com/shopee/push"
    receiver = ShopeePushReceiver(shopee_shop.partner_key, callback_url=public_url)
    local = serve_wsgi(receiver.wsgi_app) + "/shopee/push"
    body = b'{"data":{"ordersn":"X","status":"UNPAID","update_time":1},"shop_id":1,"code":3,"timestamp":1}'

    assert post(local, body, shopee_shop.push_authorization(public_url, body)).status_code == 200
    assert post(local, body, shopee_shop.push_authorization(local, body)).status_code == 401
