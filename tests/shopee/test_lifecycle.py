"""The order status machine (lifecycle.EVENTS) through POST /_sandbox/shopee/orders/<sn>/events, the
seller's ship_order in between, and auto-progress on the sandbox clock."""
from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.shopee import lifecycle
from tests.conftest import T0, make_settings
from tests.shopee.order_support import (DAY, HOUR, advance, comparable, detail, event, make_order, new_shop,
                                        order)
from tests.support.clients import SandboxClient

SEVEN_ELEVEN = 30005
TW_STATUSES = [s for s in lifecycle.STATUSES if s != lifecycle.INVOICE_PENDING]
LEGAL = [(status, name) for name, table in lifecycle.EVENTS.items() for status in table]


def order_in(sandbox, status: str) -> str:
    """An order in `status` (INVOICE_PENDING: of a new BR shop), stock 5, 2 bought."""
    if status == lifecycle.INVOICE_PENDING:
        shop = new_shop(sandbox, "BR")
        return make_order(sandbox, shop["shop_id"], status=status)
    return make_order(sandbox, status=status, logistics_channel_id=SEVEN_ELEVEN)


def stock(sandbox, sn: str) -> int:
    return next(iter(order(sandbox, sn)["stock"].values()))


def ship(sandbox, sn: str):
    answer = sandbox.shopee("POST", "logistics/ship_order", {"order_sn": sn, "dropoff": {}})
    assert answer.status == 200, answer.body
    return answer


def move(sandbox, sn: str, name: str, expected: str, **body) -> None:
    answer = event(sandbox, sn, name, **body)
    assert answer.status == 200, answer.body
    assert answer.body["status"] == expected, answer.body


def status(sandbox, sn: str) -> str:
    return order(sandbox, sn)["status"]


def renew(sandbox) -> None:
    """A fresh access token for the default shop (they last 4 hours of sandbox time)."""
    creds = sandbox.creds
    answer = sandbox.shopee("POST", "auth/access_token/get", {
        "refresh_token": creds["refresh_token"], "partner_id": creds["partner_id"], "shop_id": creds["shop_id"]},
        shop=False)
    assert answer.status == 200, answer.body
    sandbox._creds = {**creds, "access_token": answer.body["access_token"],
                      "refresh_token": answer.body["refresh_token"]}


def settings(sandbox, **body) -> None:
    assert sandbox.admin("POST", "/shopee/settings", body).status == 200


# ---- the table -------------------------------------------------------------------------------------
@pytest.mark.parametrize("current", lifecycle.STATUSES)
def test_every_illegal_event_is_409_with_the_current_status_and_changes_nothing(sandbox, current):
    sn = order_in(sandbox, current)
    illegal = [name for name, table in lifecycle.EVENTS.items() if current not in table]
    assert illegal
    before = comparable(order(sandbox, sn))
    advance(sandbox, 60)
    for name in illegal:
        answer = event(sandbox, sn, name)
        assert answer.status == 409, (name, answer.body)
        assert answer.body["error"] == "illegal_transition"
        assert answer.body["status"] == current and answer.body["event"] == name
        assert current in answer.body["message"]
    assert comparable(order(sandbox, sn)) == before


@pytest.mark.parametrize("current, name", LEGAL)
def test_every_legal_event_moves_the_order_and_stamps_update_time(sandbox, current, name):
    sn = order_in(sandbox, current)
    bought = stock(sandbox, sn)
    advance(sandbox, 2 * HOUR)  # past the free-cancel hour: buyer_cancel asks the seller
    answer = event(sandbox, sn, name)
    assert answer.status == 200, answer.body
    expected = lifecycle.EVENTS[name][current]
    assert answer.body["previous_status"] == current and answer.body["status"] == expected
    view = order(sandbox, sn)
    assert view["status"] == expected
    assert view["update_time"] == answer.body["update_time"] == sandbox.now()
    assert view["history"][-1] == [sandbox.now(), expected]
    if expected == lifecycle.CANCELLED:
        assert stock(sandbox, sn) == bought + 2  # seed 001: a cancelled order gives its stock back
    else:
        assert stock(sandbox, sn) == bought


