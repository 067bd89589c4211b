"""A sample shop integration built on plain HTTP: Shopee order sync, a 1shop poller and webhook
receivers for SHOPLINE and Shopee push. Standard library plus requests; no shop-sandbox imports, so
it runs unchanged against the real platforms."""
from __future__ import annotations

from .oneshop_poller import OneshopApiError, poll_orders
from .shopee_push_receiver import ShopeePushReceiver
from .shopee_sync import ShopeeApiError, sync_orders
from .shopline_receiver import ShoplineReceiver

__all__ = ["OneshopApiError", "ShopeeApiError", "ShopeePushReceiver", "ShoplineReceiver", "poll_orders",
           "sync_orders"]
