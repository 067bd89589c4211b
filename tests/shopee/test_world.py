"""The default world (factory.build_world): its partner, shop, tokens and 50 realistic zh_TW orders;
determinism from the seed; settings.epoch; and generating 10,000 orders quickly."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from mockserver.app import create_app
from mockserver.shopee import lifecycle
from mockserver.shopee.catalogue_data import TW_PLACES
from tests.conftest import T0, make_settings
from tests.shopee.order_support import DAY, advance, new_shop
from tests.support.clients import SandboxClient

UTC8 = timezone(timedelta(hours=8))
CJK = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def client(**settings) -> SandboxClient:
    return SandboxClient(flask_client=create_app(make_settings(**settings)).test_client())


def state(sandbox) -> dict:
    return sandbox.admin("GET", "/state").body["shopee"]


# ---- the default world -------------------------------------------------------------------------------
def test_one_erp_partner_and_one_authorised_tw_shop(sandbox):
    world = state(sandbox)
    assert [p["app_type"] for p in world["partners"]] == ["ERP System"]
    assert len(world["shops"]) == 1
    shop, partner = world["shops"][0], world["partners"][0]
    assert shop["region"] == "TW" and shop["status"] == "NORMAL"
    assert list(shop["authorisations"]) == [str(partner["partner_id"])]
    creds = sandbox.creds
    assert (creds["partner_id"], creds["shop_id"], creds["app_type"]) == (partner["partner_id"], shop["shop_id"],
                                                                          "ERP System")


def test_the_default_token_pair_works(sandbox):
    creds = sandbox.creds
    info = sandbox.shopee("GET", "shop/get_shop_info")
    assert info.status == 200 and info.body["region"] == "TW"
    refreshed = sandbox.shopee("POST", "auth/access_token/get", {
        "refresh_token": creds["refresh_token"], "partner_id": creds["partner_id"], "shop_id": creds["shop_id"]},
        shop=False)
    assert refreshed.status == 200, refreshed.body
    assert refreshed.body["access_token"] and refreshed.body["access_token"] != creds["access_token"]


def test_fifty_orders_cover_every_tw_status(sandbox):
    orders = state(sandbox)["orders"]
    assert len(orders) == 50
    assert {o["status"] for o in orders} == set(lifecycle.STATUSES) - {lifecycle.INVOICE_PENDING}


def test_orders_look_like_taiwanese_orders(sandbox):
    for o in state(sandbox)["orders"]:
        r = o["recipient"]
        assert r["region"] == "TW" and o["currency"] == "TWD"
        assert r["city"] in TW_PLACES and (r["district"], r["zipcode"]) in TW_PLACES[r["city"]]
        assert r["full_address"].startswith(r["zipcode"] + r["city"] + r["district"])
        assert re.fullmatch(r"8869\d{8}", r["phone"])
        assert CJK.match(r["name"]), r["name"]
        day = datetime.fromtimestamp(o["create_time"], UTC8).strftime("%y%m%d")
        assert re.fullmatch(r"\d{6}[0-9A-Z]{8}", o["order_sn"]) and o["order_sn"][:6] == day
        assert all(re.search(r"[\u4e00-\u9fff]", i["item_name"]) for i in o["items"])
        if o["cod"]:
            assert o["payment_method"] == "Cash on Delivery"


def _masked_like_the_reference(o: dict) -> dict:
    """get_order_detail's field table: TW integrated-channel orders "all masked as ****"; a TW
    non-integrated order's phone is "****" (its parcel has a virtual_contact_number); a COMPLETED
    order's name, phone and address as the reference sample masks them."""
    r = dict(o["recipient"])
    if o["logistics_channel_id"] != 30011:
        return {k: (v if k == "region" else "****") for k, v in r.items()}
    if o["status"] == "COMPLETED":
        r.update(name=r["name"][0] + "******" + r["name"][-1], full_address=r["full_address"][:2] + "******")
    return {**r, "phone": "****"}


def test_recipient_reaches_the_api_as_generated_masked_as_the_reference_says(sandbox):
    orders = state(sandbox)["orders"]
    answer = sandbox.shopee("GET", "order/get_order_detail", {
        "order_sn_list": ",".join(o["order_sn"] for o in orders), "response_optional_fields": "recipient_address"})
    assert answer.status == 200, answer.body
    got = {o["order_sn"]: o["recipient_address"] for o in answer.body["response"]["order_list"]}
    assert got == {o["order_sn"]: _masked_like_the_reference(o) for o in orders}
    assert any(o["logistics_channel_id"] == 30011 for o in orders)  # some zh_TW addresses show


def test_history_lies_in_the_fifteen_days_before_the_world_epoch(sandbox):
    epoch = T0 - T0 % DAY  # no settings.epoch: 00:00 UTC of the clock's day
    for o in state(sandbox)["orders"]:
        assert epoch - 15 * DAY <= o["create_time"] < epoch
        times = [t for t, _ in o["history"]]
        assert times == sorted(times) and times[-1] <= epoch and o["update_time"] == times[-1]
        assert [s for _, s in o["history"]][-1] == o["status"]


