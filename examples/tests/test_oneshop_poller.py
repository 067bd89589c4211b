"""shop_integration.oneshop_poller against the sandbox: paging, both list shapes, 429 + Retry-After
on the sandbox clock, 5xx backoff, and 1shop's error answers."""
from __future__ import annotations

import pytest
from shop_integration.oneshop_poller import STATUS_FIELDS, OneshopApiError, poll_orders

PAGE = 50  # 1shop's page size
LIST = "/v1/order"


def no_sleep(seconds: float) -> None:
    pytest.fail(f"the poller waited ({seconds} s) where it should not have")


def sandbox_statuses(oneshop_account, order_numbers) -> dict[str, dict]:
    """The three statuses as the sandbox has them (admin view)."""
    result = {}
    for number in order_numbers:
        order = oneshop_account.order(number)["detail"]["order"]
        result[number] = {field: order[field] for field in STATUS_FIELDS}
    return result


def test_poll_returns_every_order_with_its_three_statuses(oneshop_account):
    numbers = oneshop_account.create_orders(2 * PAGE + 30)

    result = poll_orders(oneshop_account.credentials, sleep=no_sleep)

    assert result == sandbox_statuses(oneshop_account, numbers)
    assert len({s["progress_status"] for s in result.values()}) > 3  # a mix, not one status


def test_poll_reads_the_php_object_shape_of_the_list(oneshop_account):
    numbers = oneshop_account.create_orders(PAGE + 5)
    oneshop_account.settings(list_shape="object")  # data.order = {"0": {...}, "1": {...}}
    raw = oneshop_account.client.orders(page=1).json()["data"]["order"]
    assert isinstance(raw, dict) and "0" in raw

    result = poll_orders(oneshop_account.credentials, sleep=no_sleep)

    assert result == sandbox_statuses(oneshop_account, numbers)


def test_an_order_created_while_paging_pushes_none_out_of_reach(oneshop_account, shop_sandbox, journal):
    numbers = oneshop_account.create_orders(2 * PAGE)  # exactly 2 pages
    # Newest first: a new order between page 1 and page 2 pushes the oldest one onto a third page.
    # The sandbox creates it once it has answered page 1, before the poller reads that answer.
    shop_sandbox.inject_fault(LIST, query={"appid": oneshop_account.appid, "page": "1"}, then=[
        {"path": f"/_sandbox/oneshop/accounts/{oneshop_account.appid}/orders", "body": {"orders": [{}]}}])

    result = poll_orders(oneshop_account.credentials, sleep=no_sleep)

    (created,) = shop_sandbox.faults()[0]["then_results"]
    assert created["status"] == 201
    # Every order that existed when polling began; the new one went onto page 1, already read (the
    # next poll finds it).
    assert set(result) == set(numbers) and created["body"]["order_numbers"][0] not in result
    assert [entry["query"]["page"] for entry in journal(LIST, appid=oneshop_account.appid)] == ["1", "2", "3"]


def test_poll_of_an_empty_account_is_empty(oneshop_account):
    assert poll_orders(oneshop_account.credentials, sleep=no_sleep) == {}


def test_poll_waits_exactly_what_retry_after_says_on_the_sandbox_clock(oneshop_account, shop_sandbox, sandbox_clock,
                                                                       journal):
    numbers = oneshop_account.create_orders(12 * PAGE)  # 12 pages: more requests than one window allows
    oneshop_account.set_rate_limit(10, window_seconds=10)
    start = sandbox_clock.freeze()
    frozen_at = sandbox_clock.now_float()  # `start` without its fraction of a second
    for _ in range(7):  # an earlier job of ours spent 7 requests at `start` ...
        assert oneshop_account.client.orders(page=1).status == 200
    sandbox_clock.advance(4)  # ... 4 s ago
    assert shop_sandbox.clear_requests() == 7  # the journal now holds the poller's requests only
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:  # waiting means the sandbox's time passing, not ours
        sleeps.append(seconds)
        sandbox_clock.advance(seconds)

    result = poll_orders(oneshop_account.credentials, sleep=sleep)

    assert result == sandbox_statuses(oneshop_account, numbers)
    # Pages 1-3 fill the window at start+4; page 4 is told to wait until the 7 early requests leave
    # it (6 s); pages 4-10 then fill it again and page 11 waits for pages 1-3 to leave (4 s). Any
    # early retry would have been another 429, hence another sleep.
    assert sleeps == [6, 4]
    assert sandbox_clock.now() == start + 4 + 10
    # The sandbox's own record: one 429 per wait, and the retry sent when Retry-After said.
    sent = [(e["query"]["page"], e["status"], round(e["at"] - frozen_at, 3)) for e in journal(LIST)]
    assert sent == [("1", 200, 4), ("2", 200, 4), ("3", 200, 4), ("4", 429, 4), ("4", 200, 10),
                    *[(str(page), 200, 10) for page in range(5, 11)], ("11", 429, 10), ("11", 200, 14),
                    ("12", 200, 14)]


