"""The plugin's fixtures used directly: each goes through the admin and platform APIs only."""
from __future__ import annotations

import time

import pytest

from mockserver.clients import AdminApiError, ShopeeClient
from mockserver.plugin import ShopSandbox

T0 = 1_795_000_000


def test_the_shopee_client_signs_shop_and_public_calls_the_sandbox_accepts(shopee_shop):
    info = shopee_shop.client.get("shop/get_shop_info")
    assert info.status == 200 and info.json()["error"] == "", info
    assert info.json()["shop_name"] == shopee_shop.shop_name
    shops = shopee_shop.client.get("public/get_shops_by_partner")  # signed without a shop
    assert shopee_shop.shop_id in [s["shop_id"] for s in shops.json()["authed_shop_list"]], shops


def test_a_call_signed_with_another_key_is_refused(shop_sandbox, shopee_shop):
    wrong = ShopeeClient(shop_sandbox.url, shopee_shop.partner_id, "not-the-key", shopee_shop.shop_id,
                         shopee_shop.access_token, time_source=shop_sandbox.clock.now_float)
    answer = wrong.get("shop/get_shop_info")
    assert (answer.status, answer.json()["error"]) == (403, "error_sign")


def test_sandbox_clock_drives_a_shopee_token_expiry(shopee_shop, sandbox_clock):
    assert shopee_shop.client.get("shop/get_shop_info").json()["error"] == ""
    sandbox_clock.advance(4 * 3600 + 1)  # access tokens live 4 hours on the sandbox clock
    expired = shopee_shop.client.get("shop/get_shop_info")
    assert (expired.status, expired.json()["message"]) == (403, "Invalid access_token.")
    old = shopee_shop.access_token
    assert shopee_shop.client.refresh_access_token().json()["error"] == ""
    assert shopee_shop.access_token != old
    assert shopee_shop.client.get("shop/get_shop_info").json()["error"] == ""


def test_sandbox_clock_freezes_sets_and_advances(sandbox_clock):
    assert abs(sandbox_clock.now() - time.time()) < 5  # every test starts on real time
    assert not sandbox_clock.state()["frozen"]
    sandbox_clock.freeze()
    assert sandbox_clock.set(T0) == T0
    assert sandbox_clock.advance(90) == T0 + 90
    assert sandbox_clock.now() == T0 + 90 and sandbox_clock.state()["frozen"]
    sandbox_clock.real_time()
    assert abs(sandbox_clock.now() - time.time()) < 5 and not sandbox_clock.state()["frozen"]


def test_webhook_inbox_receives_the_shopee_pushes_of_an_order(shop_sandbox, shopee_shop, webhook_inbox):
    url = shopee_shop.subscribe_push(webhook_inbox, codes=(3,))
    order_sn = shopee_shop.create_order()
    shopee_shop.event(order_sn, "pay")
    shop_sandbox.flush()
    pushes = webhook_inbox.received
    assert pushes[0].json()["code"] == 0  # the verification, before set_app_push_config answered
    # The engine sends to one receiver on several threads: the status pushes arrive in any order.
    statuses = sorted((p.json()["code"], p.json()["data"]["ordersn"], p.json()["data"]["status"]) for p in pushes[1:])
    assert statuses == [(3, order_sn, "READY_TO_SHIP"), (3, order_sn, "UNPAID")]
    assert all(p.header("Authorization") == shopee_shop.push_authorization(url, p.body) for p in pushes)


def test_shopee_shop_seeds_generated_and_explicit_orders(shopee_shop):
    generated = shopee_shop.create_orders(count=3, statuses=["READY_TO_SHIP"])
    explicit = shopee_shop.create_order(status="SHIPPED", items=[{"item_name": "Tea", "price": 250, "quantity": 2}])
    assert [shopee_shop.status(sn) for sn in generated] == ["READY_TO_SHIP"] * 3
    assert shopee_shop.status(explicit) == "SHIPPED"
    listed = shopee_shop.client.get("order/get_order_list", {
        "time_range_field": "create_time", "time_from": shopee_shop.sandbox.clock.now() - 14 * 86400,
        "time_to": shopee_shop.sandbox.clock.now(), "page_size": 100}).json()
    assert sorted(o["order_sn"] for o in listed["response"]["order_list"]) == sorted(generated + [explicit])


def test_an_event_the_status_forbids_raises_the_admin_error(shopee_shop):
    order_sn = shopee_shop.create_order(status="UNPAID")
    with pytest.raises(AdminApiError) as refused:
        shopee_shop.event(order_sn, "deliver")
    assert (refused.value.status, refused.value.error) == (409, "illegal_transition")
    assert shopee_shop.status(order_sn) == "UNPAID"


def test_oneshop_account_lists_its_seeded_orders_and_their_status_changes(oneshop_account):
    numbers = oneshop_account.create_orders(count=3)
    oneshop_account.set_status(numbers[0], logistic_status="shipped")
    listed = oneshop_account.client.orders().json()
    assert listed["success"] == 0 and listed["data"]["page"]["total_order"] == 3
    detail = oneshop_account.client.order(numbers[0]).json()["data"]
    assert detail["order"]["logistic_status"] == "shipped" and detail["shipping_tracking"]


