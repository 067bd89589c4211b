"""shop_integration.shopline_receiver on loopback, fed by the sandbox: the Open API handshake,
signatures of both flavours, de-duplication of resends and replays, out-of-order events."""
from __future__ import annotations

import json

import pytest
import requests
from shop_integration import ShoplineReceiver


@pytest.fixture
def receiver(shopline_app) -> ShoplineReceiver:
    return ShoplineReceiver(shopline_app.app_secret, shopline_app.shop_secret, shopline_app.app_id,
                            shop_id=shopline_app.shop_id)


@pytest.fixture
def base_url(receiver, serve_wsgi) -> str:
    return serve_wsgi(receiver.wsgi_app)


def delivered(shop_sandbox, delivery_id: str) -> dict:
    """The sandbox's record of a delivery: URL, headers, body and every attempt."""
    return shop_sandbox.admin.get(f"/deliveries/{delivery_id}")


def replay(shop_sandbox, delivery_id: str) -> dict:
    return shop_sandbox.admin.post(f"/deliveries/{delivery_id}/replay", {})


def resend(delivery: dict, *, url: str | None = None, body: bytes | None = None,
           drop: tuple[str, ...] = (), **headers: str) -> requests.Response:
    """POST what the sandbox sent, changed as a forger would (other URL/body, headers dropped or set)."""
    sent = {k: v for k, v in delivery["headers"].items() if k not in drop}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    data = delivery["body"].encode("utf-8") if body is None else body
    return requests.post(url or delivery["url"], data=data, headers=sent, timeout=10)


# ---- Open API flavour -------------------------------------------------------------------------------
def test_open_api_subscription_passes_the_handshake_and_events_arrive_once(shopline_app, shop_sandbox, receiver,
                                                                           base_url):
    shopline_app.subscribe(f"{base_url}/shopline", ["order/create", "order/update"])  # 422 if the handshake failed

    sent = shopline_app.trigger("order/create")["deliveries"]

    assert len(sent) == 1
    record = delivered(shop_sandbox, sent[0]["id"])
    assert record["status"] == "succeeded" and record["attempts"][-1]["status"] == 200
    assert [e["topic"] for e in receiver.events] == ["order/create"]
    assert receiver.events[0]["trace_id"] == json.loads(record["body"])["trace_id"]

    again = replay(shop_sandbox, sent[0]["id"])  # the same event, sent again

    assert again["attempts"][-1]["status"] == 200  # acknowledged, so SHOPLINE stops resending ...
    assert len(receiver.events) == 1 and receiver.duplicates == 1  # ... but processed once


def test_a_receiver_with_the_wrong_app_id_fails_the_handshake(shopline_app, serve_wsgi):
    impostor = ShoplineReceiver(shopline_app.app_secret, shopline_app.shop_secret, "0" * 24)
    url = serve_wsgi(impostor.wsgi_app) + "/shopline"
    with pytest.raises(AssertionError, match="endpoint verification"):
        shopline_app.subscribe(url, ["order/create"])
    assert shopline_app.subscriptions()["openapi"] == []


def test_forged_open_api_events_are_refused(shopline_app, shop_sandbox, receiver, base_url):
    url = f"{base_url}/shopline"
    genuine = delivered(shop_sandbox, shopline_app.trigger("order/update", to=url)["deliveries"][0]["id"])
    assert len(receiver.events) == 1
    body = json.loads(genuine["body"])
    tampered = json.dumps({**body, "resource": {**body["resource"], "status": "cancelled"}}).encode()
    unsigned_url = genuine["url"].split("?")[0]

    answers = [
        resend(genuine, body=tampered),  # a changed body under the original sign
        resend(genuine, url=unsigned_url),  # no sign at all
        resend(genuine, url=unsigned_url + "?sign=" + "0" * 64),  # a made-up sign
        resend(genuine, drop=("X-Shopline-Developer-Event-Timestamp",)),  # sign without its timestamp
        resend(genuine, X_Shopline_Developer_Event_Timestamp="1"),  # another timestamp
    ]

    assert [a.status_code for a in answers] == [401] * 5
    assert len(receiver.events) == 1 and receiver.duplicates == 0
    # The genuine bytes re-serialised in another key order still verify (the sign covers sorted JSON).
    reordered = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False).encode()
    assert resend(genuine, body=reordered).status_code == 200 and receiver.duplicates == 1


