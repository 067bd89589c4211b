"""Snapshots (issue 16): GET /_sandbox/snapshot exports the whole world, POST replaces it, and the
same bytes come back out; a bad document changes nothing."""
from __future__ import annotations

import json

import pytest

from mockserver.world import snapshot
from tests.conftest import T0
from tests.world.snapshot_support import export, first_order, lived_in, new_sandbox, restore


def test_export_import_export_gives_the_same_bytes_after_a_lived_in_world():
    app, sandbox = new_sandbox()
    lived_in(sandbox)
    first = export(app)
    other, _ = new_sandbox(seed=99)  # another world entirely: everything comes from the document
    answer = restore(other, first)
    assert answer.status_code == 200, answer.json
    assert export(other) == first
    assert restore(app, first).status_code == 200  # and onto itself
    assert export(app) == first


def test_the_document_says_what_it_is_and_holds_every_part():
    app, sandbox = new_sandbox()
    done = lived_in(sandbox)
    document = json.loads(export(app))
    assert (document["format"], document["version"]) == ("shop-sandbox-snapshot", 1)
    assert document["strict"] is True and document["clock"] == {"frozen_at": float(T0)}
    kinds = sorted({job["data"]["kind"] for job in document["scheduled"]})
    assert kinds == ["auto_progress", "expiry", "tracking"]
    pending = [d for d in document["webhooks"]["deliveries"] if d["id"] == done["delivery"]["id"]]
    assert pending[0]["status"] == "pending" and pending[0]["next_attempt_at"] == T0 + 10
    assert len(document["faults"]["rules"]) == 1
    orders = document["platforms"]["shopee"]["orders"]
    # Generated orders stay parameters: 50 seeded and 300 more; only those built (used, or waiting
    # on an auto-progress timer) are saved whole.
    assert sum(b["count"] for b in orders["batches"]) == 350
    built = app.extensions["shop_sandbox"].backends["shopee"].orders.built()
    assert [o for o, _ in orders["built"]] == [o for o, _ in built] and len(built) < 350


def test_a_restored_world_goes_on_exactly_as_the_saved_one_would():
    """Due work, pending retries and every generator continue: the same clock moves and the same
    calls give the same world, byte for byte."""
    app, sandbox = new_sandbox()
    done = lived_in(sandbox)
    saved = export(app)
    twin, twin_client = new_sandbox(seed=5)
    assert restore(twin, saved).status_code == 200
    for client in (sandbox, twin_client):
        assert client.admin("POST", "/clock", {"advance_seconds": 3 * 86400}).status == 200
        partner = client.admin("POST", "/shopee/partners", {"app_type": "ERP System"})
        assert partner.status == 201, partner.body
        shop = client.admin("POST", "/shopee/shops", {"authorize_partner_id": partner.body["partner_id"]})
        assert shop.status == 201, shop.body
        client.admin("POST", "/deliveries/flush", {})
    assert _without_latency(export(twin)) == _without_latency(export(app))
    order = twin_client.admin("GET", f"/shopee/orders/{done['shipped']}").body
    # Shipped with a 600 s 3PL delay: the tracking number came on the restored world's clock.
    assert order["packages"][0]["tracking_number"]
    assert order["status"] != "PROCESSED"  # auto-progress moved it on


def _without_latency(document: bytes) -> dict:
    """The document without the one thing no sandbox repeats: how long a real attempt took."""
    data = json.loads(document)
    for delivery in data["webhooks"]["deliveries"]:
        for attempt in delivery["attempts"]:
            attempt["latency_ms"] = 0
    return data


def test_the_restored_world_serves_the_saved_credentials():
    app, sandbox = new_sandbox()
    done = lived_in(sandbox)
    other, client = new_sandbox(seed=1234)
    assert restore(other, export(app)).status_code == 200
    creds = dict(sandbox.creds, access_token=done["access_token"])
    answer = client.shopee("GET", "shop/get_shop_info", creds=creds)
    assert answer.status == 200 and not answer.body.get("error"), answer.body
    detail = client.admin("GET", f"/shopee/orders/{done['paid']}").body
    assert detail["status"] == "READY_TO_SHIP"
    assert client.admin("GET", f"/deliveries/{done['delivery']['id']}").body["status"] == "pending"


