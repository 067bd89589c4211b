"""Pushes raised by the world (codes 1, 2, 3, 4, 12): bodies, signatures, who gets them, retries on
the sandbox clock, replay, and the body-only signing mode."""
from __future__ import annotations

from tests.conftest import T0
from tests.shopee.order_support import DAY, make_order, order
from tests.shopee.push_support import (VERIFY_BODY, advance, check_push, deliveries, flush, hmac_hex, new_app,
                                       new_orders, order_event, push_admin, pushes, subscribe, url_signature)

SEVEN_ELEVEN = 30005  # a TW dropoff channel (catalogue_data.CHANNELS)


def ship(sandbox, sn, **body):
    return sandbox.shopee("POST", "logistics/ship_order", {"order_sn": sn, **body})


def test_an_order_status_change_reaches_the_receiver_signed_with_the_partner_key(sandbox, inbox):
    sn = make_order(sandbox, status="UNPAID")
    url = inbox.url_for("/shopee")
    assert subscribe(sandbox, url, on=(3,)).status == 200
    sandbox.admin("POST", "/clock", {"advance_seconds": 30})
    order_event(sandbox, sn, "pay")
    flush(sandbox)
    push = inbox.received[-1]
    # Recomputed here from the partner key, the callback URL and the raw bytes received.
    assert push.header("Authorization") == url_signature(sandbox.creds["partner_key"], url, push.body)
    body = pushes(inbox, sandbox.creds["partner_key"], url, code=3)[0]
    assert body == {"data": {"items": [], "ordersn": sn, "status": "READY_TO_SHIP", "completed_scenario": "",
                             "update_time": T0 + 30},
                    "shop_id": sandbox.creds["shop_id"], "code": 3, "timestamp": T0 + 30}
    assert list(body) == ["data", "shop_id", "code", "timestamp"]


def test_every_status_change_and_every_new_order_push_code_3(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    sn = make_order(sandbox, status="UNPAID")
    order_event(sandbox, sn, "pay")
    order_event(sandbox, sn, "buyer_cancel")  # within the free-cancel hour: cancelled at once
    flush(sandbox)
    got = pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3)
    assert sorted(b["data"]["status"] for b in got) == ["CANCELLED", "READY_TO_SHIP", "UNPAID"]


def test_an_order_made_with_a_history_pushes_once_with_its_status(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3, 4)).status == 200
    sn = make_order(sandbox, status="SHIPPED")
    flush(sandbox)
    got = pushes(inbox, sandbox.creds["partner_key"], inbox.url)[1:]
    assert [(b["code"], b["data"]["status"], b["data"]["update_time"]) for b in got] == [
        (3, "SHIPPED", order(sandbox, sn)["update_time"])]


def test_a_tracking_number_pushes_code_4_when_the_3pl_assigns_it(sandbox, inbox):
    sandbox.admin("POST", "/shopee/settings", {"tracking_delay_seconds": 3600})
    sn = make_order(sandbox, logistics_channel_id=SEVEN_ELEVEN)
    assert subscribe(sandbox, inbox.url, on=(4,)).status == 200
    assert ship(sandbox, sn, dropoff={}).status == 200
    flush(sandbox)
    assert pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=4) == []
    advance(sandbox, 3600)
    package = order(sandbox, sn)["packages"][0]
    (body,) = pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=4)
    assert body == {"data": {"ordersn": sn, "forder_id": package["package_number"].removeprefix("OFG"),
                             "package_number": package["package_number"], "tracking_no": package["tracking_number"]},
                    "shop_id": sandbox.creds["shop_id"], "code": 4, "timestamp": T0 + 3600}


def test_only_partners_the_shop_is_authorised_to_get_its_pushes(sandbox, inbox):
    other_app = new_app(sandbox)
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    new_orders(sandbox, other_app["shop_id"], 2)
    flush(sandbox)
    assert pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3) == []


