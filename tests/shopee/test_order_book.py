"""Generated orders are listed without being built, built the same whenever they are used, and the
index behind every list stays in step with the orders through every change."""
from __future__ import annotations

import threading

import pytest

from mockserver.app import create_app
from mockserver.shopee import generated, lifecycle
from mockserver.shopee.order_index import FIELDS, OrderIndex
from mockserver.shopee.order_book import row_of
from tests.conftest import T0, make_settings
from tests.shopee.order_support import DAY, event, make_order
from tests.support.clients import SandboxClient


def _world(app):
    return app.extensions["shop_sandbox"].backend("shopee")


def _client(**settings) -> tuple[SandboxClient, object]:
    app = create_app(make_settings(**settings))
    return SandboxClient(flask_client=app.test_client()), app


def _list(client, field: str = "create_time", **extra) -> list[str]:
    sns, cursor = [], ""
    while True:
        answer = client.shopee("GET", "order/get_order_list", {
            "time_range_field": field, "time_from": T0 - 14 * DAY, "time_to": T0, "page_size": 100,
            "cursor": cursor, **extra})
        assert answer.status == 200, answer.body
        sns += [o["order_sn"] for o in answer.body["response"]["order_list"]]
        if not answer.body["response"]["more"]:
            return sns
        cursor = answer.body["response"]["next_cursor"]


def _rebuilt(world) -> OrderIndex:
    """The index made anew from every order, built whole: what the live index must answer."""
    fresh = OrderIndex()
    book = world.orders
    for ordinal, sn in enumerate(book.index.order_sn):
        if sn is not None:
            fresh.add_many([row_of(book[sn])])
    return fresh


def _same_answers(world) -> None:
    live, fresh = world.orders.index, _rebuilt(world)
    for shop_id in world.shops:
        for field_name in FIELDS:
            for status in (None,) + lifecycle.STATUSES:
                for channel in (None, 30005, 30011):
                    for offset, size in ((0, 100), (3, 5)):
                        got, more = live.page(shop_id, field_name, 0, 2**32, status, channel, offset, size)
                        want, want_more = fresh.page(shop_id, field_name, 0, 2**32, status, channel, offset, size)
                        assert ([live.order_sn[o] for o in got], more) == ([fresh.order_sn[o] for o in want], want_more)


def test_lists_build_no_order_and_match_what_detail_says():
    client, app = _client()
    world = _world(app)
    client.admin("POST", f"/shopee/shops/{client.creds['shop_id']}/orders", {"count": 2000})
    listed = _list(client)
    assert len(listed) == 2050 and not any(True for _ in world.orders.live())
    for status in lifecycle.STATUSES:
        with_status = _list(client, order_status=status)
        for sn in with_status[:5]:
            assert world.orders[sn].status == status  # built now, as the list said
    assert sorted(_list(client, "update_time")) == sorted(listed)


def test_a_generated_order_is_the_same_built_first_or_last():
    one, app_one = _client()
    two, app_two = _client()
    for client in (one, two):
        client.admin("POST", f"/shopee/shops/{client.creds['shop_id']}/orders", {"count": 300})
    sns = list(_world(app_one).orders)
    assert sns == list(_world(app_two).orders)
    first = {sn: _world(app_one).orders[sn].to_dict() for sn in sns}
    last = {sn: _world(app_two).orders[sn].to_dict() for sn in reversed(sns)}
    assert first == last


def test_the_index_follows_every_change_of_an_order():
    client, app = _client()
    world = _world(app)
    sns = _list(client)
    # Generated orders moved by hand, explicit ones made and moved, a note, a split: every list
    # must then answer what a fresh index of the orders answers.
    for sn in sns[:30]:
        allowed = client.admin("GET", f"/shopee/orders/{sn}").body["allowed_events"]
        if allowed:
            event(client, sn, allowed[0])
    made = [make_order(client, status=s) for s in ("UNPAID", "READY_TO_SHIP", "SHIPPED")]
    event(client, made[0], "pay")
    client.admin("POST", "/clock", {"advance_seconds": 3600})
    ready = [sn for sn in _list(client, order_status="READY_TO_SHIP")][:2]
    for sn in ready:
        assert client.shopee("POST", "logistics/ship_order", {"order_sn": sn, "dropoff": {}}).status in (200, 400)
    client.shopee("POST", "order/set_note", {"order_sn": made[1], "note": "fragile"})
    _same_answers(world)


