"""Reusable contract suites an integrator points at their own code with a small adapter.

- ShopeeOrderSyncSuite / OneshopOrderSyncSuite: does a sync fetch exactly the seeded orders,
  across pages and 15-day windows, with statuses changing between pages and under injected 429s
  and 5xx? (order_sync.py, shopee_order_sync.py, oneshop_order_sync.py)
- ShopeePushReceiverSuite / ShoplineReceiverSuite: does a webhook receiver accept every valid
  delivery in time, reject forged ones, and stay idempotent under duplicates and out-of-order
  deliveries? (receiver_*.py, shopee_push_receiver.py, shopline_receiver.py)

Every failure is a SuiteFailure (an AssertionError) that names the rule and the scenario.
"""
from __future__ import annotations

from mockserver.contract_suites.oneshop_order_sync import OneshopOrderSyncSuite
from mockserver.contract_suites.order_sync import SyncContext
from mockserver.contract_suites.receiver_report import ReceiverContractError, ReceiverReport
from mockserver.contract_suites.report import OrderSyncFailure, SuiteFailure
from mockserver.contract_suites.shopee_order_sync import ShopeeOrderSyncSuite
from mockserver.contract_suites.shopee_push_receiver import ShopeePushReceiverSuite
from mockserver.contract_suites.shopline_receiver import ShoplineReceiverSuite

__all__ = ["OneshopOrderSyncSuite", "OrderSyncFailure", "ReceiverContractError", "ReceiverReport",
           "ShopeeOrderSyncSuite", "ShopeePushReceiverSuite", "ShoplineReceiverSuite", "SuiteFailure", "SyncContext"]