def test_retries_follow_the_schedule_on_the_sandbox_clock_and_keep_the_delivery(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    inbox.script([500, 503, 200])
    sn = make_order(sandbox, status="UNPAID")
    flush(sandbox)
    assert len(inbox.received) == 2  # verification + the first attempt
    advance(sandbox, 59)
    assert len(inbox.received) == 2  # nothing is resent before the first retry is due
    advance(sandbox, 1)
    assert len(inbox.received) == 3
    advance(sandbox, 299)
    assert len(inbox.received) == 3
    advance(sandbox, 1)
    assert len(inbox.received) == 4
    advance(sandbox, 3 * DAY)
    assert len(inbox.received) == 4  # succeeded: no more attempts
    attempts = inbox.received[1:]
    assert len({(r.body, r.header("Authorization")) for r in attempts}) == 1  # the same push each time
    assert pushes(inbox, sandbox.creds["partner_key"], inbox.url, code=3)[0]["data"]["ordersn"] == sn
    (delivery,) = deliveries(sandbox, event="order_status_push")
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 3
    view = sandbox.request("GET", f"/_sandbox/deliveries/{delivery['id']}").body
    assert [(a["at"], a["status"], a["ok"]) for a in view["attempts"]] == [
        (T0, 500, False), (T0 + 60, 503, False), (T0 + 360, 200, True)]
    assert view["policy_timeout_seconds"] == 3 and view["retry_delays_seconds"] == [60, 300, 1800]


def test_replay_keeps_the_delivery_id_and_does_not_count_for_health(sandbox, inbox):
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    make_order(sandbox, status="UNPAID")
    flush(sandbox)
    (delivery,) = deliveries(sandbox, event="order_status_push")
    before = push_admin(sandbox, sandbox.creds["partner_id"])["health"]
    answer = sandbox.request("POST", f"/_sandbox/deliveries/{delivery['id']}/replay")
    assert answer.status == 200, answer.body
    assert answer.body["id"] == delivery["id"]
    assert [a["replay"] for a in answer.body["attempts"]] == [False, True]
    first, again = inbox.received[1:]
    assert again.body == first.body and again.header("Authorization") == first.header("Authorization")
    assert [d["id"] for d in deliveries(sandbox, event="order_status_push")] == [delivery["id"]]
    assert push_admin(sandbox, sandbox.creds["partner_id"])["health"] == before == {
        "window_seconds": 21600, "pushes": 1, "succeeded": 1, "success_rate": 1.0}


def test_body_only_signing_uses_the_push_key(sandbox, inbox):
    state = push_admin(sandbox, sandbox.creds["partner_id"], {"signing": "body"})
    assert state["signing"] == "body" and len(state["push_key"]) == 64
    assert subscribe(sandbox, inbox.url, on=(3,)).status == 200
    assert inbox.received[0].header("Authorization") == hmac_hex(state["push_key"], VERIFY_BODY)
    make_order(sandbox, status="UNPAID")
    flush(sandbox)
    (body,) = pushes(inbox, state["push_key"], inbox.url, body_only=True, code=3)
    push = inbox.received[-1]
    assert push.header("Authorization") != url_signature(sandbox.creds["partner_key"], inbox.url, push.body)
    # A key of one's own, and back to the guide's form.
    assert push_admin(sandbox, sandbox.creds["partner_id"], {"push_key": "my-push-key"})["push_key"] == "my-push-key"
    push_admin(sandbox, sandbox.creds["partner_id"], {"signing": "url_and_body"})
    order_event(sandbox, body["data"]["ordersn"], "pay")
    flush(sandbox)
    assert check_push(inbox.received[-1], sandbox.creds["partner_key"], inbox.url)["data"]["status"] == "READY_TO_SHIP"


def test_bad_signing_mode_is_refused(sandbox):
    answer = sandbox.admin("POST", f"/shopee/partners/{sandbox.creds['partner_id']}/push", {"signing": "sha1"})
    assert answer.status == 400 and answer.body["error"] == "invalid_field"
    assert push_admin(sandbox, sandbox.creds["partner_id"])["signing"] == "url_and_body"
    assert sandbox.admin("GET", "/shopee/partners/1/push").status == 404


def test_shop_authorisation_and_its_cancellation_push_codes_1_and_2_without_shop_id(sandbox, inbox):
    partner = sandbox.admin("POST", "/shopee/partners", {}).body
    creds = {"partner_id": partner["partner_id"], "partner_key": partner["partner_key"]}
    shop_id = sandbox.admin("POST", "/shopee/shops", {}).body["shop_id"]
    assert subscribe(sandbox, inbox.url, on=(1, 2), creds=creds).status == 200
    answer = sandbox.admin("POST", "/shopee/authorize", {"partner_id": partner["partner_id"], "shop_id": shop_id,
                                                         "redirect": "https://erp.example.com/cb"})
    assert answer.status == 200, answer.body
    flush(sandbox)
    assert sandbox.admin("POST", "/shopee/deauthorize", {"partner_id": partner["partner_id"],
                                                          "shop_id": shop_id}).status == 200
    flush(sandbox)
    got = pushes(inbox, partner["partner_key"], inbox.url)[1:]
    assert got == [
        {"data": {"shop_id_list": [shop_id], "merchant_id_list": [], "success": 1,
                  "extra": f"shop_id {shop_id} is authorized successfully"}, "code": 1, "timestamp": T0},
        {"data": {"shop_id_list": [shop_id], "merchant_id_list": [], "success": 1,
                  "extra": f"shop_id {shop_id} authorization is canceled"}, "code": 2, "timestamp": T0},
    ]
    # The default partner is subscribed to nothing: another app's shop is none of its business.
    assert len(inbox.received) == 3


def test_code_12_goes_out_seven_days_before_the_authorisation_expires(sandbox, inbox):
    app = new_app(sandbox)  # authorised at T0: expires T0 + 365 days
    assert subscribe(sandbox, inbox.url, on=(12,), creds=app).status == 200
    advance(sandbox, 358 * DAY - 1)
    assert pushes(inbox, app["partner_key"], inbox.url, code=12) == []
    advance(sandbox, 1)
    (body,) = pushes(inbox, app["partner_key"], inbox.url, code=12)
    assert body == {"data": {"shop_expire_soon": [app["shop_id"]], "merchant_expire_soon": [],
                             "expire_before": T0 + 365 * DAY, "page_no": 1, "total_page": 1},
                    "code": 12, "timestamp": T0 + 358 * DAY}
    advance(sandbox, 7 * DAY)
    assert len(pushes(inbox, app["partner_key"], inbox.url, code=12)) == 1


def test_a_deauthorised_shop_gets_no_code_12(sandbox, inbox):
    app = new_app(sandbox)
    assert subscribe(sandbox, inbox.url, on=(12,), creds=app).status == 200
    sandbox.admin("POST", "/shopee/deauthorize", {"partner_id": app["partner_id"], "shop_id": app["shop_id"]})
    advance(sandbox, 360 * DAY)
    assert pushes(inbox, app["partner_key"], inbox.url, code=12) == []


def test_pushes_over_http(live, inbox):
    """The same through a real server: set_app_push_config waits for the verification outside the
    store lock while the server keeps answering."""
    assert subscribe(live, inbox.url, on=(3,)).status == 200
    sn = make_order(live, status="UNPAID")
    flush(live)
    body = check_push(inbox.received[-1], live.creds["partner_key"], inbox.url)
    assert (body["code"], body["data"]["ordersn"], body["data"]["status"]) == (3, sn, "UNPAID")