def test_unknown_event_is_400_and_unknown_order_404(sandbox):
    sn = order_in(sandbox, "READY_TO_SHIP")
    assert event(sandbox, sn, "teleport").status == 400
    assert event(sandbox, "000000NOTREAL", "pay").status == 404
    assert status(sandbox, sn) == "READY_TO_SHIP"


# ---- paths -----------------------------------------------------------------------------------------
def test_retry_ship_then_ship_again_then_through_to_completed(sandbox):
    sn = order_in(sandbox, "READY_TO_SHIP")
    seen = [order(sandbox, sn)["update_time"]]

    def step(action, expected):
        advance(sandbox, 600)
        action()
        view = order(sandbox, sn)
        assert view["status"] == expected and detail(sandbox, sn)["order_status"] == expected
        assert view["update_time"] == sandbox.now() and view["update_time"] > seen[-1]
        seen.append(view["update_time"])

    step(lambda: ship(sandbox, sn), "PROCESSED")
    number = order(sandbox, sn)["packages"][0]["tracking_number"]
    step(lambda: move(sandbox, sn, "pickup_failed", "RETRY_SHIP"), "RETRY_SHIP")
    assert order(sandbox, sn)["packages"][0]["logistics_status"] == "LOGISTICS_PICKUP_RETRY"
    step(lambda: ship(sandbox, sn), "PROCESSED")
    assert order(sandbox, sn)["packages"][0]["tracking_number"] == number  # the same parcel, the same number
    step(lambda: move(sandbox, sn, "pickup", "SHIPPED"), "SHIPPED")
    assert order(sandbox, sn)["pickup_done_time"] == sandbox.now()
    step(lambda: move(sandbox, sn, "deliver", "TO_CONFIRM_RECEIVE"), "TO_CONFIRM_RECEIVE")
    step(lambda: move(sandbox, sn, "confirm_receive", "COMPLETED"), "COMPLETED")
    history = [s for _, s in order(sandbox, sn)["history"]]
    assert history == ["UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "PROCESSED", "SHIPPED",
                       "TO_CONFIRM_RECEIVE", "COMPLETED"]


def test_return_then_complete(sandbox):
    sn = order_in(sandbox, "TO_CONFIRM_RECEIVE")
    move(sandbox, sn, "request_return", "TO_RETURN")
    assert detail(sandbox, sn)["order_status"] == "TO_RETURN"
    move(sandbox, sn, "complete", "COMPLETED")
    codes = [t["logistics_status"] for t in order(sandbox, sn)["packages"][0]["tracking"]]
    assert codes[-2:] == ["RETURN_STARTED", "RETURNED"]


def test_pickup_needs_a_tracking_number(sandbox):
    settings(sandbox, tracking_delay_seconds=HOUR)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    before = comparable(order(sandbox, sn))
    for name in ("pickup", "pickup_failed"):
        refused = event(sandbox, sn, name)
        assert refused.status == 409 and refused.body["status"] == "PROCESSED"
        assert "tracking number" in refused.body["message"]
    assert comparable(order(sandbox, sn)) == before
    advance(sandbox, HOUR)
    move(sandbox, sn, "pickup", "SHIPPED")


@pytest.mark.parametrize("after, expected", [(0, "CANCELLED"), (HOUR - 1, "CANCELLED"), (HOUR, "IN_CANCEL"),
                                             (3 * HOUR, "IN_CANCEL")])