def test_open_api_keeps_the_newest_state_when_events_arrive_out_of_order(shopline_app, receiver, base_url):
    url = f"{base_url}/shopline"
    # Each trigger is a fresh event with its own ids: the overrides pin one order's id.
    order = {"_id": "6583bdd22d5f0900620b584b", "id": "6583bdd22d5f0900620b584b"}
    newer = {**order, "status": "completed", "updated_at": "2030-01-01T00:00:02.000Z"}
    older = {**order, "status": "confirmed", "updated_at": "2030-01-01T00:00:01.000Z"}
    shopline_app.trigger("order/update", to=url, overrides=newer)
    shopline_app.trigger("order/update", to=url, overrides=older)  # arrives last, happened first

    assert len(receiver.events) == 2  # two events (two trace_ids), both processed
    order_id = receiver.events[0]["resource"]["_id"]
    assert receiver.events[1]["resource"]["_id"] == order_id
    assert receiver.resource("openapi", "order", order_id)["status"] == "completed"

    shopline_app.trigger("order/update", to=url, overrides={**order, "status": "cancelled",
                                                             "updated_at": "2030-01-01T00:00:03.000Z"})
    assert receiver.resource("openapi", "order", order_id)["status"] == "cancelled"


# ---- global flavour ---------------------------------------------------------------------------------
def test_global_events_arrive_once_and_replays_are_deduplicated(shopline_app, shop_sandbox, receiver, base_url):
    shopline_app.subscribe(f"{base_url}/shopline-global", ["orders/updated", "orders/paid"], flavour="global")

    first = shopline_app.trigger("orders/updated", flavour="global")["deliveries"]
    second = shopline_app.trigger("orders/paid", flavour="global")["deliveries"]

    assert len(first) == len(second) == 1
    assert len(receiver.events) == 2 and receiver.events[0]["id"] == json.loads(
        delivered(shop_sandbox, first[0]["id"])["body"])["id"]
    for delivery in first + second:
        assert replay(shop_sandbox, delivery["id"])["attempts"][-1]["status"] == 200
    assert len(receiver.events) == 2 and receiver.duplicates == 2


def test_global_accepts_base64_signatures_too(shopline_app, shop_sandbox, receiver, base_url):
    shop_sandbox.admin.post(f"/shopline/shops/{shopline_app.shop_id}", {"signature_encoding": "base64"})
    sent = shopline_app.trigger("orders/updated", flavour="global", to=f"{base_url}/shopline-global")

    record = delivered(shop_sandbox, sent["deliveries"][0]["id"])
    assert record["headers"]["X-Shopline-Hmac-Sha256"].endswith("=")  # really base64
    assert record["attempts"][-1]["status"] == 200 and len(receiver.events) == 1


def test_forged_global_events_are_refused(shopline_app, shop_sandbox, receiver, base_url):
    sent = shopline_app.trigger("orders/updated", flavour="global", to=f"{base_url}/shopline-global")
    genuine = delivered(shop_sandbox, sent["deliveries"][0]["id"])
    body = genuine["body"].encode("utf-8")

    answers = [
        resend(genuine, drop=("X-Shopline-Hmac-Sha256",)),
        resend(genuine, X_Shopline_Hmac_Sha256="0" * 64),
        resend(genuine, body=body.replace(b'"paid"', b'"refunded"')),  # a changed body, original signature
        resend(genuine, body=body + b" ", X_Shopline_Webhook_Id="another-id"),  # the signature covers the bytes
    ]

    assert [a.status_code for a in answers] == [401] * 4
    assert len(receiver.events) == 1
    # The signature covers the body only: relabelled as another shop's, a genuine delivery is refused.
    relabelled = resend(genuine, X_Shopline_Shop_Id="1" + "0" * 12, X_Shopline_Webhook_Id="relabelled")
    assert relabelled.status_code == 403 and len(receiver.events) == 1
    assert resend(genuine, X_Shopline_Webhook_Id="another-id").status_code == 200  # same shop: a new event
    assert len(receiver.events) == 2


def test_global_keeps_the_newest_state_when_events_arrive_out_of_order(shopline_app, receiver, base_url):
    url = f"{base_url}/shopline-global"
    order = {"id": "21064187364512398025"}  # each trigger is a fresh order: the overrides pin one id
    shopline_app.trigger("orders/updated", flavour="global", to=url,
                         overrides={**order, "financial_status": "refunded", "updated_at": "2030-01-01T10:00:00+08:00"})
    # 02:30 UTC is after 10:00+08:00 (02:00 UTC): compared as instants, not as text.
    shopline_app.trigger("orders/updated", flavour="global", to=url, overrides={
        **order, "financial_status": "partially_refunded", "updated_at": "2030-01-01T02:30:00Z"})
    shopline_app.trigger("orders/updated", flavour="global", to=url,
                         overrides={**order, "financial_status": "paid", "updated_at": "2030-01-01T09:00:00+08:00"})

    order_id = receiver.events[0]["id"]
    assert len(receiver.events) == 3
    assert receiver.resource("global", "orders", order_id)["financial_status"] == "partially_refunded"


def test_other_paths_and_methods_are_refused(base_url):
    assert requests.post(f"{base_url}/elsewhere", data=b"{}", timeout=5).status_code == 404
    assert requests.get(f"{base_url}/shopline", timeout=5).status_code == 405
