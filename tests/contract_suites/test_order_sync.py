"""The order-sync suites against syncs written here: a correct one passes each suite; each classic
mistake (one page only, one 15-day window, no retry on 429 or 5xx, duplicates, a status from
nowhere) is caught and named in the report."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockserver.clients import OneshopClient, ShopeeClient
from mockserver.contract_suites import OneshopOrderSyncSuite, ShopeeOrderSyncSuite, SuiteFailure, SyncContext

WINDOW = 15 * 86_400


# ---- a Shopee sync, with switches for its mistakes ---------------------------------------------------
def shopee_sync(ctx: SyncContext, *, pages: bool = True, windows: bool = True, retry: bool = True,
                page_size: int = 100) -> dict[str, str]:
    creds = ctx.credentials
    client = ShopeeClient(creds["base_url"], creds["partner_id"], creds["partner_key"], creds["shop_id"],
                          creds["access_token"], time_source=ctx.now)

    def call(api: str, params: dict[str, Any]) -> dict[str, Any]:
        for attempt in range(8):
            answer = client.get(api, params)
            body = answer.json()
            if answer.status < 500 and body.get("error") != "error_rate_limit" and not body.get("error"):
                return body["response"]
            if not retry or (answer.status < 500 and body.get("error") != "error_rate_limit"):
                raise RuntimeError(f"{api}: {answer.status} {body}")
            ctx.sleep(2 ** attempt)
        raise RuntimeError(f"{api}: gave up")

    # Windows share their boundary second (time_from must be earlier than time_to, so a last
    # window of one second would be refused); the dict drops the orders seen twice.
    sns: dict[str, None] = {}
    start = ctx.time_from
    while True:
        end = min(start + WINDOW, ctx.time_to) if windows else ctx.time_to
        cursor = ""
        while True:
            page = call("order/get_order_list", {"time_range_field": "create_time", "time_from": start,
                                                 "time_to": end, "page_size": page_size, "cursor": cursor})
            sns.update(dict.fromkeys(o["order_sn"] for o in page["order_list"]))
            if not (pages and page["more"]):
                break
            cursor = page["next_cursor"]
        if end >= ctx.time_to:
            break
        start = end
    statuses = {}
    batch = list(sns)
    for i in range(0, len(batch), 50):
        detail = call("order/get_order_detail", {"order_sn_list": ",".join(batch[i:i + 50])})
        statuses.update({o["order_sn"]: o["order_status"] for o in detail["order_list"]})
    return statuses


def _suite(shop_sandbox, **options) -> ShopeeOrderSyncSuite:
    return ShopeeOrderSyncSuite(shop_sandbox, **{"max_examples": 4, **options})


def test_a_correct_shopee_sync_passes_every_scenario(shop_sandbox):
    suite = _suite(shop_sandbox)
    assert suite.run(shopee_sync) == 5  # the fixed scenario and four random ones


@pytest.mark.parametrize("mistake, rule, detail", [
    (lambda ctx: shopee_sync(ctx, pages=False), "did not return exactly", "missing"),
    (lambda ctx: shopee_sync(ctx, windows=False), "raised instead of converging", "15days"),
    (lambda ctx: shopee_sync(ctx, retry=False), "raised instead of converging", "error_rate_limit"),
    (lambda ctx: list(shopee_sync(ctx)) * 2, "did not return exactly", "returned more than once"),
    (lambda ctx: {sn: "SHIPPED" for sn in shopee_sync(ctx)}, "did not return exactly", "but it was only ever"),
])
def test_each_classic_shopee_sync_mistake_is_named(shop_sandbox, mistake: Callable, rule: str, detail: str):
    with pytest.raises(SuiteFailure) as failure:
        _suite(shop_sandbox, max_examples=0).run(mistake)
    assert rule in failure.value.rule
    assert detail in str(failure.value)
    assert "orders over 45 days" in str(failure.value)  # the scenario is described


def test_a_set_of_order_sns_is_checked_without_statuses(shop_sandbox):
    assert _suite(shop_sandbox, max_examples=1).run(lambda ctx: set(shopee_sync(ctx))) == 2


def test_without_faults_a_sync_that_never_retries_passes(shop_sandbox):
    assert _suite(shop_sandbox, faults=False, max_examples=2).run(lambda ctx: shopee_sync(ctx, retry=False)) == 3


def test_the_suite_leaves_no_fault_behind(shop_sandbox):
    _suite(shop_sandbox, max_examples=1).run(shopee_sync)
    assert shop_sandbox.faults() == []


def test_status_changes_land_between_list_pages(shop_sandbox):
    """The fixed scenario changes two orders while the sync pages: what the sync saw of them is
    one of the two statuses, and the sandbox really moved them."""
    seen: dict[str, str] = {}

    def sync(ctx: SyncContext) -> dict[str, str]:
        seen.update(shopee_sync(ctx))
        return seen

    suite = _suite(shop_sandbox, max_examples=0, faults=False)
    suite.run(sync)
    changes = [f for f in shop_sandbox.admin.get("/faults")["faults"]]
    assert changes == []  # cleared after a passing scenario
    assert len(seen) == 203


# ---- a 1shop poller ---------------------------------------------------------------------------------
def oneshop_poll(ctx: SyncContext, *, retry_after: bool = True, retry_5xx: bool = True) -> dict[str, str]:
    creds = ctx.credentials
    client = OneshopClient(creds["base_url"], creds["appid"], creds["secret"])

    def page(number: int) -> dict[str, Any]:
        for attempt in range(20):
            answer = client.orders(number)
            if answer.status == 429 and retry_after:
                ctx.sleep(float(answer.headers.get("Retry-After") or 1))
                continue
            if answer.status >= 500 and retry_5xx:
                ctx.sleep(2 ** min(attempt, 5))
                continue
            body = answer.json()
            if answer.status != 200 or body.get("success") != 0:
                raise RuntimeError(f"GET /v1/order page {number}: {answer.status} {body}")
            return body["data"]
        raise RuntimeError("gave up")

    first = page(1)
    orders = list(first["order"])
    for number in range(2, first["page"]["total_page"] + 1):
        orders += page(number)["order"]
    return {o["order_number"]: o["progress_status"] for o in orders}


def test_a_correct_1shop_poller_passes_every_scenario(shop_sandbox):
    assert OneshopOrderSyncSuite(shop_sandbox, max_examples=4).run(oneshop_poll) == 5


@pytest.mark.parametrize("mistake, detail", [
    (lambda ctx: oneshop_poll(ctx, retry_after=False), "-9999"),
    (lambda ctx: oneshop_poll(ctx, retry_5xx=False), "-500"),
])
def test_a_1shop_poller_that_does_not_retry_is_caught(shop_sandbox, mistake: Callable, detail: str):
    with pytest.raises(SuiteFailure) as failure:
        OneshopOrderSyncSuite(shop_sandbox, max_examples=0).run(mistake)
    assert "raised instead of converging" in failure.value.rule and detail in str(failure.value)


def test_the_1shop_rate_limit_itself_makes_a_careless_poller_fail(shop_sandbox):
    """No injected faults: 103 orders, three pages plus one detail call per order, against 10
    requests per 10 s. Honouring Retry-After (on the sandbox clock) is the only way through."""
    def careless(ctx: SyncContext) -> dict[str, str]:
        found = oneshop_poll(ctx, retry_after=False)
        client = OneshopClient(ctx.credentials["base_url"], ctx.credentials["appid"], ctx.credentials["secret"])
        for number in found:
            answer = client.order(number)
            if answer.status != 200:
                raise RuntimeError(f"{answer.status} {answer.json()}")
        return found

    with pytest.raises(SuiteFailure, match="-9999"):
        OneshopOrderSyncSuite(shop_sandbox, max_examples=0, faults=False, status_changes=False).run(careless)


def test_random_scenarios_stay_within_the_limits_given(shop_sandbox):
    seen: list[tuple[int, int]] = []

    def sync(ctx: SyncContext) -> dict[str, str]:
        result = shopee_sync(ctx)
        seen.append((len(result), ctx.time_to - ctx.time_from))
        return result

    ShopeeOrderSyncSuite(shop_sandbox, max_examples=6, max_orders=5, max_days=3).run(sync)
    fixed, *random_ones = seen
    assert fixed == (203, 45 * 86_400)
    assert random_ones and all(count <= 5 and span <= 3 * 86_400 for count, span in random_ones)
    with pytest.raises(ValueError):
        ShopeeOrderSyncSuite(shop_sandbox, max_days=0)