def test_buyer_cancel_is_immediate_only_within_the_hour_after_payment(sandbox, after, expected):
    sn = order_in(sandbox, "UNPAID")
    advance(sandbox, 5 * HOUR)  # the hour counts from payment, not from the order
    move(sandbox, sn, "pay", "READY_TO_SHIP")
    assert order(sandbox, sn)["pay_time"] == sandbox.now()
    advance(sandbox, after)
    bought = stock(sandbox, sn)
    move(sandbox, sn, "buyer_cancel", expected, reason="Too long delivery time")
    renew(sandbox)
    got = detail(sandbox, sn, "cancel_by,cancel_reason,buyer_cancel_reason")
    assert got["buyer_cancel_reason"] == "Too long delivery time"
    if expected == "CANCELLED":
        assert (got["cancel_by"], got["cancel_reason"]) == ("buyer", "Buyer Request to Cancel")
        assert stock(sandbox, sn) == bought + 2
    else:
        assert got["cancel_by"] == "" and stock(sandbox, sn) == bought


def test_buyer_cancel_within_the_hour_cancels_even_an_arranged_parcel(sandbox):
    sn = order_in(sandbox, "UNPAID")
    move(sandbox, sn, "pay", "READY_TO_SHIP")
    advance(sandbox, 600)
    ship(sandbox, sn)  # seed 001: why ship_order is advised only after that hour
    advance(sandbox, 600)
    move(sandbox, sn, "buyer_cancel", "CANCELLED")
    package = order(sandbox, sn)["packages"][0]
    assert package["logistics_status"] == "LOGISTICS_REQUEST_CANCELED"


def test_in_cancel_accepted_by_the_seller_gives_the_stock_back(sandbox):
    sn = order_in(sandbox, "READY_TO_SHIP")
    advance(sandbox, 2 * HOUR)
    move(sandbox, sn, "buyer_cancel", "IN_CANCEL")
    bought = stock(sandbox, sn)
    answer = sandbox.shopee("POST", "order/handle_buyer_cancellation", {"order_sn": sn, "operation": "ACCEPT"})
    assert answer.status == 200, answer.body
    assert status(sandbox, sn) == "CANCELLED" and stock(sandbox, sn) == bought + 2


def test_unpaid_buyer_cancel_cancels_at_once(sandbox):
    sn = order_in(sandbox, "UNPAID")
    advance(sandbox, 3 * HOUR)
    move(sandbox, sn, "buyer_cancel", "CANCELLED")
    got = detail(sandbox, sn, "cancel_by,buyer_cancel_reason")
    assert got["cancel_by"] == "buyer" and got["buyer_cancel_reason"] == lifecycle.BUYER_CANCEL_REASON


def test_system_cancel_of_a_shipped_order_is_a_lost_parcel(sandbox):
    sn = order_in(sandbox, "SHIPPED")
    bought = stock(sandbox, sn)
    advance(sandbox, DAY)
    move(sandbox, sn, "system_cancel", "CANCELLED")
    renew(sandbox)
    got = detail(sandbox, sn, "cancel_by,cancel_reason,package_list")
    assert (got["cancel_by"], got["cancel_reason"]) == ("system", "Parcel is Lost")
    assert got["package_list"][0]["logistics_status"] == "LOGISTICS_LOST"
    assert stock(sandbox, sn) == bought + 2


@pytest.mark.parametrize("current, reason", [("UNPAID", "Unpaid Order"), ("READY_TO_SHIP", "Seller did not Ship"),
                                             ("RETRY_SHIP", "3PL pickup Fail")])
def test_system_cancel_names_a_reason_from_the_data_definition(sandbox, current, reason):
    sn = order_in(sandbox, current)
    move(sandbox, sn, "system_cancel", "CANCELLED")
    assert detail(sandbox, sn, "cancel_reason")["cancel_reason"] == reason
    sn = order_in(sandbox, current)
    move(sandbox, sn, "system_cancel", "CANCELLED", reason="Logistic Issue")
    assert detail(sandbox, sn, "cancel_reason")["cancel_reason"] == "Logistic Issue"