def test_poll_backs_off_on_server_errors_and_broken_connections(oneshop_account, shop_sandbox, journal):
    numbers = oneshop_account.create_orders(PAGE + 1)
    mine = {"appid": oneshop_account.appid}
    page_2 = {**mine, "page": "2"}
    # Each rule counts every matching request and fires on the one after its `skip`.
    shop_sandbox.inject_fault(LIST, query=mine, status=502, body="<html>Bad Gateway</html>")  # a proxy's page
    shop_sandbox.inject_fault(LIST, query=mine, skip=1, status=500)  # 1shop's {"success":-500,"data":[],"msg":"系統錯誤"}
    shop_sandbox.inject_fault(LIST, query=mine, skip=2, drop=True)  # headers, then the connection closes
    shop_sandbox.inject_fault(LIST, query=mine, skip=3, malformed=True)  # half of the real answer
    # A 429 without Retry-After (an explicit body replaces 1shop's envelope and its header): a short
    # default wait. Then 1shop's own 429, told to say Retry-After: 3.
    shop_sandbox.inject_fault(LIST, query=page_2, status=429, body={"success": -9999})
    shop_sandbox.inject_fault(LIST, query=page_2, skip=1, status=429, retry_after=3)
    sleeps: list[float] = []

    result = poll_orders(oneshop_account.credentials, sleep=sleeps.append)

    assert result == sandbox_statuses(oneshop_account, numbers)
    assert sleeps == [1, 2, 4, 8, 1, 3]
    assert all(rule["remaining"] == 0 for rule in shop_sandbox.faults())
    assert [(e["query"]["page"], e["status"]) for e in journal(LIST, **mine)] == [
        ("1", 502), ("1", 500), ("1", 200), ("1", 200), ("1", 200), ("2", 429), ("2", 429), ("2", 200)]


def test_poll_gives_up_after_a_bounded_number_of_failures(oneshop_account, shop_sandbox, journal):
    rule = shop_sandbox.inject_fault(LIST, query={"appid": oneshop_account.appid}, status=503, times=20)
    sleeps: list[float] = []
    with pytest.raises(OneshopApiError, match="gave up after 8 attempts: HTTP 503"):
        poll_orders(oneshop_account.credentials, sleep=sleeps.append)
    assert sleeps == [1, 2, 4, 8, 16, 30, 30]
    assert [f["remaining"] for f in shop_sandbox.faults()] == [12]
    assert [entry["fault"] for entry in journal(LIST)] == [rule["id"]] * 8


@pytest.mark.parametrize(("change", "code", "status"), [
    ({"secret": "wrong"}, -3, 200),  # seed 003: failures are HTTP 200 too; `success` says what failed
    ({"appid": "nobody"}, -3, 200),
    ({"appid": ""}, -2, 200),
], ids=["wrong-secret", "unknown-appid", "missing-appid"])
def test_bad_credentials_raise_at_once(oneshop_account, change, code, status):
    with pytest.raises(OneshopApiError) as caught:
        poll_orders({**oneshop_account.credentials, **change}, sleep=no_sleep)
    assert (caught.value.code, caught.value.http_status) == (code, status)
    assert caught.value.msg  # 1shop's own explanation is kept


def test_an_account_without_the_enterprise_plan_raises(oneshop_account):
    oneshop_account.settings(enterprise=False)
    with pytest.raises(OneshopApiError) as caught:
        poll_orders(oneshop_account.credentials, sleep=no_sleep)
    assert caught.value.code == -4 and "企業方案" in caught.value.msg


def test_since_asks_only_for_orders_created_from_that_day(oneshop_account):
    numbers = oneshop_account.create_orders(80, days=30)
    created = {n: oneshop_account.order(n)["detail"]["order"]["create_date"] for n in numbers}  # UTC+8
    since = sorted(created.values())[40][:10]  # a day in the middle

    result = poll_orders(oneshop_account.credentials, sleep=no_sleep, since=since)

    assert set(result) == {n for n, date in created.items() if date[:10] >= since}
    assert 0 < len(result) < len(numbers)