def test_shipped_orders_carry_tracking_and_cancelled_ones_their_stock_back(sandbox):
    orders = state(sandbox)["orders"]
    for o in orders:
        arranged = o["status"] in ("PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE", "TO_RETURN")
        if arranged or (o["status"] == "COMPLETED"):
            assert all(p["tracking_number"] for p in o["packages"]), o["order_sn"]
        if o["status"] == "CANCELLED":
            assert all(i["cancelled_qty"] == i["quantity"] for i in o["items"])
            assert o["cancel_by"] and o["cancel_reason"]
        if o["status"] == "IN_CANCEL":
            assert o["buyer_cancel_reason"]


# ---- determinism -------------------------------------------------------------------------------------
def test_same_seed_and_clock_give_byte_identical_state():
    first, second = client(), client()
    assert first.admin("GET", "/state").text == second.admin("GET", "/state").text


def test_a_different_seed_gives_different_data():
    first, other = state(client()), state(client(seed=8))
    assert {o["order_sn"] for o in first["orders"]}.isdisjoint({o["order_sn"] for o in other["orders"]})
    assert first["partners"][0]["partner_key"] != other["partners"][0]["partner_key"]
    assert [o["recipient"] for o in first["orders"]] != [o["recipient"] for o in other["orders"]]


def test_state_does_not_depend_on_the_process_hash_seed():
    """Two interpreters with different PYTHONHASHSEED build the same world (no set-order leaks)."""
    script = ("from tests.conftest import make_settings; from mockserver.app import create_app; import hashlib;"
              "c = create_app(make_settings()).test_client();"
              "print(hashlib.sha256(c.get('/_sandbox/state').data).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                             cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_epoch_pins_the_dates_whatever_the_clock():
    epoch = 1_700_000_000
    early, late = client(epoch=epoch), client(epoch=epoch, clock_start=T0 + 30 * DAY)
    assert state(early)["orders"] == state(late)["orders"]
    assert all(epoch - 15 * DAY <= o["create_time"] < epoch for o in state(early)["orders"])


def test_without_epoch_the_dates_follow_the_clock():
    now, later = state(client())["orders"], state(client(clock_start=T0 + 30 * DAY))["orders"]
    shift = {b["create_time"] - a["create_time"] for a, b in zip(now, later)}
    assert shift == {30 * DAY}


# ---- generated orders ---------------------------------------------------------------------------------
def test_ten_thousand_orders_are_generated_in_one_call(sandbox):
    # How fast is bench/'s business (bench/scale.py), not a test's.
    shop_id = sandbox.creds["shop_id"]
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": 10_000})
    assert answer.status == 201, answer.body
    assert answer.body["created"] == 10_000 and len(set(answer.body["order_sns"])) == 10_000
    listing = sandbox.shopee("GET", "order/get_order_list", {
        "time_range_field": "create_time", "time_from": T0 - 14 * DAY, "time_to": T0, "page_size": 100})
    assert listing.status == 200 and listing.body["response"]["more"] is True


def test_br_shop_orders_wait_for_invoices_and_never_pay_cash_on_delivery(sandbox):
    shop = new_shop(sandbox, "BR")
    answer = sandbox.admin("POST", f"/shopee/shops/{shop['shop_id']}/orders", {"count": 60})
    assert answer.status == 201, answer.body
    orders = [o for o in state(sandbox)["orders"] if o["shop_id"] == shop["shop_id"]]
    statuses = {o["status"] for o in orders}
    assert {"INVOICE_PENDING", "READY_TO_SHIP"} <= statuses
    assert all(o["currency"] == "BRL" and not o["cod"] for o in orders)
    assert all(o["pay_time"] for o in orders if o["status"] == "READY_TO_SHIP")


@pytest.mark.parametrize("target", sorted(set(lifecycle.STATUSES) - {lifecycle.INVOICE_PENDING}))
def test_generated_orders_reach_the_status_asked_for(sandbox, target):
    shop_id = sandbox.creds["shop_id"]
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": 6, "statuses": [target]})
    assert answer.status == 201, answer.body
    made = set(answer.body["order_sns"])
    orders = [o for o in state(sandbox)["orders"] if o["order_sn"] in made]
    assert [o["status"] for o in orders] == [target] * 6
    assert all(o["history"][-1][0] <= sandbox.now() for o in orders)


def test_invoice_pending_is_refused_for_a_tw_shop(sandbox):
    shop_id = sandbox.creds["shop_id"]
    before = len(state(sandbox)["orders"])
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"count": 3, "statuses": ["INVOICE_PENDING"]})
    assert answer.status == 400
    assert len(state(sandbox)["orders"]) == before


def test_generated_world_has_no_auto_progress_backlog(sandbox):
    """Orders are made with a history, not with timers: moving the clock moves nothing by itself."""
    before = [o["status"] for o in state(sandbox)["orders"]]
    advance(sandbox, 30 * DAY)
    assert [o["status"] for o in state(sandbox)["orders"]] == before


def test_explicit_order_lines_sell_at_the_price_given(sandbox):
    shop_id = sandbox.creds["shop_id"]
    items = [{"item_name": f"Item {n}", "price": 420, "quantity": 2, "stock": 5} for n in range(8)]
    answer = sandbox.admin("POST", f"/shopee/shops/{shop_id}/orders", {"orders": [{"items": items}]})
    assert answer.status == 201, answer.body
    made = next(o for o in state(sandbox)["orders"] if o["order_sn"] == answer.body["order_sns"][0])
    assert {i["discounted_price"] for i in made["items"]} == {420}
