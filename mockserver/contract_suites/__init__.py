"""Reusable contract suites an integrator points at their own code with a small adapter.

- ShopeeOrderSyncSuite / OneshopOrderSyncSuite: does a sync fetch exactly the seeded orders,
  across pages and 15-day windows, with statuses changing between pages and under injected 429s
  and 5xx? (order_sync.py, shopee_order_sync.py, oneshop_order_sync.py)

Each suite raises SuiteFailure (an AssertionError) naming the rule that failed and the scenario.
"""
from __future__ import annotations

from mockserver.contract_suites.oneshop_order_sync import OneshopOrderSyncSuite
from mockserver.contract_suites.order_sync import SyncContext
from mockserver.contract_suites.report import SuiteFailure
from mockserver.contract_suites.shopee_order_sync import ShopeeOrderSyncSuite

__all__ = ["OneshopOrderSyncSuite", "ShopeeOrderSyncSuite", "SuiteFailure", "SyncContext"]