def test_oneshop_rate_limit_is_set_per_account(oneshop_account):
    oneshop_account.set_rate_limit(2, window_seconds=60)
    answers = [oneshop_account.client.orders() for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 429]
    assert answers[-1].header("Retry-After")
    oneshop_account.set_rate_limit(None)
    assert oneshop_account.client.orders().status == 200


def test_shopline_app_subscribes_both_flavours_and_triggers_to_the_inbox(shopline_app, webhook_inbox):
    shopline_app.subscribe(webhook_inbox, ["order/create"], path="/openapi")
    shopline_app.subscribe(webhook_inbox, "orders/updated", flavour="global", path="/global")
    subscriptions = shopline_app.subscriptions()
    assert [s["topics"] for s in subscriptions["openapi"]] == [["order/create"]]
    assert [s["topic"] for s in subscriptions["global"]] == ["orders/updated"]
    shopline_app.trigger("order/create", overrides={"status": "confirmed"})
    shopline_app.trigger("orders/updated", flavour="global")
    openapi = webhook_inbox.requests("/openapi")
    assert [r.json()["topic"] for r in openapi] == ["webhook/verification", "order/create"]
    assert openapi[-1].json()["resource"]["status"] == "confirmed"
    assert openapi[-1].query["sign"]
    (update,) = webhook_inbox.requests("/global")
    assert update.header("X-Shopline-Topic") == "orders/updated"


def test_shopline_trigger_to_one_url_needs_no_subscription(shopline_app, webhook_inbox):
    result = shopline_app.trigger("order/create", to=webhook_inbox)
    assert len(result["deliveries"]) == 1
    assert [r.json()["topic"] for r in webhook_inbox.received] == ["order/create"]


def test_shop_sandbox_exposes_its_mode_credentials_and_deliveries(shop_sandbox: ShopSandbox, shopee_shop,
                                                                   webhook_inbox):
    assert shop_sandbox.admin.health()["status"] == "ok"
    assert shop_sandbox.credentials()["shopee"]["base_url"] == shop_sandbox.url
    shopee_shop.subscribe_push(webhook_inbox)
    assert shop_sandbox.deliveries(platform="shopee")[0]["event"]


def test_injected_faults_reach_the_client_over_http_and_end_with_the_test(shop_sandbox: ShopSandbox, oneshop_account,
                                                                          shopee_shop):
    sn = shopee_shop.create_order("READY_TO_SHIP")
    rule = shop_sandbox.inject_fault("/v1/order", status=429, retry_after=2,
                                     then=[{"path": f"/_sandbox/shopee/orders/{sn}/events",
                                            "body": {"event": "buyer_cancel"}}])
    limited = oneshop_account.client.orders()
    assert (limited.status, limited.json(), limited.headers["Retry-After"]) == (429, {"success": -9999}, "2")
    assert shopee_shop.status(sn) != "READY_TO_SHIP"  # the follow-up call ran in the server
    assert oneshop_account.client.orders().status == 200
    assert [(f["id"], f["fired"]) for f in shop_sandbox.faults()] == [(rule["id"], 1)]
    assert shop_sandbox.clear_faults() == 1 and shop_sandbox.faults() == []


def test_a_dropped_connection_breaks_the_answer_after_its_headers(shop_sandbox: ShopSandbox, oneshop_account):
    import http.client

    import requests

    shop_sandbox.inject_fault("/v1/order", drop=True)
    url = oneshop_account.credentials["api_base"] + "/order"
    query = {"appid": oneshop_account.appid, "secret": oneshop_account.secret, "progress_status": "all",
             "payment_status": "all", "logistic_status": "all", "page": 1}
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)) as broken:
        requests.get(url, params=query, timeout=5)
    # Normally the headers and a first byte arrive, then the connection closes (IncompleteRead); on
    # a loaded machine the server may close before it flushed them (RemoteDisconnected): both are
    # the broken answer a client must survive.
    reason = broken.value.args[0].args[1]
    assert isinstance(reason, (http.client.IncompleteRead, http.client.RemoteDisconnected)), reason
    assert requests.get(url, params=query, timeout=5).json()["success"] == 0  # the next one is whole


def test_the_request_journal_shows_what_a_client_sent(shop_sandbox: ShopSandbox, oneshop_account):
    oneshop_account.client.orders(2)
    oneshop_account.client.order("NOPE")
    sent = shop_sandbox.requests("/v1/order*")
    assert [(r["path"], r["query"].get("page"), r["status"]) for r in sent] == [
        ("/v1/order", "2", 200), ("/v1/order/NOPE", None, 200)]  # 1shop's failures (-8, -9) are HTTP 200
    assert shop_sandbox.admin.get("/requests", path="/v1/order")["count"] == 1  # "path" as a query parameter
    assert shop_sandbox.clear_requests() == 2 and shop_sandbox.requests() == []


def test_assert_requested_passes_and_fails_with_the_near_misses(shop_sandbox: ShopSandbox, oneshop_account):
    oneshop_account.client.orders(1)
    shop_sandbox.assert_requested("/v1/order", params={"page": "1"}, count=1)
    with pytest.raises(AssertionError) as failed:
        shop_sandbox.assert_requested("/v1/order", params={"page": "2"})
    message = str(failed.value)
    assert "expected /v1/order with page='2' at least 1 time(s); it was requested 0 time(s)" in message
    assert "closest requests:" in message and "params.page: expected '2', got '1'" in message