def test_br_order_waits_for_its_invoice(sandbox):
    shop = new_shop(sandbox, "BR")
    sn = make_order(sandbox, shop["shop_id"], status="UNPAID")
    move(sandbox, sn, "pay", "INVOICE_PENDING")
    listed = sandbox.shopee("GET", "order/get_order_list", {
        "time_range_field": "create_time", "time_from": T0 - DAY, "time_to": T0 + 1, "page_size": 10,
        "response_optional_fields": "order_status"}, creds=shop).body["response"]["order_list"]
    assert listed == [{"order_sn": sn, "order_status": "INVOICE_PENDING"}]
    # Seed 001: INVOICE_PENDING shows in get_order_list only; get_order_detail reads READY_TO_SHIP.
    assert detail(sandbox, sn, creds=shop)["order_status"] == "READY_TO_SHIP"
    assert order(sandbox, sn)["packages"][0]["logistics_status"] == "LOGISTICS_PENDING_ARRANGE"
    advance(sandbox, 60)
    move(sandbox, sn, "issue_invoice", "READY_TO_SHIP")
    assert order(sandbox, sn)["update_time"] == sandbox.now()


def test_tw_order_never_waits_for_an_invoice(sandbox):
    sn = order_in(sandbox, "UNPAID")
    move(sandbox, sn, "pay", "READY_TO_SHIP")
    assert event(sandbox, sn, "issue_invoice").status == 409


def test_seller_reject_restores_the_status_without_new_tracking_events(sandbox):
    sn = order_in(sandbox, "PROCESSED")
    advance(sandbox, 2 * HOUR)
    tracking = order(sandbox, sn)["packages"][0]["tracking"]
    move(sandbox, sn, "buyer_cancel", "IN_CANCEL")
    answer = sandbox.shopee("POST", "order/handle_buyer_cancellation", {"order_sn": sn, "operation": "REJECT"})
    assert answer.status == 200, answer.body
    view = order(sandbox, sn)
    assert view["status"] == "PROCESSED" and view["packages"][0]["tracking"] == tracking


# ---- auto-progress ---------------------------------------------------------------------------------
def test_auto_progress_steps_are_a_day_two_days_and_seven_days():
    assert lifecycle.AUTO_PROGRESS == {"PROCESSED": ("pickup", DAY), "SHIPPED": ("deliver", 2 * DAY),
                                       "TO_CONFIRM_RECEIVE": ("complete", 7 * DAY)}


def test_auto_progress_moves_a_shipped_order_on_the_clock(sandbox):
    settings(sandbox, auto_progress=True)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    for wait, expected in ((DAY, "SHIPPED"), (2 * DAY, "TO_CONFIRM_RECEIVE"), (7 * DAY, "COMPLETED")):
        before = status(sandbox, sn)
        advance(sandbox, wait - 1)
        assert status(sandbox, sn) == before
        advance(sandbox, 1)
        view = order(sandbox, sn)
        assert view["status"] == expected and view["update_time"] == sandbox.now()


def test_one_long_advance_runs_the_whole_chain_at_the_due_times(sandbox):
    settings(sandbox, auto_progress=True)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    advance(sandbox, 30 * DAY)
    history = order(sandbox, sn)["history"][-4:]
    assert history == [[T0, "PROCESSED"], [T0 + DAY, "SHIPPED"], [T0 + 3 * DAY, "TO_CONFIRM_RECEIVE"],
                       [T0 + 10 * DAY, "COMPLETED"]]


