"""Batch.columns: every order's columns and the stock the batch buys, exactly as plan(index) has
them, for any seed, region, status spread, catalogue and time span (generated orders are planned
by columns at generation and rebuilt by plan() when used, and snapshots plan them again)."""
from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.shopee import lifecycle
from mockserver.shopee.batch import Batch, Columns
from mockserver.shopee.factory import channels_of, status_spread
from mockserver.shopee.order_index import CODES
from mockserver.shopee.paths import PATHS

_REGIONS = ["TW", "BR", "SG", "TH", "MY"]
_END = 1_760_000_000


@st.composite
def batches(draw):
    region = draw(st.sampled_from(_REGIONS))
    shop = SimpleNamespace(shop_id=draw(st.integers(1, 10**9)), region=region)
    possible = [s for s in PATHS if s != lifecycle.INVOICE_PENDING or region in lifecycle.INVOICE_REGIONS]
    spread = draw(st.sampled_from(["live", "even", "weighted"]))
    if spread == "live":
        names, weights = status_spread(shop, None)
    else:
        names = draw(st.lists(st.sampled_from(possible), min_size=1, max_size=6, unique=True))
        weights = draw(st.lists(st.integers(1, 40), min_size=len(names), max_size=len(names))) \
            if spread == "weighted" else None
    models = draw(st.integers(1, 6))
    keys = tuple((shop.shop_id, 100 + m // 2, 1000 + m) for m in range(models))
    channels = tuple(draw(st.lists(st.sampled_from(channels_of(region)), min_size=1, max_size=4, unique=True)))
    return Batch(shop, draw(st.integers(0, 2**128 - 1)), draw(st.integers(0, 120)),
                 _END + draw(st.integers(-10**7, 10**7)), draw(st.integers(1, 365)), names, weights, keys,
                 channels, (1, 1))


@settings(max_examples=400, deadline=None)
@given(batch=batches())
def test_columns_are_what_plan_says_of_each_order(batch):
    columns = batch.columns(Columns())
    plans = [batch.plan(index) for index in range(batch.count)]
    assert columns.sns == [p.order_sn for p in plans]
    assert columns.created == [p.create_time for p in plans]
    assert columns.updated == [p.update_time for p in plans]
    assert columns.codes == [CODES[p.target] for p in plans]
    assert columns.channels == [p.channel[0] for p in plans]
    assert columns.ship_by == [p.ship_by for p in plans]
    bought: dict = {}
    for plan in plans:
        if plan.target != lifecycle.CANCELLED:
            for key, quantity in plan.lines:
                bought[key] = bought.get(key, 0) + quantity
    assert columns.bought == bought


def test_a_large_batch_agrees_far_into_its_indices():
    shop = SimpleNamespace(shop_id=7, region="BR")
    names, weights = status_spread(shop, None)
    batch = Batch(shop, 2**127 + 12345, 3000, _END, 13, names, weights,
                  ((7, 1, 1), (7, 1, 2), (7, 2, 3)), tuple(channels_of("BR")), (1, 1))
    columns = batch.columns(Columns())
    for index in range(0, 3000, 37):
        plan = batch.plan(index)
        assert (columns.sns[index], columns.created[index], columns.updated[index], columns.ship_by[index],
                columns.channels[index]) == (plan.order_sn, plan.create_time, plan.update_time, plan.ship_by,
                                             plan.channel[0])
