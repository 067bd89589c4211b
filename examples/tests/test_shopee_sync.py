"""shop_integration.shopee_sync against the sandbox: windows, paging, statuses, retries."""
from __future__ import annotations

import itertools

import pytest
from shop_integration.shopee_sync import (
    MAX_WINDOW_SECONDS,
    ShopeeApiError,
    sync_orders,
    time_windows,
)

DAY = 86400
# Every status a TW order can be in (INVOICE_PENDING is Brazil's only).
TW_STATUSES = ["UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
               "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED"]
LIST = "/api/v2/order/get_order_list"
DETAIL = "/api/v2/order/get_order_detail"
# Shopee's own rate-limit error (reference common_error_list), for a gateway that sends it with HTTP 200.
SHOPEE_RATE_LIMIT = {"request_id": "0" * 32, "error": "error_rate_limit",
                     "message": "Too many requests. You have reached the rate limit. Please try again later."}


def no_sleep(seconds: float) -> None:
    pytest.fail(f"the client retried (sleep {seconds}) where it should not have")


def sandbox_statuses(shopee_shop, order_sns) -> dict[str, str]:
    """What the sandbox itself says (admin view), to compare the client's answer with."""
    return {sn: shopee_shop.status(sn) for sn in order_sns}


def of_shop(shopee_shop) -> dict[str, str]:
    """The query that singles out this shop's requests (for fault rules and the journal)."""
    return {"shop_id": str(shopee_shop.shop_id)}


def test_time_windows_cover_the_range_in_15_day_steps():
    windows = list(time_windows(1_000, 1_000 + 40 * DAY))
    assert len(windows) == 3
    assert windows[0][0] == 1_000 and windows[-1][1] == 1_000 + 40 * DAY
    for (_, end), (next_start, _) in itertools.pairwise(windows):
        assert next_start == end + 1  # inclusive bounds: no gap, no overlap
    assert all(0 < end - start <= MAX_WINDOW_SECONDS for start, end in windows)
    assert list(time_windows(0, MAX_WINDOW_SECONDS)) == [(0, MAX_WINDOW_SECONDS)]
    # Shopee refuses time_from == time_to: a one-second remainder is widened back.
    assert list(time_windows(5, 5)) == [(4, 5)]
    assert list(time_windows(0, MAX_WINDOW_SECONDS + 1))[-1] == (MAX_WINDOW_SECONDS, MAX_WINDOW_SECONDS + 1)
    with pytest.raises(ValueError):
        list(time_windows(10, 9))


def test_sync_returns_exactly_the_seeded_orders_with_the_sandbox_statuses(shopee_shop, sandbox_clock, journal):
    older = shopee_shop.create_orders(250, days=40, statuses=TW_STATUSES)
    recent = shopee_shop.create_orders(120, days=3, statuses=TW_STATUSES)  # > 1 page in the last window
    now = sandbox_clock.now()

    result = sync_orders(shopee_shop.credentials, now - 41 * DAY, now, sleep=no_sleep)

    assert result == sandbox_statuses(shopee_shop, older + recent)
    assert set(result.values()) == set(TW_STATUSES)
    lists = [entry["query"] for entry in journal(LIST, **of_shop(shopee_shop))]  # what the client sent
    assert len(lists) >= 4 and any(query.get("cursor") == "100" for query in lists)  # 3 windows, one paged
    assert all(query["time_range_field"] == "create_time" and query["page_size"] == "100" for query in lists)
    assert all(int(query["time_to"]) - int(query["time_from"]) <= MAX_WINDOW_SECONDS for query in lists)
    details = journal(DETAIL, **of_shop(shopee_shop))
    assert len(details) == 8  # ceil(370 / 50)
    assert sum(len(entry["query"]["order_sn_list"].split(",")) for entry in details) == 370


def test_sync_ignores_orders_outside_the_range(shopee_shop, sandbox_clock):
    sns = shopee_shop.create_orders(40, days=30)
    now = sandbox_clock.now()
    since = now - 10 * DAY
    expected = {sn for sn in sns if shopee_shop.order(sn)["create_time"] >= since}
    assert 0 < len(expected) < len(sns)

    result = sync_orders(shopee_shop.credentials, since, now, sleep=no_sleep)

    assert set(result) == expected


