"""Shopee order specs: items of POST /_sandbox/shopee/shops/{shop_id}/orders {"orders": [...]}.

Each spec is an `ExplicitOrder` of contracts/admin/openapi.yaml with new items only (no item_id, so
no spec depends on a shop's catalogue or stock): a price in the region's currency style, names and
SKUs from the region's Faker locales. Payment method and logistics channel are named only when the
region is given, since both must belong to the shop's region.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from mockserver.shopee.catalogue_data import CHANNELS, COD, DEFAULT_CHANNELS, PAYMENT_METHODS
from mockserver.strategies.common import TimeSpec, admin_enum, unix_times
from mockserver.strategies.locales import REGION_LOCALES, localized
from mockserver.strategies.text import HUGE, hostile_text

# Seed 001: only Brazilian shops have INVOICE_PENDING (the sandbox refuses it elsewhere).
INVOICE_PENDING = "INVOICE_PENDING"
INVOICE_REGIONS = ("BR",)
# Prices per region: (lowest, highest, decimals). Currencies without a minor unit in daily use
# (TWD, IDR, VND, CLP, COP) get whole prices, the others cents.
_PRICES = {"TW": (10, 20_000, 0), "ID": (1_000, 5_000_000, 0), "VN": (1_000, 5_000_000, 0),
           "CL": (500, 500_000, 0), "CO": (1_000, 2_000_000, 0)}
_DEFAULT_PRICE = (1, 2_000, 2)
# The sandbox's bounds for a new item (mockserver/shopee/admin.py): price 0.01..1e9, quantity 1..1e6.
PRICE_BOUNDS = (0.01, 1e9)
QUANTITY_BOUNDS = (1, 1_000_000)
BATCH_HUGE = 10_000  # hostile strings in batches stay this short, so 60 orders stay a few MB


def shopee_regions() -> st.SearchStrategy[str]:
    """A Shopee region code (contracts/admin/openapi.yaml `Region`)."""
    return st.sampled_from(admin_enum("Region"))


def order_statuses(region: str | None = None) -> tuple[str, ...]:
    """Every `OrderStatus` a shop of `region` can have (INVOICE_PENDING only in BR; never when None)."""
    return tuple(s for s in admin_enum("OrderStatus") if s != INVOICE_PENDING or region in INVOICE_REGIONS)


def _prices(region: str) -> st.SearchStrategy[float]:
    low, high, decimals = _PRICES.get(region, _DEFAULT_PRICE)
    if decimals:
        return st.integers(low * 100, high * 100).map(lambda cents: cents / 100)
    return st.integers(low, high).map(float)


_SKU = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=4, max_size=8).map(lambda s: "SKU-" + s)


@st.composite
def _item(draw, region: str, hostile: bool, huge: int) -> dict[str, Any]:
    if hostile:
        text = hostile_text(huge=huge)
        item = {"quantity": draw(st.sampled_from(QUANTITY_BOUNDS + (2,))),
                "price": draw(st.sampled_from(PRICE_BOUNDS + (0.1 + 0.2, 99_999.99))),
                "item_name": draw(text), "item_sku": draw(text), "model_name": draw(text), "model_sku": draw(text)}
        # Optional fields left out: the sandbox's defaults (price 100, "Sandbox item", "") apply.
        dropped = draw(st.sets(st.sampled_from(tuple(item))))
        return {k: v for k, v in item.items() if k not in dropped}
    name = " ".join(draw(st.lists(localized("word", region), min_size=1, max_size=3)))
    item = {"item_name": name, "item_sku": draw(_SKU), "quantity": draw(st.integers(1, 5)),
            "price": draw(_prices(region))}
    if draw(st.booleans()):
        item.update(model_name=draw(localized("word", region)), model_sku=draw(_SKU))
    return item


@st.composite
def _spec(draw, statuses: tuple[str, ...], times: st.SearchStrategy[int] | None, max_items: int,
          region: str | None, hostile: bool, huge: int) -> dict[str, Any]:
    flavour = region or draw(st.sampled_from(tuple(REGION_LOCALES)))
    status = draw(st.sampled_from(statuses))
    spec: dict[str, Any] = {"status": status}
    if hostile and status == "UNPAID" and draw(st.booleans()):
        del spec["status"]  # the contract's default
    if times is not None:
        spec["create_time"] = draw(times)
    spec["items"] = draw(st.lists(_item(flavour, hostile, huge), min_size=1, max_size=max_items))
    if region is not None and draw(st.booleans()):
        channels = CHANNELS.get(region, DEFAULT_CHANNELS)
        method = draw(st.sampled_from(PAYMENT_METHODS.get(region, PAYMENT_METHODS["*"])))
        spec["payment_method"] = method
        usable = [c[0] for c in channels if c[2] or method != COD]
        if draw(st.booleans()):
            spec["logistics_channel_id"] = draw(st.sampled_from(usable))
    if hostile:
        if draw(st.booleans()):
            spec["message_to_seller"] = draw(hostile_text(huge=huge))
    elif draw(st.integers(0, 3)) == 0:
        spec["message_to_seller"] = draw(localized("sentence", flavour))
    return spec


def _statuses(statuses: Iterable[str] | None, region: str | None) -> tuple[str, ...]:
    if statuses is None:
        return order_statuses(region)
    chosen = tuple(statuses)
    unknown = [s for s in chosen if s not in admin_enum("OrderStatus")]
    if unknown or not chosen:
        raise ValueError(f"statuses should be among {', '.join(admin_enum('OrderStatus'))}; got {chosen!r}")
    return chosen


def shopee_order_specs(*, statuses: Iterable[str] | None = None, create_time: TimeSpec = None,
                       max_items: int = 3, region: str | None = None, hostile: bool = False,
                       huge: int = HUGE) -> st.SearchStrategy[dict[str, Any]]:
    """One explicit order for POST /_sandbox/shopee/shops/{shop_id}/orders.

    statuses: the statuses to draw from (default every status of `region`; INVOICE_PENDING only for
    BR). create_time: (start, end) unix seconds or a strategy; None leaves it out (the sandbox's now).
    region: the shop's region, for prices, names, payment method and channel (None: names and prices
    of any region, no payment method or channel). hostile: hostile text in every name, SKU and
    message (up to `huge` characters), boundary quantities and prices, optional fields left out.
    """
    if region is not None and region not in REGION_LOCALES:
        raise ValueError(f"unknown Shopee region {region!r}; one of {', '.join(REGION_LOCALES)}")
    if max_items < 1:
        raise ValueError("max_items should be at least 1 (an order has items)")
    times = unix_times(create_time, default=None)
    if hostile and isinstance(create_time, tuple):  # the range's ends are the boundary values
        times = st.one_of(st.sampled_from(tuple(create_time)), times)
    return _spec(_statuses(statuses, region), times, max_items, region, hostile, huge)


def shopee_order_batches(*, min_size: int = 0, max_size: int = 60, start: int, end: int,
                         statuses: Iterable[str] | None = None, max_items: int = 3, region: str | None = None,
                         hostile: bool = False) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of order specs created between `start` and `end` (unix seconds, inclusive); hostile
    batches keep their strings under BATCH_HUGE characters."""
    specs = shopee_order_specs(statuses=statuses, create_time=(start, end), max_items=max_items, region=region,
                               hostile=hostile, huge=BATCH_HUGE)
    return st.lists(specs, min_size=min_size, max_size=max_size)