def test_a_stale_job_does_not_move_an_order_moved_by_hand(sandbox):
    settings(sandbox, auto_progress=True)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)  # pickup due at T0 + 1 day
    advance(sandbox, DAY // 2)
    move(sandbox, sn, "pickup_failed", "RETRY_SHIP")
    renew(sandbox)
    ship(sandbox, sn)  # PROCESSED again: its own pickup due at T0 + 1.5 days
    advance(sandbox, DAY // 2)
    assert status(sandbox, sn) == "PROCESSED"  # the first job found the order moved meanwhile
    advance(sandbox, DAY // 2)
    assert order(sandbox, sn)["history"][-1] == [T0 + DAY + DAY // 2, "SHIPPED"]
    move(sandbox, sn, "deliver", "TO_CONFIRM_RECEIVE")  # by hand, before the deliver job
    move(sandbox, sn, "confirm_receive", "COMPLETED")
    advance(sandbox, 10 * DAY)
    history = [s for _, s in order(sandbox, sn)["history"]]
    assert history.count("COMPLETED") == 1 and history[-1] == "COMPLETED"


def test_a_note_does_not_stop_auto_progress(sandbox):
    settings(sandbox, auto_progress=True)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    advance(sandbox, HOUR)
    assert sandbox.shopee("POST", "order/set_note", {"order_sn": sn, "note": "fragile"}).status == 200
    advance(sandbox, DAY)
    assert status(sandbox, sn) == "SHIPPED"


def test_auto_progress_waits_for_the_tracking_number(sandbox):
    settings(sandbox, auto_progress=True, tracking_delay_seconds=3 * DAY)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    advance(sandbox, 3 * DAY + DAY - 1)
    assert status(sandbox, sn) == "PROCESSED"
    advance(sandbox, 1)
    assert order(sandbox, sn)["history"][-1] == [T0 + 4 * DAY, "SHIPPED"]


def test_without_auto_progress_nothing_moves_by_itself(sandbox):
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    advance(sandbox, 30 * DAY)
    assert status(sandbox, sn) == "PROCESSED"


def test_switching_auto_progress_off_stops_pending_jobs(sandbox):
    settings(sandbox, auto_progress=True)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    settings(sandbox, auto_progress=False)
    advance(sandbox, 2 * DAY)
    assert status(sandbox, sn) == "PROCESSED"


def test_a_world_built_with_auto_progress_starts_its_timers_at_build_time():
    app = create_app(make_settings(shopee_auto_progress=True))
    sandbox = SandboxClient(flask_client=app.test_client())
    before = {o["order_sn"]: o["status"] for o in sandbox.admin("GET", "/state").body["shopee"]["orders"]}
    assert "SHIPPED" in before.values() and "PROCESSED" in before.values()
    advance(sandbox, DAY - 1)  # the seeded history is in the past, yet nothing jumps at once
    assert {o["order_sn"]: o["status"] for o in sandbox.admin("GET", "/state").body["shopee"]["orders"]} == before
    advance(sandbox, 1)
    after = {o["order_sn"]: o["status"] for o in sandbox.admin("GET", "/state").body["shopee"]["orders"]}
    moved = {sn for sn in before if after[sn] != before[sn]}
    assert moved == {sn for sn, s in before.items() if s == "PROCESSED"}
    assert all(after[sn] == "SHIPPED" for sn in moved)


def test_allowed_events_follow_the_table_and_the_tracking_rule(app, sandbox):
    world = app.extensions["shop_sandbox"].backend("shopee")
    for current in TW_STATUSES:
        sn = order_in(sandbox, current)
        expected = [name for name, table in lifecycle.EVENTS.items() if current in table]
        assert lifecycle.allowed_events(world.orders[sn], sandbox.now()) == expected
    settings(sandbox, tracking_delay_seconds=HOUR)
    sn = order_in(sandbox, "READY_TO_SHIP")
    ship(sandbox, sn)
    assert lifecycle.allowed_events(world.orders[sn], sandbox.now()) == ["buyer_cancel", "system_cancel"]


def test_switching_auto_progress_on_starts_the_timers_of_waiting_orders(sandbox):
    sn = order_in(sandbox, "SHIPPED")
    advance(sandbox, 5 * DAY)  # long shipped: its timer starts when auto-progress is switched on
    settings(sandbox, auto_progress=True)
    advance(sandbox, 2 * DAY - 1)
    assert status(sandbox, sn) == "SHIPPED"
    advance(sandbox, 1)
    assert status(sandbox, sn) == "TO_CONFIRM_RECEIVE"
