"""The Shopee order-sync suite draws as much whatever the sandbox answers: which events an order
allows moves with the sandbox clock, and Hypothesis refuses a scenario whose draws change with
outside state (FlakyStrategyDefinition, seen once in .ci/run); nor may a draw's bounds follow
the wall clock."""
from __future__ import annotations

from mockserver.contract_suites import shopee_order_sync
from mockserver.contract_suites.shopee_order_sync import ShopeeOrderSyncSuite
from mockserver.shopee import lifecycle


class _Data:
    """A stand-in for Hypothesis' data object: answers `value` to every draw and counts them."""

    def __init__(self, value: int) -> None:
        self.value, self.draws = value, 0

    def draw(self, strategy, label=None):
        self.draws += 1
        return self.value


class _Tenant:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    def order(self, order_id: str) -> dict:
        return {"allowed_events": self.events}


def _suite() -> ShopeeOrderSyncSuite:
    return ShopeeOrderSyncSuite.__new__(ShopeeOrderSyncSuite)  # change() needs no sandbox


def test_a_change_draws_once_whether_or_not_the_order_allows_any_event():
    none, some = _Data(3), _Data(3)
    assert _suite().change(none, _Tenant([]), "sn", "SHIPPED") is None
    path, body = _suite().change(some, _Tenant(["ship", "cancel"]), "sn", "READY_TO_SHIP")
    assert none.draws == some.draws == 1
    assert path == "/_sandbox/shopee/orders/sn/events" and body == {"event": "ship"}  # sorted, 3 % 2


def test_every_lifecycle_event_can_be_picked():
    assert shopee_order_sync.EVENT_PICKS >= len(lifecycle.EVENTS)


def test_random_scenarios_draw_create_times_in_a_range_that_does_not_follow_the_clock():
    from mockserver.contract_suites.order_sync import DRAW_ANCHOR, drawn_range, moved
    for end in (1_795_000_000, 1_795_000_007):  # two scenarios, seconds apart
        low, high, shift = drawn_range(end - 86_400, end)
        assert (low, high) == (DRAW_ANCHOR - 86_400, DRAW_ANCHOR)
        drawn = [{"create_time": low, "status": "UNPAID"}, {"create_time": high}]
        assert [s["create_time"] for s in moved(drawn, shift)] == [end - 86_400, end]
        assert drawn[0] == {"create_time": low, "status": "UNPAID"}  # a copy moved, not the draw
