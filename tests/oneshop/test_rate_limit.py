"""Per-appid sliding window on the sandbox clock: 10 in any 10 s, 429 {"success":-9999} with
Retry-After, refused requests not counted, appids independent, configurable, exact under threads."""
from __future__ import annotations

import threading

import requests

from tests.oneshop.support import advance, list_orders, list_params, new_account
from tests.support.clients import SandboxClient


def _limited(answer, retry_after: int) -> None:
    assert answer.status == 429, answer.text
    assert answer.text == '{"success":-9999}'
    assert answer.headers["Retry-After"] == str(retry_after)


def _burst(client: SandboxClient, count: int, creds: dict | None = None) -> list[int]:
    return [list_orders(client, creds).status for _ in range(count)]


def test_the_eleventh_request_in_10_seconds_is_429_with_retry_after(sandbox):
    assert _burst(sandbox, 10) == [200] * 10
    _limited(list_orders(sandbox), 10)


def test_waiting_retry_after_seconds_on_the_sandbox_clock_is_enough(sandbox):
    _burst(sandbox, 1)
    advance(sandbox, 4)
    _burst(sandbox, 9)
    _limited(list_orders(sandbox), 6)  # the first request leaves the window 6 s from now
    advance(sandbox, 5)
    _limited(list_orders(sandbox), 1)
    advance(sandbox, 1)
    assert list_orders(sandbox).status == 200  # exactly Retry-After later: accepted
    _limited(list_orders(sandbox), 4)  # the other nine are still in the window


def test_retry_after_is_whole_seconds_rounded_up(sandbox):
    _burst(sandbox, 10)
    advance(sandbox, 0.5)
    _limited(list_orders(sandbox), 10)  # 9.5 s to wait -> 10
    advance(sandbox, 9.4)
    _limited(list_orders(sandbox), 1)


def test_refused_requests_do_not_count(sandbox):
    _burst(sandbox, 10)
    for _ in range(20):
        _limited(list_orders(sandbox), 10)
    advance(sandbox, 10)
    assert _burst(sandbox, 10) == [200] * 10  # the 20 refusals did not push the window


def test_requests_that_fail_their_parameters_count(sandbox):
    for _ in range(5):
        assert sandbox.oneshop("order", {"page": "1"}).body["success"] == -5
    for _ in range(4):
        assert sandbox.oneshop("order/NOPE").body["success"] == -9
    assert list_orders(sandbox).status == 200
    _limited(list_orders(sandbox), 10)
    _limited(sandbox.oneshop("order", {"page": "x"}), 10)  # the limit comes before the parameters


def test_requests_refused_for_credentials_do_not_count(sandbox):
    appid = sandbox.creds_oneshop["appid"]
    for _ in range(15):
        assert list_orders(sandbox, {"appid": appid, "secret": "wrong"}).success == -3
        assert list_orders(sandbox, {"appid": appid}).success == -2
    assert _burst(sandbox, 10) == [200] * 10


def test_two_appids_are_independent(sandbox):
    other = new_account(sandbox)
    assert _burst(sandbox, 10) == [200] * 10
    _limited(list_orders(sandbox), 10)
    assert _burst(sandbox, 10, other) == [200] * 10
    _limited(list_orders(sandbox, other), 10)
    advance(sandbox, 10)
    assert list_orders(sandbox).status == list_orders(sandbox, other).status == 200


def test_the_default_account_advertises_its_limit(sandbox):
    assert sandbox.creds_oneshop["rate_limit"] == {"limit": 10, "window_seconds": 10}
    account = sandbox.admin("GET", f"/oneshop/accounts/{sandbox.creds_oneshop['appid']}").body
    assert account["rate_limit"] == {"limit": 10, "window_seconds": 10}


def test_a_limit_switched_off_never_answers_429(sandbox):
    sandbox.admin("POST", f"/oneshop/accounts/{sandbox.creds_oneshop['appid']}/settings", {"rate_limit": None})
    assert set(_burst(sandbox, 60)) == {200}
    account = new_account(sandbox, rate_limit=None)
    assert set(_burst(sandbox, 30, account)) == {200}