def test_generation_plans_without_holding_the_lock(monkeypatch):
    client, app = _client()
    release, planning = threading.Event(), threading.Event()
    real_plan_all = generated.plan_all

    def slow_plan_all(batch):
        planning.set()
        assert release.wait(30)
        return real_plan_all(batch)

    monkeypatch.setattr(generated, "plan_all", slow_plan_all)
    done = []
    worker = threading.Thread(target=lambda: done.append(
        client.admin("POST", f"/shopee/shops/{client.creds['shop_id']}/orders", {"count": 500})))
    worker.start()
    try:
        assert planning.wait(30)
        other = SandboxClient(flask_client=app.test_client())
        assert other.shopee("GET", "shop/get_shop_info").status == 200  # while the batch is planned
        assert done == []
    finally:
        release.set()
        worker.join(30)
    assert done[0].status == 201 and done[0].body["created"] == 500


def test_a_reset_while_planning_is_a_409_and_adds_nothing(monkeypatch):
    client, app = _client()
    real_plan_all = generated.plan_all

    def plan_then_reset(batch):
        planned = real_plan_all(batch)
        monkeypatch.setattr(generated, "plan_all", real_plan_all)  # the reset's own world plans as usual
        app.extensions["shop_sandbox"].reset()
        return planned

    monkeypatch.setattr(generated, "plan_all", plan_then_reset)
    answer = client.admin("POST", f"/shopee/shops/{client.creds['shop_id']}/orders", {"count": 10})
    assert answer.status == 409 and answer.body["error"] == "world_reset"
    assert len(_world(app).orders) == 50


@pytest.mark.parametrize("region", ["TW", "BR", "SG"])
def test_every_generated_order_builds_as_its_batch_listed_it(region):
    client, app = _client()
    shop = client.admin("POST", "/shopee/shops", {"region": region}).body
    client.admin("POST", f"/shopee/shops/{shop['shop_id']}/orders", {"count": 400})
    world = _world(app)
    for sn in list(world.orders):
        world.orders[sn]  # build_generated raises if an order differs from its row
    _same_answers(world)


def test_rows_reserved_for_a_batch_while_others_arrive_list_and_save_alike(monkeypatch):
    """A batch's rows are set aside before it is planned; orders made meanwhile come after them,
    and once the batch is in, every list answers as an index rebuilt from the orders would, and
    a snapshot of the world restores to the same bytes."""
    client, app = _client()
    world = _world(app)
    real_plan_all = generated.plan_all
    made: list[str] = []

    def plan_while_an_order_is_made(batch):
        assert world.orders.index.order_sn[batch.first:] == [None] * batch.count  # reserved, empty
        made.append(make_order(client, status="READY_TO_SHIP"))
        return real_plan_all(batch)

    monkeypatch.setattr(generated, "plan_all", plan_while_an_order_is_made)
    answer = client.admin("POST", f"/shopee/shops/{client.creds['shop_id']}/orders", {"count": 300})
    monkeypatch.undo()
    assert answer.status == 201
    index = world.orders.index
    assert index.by_sn[made[0]] > max(index.by_sn[sn] for sn in answer.body["order_sns"])
    assert len(world.orders) == 50 + 300 + 1
    listed = _list(client)
    assert made[0] in listed and set(answer.body["order_sns"]) <= set(listed)
    _same_answers(world)
    saved = client.admin("GET", "/snapshot").text
    assert client.request("POST", "/_sandbox/snapshot", data=saved,  # as sent: key order kept
                          headers={"Content-Type": "application/json"}).status == 200
    assert client.admin("GET", "/snapshot").text == saved
    _same_answers(_world(app))


def test_rows_of_a_batch_that_failed_stay_empty(monkeypatch):
    client, app = _client()
    world = _world(app)
    shop = world.shop(client.creds["shop_id"])
    batch = generated.prepare(world, shop, 20, world.now(), 13, ["READY_TO_SHIP"], None)
    for model in world.shop_models(shop.shop_id):
        model.stock = 0
    with pytest.raises(ValueError):
        generated.commit(world, shop, batch, generated.plan_all(batch))
    assert world.orders.index.order_sn[batch.first:] == [None] * 20
    assert len(world.orders) == 50 and len(_list(client)) == 50
    _same_answers(world)
