"""Hypothesis strategies built from contracts/ and Faker: Shopee and 1shop order specs for the admin
API, SHOPLINE webhook payloads per topic and flavour, Shopee push bodies, and hostile variants that
are still valid against their contract (see hostile.py).

    from mockserver.strategies import shopee_order_batches, shopline_payloads
    @given(shopline_payloads("order/create", hostile=True))
    def test_receiver_survives(payload): ...
"""
from __future__ import annotations

from mockserver.strategies.common import TIME_FROM, TIME_TO, unix_times
from mockserver.strategies.hostile import hostile, sites
from mockserver.strategies.locales import REGION_LOCALES, localized
from mockserver.strategies.oneshop import oneshop_order_batches, oneshop_order_specs
from mockserver.strategies.shopee import order_statuses, shopee_order_batches, shopee_order_specs, shopee_regions
from mockserver.strategies.shopee_push import push_codes, shopee_push_bodies
from mockserver.strategies.shopline import shopline_payloads, shopline_topics
from mockserver.strategies.text import HUGE, hostile_integers, hostile_numbers, hostile_text

__all__ = [
    "HUGE", "REGION_LOCALES", "TIME_FROM", "TIME_TO", "hostile", "hostile_integers", "hostile_numbers",
    "hostile_text", "localized", "oneshop_order_batches", "oneshop_order_specs", "order_statuses", "push_codes",
    "shopee_order_batches", "shopee_order_specs", "shopee_push_bodies", "shopee_regions", "shopline_payloads",
    "shopline_topics", "sites", "unix_times",
]