def _broken(document: dict, how: str) -> dict:
    broken = json.loads(json.dumps(document))
    if how == "token":
        broken["platforms"]["shopee"]["tokens"][0]["expires_at"] = "soon"
    elif how == "order":
        broken["platforms"]["shopee"]["orders"]["built"][0][1]["items"] = {"not": "a list"}
    elif how == "rows":
        broken["platforms"]["shopee"]["orders"]["rows"] += 5
    elif how == "job":
        broken["scheduled"].append({"due": T0, "data": {"platform": "shopee", "kind": "auto_progress",
                                                         "order_sn": "NOPE"}})
    elif how == "delivery":
        broken["webhooks"]["deliveries"][0]["url"] = "ftp://x"
    elif how == "platform":
        del broken["platforms"]["oneshop"]
    elif how == "extra":
        broken["journal"] = []
    elif how == "oneshop":
        broken["platforms"]["oneshop"]["orders"][0]["lines"] = "x"
    elif how == "shopline":
        broken["platforms"]["shopline"]["settings"]["openapi_removal"] = {"rule": "never-heard-of-it"}
    elif how == "clock":
        broken["clock"] = {"frozen_at": "noon"}
    return broken


@pytest.mark.parametrize("how", ["token", "order", "rows", "job", "delivery", "platform", "extra", "oneshop",
                                 "shopline", "clock"])
def test_a_bad_document_is_refused_and_the_world_is_unchanged(how):
    app, sandbox = new_sandbox()
    lived_in(sandbox)
    before = export(app)
    answer = restore(app, json.dumps(_broken(json.loads(before), how)).encode())
    assert answer.status_code == 400, answer.json
    assert answer.json["error"] == "invalid_snapshot" and answer.json["message"]
    assert export(app) == before


def test_another_version_is_refused_with_a_clear_message():
    app, _ = new_sandbox()
    before = export(app)
    document = json.loads(before)
    document["version"] = 2
    answer = restore(app, json.dumps(document).encode())
    assert answer.status_code == 400
    assert "snapshot version 2 cannot be loaded: this sandbox reads version 1" in answer.json["message"]
    assert restore(app, b"[1, 2]").json["message"].startswith("not a shop-sandbox snapshot")
    assert restore(app, b"{").json["error"] == "invalid_snapshot"
    assert export(app) == before


def test_a_batch_whose_order_sns_were_redrawn_comes_back_the_same():
    app, sandbox = new_sandbox()
    store = app.extensions["shop_sandbox"]
    world = store.backends["shopee"]
    first, batch = world.orders.batches()[0]
    batch.renamed[3] = world.orders.index.order_sn[first + 3]  # as commit records a redraw
    saved = snapshot.dumps(snapshot.export_snapshot(store))
    other, _ = new_sandbox()
    assert restore(other, saved).status_code == 200
    assert export(other) == saved


def test_reading_an_order_after_restore_builds_the_same_order():
    app, sandbox = new_sandbox()
    saved = export(app)
    sn = first_order(sandbox, "SHIPPED")
    other, client = new_sandbox(seed=3)
    assert restore(other, saved).status_code == 200
    assert client.admin("GET", f"/shopee/orders/{sn}").body == sandbox.admin("GET", f"/shopee/orders/{sn}").body


def test_the_journal_starts_empty_and_reset_still_works_after_restore():
    app, sandbox = new_sandbox()
    sandbox.shopee("GET", "shop/get_shop_info")
    saved = export(app)
    assert restore(app, saved).status_code == 200
    answer = sandbox.admin("GET", "/requests")
    assert answer.status == 200 and answer.body["requests"] == [], answer.body
    assert sandbox.admin("POST", "/reset", {}).status == 200
    assert sandbox.shopee("GET", "shop/get_shop_info").status == 200