def test_status_changes_while_paging_lose_no_order(shopee_shop, shop_sandbox, sandbox_clock, journal):
    sns = shopee_shop.create_orders(250, days=10, statuses=["UNPAID", "READY_TO_SHIP"])
    unpaid = [sn for sn in sns if shopee_shop.status(sn) == "UNPAID"][:5]
    # Buyers pay and a new order arrives between page 1 and page 2: the sandbox runs these admin
    # calls once it has answered the first list request, before the client reads that answer.
    meanwhile = [{"path": f"/_sandbox/shopee/orders/{sn}/events", "body": {"event": "pay"}} for sn in unpaid]
    meanwhile.append({"path": f"/_sandbox/shopee/shops/{shopee_shop.shop_id}/orders",
                      "body": {"orders": [{"status": "UNPAID", "items": [{"item_name": "Late", "price": 100}]}]}})
    shop_sandbox.inject_fault(LIST, query=of_shop(shopee_shop), then=meanwhile)
    now = sandbox_clock.now()

    result = sync_orders(shopee_shop.credentials, now - 11 * DAY, now, sleep=no_sleep)

    (rule,) = shop_sandbox.faults()
    assert rule["fired"] == 1 and [call["status"] for call in rule["then_results"]] == [200] * 5 + [201]
    assert [entry["query"]["cursor"] for entry in journal(LIST)] == ["", "100", "200"]  # pages 2-3 after it
    assert set(sns) <= set(result)
    assert {result[sn] for sn in unpaid} == {"READY_TO_SHIP"}  # the status at the end of the sync
    assert result == sandbox_statuses(shopee_shop, result)


def test_sync_retries_rate_limits_server_errors_and_broken_connections(shopee_shop, shop_sandbox, sandbox_clock,
                                                                       journal):
    sns = shopee_shop.create_orders(60, days=20)
    shop = of_shop(shopee_shop)
    # Each rule counts every list request and fires on the one after its `skip`: one failure after another.
    failures = [
        shop_sandbox.inject_fault(LIST, query=shop, status=429),  # Shopee's error_rate_limit envelope
        shop_sandbox.inject_fault(LIST, query=shop, skip=1, status=200, body=SHOPEE_RATE_LIMIT),  # by `error`
        shop_sandbox.inject_fault(LIST, query=shop, skip=2, status=503, body="<html>Service Unavailable</html>"),
        shop_sandbox.inject_fault(LIST, query=shop, skip=3, drop=True),  # headers, then the connection closes
        shop_sandbox.inject_fault(LIST, query=shop, skip=4, malformed=True),  # half of the real answer
    ]
    detail_errors = shop_sandbox.inject_fault(DETAIL, query=shop, status=500, times=2)  # error_server
    sleeps: list[float] = []
    now = sandbox_clock.now()

    result = sync_orders(shopee_shop.credentials, now - 21 * DAY, now, sleep=sleeps.append)

    assert result == sandbox_statuses(shopee_shop, sns)
    assert all(rule["remaining"] == 0 for rule in shop_sandbox.faults())
    assert sleeps == [1, 2, 4, 8, 16, 1, 2]  # exponential backoff per call, reset after a success
    assert [(entry["status"], entry["fault"]) for entry in journal(LIST)] == [
        (429, failures[0]["id"]), (200, failures[1]["id"]), (503, failures[2]["id"]),
        (200, failures[3]["id"]), (200, failures[4]["id"]), (200, None), (200, None)]  # 2 windows
    assert [(entry["status"], entry["fault"]) for entry in journal(DETAIL)] == [
        (500, detail_errors["id"]), (500, detail_errors["id"]), (200, None), (200, None)]  # 60 = 50 + 10


def test_sync_gives_up_after_a_bounded_number_of_attempts(shopee_shop, shop_sandbox, sandbox_clock, journal):
    rule = shop_sandbox.inject_fault(LIST, query=of_shop(shopee_shop), status=429, times=10)
    sleeps: list[float] = []
    now = sandbox_clock.now()

    with pytest.raises(ShopeeApiError) as caught:
        sync_orders(shopee_shop.credentials, now - DAY, now, sleep=sleeps.append, max_attempts=4)

    assert (caught.value.error, caught.value.http_status) == ("error_rate_limit", 429)
    assert sleeps == [1, 2, 4]
    assert [f["remaining"] for f in shop_sandbox.faults()] == [6]
    assert [entry["fault"] for entry in journal(LIST)] == [rule["id"]] * 4


def test_a_bad_access_token_fails_at_once(shopee_shop, sandbox_clock):
    now = sandbox_clock.now()
    creds = {**shopee_shop.credentials, "access_token": "0" * 32}
    with pytest.raises(ShopeeApiError) as caught:
        sync_orders(creds, now - DAY, now, sleep=no_sleep)  # not worth a retry: no sleep
    assert caught.value.error == "error_auth"
    assert caught.value.message == "Invalid access_token."


def test_a_wrong_partner_key_fails_with_wrong_sign(shopee_shop, sandbox_clock):
    now = sandbox_clock.now()
    with pytest.raises(ShopeeApiError) as caught:
        sync_orders({**shopee_shop.credentials, "partner_key": "not-the-key"}, now - DAY, now, sleep=no_sleep)
    assert (caught.value.error, caught.value.message) == ("error_sign", "Wrong sign.")
