"""The order-sync suite for Shopee v2: a fresh authorised shop per scenario, orders in every
status across several 15-day windows and beyond one page of get_order_list, status changes
between pages, and injected error_rate_limit / error_server answers on the list and detail APIs.

    def test_my_shopee_sync(shop_sandbox):
        ShopeeOrderSyncSuite(shop_sandbox).run(
            lambda ctx: my_sync(ctx.credentials, ctx.time_from, ctx.time_to, sleep=ctx.sleep))

The sync returns {order_sn: order_status} (statuses are checked) or the order_sns (set only).
"""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mockserver.contract_suites.order_sync import OrderSyncSuite, drawn_range, moved
from mockserver.plugin.platforms import ShopeeShop
from mockserver.strategies import order_statuses, shopee_order_batches

LIST_PATH = "/api/v2/order/get_order_list"
DETAIL_PATH = "/api/v2/order/get_order_detail"
# An event is picked from an order's allowed ones by a number drawn in [0, EVENT_PICKS): at least
# as many as the lifecycle has events (mockserver/shopee/lifecycle.py, 10), so every one can be.
EVENT_PICKS = 12


class ShopeeOrderSyncSuite(OrderSyncSuite):
    """Checks a Shopee order sync: run(sync) with sync(ctx) -> {order_sn: order_status}."""

    platform = "Shopee"
    page_size = 100  # get_order_list: page_size between 1 and 100
    list_path = LIST_PATH
    fault_paths = (LIST_PATH, DETAIL_PATH)

    def __init__(self, sandbox: Any, *, region: str = "TW", **options: Any) -> None:
        """region: the shop's region (names, prices, BR's INVOICE_PENDING); options: OrderSyncSuite's."""
        super().__init__(sandbox, **options)
        self.region = region
        self._cap_lifted = False

    def new_tenant(self) -> ShopeeShop:
        if not self._cap_lifted:
            # A shop per scenario: more than the 8 test shops of seed 000's developer account.
            self.sandbox.admin.post("/shopee/settings", {"test_shop_limit": None})
            self._cap_lifted = True
        return ShopeeShop.create(self.sandbox, region=self.region)

    def credentials(self, tenant: ShopeeShop) -> dict[str, Any]:
        return tenant.credentials

    def tenant_query(self, tenant: ShopeeShop) -> dict[str, str]:
        return {"shop_id": str(tenant.shop_id)}

    def seed_orders(self, data: st.DataObject | None, tenant: ShopeeShop, count: int, start: int,
                    end: int) -> dict[str, str]:
        if count == 0:
            return {}
        if data is None:  # every status; fixed_times() crowds one window
            statuses = order_statuses(self.region)
            specs = [{"status": statuses[i % len(statuses)], "create_time": at,
                      "items": [{"item_name": f"Suite item {i % 7}", "price": 100 + i}]}
                     for i, at in enumerate(self.fixed_times(count, start, end))]
        else:
            low, high, shift = drawn_range(start, end)
            specs = moved(data.draw(shopee_order_batches(min_size=count, max_size=count, start=low, end=high,
                                                         region=self.region, max_items=2), label="orders"), shift)
        sns = tenant.create_orders(orders=specs)
        return {sn: spec.get("status", "UNPAID") for sn, spec in zip(sns, specs)}

    def change(self, data: st.DataObject | None, tenant: ShopeeShop, order_id: str,
               status: str) -> tuple[str, dict[str, Any]] | None:
        # The pick is drawn before the sandbox is asked, and always: which events an order allows
        # moves with the sandbox clock (a tracking number arrives after a delay, the free-cancel
        # window closes), and a draw made only when there are some would let the clock change how
        # much a scenario draws, which Hypothesis refuses as flaky data generation.
        pick = 0 if data is None else data.draw(st.integers(0, EVENT_PICKS - 1), label="event")
        events = tenant.order(order_id).get("allowed_events") or []
        if not events:
            return None
        event = events[0] if data is None else sorted(events)[pick % len(events)]
        return f"/_sandbox/shopee/orders/{order_id}/events", {"event": event}

    def status_of(self, tenant: ShopeeShop, order_id: str) -> str:
        return tenant.status(order_id)
