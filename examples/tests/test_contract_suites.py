"""The package's reusable contract suites run against the sample integration: the order sync and
the 1shop poller under random orders, status changes between pages and injected 429s and 5xx; the
two webhook receivers under every push code / topic, replays, forgeries and out-of-order events."""
from __future__ import annotations

import pytest
from shop_integration import (
    ShopeePushReceiver,
    ShoplineReceiver,
    poll_orders,
    sync_orders,
)

from mockserver.contract_suites import (
    OneshopOrderSyncSuite,
    ShopeeOrderSyncSuite,
    ShopeePushReceiverSuite,
    ShoplineReceiverSuite,
    SyncContext,
)


def shopee_sync(ctx: SyncContext) -> dict[str, str]:
    """The adapter: the suite's context in, the sync's {order_sn: order_status} out."""
    return sync_orders(ctx.credentials, ctx.time_from, ctx.time_to, sleep=ctx.sleep, clock=ctx.now)


def oneshop_poll(ctx: SyncContext) -> dict[str, dict]:
    return poll_orders(ctx.credentials, sleep=ctx.sleep)


def test_the_shopee_sync_passes_the_order_sync_suite(shop_sandbox):
    assert ShopeeOrderSyncSuite(shop_sandbox).run(shopee_sync) == 9


def test_the_1shop_poller_passes_the_order_sync_suite(shop_sandbox):
    assert OneshopOrderSyncSuite(shop_sandbox).run(oneshop_poll) == 9


def test_the_shopee_push_receiver_passes_the_push_receiver_suite(shop_sandbox, shopee_shop, serve_wsgi):
    receiver = ShopeePushReceiver(shopee_shop.partner_key)
    report = ShopeePushReceiverSuite(shop_sandbox, shopee_shop, settle=0).run(
        serve_wsgi(receiver.wsgi_app), processed=lambda: receiver.events, current=receiver.status)
    assert report.passed and report.examples == 5


@pytest.mark.parametrize(("flavour", "path", "kind"), [("openapi", "/shopline", "order"),
                                                       ("global", "/shopline-global", "orders")])
def test_the_shopline_receiver_passes_the_receiver_suite(shop_sandbox, shopline_app, serve_wsgi, flavour, path, kind):
    receiver = ShoplineReceiver(shopline_app.app_secret, shopline_app.shop_secret, shopline_app.app_id,
                                shop_id=shopline_app.shop_id)

    def current(order_id: str) -> str | None:
        return (receiver.resource(flavour, kind, order_id) or {}).get("status")

    report = ShoplineReceiverSuite(shop_sandbox, shopline_app, flavour, settle=0).run(
        serve_wsgi(receiver.wsgi_app) + path, processed=lambda: receiver.events, current=current)
    assert report.passed and report.examples == 2
