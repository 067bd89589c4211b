"""The order-sync suite for 1shop v1: a fresh account per scenario (with 1shop's 10 requests per
10 s limit), orders beyond one page of GET /v1/order (50), status changes between pages, and
injected 429 {"success":-9999} with Retry-After and 5xx answers on the list and detail APIs.

    def test_my_1shop_poller(shop_sandbox):
        OneshopOrderSyncSuite(shop_sandbox).run(lambda ctx: poll(ctx.credentials, sleep=ctx.sleep))

The sync returns {order_number: progress_status or {"progress_status": ...}} (statuses checked)
or the order numbers (set only). ctx.time_from/time_to bound the orders' create times; a poller
that reads every order regardless of date passes too.
"""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mockserver.contract_suites.order_sync import OrderSyncSuite, drawn_range, moved
from mockserver.core.contracts import load
from mockserver.plugin.platforms import OneshopAccount
from mockserver.strategies import oneshop_order_batches

LIST_PATH = "/v1/order"
DETAIL_PATH = "/v1/order/*"


def _enum(name: str) -> tuple[str, ...]:
    return tuple(load("admin/openapi.yaml")["components"]["schemas"][name]["enum"])


class OneshopOrderSyncSuite(OrderSyncSuite):
    """Checks a 1shop order poller: run(sync) with sync(ctx) -> {order_number: statuses}."""

    platform = "1shop"
    page_size = 50  # seed 003: 50 orders a page
    list_path = LIST_PATH
    fault_paths = (LIST_PATH, DETAIL_PATH)

    def __init__(self, sandbox: Any, *, rate_limit: int | None = 10, **options: Any) -> None:
        """rate_limit: requests per 10 s for each scenario's account (None: off); options: OrderSyncSuite's."""
        super().__init__(sandbox, **options)
        self.rate_limit = rate_limit

    def new_tenant(self) -> OneshopAccount:
        account = OneshopAccount.create(self.sandbox)
        account.set_rate_limit(self.rate_limit)
        return account

    def credentials(self, tenant: OneshopAccount) -> dict[str, Any]:
        return tenant.credentials

    def tenant_query(self, tenant: OneshopAccount) -> dict[str, str]:
        return {"appid": tenant.appid}

    def seed_orders(self, data: st.DataObject | None, tenant: OneshopAccount, count: int, start: int,
                    end: int) -> dict[str, str]:
        if count == 0:
            return {}
        if data is None:  # every status of each kind; fixed_times() crowds one window
            progress, payment, logistic = (_enum("OneshopProgressStatus"), _enum("OneshopPaymentStatus"),
                                           _enum("OneshopLogisticStatus"))
            specs = [{"create_time": at, "progress_status": progress[i % len(progress)],
                      "payment_status": payment[i % len(payment)], "logistic_status": logistic[i % len(logistic)]}
                     for i, at in enumerate(self.fixed_times(count, start, end))]
        else:
            low, high, shift = drawn_range(start, end)
            specs = moved(data.draw(oneshop_order_batches(min_size=count, max_size=count, start=low, end=high,
                                                          max_products=2), label="orders"), shift)
        numbers = tenant.create_orders(orders=specs)
        return {number: spec.get("progress_status") or self.status_of(tenant, number)
                for number, spec in zip(numbers, specs)}

    def change(self, data: st.DataObject | None, tenant: OneshopAccount, order_id: str,
               status: str) -> tuple[str, dict[str, Any]] | None:
        others = [s for s in _enum("OneshopProgressStatus") if s != status]
        new = others[0] if data is None else data.draw(st.sampled_from(others), label="new progress_status")
        return f"/_sandbox/oneshop/orders/{order_id}/status", {"progress_status": new}

    def status_of(self, tenant: OneshopAccount, order_id: str) -> str:
        return tenant.order(order_id)["detail"]["order"]["progress_status"]