def test_a_custom_limit_and_window(sandbox):
    account = new_account(sandbox, rate_limit={"limit": 3, "window_seconds": 60})
    assert _burst(sandbox, 3, account) == [200] * 3
    _limited(list_orders(sandbox, account), 60)
    advance(sandbox, 59)
    _limited(list_orders(sandbox, account), 1)
    advance(sandbox, 1)
    assert _burst(sandbox, 3, account) == [200] * 3


def test_a_fractional_window(sandbox):
    account = new_account(sandbox, rate_limit={"limit": 2, "window_seconds": 0.5})
    assert _burst(sandbox, 2, account) == [200, 200]
    _limited(list_orders(sandbox, account), 1)
    advance(sandbox, 0.5)
    assert list_orders(sandbox, account).status == 200


def test_a_new_limit_applies_at_once(sandbox):
    appid = sandbox.creds_oneshop["appid"]
    _burst(sandbox, 5)
    sandbox.admin("POST", f"/oneshop/accounts/{appid}/settings", {"rate_limit": {"limit": 5, "window_seconds": 10}})
    _limited(list_orders(sandbox), 10)
    sandbox.admin("POST", f"/oneshop/accounts/{appid}/settings", {"rate_limit": {"limit": 6, "window_seconds": 10}})
    assert list_orders(sandbox).status == 200


def test_the_detail_endpoint_shares_the_appids_limit(sandbox):
    number = list_orders(sandbox).body["data"]["order"][0]["order_number"]
    assert [sandbox.oneshop(f"order/{number}").status for _ in range(9)] == [200] * 9
    _limited(sandbox.oneshop(f"order/{number}"), 10)


def test_reset_forgets_the_counts(sandbox):
    _burst(sandbox, 10)
    sandbox.admin("POST", "/reset")
    assert list_orders(sandbox).status == 200


def test_the_limit_holds_exactly_under_16_concurrent_clients(live, live_server):
    creds = live.creds_oneshop
    barrier = threading.Barrier(16)
    statuses: list[int] = []
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client() -> None:
        try:
            with requests.Session() as session:
                mine = SandboxClient(base_url=live_server.url, session=session)
                barrier.wait(timeout=10)
                got = [mine.oneshop("order", list_params(), creds).status for _ in range(5)]
            with lock:
                statuses.extend(got)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert sorted(statuses) == [200] * 10 + [429] * 70
    live.admin("POST", "/clock", {"advance_seconds": 10})
    assert live.oneshop("order", list_params()).status == 200


def test_requests_made_with_the_clock_ahead_do_not_block_after_it_goes_back(sandbox):
    """Issue 12 point 2: 10 requests an hour ahead, then back to the present: accepted at once (the
    window never holds requests from the future), and a later 429 waits at most the window."""
    now = sandbox.now()
    assert sandbox.admin("POST", "/clock", {"now": now + 3600}).status == 200
    assert _burst(sandbox, 10) == [200] * 10
    _limited(list_orders(sandbox), 10)
    assert sandbox.admin("POST", "/clock", {"now": now}).status == 200
    assert _burst(sandbox, 10) == [200] * 10
    _limited(list_orders(sandbox), 10)


def test_back_to_real_time_over_http_is_not_blocked(live):
    """The issue's own sequence over real HTTP: clock an hour ahead, 10 requests, real time again."""
    assert live.admin("POST", "/clock", {"real_time": True}).status == 200
    assert live.admin("POST", "/clock", {"advance_seconds": 3600}).status == 200
    assert _burst(live, 10) == [200] * 10
    assert live.admin("POST", "/clock", {"real_time": True}).status == 200
    answer = list_orders(live)
    assert answer.status == 200, (answer.status, answer.headers.get("Retry-After"))
